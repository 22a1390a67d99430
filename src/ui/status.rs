//! The title bar (site, you, requests in flight, rate limiting), the message line (last error or
//! notice) and the footer (the focused pane's keys, from the keymap).

use super::{spinner, theme};
use crate::app::keymap::footer_hints;
use crate::app::state::State;
use crate::app::Loadable;
use crate::sanitize::fit;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Draws the title bar.
pub fn render_title(frame: &mut Frame, area: Rect, state: &State) {
    let me = match &state.me {
        Loadable::Loaded(user) => fit(user.name(), 30),
        Loadable::Loading(_) => "signing in…".to_string(),
        Loadable::Failed(_) => "not signed in".to_string(),
        Loadable::Idle => String::new(),
    };
    let left = Line::from(vec![
        Span::styled(" confdir", theme::title()),
        Span::styled(" · ", theme::dim()),
        Span::raw(fit(&state.site, 40)),
        Span::styled(" · ", theme::dim()),
        Span::raw(me),
    ]);
    frame.render_widget(Paragraph::new(left), area);

    let mut right = Vec::new();
    if let Some(until) = state.rate_limited_until {
        let secs = (until - state.now).num_seconds().max(0);
        right.push(Span::styled(
            format!("rate limited · {secs} s  "),
            theme::warn(),
        ));
    }
    let n = state.in_flight();
    if n > 0 {
        right.push(Span::styled(
            format!(
                "{} {n} request{} ",
                spinner(state.spinner),
                if n == 1 { "" } else { "s" }
            ),
            theme::dim(),
        ));
    } else if matches!(state.me, Loadable::Loaded(_)) {
        right.push(Span::styled("live ", theme::watching()));
    }
    frame.render_widget(
        Paragraph::new(Line::from(right)).alignment(Alignment::Right),
        area,
    );
}

/// Draws the message line: the last error (until dismissed) or a notice.
pub fn render_message(frame: &mut Frame, area: Rect, state: &State) {
    let width = area.width as usize;
    let line = if let Some(error) = &state.last_error {
        let extra = if state.errors.len() > 1 {
            format!("  ({} errors · E log · x dismiss)", state.errors.len())
        } else {
            "  (x dismiss · E log)".to_string()
        };
        let room = width.saturating_sub(extra.chars().count() + 1);
        Line::from(vec![
            Span::styled(format!(" {}", fit(error, room)), theme::error()),
            Span::styled(extra, theme::dim()),
        ])
    } else if let Some(notice) = &state.notice {
        Line::styled(
            format!(" {}", fit(notice, width.saturating_sub(1))),
            Style::new(),
        )
    } else {
        Line::raw("")
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// Draws the footer: key hints of the focused pane, generated from the keymap table.
pub fn render_footer(frame: &mut Frame, area: Rect, state: &State) {
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    for (key, help) in footer_hints(state.focus, state.mode) {
        let len = key.chars().count() + help.chars().count() + 3;
        if used + len > area.width as usize {
            break;
        }
        used += len;
        spans.push(Span::styled(key, theme::key()));
        spans.push(Span::styled(format!(" {help}  "), theme::dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
