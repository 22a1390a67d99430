//! Colours and styles, in one place so panes stay consistent.
//!
//! Every style that means something also says it without colour, because `NO_COLOR` (honoured by
//! the terminal layer) drops every colour and keeps only the modifiers: the selection is reversed
//! (bold where focused), matches are bold and underlined, errors and warnings bold, privacy-hidden
//! values italic; the focused pane has a thick border and watch statuses have their own marks
//! (`●`, `○`). Colour adds to that, never replaces it.

use ratatui::style::{Color, Modifier, Style};

/// Border of the focused pane.
pub fn focused_border() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}
/// Border of other panes.
pub fn border() -> Style {
    Style::new().fg(Color::DarkGray)
}
/// The selected row in the focused pane: cyan behind the text (reversed, so it also shows
/// without colour), bold.
pub fn selected() -> Style {
    Style::new()
        .fg(Color::Cyan)
        .add_modifier(Modifier::REVERSED)
        .add_modifier(Modifier::BOLD)
}
/// The selected row in an unfocused pane.
pub fn selected_inactive() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}
/// Characters matched by the fuzzy search: underlined too, so they show in the (bold) selected
/// row and without colour.
pub fn matched() -> Style {
    Style::new()
        .fg(Color::Yellow)
        .add_modifier(Modifier::BOLD)
        .add_modifier(Modifier::UNDERLINED)
}
/// Field labels in the profile.
pub fn label() -> Style {
    Style::new().fg(Color::DarkGray)
}
/// Secondary text (counts, hints, "loading…").
pub fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}
/// Privacy-hidden values: shown on purpose, not as blanks.
pub fn hidden() -> Style {
    Style::new()
        .fg(Color::Magenta)
        .add_modifier(Modifier::ITALIC)
}
/// Errors: bold, so they stand out without colour.
pub fn error() -> Style {
    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
}
/// Watching.
pub fn watching() -> Style {
    Style::new().fg(Color::Green)
}
/// A tag like `guest` or `app`.
pub fn tag() -> Style {
    Style::new().fg(Color::Blue)
}
/// Titles and names.
pub fn title() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}
/// Keys in the footer and help.
pub fn key() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}
/// Warnings (rate limiting, a slow answer): bold, so they stand out without colour.
pub fn warn() -> Style {
    Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
}

/// An `accent` (a match, a tag, a key, a status mark) inside a row styled `row`. On a selected
/// row (reversed) only the accent's modifiers apply, so the row keeps one colour behind all its
/// text instead of blocks of the accents' colours.
pub fn accent(row: Style, accent: Style) -> Style {
    if row.add_modifier.contains(Modifier::REVERSED) {
        row.add_modifier(accent.add_modifier)
    } else {
        row.patch(accent)
    }
}
