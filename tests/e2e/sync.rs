//! `:sync`: the whole directory synced in the background from the UI, the people it found
//! known to the search pane, and the end said on the message line.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::support::pty::key;
use crate::{leave_search_line, quit_and_check_restored, Session};

#[test]
fn colon_sync_makes_everyone_known_and_says_when_it_is_done() {
    let mut s = Session::start();
    leave_search_line(&mut s.tui);
    s.tui.send(":");
    s.tui.type_text("sync");
    s.tui.send(key::ENTER);
    // The demo directory has 1,500 people: all of them end up known to the search pane.
    s.tui.wait_for(r"Directory synced: 1,500 people");
    s.tui.wait_for(r"1,5\d\d known");
    s.tui.send(":");
    s.tui.type_text("q");
    quit_and_check_restored(&mut s.tui, key::ENTER);
}
