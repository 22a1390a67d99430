//! The groups pane: a person's groups, a group's members, and the path walked to get there.

use super::{list_block, row_style, spinner, theme, thousands, Chrome};
use crate::app::lists::{group_rows, groups_filter, MemberSort};
use crate::app::state::{ActiveInput, Focus, GroupView, Mode, State};
use crate::app::Loadable;
use crate::sanitize::{clean, fit, pad};
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Draws the groups pane.
pub fn render_groups(frame: &mut Frame, area: Rect, state: &State) {
    let rows = group_rows(state);
    // The title's room: the border's corners, the pane's number and a trailing space.
    let room = usize::from(area.width).saturating_sub(6);
    let block = list_block(state, Focus::Groups, title(state, rows.len(), room), area);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [path_area, list_area, _] = Chrome::of(Focus::Groups).split(inner);
    let width = inner.width as usize;
    let typing = state.active_input() == ActiveInput::ListFilter && state.mode == Mode::Editing;
    if typing || groups_filter(state).is_some() {
        filter_line(frame, path_area, state, rows.len(), typing);
    } else {
        frame.render_widget(Paragraph::new(path_line(state, width)), path_area);
    }

    let height = list_area.height as usize;
    let lines: Vec<Line> = match state.groups.last() {
        None => vec![Line::styled(fit("Select a person.", width), theme::dim())],
        Some(GroupView::Memberships { groups, list, .. }) => match groups {
            Loadable::Loaded(groups) if groups.is_empty() => {
                vec![Line::styled(fit("In no groups.", width), theme::dim())]
            }
            Loadable::Loaded(_) if rows.is_empty() => {
                vec![Line::styled(
                    fit("No group matches the filter.", width),
                    theme::dim(),
                )]
            }
            Loadable::Loaded(groups) => list
                .window(rows.len(), height)
                .map(|shown| {
                    let style = row_style(state, Focus::Groups, list, shown);
                    let group = &groups[rows[shown]];
                    Line::styled(
                        format!(" {}", pad(&group.name, width.saturating_sub(1))),
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
            group,
            members,
            load,
            list,
            ..
        }) => {
            let mut lines: Vec<Line> = list
                .window(rows.len(), height)
                .map(|shown| {
                    let i = rows[shown];
                    let style = row_style(state, Focus::Groups, list, shown);
                    let user = state.directory.user(&members[i]);
                    let name = user.map(|u| u.name()).unwrap_or(members[i].as_str());
                    let mut tag = String::new();
                    if user.is_some_and(|u| u.is_guest()) {
                        tag.push_str(" guest");
                    }
                    if user.is_some_and(|u| u.is_app()) {
                        tag.push_str(" app");
                    }
                    let watch = super::member_watch::mark(state, &group.id, &members[i], style);
                    let w = width.saturating_sub(1 + tag.len() + 2 * usize::from(watch.is_some()));
                    let mut spans: Vec<Span> = watch.into_iter().collect();
                    spans.push(Span::styled(format!(" {}", pad(name, w)), style));
                    spans.push(Span::styled(tag, theme::accent(style, theme::tag())));
                    Line::from(spans)
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
                _ if rows.is_empty() => lines.push(Line::styled(
                    fit("No loaded member matches the filter.", width),
                    theme::dim(),
                )),
                _ => {}
            }
            lines
        }
        Some(GroupView::Compare(view)) => super::compare::lines(state, view, &rows, width, height),
    };
    frame.render_widget(Paragraph::new(lines), list_area);
}

/// The pane's title: what the list is and its count, then the members' order and the filter
/// (with how much of the list it applies to), each after a `·`.
fn title(state: &State, shown: usize, room: usize) -> Line<'static> {
    let parts = match state.groups.last() {
        Some(GroupView::Memberships {
            groups: Loadable::Loaded(g),
            ..
        }) => vec![format!("Groups · {}", thousands(g.len()))],
        Some(GroupView::Members {
            group,
            members,
            total,
            ..
        }) => {
            let mut parts = vec![match total {
                Some(t) => format!(
                    "Members · {} of {}",
                    thousands(members.len()),
                    thousands(*t as usize)
                ),
                None => format!("Members · {}", thousands(members.len())),
            }];
            if state.lists.member_sort != MemberSort::Site {
                parts.push(state.lists.member_sort.label().to_string());
            }
            parts.extend(super::member_watch::title(state, &group.id));
            parts
        }
        Some(GroupView::Compare(view)) => vec![super::compare::title(view, room)],
        _ => vec!["Groups".to_string()],
    };
    let filter = groups_filter(state).map(|text| {
        let loaded = match state.groups.last() {
            Some(GroupView::Members {
                members,
                total: Some(t),
                ..
            }) if (members.len() as i64) < *t => format!(" of {} loaded", thousands(members.len())),
            _ => String::new(),
        };
        format!(" · /{} {}{loaded}", fit(text, 16), thousands(shown))
    });
    let typing = state.active_input() == ActiveInput::ListFilter && state.mode == Mode::Editing;
    let mut spans = vec![Span::styled(parts.join(" · "), theme::title())];
    match filter {
        Some(filter) => spans.push(Span::styled(filter, theme::key())),
        None if typing => spans.push(Span::styled(" · /", theme::key())),
        None => {}
    }
    Line::from(spans)
}

/// The filter, where the path line was: `/text` (with the cursor while typing) and how many rows
/// match, of how many loaded.
fn filter_line(frame: &mut Frame, area: Rect, state: &State, shown: usize, typing: bool) {
    let text = clean(state.lists.filter.value()).into_owned();
    let of = match state.groups.last() {
        Some(GroupView::Members { members, .. }) => {
            format!(
                "  {} of {} loaded",
                thousands(shown),
                thousands(members.len())
            )
        }
        Some(GroupView::Memberships { groups, .. }) => format!(
            "  {} of {}",
            thousands(shown),
            thousands(groups.loaded().map_or(0, Vec::len))
        ),
        Some(GroupView::Compare(view)) => super::compare::filter_count(view, shown),
        None => String::new(),
    };
    let line = Line::from(vec![
        Span::styled("/", theme::key()),
        Span::raw(text),
        Span::styled(of, theme::dim()),
    ]);
    frame.render_widget(Paragraph::new(line), area);
    if typing {
        let x = area.x + 1 + state.lists.filter.visual_cursor() as u16;
        frame.set_cursor_position(Position::new(x.min(area.right().saturating_sub(1)), area.y));
    }
}

/// "Alice › engineering › Bob": the path back walks along.
fn path_line(state: &State, width: usize) -> Line<'static> {
    let parts: Vec<String> = state
        .groups
        .iter()
        .map(|v| match v {
            GroupView::Memberships { name, .. } => name.clone(),
            GroupView::Members { group, .. } => group.name.clone(),
            GroupView::Compare(view) => super::compare::path_part(view),
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
