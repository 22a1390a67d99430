//! End-to-end tests: the real `confdir` binary in a pseudo-terminal, against the demo server.
//!
//! Each test starts its own demo server (in this process, so it can also ask the server over HTTP
//! what the UI changed) or runs `confdir --demo`, in its own temporary home, and reads the screen
//! as a terminal emulator would draw it. They check what a person at the keyboard would notice:
//! the text on screen, which row is highlighted, what the server now says, and that the terminal is
//! usable again after the program quits.
//!
//! Unix only: they use a Unix pseudo-terminal, its terminal modes and signals.
//!
//! One file per area; this file holds what they share: a demo server with the UI on it
//! ([`Session`]), quitting and checking the terminal is restored, and moving the highlight. It
//! must not hold tests.

// Tests unwrap: a panic is a failed test that says where (the crate denies it elsewhere).
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(unix)]

#[path = "../support/mod.rs"]
mod support;

mod browse;
mod cloud;
mod command_line;
mod compare;
mod export;
mod lifecycle;
mod pinned_page;
mod properties;
mod search;
mod secrets;
mod signin;
mod suspend;
mod sync;
mod watch;
mod watch_many;

use confdir::api::{Client, WatchTarget};
use confdir::demo::{DemoOptions, DEMO_EMAIL, DEMO_TOKEN};
use std::path::Path;
use std::time::Duration;
use support::demo::Demo;
use support::pty::{
    key, rfind, selected_in, Spawn, Tui, ALT_SCREEN_OFF, ALT_SCREEN_ON, CURSOR_HIDE, CURSOR_SHOW,
    TIMEOUT,
};

/// The footer while the groups pane has the focus.
const GROUPS_KEYS: &str = r"Enter members / open member  Esc back";

/// The footer while the watch list has the focus.
const WATCH_KEYS: &str = r"w toggle watch  p pin label/page";

/// A demo server in this process, and `confdir` pointed at it with the ordinary user's
/// credentials, on a runtime that keeps serving while the test thread waits on the terminal.
struct Session {
    demo: Demo,
    client: Client,
    tui: Tui,
}

impl Session {
    fn start() -> Session {
        Session::start_in(None)
    }

    /// Starts the server and the UI; `home` as in [`Spawn::home`].
    fn start_in(home: Option<&Path>) -> Session {
        Session::start_with(DemoOptions::default(), home)
    }

    /// Starts a server with `options`, and the UI.
    fn start_with(options: DemoOptions, home: Option<&Path>) -> Session {
        let demo = Demo::start_with(options);
        let client = demo.client(false);
        let tui = open_tui(&demo.base_url(), home);
        Session { demo, client, tui }
    }

    fn watching(&self, space: &str) -> bool {
        self.watches(&WatchTarget::Space(space.to_string()))
    }

    fn watches(&self, target: &WatchTarget) -> bool {
        self.demo
            .block_on(self.client.watch_status(target, None))
            .expect("the server answers a watch status")
    }
}

/// Starts `confdir` on the server at `base` as the ordinary demo user and waits until it is
/// signed in.
fn open_tui(base: &str, home: Option<&Path>) -> Tui {
    // The variable as well as the flag: `--base-url` alone is not enough yet (see
    // `the_base_url_flag_alone_is_enough`).
    let tui = Tui::spawn_with(Spawn {
        args: &["--base-url", base],
        env: &[
            ("CONFLUENCE_BASE_URL", base),
            ("CONFLUENCE_EMAIL", DEMO_EMAIL),
            ("CONFLUENCE_API_TOKEN", DEMO_TOKEN),
        ],
        home,
        ..Spawn::default()
    });
    tui.wait_for(r"confdir · 127\.0\.0\.1:\d+ · Ada Lovelace");
    tui
}

/// Checks that the UI runs in raw mode, quits with `quit_key`, and checks that the terminal was
/// given back (see [`assert_restored`]) with exit status 0 within a few seconds.
fn quit_and_check_restored(tui: &mut Tui, quit_key: &str) {
    assert!(
        !tui.modes().contains("ICANON"),
        "the running UI should have the terminal in raw mode: {}",
        tui.modes()
    );
    tui.send(quit_key);
    let status = tui.wait_exit(Duration::from_secs(5));
    assert!(status.success(), "exit status {status:?}");
    assert_restored(tui);
}

/// The terminal after the program ended: the alternate screen left after the last frame and
/// nothing drawn after that, the cursor visible, and the terminal modes the program found
/// (canonical input, echo, output processing) back in place.
fn assert_restored(tui: &Tui) {
    let out = tui.output();
    let entered = rfind(&out, ALT_SCREEN_ON).expect("the UI used the alternate screen");
    let left = rfind(&out, ALT_SCREEN_OFF).expect("the alternate screen was left");
    assert!(
        left > entered,
        "the alternate screen was left after it was entered"
    );
    // Nothing is drawn after leaving: the last frame came before the restore.
    let after = visible_text(&out[left..]);
    assert!(
        after.trim().is_empty(),
        "text written after the restore: {after:?}"
    );
    // The cursor ends visible: the last visibility change shows it. (While the search line is
    // edited the frames already show it, so the restore need not repeat it.)
    let shown = rfind(&out, CURSOR_SHOW).expect("the cursor was shown");
    let hidden = rfind(&out, CURSOR_HIDE).unwrap_or(0);
    assert!(shown > hidden, "the cursor was left hidden");
    assert!(!tui.alternate_screen(), "still on the alternate screen");
    assert!(!tui.cursor_hidden(), "the cursor is still hidden");
    assert_eq!(
        tui.modes(),
        tui.initial_modes,
        "the terminal modes were not restored"
    );
    assert!(tui.initial_modes.contains("ICANON") && tui.initial_modes.contains("ECHO"));
}

/// Text a terminal would show for these bytes: escape sequences removed.
fn visible_text(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let escapes =
        regex::Regex::new(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")
            .expect("a valid pattern");
    escapes.replace_all(&text, "").into_owned()
}

/// Presses Down in the focused pane until the highlighted row matches `wanted` (a regex), at most
/// `max` times; returns the highlighted row.
fn select_row(tui: &mut Tui, wanted: &str, max: usize) -> String {
    let re = regex::Regex::new(wanted).expect("a valid pattern");
    for _ in 0..=max {
        let selected = tui.wait_selected();
        if re.is_match(&selected) {
            return selected;
        }
        move_down(tui);
    }
    panic!(
        "no row matching /{wanted}/ got highlighted; the screen was:\n{}",
        tui.screen()
    );
}

/// The search box's footer: while it shows, every printable key is text.
const SEARCH_KEYS: &str = r"Enter open  Esc clear the query";

/// Alt and a pane number (`ESC` then the digit, as xterm sends Alt), which leaves the Search
/// pane, where digits are text.
fn alt(digit: char) -> String {
    format!("\x1b{digit}")
}

/// Leaves the Search pane (where every printable key is text) for the profile with Alt-2, and
/// waits until the footer shows it, so the next key is a command.
fn leave_search_line(tui: &mut Tui) {
    tui.send(&alt('2'));
    tui.wait_gone(SEARCH_KEYS);
}

/// A row without the watch list's leading status mark (`●`, `○`, a pending mark, `!`, `?`, or a
/// spinner frame): the same row keeps its key while its status loads or changes.
fn row_key(row: &str) -> &str {
    let mut chars = row.chars();
    match (chars.next(), chars.next()) {
        (Some('●' | '○' | '◌' | '◍' | '!' | '?' | '\u{2800}'..='\u{28FF}'), Some(' ')) => {
            chars.as_str()
        }
        _ => row,
    }
}

/// Presses Down and waits for the highlight to move to another row (a status mark that changes
/// on the same row, as a watch status arrives, is not a move); returns the newly highlighted row.
fn move_down(tui: &mut Tui) -> String {
    let before = tui.wait_selected();
    tui.send(key::DOWN);
    let mut now = String::new();
    tui.wait_until(
        &format!("the highlight to leave {before:?}"),
        TIMEOUT,
        |screen| match selected_in(screen).as_slice() {
            [one] if row_key(one) != row_key(&before) => {
                now = one.clone();
                true
            }
            _ => false,
        },
    );
    now
}

/// Row `n` (from 0) of a screen's text.
fn row(screen: &str, n: usize) -> &str {
    screen.lines().nth(n).unwrap_or("")
}
