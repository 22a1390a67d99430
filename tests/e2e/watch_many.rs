//! Marking rows of the watch list and toggling them together, on the real binary.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::support::pty::{selected_in, TIMEOUT};
use crate::{leave_search_line, quit_and_check_restored, select_row, Session, WATCH_KEYS};

#[test]
fn marked_rows_are_toggled_together_and_the_status_line_counts_them() {
    let mut s = Session::start();
    assert!(
        !s.watching("MOB") && !s.watching("SRE"),
        "the demo user starts not watching them"
    );
    leave_search_line(&mut s.tui);
    s.tui.send("4");
    s.tui.wait_for(WATCH_KEYS);
    select_row(&mut s.tui, r"^. MOB Mobile$", 40);
    s.tui
        .wait_until("MOB shown as not watched", TIMEOUT, |screen| {
            selected_in(screen) == ["○ MOB Mobile"]
        });
    // Space marks the row (a `*` before it, colour or not) and moves down.
    s.tui.send(" ");
    s.tui.wait_for(r"1 marked");
    s.tui.wait_for(r"\*○ MOB Mobile");
    select_row(&mut s.tui, r"^. SRE Site Reliability$", 40);
    s.tui
        .wait_until("SRE shown as not watched", TIMEOUT, |screen| {
            selected_in(screen) == ["○ SRE Site Reliability"]
        });
    s.tui.send("v");
    s.tui.wait_for(r"2 marked");
    // `w` toggles both; each is confirmed by the server, and the count says so.
    s.tui.send("w");
    let screen = s.tui.wait_for(r"2 of 2 now watched");
    assert!(screen.contains("● MOB Mobile"), "{screen}");
    assert!(
        !screen.contains("marked"),
        "confirmed rows are unmarked: {screen}"
    );
    assert!(
        s.watching("MOB") && s.watching("SRE"),
        "the server did not follow"
    );
    quit_and_check_restored(&mut s.tui, "q");
}

/// An administrator makes every member of a group watch a space from the member list: `W`
/// shows each member's status and the count, `+` the plan, `y` writes, and the report says
/// what changed.
#[test]
fn an_administrator_makes_a_whole_group_watch_a_space() {
    use crate::support::demo::Demo;
    use crate::support::pty::{Spawn, Tui};
    use confdir::api::WatchTarget;
    use confdir::demo::{DEMO_ADMIN_TOKEN, DEMO_EMAIL};
    let demo = Demo::start();
    let group = demo
        .server()
        .directory()
        .groups
        .iter()
        .find(|g| g.name == "team-helpdesk")
        .unwrap()
        .clone();
    let ids: Vec<String> = group
        .members
        .iter()
        .map(|&i| {
            demo.server().directory().users[i as usize]
                .account_id
                .clone()
        })
        .collect();
    assert!(!ids.is_empty());
    let target = WatchTarget::Space("IT".into());
    let admin = demo.client(true);
    let watching = |demo: &Demo| {
        demo.block_on(async {
            let mut n = 0;
            for id in &ids {
                n += usize::from(admin.watch_status(&target, Some(id)).await.unwrap());
            }
            n
        })
    };
    let before = watching(&demo);
    let base = demo.base_url();
    let mut tui = Tui::spawn_with(Spawn {
        args: &["--base-url", &base],
        env: &[
            ("CONFLUENCE_BASE_URL", base.as_str()),
            ("CONFLUENCE_EMAIL", DEMO_EMAIL),
            ("CONFLUENCE_API_TOKEN", DEMO_ADMIN_TOKEN),
        ],
        ..Spawn::default()
    });
    tui.wait_for(r"confdir · 127\.0\.0\.1:\d+ · Grace Hopper");
    tui.wait_for(r"team-helpdesk");
    leave_search_line(&mut tui);
    tui.send("4");
    tui.wait_for(WATCH_KEYS);
    select_row(&mut tui, r"^. IT IT Help$", 40);
    tui.send(":");
    tui.type_text("group team-helpdesk");
    tui.send(crate::support::pty::key::ENTER);
    tui.wait_for(r"Members · ");
    tui.send("W");
    tui.wait_for(&format!(r"{before} of {} watch space IT", ids.len()));
    tui.wait_for(&format!(r"{before}/{} ● IT", ids.len()));
    tui.send("+");
    tui.wait_for(&format!(
        r"{before} already watching space IT, {} to add\. Add {} watches\? y / n",
        ids.len() - before,
        ids.len() - before
    ));
    tui.send("y");
    tui.wait_for(&format!(
        r"team-helpdesk: {} changed, {before} already watching, 0 failed",
        ids.len() - before
    ));
    tui.wait_for(&format!(r"{0}/{0} ● IT", ids.len()));
    assert_eq!(watching(&demo), ids.len(), "the server did not follow");
    quit_and_check_restored(&mut tui, "q");
}
