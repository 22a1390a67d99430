//! The search pane: the query line, the ranked people, and a count line.

use super::{list_block, row_style, spinner, theme, thousands, Chrome};
use crate::app::directory::Entry;
use crate::app::state::{Focus, Mode, State};
use crate::app::Loadable;
use crate::sanitize::{cap, clean, fit};
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;
use std::collections::{HashMap, HashSet};
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
        Span::styled("press 1 to search people", theme::dim())
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
    let tells = disambiguators(state, &rows[window.clone()]);
    let lines: Vec<Line> = window
        .clone()
        .map(|pos| {
            let index = rows[pos];
            let style = row_style(state, Focus::Search, &state.search.list, pos);
            person_line(state, index, row_width, style, tells.get(&index))
        })
        .collect();
    if lines.is_empty() && !state.search.folded.is_empty() {
        if let Loadable::Failed(why) = &state.search.server {
            // Not "nobody matches": the site did not answer, so only the people known here
            // were searched (and none matched).
            let text = vec![
                Line::styled("The site's search failed:", theme::error()),
                Line::styled(cap(why, 240), theme::dim()),
                Line::styled("Nobody known here matches.", theme::dim()),
            ];
            frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), list_area);
            frame.render_widget(
                Paragraph::new(count_line(state, count_area.width as usize)),
                count_area,
            );
            return;
        }
    }
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

/// What tells apart people of the same name among the visible rows, by directory index: for
/// each name shown more than once, the first of email, public name and the account id's tail
/// that every one of them has and that differs between them (decision: one kind per name, so
/// the rows compare at a glance; the account id always differs, so its tail is the last resort,
/// as long as needed to differ).
fn disambiguators(state: &State, visible: &[usize]) -> HashMap<usize, String> {
    let mut by_name: HashMap<&str, Vec<(usize, Entry)>> = HashMap::new();
    for &index in visible {
        if let Some(person) = state.directory.get(index) {
            by_name
                .entry(person.name())
                .or_default()
                .push((index, person));
        }
    }
    let mut tells = HashMap::new();
    for (name, same) in by_name.into_iter().filter(|(_, same)| same.len() > 1) {
        let email = |u: &Entry| u.email.filter(|e| !e.trim().is_empty()).map(str::to_string);
        let public = |u: &Entry| {
            u.public_name
                .filter(|p| !p.is_empty() && *p != name)
                .map(str::to_string)
        };
        let tell = |f: &dyn Fn(&Entry) -> Option<String>| -> Option<Vec<String>> {
            let values: Vec<String> = same.iter().map(|(_, u)| f(u)).collect::<Option<_>>()?;
            let distinct: HashSet<&String> = values.iter().collect();
            (distinct.len() == values.len()).then_some(values)
        };
        let values = tell(&email)
            .or_else(|| tell(&public))
            .or_else(|| {
                [6, 12, usize::MAX].into_iter().find_map(|n| {
                    tell(&|u: &Entry| {
                        let id = u.account_id.unwrap_or_default();
                        let skip = id.chars().count().saturating_sub(n);
                        let tail: String = id.chars().skip(skip).collect();
                        Some(if skip > 0 { format!("…{tail}") } else { tail })
                    })
                })
            })
            .unwrap_or_default();
        for ((index, _), value) in same.iter().zip(values) {
            tells.insert(*index, value);
        }
    }
    tells
}

/// One person row: the name with matched characters highlighted, its disambiguator when
/// another visible row has the same name, then tags.
fn person_line(
    state: &State,
    index: usize,
    width: usize,
    style: Style,
    tell: Option<&String>,
) -> Line<'static> {
    let Some(person) = state.directory.get(index) else {
        return Line::raw("");
    };
    let user = person;
    let mut tags = String::new();
    if user.is_guest() {
        tags.push_str(" guest");
    }
    if user.is_app() {
        tags.push_str(" app");
    }
    if state.me.loaded().and_then(|m| m.account_id.as_deref()) == user.account_id {
        tags.push_str(" you");
    }
    let room = width.saturating_sub(tags.chars().count() + 1);
    // The name first, leaving the disambiguator a third of the room; it takes the rest.
    let (name_width, tell) = match tell {
        Some(t) => {
            let full = crate::sanitize::width(t);
            let keep = full.min(room / 3);
            let name_width = crate::sanitize::width(user.name()).min(room.saturating_sub(keep + 1));
            let tell_width = full.min(room.saturating_sub(name_width + 1));
            (name_width, Some(fit(t, tell_width)))
        }
        None => (room, None),
    };
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
    let mut used: usize = 1 + name.chars().map(|c| c.width().unwrap_or(0)).sum::<usize>();
    if let Some(tell) = tell {
        spans.push(Span::styled(" ", style));
        used += 1 + crate::sanitize::width(&tell);
        spans.push(Span::styled(tell, theme::accent(style, theme::dim())));
    }
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
        let count = if state.search.ranked.unscanned.is_some() {
            // The first rows are ranked; the rest are counted a moment later.
            "counting".to_string()
        } else {
            format!("{}{total}", thousands(shown))
        };
        spans.push(Span::styled(count, theme::dim()));
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
