//! Navigation tests: overlays and their inputs, clicks and the wheel.

use super::*;
use pretty_assertions::assert_eq;

#[test]
fn help_filters_as_you_type_and_esc_closes() {
    let mut s = state();
    update(&mut s, Intent::ToggleHelp);
    assert_eq!(s.overlay, Overlay::Help);
    type_text(&mut s, "quit");
    assert_eq!(s.help_filter.value(), "quit");
    // Typing went to the help filter, not the search box.
    assert_eq!(s.search.input.value(), "");
    update(&mut s, Intent::Cancel);
    assert_eq!(s.overlay, Overlay::None);
}

#[test]
fn a_click_focuses_the_pane_and_selects_the_row_and_the_wheel_scrolls() {
    let mut s = state();
    with_spaces(&mut s);
    let cmds = update(
        &mut s,
        Intent::Click {
            pane: Focus::Watchlist,
            row: Some(2),
        },
    );
    assert_eq!(s.focus, Focus::Watchlist);
    assert_eq!(s.watch.list.selected, 2);
    assert!(
        cmds.is_empty(),
        "statuses of visible rows were asked already"
    );
    update(
        &mut s,
        Intent::Scroll {
            pane: Focus::Watchlist,
            down: false,
        },
    );
    assert_eq!(s.watch.list.selected, 0);
}

/// Help longer than its box scrolls with ↑/↓ and PgUp/PgDn (it used to stop at `g/Home`), never
/// past its last screenful, and a new filter starts it from the top.
#[test]
fn help_scrolls_through_every_key() {
    let mut s = state();
    s.focus = Focus::Watchlist;
    update(&mut s, Intent::ToggleHelp);
    let rows = crate::app::keymap::help_rows(Focus::Watchlist, "").len();
    assert!(rows > s.heights.help, "more keys than rows");
    update(&mut s, Intent::Down);
    assert_eq!(s.help_scroll, 1);
    update(&mut s, Intent::PageDown);
    assert_eq!(s.help_scroll, 1 + s.heights.help);
    for _ in 0..20 {
        update(&mut s, Intent::PageDown);
    }
    assert_eq!(s.help_scroll, rows - s.heights.help, "the last screenful");
    update(&mut s, Intent::Up);
    assert_eq!(s.help_scroll, rows - s.heights.help - 1);
    update(
        &mut s,
        Intent::Edit(tui_input::InputRequest::InsertChar('q')),
    );
    assert_eq!(s.help_scroll, 0);
}

/// Presses a key as the event loop would: the keymap's intent, then `update`.
fn press(s: &mut State, code: crossterm::event::KeyCode, mods: crossterm::event::KeyModifiers) {
    let key = crossterm::event::KeyEvent::new(code, mods);
    if let Some(intent) = crate::app::keymap::key_intent(s, &key) {
        update(s, intent);
    }
}

fn press_text(s: &mut State, text: &str) -> Vec<Command> {
    let mut all = Vec::new();
    for c in text.chars() {
        let key = crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Char(c),
            crossterm::event::KeyModifiers::NONE,
        );
        if let Some(intent) = crate::app::keymap::key_intent(s, &key) {
            all.extend(update(s, intent));
        }
    }
    all
}

/// `1` from another pane, then "jacques": every letter goes to the query (the `q` used to quit),
/// and `/`, `?`, `o`, `r` and the digits are text too; nothing is opened, refreshed or left.
#[test]
fn typing_in_the_search_pane_never_runs_a_command() {
    use crossterm::event::{KeyCode, KeyModifiers};
    let mut s = state();
    init(&mut s);
    press(&mut s, KeyCode::Tab, KeyModifiers::NONE);
    press(&mut s, KeyCode::Tab, KeyModifiers::NONE);
    assert_eq!(s.focus, Focus::Groups);
    press(&mut s, KeyCode::Char('1'), KeyModifiers::NONE);
    assert_eq!(s.focus, Focus::Search);
    let cmds = press_text(&mut s, "jacques o/r?2");
    assert_eq!(s.search.input.value(), "jacques o/r?2");
    assert!(!s.quit);
    assert_eq!((s.focus, s.overlay.clone()), (Focus::Search, Overlay::None));
    assert!(
        cmds.iter().all(|c| matches!(
            c,
            Command::SearchUsers { .. }
                | Command::FetchProfile { .. }
                | Command::FetchPropertyKeys { .. }
                | Command::FetchGroups { .. }
        )),
        "{cmds:?}"
    );
    // Alt and a pane number leave; F1 is help there; Ctrl-C still quits.
    press(&mut s, KeyCode::Char('3'), KeyModifiers::ALT);
    assert_eq!(s.focus, Focus::Groups);
    press(&mut s, KeyCode::Char('1'), KeyModifiers::NONE);
    press(&mut s, KeyCode::F(1), KeyModifiers::NONE);
    assert_eq!(s.overlay, Overlay::Help);
    press(&mut s, KeyCode::Esc, KeyModifiers::NONE);
    assert_eq!((s.overlay.clone(), s.mode), (Overlay::None, Mode::Editing));
    press(&mut s, KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(s.quit);
}

/// Esc clears the query and stays in the box; a second Esc on the empty query changes nothing
/// but the message line.
#[test]
fn esc_clears_the_query_and_a_second_esc_is_harmless() {
    use crossterm::event::{KeyCode, KeyModifiers};
    let mut s = state();
    loaded_me(&mut s);
    press_text(&mut s, "ad");
    assert!(!s.search.rows.is_empty());
    press(&mut s, KeyCode::Esc, KeyModifiers::NONE);
    assert_eq!(s.search.input.value(), "");
    assert_eq!((s.focus, s.mode), (Focus::Search, Mode::Editing));
    assert!(!s.pending.contains_key(&crate::app::request::Slot::Search));
    s.last_error = Some("boom".into());
    press(&mut s, KeyCode::Esc, KeyModifiers::NONE);
    assert_eq!((s.focus, s.mode), (Focus::Search, Mode::Editing));
    assert!(!s.quit);
    assert_eq!(s.last_error, None);
    press_text(&mut s, "x");
    assert_eq!(s.search.input.value(), "x", "still typing in the box");
}

/// One Enter on a result shows the profile and the groups, focused on the groups; arrows and
/// Ctrl-N/P move in the results while typing.
#[test]
fn one_enter_shows_the_profile_and_the_groups() {
    use crossterm::event::{KeyCode, KeyModifiers};
    let mut s = state();
    s.directory.upsert(user("alice", "Alice Nguyen"));
    s.directory.upsert(user("alicia", "Alicia Keys"));
    press_text(&mut s, "ali");
    assert_eq!(s.search.rows.len(), 2);
    press(&mut s, KeyCode::Char('n'), KeyModifiers::CONTROL);
    assert_eq!(s.search.list.selected, 1);
    press(&mut s, KeyCode::Up, KeyModifiers::NONE);
    assert_eq!(s.search.list.selected, 0);
    let chosen = s.selected_result().unwrap().to_string();
    press(&mut s, KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(s.profile_id(), Some(chosen.as_str()));
    assert_eq!((s.focus, s.mode), (Focus::Groups, Mode::Normal));
    assert!(matches!(
        s.groups.as_slice(),
        [GroupView::Memberships { account_id, .. }] if *account_id == chosen
    ));
    // Enter on no result stays in the box.
    press(&mut s, KeyCode::Char('1'), KeyModifiers::NONE);
    press_text(&mut s, "zzzz");
    press(&mut s, KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!((s.focus, s.mode), (Focus::Search, Mode::Editing));
}

/// Ctrl-O and Alt-←/→ reach the history from the search box and from the other panes.
#[test]
fn history_keys_work_in_every_pane() {
    use crossterm::event::{KeyCode, KeyModifiers};
    let mut s = state();
    open_profile(&mut s, "alice", "Alice");
    press(&mut s, KeyCode::Char('1'), KeyModifiers::NONE);
    open_profile(&mut s, "bob", "Bob");
    assert_eq!(s.focus, Focus::Groups);
    press(&mut s, KeyCode::Char('o'), KeyModifiers::CONTROL);
    assert_eq!(s.profile_id(), Some("alice"));
    press(&mut s, KeyCode::Right, KeyModifiers::ALT);
    assert_eq!(s.profile_id(), Some("bob"));
    press(&mut s, KeyCode::Char('1'), KeyModifiers::NONE);
    press(&mut s, KeyCode::Left, KeyModifiers::ALT);
    assert_eq!(s.profile_id(), Some("alice"));
    assert_eq!(s.search.input.value(), "Bob", "the keys are not text");
}
