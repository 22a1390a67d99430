//! A sorted or filtered members list is kept between frames (a group of 150,000 costs more to
//! sort than a frame), and follows what it comes from: a name the site changes, a list loaded
//! again, another filter. `r` loads a members list again.

use super::lists::{members, shown_members};
use super::*;
use pretty_assertions::assert_eq;

#[test]
fn sorted_members_follow_a_renamed_person_a_reloaded_list_and_the_filter() {
    let mut s = state();
    members(&mut s);
    update(&mut s, Intent::FocusPane(Focus::Groups));
    update(&mut s, Intent::CycleSort);
    assert_eq!(shown_members(&s), vec!["bob", "bot", "emile", "zoe"]);
    // Asked again with nothing changed: the same rows.
    assert_eq!(shown_members(&s), vec!["bob", "bot", "emile", "zoe"]);
    // The site shows Zoe under another name: she sorts first now.
    s.directory.upsert(user("zoe", "Abby Guest"));
    assert_eq!(shown_members(&s), vec!["zoe", "bob", "bot", "emile"]);
    // The group opened again holds other people in the same number.
    update(&mut s, Intent::Back);
    let cmds = update(&mut s, Intent::Open);
    let id = cmds
        .iter()
        .find_map(|c| match c {
            Command::FetchMembers { id, .. } => Some(*id),
            _ => None,
        })
        .expect("the members asked for again");
    let others = ["yan", "xia", "wim", "val"].map(|id| user(id, &format!("{id} Person")));
    let mut again = page(others.to_vec(), true);
    again.total_size = Some(4);
    update(
        &mut s,
        Loaded::Members {
            id,
            start: 0,
            result: Ok(again),
        },
    );
    assert_eq!(shown_members(&s), vec!["val", "wim", "xia", "yan"]);
    // A filter keeps its matches, in the same order.
    update(&mut s, Intent::Filter);
    type_text(&mut s, "xia");
    assert_eq!(shown_members(&s), vec!["xia"]);
}

#[test]
fn r_on_a_members_list_loads_its_first_page_again_and_it_replaces_the_list() {
    let mut s = state();
    members(&mut s);
    update(&mut s, Intent::Bottom);
    let cmds = update(&mut s, Intent::Refresh);
    assert_eq!(cmds.len(), 1, "{cmds:?}");
    assert!(
        matches!(&cmds[0], Command::FetchMembers { group_id, .. } if group_id == "g2"),
        "{cmds:?}"
    );
    let (id, start) = members_page(&cmds);
    assert_eq!(start, 0);
    // Until the page comes, the list shown stays.
    assert_eq!(shown_members(&s).len(), 4);
    let mut page = page(vec![user("bob", "bob Stone"), user("yan", "Yan Li")], false);
    page.total_size = Some(2);
    update(
        &mut s,
        Loaded::Members {
            id,
            start: 0,
            result: Ok(page),
        },
    );
    // Still the members list (not the person's groups), now the site's members, sorted as
    // the server sent them, and the selection on a row that exists.
    assert_eq!(
        shown_members(&s),
        vec!["bob".to_string(), "yan".to_string()]
    );
    let Some(GroupView::Members { list, total, .. }) = s.groups.last() else {
        panic!("not a members list");
    };
    assert_eq!(*total, Some(2));
    assert!(list.selected < 2, "{}", list.selected);
}
