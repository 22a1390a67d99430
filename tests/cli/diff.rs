//! `groups diff USER USER` in every output form: two people in hundreds of groups (more than one
//! page of `/user/memberof` each), an unknown user, and a missing argument.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::Site;
use confdir::demo::{ADMIN_ACCOUNT_ID, DEMO_ACCOUNT_ID};
use std::collections::BTreeSet;

/// The two seeded people in hundreds of groups, and what the server has for each: account id,
/// display name, and the set of their group ids.
fn busy_pair(site: &Site) -> [(String, String, BTreeSet<String>); 2] {
    let dir = site.demo.server().directory();
    let people = dir.project_people();
    let entry = |i: usize| {
        let p = people[i];
        let ids = p
            .groups
            .iter()
            .map(|&g| dir.groups[usize::from(g)].id.clone())
            .collect();
        (p.account_id.clone(), p.display_name.clone(), ids)
    };
    [entry(0), entry(1)]
}

fn ids(value: &serde_json::Value) -> BTreeSet<String> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn diff_reads_every_page_of_both_in_json_csv_and_human_form() {
    let site = Site::start();
    let [(a_id, a_name, a), (b_id, b_name, b)] = busy_pair(&site);
    assert!(a.len() > 200 && b.len() > 140, "{} {}", a.len(), b.len());
    let shared: BTreeSet<String> = a.intersection(&b).cloned().collect();
    let only_a: BTreeSet<String> = a.difference(&b).cloned().collect();
    let only_b: BTreeSet<String> = b.difference(&a).cloned().collect();

    let json = site
        .run(&["groups", "diff", &a_id, &b_id, "--json"])
        .ok()
        .json();
    assert_eq!(json["first"]["accountId"], a_id.as_str());
    assert_eq!(json["second"]["displayName"], b_name.as_str());
    assert_eq!(ids(&json["shared"]), shared);
    assert_eq!(ids(&json["only_first"]), only_a);
    assert_eq!(ids(&json["only_second"]), only_b);
    // Each section is sorted by name, ignoring case, and holds the API's group objects.
    let names: Vec<String> = json["shared"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap().to_lowercase())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert_eq!(json["shared"][0]["type"], "group");

    let csv = site
        .run(&["groups", "diff", &a_id, &b_id, "--csv"])
        .ok()
        .csv();
    assert_eq!(csv[0], ["group", "groupId", "side"]);
    assert_eq!(csv.len(), 1 + shared.len() + only_a.len() + only_b.len());
    let side_of = |side: &str| -> BTreeSet<String> {
        csv.iter()
            .skip(1)
            .filter(|r| r[2] == side)
            .map(|r| r[1].clone())
            .collect()
    };
    assert_eq!(side_of("both"), shared);
    assert_eq!(side_of("first"), only_a);
    assert_eq!(side_of("second"), only_b);

    // Human: the three counts on the first line, then each section with its count.
    let human = site.run(&["groups", "diff", &a_name, &b_id]).ok();
    let first_line = human.stdout.lines().next().unwrap();
    let short = |n: &str| n.split_whitespace().next().unwrap().to_string();
    assert!(
        first_line.ends_with(&format!(
            "shared {} · only {} {} · only {} {}",
            shared.len(),
            short(&a_name),
            only_a.len(),
            short(&b_name),
            only_b.len()
        )),
        "{first_line}"
    );
    assert!(human
        .stdout
        .contains(&format!("\nShared ({})\n", shared.len())));
    assert!(human
        .stdout
        .contains(&format!("\nOnly {b_name} ({})\n", only_b.len())));
    assert!(human.stdout.contains("\n  project-300\n"));
}

#[test]
fn diff_of_ada_and_grace_and_me_resolves_like_groups_of() {
    let site = Site::start();
    let csv = site
        .run(&["groups", "diff", "me", ADMIN_ACCOUNT_ID, "--csv"])
        .ok()
        .csv();
    let row = |name: &str| csv.iter().find(|r| r[0] == name).unwrap()[2].clone();
    assert_eq!(row("confluence-users"), "both");
    assert_eq!(row("guild-rust"), "first");
    assert_eq!(row("site-admins"), "second");
    // The same person twice: everything shared.
    let json = site
        .run(&["groups", "diff", DEMO_ACCOUNT_ID, "Ada Lovelace", "--json"])
        .ok()
        .json();
    assert_eq!(json["shared"].as_array().unwrap().len(), 12);
    assert!(json["only_first"].as_array().unwrap().is_empty());
    let human = site.run(&["groups", "diff", "me", "me"]).ok();
    assert!(
        human.stdout.contains("Only Ada Lovelace (0)\n  (none)"),
        "{}",
        human.stdout
    );
}

#[test]
fn an_unknown_user_exits_4_and_a_missing_one_is_a_usage_error() {
    let site = Site::start();
    let unknown = site.run(&["groups", "diff", "me", "5d3f8a2b9c1e4f0012ab0000"]);
    assert_eq!(unknown.code, 4, "{}", unknown.stderr);
    assert!(unknown.stdout.is_empty());
    let nobody = site.run(&["groups", "diff", "Nobody Atall Zzz", "me", "--json"]);
    assert_eq!(nobody.code, 4, "{}", nobody.stderr);
    let missing = site.run(&["groups", "diff", "me"]);
    assert_eq!(missing.code, 2, "{}", missing.stderr);
    let both = site.run(&["groups", "diff", "me", "me", "--json", "--csv"]);
    assert_eq!(both.code, 2, "{}", both.stderr);
}

#[test]
fn server_names_are_cleaned_in_human_output_and_one_failing_side_fails_the_command() {
    use crate::support::mock::API;
    use serde_json::json;
    use wiremock::matchers::{method, path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    const EVE: &str = "598058:5c617f13-29ad-4667-a874-4371dba57509";
    const MAL: &str = "598058:5c617f13-29ad-4667-a874-4371dba57510";
    const GONE: &str = "598058:5c617f13-29ad-4667-a874-4371dba57511";
    let rt = crate::support::demo::runtime();
    let server =
        rt.block_on(async {
            let server = MockServer::start().await;
            for (id, name) in [
                (EVE, "Eve\u{1b}[2J Evil"),
                (MAL, "Mal\u{202e}lory"),
                (GONE, "Gone"),
            ] {
                Mock::given(method("GET"))
                    .and(path(format!("{API}/user")))
                    .and(query_param("accountId", id))
                    .respond_with(ResponseTemplate::new(200).set_body_json(
                        json!({"type": "known", "accountId": id, "displayName": name}),
                    ))
                    .mount(&server)
                    .await;
            }
            let groups = |names: &[&str]| {
                let results: Vec<_> = names
                    .iter()
                    .map(|n| json!({"type": "group", "name": n, "id": format!("id-{n}")}))
                    .collect();
                ResponseTemplate::new(200)
                    .set_body_json(json!({"results": results, "size": names.len()}))
            };
            for (id, answer) in [
                (EVE, groups(&["shared", "evil\u{1b}]52;c;cm0gLXJm\u{7}"])),
                (MAL, groups(&["shared"])),
                (
                    GONE,
                    ResponseTemplate::new(403).set_body_json(json!({"message": "boom"})),
                ),
            ] {
                Mock::given(method("GET"))
                    .and(path(format!("{API}/user/memberof")))
                    .and(query_param("accountId", id))
                    .respond_with(answer)
                    .mount(&server)
                    .await;
            }
            server
        });
    let home = support_home();
    let run = |args: &[&str]| -> crate::Run {
        let mut cmd = home.command(args);
        cmd.args(["--base-url", &format!("{}/wiki", server.uri())])
            .env("CONFLUENCE_EMAIL", "eve@example.com")
            .env("CONFLUENCE_API_TOKEN", "tok-diff");
        cmd.output().unwrap().into()
    };
    let human = run(&["groups", "diff", EVE, MAL]).ok();
    assert!(!human.stdout.contains('\u{1b}'), "{:?}", human.stdout);
    assert!(!human.stdout.contains('\u{202e}'), "{:?}", human.stdout);
    assert!(
        human.stdout.contains(": shared 1 · only "),
        "{}",
        human.stdout
    );
    assert!(
        human.stdout.contains("only Mallory 0\n"),
        "{}",
        human.stdout
    );
    // A side whose groups cannot be read: the command fails (exit 1), printing no partial diff.
    let failed = run(&["groups", "diff", EVE, GONE, "--json"]);
    assert_eq!(failed.code, 1, "{}", failed.stderr);
    assert!(failed.stdout.is_empty(), "{}", failed.stdout);
    assert!(
        failed.stderr.contains("/user/memberof"),
        "{}",
        failed.stderr
    );
}

fn support_home() -> crate::support::home::Home {
    crate::support::home::Home::new()
}
