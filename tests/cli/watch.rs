//! `watch status|add|remove` for spaces, labels and content, and other users' watches.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::{handbook_id, Site};
use confdir::demo::{ADMIN_ACCOUNT_ID, DEMO_ACCOUNT_ID};

#[test]
fn watch_status_add_remove_for_spaces_labels_and_content() {
    let demo = Site::start();
    let content = handbook_id();
    for (kind, id) in [
        ("space", "MOB"),
        ("label", "runbook"),
        ("content", content.as_str()),
    ] {
        demo.run(&["watch", "remove", kind, id]).ok();
        let off = demo
            .run(&["watch", "status", kind, id, "--json"])
            .ok()
            .json();
        assert_eq!(off["watching"], false, "{kind}");
        assert_eq!(off["kind"], kind);
        let added = demo.run(&["watch", "add", kind, id]).ok();
        assert_eq!(
            added.stdout.trim(),
            format!("you are now watching {kind} {id}")
        );
        let on = demo.run(&["watch", "status", kind, id]).ok();
        assert_eq!(on.stdout.trim(), format!("you are watching {kind} {id}"));
        let removed = demo
            .run(&["watch", "remove", kind, id, "--json"])
            .ok()
            .json();
        assert_eq!(removed["watching"], false);
        let off = demo.run(&["watch", "status", kind, id]).ok();
        assert_eq!(
            off.stdout.trim(),
            format!("you are not watching {kind} {id}")
        );
    }
}

#[test]
fn watches_of_other_users_need_an_administrator() {
    let demo = Site::start();
    let refused = demo.run(&[
        "watch",
        "status",
        "space",
        "ENG",
        "--user",
        ADMIN_ACCOUNT_ID,
    ]);
    assert_eq!(refused.code, 1, "403 is an API error: {}", refused.stderr);
    assert_eq!(refused.stderr.lines().count(), 1, "{}", refused.stderr);
    assert!(refused.stderr.contains("403"));

    demo.admin(&["watch", "add", "space", "HR", "--user", "Ada Lovelace"])
        .ok();
    let as_admin = demo
        .admin(&[
            "watch",
            "status",
            "space",
            "HR",
            "--user",
            DEMO_ACCOUNT_ID,
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(as_admin["watching"], true);
    assert_eq!(as_admin["accountId"], DEMO_ACCOUNT_ID);
    let mine = demo
        .run(&["watch", "status", "space", "HR", "--json"])
        .ok()
        .json();
    assert_eq!(mine["watching"], true, "the admin changed Ada's watch");

    let unknown = demo.run(&["watch", "add", "space", "NOSUCHSPACE"]);
    assert_eq!(unknown.code, 1, "watches answer 403 for missing targets");
    let usage = demo.run(&["watch", "toggle", "space", "ENG"]);
    assert_eq!(usage.code, 2);
}

/// The TUI's word works here too: `page` wherever `content` is.
#[test]
fn page_is_accepted_wherever_content_is() {
    let demo = Site::start();
    let id = handbook_id();
    demo.run(&["watch", "add", "page", &id]).ok();
    let on = demo.run(&["watch", "status", "content", &id]).ok();
    assert_eq!(on.stdout.trim(), format!("you are watching content {id}"));
    let status = demo.run(&["watch", "status", "page", &id]).ok();
    assert_eq!(
        status.stdout.trim(),
        format!("you are watching content {id}")
    );
    demo.run(&["watch", "remove", "page", &id]).ok();
    let off = demo
        .run(&["watch", "status", "page", &id, "--json"])
        .ok()
        .json();
    assert_eq!(off["watching"], false);
}

/// A space key in the wrong case or one letter off gets the key the site has.
#[test]
fn a_mistyped_space_key_gets_did_you_mean() {
    let demo = Site::start();
    for typed in ["eng", "ENGG", "EGN"] {
        let run = demo.run(&["watch", "status", "space", typed]);
        assert_eq!(run.code, 4, "{typed}: {}", run.stderr);
        assert!(
            run.stderr.contains("did you mean ENG?"),
            "{typed}: {}",
            run.stderr
        );
    }
    // A write to a missing space fails as the API says (403), with the suggestion after it.
    let add = demo.run(&["watch", "add", "space", "eng"]);
    assert_eq!(add.code, 1, "{}", add.stderr);
    assert!(add.stderr.contains("did you mean ENG?"), "{}", add.stderr);
    // Nothing close: no guess.
    let far = demo.run(&["watch", "status", "space", "NOSUCHSPACE"]);
    assert_eq!(far.code, 4);
    assert!(!far.stderr.contains("did you mean"), "{}", far.stderr);
}

/// An administrator reading or changing someone's watch sees whose it is by name, not by the
/// account id alone.
#[test]
fn another_users_watch_names_the_person() {
    let demo = Site::start();
    let added = demo
        .admin(&["watch", "add", "space", "HR", "--user", DEMO_ACCOUNT_ID])
        .ok();
    assert_eq!(
        added.stdout.trim(),
        format!("Ada Lovelace ({DEMO_ACCOUNT_ID}) is now watching space HR")
    );
    let status = demo
        .admin(&["watch", "status", "space", "HR", "--user", "Ada Lovelace"])
        .ok();
    assert_eq!(
        status.stdout.trim(),
        format!("Ada Lovelace ({DEMO_ACCOUNT_ID}) is watching space HR")
    );
    let json = demo
        .admin(&["watch", "status", "space", "HR", "--user", "me", "--json"])
        .ok()
        .json();
    assert_eq!(json["accountId"], ADMIN_ACCOUNT_ID);
    assert_eq!(json["displayName"], "Grace Hopper");
}
