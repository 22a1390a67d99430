//! End-to-end tests: the real `confdir` binary in a pseudo-terminal, against the demo server.
//!
//! Each test starts its own demo server (in this process, so it can also ask the server over HTTP
//! what the UI changed) or runs `confdir --demo`, in its own temporary home, and reads the screen
//! as a terminal emulator would draw it. They check what a person at the keyboard would notice:
//! the text on screen, which row is highlighted, what the server now says, and that the terminal is
//! usable again after the program quits.
//!
//! Unix only: they use a Unix pseudo-terminal, its terminal modes and signals.

#![cfg(unix)]

mod support;

use base64::Engine;
use confdir::api::{fullname_cql, Client, Paging, SitePermissionFilter, WatchTarget};
use confdir::demo::{
    DemoOptions, ADMIN_ACCOUNT_ID, DEMO_ACCOUNT_ID, DEMO_ADMIN_TOKEN, DEMO_EMAIL, DEMO_TOKEN,
};
use regex::escape;
use std::path::Path;
use std::time::Duration;
use support::demo::Demo;
use support::home::Home;
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

/// Leaves the search line's editing mode (where letters are text) with Esc, and waits until the
/// footer shows it, so the next key is not read together with the Esc.
fn leave_search_line(tui: &mut Tui) {
    tui.send(key::ESC);
    tui.wait_gone(r"Enter done  Esc cancel");
}

/// Presses Down and waits for the highlight to move; returns the newly highlighted row.
fn move_down(tui: &mut Tui) -> String {
    let before = tui.wait_selected();
    tui.send(key::DOWN);
    let mut now = String::new();
    tui.wait_until(
        &format!("the highlight to leave {before:?}"),
        TIMEOUT,
        |screen| match selected_in(screen).as_slice() {
            [one] if *one != before => {
                now = one.clone();
                true
            }
            _ => false,
        },
    );
    now
}

/// The count line's number of people shown and the server's total: "N of T", or "N, T from the
/// site" when people known from earlier answers outnumber the total.
const COUNT: &str = r"\b\d[\d,]*(?: of \d[\d,]*|, \d[\d,]* from the site)";

/// The longest latency of the slow demo server in the search-as-you-type test.
const LATENCY_MAX: Duration = Duration::from_millis(700);

/// `n` with thousands separators, as the count line writes numbers.
fn grouped(n: impl ToString) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The search pane's result rows, top first: the text inside its borders on each row below the
/// search line, up to the first empty row or the count line.
fn search_results(screen: &str) -> Vec<String> {
    screen
        .lines()
        .skip_while(|line| !line.contains("> "))
        .skip(1)
        .map(|line| {
            line.chars()
                .skip(1)
                .take_while(|c| !matches!(c, '│' | '┃'))
                .collect::<String>()
                .trim()
                .to_string()
        })
        .take_while(|text| !text.is_empty() && !text.contains(" · server"))
        .collect()
}

/// Row `n` (from 0) of a screen's text.
fn row(screen: &str, n: usize) -> &str {
    screen.lines().nth(n).unwrap_or("")
}

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
fn find_a_colleague_browse_groups_and_members_toggle_a_watch_and_quit() {
    let mut s = Session::start();

    // What the server says, to compare the screen with.
    let groups = s
        .demo
        .block_on(
            s.client
                .group_memberships(ADMIN_ACCOUNT_ID, Paging::first(200))
                .all(),
        )
        .expect("Grace's groups");
    let admins = groups
        .iter()
        .find(|g| g.name == "site-admins")
        .expect("Grace is a site admin");
    let members = s
        .demo
        .block_on(
            s.client
                .group_members(&admins.id, Paging::first(200), &[])
                .all(),
        )
        .expect("the site admins");
    assert!(members.len() > 2, "a group worth browsing: {members:?}");

    // Find a colleague by typing part of her name: the search line starts in editing mode.
    s.tui.type_text("hopp");
    s.tui
        .wait_until("Grace Hopper highlighted", TIMEOUT, |screen| {
            selected_in(screen) == ["Grace Hopper"]
        });
    // Enter opens the highlighted person's profile.
    s.tui.send(key::ENTER);
    let screen = s.tui.wait_for(&escape(ADMIN_ACCOUNT_ID));
    assert!(
        row(&screen, 2).contains("Grace Hopper  (public name: grace)"),
        "{screen}"
    );

    // Her groups: the count and every name the server gives.
    s.tui.send("3");
    s.tui.wait_for(GROUPS_KEYS);
    let screen = s.tui.wait_for(&format!(r"3 Groups · {}\b", groups.len()));
    for group in &groups {
        assert!(
            screen.contains(&format!(" {} ", group.name)),
            "group {} missing:\n{screen}",
            group.name
        );
    }

    // Enter on a group lists its members.
    select_row(&mut s.tui, "^site-admins$", groups.len());
    s.tui.send(key::ENTER);
    let n = members.len();
    let screen = s.tui.wait_for(&format!(r"3 Members · {n} of {n}\b"));
    assert!(screen.contains("Grace Hopper › site-admins"), "{screen}");
    for member in &members {
        assert!(
            screen.contains(member.name()),
            "member {} missing:\n{screen}",
            member.name()
        );
    }

    // Enter on a member (not Grace) opens their profile and groups.
    let name = move_down(&mut s.tui);
    let member = members
        .iter()
        .find(|m| m.name() == name)
        .unwrap_or_else(|| panic!("{name:?} is not a member of site-admins"));
    assert_ne!(member.account_id.as_deref(), Some(ADMIN_ACCOUNT_ID));
    let id = member.account_id.clone().expect("members have account ids");
    s.tui.send(key::ENTER);
    let screen = s.tui.wait_for(&format!(r"account\s+{}", escape(&id)));
    assert!(row(&screen, 2).contains(&name), "{screen}");
    s.tui.wait_for(&format!(r"site-admins › {}", escape(&name)));

    // Back: the members of site-admins again, still on the member we opened, and the profile
    // back on Grace, whose groups these are.
    s.tui.send(key::ESC);
    let screen = s.tui.wait_for(&format!(r"3 Members · {n} of {n}\b"));
    assert!(screen.contains("Grace Hopper › site-admins"), "{screen}");
    assert_eq!(s.tui.wait_selected(), name);
    let screen = s
        .tui
        .wait_for(&format!(r"account\s+{}", escape(ADMIN_ACCOUNT_ID)));
    assert!(
        row(&screen, 2).contains("Grace Hopper  (public name: grace)"),
        "{screen}"
    );
    // Backspace goes back too: Grace's own groups, still on site-admins.
    s.tui.send(key::BACKSPACE);
    let screen = s.tui.wait_for(&format!(r"3 Groups · {}\b", groups.len()));
    assert!(!screen.contains("› site-admins"), "{screen}");
    assert_eq!(s.tui.wait_selected(), "site-admins");

    // The watch list: Ada watches the Engineering space; one key stops watching it.
    assert!(s.watching("ENG"), "the demo user starts watching ENG");
    s.tui.send("4");
    s.tui.wait_for(WATCH_KEYS);
    s.tui.wait_for(r"4 Watch list · yours");
    // The row is highlighted once found; its status may still be on its way.
    select_row(&mut s.tui, r"^. ENG Engineering$", 40);
    s.tui.wait_until("ENG shown as watched", TIMEOUT, |screen| {
        selected_in(screen) == ["● ENG Engineering"]
    });
    s.tui.send("w");
    s.tui.wait_for(r"Stopped watching space ENG");
    let screen = s.tui.wait_for(r"○ ENG Engineering");
    assert!(!screen.contains("saving…"), "{screen}");
    assert!(!s.watching("ENG"), "the server still has ENG watched");

    // And again: watched once more, on screen and on the server.
    s.tui.send("w");
    s.tui.wait_for(r"Watching space ENG");
    s.tui.wait_for(r"● ENG Engineering");
    assert!(s.watching("ENG"), "the server did not record the new watch");

    quit_and_check_restored(&mut s.tui, "q");
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
fn help_lists_the_focused_panes_keys_and_filters_as_you_type() {
    let mut tui = Tui::spawn(&["--demo"], &[]);
    tui.wait_for(r"Ada Lovelace\s+live");
    leave_search_line(&mut tui);
    tui.send("4");
    tui.wait_for(WATCH_KEYS);
    tui.send("?");
    let screen = tui.wait_for(r"Keys · Watch list · Esc closes");
    assert!(screen.contains("quit"), "{screen}");
    tui.type_text("pin");
    let screen = tui.wait_for(r"filter: pin");
    let overlay = overlay_rows(&screen);
    assert!(
        overlay
            .iter()
            .any(|r| r.contains(" p  ") && r.contains("pin")),
        "{screen}"
    );
    assert!(
        overlay.iter().all(|r| !r.contains("quit")),
        "quit does not match `pin`:\n{screen}"
    );
    tui.type_text("zzz");
    tui.wait_for(r"No key matches\.");
    tui.send(key::ESC);
    let screen = tui.wait_gone(r"Keys · Watch list");
    assert!(screen.contains("4 Watch list"), "{screen}");
    quit_and_check_restored(&mut tui, "q");
}

/// The rows of the help overlay below its title (up to its bottom border).
fn overlay_rows(screen: &str) -> Vec<String> {
    screen
        .lines()
        .skip_while(|l| !l.contains("Keys ·"))
        .skip(1)
        .take_while(|l| !l.contains('╰'))
        .map(|l| l.to_string())
        .collect()
}

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
fn y_copies_the_highlighted_account_id_through_the_terminal() {
    let mut tui = Tui::spawn(&["--demo"], &[]);
    tui.wait_for(r"Ada Lovelace\s+live");
    leave_search_line(&mut tui);
    tui.send("y");
    tui.wait_for(&format!(r"Copied {DEMO_ACCOUNT_ID}"));
    // OSC 52 puts the text on the clipboard of the terminal, even over ssh.
    let osc = format!(
        "\x1b]52;c;{}\x07",
        base64::engine::general_purpose::STANDARD.encode(DEMO_ACCOUNT_ID)
    );
    assert!(
        rfind(&tui.output(), osc.as_bytes()).is_some(),
        "no OSC 52 sequence with the account id"
    );
    quit_and_check_restored(&mut tui, "q");
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
    leave_search_line(&mut tui);
    // Every pane, with the keys that move, open, go back and show overlays. No `o` (it would
    // start a browser), no `q`. Escape goes as `ESC_ALONE`: some of these change nothing a test
    // could wait for, and a lone Escape read together with the next key would be Alt plus it.
    let tour = [
        "j",
        "j",
        "G",
        "g",
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
fn typing_without_accents_finds_accented_names() {
    let mut tui = Tui::spawn(&["--demo"], &[]);
    tui.wait_for(r"Ada Lovelace\s+live");
    tui.type_text("muller");
    // The server's answer for the whole query (the total shows only for the query on the line)
    // lists the Müllers. The count reads "N of T" or, when people known from earlier answers
    // outnumber the server's total, "N, T from the site": which one depends on timing.
    let screen = tui.wait_for(&format!(r"> muller\s[\s\S]*{COUNT} · server\b"));
    assert!(screen.contains("Müller"), "{screen}");
    // The best match comes first.
    let first = search_results(&screen)
        .into_iter()
        .next()
        .unwrap_or_default();
    assert!(first.ends_with("Müller"), "{first:?}:\n{screen}");
    // The highlight stays on whoever it was on while answers came in; PgUp takes it to the top.
    tui.send(key::PAGE_UP);
    tui.wait_until("the first result highlighted", TIMEOUT, |screen| {
        selected_in(screen) == [first.clone()]
    });
    // Enter leaves the search line with that person's profile open.
    tui.send(key::ENTER);
    tui.wait_gone(r"Enter done  Esc cancel");
    let wanted = format!("│{first}  ");
    tui.wait_until("the profile of the first Müller", TIMEOUT, |screen| {
        row(&screen.contents(), 2).contains(&wanted)
    });
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
fn search_as_you_type_on_a_slow_server_ends_on_the_answer_for_the_last_query() {
    // Answers take 0–700 ms each, so answers to earlier prefixes can arrive after later ones.
    let mut s = Session::start_with(
        DemoOptions {
            latency: Some((Duration::ZERO, LATENCY_MAX)),
            ..DemoOptions::default()
        },
        None,
    );
    let page = s
        .demo
        .block_on(
            s.client
                .search_users(
                    &fullname_cql("grace"),
                    Paging::first(50),
                    SitePermissionFilter::default(),
                    &[],
                )
                .first(),
        )
        .expect("the server's answer for the final query");
    let total = page.total_size.expect("search answers carry a total");
    // Each prefix goes in once the one before is on the search line, then stays alone for longer
    // than the search debounce, so a search goes out for each (the pause paces the typing;
    // nothing asserted depends on it).
    let mut typed = String::new();
    for prefix in ["g", "r", "a", "c", "e"] {
        s.tui.type_text(prefix);
        typed.push_str(prefix);
        s.tui.wait_for(&format!(r"> {typed}\s"));
        std::thread::sleep(Duration::from_millis(300));
    }
    // The total shown is the final query's (a stale answer would show another query's, or none).
    // Earlier prefixes' answers teach people too, so the list may be longer than the total, and
    // the count then reads "N, T from the site": either wording, but always this total.
    let total_text = grouped(total);
    let final_count = format!(
        r"> grace\s[\s\S]*\b\d[\d,]*(?: of {total_text}|, {total_text} from the site) · server\b"
    );
    let screen = s.tui.wait_for(&final_count);
    for user in page.results.iter().filter_map(|r| r.user.as_ref()) {
        assert!(
            screen.contains(user.name()),
            "{} missing:\n{screen}",
            user.name()
        );
    }
    // Settled: nothing that arrives later changes it. The answer to the last prefix before the
    // final one was sent, at the latest, as the final one went out, so waiting out the longest
    // latency once more lets every stale answer arrive: a window to watch, not a condition.
    std::thread::sleep(LATENCY_MAX + Duration::from_millis(100));
    let screen = s.tui.screen();
    assert!(
        regex::Regex::new(&final_count)
            .expect("a valid pattern")
            .is_match(&screen),
        "{screen}"
    );
    quit_and_check_restored(&mut s.tui, key::CTRL_C);
}

#[test]
fn credentials_stay_out_of_the_screen_and_the_log_file() {
    let home = Home::new();
    let mut demo = Demo::start();
    let base = demo.base_url();
    let mut tui = Tui::spawn_with(Spawn {
        args: &["--base-url", &base],
        env: &[
            ("CONFLUENCE_BASE_URL", &base),
            ("CONFLUENCE_EMAIL", DEMO_EMAIL),
            ("CONFLUENCE_API_TOKEN", DEMO_ADMIN_TOKEN),
            ("CONFDIR_LOG", "trace"),
        ],
        home: Some(home.path()),
        ..Spawn::default()
    });
    // Signed in as the administrator, and some traffic: a search and a profile.
    tui.wait_for(r"confdir · 127\.0\.0\.1:\d+ · Grace Hopper");
    tui.type_text("lovel");
    tui.wait_until("Ada Lovelace highlighted", TIMEOUT, |screen| {
        selected_in(screen) == ["Ada Lovelace"]
    });
    tui.send(key::ENTER);
    tui.wait_for(&format!(r"account\s+{DEMO_ACCOUNT_ID}"));
    quit_and_check_restored(&mut tui, "q");
    demo.stop();

    let basic = base64::engine::general_purpose::STANDARD
        .encode(format!("{DEMO_EMAIL}:{DEMO_ADMIN_TOKEN}"));
    let log = std::fs::read_to_string(support::home::log_file(home.path()))
        .expect("trace logging writes the log file");
    assert!(!log.is_empty(), "trace logging wrote nothing");
    let out = String::from_utf8_lossy(&tui.output()).into_owned();
    for (what, text) in [("the log", &log), ("the terminal", &out)] {
        assert!(!text.contains(DEMO_ADMIN_TOKEN), "the token is in {what}");
        assert!(
            !text.contains(&basic),
            "the Basic credentials are in {what}"
        );
    }
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
