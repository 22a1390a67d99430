//! Colours and styles, in one place so panes stay consistent.

use ratatui::style::{Color, Modifier, Style};

/// Border of the focused pane.
pub fn focused_border() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}
/// Border of other panes.
pub fn border() -> Style {
    Style::new().fg(Color::DarkGray)
}
/// The selected row in the focused pane.
pub fn selected() -> Style {
    Style::new().fg(Color::Black).bg(Color::Cyan)
}
/// The selected row in an unfocused pane.
pub fn selected_inactive() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}
/// Characters matched by the fuzzy search.
pub fn matched() -> Style {
    Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
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
/// Errors.
pub fn error() -> Style {
    Style::new().fg(Color::Red)
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
/// Warnings (rate limiting).
pub fn warn() -> Style {
    Style::new().fg(Color::Yellow)
}
