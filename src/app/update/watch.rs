//! The watch list: spaces page by page, the user's pins, the filter, whose watches are shown,
//! each visible row's status (asked for in one batch), and optimistic toggles confirmed or rolled
//! back by the server's answer. Pins are saved through a command, never written from here.

use super::watch_many::Settled;
use super::{failed, log_error, track, SPACES_PAGE};
use crate::api::model::{Page, Space};
use crate::api::paging;
use crate::api::{ApiError, WatchTarget};
use crate::app::command::Command;
use crate::app::request::{Loadable, RequestId, Slot};
use crate::app::state::{Focus, Pin, State, WatchStatus};
use tui_input::Input;

/// Whose watch of what: the key of a row's status.
type WatchKey = (Option<String>, WatchTarget);

/// Asks for a page of the site's spaces: the first (`None`), or the one a page's `next` named.
pub(super) fn fetch_spaces(state: &mut State, after: Option<String>, cmds: &mut Vec<Command>) {
    let id = track(state, Slot::Spaces);
    state.watch.spaces_load = Loadable::Loading(id);
    cmds.push(Command::FetchSpaces {
        id,
        after,
        limit: SPACES_PAGE,
    });
}

/// Forgets the spaces loaded so far, to read the list again from its first page.
pub(super) fn reload_spaces(state: &mut State, cmds: &mut Vec<Command>) {
    state.watch.spaces.clear();
    state.watch.spaces_next = None;
    state.watch.spaces_asked.clear();
    state.rebuild_watch_rows();
    fetch_spaces(state, None, cmds);
}

/// The `next` link of a spaces page, unless following it would never end: a link back to a page
/// already asked for (by cursor or offset, the walk rule of `api::paging`), or past the most
/// pages confdir reads of one list. Either is logged, and the list stops there.
fn next_spaces_link(state: &mut State, page: &Page<Space>) -> Option<String> {
    let next = page.links.next.clone().filter(|_| page.has_next())?;
    let asked = state.watch.spaces_asked.len();
    if !state
        .watch
        .spaces_asked
        .insert(paging::link_position(&next))
    {
        log_error(
            state,
            format!(
                "The list of spaces did not end: the server's next page repeats one already read (after {} pages, {} spaces); stopped there.",
                asked + 1,
                state.watch.spaces.len()
            ),
        );
        return None;
    }
    if asked + 1 >= paging::MAX_PAGES as usize {
        log_error(
            state,
            format!(
                "The list of spaces is still going after {} pages, the most confdir reads of one list; stopped there.",
                asked + 1
            ),
        );
        return None;
    }
    Some(next)
}

/// Asks for the status of visible rows whose status is not known yet, in one batch.
pub(super) fn request_visible_statuses(state: &mut State, cmds: &mut Vec<Command>) {
    let user = state.watch_subject();
    let window = state
        .watch
        .list
        .window(state.watch.rows.len(), state.heights.watch);
    let wanted: Vec<WatchTarget> = state.watch.rows[window]
        .iter()
        .map(|r| r.target.clone())
        .filter(|t| {
            !state
                .watch
                .statuses
                .contains_key(&(user.clone(), t.clone()))
        })
        .collect();
    if wanted.is_empty() {
        return;
    }
    let mut targets = Vec::with_capacity(wanted.len());
    for target in wanted {
        let id = state.next_id();
        state.pending_free.insert(id);
        state
            .watch
            .statuses
            .insert((user.clone(), target.clone()), WatchStatus::Loading(id));
        targets.push((id, target));
    }
    cmds.push(Command::FetchWatchStatuses { user, targets });
}

/// `w`: toggles the highlighted row's watch optimistically, once its status is known.
pub(super) fn toggle_watch(state: &mut State, cmds: &mut Vec<Command>) {
    if state.focus != Focus::Watchlist {
        state.notice = Some("Focus the watch list (4) to toggle a watch".into());
        return;
    }
    if !state.watch.marks.is_empty() {
        super::watch_many::toggle_marked(state, cmds);
        return;
    }
    let Some(row) = state.watch.rows.get(state.watch.list.selected) else {
        return;
    };
    let target = row.target.clone();
    let user = state.watch_subject();
    let key = (user.clone(), target.clone());
    match state.watch.statuses.get(&key).cloned() {
        Some(WatchStatus::Known(was)) => {
            let id = state.next_id();
            state.pending_free.insert(id);
            state
                .watch
                .statuses
                .insert(key, WatchStatus::Pending { was, id });
            cmds.push(Command::SetWatch {
                id,
                user,
                target,
                watch: !was,
            });
        }
        Some(WatchStatus::Loading(_))
        | Some(WatchStatus::Pending { .. })
        | Some(WatchStatus::Checking(_)) => {
            state.notice = Some("Still waiting for the server…".into());
        }
        Some(WatchStatus::Failed(_)) | None => {
            state.watch.statuses.remove(&key);
            request_visible_statuses(state, cmds);
            state.notice = Some("Status unknown: asking again; press w once it shows".into());
        }
    }
}

/// `a`: switches between your watches and the shown colleague's (administrators).
pub(super) fn toggle_subject(state: &mut State, cmds: &mut Vec<Command>) {
    if state.watch.subject.take().is_none() {
        let me = state.me.loaded().and_then(|u| u.account_id.clone());
        match state.profile.account_id.clone() {
            Some(id) if Some(&id) != me.as_ref() => {
                let name = state
                    .directory
                    .user(&id)
                    .map(|u| u.name().to_string())
                    .unwrap_or_else(|| id.clone());
                state.watch.subject = Some((id, name));
            }
            _ => {
                state.notice = Some("Open a colleague's profile first to see their watches".into());
                return;
            }
        }
    }
    request_visible_statuses(state, cmds);
}

// ---------------------------------------------------------------------------------------------
// Pins

/// `label:NAME`, `page:ID` / `content:ID`, a bare number (a page) or a bare word (a label).
pub fn parse_pin(text: &str) -> Result<WatchTarget, String> {
    let text = text.trim();
    let (kind, value) = match text.split_once(':') {
        Some((k, v)) => (k.trim().to_ascii_lowercase(), v.trim()),
        None if !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()) => {
            ("page".to_string(), text)
        }
        None => ("label".to_string(), text),
    };
    if value.is_empty() {
        return Err("Type label:NAME or page:ID to pin".into());
    }
    if value.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(format!("`{value}` cannot contain spaces"));
    }
    match kind.as_str() {
        "label" => Ok(WatchTarget::Label(value.to_string())),
        "page" | "content" if value.chars().all(|c| c.is_ascii_digit()) => {
            Ok(WatchTarget::Content(value.to_string()))
        }
        "page" | "content" => Err(format!("`{value}` is not a page id (digits only)")),
        "space" => Err("Spaces are listed already; pin labels or pages".into()),
        other => Err(format!("Unknown kind `{other}`: use label:NAME or page:ID")),
    }
}

/// Pins a label or page (once), saves the pins, and selects its row.
pub(super) fn add_pin(state: &mut State, target: WatchTarget, cmds: &mut Vec<Command>) {
    let what = shown_target(&target);
    if state.watch.pins.iter().any(|p| p.target == target) {
        state.notice = Some(format!("{what} is pinned already"));
    } else {
        state.watch.pins.push(Pin {
            target: target.clone(),
        });
        cmds.push(Command::SavePins {
            pins: state.watch.pins.clone(),
        });
        state.notice = Some(format!("Pinned {what}"));
        fetch_page_titles(state, cmds);
    }
    state.watch.filter = Input::default();
    state.rebuild_watch_rows();
    if let Some(i) = state.watch.rows.iter().position(|r| r.target == target) {
        let len = state.watch.rows.len();
        state.watch.list.select(i, len, state.heights.watch);
    }
    request_visible_statuses(state, cmds);
}

/// `d`: unpins the highlighted pinned row and saves the pins.
pub(super) fn unpin(state: &mut State, cmds: &mut Vec<Command>) {
    let Some(row) = state.watch.rows.get(state.watch.list.selected) else {
        return;
    };
    if !row.pinned {
        state.notice = Some("Only pinned labels and pages can be unpinned".into());
        return;
    }
    let target = row.target.clone();
    state.watch.pins.retain(|p| p.target != target);
    cmds.push(Command::SavePins {
        pins: state.watch.pins.clone(),
    });
    let what = shown_target(&target);
    let user = state.watch_subject();
    let watched = state
        .watch
        .statuses
        .get(&(user.clone(), target.clone()))
        .and_then(WatchStatus::shown)
        == Some(true);
    if watched {
        state.notice = Some(format!(
            "Unpinned {what}, still watched{}: unwatch it too? y / n",
            for_whom(state, &user)
        ));
        state.lists.confirm_unwatch = Some((user, target));
    } else {
        state.notice = Some(format!("Unpinned {what}"));
    }
    state.rebuild_watch_rows();
    request_visible_statuses(state, cmds);
}

/// A target as the watch list writes it: `space ENG`, `label ops`, `page 123`.
pub(super) fn shown_target(target: &WatchTarget) -> String {
    let kind = match target {
        WatchTarget::Content(_) => "page",
        other => other.kind(),
    };
    format!("{kind} {}", crate::sanitize::fit(target.id(), 40))
}

/// " for Ada Lovelace" when the watch is a colleague's (an administrator's view), else nothing.
fn for_whom(state: &State, user: &Option<String>) -> String {
    let Some(id) = user else {
        return String::new();
    };
    let name = match &state.watch.subject {
        Some((subject, name)) if subject == id => name.clone(),
        _ => state
            .directory
            .user(id)
            .map_or_else(|| id.clone(), |u| u.name().to_string()),
    };
    format!(" for {}", crate::sanitize::fit(&name, 40))
}

// ---------------------------------------------------------------------------------------------
// Answers

/// A page of the site's spaces arrived: listed after the pins, and the visible rows' statuses
/// asked for.
pub(super) fn spaces_loaded(
    state: &mut State,
    result: Result<Page<Space>, ApiError>,
    cmds: &mut Vec<Command>,
) {
    match result {
        Ok(page) => {
            state.watch.spaces.extend(page.results.iter().cloned());
            state.watch.spaces_next = next_spaces_link(state, &page);
            state.watch.spaces_load = Loadable::Loaded(());
            state.rebuild_watch_rows();
            request_visible_statuses(state, cmds);
        }
        Err(e) => {
            state.watch.spaces_load = failed(state, &e);
        }
    }
}

/// One row's status arrived (kept only if the row still waits for this request).
pub(super) fn status_loaded(
    state: &mut State,
    id: RequestId,
    key: WatchKey,
    result: Result<bool, ApiError>,
    cmds: &mut Vec<Command>,
) {
    if super::group_watch::owns(state, id) {
        return super::group_watch::status_loaded(state, id, result);
    }
    state.pending_free.remove(&id);
    let checking = match state.watch.statuses.get(&key) {
        Some(WatchStatus::Loading(live)) if *live == id => false,
        Some(WatchStatus::Checking(live)) if *live == id => true,
        _ => return,
    };
    match result {
        Ok(watching) => {
            if checking {
                state.notice = Some(format!(
                    "Checked: {} {} {}",
                    if watching { "watching" } else { "not watching" },
                    key.1.kind(),
                    key.1.id()
                ));
            }
            state
                .watch
                .statuses
                .insert(key, WatchStatus::Known(watching));
        }
        Err(e) if key.0.is_some() && e.status() == Some(403) => {
            // Not an administrator: go back to your own watches, say why once.
            state.watch.statuses.retain(|(u, _), _| u.is_none());
            if state.watch.subject.take().is_some() {
                let message =
                    "Only Confluence administrators can see another user's watches; showing yours."
                        .to_string();
                log_error(state, message);
                request_visible_statuses(state, cmds);
            }
        }
        Err(e) => {
            let short = short_error(&e);
            state.watch.statuses.insert(key, WatchStatus::Failed(short));
        }
    }
}

/// A toggle's answer: confirmed, or rolled back with the reason in the error log; when the answer
/// never came (the outcome is unknown), the row is marked unknown and its real status asked for.
pub(super) fn watch_set(
    state: &mut State,
    id: RequestId,
    key: WatchKey,
    result: Result<(), ApiError>,
    cmds: &mut Vec<Command>,
) {
    if super::group_watch::owns(state, id) {
        return super::group_watch::written(state, id, result, cmds);
    }
    state.pending_free.remove(&id);
    let Some(WatchStatus::Pending { was, id: live }) = state.watch.statuses.get(&key) else {
        return;
    };
    if *live != id {
        return;
    }
    let was = *was;
    let batch = super::watch_many::in_batch(state, id);
    let settled = match result {
        Ok(()) => {
            state
                .watch
                .statuses
                .insert(key.clone(), WatchStatus::Known(!was));
            state.notice = Some(format!(
                "{} {} {}{}",
                if was { "Stopped watching" } else { "Watching" },
                key.1.kind(),
                key.1.id(),
                for_whom(state, &key.0)
            ));
            Settled::Done
        }
        Err(ApiError::OutcomeUnknown { .. }) => {
            check_unknown(state, key.clone(), was, cmds);
            Settled::Unknown
        }
        Err(e) => {
            state
                .watch
                .statuses
                .insert(key.clone(), WatchStatus::Known(was));
            log_error(
                state,
                format!(
                    "Could not {} {} {}: {e}",
                    if was { "unwatch" } else { "watch" },
                    key.1.kind(),
                    key.1.id()
                ),
            );
            Settled::Failed(short_error(&e))
        }
    };
    if batch {
        super::watch_many::settle(state, id, &key.1, settled);
    }
}

/// A toggle whose answer never came: the server may or may not have applied it. The row shows
/// "unknown" while its real status is fetched, and the notice says so.
fn check_unknown(state: &mut State, key: WatchKey, was: bool, cmds: &mut Vec<Command>) {
    let id = state.next_id();
    state.pending_free.insert(id);
    state
        .watch
        .statuses
        .insert(key.clone(), WatchStatus::Checking(id));
    let what = format!("{} {}", key.1.kind(), key.1.id());
    state.notice = Some(format!(
        "No answer to {} {what}: the outcome is unknown; checking its status…",
        if was { "unwatch" } else { "watch" },
    ));
    cmds.push(Command::FetchWatchStatuses {
        user: key.0,
        targets: vec![(id, key.1)],
    });
}

/// The pins file was written, or the reason it was not goes to the error log.
pub(super) fn pins_saved(state: &mut State, result: Result<(), String>) {
    if let Err(message) = result {
        log_error(
            state,
            format!("Could not save the pinned watches: {message}"),
        );
    }
}

/// A few words for a row's status column.
fn short_error(e: &ApiError) -> String {
    match e.status() {
        Some(403) => "no access".into(),
        Some(404) => "not found".into(),
        Some(429) => "rate limited".into(),
        Some(s) => format!("HTTP {s}"),
        None => "unreachable".into(),
    }
}

// ---------------------------------------------------------------------------------------------
// Pinned pages' titles

/// Asks for the title of every pinned page not asked for yet.
pub(super) fn fetch_page_titles(state: &mut State, cmds: &mut Vec<Command>) {
    let wanted: Vec<String> = state
        .watch
        .pins
        .iter()
        .filter_map(|p| match &p.target {
            WatchTarget::Content(id) if !state.lists.page_titles.contains_key(id) => {
                Some(id.clone())
            }
            _ => None,
        })
        .collect();
    for page_id in wanted {
        let id = state.next_id();
        state.pending_free.insert(id);
        state
            .lists
            .page_titles
            .insert(page_id.clone(), Loadable::Loading(id));
        cmds.push(Command::FetchPageTitle { id, page_id });
    }
}

/// A pinned page's title arrived: the row shows it (and the filter finds it). A failure shows
/// as a few words on the row, not in the error log: the pin still works without its title.
pub(super) fn page_title_loaded(
    state: &mut State,
    id: RequestId,
    page_id: String,
    result: Result<String, ApiError>,
) {
    state.pending_free.remove(&id);
    if !matches!(state.lists.page_titles.get(&page_id), Some(Loadable::Loading(live)) if *live == id)
    {
        return;
    }
    let entry = match result {
        Ok(title) => Loadable::Loaded(title),
        Err(e) => Loadable::Failed(short_error(&e)),
    };
    state.lists.page_titles.insert(page_id, entry);
    state.rebuild_watch_rows();
}
