//! The history of people opened, with their groups paths: back (Ctrl-O, Alt-←) and forward
//! (Alt-→) across people, as in a browser or vim's jump list. Opening a person (Enter on a
//! result or on a member) records a visit; highlighting results only previews, so arrowing
//! through a list does not fill the history, and going back from a preview returns to the last
//! person opened with the path as it was left.

use super::profile::{fetch_members, show_profile};
use super::track;
use crate::app::command::Command;
use crate::app::request::{Loadable, Slot};
use crate::app::state::{GroupView, State, Visit, HISTORY_MAX};

/// Keeps what is shown in the visit it is (if it is one), before the profile or path changes.
pub(super) fn leave(state: &mut State) {
    let history = &mut state.history;
    if !history.on {
        return;
    }
    history.on = false;
    if let (Some(visit), Some(id)) = (
        history.visits.get_mut(history.at),
        state.profile.account_id.as_ref(),
    ) {
        visit.account_id = id.clone();
        visit.groups = state.groups.clone();
    }
}

/// Records the person and path shown now as a visit after the current one (the visits ahead of
/// it are dropped; the same person twice in a row is one visit).
pub(super) fn visit(state: &mut State) {
    let Some(id) = state.profile.account_id.clone() else {
        return;
    };
    leave(state);
    let history = &mut state.history;
    history.visits.truncate(history.at + 1);
    if history.visits.last().is_some_and(|v| v.account_id == id) {
        history.visits.pop();
    }
    history.visits.push(Visit {
        account_id: id,
        groups: state.groups.clone(),
    });
    if history.visits.len() > HISTORY_MAX {
        history.visits.remove(0);
    }
    history.at = history.visits.len() - 1;
    history.on = true;
}

/// Ctrl-O / Alt-←: the visit before this one (from a preview: the last visit left).
pub(super) fn back(state: &mut State, cmds: &mut Vec<Command>) {
    let history = &state.history;
    let target = if history.on {
        history.at.checked_sub(1)
    } else {
        (history.at < history.visits.len()).then_some(history.at)
    };
    match target {
        Some(index) => go(state, index, cmds),
        None => state.notice = Some("Nobody before this in the history".into()),
    }
}

/// Alt-→: the visit after this one.
pub(super) fn forward(state: &mut State, cmds: &mut Vec<Command>) {
    let index = state.history.at + 1;
    if index < state.history.visits.len() {
        go(state, index, cmds);
    } else {
        state.notice = Some("Nobody after this in the history".into());
    }
}

/// Shows visit `index`: the person's profile and the groups path as it was left.
fn go(state: &mut State, index: usize, cmds: &mut Vec<Command>) {
    leave(state);
    let Some(visit) = state.history.visits.get(index).cloned() else {
        return;
    };
    show_profile(state, &visit.account_id, false, cmds);
    state.groups = visit.groups;
    revive_path(state, cmds);
    state.history.at = index;
    state.history.on = true;
}

/// A path taken back from the history may hold lists whose answers were dropped while it was
/// away: they are filled from the cache or asked for again (the shown one at once, the others
/// when the path goes back to them).
fn revive_path(state: &mut State, cmds: &mut Vec<Command>) {
    let last = state.groups.len().saturating_sub(1);
    let mut fetch_groups = None;
    let mut fetch_first_members = false;
    let mut fetch_compared = false;
    for (i, view) in state.groups.iter_mut().enumerate() {
        match view {
            GroupView::Memberships {
                account_id, groups, ..
            } if !matches!(groups, Loadable::Loaded(_)) => {
                *groups = match state.groups_cache.get(account_id.as_str()) {
                    Some(cached) => Loadable::Loaded(cached.clone()),
                    None if i == last => {
                        fetch_groups = Some(account_id.clone());
                        Loadable::Idle
                    }
                    None => Loadable::Idle,
                };
            }
            GroupView::Members { members, load, .. } => {
                if load.is_loading() {
                    *load = Loadable::Idle;
                }
                fetch_first_members =
                    i == last && members.is_empty() && !matches!(load, Loadable::Loaded(_));
            }
            GroupView::Memberships { .. } => {}
            GroupView::Compare(c) => {
                fetch_compared = super::compare::revive(c, &mut state.groups_cache) && i == last;
            }
        }
    }
    if fetch_compared {
        super::compare::fetch_missing(state, cmds);
    }
    if let Some(account_id) = fetch_groups {
        refetch_memberships(state, &account_id, cmds);
    }
    if fetch_first_members {
        fetch_members(state, 0, cmds);
    }
}

/// Asks again for the groups of the path's last list, a person's memberships that are not there.
pub(super) fn refetch_memberships(state: &mut State, account_id: &str, cmds: &mut Vec<Command>) {
    let id = track(state, Slot::Groups);
    if let Some(GroupView::Memberships { groups, .. }) = state.groups.last_mut() {
        *groups = Loadable::Loading(id);
    }
    cmds.push(Command::FetchGroups {
        id,
        account_id: account_id.to_string(),
        settle: false,
    });
}
