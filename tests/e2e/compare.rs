//! Comparing two colleagues in the terminal: mark one person (`m`), open another through a
//! shared group's members, `c` shows the three counts of their groups (hundreds each, every page
//! read), Enter opens a group's members and Esc comes back to the comparison.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::support::pty::{key, selected_in, TIMEOUT};
use crate::{quit_and_check_restored, select_row, Session, GROUPS_KEYS};
use confdir::api::Paging;
use regex::escape;
use std::collections::BTreeSet;

#[test]
fn mark_one_open_another_and_read_the_three_counts() {
    let mut s = Session::start();
    // A wide terminal, so the counts fit in the Groups pane's title.
    s.tui.resize(200, 40);

    // The seeded pair in hundreds of groups, and what the server says each is in.
    let dir = s.demo.server().directory();
    let people: Vec<(String, String)> = dir
        .project_people()
        .iter()
        .map(|p| (p.account_id.clone(), p.display_name.clone()))
        .collect();
    let (first_id, first) = people[0].clone();
    let (second_id, second) = people[1].clone();
    let groups_of = |id: &str| -> BTreeSet<String> {
        s.demo
            .block_on(s.client.group_memberships(id, Paging::first(200)).all())
            .expect("the groups")
            .into_iter()
            .map(|g| g.id)
            .collect()
    };
    let (a, b) = (groups_of(&first_id), groups_of(&second_id));
    assert!(a.len() > 200, "more than one page: {}", a.len());
    let shared = a.intersection(&b).count();
    let only_a = a.difference(&b).count();
    let only_b = b.difference(&a).count();
    let short = |n: &str| n.split_whitespace().next().unwrap().to_string();

    // Open the first person and mark them from their groups.
    s.tui.type_text(&first);
    s.tui
        .wait_until("the first person highlighted", TIMEOUT, |screen| {
            selected_in(screen) == [first.clone()]
        });
    s.tui.send(key::ENTER);
    s.tui.wait_for(GROUPS_KEYS);
    s.tui.wait_for(&format!(r"3 Groups · {}\b", a.len()));
    s.tui.send("m");
    s.tui.wait_for(&format!("marked: {}", escape(&first)));

    // Open the second through a project group both are in: its members, then them.
    s.tui.send("/");
    s.tui.type_text("project-150");
    s.tui.send(key::ENTER);
    s.tui.wait_for(r"3 Groups · \d+ · /project-150 1");
    s.tui.send(key::ENTER);
    s.tui.wait_for(r"3 Members · 2\b");
    select_row(&mut s.tui, &format!("^{}$", escape(&second)), 2);
    s.tui.send(key::ENTER);
    s.tui
        .wait_for(&format!(r"account\s+{}", escape(&second_id)));

    // `c`: the comparison, with the three counts.
    s.tui.send("c");
    let counts = format!(
        "shared {shared} · only {} {only_a} · only {} {only_b}",
        short(&first),
        short(&second)
    );
    let screen = s.tui.wait_for(&escape(&counts));
    assert!(
        screen.contains(&format!("{first} ⇄ {second}")),
        "the path line names both:\n{screen}"
    );
    // The marked person is still marked in the title bar.
    assert!(screen.contains(&format!("marked: {first}")), "{screen}");

    // Enter on the highlighted group (the first shared one) opens its members; Esc comes back.
    let group = s.tui.wait_selected();
    assert!(group.ends_with("both"), "a shared group first: {group:?}");
    s.tui.send(key::ENTER);
    s.tui.wait_for(r"3 Members · ");
    s.tui.send(key::ESC);
    s.tui.wait_for(&escape(&counts));
    assert_eq!(s.tui.wait_selected(), group);

    // `c` again: back to the second person's own groups.
    s.tui.send("c");
    s.tui.wait_for(&format!(r"3 Groups · {}\b", b.len()));
    quit_and_check_restored(&mut s.tui, "q");
}
