//! Ctrl-Z: the UI gives the terminal back to the shell and stops; `fg` brings it back, drawn
//! again, in raw mode on the alternate screen.
//!
//! The program runs under a POSIX shell with job control (`set -m`), as it would under a user's
//! shell: a stopped job hands the terminal back to the shell, which says so and then continues
//! the job in the foreground with `fg`. Without a shell in its session the system would drop the
//! stop signal (an orphaned process group), so the shell is what makes the stop observable.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::leave_search_line;
use crate::support::home::BIN;
use crate::support::pty::{Spawn, Tui, TIMEOUT};
use std::time::Duration;

/// The shell's script: run confdir, say how it stopped, wait for Enter, bring it back with `fg`,
/// then say how it ended.
const SCRIPT: &str = r#"set -m
"$CONFDIR" --demo
echo "[stopped with status $?]"
read line
fg >/dev/null
echo "[ended with status $?]"
"#;

#[test]
fn ctrl_z_stops_the_ui_and_fg_brings_it_back_drawn_again() {
    let mut tui = Tui::spawn_with(Spawn {
        program: Some("/bin/sh"),
        args: &["-c", SCRIPT],
        env: &[("CONFDIR", BIN)],
        whole_frames: false,
        ..Spawn::default()
    });
    tui.wait_for(r"confdir · demo directory · 127\.0\.0\.1:\d+ · Ada Lovelace");
    leave_search_line(&mut tui);
    tui.send("\x1a");
    // Stopped (128 + SIGTSTP), and the shell has the terminal: cooked, the main screen.
    tui.wait_for(r"\[stopped with status 148\]");
    assert!(!tui.alternate_screen(), "{}", tui.screen());
    tui.wait_modes("cooked after the stop", |m| m.contains("ICANON"));
    // `fg`: the UI takes the terminal again and draws every pane, not only what changed.
    tui.send("\r");
    // The alternate screen starts blank: every pane on it was drawn after `fg`. (Frames are
    // read as they arrive, so this waits for the last pane of the frame.)
    tui.wait_until("every pane drawn again", TIMEOUT, |screen| {
        let text = screen.contents();
        screen.alternate_screen()
            && text.contains("demo directory")
            && text.contains("1 Search")
            && text.contains("2 Profile")
            && text.contains("3 Groups")
            && text.contains("4 Watch list")
    });
    tui.wait_modes("raw after fg", |m| !m.contains("ICANON"));
    tui.send("q");
    tui.wait_for(r"\[ended with status 0\]");
    let status = tui.wait_exit(Duration::from_secs(5));
    assert!(status.success(), "{status:?}");
}
