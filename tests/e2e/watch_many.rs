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
