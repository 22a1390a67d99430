//! Comparing two people: marking (`m`) in the Profile and Groups panes, unmarking, the
//! comparison (`c`) with each side loading on its own, one side failing, Enter on a group and
//! back, the filter, `r`, and stale answers.

use super::*;
use crate::app::compare::Side;
use crate::app::lists::group_rows;
use pretty_assertions::assert_eq;

/// The view on top of the groups path, when it is a comparison.
fn comparison(s: &State) -> &crate::app::compare::Comparison {
    match s.groups.last() {
        Some(GroupView::Compare(c)) => c,
        other => panic!("not a comparison: {other:?}"),
    }
}

/// The comparison requests among `cmds`: (id, side, account id).
fn compare_fetches(cmds: &[Command]) -> Vec<(RequestId, Side, String)> {
    cmds.iter()
        .filter_map(|c| match c {
            Command::FetchCompareGroups {
                id,
                side,
                account_id,
            } => Some((*id, *side, account_id.clone())),
            _ => None,
        })
        .collect()
}

/// Opens `id` and answers their groups.
fn open_with_groups(s: &mut State, id: &str, name: &str, groups: Vec<Group>) {
    let cmds = open_profile(s, id, name);
    let gid = groups_id(&cmds);
    update(
        s,
        Loaded::Groups {
            id: gid,
            account_id: id.into(),
            result: Ok(groups),
        },
    );
}

fn ada_groups() -> Vec<Group> {
    vec![
        group("g1", "confluence-users"),
        group("g2", "engineering"),
        group("g3", "guild-rust"),
    ]
}

fn bob_groups() -> Vec<Group> {
    vec![
        group("g4", "Design"),
        group("g1", "confluence-users"),
        group("g5", "beta-testers"),
        group("g6", "sales"),
    ]
}

/// Ada marked (her groups known), then Bob opened (his groups not answered yet).
fn marked_ada_then_bob(s: &mut State) -> Vec<Command> {
    open_with_groups(s, "ada", "Ada Lovelace", ada_groups());
    update(s, Intent::FocusPane(Focus::Profile));
    update(s, Intent::Mark);
    let cmds = open_profile(s, "bob", "Bob Smith");
    update(s, Intent::FocusPane(Focus::Groups));
    cmds
}

#[test]
fn m_marks_the_profile_and_again_unmarks() {
    let mut s = state();
    update(&mut s, Intent::FocusPane(Focus::Profile));
    update(&mut s, Intent::Mark);
    assert_eq!(s.mark, None, "nobody to mark yet");
    assert!(s.notice.as_deref().unwrap().contains("open a person"));

    open_profile(&mut s, "ada", "Ada Lovelace");
    update(&mut s, Intent::FocusPane(Focus::Profile));
    update(&mut s, Intent::Mark);
    let mark = s.mark.clone().expect("marked");
    assert_eq!(
        (mark.account_id.as_str(), mark.name.as_str()),
        ("ada", "Ada Lovelace")
    );
    assert!(s.notice.as_deref().unwrap().contains("Marked Ada Lovelace"));
    // The mark outlives opening someone else.
    open_profile(&mut s, "bob", "Bob Smith");
    assert_eq!(s.mark.as_ref().map(|m| m.account_id.as_str()), Some("ada"));
    // `m` on another person moves the mark; on the marked one it unmarks.
    update(&mut s, Intent::FocusPane(Focus::Profile));
    update(&mut s, Intent::Mark);
    assert_eq!(s.mark.as_ref().map(|m| m.account_id.as_str()), Some("bob"));
    update(&mut s, Intent::Mark);
    assert_eq!(s.mark, None);
    assert_eq!(s.notice.as_deref(), Some("Unmarked Bob Smith"));
}

#[test]
fn m_in_a_members_list_marks_the_highlighted_member() {
    let mut s = state();
    open_with_groups(&mut s, "ada", "Ada Lovelace", ada_groups());
    update(&mut s, Intent::FocusPane(Focus::Groups));
    // On a person's groups, `m` marks that person.
    update(&mut s, Intent::Mark);
    assert_eq!(s.mark.as_ref().map(|m| m.account_id.as_str()), Some("ada"));
    let cmds = update(&mut s, Intent::Open);
    let mid = match &cmds[..] {
        [Command::FetchMembers { id, .. }] => *id,
        other => panic!("{other:?}"),
    };
    update(
        &mut s,
        Loaded::Members {
            id: mid,
            start: 0,
            result: Ok(page(
                vec![user("ada", "Ada Lovelace"), user("bob", "Bob Smith")],
                false,
            )),
        },
    );
    update(&mut s, Intent::Down);
    update(&mut s, Intent::Mark);
    assert_eq!(s.mark.as_ref().map(|m| m.name.as_str()), Some("Bob Smith"));
    assert_eq!(s.profile_id(), Some("ada"), "marking opens nobody");
}

#[test]
fn c_compares_the_marked_person_with_the_shown_one_in_three_sections() {
    let mut s = state();
    marked_ada_then_bob(&mut s);
    let cmds = update(&mut s, Intent::Compare);
    // Ada's groups are known: only Bob's are asked for, every page, in the second side's slot.
    let fetches = compare_fetches(&cmds);
    assert_eq!(fetches.len(), 1, "{cmds:?}");
    let (id, side, who) = fetches[0].clone();
    assert_eq!((side, who.as_str()), (Side::Second, "bob"));
    assert_eq!(cmds[0].slot(), Some(crate::app::Slot::CompareSecond));
    let c = comparison(&s);
    assert!(c.first.groups.loaded().is_some());
    assert!(c.second.groups.is_loading());
    assert_eq!(c.diff, None);

    update(
        &mut s,
        Loaded::CompareGroups {
            id,
            side: Side::Second,
            account_id: "bob".into(),
            result: Ok(bob_groups()),
        },
    );
    let c = comparison(&s);
    assert_eq!(
        c.counts().as_deref(),
        Some("shared 1 · only Ada 2 · only Bob 3")
    );
    let names: Vec<&str> = c
        .diff
        .as_ref()
        .unwrap()
        .rows()
        .map(|(_, g)| g.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "confluence-users",
            "engineering",
            "guild-rust",
            "beta-testers",
            "Design",
            "sales"
        ]
    );
    assert_eq!(group_rows(&s).len(), 6);
    // Bob's groups are cached for the next comparison.
    assert!(s.groups_cache.contains("bob"));

    // `c` again: back to Bob's own groups.
    update(&mut s, Intent::Compare);
    assert!(matches!(
        s.groups.last(),
        Some(GroupView::Memberships { account_id, .. }) if account_id == "bob"
    ));
}

#[test]
fn both_sides_load_on_their_own_and_a_failed_side_says_so() {
    let mut s = state();
    // Ada marked before her groups came: nothing is cached for either.
    open_profile(&mut s, "ada", "Ada Lovelace");
    update(&mut s, Intent::FocusPane(Focus::Profile));
    update(&mut s, Intent::Mark);
    open_profile(&mut s, "bob", "Bob Smith");
    update(&mut s, Intent::FocusPane(Focus::Groups));
    let cmds = update(&mut s, Intent::Compare);
    let fetches = compare_fetches(&cmds);
    assert_eq!(fetches.len(), 2, "{cmds:?}");
    let first = fetches.iter().find(|f| f.1 == Side::First).unwrap().0;
    let second = fetches.iter().find(|f| f.1 == Side::Second).unwrap().0;
    assert!(s.pending.contains_key(&crate::app::Slot::CompareFirst));
    assert!(s.pending.contains_key(&crate::app::Slot::CompareSecond));

    // The second side first: the first still loads, so no diff yet.
    update(
        &mut s,
        Loaded::CompareGroups {
            id: second,
            side: Side::Second,
            account_id: "bob".into(),
            result: Ok(bob_groups()),
        },
    );
    let c = comparison(&s);
    assert!(c.first.groups.is_loading());
    assert!(c.second.groups.loaded().is_some());
    assert_eq!(c.diff, None);
    assert!(s.pending.contains_key(&crate::app::Slot::CompareFirst));

    // The first fails: its side shows why, naming whose groups, and the error is logged.
    update(
        &mut s,
        Loaded::CompareGroups {
            id: first,
            side: Side::First,
            account_id: "ada".into(),
            result: Err(ApiError::Server {
                endpoint: "GET /user/memberof".into(),
                status: 503,
                message: "boom".into(),
            }),
        },
    );
    let c = comparison(&s);
    match &c.first.groups {
        Loadable::Failed(message) => {
            assert!(message.starts_with("Ada Lovelace's groups: "), "{message}")
        }
        other => panic!("{other:?}"),
    }
    assert!(c.second.groups.loaded().is_some());
    assert_eq!(c.diff, None);
    assert_eq!(s.errors.len(), 1);
    assert!(!s.groups_cache.contains("ada"));

    // `r` asks both sides again; the old answer to the first is stale and dropped.
    let cmds = update(&mut s, Intent::Refresh);
    assert_eq!(compare_fetches(&cmds).len(), 2, "{cmds:?}");
    update(
        &mut s,
        Loaded::CompareGroups {
            id: second,
            side: Side::Second,
            account_id: "bob".into(),
            result: Ok(vec![]),
        },
    );
    assert!(
        comparison(&s).second.groups.is_loading(),
        "a stale answer is dropped"
    );
}

#[test]
fn enter_opens_a_compared_groups_members_and_back_returns_to_the_comparison() {
    let mut s = state();
    let cmds = marked_ada_then_bob(&mut s);
    // Bob's own groups arrive through the groups pane: the comparison needs no request.
    update(
        &mut s,
        Loaded::Groups {
            id: groups_id(&cmds),
            account_id: "bob".into(),
            result: Ok(bob_groups()),
        },
    );
    let cmds = update(&mut s, Intent::Compare);
    assert!(compare_fetches(&cmds).is_empty(), "{cmds:?}");
    assert!(comparison(&s).diff.is_some());

    // The fourth row is the first of Bob's own: beta-testers.
    for _ in 0..3 {
        update(&mut s, Intent::Down);
    }
    let cmds = update(&mut s, Intent::Open);
    match &cmds[..] {
        [Command::FetchMembers {
            group_id, start: 0, ..
        }] => assert_eq!(group_id, "g5"),
        other => panic!("{other:?}"),
    }
    assert!(
        matches!(s.groups.last(), Some(GroupView::Members { group, .. }) if group.name == "beta-testers")
    );

    update(&mut s, Intent::Back);
    let c = comparison(&s);
    assert_eq!(c.list.selected, 3, "the selection is kept");
    assert_eq!(s.profile_id(), Some("bob"));

    // `c` on the members list opened from it goes back to the same comparison, as `c` on it
    // goes back to Bob's groups: not a second comparison above the first.
    update(&mut s, Intent::Open);
    let depth = s.groups.len();
    let cmds = update(&mut s, Intent::Compare);
    assert!(cmds.is_empty(), "{cmds:?}");
    assert_eq!(s.groups.len(), depth - 1);
    assert_eq!(comparison(&s).list.selected, 3);
    update(&mut s, Intent::Compare);
    assert!(matches!(
        s.groups.last(),
        Some(GroupView::Memberships { .. })
    ));
}

#[test]
fn the_filter_narrows_the_comparison_and_enter_opens_what_is_shown() {
    let mut s = state();
    let cmds = marked_ada_then_bob(&mut s);
    update(
        &mut s,
        Loaded::Groups {
            id: groups_id(&cmds),
            account_id: "bob".into(),
            result: Ok(bob_groups()),
        },
    );
    update(&mut s, Intent::Compare);
    update(&mut s, Intent::Filter);
    assert_eq!(s.mode, Mode::Editing);
    for c in "ES".chars() {
        update(&mut s, Intent::Edit(InputRequest::InsertChar(c)));
    }
    // "es" (folded) matches beta-testers, Design and sales.
    assert_eq!(group_rows(&s).len(), 3);
    update(&mut s, Intent::Submit);
    update(&mut s, Intent::Down);
    let cmds = update(&mut s, Intent::Open);
    match &cmds[..] {
        [Command::FetchMembers { group_id, .. }] => assert_eq!(group_id, "g4"),
        other => panic!("{other:?}"),
    }
    // Back to the comparison, still filtered; Esc clears the filter.
    update(&mut s, Intent::Back);
    assert_eq!(group_rows(&s).len(), 3);
    update(&mut s, Intent::Back);
    assert_eq!(group_rows(&s).len(), 6);
    assert!(matches!(s.groups.last(), Some(GroupView::Compare(_))));
}

#[test]
fn c_without_a_mark_or_on_the_marked_person_only_explains() {
    let mut s = state();
    open_with_groups(&mut s, "ada", "Ada Lovelace", ada_groups());
    update(&mut s, Intent::FocusPane(Focus::Groups));
    let cmds = update(&mut s, Intent::Compare);
    assert!(cmds.is_empty());
    assert!(s
        .notice
        .as_deref()
        .unwrap()
        .contains("Mark a person with m"));
    update(&mut s, Intent::Mark);
    let cmds = update(&mut s, Intent::Compare);
    assert!(cmds.is_empty());
    assert!(s
        .notice
        .as_deref()
        .unwrap()
        .contains("This is the marked person"));
    assert!(matches!(
        s.groups.last(),
        Some(GroupView::Memberships { .. })
    ));
}

#[test]
fn a_comparison_left_loading_is_filled_or_asked_for_again_when_the_history_comes_back() {
    let mut s = state();
    marked_ada_then_bob(&mut s);
    let cmds = update(&mut s, Intent::Compare);
    let (old, _, _) = compare_fetches(&cmds)[0].clone();
    // Carol is opened and compared with Ada before Bob's side answers: Bob's request is
    // superseded in its slot, and its late answer is dropped.
    open_profile(&mut s, "carol", "Carol King");
    update(&mut s, Intent::FocusPane(Focus::Groups));
    let cmds = update(&mut s, Intent::Compare);
    let (carol, _, who) = compare_fetches(&cmds)[0].clone();
    assert_eq!(who, "carol");
    update(
        &mut s,
        Loaded::CompareGroups {
            id: old,
            side: Side::Second,
            account_id: "bob".into(),
            result: Ok(bob_groups()),
        },
    );
    assert!(!s.groups_cache.contains("bob"), "a stale answer is dropped");
    update(
        &mut s,
        Loaded::CompareGroups {
            id: carol,
            side: Side::Second,
            account_id: "carol".into(),
            result: Ok(vec![group("g9", "carols")]),
        },
    );

    // Back to Bob: the comparison is shown again, and his side is asked for anew.
    let cmds = update(&mut s, Intent::HistoryBack);
    assert_eq!(s.profile_id(), Some("bob"));
    let fetches = compare_fetches(&cmds);
    assert_eq!(fetches.len(), 1, "{cmds:?}");
    assert_ne!(fetches[0].0, old);
    let c = comparison(&s);
    assert!(
        c.first.groups.loaded().is_some(),
        "Ada's side comes from the cache"
    );
    assert!(c.second.groups.is_loading_id(fetches[0].0));
    update(
        &mut s,
        Loaded::CompareGroups {
            id: fetches[0].0,
            side: Side::Second,
            account_id: "bob".into(),
            result: Ok(bob_groups()),
        },
    );
    assert!(comparison(&s).diff.is_some());

    // Forward to Carol: her side was answered while away, so it comes from the cache.
    let cmds = update(&mut s, Intent::HistoryForward);
    assert!(compare_fetches(&cmds).is_empty(), "{cmds:?}");
    assert_eq!(
        comparison(&s).counts().as_deref(),
        Some("shared 0 · only Ada 3 · only Carol 1")
    );
}

#[test]
fn x_on_the_comparison_exports_its_three_sections_with_the_side_of_each_group() {
    let mut s = state();
    marked_ada_then_bob(&mut s);
    let cmds = update(&mut s, Intent::Compare);
    let (id, _, _) = compare_fetches(&cmds)[0].clone();
    update(
        &mut s,
        Loaded::CompareGroups {
            id,
            side: Side::Second,
            account_id: "bob".into(),
            result: Ok(bob_groups()),
        },
    );
    // The filter keeps two of the six rows; the export takes what is shown, as `groups diff
    // --csv` would write it.
    update(&mut s, Intent::Filter);
    for c in "us".chars() {
        update(&mut s, Intent::Edit(InputRequest::InsertChar(c)));
    }
    update(&mut s, Intent::Submit);
    assert_eq!(group_rows(&s).len(), 2, "{:?}", group_rows(&s));
    assert!(update(&mut s, Intent::Export).is_empty());
    let cmds = update(&mut s, Intent::Submit);
    let text = match &cmds[..] {
        [Command::WriteExport { text, .. }] => text.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        text,
        "group,groupId,side\nconfluence-users,g1,both\nguild-rust,g3,first\n"
    );
}
