//! The watch list: a pinned label toggled on the server and kept across restarts, and a watch
//! that cannot be saved rolled back.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::support::home::Home;
use crate::support::pty::{key, selected_in, TIMEOUT};
use crate::{
    leave_search_line, open_tui, quit_and_check_restored, select_row, Session, WATCH_KEYS,
};
use confdir::api::WatchTarget;

#[test]
fn a_pinned_label_shows_its_status_toggles_on_the_server_and_is_there_after_a_restart() {
    let home = Home::new();
    let mut s = Session::start_in(Some(home.path()));
    let label = WatchTarget::Label("release-notes".into());
    let before = s.watches(&label);
    let (was, now) = if before {
        ("●", "○")
    } else {
        ("○", "●")
    };
    leave_search_line(&mut s.tui);
    s.tui.send("4");
    s.tui.wait_for(WATCH_KEYS);
    s.tui.send("p");
    s.tui.wait_for(r"pin \(label:NAME or page:ID\):");
    s.tui.type_text("label:release-notes");
    s.tui.send(key::ENTER);
    // The new pin shows the server's status, highlighted so one key toggles it.
    s.tui.wait_for(&format!(r"{was} label release-notes"));
    assert_eq!(s.tui.wait_selected(), format!("{was} label release-notes"));
    s.tui.send("w");
    // The notice comes with the server's answer; until then the new mark says "saving…".
    let done = if before {
        "Stopped watching"
    } else {
        "Watching"
    };
    let screen = s.tui.wait_for(&format!(r"{done} label release-notes"));
    assert!(
        screen.contains(&format!("{now} label release-notes")),
        "{screen}"
    );
    assert!(!screen.contains("saving…"), "{screen}");
    assert_eq!(s.watches(&label), !before, "the server did not follow");
    quit_and_check_restored(&mut s.tui, "q");

    // The next start (same home, same site) lists the pin again, with the new status.
    let base = s.demo.base_url();
    let mut again = open_tui(&base, Some(home.path()));
    leave_search_line(&mut again);
    again.send("4");
    again.wait_for(WATCH_KEYS);
    again.wait_until("the pin highlighted", TIMEOUT, |screen| {
        selected_in(screen) == [format!("{now} label release-notes")]
    });
    quit_and_check_restored(&mut again, "q");
}

#[test]
fn a_watch_that_cannot_be_saved_is_rolled_back_with_an_error_and_the_ui_stays_usable() {
    let mut s = Session::start();
    assert!(!s.watching("MOB"), "the demo user starts not watching MOB");
    leave_search_line(&mut s.tui);
    s.tui.send("4");
    s.tui.wait_for(WATCH_KEYS);
    select_row(&mut s.tui, r"^. MOB Mobile$", 40);
    // Nothing else in flight ("live" in the title) before the server goes, or a profile or
    // groups load failing later would be the last error on the message line instead.
    let idle = regex::Regex::new(r"Ada Lovelace\s+live").expect("a valid pattern");
    s.tui.wait_until(
        "MOB shown as not watched, nothing in flight",
        TIMEOUT,
        |screen| selected_in(screen) == ["○ MOB Mobile"] && idle.is_match(&screen.contents()),
    );
    // The server goes away; a new watch (a POST, never retried) fails at once.
    s.demo.stop();
    s.tui.send("w");
    let screen = s.tui.wait_for(r"Could not watch space MOB");
    assert!(screen.contains("x dismiss"), "{screen}");
    // The optimistic mark is taken back.
    s.tui
        .wait_until("MOB back to not watched", TIMEOUT, |screen| {
            selected_in(screen) == ["○ MOB Mobile"]
        });
    // Still responsive: the error can be dismissed, the help opens and closes, q quits cleanly.
    s.tui.send("x");
    s.tui.wait_gone(r"Could not watch space MOB");
    s.tui.send("?");
    s.tui.wait_for(r"Keys · Watch list");
    s.tui.send(key::ESC);
    s.tui.wait_gone(r"Keys · Watch list");
    quit_and_check_restored(&mut s.tui, "q");
}
