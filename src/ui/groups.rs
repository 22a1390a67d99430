//! The groups pane: a person's groups, a group's members, and the path walked to get there.

use super::{list_block, row_style, spinner, theme, thousands, Chrome};
use crate::app::state::{Focus, GroupView, State};
use crate::app::Loadable;
use crate::sanitize::{fit, pad};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Draws the groups pane.
pub fn render_groups(frame: &mut Frame, area: Rect, state: &State) {
    let title = match state.groups.last() {
        Some(GroupView::Memberships {
            groups: Loadable::Loaded(g),
            ..
        }) => format!("Groups · {}", thousands(g.len())),
        Some(GroupView::Members { members, total, .. }) => match total {
            Some(t) => format!(
                "Members · {} of {}",
                thousands(members.len()),
                thousands(*t as usize)
            ),
            None => format!("Members · {}", thousands(members.len())),
        },
        _ => "Groups".to_string(),
    };
    let block = list_block(
        state,
        Focus::Groups,
        Line::styled(title, theme::title()),
        area,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [path_area, list_area, _] = Chrome::of(Focus::Groups).split(inner);
    let width = inner.width as usize;
    frame.render_widget(Paragraph::new(path_line(state, width)), path_area);

    let height = list_area.height as usize;
    let lines: Vec<Line> = match state.groups.last() {
        None => vec![Line::styled(fit("Select a person.", width), theme::dim())],
        Some(GroupView::Memberships { groups, list, .. }) => match groups {
            Loadable::Loaded(groups) if groups.is_empty() => {
                vec![Line::styled(fit("In no groups.", width), theme::dim())]
            }
            Loadable::Loaded(groups) => list
                .window(groups.len(), height)
                .map(|i| {
                    let style = row_style(state, Focus::Groups, list, i);
                    Line::styled(
                        format!(" {}", pad(&groups[i].name, width.saturating_sub(1))),
                        style,
                    )
                })
                .collect(),
            Loadable::Failed(message) => vec![Line::styled(fit(message, width), theme::error())],
            _ => vec![Line::styled(
                format!("{} loading groups…", spinner(state.spinner)),
                theme::dim(),
            )],
        },
        Some(GroupView::Members {
            members,
            load,
            list,
            ..
        }) => {
            let mut lines: Vec<Line> = list
                .window(members.len(), height)
                .map(|i| {
                    let style = row_style(state, Focus::Groups, list, i);
                    let user = state.directory.user(&members[i]);
                    let name = user.map(|u| u.name()).unwrap_or(members[i].as_str());
                    let mut tag = String::new();
                    if user.is_some_and(|u| u.is_guest()) {
                        tag.push_str(" guest");
                    }
                    if user.is_some_and(|u| u.is_app()) {
                        tag.push_str(" app");
                    }
                    let w = width.saturating_sub(1 + tag.len());
                    Line::from(vec![
                        Span::styled(format!(" {}", pad(name, w)), style),
                        Span::styled(tag, theme::accent(style, theme::tag())),
                    ])
                })
                .collect();
            match load {
                Loadable::Loading(_) if lines.len() < height => lines.push(Line::styled(
                    format!("{} loading members…", spinner(state.spinner)),
                    theme::dim(),
                )),
                Loadable::Failed(message) if lines.len() < height => {
                    lines.push(Line::styled(fit(message, width), theme::error()))
                }
                Loadable::Loaded(_) if members.is_empty() => {
                    lines.push(Line::styled(fit("No members.", width), theme::dim()))
                }
                _ => {}
            }
            lines
        }
    };
    frame.render_widget(Paragraph::new(lines), list_area);
}

/// "Alice › engineering › Bob": the path back walks along.
fn path_line(state: &State, width: usize) -> Line<'static> {
    let parts: Vec<String> = state
        .groups
        .iter()
        .map(|v| match v {
            GroupView::Memberships { name, .. } => name.clone(),
            GroupView::Members { group, .. } => group.name.clone(),
        })
        .collect();
    if parts.is_empty() {
        return Line::raw("");
    }
    // The footer says how to go back; the whole width goes to the path.
    let text = parts.join(" › ");
    // Keep the end of a long path visible.
    let chars: Vec<char> = text.chars().collect();
    let shown: String = if chars.len() > width && width > 1 {
        std::iter::once('…')
            .chain(chars[chars.len() - (width - 1)..].iter().copied())
            .collect()
    } else {
        text
    };
    Line::styled(fit(&shown, width), theme::dim())
}
