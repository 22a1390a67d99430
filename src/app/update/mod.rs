//! The pure state machine: `update(&mut State, Action) -> Vec<Command>`.
//!
//! No I/O, no clock reads, no tokio: results arrive as actions tagged with a [`RequestId`], and an
//! answer whose id is no longer the live one for its slot is dropped, so an older response never
//! overwrites a newer one.
//!
//! This module dispatches each kind of [`Action`] to the area that handles it, tracks requests
//! by slot, and keeps the error log. The areas: `navigation` (focus, selection, overlays, text
//! inputs), `search` (the query, ranking and server search), `profile` (the profile and the
//! groups path), `watch` (the watch list, pins and watch toggles), `effects` (copying, opening
//! in the browser, refreshing, and local effects that failed) and `compare` (marking a person and
//! comparing two people's groups).

mod command_line;
mod compare;
mod connection;
mod effects;
mod export;
mod group_watch;
mod history;
mod inline;
mod lists;
mod navigation;
mod profile;
mod property_edit;
mod search;
mod sync;
mod watch;
mod watch_many;

use super::action::{Action, Done, Intent, Loaded, Runtime};
use super::command::Command;
use super::request::{Loadable, RequestId, Slot};
use super::state::{ErrorEntry, Focus, GroupView, Overlay, State};
use crate::api::ApiError;

pub use group_watch::{is_admin, GROUP_WRITES_AT_ONCE};
pub use watch::parse_pin;

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
    watch::fetch_spaces(state, None, &mut cmds);
    cmds.push(Command::LoadDirectoryCache);
    watch::fetch_page_titles(state, &mut cmds);
    search::rebuild_results(state);
    cmds
}

/// Applies one action and returns what must be done as a consequence. Takes any kind of action
/// (`Intent::Down` as well as `Action::Intent(Intent::Down)`).
pub fn update(state: &mut State, action: impl Into<Action>) -> Vec<Command> {
    let mut cmds = Vec::new();
    let action = action.into();
    // A keystroke's ranking may have left people unscanned, to draw its first rows sooner (idle
    // work looks at them a step at a time): anything but an edit (which ranks anew) or that
    // work may read the hits, so the ranking is finished first.
    let may_read_hits = !matches!(
        action,
        Action::Intent(Intent::Edit(_)) | Action::Runtime(Runtime::Idle)
    );
    if may_read_hits && search::finish_ranking(state, usize::MAX) {
        state.dirty = true;
    }
    match action {
        Action::Intent(intent) => {
            state.dirty = true;
            // A notice ("copied …") lasts until the user asks for something else.
            state.notice = None;
            // So does the question after an unpin (`y` / `n` answer it).
            if !matches!(intent, super::action::Intent::ConfirmUnwatch(_)) {
                state.lists.confirm_unwatch = None;
            }
            if !matches!(intent, Intent::ConfirmPropertyDelete(_)) {
                state.prop_edit.confirm_delete = None;
            }
            let bottom = intent == Intent::Bottom;
            // Any key stops a walk to the end; `G` starts one where more pages are to come.
            state.seek_end = None;
            if let Some(intent) = export::intercept(state, intent, &mut cmds) {
                navigation::handle_intent(state, intent, &mut cmds);
            }
            if bottom {
                state.seek_end = seeking_end(state);
            }
        }
        Action::Runtime(event) => {
            // Idle work redraws only once it is done (`handle_runtime` says when).
            if !matches!(event, Runtime::Idle) {
                state.dirty = true;
            }
            handle_runtime(state, event, &mut cmds);
        }
        Action::Loaded(loaded) => {
            // An answer counts only while its id is its slot's live one; a stale answer changes
            // nothing, so it does not even cost a redraw.
            let (slot, id) = loaded.request();
            if state.pending.get(&slot) != Some(&id) {
                return cmds;
            }
            state.pending.remove(&slot);
            state.dirty = true;
            connection::observe(state, connection::loaded_reached(&loaded));
            let page = matches!(loaded, Loaded::Search { .. } | Loaded::Members { .. });
            let page_failed = matches!(
                loaded,
                Loaded::Search { result: Err(_), .. } | Loaded::Members { result: Err(_), .. }
            );
            match loaded {
                Loaded::Property { id, result } if inline::is_inline(state, id) => {
                    inline::loaded(state, result)
                }
                loaded => handle_loaded(state, loaded, &mut cmds),
            }
            if page {
                continue_to_end(state, &mut cmds);
                export::after_page(state, page_failed);
            }
        }
        Action::Done(done) => {
            state.dirty = true;
            connection::observe(state, connection::done_reached(&done));
            handle_done(state, done, &mut cmds);
        }
    }
    inline::fetch(state, &mut cmds);
    cmds
}

/// The terminal was resized, time passed, or what the client waits for changed.
fn handle_runtime(state: &mut State, event: Runtime, cmds: &mut Vec<Command>) {
    match event {
        Runtime::Resized(heights) => {
            state.heights = heights;
            state
                .search
                .list
                .clamp(state.search.rows.len(), heights.results);
            let len = state.watch.rows.len();
            state.watch.list.clamp(len, heights.watch);
            search::refresh_highlights(state);
            watch::request_visible_statuses(state, cmds);
        }
        Runtime::Tick => {
            if state.in_flight() > 0 {
                state.spinner = state.spinner.wrapping_add(1);
            }
        }
        Runtime::Waits(waits) => state.waits = waits,
        Runtime::Idle => {
            if search::finish_ranking(state, search::IDLE_STEP) {
                state.dirty = true;
            }
        }
    }
}

/// A live answer to a slotted request, handed to the area that asked.
fn handle_loaded(state: &mut State, loaded: Loaded, cmds: &mut Vec<Command>) {
    match loaded {
        Loaded::Me { result, .. } => search::me_loaded(state, result, cmds),
        Loaded::Search {
            query,
            start,
            result,
            ..
        } => search::users_found(state, query, start, result, cmds),
        Loaded::Profile { result, .. } => profile::profile_loaded(state, result, cmds),
        Loaded::Email { result, .. } => profile::email_loaded(state, result),
        Loaded::PropertyKeys { result, .. } => profile::property_keys_loaded(state, result),
        Loaded::Property { result, .. } => profile::property_loaded(state, result),
        Loaded::Groups {
            id,
            account_id,
            result,
        } => profile::groups_loaded(state, id, account_id, result),
        Loaded::Members { id, start, result } => profile::members_loaded(state, id, start, result),
        Loaded::Spaces { result, .. } => watch::spaces_loaded(state, result, cmds),
        Loaded::CompareGroups {
            id,
            side,
            account_id,
            result,
        } => compare::loaded(state, id, side, account_id, result),
        Loaded::GroupEmails { result, .. } => export::emails_loaded(state, result),
        Loaded::FoundGroups { name, result, .. } => {
            command_line::groups_found(state, &name, result, cmds)
        }
    }
}

/// The outcome of work outside the slots, handed to the area it concerns.
fn handle_done(state: &mut State, done: Done, cmds: &mut Vec<Command>) {
    match done {
        Done::WatchStatusLoaded {
            id,
            user,
            target,
            result,
        } => watch::status_loaded(state, id, (user, target), result, cmds),
        Done::WatchSet {
            id,
            user,
            target,
            result,
        } => watch::watch_set(state, id, (user, target), result, cmds),
        Done::PinsSaved { result } => watch::pins_saved(state, result),
        Done::DirectoryCached { recent, directory } => {
            search::directory_cached(state, recent, *directory)
        }
        Done::DirectoryCacheFailed { message } => {
            state.directory.cache_unreadable();
            log_error(state, message)
        }
        Done::EffectFailed { message } => effects::effect_failed(state, message),
        Done::PageTitle {
            id,
            page_id,
            result,
        } => watch::page_title_loaded(state, id, page_id, result),
        Done::Exported { path, result } => export::exported(state, path, result),
        Done::GroupEmailsProgress { id, members, asked } => {
            export::emails_progress(state, id, members, asked)
        }
        Done::PropertyDone { id, result } => property_edit::done(state, id, result),
        Done::Edited { id, outcome } => property_edit::edited(state, id, outcome, cmds),
        Done::AllMembers { id, result } => group_watch::members_loaded(state, id, result, cmds),
        Done::SyncProgress {
            id,
            progress,
            batch,
        } => sync::progress(state, id, progress, batch),
        Done::SyncFinished { id, result } => sync::finished(state, id, result),
    }
}

/// The pane whose list `G` is walking to the end: the focused one, when its next page is on its
/// way (the move to the last row asked for it) and the list is below the paging cap.
fn seeking_end(state: &State) -> Option<Focus> {
    if state.overlay != Overlay::None {
        return None;
    }
    let more = match state.focus {
        Focus::Search => {
            state.search.server.is_loading()
                && state.search.rows.len() < crate::api::paging::MAX_ITEMS
        }
        Focus::Groups => match state.groups.last() {
            Some(GroupView::Members { members, load, .. }) => {
                load.is_loading() && members.len() < crate::api::paging::MAX_ITEMS
            }
            _ => false,
        },
        _ => false,
    };
    more.then_some(state.focus)
}

/// A page arrived while `G` walks to the end: the selection goes to the new last row, which
/// asks for the next page while there is one; the walk ends at the last page or a failure.
fn continue_to_end(state: &mut State, cmds: &mut Vec<Command>) {
    let Some(pane) = state.seek_end else {
        return;
    };
    if state.focus != pane || state.overlay != Overlay::None {
        state.seek_end = None;
        return;
    }
    navigation::handle_intent(state, Intent::Bottom, cmds);
    state.seek_end = seeking_end(state);
}

/// Allocates an id for `slot`, superseding the slot's previous request.
fn track(state: &mut State, slot: Slot) -> RequestId {
    let id = state.next_id();
    state.pending.insert(slot, id);
    id
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

/// Adds a message to the error log (oldest dropped past [`ERRORS_MAX`]) and shows it in the
/// message line.
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

#[cfg(test)]
mod tests;
