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
