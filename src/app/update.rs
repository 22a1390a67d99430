//! The pure state machine: `update(&mut State, Action) -> Vec<Command>`.
//!
//! No I/O, no clock reads, no tokio: results arrive as actions tagged with a [`RequestId`], and an
//! answer whose id is no longer the live one for its pane is dropped, so an older response never
//! overwrites a newer one.

use super::action::Action;
use super::command::Command;
use super::directory::{fold, sort_hits, Hit};
use super::request::{Loadable, RequestId, Slot};
use super::state::{
    ActiveInput, EmailApi, ErrorEntry, Focus, GroupView, ListView, Mode, Overlay, Pin, State,
    WatchStatus, RECENT_MAX,
};
use crate::api::model::EmailState;
use crate::api::{ApiError, WatchTarget};
use std::collections::HashSet;
use tui_input::{Input, InputRequest};

/// Server search page size.
pub const SEARCH_PAGE: u32 = 50;
/// Group members page size.
pub const MEMBERS_PAGE: u32 = 100;
/// Spaces page size.
pub const SPACES_PAGE: u32 = 50;
/// Load the next page when the selection is this close to the end of a list.
const NEAR_END: usize = 5;
/// The error log keeps this many entries.
const ERRORS_MAX: usize = 500;

/// The commands to run at start-up: who am I, and the site's spaces.
pub fn init(state: &mut State) -> Vec<Command> {
    let mut cmds = Vec::new();
    let id = track(state, Slot::Me);
    state.me = Loadable::Loading(id);
    cmds.push(Command::FetchMe { id });
    fetch_spaces(state, 0, &mut cmds);
    cmds.push(Command::LoadDirectoryCache);
    rebuild_results(state);
    cmds
}

/// Applies one action and returns what must be done as a consequence.
pub fn update(state: &mut State, action: Action) -> Vec<Command> {
    let mut cmds = Vec::new();
    // A slot's answer counts only while its id is the slot's live one; a stale answer changes
    // nothing, so it does not even cost a redraw.
    if let Some((slot, id)) = answered_slot(&action) {
        if state.pending.get(&slot) != Some(&id) {
            return cmds;
        }
        state.pending.remove(&slot);
    }
    state.dirty = true;
    if !matches!(action, Action::Tick | Action::RateLimited(_)) && is_intent(&action) {
        state.notice = None;
    }
    match action {
        Action::Quit => state.quit = true,
        Action::FocusNext => set_focus(state, state.focus.next(), &mut cmds),
        Action::FocusPrev => set_focus(state, state.focus.prev(), &mut cmds),
        Action::FocusPane(pane) => set_focus(state, pane, &mut cmds),
        Action::StartSearch => {
            state.overlay = Overlay::None;
            state.watch.pin_input = None;
            state.focus = Focus::Search;
            state.mode = Mode::Editing;
        }
        Action::Edit(request) => edit(state, request, &mut cmds),
        Action::Paste(text) => {
            for c in text.chars().filter(|c| !c.is_control()) {
                edit(state, InputRequest::InsertChar(c), &mut cmds);
            }
        }
        Action::Submit => submit(state, &mut cmds),
        Action::Cancel => cancel(state, &mut cmds),
        Action::Up => move_selection(state, -1, &mut cmds),
        Action::Down => move_selection(state, 1, &mut cmds),
        Action::PageUp => {
            let page = page_height(state) as isize;
            move_selection(state, -page, &mut cmds)
        }
        Action::PageDown => {
            let page = page_height(state) as isize;
            move_selection(state, page, &mut cmds)
        }
        Action::Top => move_selection(state, isize::MIN / 2, &mut cmds),
        Action::Bottom => move_selection(state, isize::MAX / 2, &mut cmds),
        Action::Open => open(state, &mut cmds),
        Action::Back => back(state, &mut cmds),
        Action::ToggleHelp => {
            if state.overlay == Overlay::Help {
                state.overlay = Overlay::None;
                state.mode = Mode::Normal;
            } else {
                state.overlay = Overlay::Help;
                state.help_filter = Input::default();
                state.mode = Mode::Editing;
            }
        }
        Action::ToggleErrorLog => {
            state.overlay = if state.overlay == Overlay::Errors {
                Overlay::None
            } else {
                let len = state.errors.len();
                state
                    .error_list
                    .select(len.saturating_sub(1), len, state.heights.overlay);
                Overlay::Errors
            };
            state.mode = Mode::Normal;
        }
        Action::DismissError => state.last_error = None,
        Action::ToggleWatch => toggle_watch(state, &mut cmds),
        Action::StartPin => {
            state.focus = Focus::Watchlist;
            state.watch.pin_input = Some(Input::default());
            state.mode = Mode::Editing;
        }
        Action::Unpin => unpin(state, &mut cmds),
        Action::ToggleWatchSubject => toggle_subject(state, &mut cmds),
        Action::StartFilter => {
            state.focus = Focus::Watchlist;
            state.mode = Mode::Editing;
        }
        Action::Copy { email } => copy(state, email, &mut cmds),
        Action::OpenInBrowser => open_in_browser(state, &mut cmds),
        Action::Refresh => refresh(state, &mut cmds),
        Action::Click { pane, row } => {
            if state.overlay != Overlay::None {
                state.overlay = Overlay::None;
            }
            set_focus(state, pane, &mut cmds);
            if let Some(row) = row {
                click_row(state, pane, row, &mut cmds);
            }
        }
        Action::Scroll { pane, down } => {
            set_focus(state, pane, &mut cmds);
            move_selection(state, if down { 3 } else { -3 }, &mut cmds);
        }
        Action::Resized(heights) => {
            state.heights = heights;
            state
                .search
                .list
                .clamp(state.search.rows.len(), heights.results);
            let len = state.watch.rows.len();
            state.watch.list.clamp(len, heights.watch);
            refresh_highlights(state);
            request_visible_statuses(state, &mut cmds);
        }
        Action::Tick => {
            if state.in_flight() > 0 {
                state.spinner = state.spinner.wrapping_add(1);
            }
            if state
                .rate_limited_until
                .is_some_and(|until| until <= state.now)
            {
                state.rate_limited_until = None;
            }
        }
        Action::RateLimited(until) => state.rate_limited_until = until,

        Action::MeLoaded { result, .. } => match result {
            Ok(user) => {
                state.directory.upsert(user.clone());
                let first_profile = state.profile.account_id.is_none();
                let my_id = user.account_id.clone();
                state.me = Loadable::Loaded(user);
                rerank(state, &[]);
                if first_profile {
                    if let Some(my_id) = my_id {
                        show_profile(state, &my_id, true, &mut cmds);
                    }
                }
            }
            Err(e) => {
                state.me = failed(state, &e);
            }
        },
        Action::UsersFound {
            query,
            start,
            result,
            ..
        } => match result {
            Ok(page) => {
                let next_start = page.next_start(start);
                let mut found = Vec::new();
                for user in page.results.into_iter().filter_map(|r| r.user) {
                    if let Some(i) = state.directory.upsert(user) {
                        found.push(i);
                    }
                }
                state.search.server = Loadable::Loaded(());
                if start == 0 || state.search.server_query != query {
                    state.search.server_only.clear();
                }
                state.search.server_query = query;
                state.search.server_total = page.total_size;
                state.search.next_start = next_start;
                rerank(state, &found);
                after_result_move(state, &mut cmds);
            }
            Err(e) => {
                state.search.server = failed(state, &e);
            }
        },
        Action::ProfileLoaded { result, .. } => match result {
            Ok(user) => {
                state.directory.upsert(user.clone());
                let needs_lookup = !matches!(user.email_state(), EmailState::Visible(_));
                let account_id = user.account_id.clone();
                state.profile.user = Loadable::Loaded(user);
                if let (true, Some(account_id)) = (needs_lookup, account_id) {
                    if !matches!(state.email_api, EmailApi::Unavailable(_)) {
                        let id = track(state, Slot::Email);
                        state.profile.email = Loadable::Loading(id);
                        cmds.push(Command::FetchEmail { id, account_id });
                    }
                }
                rerank(state, &[]);
            }
            Err(e) => {
                state.profile.user = failed(state, &e);
            }
        },
        Action::EmailLoaded { result, .. } => {
            state.profile.email = match result {
                Ok(address) if !address.is_empty() => {
                    state.email_api = EmailApi::Available;
                    Loadable::Loaded(address)
                }
                Ok(_) => Loadable::Failed("none on record".into()),
                Err(e) => {
                    // 400 (app not approved), 501 (not enabled), 401/403 (no scope): the site
                    // does not offer the API. Remember it and stop asking.
                    if matches!(e.status(), Some(400 | 401 | 403 | 501)) {
                        let why = e.server_message().unwrap_or("not offered").to_string();
                        state.email_api = EmailApi::Unavailable(why.clone());
                        Loadable::Failed(why)
                    } else {
                        failed(state, &e)
                    }
                }
            };
        }
        Action::PropertyKeysLoaded { result, .. } => {
            state.profile.props = match result {
                Ok(keys) => Loadable::Loaded(keys),
                Err(e) => failed(state, &e),
            };
            state.profile.prop_list = ListView::default();
        }
        Action::PropertyLoaded { result, .. } => {
            if let Some((_, value)) = &mut state.profile.open_prop {
                *value = match result {
                    Ok(prop) => Loadable::Loaded(
                        serde_json::to_string_pretty(&prop.value)
                            .unwrap_or_else(|_| prop.value.to_string()),
                    ),
                    Err(e) => Loadable::Failed(e.to_string()),
                };
            }
        }
        Action::GroupsLoaded {
            account_id,
            result,
            id,
        } => {
            let loaded = match result {
                Ok(groups) => {
                    state
                        .groups_cache
                        .insert(account_id.clone(), groups.clone());
                    Loadable::Loaded(groups)
                }
                Err(e) => failed(state, &e),
            };
            for view in state.groups.iter_mut() {
                if let GroupView::Memberships {
                    account_id: a,
                    groups,
                    ..
                } = view
                {
                    if *a == account_id && groups.is_loading_id(id) {
                        *groups = loaded.clone();
                    }
                }
            }
        }
        Action::MembersLoaded { id, start, result } => {
            let mut found = Vec::new();
            let mut error = None;
            if let Some(GroupView::Members {
                load,
                next_start,
                total,
                ..
            }) = state.groups.last_mut()
            {
                if !load.is_loading_id(id) {
                    return cmds;
                }
                match result {
                    Ok(page) => {
                        *next_start = page.next_start(start);
                        *total = page.total_size.or(*total);
                        *load = Loadable::Loaded(());
                        found = page.results;
                    }
                    Err(e) => {
                        *load = Loadable::Failed(e.to_string());
                        error = Some(e);
                    }
                }
            }
            if let Some(e) = error {
                fail(state, &e);
            }
            let ids: Vec<String> = found
                .into_iter()
                .filter_map(|u| {
                    let id = u.account_id.clone();
                    state.directory.upsert(u);
                    id
                })
                .collect();
            if let Some(GroupView::Members { members, .. }) = state.groups.last_mut() {
                // Pages should not overlap; if a server's do, a member is listed once.
                let listed: HashSet<String> = members.iter().cloned().collect();
                members.extend(ids.into_iter().filter(|id| !listed.contains(id)));
            }
            // The directory may have grown: rank the new people for the live query.
            rerank(state, &[]);
        }
        Action::SpacesLoaded { result, .. } => match result {
            Ok(page) => {
                let start = state.watch.spaces.len() as u32;
                state.watch.spaces_next = page.next_start(start);
                state.watch.spaces.extend(page.results);
                state.watch.spaces_load = Loadable::Loaded(());
                state.rebuild_watch_rows();
                request_visible_statuses(state, &mut cmds);
            }
            Err(e) => {
                state.watch.spaces_load = failed(state, &e);
            }
        },
        Action::WatchStatusLoaded {
            id,
            user,
            target,
            result,
        } => {
            state.pending_free.remove(&id);
            let key = (user.clone(), target);
            if state.watch.statuses.get(&key) != Some(&WatchStatus::Loading(id)) {
                return cmds;
            }
            match result {
                Ok(watching) => {
                    state
                        .watch
                        .statuses
                        .insert(key, WatchStatus::Known(watching));
                }
                Err(e) if user.is_some() && e.status() == Some(403) => {
                    // Not an administrator: go back to your own watches, say why once.
                    state.watch.statuses.retain(|(u, _), _| u.is_none());
                    if state.watch.subject.take().is_some() {
                        let message = "Only Confluence administrators can see another user's watches; showing yours.".to_string();
                        log_error(state, message);
                        request_visible_statuses(state, &mut cmds);
                    }
                }
                Err(e) => {
                    let short = short_error(&e);
                    state.watch.statuses.insert(key, WatchStatus::Failed(short));
                }
            }
        }
        Action::WatchSet {
            id,
            user,
            target,
            result,
        } => {
            state.pending_free.remove(&id);
            let key = (user, target);
            let Some(WatchStatus::Pending { was, id: live }) = state.watch.statuses.get(&key)
            else {
                return cmds;
            };
            if *live != id {
                return cmds;
            }
            let was = *was;
            match result {
                Ok(()) => {
                    state
                        .watch
                        .statuses
                        .insert(key.clone(), WatchStatus::Known(!was));
                    state.notice = Some(format!(
                        "{} {} {}",
                        if was { "Stopped watching" } else { "Watching" },
                        key.1.kind(),
                        key.1.id()
                    ));
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
                }
            }
        }
        Action::DirectoryCached { recent, directory } => {
            state.directory.adopt_cache(*directory);
            for id in recent {
                if state.recent.len() < RECENT_MAX && !state.recent.contains(&id) {
                    state.recent.push(id);
                }
            }
            // Indices changed: everything ranked so far is ranked again.
            state.search.hits.clear();
            state.search.prefix_hits.clear();
            state.search.server_only.clear();
            state.search.ranked_len = 0;
            rerank(state, &[]);
        }
        Action::EffectFailed { message } => log_error(state, message),
        Action::PinsSaved { result } => {
            if let Err(message) = result {
                log_error(
                    state,
                    format!("Could not save the pinned watches: {message}"),
                );
            }
        }
    }
    cmds
}

/// Key and mouse intents clear a transient notice; results do not.
fn is_intent(action: &Action) -> bool {
    answered_slot(action).is_none()
        && !matches!(
            action,
            Action::WatchStatusLoaded { .. }
                | Action::WatchSet { .. }
                | Action::PinsSaved { .. }
                | Action::DirectoryCached { .. }
                | Action::Resized(_)
        )
}

/// Allocates an id for `slot`, superseding the slot's previous request.
fn track(state: &mut State, slot: Slot) -> RequestId {
    let id = state.next_id();
    state.pending.insert(slot, id);
    id
}

/// The slot and request id a result action answers (unslotted results have none).
fn answered_slot(action: &Action) -> Option<(Slot, RequestId)> {
    Some(match action {
        Action::MeLoaded { id, .. } => (Slot::Me, *id),
        Action::UsersFound { id, .. } => (Slot::Search, *id),
        Action::ProfileLoaded { id, .. } => (Slot::Profile, *id),
        Action::EmailLoaded { id, .. } => (Slot::Email, *id),
        Action::PropertyKeysLoaded { id, .. } => (Slot::PropertyKeys, *id),
        Action::PropertyLoaded { id, .. } => (Slot::Property, *id),
        Action::GroupsLoaded { id, .. } => (Slot::Groups, *id),
        Action::MembersLoaded { id, .. } => (Slot::Members, *id),
        Action::SpacesLoaded { id, .. } => (Slot::Spaces, *id),
        _ => return None,
    })
}

/// Records an error in the log and the status bar.
fn fail(state: &mut State, error: &ApiError) {
    log_error(state, error.to_string());
}

/// Records an error and returns the pane's failed state, with the same message.
fn failed<T>(state: &mut State, error: &ApiError) -> Loadable<T> {
    fail(state, error);
    Loadable::Failed(error.to_string())
}

fn log_error(state: &mut State, message: String) {
    state.errors.push(ErrorEntry {
        at: state.now,
        message: message.clone(),
    });
    if state.errors.len() > ERRORS_MAX {
        state.errors.remove(0);
    }
    state.last_error = Some(message);
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

fn set_focus(state: &mut State, pane: Focus, cmds: &mut Vec<Command>) {
    state.focus = pane;
    state.mode = Mode::Normal;
    state.watch.pin_input = None;
    if pane == Focus::Watchlist {
        request_visible_statuses(state, cmds);
    }
}

fn page_height(state: &State) -> usize {
    match state.focus {
        Focus::Search => state.heights.results,
        Focus::Profile => state.heights.props,
        Focus::Groups => state.heights.groups,
        Focus::Watchlist => state.heights.watch,
    }
    .max(1)
}

// ---------------------------------------------------------------------------------------------
// Text inputs

fn edit(state: &mut State, request: InputRequest, cmds: &mut Vec<Command>) {
    match state.active_input() {
        ActiveInput::Help => {
            state.help_filter.handle(request);
        }
        ActiveInput::Pin => {
            if let Some(input) = &mut state.watch.pin_input {
                input.handle(request);
            }
        }
        ActiveInput::WatchFilter => {
            if state.watch.filter.handle(request).is_some_and(|c| c.value) {
                state.watch.list = ListView::default();
                state.rebuild_watch_rows();
                request_visible_statuses(state, cmds);
            }
        }
        ActiveInput::Query => {
            if state.search.input.handle(request).is_some_and(|c| c.value) {
                query_changed(state, cmds);
            }
        }
    }
}

fn submit(state: &mut State, cmds: &mut Vec<Command>) {
    match state.active_input() {
        ActiveInput::Help => {
            state.overlay = Overlay::None;
            state.mode = Mode::Normal;
        }
        ActiveInput::Pin => {
            let text = state
                .watch
                .pin_input
                .take()
                .map(|i| i.value().trim().to_string())
                .unwrap_or_default();
            state.mode = Mode::Normal;
            match parse_pin(&text) {
                Ok(target) => add_pin(state, target, cmds),
                Err(message) => state.notice = Some(message),
            }
        }
        ActiveInput::WatchFilter => state.mode = Mode::Normal,
        ActiveInput::Query => {
            state.mode = Mode::Normal;
            open_selected_result(state, cmds);
        }
    }
}

fn cancel(state: &mut State, cmds: &mut Vec<Command>) {
    match state.active_input() {
        ActiveInput::Help => state.overlay = Overlay::None,
        ActiveInput::Pin => state.watch.pin_input = None,
        ActiveInput::WatchFilter => {
            if !state.watch.filter.value().is_empty() {
                state.watch.filter = Input::default();
                state.rebuild_watch_rows();
                request_visible_statuses(state, cmds);
            }
        }
        ActiveInput::Query => {}
    }
    state.mode = Mode::Normal;
}

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

fn add_pin(state: &mut State, target: WatchTarget, cmds: &mut Vec<Command>) {
    if !state.watch.pins.iter().any(|p| p.target == target) {
        state.watch.pins.push(Pin {
            target: target.clone(),
        });
        cmds.push(Command::SavePins {
            pins: state.watch.pins.clone(),
        });
    }
    state.watch.filter = Input::default();
    state.rebuild_watch_rows();
    if let Some(i) = state.watch.rows.iter().position(|r| r.target == target) {
        let len = state.watch.rows.len();
        state.watch.list.select(i, len, state.heights.watch);
    }
    request_visible_statuses(state, cmds);
}

fn unpin(state: &mut State, cmds: &mut Vec<Command>) {
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
    state.rebuild_watch_rows();
    request_visible_statuses(state, cmds);
}

// ---------------------------------------------------------------------------------------------
// Search

fn query_changed(state: &mut State, cmds: &mut Vec<Command>) {
    let folded = fold(state.search.input.value().trim());
    state.search.hits = ranked_hits(state, &folded);
    state.search.ranked_len = state.directory.len();
    state.search.folded = folded.clone();
    state.search.server_only.clear();
    state.search.list = ListView::default();
    rebuild_results(state);
    if folded.is_empty() {
        state.pending.remove(&Slot::Search);
        state.search.server = Loadable::Idle;
        state.search.next_start = None;
    } else {
        let id = track(state, Slot::Search);
        state.search.server = Loadable::Loading(id);
        cmds.push(Command::SearchUsers {
            id,
            query: state.search.input.value().trim().to_string(),
            start: 0,
            limit: SEARCH_PAGE,
            debounce: true,
        });
    }
    after_result_move(state, cmds);
}

/// How many prefix rankings the search keeps for Backspace.
const PREFIX_RANKINGS: usize = 16;

/// The ranking for a folded query. Rankings of the query's prefixes are kept while typing:
/// Backspace to one of them costs a copy, and a longer query narrows the longest kept prefix's
/// hits instead of ranking everyone (fuzzy matches of a longer query are a subset).
fn ranked_hits(state: &mut State, folded: &str) -> Vec<Hit> {
    let search = &mut state.search;
    if search.ranked_len != state.directory.len() {
        search.prefix_hits.clear();
    }
    search
        .prefix_hits
        .retain(|(q, _)| folded.starts_with(q.as_str()));
    if folded.is_empty() {
        return Vec::new();
    }
    if let Some((_, hits)) = search.prefix_hits.iter().find(|(q, _)| q == folded) {
        return hits.clone();
    }
    let base = search.prefix_hits.last().map(|(_, hits)| hits.as_slice());
    let hits = state.directory.rank(folded, base);
    if search.prefix_hits.len() == PREFIX_RANKINGS {
        search.prefix_hits.remove(0);
    }
    search.prefix_hits.push((folded.to_string(), hits.clone()));
    hits
}

/// Whenever the directory grew (a search page, a profile, a members page, the cache): score just
/// the people added since the last ranking and merge them in, keeping the selection on the same person, and list the
/// server's hits the matcher does not rank.
fn rerank(state: &mut State, found: &[usize]) {
    let keep = state.selected_result().map(str::to_string);
    let folded = state.search.folded.clone();
    if !folded.is_empty() {
        let added: Vec<Hit> = (state.search.ranked_len..state.directory.len())
            .map(|index| Hit { index, score: 0 })
            .collect();
        if !added.is_empty() {
            let fresh = state.directory.rank(&folded, Some(&added));
            state.search.hits.extend(fresh);
            sort_hits(&mut state.search.hits);
            // Kept prefix rankings lack the new people.
            state.search.prefix_hits.clear();
        }
        state.search.ranked_len = state.directory.len();
        for &i in found {
            if state.directory.score(i, &folded).is_none() && !state.search.server_only.contains(&i)
            {
                state.search.server_only.push(i);
            }
        }
    }
    rebuild_results(state);
    if let Some(keep) = keep {
        if let Some(pos) = state.search.rows.iter().position(|&i| {
            state
                .directory
                .get(i)
                .and_then(|p| p.user.account_id.as_deref())
                == Some(keep.as_str())
        }) {
            let len = state.search.rows.len();
            state.search.list.select(pos, len, state.heights.results);
        }
    }
}

/// Rebuilds the display rows: ranked hits + server-only hits, or (empty query) you + recent.
fn rebuild_results(state: &mut State) {
    let rows: Vec<usize> = if state.search.folded.is_empty() {
        let me = state
            .me
            .loaded()
            .and_then(|u| u.account_id.as_deref())
            .and_then(|id| state.directory.index_of(id));
        let mut rows: Vec<usize> = me.into_iter().collect();
        for id in &state.recent {
            if let Some(i) = state.directory.index_of(id) {
                if !rows.contains(&i) {
                    rows.push(i);
                }
            }
        }
        rows
    } else {
        state
            .search
            .hits
            .iter()
            .map(|h| h.index)
            .chain(state.search.server_only.iter().copied())
            .collect()
    };
    state.search.rows = rows;
    let len = state.search.rows.len();
    state.search.list.clamp(len, state.heights.results);
    refresh_highlights(state);
}

/// Match highlights for the visible result rows only.
fn refresh_highlights(state: &mut State) {
    state.search.highlights.clear();
    if state.search.folded.is_empty() {
        return;
    }
    let window = state
        .search
        .list
        .window(state.search.rows.len(), state.heights.results);
    for &index in &state.search.rows[window] {
        let marks = state.directory.highlights(index, &state.search.folded);
        if !marks.is_empty() {
            state.search.highlights.insert(index, marks);
        }
    }
}

/// After the results selection moved: highlight, prefetch the profile, load more near the end.
fn after_result_move(state: &mut State, cmds: &mut Vec<Command>) {
    refresh_highlights(state);
    if let Some(id) = state.selected_result().map(str::to_string) {
        if state.profile.account_id.as_deref() != Some(id.as_str()) {
            show_profile(state, &id, true, cmds);
        }
    }
    let len = state.search.rows.len();
    if let Some(next) = state.search.next_start {
        if len > 0
            && state.search.list.selected + NEAR_END >= len
            && !state.search.server.is_loading()
            && !state.search.folded.is_empty()
        {
            let id = track(state, Slot::Search);
            state.search.server = Loadable::Loading(id);
            cmds.push(Command::SearchUsers {
                id,
                query: state.search.server_query.clone(),
                start: next,
                limit: SEARCH_PAGE,
                debounce: false,
            });
        }
    }
}

fn open_selected_result(state: &mut State, cmds: &mut Vec<Command>) {
    if let Some(id) = state.selected_result().map(str::to_string) {
        if state.profile.account_id.as_deref() != Some(id.as_str()) {
            show_profile(state, &id, true, cmds);
        }
        remember(state, &id);
    }
}

fn remember(state: &mut State, account_id: &str) {
    state.recent.retain(|r| r != account_id);
    state.recent.insert(0, account_id.to_string());
    state.recent.truncate(RECENT_MAX);
}

// ---------------------------------------------------------------------------------------------
// Profile and groups

/// Shows a person's profile; with `reset_groups` the groups pane restarts at their groups.
fn show_profile(state: &mut State, account_id: &str, reset_groups: bool, cmds: &mut Vec<Command>) {
    state.profile.account_id = Some(account_id.to_string());
    let id = track(state, Slot::Profile);
    state.profile.user = Loadable::Loading(id);
    cmds.push(Command::FetchProfile {
        id,
        account_id: account_id.to_string(),
    });
    state.pending.remove(&Slot::Email);
    state.profile.email = Loadable::Idle;
    let id = track(state, Slot::PropertyKeys);
    state.profile.props = Loadable::Loading(id);
    state.profile.prop_list = ListView::default();
    state.profile.open_prop = None;
    cmds.push(Command::FetchPropertyKeys {
        id,
        account_id: account_id.to_string(),
    });
    if reset_groups {
        state.groups.clear();
        push_memberships(state, account_id, cmds);
    }
}

fn push_memberships(state: &mut State, account_id: &str, cmds: &mut Vec<Command>) {
    let name = state
        .directory
        .user(account_id)
        .map(|u| u.name().to_string())
        .unwrap_or_else(|| account_id.to_string());
    let groups = match state.groups_cache.get(account_id) {
        Some(groups) => Loadable::Loaded(groups.clone()),
        None => {
            let id = track(state, Slot::Groups);
            cmds.push(Command::FetchGroups {
                id,
                account_id: account_id.to_string(),
            });
            Loadable::Loading(id)
        }
    };
    state.groups.push(GroupView::Memberships {
        account_id: account_id.to_string(),
        name,
        groups,
        list: ListView::default(),
    });
}

fn open(state: &mut State, cmds: &mut Vec<Command>) {
    match state.focus {
        Focus::Search => {
            open_selected_result(state, cmds);
            if state.profile.account_id.is_some() {
                state.focus = Focus::Groups;
            }
        }
        Focus::Profile => {
            let (Some(account_id), Some(keys)) = (
                state.profile.account_id.clone(),
                state.profile.props.loaded(),
            ) else {
                return;
            };
            let Some(key) = keys.get(state.profile.prop_list.selected).cloned() else {
                return;
            };
            let id = track(state, Slot::Property);
            state.profile.open_prop = Some((key.clone(), Loadable::Loading(id)));
            cmds.push(Command::FetchProperty {
                id,
                account_id,
                key,
            });
        }
        Focus::Groups => match state.groups.last() {
            Some(GroupView::Memberships { groups, list, .. }) => {
                let Some(group) = groups.loaded().and_then(|g| g.get(list.selected)).cloned()
                else {
                    return;
                };
                state.groups.push(GroupView::Members {
                    group,
                    members: Vec::new(),
                    load: Loadable::Idle,
                    next_start: None,
                    total: None,
                    list: ListView::default(),
                });
                fetch_members(state, 0, cmds);
            }
            Some(GroupView::Members { members, list, .. }) => {
                let Some(account_id) = members.get(list.selected).cloned() else {
                    return;
                };
                show_profile(state, &account_id, false, cmds);
                push_memberships(state, &account_id, cmds);
                remember(state, &account_id);
            }
            None => {}
        },
        Focus::Watchlist => toggle_watch(state, cmds),
    }
}

fn back(state: &mut State, cmds: &mut Vec<Command>) {
    if state.overlay != Overlay::None {
        state.overlay = Overlay::None;
        state.mode = Mode::Normal;
        return;
    }
    match state.focus {
        Focus::Groups if state.groups.len() > 1 => {
            state.groups.pop();
            // The profile follows the person whose groups are nearest below.
            let owner = state.groups.iter().rev().find_map(|v| match v {
                GroupView::Memberships { account_id, .. } => Some(account_id.clone()),
                _ => None,
            });
            if let Some(owner) = owner {
                if state.profile.account_id.as_deref() != Some(owner.as_str()) {
                    show_profile(state, &owner, false, cmds);
                }
            }
            // A members list we come back to may still need its first page.
            if let Some(GroupView::Members { members, load, .. }) = state.groups.last() {
                if members.is_empty() && !matches!(load, Loadable::Loaded(_)) {
                    fetch_members(state, 0, cmds);
                }
            }
        }
        Focus::Profile if state.profile.open_prop.is_some() => state.profile.open_prop = None,
        Focus::Watchlist if !state.watch.filter.value().is_empty() => {
            state.watch.filter = Input::default();
            state.rebuild_watch_rows();
            request_visible_statuses(state, cmds);
        }
        _ => {
            if state.last_error.is_some() {
                state.last_error = None;
            }
        }
    }
}

/// The selection and scroll of the list a pane shows.
fn list_view(state: &State, pane: Focus) -> ListView {
    match pane {
        Focus::Search => state.search.list,
        Focus::Profile => state.profile.prop_list,
        Focus::Groups => match state.groups.last() {
            Some(GroupView::Memberships { list, .. }) | Some(GroupView::Members { list, .. }) => {
                *list
            }
            None => ListView::default(),
        },
        Focus::Watchlist => state.watch.list,
    }
}

fn click_row(state: &mut State, pane: Focus, row: usize, cmds: &mut Vec<Command>) {
    let list = list_view(state, pane);
    let delta = (list.offset + row) as isize - list.selected as isize;
    move_selection(state, delta, cmds);
}

fn move_selection(state: &mut State, delta: isize, cmds: &mut Vec<Command>) {
    match state.overlay {
        Overlay::Errors => {
            let len = state.errors.len();
            state.error_list.move_by(delta, len, state.heights.overlay);
            return;
        }
        Overlay::Help => return,
        Overlay::None => {}
    }
    match state.focus {
        Focus::Search => {
            let len = state.search.rows.len();
            state.search.list.move_by(delta, len, state.heights.results);
            after_result_move(state, cmds);
        }
        Focus::Profile => {
            let len = state.profile.props.loaded().map_or(0, Vec::len);
            state
                .profile
                .prop_list
                .move_by(delta, len, state.heights.props);
        }
        Focus::Groups => {
            let height = state.heights.groups;
            let mut more = None;
            match state.groups.last_mut() {
                Some(GroupView::Memberships { groups, list, .. }) => {
                    let len = groups.loaded().map_or(0, Vec::len);
                    list.move_by(delta, len, height);
                }
                Some(GroupView::Members {
                    members,
                    load,
                    next_start,
                    list,
                    ..
                }) => {
                    list.move_by(delta, members.len(), height);
                    if let Some(next) = *next_start {
                        if list.selected + NEAR_END >= members.len() && !load.is_loading() {
                            more = Some(next);
                        }
                    }
                }
                None => {}
            }
            if let Some(start) = more {
                fetch_members(state, start, cmds);
            }
        }
        Focus::Watchlist => {
            let len = state.watch.rows.len();
            state.watch.list.move_by(delta, len, state.heights.watch);
            request_visible_statuses(state, cmds);
            if let Some(next) = state.watch.spaces_next {
                if state.watch.list.selected + NEAR_END >= len
                    && !state.watch.spaces_load.is_loading()
                {
                    fetch_spaces(state, next, cmds);
                }
            }
        }
    }
}

/// Asks for a page of the shown members list's group, from `start`.
fn fetch_members(state: &mut State, start: u32, cmds: &mut Vec<Command>) {
    let id = track(state, Slot::Members);
    if let Some(GroupView::Members { group, load, .. }) = state.groups.last_mut() {
        *load = Loadable::Loading(id);
        cmds.push(Command::FetchMembers {
            id,
            group_id: group.id.clone(),
            start,
            limit: MEMBERS_PAGE,
        });
    }
}

// ---------------------------------------------------------------------------------------------
// Watch list

fn fetch_spaces(state: &mut State, start: u32, cmds: &mut Vec<Command>) {
    let id = track(state, Slot::Spaces);
    state.watch.spaces_load = Loadable::Loading(id);
    cmds.push(Command::FetchSpaces {
        id,
        start,
        limit: SPACES_PAGE,
    });
}

/// Asks for the status of visible rows whose status is not known yet, in one batch.
fn request_visible_statuses(state: &mut State, cmds: &mut Vec<Command>) {
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

fn toggle_watch(state: &mut State, cmds: &mut Vec<Command>) {
    if state.focus != Focus::Watchlist {
        state.notice = Some("Focus the watch list (4) to toggle a watch".into());
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
        Some(WatchStatus::Loading(_)) | Some(WatchStatus::Pending { .. }) => {
            state.notice = Some("Still waiting for the server…".into());
        }
        Some(WatchStatus::Failed(_)) | None => {
            state.watch.statuses.remove(&key);
            request_visible_statuses(state, cmds);
            state.notice = Some("Status unknown: asking again; press w once it shows".into());
        }
    }
}

fn toggle_subject(state: &mut State, cmds: &mut Vec<Command>) {
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
// Clipboard, browser, refresh

/// The person the focused pane is about: the selected member in a members list, else the profile.
fn focused_person(state: &State) -> Option<String> {
    if state.focus == Focus::Groups {
        if let Some(GroupView::Members { members, list, .. }) = state.groups.last() {
            return members.get(list.selected).cloned();
        }
    }
    if state.focus == Focus::Search {
        if let Some(id) = state.selected_result() {
            return Some(id.to_string());
        }
    }
    state.profile.account_id.clone()
}

fn copy(state: &mut State, email: bool, cmds: &mut Vec<Command>) {
    if state.focus == Focus::Watchlist && !email {
        if let Some(row) = state.watch.rows.get(state.watch.list.selected) {
            let text = row.target.id().to_string();
            state.notice = Some(format!("Copied {text}"));
            cmds.push(Command::Copy { text });
        }
        return;
    }
    let Some(id) = focused_person(state) else {
        return;
    };
    let text = if email {
        let from_user = state
            .directory
            .user(&id)
            .and_then(|u| match u.email_state() {
                EmailState::Visible(e) => Some(e.to_string()),
                _ => None,
            });
        let from_api = (state.profile.account_id.as_deref() == Some(id.as_str()))
            .then(|| state.profile.email.loaded().cloned())
            .flatten();
        match from_user.or(from_api) {
            Some(e) => e,
            None => {
                state.notice = Some("No visible email to copy".into());
                return;
            }
        }
    } else {
        id
    };
    state.notice = Some(format!("Copied {text}"));
    cmds.push(Command::Copy { text });
}

fn open_in_browser(state: &mut State, cmds: &mut Vec<Command>) {
    let path = if state.focus == Focus::Watchlist {
        match state
            .watch
            .rows
            .get(state.watch.list.selected)
            .map(|r| &r.target)
        {
            Some(WatchTarget::Space(key)) => format!("spaces/{key}"),
            Some(WatchTarget::Label(name)) => format!("label/{name}"),
            Some(WatchTarget::Content(id)) => format!("pages/viewpage.action?pageId={id}"),
            None => return,
        }
    } else {
        match focused_person(state) {
            Some(id) => format!("people/{id}"),
            None => return,
        }
    };
    state.notice = Some(format!("Opening {path} in the browser"));
    cmds.push(Command::OpenUrl { path });
}

fn refresh(state: &mut State, cmds: &mut Vec<Command>) {
    match state.focus {
        Focus::Search => {
            if !state.search.folded.is_empty() {
                query_changed(state, cmds);
            }
        }
        Focus::Profile | Focus::Groups => {
            if let Some(id) = state.profile.account_id.clone() {
                state.groups_cache.remove(&id);
                let keep_path = state.focus == Focus::Profile;
                show_profile(state, &id, !keep_path, cmds);
            }
        }
        Focus::Watchlist => {
            let user = state.watch_subject();
            state
                .watch
                .statuses
                .retain(|(u, _), s| *u != user || matches!(s, WatchStatus::Pending { .. }));
            state.watch.spaces.clear();
            state.watch.spaces_next = None;
            state.rebuild_watch_rows();
            fetch_spaces(state, 0, cmds);
        }
    }
}

#[cfg(test)]
#[path = "update/tests.rs"]
mod tests;
