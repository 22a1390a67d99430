//! The watch-list pane: spaces and pinned labels and pages, each with its live status.

use super::{list_block, row_style, spinner, theme, Chrome};
use crate::api::WatchTarget;
use crate::app::state::{ActiveInput, Focus, Mode, State, WatchRow, WatchStatus};
use crate::app::Loadable;
use crate::sanitize::{clean, fit, pad};
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Draws the watch-list pane.
pub fn render_watchlist(frame: &mut Frame, area: Rect, state: &State) {
    let whose = match &state.watch.subject {
        None => "yours".to_string(),
        Some((_, name)) => format!("{}'s", fit(name, 20)),
    };
    let mut title = vec![
        Span::styled("Watch list", theme::title()),
        Span::styled(format!(" · {whose}"), theme::dim()),
    ];
    if !state.watch.marks.is_empty() {
        title.push(Span::styled(
            format!(" · {} marked", state.watch.marks.len()),
            theme::key(),
        ));
    }
    let filter = state.watch.filter.value().trim();
    if !filter.is_empty() {
        title.push(Span::styled(
            format!(" · /{} {}", fit(filter, 16), state.watch.rows.len()),
            theme::key(),
        ));
    }
    let block = list_block(state, Focus::Watchlist, Line::from(title), area);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [_, list_area, input_area] = Chrome::of(Focus::Watchlist).split(inner);
    let width = inner.width as usize;
    let user = state.watch_subject();
    let list = &state.watch.list;
    let rows = &state.watch.rows;
    let mut lines: Vec<Line> = list
        .window(rows.len(), list_area.height as usize)
        .map(|i| watch_row(state, i, &user, width))
        .collect();
    if lines.is_empty() {
        let text = match &state.watch.spaces_load {
            Loadable::Failed(message) => Line::styled(fit(message, width), theme::error()),
            Loadable::Loading(_) => Line::styled("Loading spaces…", theme::dim()),
            _ if !state.watch.filter.value().is_empty() => {
                Line::styled("Nothing matches the filter.", theme::dim())
            }
            _ => Line::styled(
                fit("No spaces · p pins a label or page", width),
                theme::dim(),
            ),
        };
        lines.push(text);
    }
    frame.render_widget(Paragraph::new(lines), list_area);

    // The bottom line: the pin prompt, the filter, or a legend.
    let editing = state.mode == Mode::Editing;
    let (prompt, input) = match (&state.watch.pin_input, state.active_input()) {
        (Some(input), _) => ("pin (label:NAME or page:ID): ", Some(input)),
        (None, ActiveInput::WatchFilter) if editing || !state.watch.filter.value().is_empty() => {
            ("filter: ", Some(&state.watch.filter))
        }
        _ if !state.watch.filter.value().is_empty() => ("filter: ", Some(&state.watch.filter)),
        _ => ("", None),
    };
    match input {
        Some(input) => {
            let line = Line::from(vec![
                Span::styled(prompt, theme::key()),
                Span::raw(clean(input.value()).into_owned()),
            ]);
            frame.render_widget(Paragraph::new(line), input_area);
            if editing && state.focus == Focus::Watchlist {
                let x = input_area.x + prompt.chars().count() as u16 + input.visual_cursor() as u16;
                frame.set_cursor_position(Position::new(
                    x.min(input_area.right().saturating_sub(1)),
                    input_area.y,
                ));
            }
        }
        None => {
            // A failed spaces load stays visible here even when pinned rows fill the list.
            let bottom = match &state.watch.spaces_load {
                Loadable::Failed(message) if !state.watch.rows.is_empty() => {
                    Line::styled(fit(&format!("spaces: {message}"), width), theme::error())
                }
                _ => Line::from(vec![
                    Span::styled("● ", theme::watching()),
                    Span::styled("watched  ", theme::dim()),
                    Span::styled("○ ", theme::dim()),
                    Span::styled("not", theme::dim()),
                ]),
            };
            frame.render_widget(Paragraph::new(bottom), input_area);
        }
    }
}

/// Row `i` of the watch list: `*` when marked, status mark, kind and id, title, and a note while
/// saving or failed.
fn watch_row(state: &State, i: usize, user: &Option<String>, width: usize) -> Line<'static> {
    let list = &state.watch.list;
    let row = &state.watch.rows[i];
    let style = row_style(state, Focus::Watchlist, list, i);
    let status = state
        .watch
        .statuses
        .get(&(user.clone(), row.target.clone()));
    let (mark, mark_style) = match status {
        Some(WatchStatus::Known(true)) => ("●".to_string(), theme::watching()),
        Some(WatchStatus::Known(false)) => ("○".to_string(), theme::dim()),
        Some(WatchStatus::Pending { was, .. }) => {
            (if *was { "◌" } else { "◍" }.to_string(), theme::warn())
        }
        Some(WatchStatus::Loading(_)) => (spinner(state.spinner).to_string(), theme::dim()),
        Some(WatchStatus::Failed(_)) => ("!".to_string(), theme::error()),
        Some(WatchStatus::Checking(_)) => ("?".to_string(), theme::warn()),
        None => (" ".to_string(), theme::dim()),
    };
    let owner = personal_owner(state, row);
    let (kind, id) = match &row.target {
        WatchTarget::Space(_) if owner.is_some() => ("~", owner.unwrap_or_default()),
        WatchTarget::Space(key) => ("", key.as_str()),
        WatchTarget::Label(name) => ("label ", name.as_str()),
        WatchTarget::Content(id) => ("page ", id.as_str()),
    };
    let note = match status {
        Some(WatchStatus::Failed(why)) => format!("  {}", fit(why, 14)),
        Some(WatchStatus::Pending { .. }) => "  saving…".to_string(),
        Some(WatchStatus::Checking(_)) => "  checking…".to_string(),
        _ => String::new(),
    };
    let note_width = crate::sanitize::width(&note);
    // Four fixed columns: a space, the mark, a space, and the space after the id.
    let id_room = width.saturating_sub(4 + note_width).min(kind.len() + 16);
    let id_text = fit(&format!("{kind}{id}"), id_room);
    let title = if row.pinned {
        // A pinned page's title once the site gave it (the row holds its id until then), or
        // why it could not.
        match state.lists.page_titles.get(row.target.id()) {
            Some(Loadable::Failed(why)) if matches!(row.target, WatchTarget::Content(_)) => {
                format!("({why})")
            }
            _ if row.title != row.target.id() => clean(&row.title).into_owned(),
            _ => String::new(),
        }
    } else if owner.is_some_and(|o| o == row.title) {
        String::new()
    } else {
        clean(&row.title).into_owned()
    };
    let rest = width.saturating_sub(4 + crate::sanitize::width(&id_text) + note_width);
    // Marked rows carry a `*` in the first column (as in Midnight Commander), so the mark
    // shows without colour (NO_COLOR) too.
    let marked = state.watch.marks.contains(&row.target);
    Line::from(vec![
        if marked {
            Span::styled("*", theme::accent(style, theme::key()))
        } else {
            Span::styled(" ", style)
        },
        Span::styled(mark, theme::accent(style, mark_style)),
        Span::styled(" ", style),
        Span::styled(id_text, theme::accent(style, theme::key())),
        Span::styled(" ", style),
        Span::styled(pad(&title, rest), style),
        Span::styled(note, theme::accent(style, theme::dim())),
    ])
}

/// A personal space's owner, by name: the person whose account id the `~` key carries when the
/// directory knows them, else the space's name (Confluence names a personal space after its
/// owner). `None` for other rows.
fn personal_owner<'a>(state: &'a State, row: &'a WatchRow) -> Option<&'a str> {
    let WatchTarget::Space(key) = &row.target else {
        return None;
    };
    let id = key.strip_prefix('~')?;
    Some(
        state
            .directory
            .user(id)
            .map(|u| u.name())
            .filter(|name| !name.is_empty())
            .unwrap_or(row.title.as_str()),
    )
    .filter(|name| !name.is_empty())
}
