//! Marking a person (`m`) and comparing their groups with another's (`c` in Groups): the view
//! in the groups path, each side's groups loading on its own, Enter on a group, and `r`.
//!
//! Decisions (nothing in Atlassian's documentation bears on them):
//! - `m` marks the person in view: in the Profile pane the profile's person; in the Groups pane
//!   the highlighted member of a group's member list, else the person whose groups are shown.
//!   `m` on the marked person unmarks. The mark stays while other people are opened, so one
//!   person can be compared with several in turn.
//! - The comparison does not open by itself: opening someone after marking shows their groups as
//!   always (browsing is never hijacked), and `c` in Groups compares them with the marked person;
//!   `c` again (or Esc) goes back to their groups. The notice after `m` says so.
//! - The comparison is a view in the groups path: Enter on a group opens its members above it,
//!   and Esc/Backspace comes back to the comparison, as from a person's groups.
//! - Each side fetches every page of `/user/memberof` in its own request slot (or takes the
//!   groups already fetched), so a side that fails shows its error while the other still loads.

use super::profile::open_members;
use super::{failed, track};
use crate::api::model::Group;
use crate::api::ApiError;
use crate::app::command::Command;
use crate::app::compare::{Comparison, Mark, Person, Side};
use crate::app::directory::GroupsCache;
use crate::app::lists::{group_rows, selected_member};
use crate::app::request::{Loadable, RequestId};
use crate::app::state::{Focus, GroupView, ListView, State};

/// The person `m` is about: the highlighted member in a members list (Groups pane), else the
/// person whose profile is shown.
fn person_in_view(state: &State) -> Option<String> {
    if state.focus == Focus::Groups {
        if let Some(GroupView::Members { .. }) = state.groups.last() {
            return selected_member(state).map(str::to_string);
        }
    }
    state.profile.account_id.clone()
}

/// A person's name as the directory knows it, or their account id.
fn name_of(state: &State, account_id: &str) -> String {
    state
        .directory
        .user(account_id)
        .map_or(account_id, |u| u.name())
        .to_string()
}

/// `m`: marks the person in view, or unmarks them when they are the marked one.
pub(super) fn mark(state: &mut State) {
    let Some(account_id) = person_in_view(state) else {
        state.notice = Some("Nobody to mark: open a person first".into());
        return;
    };
    let name = name_of(state, &account_id);
    if state.mark.as_ref().map(|m| m.account_id.as_str()) == Some(account_id.as_str()) {
        state.mark = None;
        state.notice = Some(format!("Unmarked {}", crate::sanitize::clean(&name)));
        return;
    }
    state.notice = Some(format!(
        "Marked {}: open another person, then c in Groups compares their groups",
        crate::sanitize::clean(&name)
    ));
    state.mark = Some(Mark { account_id, name });
}

/// `c` in Groups: the comparison of the marked person with the shown one, or (on a comparison)
/// back to the view below it, or (on a list opened from the comparison of these two) back to
/// that comparison.
pub(super) fn toggle(state: &mut State, cmds: &mut Vec<Command>) {
    if let Some(GroupView::Compare(_)) = state.groups.last() {
        state.groups.pop();
        return;
    }
    let marked = state.mark.as_ref().map(|m| m.account_id.as_str());
    let shown = state.profile.account_id.as_deref();
    let same = state.groups.iter().rposition(|view| {
        matches!(view, GroupView::Compare(c)
            if Some(c.first.account_id.as_str()) == marked
                && Some(c.second.account_id.as_str()) == shown)
    });
    if let Some(at) = same {
        state.groups.truncate(at + 1);
        return;
    }
    let Some(mark) = state.mark.clone() else {
        state.notice = Some("Mark a person with m first, then open another and press c".into());
        return;
    };
    let Some(other) = state.profile.account_id.clone() else {
        state.notice = Some("Open a person to compare with the marked one".into());
        return;
    };
    if other == mark.account_id {
        state.notice = Some("This is the marked person: open someone else to compare".into());
        return;
    }
    let second = Person {
        name: name_of(state, &other),
        account_id: other,
        groups: Loadable::Idle,
    };
    let first = Person {
        account_id: mark.account_id,
        name: mark.name,
        groups: Loadable::Idle,
    };
    let mut view = Comparison {
        first,
        second,
        diff: None,
        list: ListView::default(),
    };
    for side in [Side::First, Side::Second] {
        load_side(state, &mut view, side, cmds);
    }
    view.rediff();
    state.groups.push(GroupView::Compare(view));
}

/// Fills one side from the groups already fetched, or asks for every page of them.
fn load_side(state: &mut State, view: &mut Comparison, side: Side, cmds: &mut Vec<Command>) {
    let account_id = view.side(side).account_id.clone();
    view.side_mut(side).groups = match state.groups_cache.get(&account_id) {
        Some(groups) => Loadable::Loaded(groups.clone()),
        None => {
            let id = track(state, side.slot());
            cmds.push(Command::FetchCompareGroups {
                id,
                side,
                account_id,
            });
            Loadable::Loading(id)
        }
    };
}

/// One side's groups arrived: cached, and shown by every comparison in the path waiting for them.
pub(super) fn loaded(
    state: &mut State,
    id: RequestId,
    side: Side,
    account_id: String,
    result: Result<Vec<Group>, ApiError>,
) {
    let groups = match result {
        Ok(groups) => {
            state
                .groups_cache
                .insert(account_id.clone(), groups.clone());
            Loadable::Loaded(groups)
        }
        Err(e) => {
            let mut shown = failed(state, &e);
            if let Loadable::Failed(message) = &mut shown {
                *message = format!("{}'s groups: {message}", name_of(state, &account_id));
            }
            shown
        }
    };
    let height = state.heights.groups;
    for view in state.groups.iter_mut() {
        if let GroupView::Compare(c) = view {
            let person = c.side_mut(side);
            if person.account_id == account_id && person.groups.is_loading_id(id) {
                person.groups = groups.clone();
                c.rediff();
                let len = c.diff.as_ref().map_or(0, |d| d.len());
                c.list.clamp(len, height);
            }
        }
    }
}

/// Enter on a comparison row: that group's members, above the comparison in the path.
pub(super) fn open(state: &mut State, cmds: &mut Vec<Command>) {
    let Some(GroupView::Compare(c)) = state.groups.last() else {
        return;
    };
    let Some(index) = group_rows(state).get(c.list.selected).copied() else {
        return;
    };
    let Some((_, group)) = c.diff.as_ref().and_then(|d| d.row(index)) else {
        return;
    };
    let group = group.clone();
    open_members(state, group, cmds);
}

/// `r` on a comparison: both sides fetched again.
pub(super) fn refresh(state: &mut State, cmds: &mut Vec<Command>) {
    let Some(GroupView::Compare(mut view)) = state.groups.pop() else {
        return;
    };
    for side in [Side::First, Side::Second] {
        state.groups_cache.remove(&view.side(side).account_id);
        view.side_mut(side).groups = Loadable::Idle;
        load_side(state, &mut view, side, cmds);
    }
    view.rediff();
    state.groups.push(GroupView::Compare(view));
}

/// A comparison taken back from the history: a side whose answer was dropped while it was away
/// takes the cached groups, or is marked to be asked for again. True when one must be asked for.
pub(super) fn revive(view: &mut Comparison, cache: &mut GroupsCache) -> bool {
    let mut missing = false;
    for side in [Side::First, Side::Second] {
        let person = view.side_mut(side);
        if matches!(person.groups, Loadable::Loading(_) | Loadable::Idle) {
            person.groups = match cache.get(&person.account_id) {
                Some(groups) => Loadable::Loaded(groups.clone()),
                None => {
                    missing = true;
                    Loadable::Idle
                }
            };
        }
    }
    view.rediff();
    missing
}

/// Asks for the sides of the shown comparison that are not here (after [`revive`]).
pub(super) fn fetch_missing(state: &mut State, cmds: &mut Vec<Command>) {
    let Some(GroupView::Compare(mut view)) = state.groups.pop() else {
        return;
    };
    for side in [Side::First, Side::Second] {
        if matches!(view.side(side).groups, Loadable::Idle) {
            load_side(state, &mut view, side, cmds);
        }
    }
    view.rediff();
    state.groups.push(GroupView::Compare(view));
}
