//! The search pane: the query line, the ranked people, and a count line.

use super::{list_block, row_style, spinner, theme, thousands, Chrome};
use crate::app::state::{Focus, Mode, State};
use crate::app::Loadable;
use crate::sanitize::{clean, fit};
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use unicode_width::UnicodeWidthChar;

/// Draws the search pane.
pub fn render_search(frame: &mut Frame, area: Rect, state: &State) {
    let block = list_block(
        state,
        Focus::Search,
        Line::styled("Search", theme::title()),
        area,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [input_area, list_area, count_area] = Chrome::of(Focus::Search).split(inner);

    // The query line, scrolled so the cursor stays visible.
    let editing = state.focus == Focus::Search && state.mode == Mode::Editing;
    let input = &state.search.input;
    let width = input_area.width.saturating_sub(2) as usize;
    let scroll = input.visual_scroll(width.max(1));
    let prompt = Span::styled("> ", if editing { theme::key() } else { theme::dim() });
    let shown: String = clean(input.value())
        .chars()
        .skip(scroll)
        .take(width)
        .collect();
    let placeholder = input.value().is_empty() && !editing;
    let text = if placeholder {
        Span::styled("type / to search people", theme::dim())
    } else {
        Span::raw(shown)
    };
    frame.render_widget(Paragraph::new(Line::from(vec![prompt, text])), input_area);
    if editing && state.overlay == crate::app::state::Overlay::None {
        let x = input_area.x + 2 + (input.visual_cursor().saturating_sub(scroll)) as u16;
        frame.set_cursor_position(Position::new(
            x.min(input_area.right().saturating_sub(1)),
            input_area.y,
        ));
    }

    // Only the visible rows are built.
    let rows = &state.search.rows;
    let window = state
        .search
        .list
        .window(rows.len(), list_area.height as usize);
    let row_width = list_area.width as usize;
    let lines: Vec<Line> = window
        .clone()
        .map(|pos| {
            let index = rows[pos];
            let style = row_style(state, Focus::Search, &state.search.list, pos);
            person_line(state, index, row_width, style)
        })
        .collect();
    if lines.is_empty() {
        let hint = if state.search.folded.is_empty() {
            match &state.me {
                Loadable::Loading(_) => "Connecting…",
                _ => "Type a name.",
            }
        } else if state.search.server.is_loading() {
            "Searching…"
        } else {
            "Nobody matches."
        };
        frame.render_widget(
            Paragraph::new(Line::styled(
                fit(hint, list_area.width as usize),
                theme::dim(),
            )),
            list_area,
        );
    } else {
        frame.render_widget(Paragraph::new(lines), list_area);
    }

    frame.render_widget(
        Paragraph::new(count_line(state, count_area.width as usize)),
        count_area,
    );
}

/// One person row: the name with matched characters highlighted, then tags.
fn person_line(state: &State, index: usize, width: usize, style: Style) -> Line<'static> {
    let Some(person) = state.directory.get(index) else {
        return Line::raw("");
    };
    let user = &person.user;
    let mut tags = String::new();
    if user.is_guest() {
        tags.push_str(" guest");
    }
    if user.is_app() {
        tags.push_str(" app");
    }
    if state.me.loaded().and_then(|m| m.account_id.as_deref()) == user.account_id.as_deref() {
        tags.push_str(" you");
    }
    let name_width = width.saturating_sub(tags.chars().count() + 1);
    let name = fit(user.name(), name_width);
    let marks = state.search.highlights.get(&index);
    let mut spans: Vec<Span> = Vec::new();
    spans.push(Span::styled(" ", style));
    match marks {
        Some(marks) if !marks.is_empty() => {
            // Highlight by char index; the fitted name keeps the original's char positions
            // up to the ellipsis.
            let mut run = String::new();
            let mut run_marked = false;
            for (i, c) in name.chars().enumerate() {
                let marked = marks.contains(&i) && c != '…';
                if marked != run_marked && !run.is_empty() {
                    let s = if run_marked {
                        theme::accent(style, theme::matched())
                    } else {
                        style
                    };
                    spans.push(Span::styled(std::mem::take(&mut run), s));
                }
                run_marked = marked;
                run.push(c);
            }
            if !run.is_empty() {
                let s = if run_marked {
                    theme::accent(style, theme::matched())
                } else {
                    style
                };
                spans.push(Span::styled(run, s));
            }
        }
        _ => spans.push(Span::styled(name.clone(), style)),
    }
    let used: usize = 1 + name.chars().map(|c| c.width().unwrap_or(0)).sum::<usize>();
    let pad = width.saturating_sub(used + tags.chars().count());
    spans.push(Span::styled(" ".repeat(pad), style));
    if !tags.is_empty() {
        spans.push(Span::styled(tags, theme::accent(style, theme::tag())));
    }
    Line::from(spans)
}

fn count_line(state: &State, width: usize) -> Line<'static> {
    let shown = state.search.rows.len();
    let mut spans = Vec::new();
    if state.search.folded.is_empty() {
        spans.push(Span::styled(
            format!("you + {} recent", shown.saturating_sub(1)),
            theme::dim(),
        ));
    } else {
        let total = state
            .search
            .server_total
            .filter(|_| state.search.server_query.trim() == state.search.input.value().trim())
            .map(|t| t.max(0) as usize)
            // Known people the server did not count can make the list longer than its total.
            .map(|t| {
                if shown <= t {
                    format!(" of {}", thousands(t))
                } else {
                    format!(", {} from the site", thousands(t))
                }
            })
            .unwrap_or_default();
        spans.push(Span::styled(
            format!("{}{total}", thousands(shown)),
            theme::dim(),
        ));
        match &state.search.server {
            Loadable::Loading(_) => spans.push(Span::styled(
                format!(" · server {}", spinner(state.spinner)),
                theme::dim(),
            )),
            Loadable::Loaded(_) => spans.push(Span::styled(" · server", theme::dim())),
            Loadable::Failed(_) => spans.push(Span::styled(" · server failed", theme::error())),
            Loadable::Idle => {}
        }
    }
    let used: usize = spans
        .iter()
        .map(|s| crate::sanitize::width(&s.content))
        .sum();
    let known = format!(" · {} known", thousands(state.directory.len()));
    if used + known.chars().count() <= width {
        spans.push(Span::styled(known, theme::dim()));
    }
    Line::from(spans)
}
