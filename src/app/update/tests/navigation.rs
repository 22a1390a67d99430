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
