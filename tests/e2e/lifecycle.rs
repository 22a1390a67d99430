//! Starting, quitting and the terminal: signed in at start, quit by key or by any signal that
//! would end the process, with the terminal restored; a huge paste that leaves the UI answering;
//! sizes below the minimum and very wide, and a tour of every pane at 80x24.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::support::demo::Demo;
use crate::support::pty::{key, Spawn, Tui, TIMEOUT};
use crate::{assert_restored, leave_search_line, quit_and_check_restored};
use confdir::demo::{DEMO_ACCOUNT_ID, DEMO_EMAIL, DEMO_TOKEN};
use std::time::Duration;

#[test]
fn demo_starts_signed_in_as_the_demo_user_and_quits_cleanly() {
    let mut tui = Tui::spawn(&["--demo"], &[]);
    let screen = tui.wait_for(r"confdir · demo directory · 127\.0\.0\.1:\d+ · Ada Lovelace");
    assert!(screen.contains("Search"), "{screen}");
    // The profile pane opens on you.
    tui.wait_for(&format!(r"account\s+{DEMO_ACCOUNT_ID}"));
    // The search line starts in editing mode, where `q` is text: leave it first.
    leave_search_line(&mut tui);
    quit_and_check_restored(&mut tui, "q");
}

#[test]
fn ctrl_c_quits_from_the_search_line_and_restores_the_terminal() {
    let mut tui = Tui::spawn(&["--demo"], &[]);
    tui.wait_for(r"Ada Lovelace\s+live");
    // Typing goes to the search line; Ctrl-C still quits (it arrives as a key in raw mode).
    tui.type_text("gr");
    tui.wait_for(r"> gr");
    quit_and_check_restored(&mut tui, key::CTRL_C);
}

#[test]
fn sigterm_quits_and_restores_the_terminal() {
    let mut tui = Tui::spawn(&["--demo"], &[]);
    tui.wait_for(r"Ada Lovelace\s+live");
    assert!(tui.alternate_screen());
    tui.signal("TERM");
    let status = tui.wait_exit(Duration::from_secs(5));
    assert!(status.success(), "exit status {status:?}");
    assert_restored(&tui);
}

#[test]
fn a_terminal_below_80x24_says_too_small_and_recovers_when_enlarged() {
    let mut tui = Tui::spawn(&["--demo"], &[]);
    tui.wait_for(r"Ada Lovelace\s+live");
    tui.resize(70, 20);
    let screen = tui.wait_for(r"Terminal too small");
    assert!(screen.contains("70×20"), "{screen}");
    assert!(!screen.contains("1 Search"), "{screen}");
    tui.resize(100, 30);
    let screen = tui.wait_for(r"1 Search");
    assert!(!screen.contains("Terminal too small"), "{screen}");
    assert!(screen.contains("Ada Lovelace"), "{screen}");
    leave_search_line(&mut tui);
    quit_and_check_restored(&mut tui, "q");
}

#[test]
fn a_terminal_2048_columns_wide_is_laid_out() {
    let mut tui = Tui::spawn(&["--demo"], &[]);
    tui.wait_for(r"Ada Lovelace\s+live");
    tui.resize(2048, 40);
    // The title bar is redrawn at the new width: its right end moves out to column 2048.
    tui.wait_for(r"Ada Lovelace {1000,}live");
    quit_and_check_restored(&mut tui, key::CTRL_C);
}

#[test]
fn a_tour_of_every_pane_at_the_minimum_size_keeps_drawing_and_quits_cleanly() {
    // 80x24 is the smallest size the UI lays out; every pane and overlay must fit it.
    let mut tui = Tui::spawn_with(Spawn {
        args: &["--demo"],
        cols: 80,
        rows: 24,
        ..Spawn::default()
    });
    tui.wait_for(r"Ada Lovelace\s+live");
    tui.type_text("an");
    // Every pane, with the keys that move, open, go back and show overlays. No `o` (it would
    // start a browser), no `q`. Escape goes as `ESC_ALONE`: some of these change nothing a test
    // could wait for, and a lone Escape read together with the next key would be Alt plus it.
    // The tour starts in the search box, where letters are text: arrows move there.
    let tour = [
        key::DOWN,
        key::DOWN,
        key::PAGE_DOWN,
        key::PAGE_UP,
        key::ENTER,
        "?",
        "k",
        key::ESC_ALONE,
        "E",
        key::ESC_ALONE,
        key::TAB,
        "j",
        key::ENTER,
        key::ESC_ALONE,
        "G",
        key::TAB,
        "G",
        key::ENTER,
        "j",
        key::ENTER,
        key::BACKSPACE,
        key::BACKSPACE,
        key::TAB,
        "G",
        key::PAGE_DOWN,
        "a",
        "a",
        "g",
        key::BACK_TAB,
        key::BACK_TAB,
        "y",
        "?",
        key::ESC_ALONE,
        "x",
    ];
    for keys in tour {
        tui.send(keys);
        // A person's pace, so frames are drawn between keys; nothing waits on it.
        std::thread::sleep(Duration::from_millis(40));
    }
    // Still alive and drawing: once the last keys have closed the help, every pane is there.
    let panes = ["1 Search", "2 Profile", "3 ", "4 Watch list"];
    let screen = tui.wait_until("every pane, the help closed", TIMEOUT, |screen| {
        let text = screen.contents();
        panes.iter().all(|pane| text.contains(pane)) && !text.contains("Keys ·")
    });
    for pane in panes {
        assert!(screen.contains(pane), "{pane} missing:\n{screen}");
    }
    assert!(!screen.contains("Terminal too small"), "{screen}");
    quit_and_check_restored(&mut tui, key::CTRL_C);
}

#[test]
fn the_base_url_flag_alone_is_enough() {
    let mut demo = Demo::start();
    let base = demo.base_url();
    let mut tui = Tui::spawn(
        &["--base-url", &base],
        &[
            ("CONFLUENCE_EMAIL", DEMO_EMAIL),
            ("CONFLUENCE_API_TOKEN", DEMO_TOKEN),
        ],
    );
    tui.wait_for(r"confdir · 127\.0\.0\.1:\d+ · Ada Lovelace");
    leave_search_line(&mut tui);
    quit_and_check_restored(&mut tui, "q");
    demo.stop();
}

/// Sends the signal `name` (as `kill -s` spells it) to the running UI, and checks that it quits
/// with exit status 0 and the terminal restored.
fn quits_on_signal_and_restores_the_terminal(name: &str) {
    let mut tui = Tui::spawn(&["--demo"], &[]);
    tui.wait_for(r"Ada Lovelace\s+live");
    assert!(tui.alternate_screen());
    tui.signal(name);
    let status = tui.wait_exit(Duration::from_secs(5));
    assert!(status.success(), "SIG{name}: exit status {status:?}");
    assert_restored(&tui);
}

#[test]
fn sigquit_quits_and_restores_the_terminal() {
    quits_on_signal_and_restores_the_terminal("QUIT");
}

#[test]
fn sigusr1_quits_and_restores_the_terminal() {
    quits_on_signal_and_restores_the_terminal("USR1");
}

#[test]
fn sigusr2_and_sigalrm_quit_and_restore_the_terminal() {
    quits_on_signal_and_restores_the_terminal("USR2");
    quits_on_signal_and_restores_the_terminal("ALRM");
}

#[test]
fn a_64_kb_paste_is_cut_with_a_note_and_ctrl_c_still_quits() {
    let mut tui = Tui::spawn(&["--demo"], &[]);
    tui.wait_for(r"Ada Lovelace\s+live");
    // 64 KB of names, one a line, sent as a terminal sends a paste (bracketed) into the search
    // line, which is active at start.
    let line = "Grace Hopper\r\nAda Lovelace\n";
    let names = line.repeat(64 * 1024 / line.len() + 1);
    assert!(names.len() >= 64 * 1024);
    tui.send(&format!("\x1b[200~{names}\x1b[201~"));
    let screen = tui.wait_for(r"256 characters: the rest was cut");
    // Line breaks became spaces: the names did not run together (the search line shows the
    // query's end, where the cursor is).
    assert!(screen.contains("Lovelace Grace Hopper"), "{screen}");
    assert!(!screen.contains("LovelaceGrace"), "{screen}");
    quit_and_check_restored(&mut tui, key::CTRL_C);
}

/// A site that takes every request and answers none: within seconds the title bar says what is
/// waiting and for how long (no silent spinner), and the UI still quits at once, restoring the
/// terminal, while the requests hang.
#[test]
fn a_site_that_never_answers_is_shown_waiting_and_quitting_still_works() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let mut held = Vec::new();
        // Bounded: the UI opens a handful of connections; each is held open, unanswered.
        for _ in 0..32 {
            match listener.accept() {
                Ok((stream, _)) => held.push(stream),
                Err(_) => return,
            }
        }
    });
    let mut tui = Tui::spawn_with(Spawn {
        args: &["--base-url", &base],
        env: &[
            ("CONFLUENCE_BASE_URL", &base),
            ("CONFLUENCE_EMAIL", DEMO_EMAIL),
            ("CONFLUENCE_API_TOKEN", DEMO_TOKEN),
        ],
        ..Spawn::default()
    });

    let screen = tui.wait_for(r"no answer for \d+ s");
    assert!(screen.contains("signing in…"), "{screen}");
    quit_and_check_restored(&mut tui, key::CTRL_C);
}

/// With `NO_COLOR`, the screen has no colour at all and the highlighted row still shows: it is
/// drawn reversed (crossterm alone turned each colour change into "reset every attribute", so no
/// row looked selected).
#[test]
fn without_colour_the_highlighted_row_is_still_reversed() {
    let mut tui = Tui::spawn(&["--demo"], &[("NO_COLOR", "1")]);
    tui.wait_for(r"Ada Lovelace\s+live");
    tui.type_text("grace");
    tui.wait_until("a reversed row and no colour", TIMEOUT, |screen| {
        let (rows, cols) = screen.size();
        let mut reversed = false;
        for row in 0..rows {
            for col in 0..cols {
                let Some(cell) = screen.cell(row, col) else {
                    continue;
                };
                if cell.fgcolor() != vt100::Color::Default
                    || cell.bgcolor() != vt100::Color::Default
                {
                    return false;
                }
                reversed |= cell.inverse() && cell.contents() == "G";
            }
        }
        reversed
    });
    quit_and_check_restored(&mut tui, key::CTRL_C);
}
