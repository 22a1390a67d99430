//! Profile and groups tests: the groups path (groups, members, a member, back), stale answers,
//! the email API, properties, and members pages.

use super::*;
use pretty_assertions::assert_eq;

#[test]
fn groups_members_member_and_back_keep_each_selection() {
    let mut s = state();
    let cmds = open_profile(&mut s, "alice", "Alice");
    let gid = groups_id(&cmds);
    update(
        &mut s,
        Loaded::Groups {
            id: gid,
            account_id: "alice".into(),
            result: Ok(vec![
                group("g1", "confluence-users"),
                group("g2", "engineering"),
            ]),
        },
    );
    update(&mut s, Intent::FocusPane(Focus::Groups));
    update(&mut s, Intent::Down);
    let cmds = update(&mut s, Intent::Open);
    let (mid, gid) = match &cmds[..] {
        [Command::FetchMembers {
            id,
            group_id,
            start: 0,
            ..
        }] => (*id, group_id.clone()),
        other => panic!("{other:?}"),
    };
    assert_eq!(gid, "g2");
    update(
        &mut s,
        Loaded::Members {
            id: mid,
            start: 0,
            result: Ok(page(
                vec![user("alice", "Alice"), user("bob", "Bob")],
                false,
            )),
        },
    );
    update(&mut s, Intent::Down);
    let cmds = update(&mut s, Intent::Open);
    assert_eq!(s.profile_id(), Some("bob"));
    assert!(cmds
        .iter()
        .any(|c| matches!(c, Command::FetchGroups { account_id, .. } if account_id == "bob")));
    assert_eq!(s.groups.len(), 3);
    assert_eq!(s.recent.first().map(String::as_str), Some("bob"));

    // Back to the members list: selection kept, profile follows Alice again.
    update(&mut s, Intent::Back);
    assert_eq!(s.groups.len(), 2);
    match s.groups.last() {
        Some(GroupView::Members { list, members, .. }) => {
            assert_eq!(list.selected, 1);
            assert_eq!(members.len(), 2);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(s.profile_id(), Some("alice"));
    // Back to Alice's groups: the second group is still selected.
    update(&mut s, Intent::Back);
    match s.groups.last() {
        Some(GroupView::Memberships { list, .. }) => assert_eq!(list.selected, 1),
        other => panic!("{other:?}"),
    }
}

#[test]
fn stale_group_answers_are_dropped() {
    let mut s = state();
    let first = groups_id(&open_profile(&mut s, "alice", "Alice"));
    update(&mut s, Intent::FocusPane(Focus::Search));
    update(&mut s, Intent::StartSearch);
    update(&mut s, Intent::Edit(InputRequest::DeleteLine));
    let second = groups_id(&open_profile(&mut s, "bob", "Bob"));
    assert_ne!(first, second);
    update(
        &mut s,
        Loaded::Groups {
            id: first,
            account_id: "alice".into(),
            result: Ok(vec![group("g1", "alice-only")]),
        },
    );
    match s.groups.last() {
        Some(GroupView::Memberships {
            groups, account_id, ..
        }) => {
            assert_eq!(account_id, "bob");
            assert!(groups.is_loading());
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn hidden_email_triggers_the_email_api_once_per_site() {
    let mut s = state();
    let cmds = open_profile(&mut s, "x", "Xavier");
    let pid = cmds
        .iter()
        .find_map(|c| match c {
            Command::FetchProfile { id, account_id, .. } if account_id == "x" => Some(*id),
            _ => None,
        })
        .unwrap();
    let mut hidden = user("x", "Xavier");
    hidden.email = Some(String::new());
    let cmds = update(
        &mut s,
        Loaded::Profile {
            id: pid,
            result: Ok(hidden),
        },
    );
    let eid = match &cmds[..] {
        [Command::FetchEmail { id, .. }] => *id,
        other => panic!("{other:?}"),
    };
    update(
        &mut s,
        Loaded::Email {
            id: eid,
            result: Err(ApiError::NotImplemented {
                endpoint: "GET /user/email".into(),
                message: "not enabled".into(),
            }),
        },
    );
    assert!(matches!(s.email_api, EmailApi::Unavailable(_)));
    // Another hidden profile: no second call.
    let cmds = open_profile(&mut s, "y", "Yara");
    let pid = cmds
        .iter()
        .find_map(|c| match c {
            Command::FetchProfile { id, account_id, .. } if account_id == "y" => Some(*id),
            _ => None,
        })
        .unwrap();
    let mut hidden = user("y", "Yara");
    hidden.email = Some(String::new());
    let cmds = update(
        &mut s,
        Loaded::Profile {
            id: pid,
            result: Ok(hidden),
        },
    );
    assert!(cmds.is_empty());
}

#[test]
fn opening_a_property_fetches_and_pretty_prints_its_value() {
    let mut s = state();
    let cmds = open_profile(&mut s, "alice", "Alice");
    let kid = prop_keys_id(&cmds);
    update(
        &mut s,
        Loaded::PropertyKeys {
            id: kid,
            result: Ok(vec!["pronouns".into(), "team".into()]),
        },
    );
    update(&mut s, Intent::FocusPane(Focus::Profile));
    update(&mut s, Intent::Down);
    let cmds = update(&mut s, Intent::Open);
    let id = match &cmds[..] {
        [Command::FetchProperty {
            id,
            key,
            account_id,
        }] => {
            assert_eq!((key.as_str(), account_id.as_str()), ("team", "alice"));
            *id
        }
        other => panic!("{other:?}"),
    };
    update(
        &mut s,
        Loaded::Property {
            id,
            result: Ok(crate::api::model::UserProperty {
                key: "team".into(),
                value: serde_json::json!({"name": "core", "size": 5}),
                ..Default::default()
            }),
        },
    );
    match &s.profile.open_prop {
        Some((key, Loadable::Loaded(text))) => {
            assert_eq!(key, "team");
            assert!(text.contains("\n  \"name\": \"core\""), "{text}");
        }
        other => panic!("{other:?}"),
    }
    update(&mut s, Intent::Back);
    assert!(s.profile.open_prop.is_none());
}

#[test]
fn members_load_more_near_the_end_and_stale_pages_are_dropped() {
    let mut s = state();
    let gid = groups_id(&open_profile(&mut s, "alice", "Alice"));
    update(
        &mut s,
        Loaded::Groups {
            id: gid,
            account_id: "alice".into(),
            result: Ok(vec![group("g1", "big-group")]),
        },
    );
    update(&mut s, Intent::FocusPane(Focus::Groups));
    let cmds = update(&mut s, Intent::Open);
    let Some(Command::FetchMembers { id, .. }) = cmds.first() else {
        panic!("{cmds:?}")
    };
    let first = *id;
    let members: Vec<User> = (0..8)
        .map(|i| user(&format!("m{i}"), &format!("Member {i}")))
        .collect();
    let mut p = page(members, true);
    p.total_size = Some(20);
    update(
        &mut s,
        Loaded::Members {
            id: first,
            start: 0,
            result: Ok(p),
        },
    );
    let cmds = update(&mut s, Intent::Bottom);
    let next = match &cmds[..] {
        [Command::FetchMembers {
            id,
            start: 8,
            group_id,
            ..
        }] => {
            assert_eq!(group_id, "g1");
            *id
        }
        other => panic!("{other:?}"),
    };
    // A late duplicate of the first page changes nothing.
    update(
        &mut s,
        Loaded::Members {
            id: first,
            start: 0,
            result: Ok(page(vec![user("zz", "Stale")], false)),
        },
    );
    update(
        &mut s,
        Loaded::Members {
            id: next,
            start: 8,
            result: Ok(page(vec![user("m8", "Member 8")], false)),
        },
    );
    match s.groups.last() {
        Some(GroupView::Members {
            members,
            total,
            next_start,
            ..
        }) => {
            assert_eq!(members.len(), 9);
            assert!(!members.contains(&"zz".to_string()));
            assert_eq!(*total, Some(20));
            assert_eq!(*next_start, None);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn people_learned_from_members_pages_join_the_live_ranking() {
    let mut s = state();
    let gid = groups_id(&open_profile(&mut s, "alice", "Alice"));
    update(
        &mut s,
        Loaded::Groups {
            id: gid,
            account_id: "alice".into(),
            result: Ok(vec![group("g1", "team")]),
        },
    );
    update(&mut s, Intent::FocusPane(Focus::Groups));
    let cmds = update(&mut s, Intent::Open);
    let Some(Command::FetchMembers { id, .. }) = cmds.first() else {
        panic!("{cmds:?}")
    };
    // The query is still "Alice"; a member named Alice Cooper arrives with the page.
    update(
        &mut s,
        Loaded::Members {
            id: *id,
            start: 0,
            result: Ok(page(vec![user("cooper", "Alice Cooper")], false)),
        },
    );
    assert!(
        names(&s).contains(&"Alice Cooper".to_string()),
        "{:?}",
        names(&s)
    );
}

#[test]
fn the_groups_kept_are_bounded_and_the_least_recently_shown_go_first() {
    use crate::app::directory::GROUPS_KEPT;
    let mut s = state();
    let name = |i: usize| format!("Person {i:04}");
    for i in 0..GROUPS_KEPT + 3 {
        let id = format!("p{i}");
        let cmds = open_profile(&mut s, &id, &name(i));
        update(
            &mut s,
            Loaded::Groups {
                id: groups_id(&cmds),
                account_id: id,
                result: Ok(vec![group("g1", "everyone")]),
            },
        );
    }
    assert_eq!(s.groups_cache.len(), GROUPS_KEPT);
    // Dropped: three of the first people shown. Person 0000, the first hit of every query
    // typed on the way ("P", "Pe" …), was shown again each time, so it is kept (least recently
    // used, not first in), and so is everyone shown later.
    let dropped: Vec<usize> = (0..GROUPS_KEPT + 3)
        .filter(|i| s.groups_cache.get(&format!("p{i}")).is_none())
        .collect();
    assert_eq!(dropped.len(), 3, "{dropped:?}");
    assert!(!dropped.contains(&0), "{dropped:?}");
    assert!(dropped.iter().all(|&i| i < 16), "{dropped:?}");
}
