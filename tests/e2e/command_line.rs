//! The `:` command line: Tab completes a space key from the spaces loaded, Enter jumps to it in
//! the watch list, and `:q` quits.
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
