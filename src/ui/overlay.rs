//! Overlays drawn over the panes: key help for the focused pane (filtered as you type), an opened
//! user property's value, and the error log. Each is a centred, cleared, bordered box; the error
//! log's geometry is shared with `update`'s page size through [`list_rows`].

use super::theme;
use crate::app::keymap::help_rows;
use crate::app::state::State;
use crate::sanitize::fit;
use ratatui::layout::{Constraint, Flex, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};
use ratatui::Frame;

/// The bordered, cleared box an overlay draws in; returns its inner area.
fn overlay_block(frame: &mut Frame, popup: Rect, title: String) -> Rect {
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme::focused_border())
        .title(Line::styled(title, theme::title()));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    inner
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    cell
}

/// Rows the help overlay leaves free around it.
const HELP_MARGIN: u16 = 4;
/// The help overlay's width.
const HELP_WIDTH: u16 = 72;
/// Widest key column of help (longer key lists are cut with `…`).
const HELP_KEYS_MAX: usize = 22;

/// Rows of help's list on a terminal `height` rows tall (its box less border and filter line):
/// how far PgUp/PgDn scroll it.
pub fn help_list_rows(height: u16) -> usize {
    height.saturating_sub(HELP_MARGIN + 3).max(1) as usize
}

/// Draws the help overlay: a filter line (with the scroll position when the keys do not all
/// fit) and the keys, under section headings, scrolled by ↑/↓ and PgUp/PgDn.
pub fn render_help(frame: &mut Frame, area: Rect, state: &State) {
    let rows = help_rows(state.focus, state.help_filter.value());
    let height = (rows.len() as u16 + 3).clamp(8, area.height.saturating_sub(HELP_MARGIN));
    let popup = centered(area, HELP_WIDTH, height);
    let inner = overlay_block(
        frame,
        popup,
        format!(" Keys · {} · Esc closes ", state.focus.title()),
    );
    let visible = inner.height.saturating_sub(1) as usize;
    let first = state.help_scroll.min(rows.len().saturating_sub(visible));
    let shown = rows.len().min(first + visible);
    let position = if rows.len() > visible {
        format!("{}–{shown} of {} · ↑/↓ PgUp/PgDn", first + 1, rows.len())
    } else {
        String::new()
    };
    let room = (inner.width as usize).saturating_sub(8 + position.chars().count() + 1);
    let filter = fit(state.help_filter.value(), room);
    let gap = room.saturating_sub(crate::sanitize::width(&filter)) + 1;
    let mut lines = vec![Line::from(vec![
        Span::styled("filter: ", theme::key()),
        Span::raw(filter),
        Span::raw(" ".repeat(gap)),
        Span::styled(position, theme::dim()),
    ])];
    if rows.is_empty() {
        lines.push(Line::styled("No key matches.", theme::dim()));
    }
    let keys_width = rows
        .iter()
        .map(|r| r.keys.chars().count())
        .max()
        .unwrap_or(0)
        .min(HELP_KEYS_MAX);
    for row in rows.iter().skip(first).take(visible) {
        lines.push(if row.heading {
            Line::styled(row.help, theme::title())
        } else {
            Line::from(vec![
                Span::styled(
                    format!("  {}  ", crate::sanitize::pad(&row.keys, keys_width)),
                    theme::key(),
                ),
                Span::raw(row.help),
            ])
        });
    }
    frame.render_widget(Paragraph::new(lines), inner);
    let x = inner.x + 8 + state.help_filter.visual_cursor() as u16;
    frame.set_cursor_position(Position::new(x.min(inner.right() - 1), inner.y));
}

/// Draws an opened user property's value over the panes: the profile pane is too short for
/// most JSON. Esc closes it (the profile's Back).
pub fn render_property(frame: &mut Frame, area: Rect, state: &State) {
    let Some((key, value)) = &state.profile.open_prop else {
        return;
    };
    let text: Vec<String> = match value {
        crate::app::Loadable::Loaded(text) => text.lines().map(str::to_string).collect(),
        crate::app::Loadable::Failed(message) => vec![message.clone()],
        _ => vec!["loading…".to_string()],
    };
    let widest = text
        .iter()
        .map(|l| crate::sanitize::width(l))
        .max()
        .unwrap_or(0);
    // The key takes what the screen leaves it beside the rest of the title (keys run to 255
    // characters): the window is at most 4 columns narrower than the screen, its corners 2.
    let room = usize::from(area.width).saturating_sub(4 + 2 + " property  · Esc closes ".len());
    let title = format!(" property {} · Esc closes ", fit(key, room.max(8)));
    // Wide enough for its title too: a cut title hid which property this is.
    let widest = widest.max(crate::sanitize::width(&title));
    let width = (widest.min(usize::from(u16::MAX)) as u16)
        .saturating_add(4)
        .clamp(40, area.width.saturating_sub(4));
    let height = (text.len() as u16 + 2).clamp(5, area.height.saturating_sub(4));
    let popup = centered(area, width, height);
    let inner = overlay_block(frame, popup, title);
    let style = if matches!(value, crate::app::Loadable::Failed(_)) {
        theme::error()
    } else {
        ratatui::style::Style::new()
    };
    let lines: Vec<Line> = text
        .iter()
        .take(inner.height as usize)
        .map(|l| Line::styled(fit(l, inner.width as usize), style))
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Columns and rows the error log leaves free around it.
const ERRORS_MARGIN: (u16, u16) = (8, 4);
/// Rows of the error log kept free below its list: the selected entry is shown whole, wrapped
/// onto up to this many more lines.
const ERRORS_WRAP_ROOM: u16 = 2;

/// Rows of the error log's list on a terminal `height` rows tall: how far PgUp/PgDn move.
pub fn list_rows(height: u16) -> usize {
    let inner = height.saturating_sub(ERRORS_MARGIN.1 + 2);
    inner.saturating_sub(ERRORS_WRAP_ROOM).max(1) as usize
}

/// Draws the error log overlay.
pub fn render_errors(frame: &mut Frame, area: Rect, state: &State) {
    let popup = centered(
        area,
        area.width.saturating_sub(ERRORS_MARGIN.0),
        area.height.saturating_sub(ERRORS_MARGIN.1),
    );
    let rows = crate::app::lists::error_rows(state);
    let inner = overlay_block(
        frame,
        popup,
        // Where the selection is, as every list says it (`3/12`).
        format!(
            " Error log · {}/{} · times in UTC · / filters · Esc closes ",
            super::thousands((state.error_list.selected + 1).min(rows.len())),
            super::thousands(rows.len())
        ),
    );
    // The filter, while typed or in force, takes the box's last row (out of the room the
    // selected entry's wrapped lines have).
    let filter = state.lists.errors_filter.value();
    let typing = state.active_input() == crate::app::state::ActiveInput::ErrorsFilter;
    let inner = if typing || !filter.trim().is_empty() {
        let line = Rect::new(inner.x, inner.bottom().saturating_sub(1), inner.width, 1);
        let text = format!(
            "/{}  {} of {}",
            fit(filter, (inner.width as usize).saturating_sub(20)),
            super::thousands(rows.len()),
            super::thousands(state.errors.len())
        );
        frame.render_widget(Paragraph::new(Line::styled(text, theme::key())), line);
        if typing {
            let x = line.x + 1 + state.lists.errors_filter.visual_cursor() as u16;
            frame.set_cursor_position(Position::new(x.min(line.right() - 1), line.y));
        }
        Rect::new(
            inner.x,
            inner.y,
            inner.width,
            inner.height.saturating_sub(1),
        )
    } else {
        inner
    };
    let width = inner.width as usize;
    let list = &state.error_list;
    let lines: Vec<Line> = if state.errors.is_empty() {
        vec![Line::styled("No errors so far.", theme::dim())]
    } else if rows.is_empty() {
        vec![Line::styled("No error matches the filter.", theme::dim())]
    } else {
        // Entries take one line each, except the selected one, which is shown whole (wrapped), so
        // the advice at the end of a long message can be read.
        let text_width = width.saturating_sub(9).max(1);
        let mut lines = Vec::new();
        for i in list.window(rows.len(), inner.height as usize) {
            let e = &state.errors[rows[i]];
            let time = e.at.format("%H:%M:%S").to_string();
            if i == list.selected {
                for (n, chunk) in wrap(&e.message, text_width).into_iter().enumerate() {
                    let stamp = if n == 0 {
                        format!("{time} ")
                    } else {
                        " ".repeat(9)
                    };
                    lines.push(Line::from(vec![
                        Span::styled(stamp, theme::dim()),
                        Span::styled(chunk, theme::selected()),
                    ]));
                }
            } else {
                lines.push(Line::from(vec![
                    Span::styled(format!("{time} "), theme::dim()),
                    Span::styled(fit(&e.message, text_width), theme::error()),
                ]));
            }
        }
        lines
    };
    frame.render_widget(Paragraph::new(lines), inner);
}

/// `text`, cleaned, in lines of at most `width` columns: broken between words (a word longer
/// than a line is cut), measured in display cells, so wide characters count twice.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let options = textwrap::Options::new(width.max(1))
        .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit)
        .break_words(true);
    textwrap::wrap(&crate::sanitize::clean(text), options)
        .into_iter()
        .map(|line| line.into_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn the_error_log_wraps_between_words_by_display_width() {
        let lines = wrap("GET /user/memberof: could not reach the server", 20);
        assert_eq!(
            lines,
            ["GET /user/memberof:", "could not reach the", "server"],
            "no word is broken"
        );
        // Two cells a character: ten columns hold five Han characters, not ten (Han text may
        // break between any two characters).
        let lines = wrap("陈浩然 陈浩然 陈浩然", 10);
        assert!(
            lines.iter().all(|l| crate::sanitize::width(l) <= 10),
            "{lines:?}"
        );
        assert_eq!(lines.concat().replace(' ', ""), "陈浩然陈浩然陈浩然");
    }
}
