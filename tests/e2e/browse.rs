//! Browsing: a colleague, her groups and their members and back, the help overlay, and copying
//! an account id through the terminal.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::support::pty::{key, rfind, selected_in, Tui, TIMEOUT};
use crate::{
    leave_search_line, move_down, quit_and_check_restored, row, select_row, Session, GROUPS_KEYS,
    WATCH_KEYS,
};
use base64::Engine;
use confdir::api::Paging;
use confdir::demo::{ADMIN_ACCOUNT_ID, DEMO_ACCOUNT_ID};
use regex::escape;

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
    // One Enter opens the highlighted person's profile and her groups, focused on the groups.
    s.tui.send(key::ENTER);
    let screen = s.tui.wait_for(&escape(ADMIN_ACCOUNT_ID));
    assert!(
        row(&screen, 2).contains("Grace Hopper  (public name: grace)"),
        "{screen}"
    );

    // Her groups: the count and every name the server gives.
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
