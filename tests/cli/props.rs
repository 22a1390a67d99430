//! `props list|get|set|delete`, and the keys and values refused before anything is sent.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::Site;
use confdir::demo::DEMO_ACCOUNT_ID;

#[test]
fn props_list_get_set_delete() {
    let demo = Site::start();
    let created = demo
        .run(&[
            "props",
            "set",
            "me",
            "confdir-test",
            r#"{"a": 1}"#,
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(created["action"], "created");
    let updated = demo
        .run(&["props", "set", "me", "confdir-test", r#"{"a": 2}"#])
        .ok();
    assert_eq!(
        updated.stdout.trim(),
        format!("updated property confdir-test of {DEMO_ACCOUNT_ID}")
    );
    let value = demo
        .run(&["props", "get", "me", "confdir-test"])
        .ok()
        .json();
    assert_eq!(value, serde_json::json!({"a": 2}));
    let full = demo
        .run(&["props", "get", "Ada Lovelace", "confdir-test", "--json"])
        .ok()
        .json();
    assert_eq!(full["key"], "confdir-test");
    assert_eq!(full["value"]["a"], 2);

    let keys = demo.run(&["props", "list", "me", "--json"]).ok().json();
    assert!(keys
        .as_array()
        .unwrap()
        .iter()
        .any(|k| k["key"] == "confdir-test"));
    let csv = demo.run(&["props", "list", "me", "--csv"]).ok();
    assert!(csv.stdout.starts_with("key\n") && csv.stdout.contains("\nconfdir-test\n"));
    let human = demo.run(&["props", "list", DEMO_ACCOUNT_ID]).ok();
    assert!(human.stdout.contains("confdir-test"));

    let deleted = demo
        .run(&["props", "delete", "me", "confdir-test", "--json"])
        .ok()
        .json();
    assert_eq!(deleted["action"], "deleted");
    let gone = demo.run(&["props", "get", "me", "confdir-test"]);
    assert_eq!(gone.code, 4, "{}", gone.stderr);
    assert_eq!(gone.stderr.lines().count(), 1);

    let bad_json = demo.run(&["props", "set", "me", "k", "{not json"]);
    assert_eq!(bad_json.code, 2, "{}", bad_json.stderr);
    let not_object = demo.run(&["props", "set", "me", "k", "[1, 2]"]);
    assert_eq!(not_object.code, 2, "{}", not_object.stderr);
    let bad_key = demo.run(&["props", "get", "me", "bad key"]);
    assert_eq!(bad_key.code, 2, "{}", bad_key.stderr);
}
