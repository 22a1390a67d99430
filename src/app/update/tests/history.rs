//! History tests: back and forward across the people opened, each with its groups path as it
//! was left; previews (highlighted results) are not visits.

use super::*;
use pretty_assertions::assert_eq;

/// Alice's groups answered with two groups.
fn groups_loaded(s: &mut State, cmds: &[Command], account_id: &str) {
    update(
        s,
        Loaded::Groups {
            id: groups_id(cmds),
            account_id: account_id.into(),
            result: Ok(vec![group("g1", "everyone"), group("g2", "engineering")]),
        },
    );
}

/// What the groups path shows, as short words: `groups:alice`, `members:g2`.
fn path(s: &State) -> Vec<String> {
    s.groups
        .iter()
        .map(|v| match v {
            GroupView::Memberships { account_id, .. } => format!("groups:{account_id}"),
            GroupView::Members { group, .. } => format!("members:{}", group.id),
            GroupView::Compare(c) => format!("compare:{}", c.second.account_id),
        })
        .collect()
}

/// Opens Alice, her second group and its member Bob; then searches Carol and opens her. Back
/// returns to Bob with the whole path, then to Alice with her path as it was left (the members
/// list, its selection kept), and forward comes back.
#[test]
fn back_and_forward_walk_the_people_opened_with_their_paths() {
    let mut s = state();
    let cmds = open_profile(&mut s, "alice", "Alice");
    assert_eq!(s.focus, Focus::Groups, "one Enter reaches the groups");
    groups_loaded(&mut s, &cmds, "alice");
    update(&mut s, Intent::Down);
    let cmds = update(&mut s, Intent::Open);
    let Some(Command::FetchMembers { id, .. }) = cmds.first() else {
        panic!("{cmds:?}")
    };
    update(
        &mut s,
        Loaded::Members {
            id: *id,
            start: 0,
            result: Ok(page(
                vec![user("alice", "Alice"), user("bob", "Bob")],
                false,
            )),
        },
    );
    update(&mut s, Intent::Down);
    update(&mut s, Intent::Open);
    assert_eq!(s.profile_id(), Some("bob"));
    let bob_path = path(&s);
    assert_eq!(bob_path, ["groups:alice", "members:g2", "groups:bob"]);

    update(&mut s, Intent::FocusPane(Focus::Search));
    open_profile(&mut s, "carol", "Carol");
    assert_eq!(s.profile_id(), Some("carol"));
    assert_eq!(path(&s), ["groups:carol"]);

    update(&mut s, Intent::HistoryBack);
    assert_eq!(s.profile_id(), Some("bob"));
    assert_eq!(path(&s), bob_path);

    update(&mut s, Intent::HistoryBack);
    assert_eq!(s.profile_id(), Some("alice"));
    assert_eq!(path(&s), ["groups:alice", "members:g2"]);
    match s.groups.last() {
        Some(GroupView::Members { list, members, .. }) => {
            assert_eq!((list.selected, members.len()), (1, 2), "as it was left");
        }
        other => panic!("{other:?}"),
    }

    let cmds = update(&mut s, Intent::HistoryBack);
    assert_eq!(s.profile_id(), Some("alice"), "nothing before Alice");
    assert!(cmds.is_empty());
    assert!(s.notice.as_deref().unwrap().contains("history"));

    update(&mut s, Intent::HistoryForward);
    assert_eq!(s.profile_id(), Some("bob"));
    update(&mut s, Intent::HistoryForward);
    assert_eq!(s.profile_id(), Some("carol"));
    update(&mut s, Intent::HistoryForward);
    assert_eq!(s.profile_id(), Some("carol"), "nothing after Carol");
}

/// Moving in the results shows (and prefetches) the highlighted person without recording a
/// visit; back returns to the person last opened, with the path drilled into since.
#[test]
fn moving_in_search_keeps_a_way_back_to_the_path() {
    let mut s = state();
    s.directory.upsert(user("dan", "Dana"));
    let cmds = open_profile(&mut s, "alice", "Alice");
    groups_loaded(&mut s, &cmds, "alice");
    let cmds = update(&mut s, Intent::Open);
    assert!(matches!(cmds.first(), Some(Command::FetchMembers { .. })));
    assert_eq!(path(&s), ["groups:alice", "members:g1"]);

    update(&mut s, Intent::FocusPane(Focus::Search));
    update(&mut s, Intent::Cancel);
    type_text(&mut s, "a");
    // Highlight someone else: the profile and path follow the highlight.
    while s.selected_result() == Some("alice") {
        update(&mut s, Intent::Down);
    }
    assert_ne!(s.profile_id(), Some("alice"));
    assert_eq!(path(&s).len(), 1);

    let cmds = update(&mut s, Intent::HistoryBack);
    assert_eq!(s.profile_id(), Some("alice"));
    assert_eq!(path(&s), ["groups:alice", "members:g1"]);
    // The members page that was on its way when the path was left is asked for again.
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Command::FetchMembers { group_id, .. } if group_id == "g1")),
        "{cmds:?}"
    );
    assert_eq!(s.history.visits.len(), 1, "a preview is not a visit");
}

/// The history keeps the newest visits only.
#[test]
fn the_history_is_bounded() {
    let mut s = state();
    for i in 0..crate::app::state::HISTORY_MAX + 10 {
        update(&mut s, Intent::FocusPane(Focus::Search));
        open_profile(&mut s, &format!("p{i}"), &format!("Person {i:03}"));
    }
    assert_eq!(s.history.visits.len(), crate::app::state::HISTORY_MAX);
    assert_eq!(s.history.visits[0].account_id, "p10");
}
