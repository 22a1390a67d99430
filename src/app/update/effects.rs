//! Acting on the focused thing: copying its id or email, opening it in the browser, fetching
//! its pane again, and recording a local effect that failed. The effects themselves (clipboard,
//! browser) are commands the event loop carries out; nothing here touches the terminal.

use super::log_error;
use super::profile::show_profile;
use super::search::query_changed;
use super::watch::reload_spaces;
use crate::api::model::EmailState;
use crate::api::WatchTarget;
use crate::app::command::Command;
use crate::app::state::{Focus, GroupView, State, WatchStatus};
use crate::sanitize::{clean, fit};

/// The person the focused pane is about: the selected member in a members list, else the profile.
fn focused_person(state: &State) -> Option<String> {
    if state.focus == Focus::Groups {
        if let Some(GroupView::Members { .. }) = state.groups.last() {
            return crate::app::lists::selected_member(state).map(str::to_string);
        }
    }
    if state.focus == Focus::Search {
        if let Some(id) = state.selected_result() {
            return Some(id.to_string());
        }
    }
    state.profile.account_id.clone()
}

/// The most columns of the copied text the notice repeats.
const COPIED_SHOWN: usize = 60;

/// `y` / `Y`: copies the focused person's account id or visible email, or the watch row's id.
/// What is copied is what the panes show: the server's string cleaned to one line without control
/// characters (an "email" holding a line break and a command must not reach the clipboard as two
/// lines), and the notice repeats it.
pub(super) fn copy(state: &mut State, email: bool, cmds: &mut Vec<Command>) {
    if state.focus == Focus::Watchlist && !email {
        if let Some(row) = state.watch.rows.get(state.watch.list.selected) {
            let text = row.target.id().to_string();
            copy_text(state, &text, cmds);
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
    copy_text(state, &text, cmds);
}

/// Copies `raw` as the screen shows it (cleaned, one line, trimmed) and says what was copied.
fn copy_text(state: &mut State, raw: &str, cmds: &mut Vec<Command>) {
    let text = clean(raw).trim().to_string();
    if text.is_empty() {
        state.notice = Some("Nothing to copy".into());
        return;
    }
    state.notice = Some(format!("Copied {}", fit(&text, COPIED_SHOWN)));
    cmds.push(Command::Copy { text });
}

/// `o`: opens the focused person's profile, or the watch row's space, label or page, on the site.
pub(super) fn open_in_browser(state: &mut State, cmds: &mut Vec<Command>) {
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

/// `r`: asks again for what the focused pane shows (cached groups and statuses are dropped).
pub(super) fn refresh(state: &mut State, cmds: &mut Vec<Command>) {
    match state.focus {
        Focus::Search => {
            if !state.search.folded.is_empty() {
                query_changed(state, cmds);
            }
        }
        Focus::Groups if matches!(state.groups.last(), Some(GroupView::Compare(_))) => {
            super::compare::refresh(state, cmds)
        }
        // A members list: its first page again, which replaces the list when it comes (the
        // rows shown stay until then).
        Focus::Groups if matches!(state.groups.last(), Some(GroupView::Members { .. })) => {
            super::profile::fetch_members(state, 0, cmds)
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
            reload_spaces(state, cmds);
        }
    }
}

/// A local effect (clipboard, browser) or a start-up step failed: logged like any error, and a
/// notice claiming it worked ("Copied …") goes.
pub(super) fn effect_failed(state: &mut State, message: String) {
    state.notice = None;
    log_error(state, message);
}
