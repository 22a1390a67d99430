//! The title bar (site, you, requests in flight, what the client waits for), the message line
//! (last error or notice) and the footer (the focused pane's keys, from the keymap).
//!
//! Of the client's waits the title names the one that matters most, foreground first: a rate
//! limit on what the user asked for is a warning; one on background work (the watch list's
//! statuses) only says that work is paused, because the rest of the screen still works.

use super::{spinner, theme};
use crate::api::WaitKind;
use crate::app::keymap::footer_hints;
use crate::app::request::WaitView;
use crate::app::state::{Connection, State};
use crate::app::Loadable;
use crate::sanitize::fit;
use chrono::{DateTime, Utc};
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// The title bar's left side in at most `room` columns: `confdir · site · you · marked: NAME`.
/// Short of room, the site goes first, then you, then the marked name is cut: the mark is
/// state the screen shows nowhere else.
fn title_left(state: &State, room: usize) -> Line<'static> {
    let me = match &state.me {
        Loadable::Loaded(user) => fit(user.name(), 30),
        Loadable::Loading(_) => "signing in…".to_string(),
        Loadable::Failed(_) => "not signed in".to_string(),
        Loadable::Idle => String::new(),
    };
    let site = fit(&state.site, 40);
    let width = crate::sanitize::width;
    const MARKED: &str = " · marked: ";
    let mark = state.mark.as_ref().map(|m| m.name.as_str());
    let mark_width = mark.map_or(0, |m| width(MARKED) + width(m).min(30));
    let base = width(" confdir");
    let with_me = 3 + width(&me);
    let with_site = 3 + width(&site);
    let show_site = base + with_site + with_me + mark_width <= room;
    let show_me = base + with_me + mark_width <= room;
    let mut spans = vec![Span::styled(" confdir", theme::title())];
    let mut used = base;
    if show_site {
        spans.push(Span::styled(" · ", theme::dim()));
        spans.push(Span::raw(site));
        used += with_site;
    }
    if show_me {
        spans.push(Span::styled(" · ", theme::dim()));
        spans.push(Span::raw(me));
        used += with_me;
    }
    if let Some(name) = mark {
        let left = room.saturating_sub(used + width(MARKED)).min(30);
        spans.push(Span::styled(
            format!("{MARKED}{}", fit(name, left)),
            theme::key(),
        ));
    }
    Line::from(spans)
}

/// Draws the title bar.
pub fn render_title(frame: &mut Frame, area: Rect, state: &State) {
    let mut right = Vec::new();
    if let Some((text, urgent)) = wait_note(&state.waits, state.now) {
        let style = if urgent { theme::warn() } else { theme::dim() };
        right.push(Span::styled(format!("{text}  "), style));
    }
    if let Some(sync) = &state.sync {
        // `:sync` under way: count, estimate, rate and time left (no server text in it).
        right.push(Span::styled(
            format!("{}  ", sync.status_text(state.now)),
            theme::dim(),
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
    }
    if let Some((text, style)) = connection_note(state) {
        right.push(Span::styled(format!("{text} "), style));
    }
    // The right side (what is going on) keeps its room; the left (who and where) is cut at its
    // edge instead of being written over.
    let right = Line::from(right);
    let right_width = u16::try_from(right.width())
        .unwrap_or(u16::MAX)
        .min(area.width);
    let left_area = Rect {
        width: area.width - right_width,
        ..area
    };
    let left = title_left(state, usize::from(left_area.width.saturating_sub(1)));
    frame.render_widget(Paragraph::new(left), left_area);
    frame.render_widget(Paragraph::new(right).alignment(Alignment::Right), area);
}

/// The connection's state as the title bar says it: `offline since 14:02 UTC` while requests
/// get no answer, `token refused · confdir login` while the site answers 401,
/// `retrying` while the client tries a request again, `live` once the site answered and nothing
/// is pending; nothing before the first answer.
pub fn connection_note(state: &State) -> Option<(String, Style)> {
    let retrying = state.waits.iter().any(|w| w.kind == WaitKind::Retry);
    match state.connection {
        Connection::Offline { since } => {
            let mut text = format!("offline since {} UTC", since.format("%H:%M"));
            if retrying {
                text.push_str(" · retrying");
            }
            Some((text, theme::error()))
        }
        // Short enough to fit beside "not signed in" at 80 columns; the error log has when.
        Connection::Refused { .. } => {
            Some(("token refused · confdir login".into(), theme::error()))
        }
        _ if retrying => Some(("retrying".to_string(), theme::warn())),
        Connection::Live if state.in_flight() == 0 && matches!(state.me, Loadable::Loaded(_)) => {
            Some(("live".to_string(), theme::watching()))
        }
        _ => None,
    }
}

/// Whole seconds from `now` to `until`, rounded up and at least 1: a countdown that is still
/// running never says `0 s`.
pub fn seconds_left(until: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    let ms = (until - now).num_milliseconds();
    ((ms + 999).div_euclid(1000)).max(1)
}

/// What the title bar says about the client's waits, and whether it is a warning: the wait that
/// matters most (foreground before background; a rate limit, then a missing answer, then a
/// retry; the oldest first), and how many more there are.
pub fn wait_note(waits: &[WaitView], now: DateTime<Utc>) -> Option<(String, bool)> {
    let rank = |w: &WaitView| {
        let kind = match w.kind {
            WaitKind::RateLimited => 2,
            WaitKind::Answer => 1,
            WaitKind::Retry => 0,
        };
        (
            !is_background(&w.endpoint),
            kind,
            std::cmp::Reverse(w.since),
        )
    };
    let top = waits.iter().max_by_key(|w| rank(w))?;
    let label = endpoint_label(&top.endpoint);
    let left = seconds_left(top.until, now);
    let foreground = !is_background(&top.endpoint);
    let mut text = match top.kind {
        WaitKind::RateLimited if foreground => format!("rate limited · {label} · {left} s"),
        WaitKind::RateLimited => format!("{label} paused · rate limited · {left} s"),
        WaitKind::Answer => {
            let age = (now - top.since).num_seconds().max(0);
            format!("{label}: no answer for {age} s")
        }
        WaitKind::Retry => format!("{label}: {} · retrying in {left} s", fit(&top.detail, 40)),
    };
    if waits.len() > 1 {
        text.push_str(&format!(" (+{} more)", waits.len() - 1));
    }
    Some((text, foreground && top.kind != WaitKind::Retry))
}

/// Whether a request is background work the user did not ask for directly: the watch list's
/// statuses, fetched for the rows on screen.
fn is_background(endpoint: &str) -> bool {
    endpoint.starts_with("GET /user/watch/")
}

/// The few words a person knows a request by (`GET /search/user` → `search`); the endpoint
/// itself when it has none.
fn endpoint_label(endpoint: &str) -> &str {
    let (method, path) = endpoint.split_once(' ').unwrap_or(("", endpoint));
    match (method, path) {
        (_, "/search/user") => "search",
        (_, "/user/current" | "/user/anonymous") => "sign-in",
        (_, "/user" | "/user/bulk") => "profile",
        (_, "/user/email" | "/user/email/bulk") => "email",
        (_, "/user/memberof") => "groups",
        (_, "/group/{id}/membersByGroupId") => "members",
        (_, p) if p.starts_with("/group") => "groups",
        (_, p) if p.contains("/property") => "properties",
        ("GET", p) if p.starts_with("/user/watch/") => "watch status",
        (_, p) if p.starts_with("/user/watch/") => "watch",
        (_, p) if p.contains("space") => "spaces",
        _ => endpoint,
    }
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
    let hints =
        super::export::prompt_hints(state).unwrap_or_else(|| footer_hints(state.focus, state.mode));
    let len = |h: &crate::app::keymap::Hint| h.key.chars().count() + h.help.chars().count() + 3;
    // The hints to keep (help, quit) are counted first; the others fill what is left, in order.
    let mut room = (area.width as usize)
        .saturating_sub(1 + hints.iter().filter(|h| h.keep).map(len).sum::<usize>());
    let shown: Vec<_> = hints
        .iter()
        .filter(|h| {
            if h.keep {
                return true;
            }
            let fits = len(h) <= room;
            if fits {
                room -= len(h);
            }
            fits
        })
        .collect();
    let mut spans = vec![Span::raw(" ")];
    for hint in shown {
        spans.push(Span::styled(hint.key, theme::key()));
        spans.push(Span::styled(format!(" {}  ", hint.help), theme::dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wait(endpoint: &str, kind: WaitKind, now: DateTime<Utc>, age: i64, left: i64) -> WaitView {
        WaitView {
            endpoint: endpoint.into(),
            kind,
            since: now - chrono::Duration::seconds(age),
            until: now + chrono::Duration::seconds(left),
            detail: "no answer within 20 s".into(),
        }
    }

    #[test]
    fn a_rate_limited_status_fetch_pauses_the_statuses_not_the_screen() {
        let now = Utc::now();
        let status = wait("GET /user/watch/space", WaitKind::RateLimited, now, 1, 12);
        let (text, urgent) = wait_note(std::slice::from_ref(&status), now).unwrap();
        assert_eq!(text, "watch status paused · rate limited · 12 s");
        assert!(!urgent, "background work is no warning");

        let search = wait("GET /search/user", WaitKind::RateLimited, now, 0, 30);
        let (text, urgent) = wait_note(&[status, search], now).unwrap();
        assert_eq!(text, "rate limited · search · 30 s (+1 more)");
        assert!(urgent);
    }

    #[test]
    fn a_slow_answer_and_a_retry_say_what_and_how_long() {
        let now = Utc::now();
        let slow = wait("GET /user/memberof", WaitKind::Answer, now, 7, 13);
        assert_eq!(
            wait_note(&[slow], now),
            Some(("groups: no answer for 7 s".to_string(), true))
        );
        let retry = wait("GET /search/user", WaitKind::Retry, now, 0, 2);
        assert_eq!(
            wait_note(&[retry], now),
            Some((
                "search: no answer within 20 s · retrying in 2 s".to_string(),
                false
            ))
        );
        assert_eq!(wait_note(&[], now), None);
    }

    #[test]
    fn a_countdown_rounds_up_and_never_says_zero() {
        let now = Utc::now();
        let mut limited = wait("GET /search/user", WaitKind::RateLimited, now, 1, 0);
        limited.until = now + chrono::Duration::milliseconds(300);
        let (text, _) = wait_note(std::slice::from_ref(&limited), now).unwrap();
        assert_eq!(text, "rate limited · search · 1 s");
        limited.until = now + chrono::Duration::milliseconds(12_200);
        let (text, _) = wait_note(std::slice::from_ref(&limited), now).unwrap();
        assert_eq!(text, "rate limited · search · 13 s");
        // Past its end and not yet cleared by the client: still not "0 s".
        limited.until = now - chrono::Duration::milliseconds(500);
        let (text, _) = wait_note(&[limited], now).unwrap();
        assert_eq!(text, "rate limited · search · 1 s");
    }
}
