//! The profile pane: every field of the highlighted person, with privacy-hidden values shown as
//! such (never as blanks), their local time, personal space, and user properties.

use super::{list_block, row_style, theme};
use crate::api::model::{EmailState, User};
use crate::app::property_edit::Stage;
use crate::app::state::{EmailApi, Focus, State};
use crate::app::Loadable;
use crate::sanitize::{clean, fit, pad};
use chrono::{DateTime, Utc};
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Rows of the person's fields (name, account, email, time, space) above the properties.
pub const FIELD_ROWS: u16 = 5;

/// Columns inside the profile pane from which short property values are shown beside their
/// keys (a 200-column terminal has 150; 160 columns, 110).
pub const INLINE_MIN_WIDTH: u16 = 120;

/// The widest key column when values are shown beside the keys.
const INLINE_KEYS_MAX: usize = 32;

/// Draws the profile pane.
pub fn render_profile(frame: &mut Frame, area: Rect, state: &State) {
    let mut title = vec![Span::styled("Profile", theme::title())];
    match &state.profile.user {
        Loadable::Loading(_) => title.push(Span::styled(" · loading…", theme::dim())),
        Loadable::Failed(_) => title.push(Span::styled(" · failed to load", theme::error())),
        _ => {}
    }
    // The search lists nobody for the query, yet the pane still shows an earlier person: say
    // so, so it does not read as the answer.
    if !state.search.folded.is_empty()
        && state.search.rows.is_empty()
        && !state.search.server.is_loading()
        && state.profile.account_id.is_some()
    {
        title.push(Span::styled(" · last opened", theme::dim()));
    }
    let block = list_block(state, Focus::Profile, Line::from(title), area);
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let Some(account_id) = state.profile.account_id.as_deref() else {
        frame.render_widget(
            Paragraph::new(Line::styled("Nobody selected yet.", theme::dim())),
            inner,
        );
        return;
    };
    // While the full profile loads, show what the directory already knows.
    let known = state.directory.user(account_id).map(|u| u.to_user());
    let user = state.profile.user.loaded().or(known.as_ref());
    let width = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    match (user, &state.profile.user) {
        (Some(user), load) => {
            lines.push(name_line(user, width));
            lines.push(field(
                "account",
                vec![Span::raw(fit(account_id, width.saturating_sub(10)))],
            ));
            lines.push(field("email", email_spans(state, user)));
            lines.push(field(
                "time",
                time_spans(user, state.now, width.saturating_sub(10)),
            ));
            match load {
                // What the directory knew is shown, but the rest of the profile is missing:
                // say so where the fetched fields would be.
                Loadable::Failed(message) => lines.push(field(
                    "error",
                    vec![Span::styled(
                        fit(message, width.saturating_sub(10)),
                        theme::error(),
                    )],
                )),
                _ => lines.push(field("space", space_spans(user, load, width))),
            }
        }
        (None, Loadable::Failed(message)) => {
            lines.push(Line::styled(fit(message, width), theme::error()));
        }
        (None, _) => lines.push(Line::styled("Loading…", theme::dim())),
    }
    while lines.len() < usize::from(FIELD_ROWS) {
        lines.push(Line::raw(""));
    }
    lines.extend(property_lines(
        state,
        inner.height.saturating_sub(FIELD_ROWS) as usize,
        width,
    ));
    let key_box = key_box_line(state, width);
    if let Some((line, _)) = &key_box {
        if let Some(header) = lines.get_mut(usize::from(FIELD_ROWS)) {
            *header = line.clone();
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some((_, cursor)) = key_box {
        let y = inner.y + FIELD_ROWS;
        if y < inner.bottom() {
            let x = inner.x + cursor as u16;
            frame.set_cursor_position(Position::new(x.min(inner.right().saturating_sub(1)), y));
        }
    }
}

/// The "new property key" box in place of the properties' heading, and the cursor's column.
fn key_box_line(state: &State, width: usize) -> Option<(Line<'static>, usize)> {
    let input = state.prop_edit.key_input.as_ref()?;
    if state.focus != Focus::Profile {
        return None;
    }
    const PROMPT: &str = "new key   ";
    let value = fit(input.value(), width.saturating_sub(PROMPT.len() + 1));
    let line = Line::from(vec![Span::styled(PROMPT, theme::key()), Span::raw(value)]);
    Some((line, PROMPT.len() + input.visual_cursor()))
}

/// The write under way for the shown person, as a few words for the properties' heading.
fn busy_note(state: &State) -> Option<String> {
    let session = state.prop_edit.session.as_ref()?;
    if state.profile.account_id.as_deref() != Some(session.target.account_id.as_str()) {
        return None;
    }
    let doing = match session.stage {
        Stage::Reading => "reading",
        Stage::Editing => "in the editor:",
        Stage::Writing => "saving",
        Stage::Deleting => "deleting",
    };
    Some(format!(" · {doing} `{}`…", session.target.key))
}

fn field(label: &'static str, value: Vec<Span<'static>>) -> Line<'static> {
    let mut spans = vec![Span::styled(format!("{label:<9} "), theme::label())];
    spans.extend(value);
    Line::from(spans)
}

fn name_line(user: &User, width: usize) -> Line<'static> {
    let kind = match user.account_type.as_deref() {
        Some("app") => "app account",
        Some("atlassian") => "person",
        Some("") | None => "account type unknown",
        Some(other) => other,
    };
    let mut tags = vec![Span::styled(format!("  {}", fit(kind, 20)), theme::tag())];
    if user.is_guest() {
        tags.push(Span::styled(
            "  guest (external collaborator)",
            theme::tag(),
        ));
    }
    if let Some(status) = user.account_status.as_deref().filter(|s| *s != "active") {
        tags.push(Span::styled(
            format!("  {}", fit(status, 16)),
            theme::warn(),
        ));
    }
    let tags_width: usize = tags
        .iter()
        .map(|s| crate::sanitize::width(&s.content))
        .sum();
    let name = fit(user.name(), width.saturating_sub(tags_width).max(width / 3));
    let mut spans = vec![Span::styled(name.clone(), theme::title())];
    // The public name sits between the name and the tags, in the long form when it fits and as
    // a bare "(alias)" on a narrow pane.
    if let Some(public) = user.public_name.as_deref().filter(|p| *p != user.name()) {
        let room = width.saturating_sub(crate::sanitize::width(&name) + tags_width);
        let long = format!("  (public name: {})", clean(public));
        let text = if crate::sanitize::width(&long) <= room {
            long
        } else if room > 6 {
            format!("  ({})", fit(public, room - 4))
        } else {
            String::new()
        };
        spans.push(Span::styled(text, theme::dim()));
    }
    spans.extend(tags);
    Line::from(spans)
}

fn email_spans(state: &State, user: &User) -> Vec<Span<'static>> {
    match user.email_state() {
        EmailState::Visible(email) => vec![Span::raw(clean(email).into_owned())],
        state_of_user => {
            let mut spans = Vec::new();
            match &state.profile.email {
                Loadable::Loaded(email) => {
                    spans.push(Span::raw(clean(email).into_owned()));
                    spans.push(Span::styled("  (email API)", theme::dim()));
                    return spans;
                }
                Loadable::Loading(_) => {
                    spans.push(Span::styled("looking up…", theme::dim()));
                    return spans;
                }
                _ => {}
            }
            spans.push(Span::styled(
                if state_of_user == EmailState::Hidden {
                    "hidden by privacy settings"
                } else {
                    "not sent by the server"
                },
                theme::hidden(),
            ));
            if let EmailApi::Unavailable(why) = &state.email_api {
                spans.push(Span::styled(
                    format!(
                        "  · email API not available on this site ({})",
                        fit(why, 40)
                    ),
                    theme::dim(),
                ));
            }
            spans
        }
    }
}

/// "Europe/Paris · 14:32 local, Thu (UTC+01:00)", or None for an unknown zone.
pub fn local_time(zone: &str, now: DateTime<Utc>) -> Option<String> {
    let tz: chrono_tz::Tz = zone.parse().ok()?;
    let local = now.with_timezone(&tz);
    Some(format!(
        "{} · {} local, {} (UTC{})",
        zone,
        local.format("%H:%M"),
        local.format("%a"),
        local.format("%:z")
    ))
}

fn time_spans(user: &User, now: DateTime<Utc>, width: usize) -> Vec<Span<'static>> {
    match user.time_zone.as_deref() {
        None | Some("") => vec![Span::styled("hidden by privacy settings", theme::hidden())],
        Some(zone) => match local_time(zone, now) {
            Some(text) => vec![Span::raw(fit(&text, width))],
            None => vec![
                Span::raw(clean(zone).into_owned()),
                Span::styled("  (unknown time zone)", theme::dim()),
            ],
        },
    }
}

fn space_spans(user: &User, load: &Loadable<User>, width: usize) -> Vec<Span<'static>> {
    match (&user.personal_space, load) {
        // Its name, not its key: a personal space's key is `~` and the account id, which says
        // nothing a person reads.
        (Some(space), _) => vec![
            Span::raw(fit(&space.name, width.saturating_sub(30))),
            Span::styled(" · personal space", theme::dim()),
        ],
        (None, Loadable::Loading(_)) => vec![Span::styled("…", theme::dim())],
        (None, _) => vec![Span::styled("no personal space", theme::dim())],
    }
}

fn property_lines(state: &State, height: usize, width: usize) -> Vec<Line<'static>> {
    // An opened value is drawn once, in its window over the panes (`overlay::render_property`):
    // the pane keeps listing the keys, the opened one marked.
    let mut lines = Vec::new();
    let open = state
        .profile
        .open_prop
        .as_ref()
        .map(|(key, _)| key.as_str());
    match &state.profile.props {
        Loadable::Loaded(keys) if keys.is_empty() => {
            lines.push(field("props", vec![Span::styled("none", theme::dim())]));
        }
        Loadable::Loaded(keys) => {
            let mut heading = vec![Span::styled(
                format!("{} · Enter shows a value", keys.len()),
                theme::dim(),
            )];
            if let Some(note) = busy_note(state) {
                heading.push(Span::styled(
                    fit(&note, width.saturating_sub(40)),
                    theme::warn(),
                ));
            }
            lines.push(field("props", heading));
            let list = &state.profile.prop_list;
            let window = list.window(keys.len(), height.saturating_sub(1));
            // On a wide pane, short values sit beside their keys, in a column.
            let inline = width >= usize::from(INLINE_MIN_WIDTH);
            let keys_width = keys
                .get(window.clone())
                .unwrap_or_default()
                .iter()
                .map(|k| crate::sanitize::width(k))
                .max()
                .unwrap_or(0)
                .min(INLINE_KEYS_MAX);
            let account = state.profile.account_id.clone().unwrap_or_default();
            for i in window {
                let style: Style = row_style(state, Focus::Profile, list, i);
                let mark = if open == Some(keys[i].as_str()) {
                    "▸ "
                } else {
                    "  "
                };
                let value = inline
                    .then(|| {
                        state
                            .profile
                            .inline
                            .get(&(account.clone(), keys[i].clone()))
                    })
                    .flatten();
                let Some(Some(value)) = value else {
                    lines.push(Line::styled(
                        format!("{mark}{}", pad(&keys[i], width.saturating_sub(2))),
                        style,
                    ));
                    continue;
                };
                let room = width.saturating_sub(2 + keys_width + 2);
                lines.push(Line::from(vec![
                    Span::styled(format!("{mark}{}  ", pad(&keys[i], keys_width)), style),
                    Span::styled(pad(value, room), style),
                ]));
            }
        }
        Loadable::Failed(message) => {
            lines.push(field(
                "props",
                vec![Span::styled(fit(message, width - 10), theme::error())],
            ));
        }
        _ => lines.push(field("props", vec![Span::styled("…", theme::dim())])),
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_time_uses_the_zone() {
        let now: DateTime<Utc> = "2026-01-15T12:00:00Z".parse().unwrap();
        assert_eq!(
            local_time("Europe/Paris", now).unwrap(),
            "Europe/Paris · 13:00 local, Thu (UTC+01:00)"
        );
        assert_eq!(local_time("Not/AZone", now), None);
    }
}
