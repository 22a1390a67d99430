//! `whoami`, `anonymous` and `users` (search, show, bulk, email) in every output form.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::{Run, Site};
use confdir::demo::{ADMIN_ACCOUNT_ID, DEMO_ACCOUNT_ID};

#[test]
fn whoami_in_every_form() {
    let demo = Site::start();
    let human = demo.run(&["whoami"]).ok();
    assert!(
        human.stdout.starts_with("Ada Lovelace\n"),
        "{}",
        human.stdout
    );
    assert!(human.stdout.contains(DEMO_ACCOUNT_ID));
    assert!(human.stdout.contains("Europe/London"));
    let json = demo.run(&["whoami", "--json"]).ok().json();
    assert_eq!(json["accountId"], DEMO_ACCOUNT_ID);
    assert_eq!(json["displayName"], "Ada Lovelace");
    let admin = demo.admin(&["whoami", "--json"]).ok().json();
    assert_eq!(admin["accountId"], ADMIN_ACCOUNT_ID);
}

#[test]
fn anonymous_needs_no_token() {
    let demo = Site::start();
    let run: Run = demo
        .bare(&["anonymous", "--base-url", &demo.url()])
        .output()
        .unwrap()
        .into();
    let run = run.ok();
    assert!(run.stdout.contains("(anonymous)"), "{}", run.stdout);
    let json = demo.run(&["anonymous", "--json"]).ok().json();
    assert_eq!(json["type"], "anonymous");
}

#[test]
fn users_search_in_every_form_with_limit_and_all() {
    let demo = Site::start();
    let human = demo.run(&["users", "search", "Lee"]).ok();
    let lines: Vec<&str> = human.stdout.lines().collect();
    assert!(lines[0].starts_with("NAME") && lines[0].contains("ACCOUNT ID"));
    assert!(
        lines.iter().skip(1).all(|l| l.contains("Lee")),
        "{}",
        human.stdout
    );

    let json = demo.run(&["users", "search", "Lee", "--json"]).ok().json();
    let all = json.as_array().unwrap();
    assert!(all.len() >= 3, "{json}");
    assert!(all.iter().all(|u| u["accountId"].is_string()));

    let two = demo
        .run(&["users", "search", "Lee", "--limit", "2", "--json"])
        .ok()
        .json();
    assert_eq!(two.as_array().unwrap().len(), 2);
    let paged = demo
        .run(&["users", "search", "Lee", "--limit", "2", "--all", "--json"])
        .ok()
        .json();
    assert_eq!(paged, json, "--all follows every page to the same set");

    let csv = demo.run(&["users", "search", "Lee", "--csv"]).ok().csv();
    assert_eq!(
        csv[0],
        [
            "accountId",
            "displayName",
            "publicName",
            "email",
            "accountType",
            "isGuest",
            "timeZone"
        ]
    );
    assert_eq!(csv.len(), all.len() + 1);

    let none = demo.run(&["users", "search", "zzzqqqxxx"]).ok();
    assert_eq!(none.stdout.trim(), "no users");
    let cql = demo
        .run(&[
            "users",
            "search",
            "--cql",
            "user.fullname~\"Ada Lovelace\"",
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(cql[0]["accountId"], DEMO_ACCOUNT_ID);
}

#[test]
fn users_show_by_id_me_and_name() {
    let demo = Site::start();
    for who in [DEMO_ACCOUNT_ID, "me", "Ada Lovelace", "ada lovelace"] {
        let json = demo.run(&["users", "show", who, "--json"]).ok().json();
        assert_eq!(json["accountId"], DEMO_ACCOUNT_ID, "{who}");
    }
    let by_id = demo.run(&["users", "show", ADMIN_ACCOUNT_ID]).ok();
    assert!(by_id.stdout.starts_with("Grace Hopper\n"));

    let ambiguous = demo.run(&["users", "show", "Lee"]);
    assert_eq!(ambiguous.code, 2, "{}", ambiguous.stderr);
    assert!(ambiguous.stderr.contains("matches"), "{}", ambiguous.stderr);
    assert!(
        ambiguous.stderr.lines().count() >= 3,
        "lists the candidates"
    );
    assert!(ambiguous.stdout.is_empty());

    let missing = demo.run(&["users", "show", "Nobody Atall Xyz"]);
    assert_eq!(missing.code, 4, "{}", missing.stderr);
    assert!(missing.stderr.contains("no user matches"));
}

#[test]
fn users_bulk_and_email_in_every_form() {
    let demo = Site::start();
    let ids = [DEMO_ACCOUNT_ID, ADMIN_ACCOUNT_ID];
    let human = demo.run(&["users", "bulk", ids[0], ids[1]]).ok();
    assert!(human.stdout.contains("Ada Lovelace") && human.stdout.contains("Grace Hopper"));
    let json = demo
        .run(&["users", "bulk", ids[0], ids[1], "--json"])
        .ok()
        .json();
    assert_eq!(json.as_array().unwrap().len(), 2);
    let csv = demo
        .run(&["users", "bulk", ids[0], ids[1], "--csv"])
        .ok()
        .csv();
    assert_eq!(csv.len(), 3);
    assert_eq!(csv[1][0], DEMO_ACCOUNT_ID);

    let one = demo.run(&["users", "email", ids[0], "--json"]).ok().json();
    assert_eq!(one[0]["email"], "demo@confdir.example");
    let both = demo.run(&["users", "email", ids[0], ids[1], "--csv"]).ok();
    assert_eq!(
        both.stdout,
        format!(
            "accountId,email\n{DEMO_ACCOUNT_ID},demo@confdir.example\n{ADMIN_ACCOUNT_ID},admin@confdir.example\n"
        )
    );
    let human = demo.run(&["users", "email", ids[1]]).ok();
    assert!(human.stdout.contains("admin@confdir.example"));

    let usage = demo.run(&["users", "bulk"]);
    assert_eq!(usage.code, 2, "ids are required");
}

/// An id the site does not know is not silently left out: the users found are printed, the
/// unknown one is named on stderr, and the exit code is 4 (not found).
#[test]
fn users_bulk_names_an_unknown_id_and_exits_not_found() {
    let demo = Site::start();
    let run = demo.run(&["users", "bulk", DEMO_ACCOUNT_ID, "557058:nobody", "--json"]);
    assert_eq!(run.code, 4, "stderr: {}", run.stderr);
    let json = run.json();
    assert_eq!(json.as_array().unwrap().len(), 1);
    assert_eq!(json[0]["accountId"], DEMO_ACCOUNT_ID);
    assert!(
        run.stderr
            .contains("1 of 2 accounts not found: 557058:nobody"),
        "{}",
        run.stderr
    );
}

/// Guests (external collaborators) are found by name, as colleagues, and marked: Cloud leaves
/// them out unless the search asks for every kind of account, and the demo does the same.
#[test]
fn a_guest_is_found_by_name_and_marked_as_one() {
    let demo = crate::Site::start();
    let run = demo.run(&["users", "search", "Ömer Şahin"]).ok();
    let row = run
        .stdout
        .lines()
        .find(|line| line.starts_with("Ömer Şahin"))
        .unwrap_or_else(|| panic!("the guest is listed: {}", run.stdout));
    assert!(row.trim_end().ends_with("guest"), "{row}");
    let shown = demo
        .run(&["users", "show", "Ömer Şahin", "--json"])
        .ok()
        .json();
    assert_eq!(shown["displayName"], "Ömer Şahin");
}

/// Two people with the same name: the ambiguity message tells them apart (the email where the
/// site shows it, else the public name), not just by a bare account id beside the same name.
#[test]
fn same_name_candidates_show_what_tells_them_apart() {
    let demo = Site::start();
    let run = demo.run(&["users", "show", "Phan Quốc Bảo"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let lines: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("Phan Quốc Bảo  ("))
        .collect();
    assert_eq!(lines.len(), 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("Phan Quốc Bảo  (quocbao.phan2@acme.example)"),
        "the email: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains("Phan Quốc Bảo  (quocbao)"),
        "the public name, where no email shows: {}",
        run.stderr
    );
}
