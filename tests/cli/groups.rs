//! `groups of`, `groups members` (by name and by id) and `groups list` in every output form.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::Site;
use confdir::demo::{ADMIN_ACCOUNT_ID, DEMO_ACCOUNT_ID};

#[test]
fn groups_of_members_and_list_in_every_form() {
    let demo = Site::start();
    let human = demo.run(&["groups", "of", "me"]).ok();
    assert!(human.stdout.lines().next().unwrap().starts_with("NAME"));
    assert!(human.stdout.contains("guild-rust"));
    let json = demo
        .run(&["groups", "of", "Ada Lovelace", "--json"])
        .ok()
        .json();
    assert_eq!(json.as_array().unwrap().len(), 12);
    let csv = demo
        .run(&["groups", "of", DEMO_ACCOUNT_ID, "--csv"])
        .ok()
        .csv();
    assert_eq!(csv[0], ["name", "id"]);
    assert_eq!(csv.len(), 13);

    // A group by exact name, and by its id.
    let admins = demo
        .run(&["groups", "members", "site-admins", "--json"])
        .ok()
        .json();
    assert!(admins
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u["accountId"] == ADMIN_ACCOUNT_ID));
    let site_admins_id = json_group_id(&demo, "site-admins");
    let by_id = demo
        .run(&["groups", "members", &site_admins_id, "--csv"])
        .ok()
        .csv();
    assert_eq!(by_id.len(), admins.as_array().unwrap().len() + 1);
    let human = demo.run(&["groups", "members", "site-admins"]).ok();
    assert!(human.stdout.contains("Grace Hopper"));

    // Everyone is in confluence-users: --all reads past the first page.
    let first = demo
        .run(&["groups", "members", "confluence-users", "--json"])
        .ok()
        .json();
    let every = demo
        .run(&["groups", "members", "confluence-users", "--all", "--json"])
        .ok()
        .json();
    assert_eq!(first.as_array().unwrap().len(), 200);
    assert!(every.as_array().unwrap().len() > 1000);

    let list = demo.run(&["groups", "list", "--json"]).ok().json();
    assert!(list.as_array().unwrap().len() > 20);
    let teams = demo
        .run(&["groups", "list", "--filter", "team-", "--csv"])
        .ok()
        .csv();
    assert!(teams.len() > 2);
    assert!(
        teams.iter().skip(1).all(|r| r[0].contains("team-")),
        "{teams:?}"
    );
    let human = demo.run(&["groups", "list"]).ok();
    assert!(human.stdout.contains("confluence-users"));

    let missing = demo.run(&["groups", "members", "no-such-group"]);
    assert_eq!(missing.code, 4, "{}", missing.stderr);
}

fn json_group_id(demo: &Site, name: &str) -> String {
    let list = demo.run(&["groups", "list", "--json"]).ok().json();
    list.as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == name)
        .and_then(|g| g["id"].as_str())
        .unwrap()
        .to_string()
}
