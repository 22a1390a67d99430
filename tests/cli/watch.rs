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
