//! Round trips: an Enter starts its requests in the same update (only a highlight moving through
//! rows settles first), and start-up does not ask for you twice.

use super::*;
use pretty_assertions::assert_eq;

/// Whether each profile, property-keys and groups fetch in `cmds` waits the settle: (kind, account,
/// settle) in order.
fn fetches(cmds: &[Command]) -> Vec<(&'static str, String, bool)> {
    cmds.iter()
        .filter_map(|c| match c {
            Command::FetchProfile {
                account_id, settle, ..
            } => Some(("profile", account_id.clone(), *settle)),
            Command::FetchPropertyKeys {
                account_id, settle, ..
            } => Some(("props", account_id.clone(), *settle)),
            Command::FetchGroups {
                account_id, settle, ..
            } => Some(("groups", account_id.clone(), *settle)),
            _ => None,
        })
        .collect()
}

fn all(account: &str, settle: bool) -> Vec<(&'static str, String, bool)> {
    ["profile", "props", "groups"]
        .into_iter()
        .map(|k| (k, account.to_string(), settle))
        .collect()
}

#[test]
fn enter_on_a_member_fetches_at_once_without_the_settle() {
    let mut s = state();
    let cmds = open_profile(&mut s, "alice", "Alice");
    update(
        &mut s,
        Loaded::Groups {
            id: groups_id(&cmds),
            account_id: "alice".into(),
            result: Ok(vec![group("g2", "engineering")]),
        },
    );
    update(&mut s, Intent::FocusPane(Focus::Groups));
    // Enter on a group: its members are asked for in the same update.
    let cmds = update(&mut s, Intent::Open);
    let mid = match &cmds[..] {
        [Command::FetchMembers { id, group_id, .. }] if group_id == "g2" => *id,
        other => panic!("{other:?}"),
    };
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
    assert_eq!(fetches(&cmds), all("bob", false));
}

#[test]
fn a_highlight_settles_but_enter_on_a_result_does_not() {
    let mut s = state();
    s.directory.upsert(user("ada", "Ada Lovelace"));
    s.directory.upsert(user("adam", "Adam Smith"));
    update(&mut s, Intent::StartSearch);
    // Typing highlights the first row: its fetches settle (scrolling must not fire per row).
    let cmds = type_text(&mut s, "ada");
    let first = s.selected_result().unwrap().to_string();
    assert_eq!(fetches(&cmds), all(&first, true));
    let cmds = update(&mut s, Intent::Down);
    let second = s.selected_result().unwrap().to_string();
    assert_ne!(first, second);
    assert_eq!(fetches(&cmds), all(&second, true));
    // Enter on a result whose profile is not the one shown (another was opened meanwhile, e.g.
    // a member from the groups pane) starts its fetches at once.
    s.profile.account_id = Some("bob".into());
    let cmds = update(&mut s, Intent::Submit);
    assert_eq!(s.profile_id(), Some(second.as_str()));
    assert_eq!(fetches(&cmds), all(&second, false));
}

#[test]
fn start_up_asks_for_you_once_and_for_your_groups_at_once() {
    let mut s = state();
    let cmds = init(&mut s);
    let id = cmds
        .iter()
        .find_map(|c| match c {
            Command::FetchMe { id } => Some(*id),
            _ => None,
        })
        .unwrap();
    let mut me = user("me", "Ada Lovelace");
    me.email = Some("ada@example.com".into());
    let cmds = update(
        &mut s,
        Loaded::Me {
            id,
            result: Ok(me.clone()),
        },
    );
    // No second `/user?accountId=me`: the profile is the `/user/current` answer.
    assert_eq!(
        fetches(&cmds),
        vec![
            ("props", "me".into(), false),
            ("groups", "me".into(), false)
        ]
    );
    assert_eq!(s.profile_id(), Some("me"));
    assert!(matches!(&s.profile.user, Loadable::Loaded(u) if *u == me));
    // Your groups come one round trip later.
    let cmds = update(
        &mut s,
        Loaded::Groups {
            id: groups_id(&cmds),
            account_id: "me".into(),
            result: Ok(vec![group("g1", "engineering")]),
        },
    );
    assert!(cmds.is_empty(), "{cmds:?}");
    assert!(matches!(
        s.groups.last(),
        Some(GroupView::Memberships { groups: Loadable::Loaded(g), .. }) if g.len() == 1
    ));
}

#[test]
fn start_up_asks_for_a_hidden_email_of_yours() {
    let mut s = state();
    let cmds = init(&mut s);
    let id = cmds
        .iter()
        .find_map(|c| match c {
            Command::FetchMe { id } => Some(*id),
            _ => None,
        })
        .unwrap();
    let cmds = update(
        &mut s,
        Loaded::Me {
            id,
            result: Ok(user("me", "Ada Lovelace")),
        },
    );
    assert!(cmds
        .iter()
        .any(|c| matches!(c, Command::FetchEmail { account_id, .. } if account_id == "me")));
}
