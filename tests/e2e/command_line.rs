//! The `:` command line: Tab completes a space key from the spaces loaded, Enter jumps to it in
//! the watch list, `:group NAME` opens a group never seen by asking the site, and `:q` quits.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::support::pty::{key, selected_in, TIMEOUT};
use crate::{leave_search_line, quit_and_check_restored, row_key, Session};

#[test]
fn colon_space_completes_a_key_and_jumps_to_it_then_colon_q_quits() {
    let mut s = Session::start();
    leave_search_line(&mut s.tui);
    s.tui.send(":");
    s.tui.type_text("space MO");
    // The candidates show as soon as the spaces are loaded.
    s.tui.wait_for(r":space MO\s+Tab: .*MOB");
    s.tui.send(key::TAB);
    s.tui.wait_for(r":space MOB");
    s.tui.send(key::ENTER);
    s.tui
        .wait_until("MOB highlighted in the watch list", TIMEOUT, |screen| {
            selected_in(screen)
                .iter()
                .any(|row| row_key(row) == "MOB Mobile")
        });
    s.tui.send(":");
    s.tui.type_text("q");
    // `quit_and_check_restored` sends the last key and checks the terminal is given back.
    quit_and_check_restored(&mut s.tui, key::ENTER);
}

#[test]
fn colon_group_opens_a_group_never_seen_by_asking_the_site() {
    let mut s = Session::start();
    leave_search_line(&mut s.tui);
    // Nobody shown so far is in it: the site's group picker finds it.
    s.tui.send(":");
    s.tui.type_text("group project-150");
    s.tui.send(key::ENTER);
    s.tui.wait_for(r"3 Members · \d+ of \d+");
    s.tui.wait_for(r"project-150");
    // A name the site does not have says so.
    s.tui.send(":");
    s.tui.type_text("group no-such-group-here");
    s.tui.send(key::ENTER);
    s.tui
        .wait_for(r"No group on the site matches no-such-group-here");
    s.tui.send(":");
    s.tui.type_text("q");
    quit_and_check_restored(&mut s.tui, key::ENTER);
}
