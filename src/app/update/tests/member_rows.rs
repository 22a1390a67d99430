//! A sorted or filtered members list is kept between frames (a group of 150,000 costs more to
//! sort than a frame), and follows what it comes from: a name the site changes, a list loaded
//! again, another filter.

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
