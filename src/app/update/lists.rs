//! `/` on any list, the groups pane's filter and the members' order (`S`). The filter and order
//! themselves are `app::lists`; this is what the keys do to them.

use super::watch::request_visible_statuses;
use crate::app::command::Command;
use crate::app::lists::{group_rows, groups_filter, view_key};
use crate::app::state::{Focus, GroupView, ListView, Mode, Overlay, State};
use tui_input::Input;

/// `/`: filters the focused list. The watch list opens its filter line (as `f`), the groups pane
/// its own; in Search typing is the filter, so `/` there goes to the search box.
pub(super) fn start_filter(state: &mut State) {
    if state.overlay == Overlay::Errors {
        state.lists.errors_filtering = true;
        state.mode = Mode::Editing;
        return;
    }
    match state.focus {
        Focus::Watchlist => state.mode = Mode::Editing,
        Focus::Groups => {
            let Some(view) = state.groups.last() else {
                state.notice = Some("Nothing to filter yet: open a person's groups".into());
                return;
            };
            let key = view_key(view);
            if state.lists.filter_view.as_deref() != Some(key.as_str()) {
                state.lists.filter = Input::default();
                state.lists.filter_view = Some(key);
            }
            state.lists.filtering = true;
            state.mode = Mode::Editing;
        }
        Focus::Search => {
            state.watch.pin_input = None;
            state.mode = Mode::Editing;
        }
        Focus::Profile => {
            state.notice = Some("Filters apply to Groups and the watch list: 3 or 4".into());
        }
    }
}

/// The selection of the shown groups view.
pub(super) fn groups_list(state: &mut State) -> Option<&mut ListView> {
    match state.groups.last_mut()? {
        GroupView::Memberships { list, .. } | GroupView::Members { list, .. } => Some(list),
        GroupView::Compare(c) => Some(&mut c.list),
    }
}

/// The groups filter or the members' order changed: the selection goes back to the top.
fn rows_changed(state: &mut State) {
    if let Some(list) = groups_list(state) {
        *list = ListView::default();
    }
}

/// The groups filter's text changed.
pub(super) fn filter_changed(state: &mut State) {
    rows_changed(state);
}

/// Enter in the groups filter: keeps the filter and gives the keys back to the list.
pub(super) fn submit_filter(state: &mut State) {
    state.lists.filtering = false;
    state.mode = Mode::Normal;
}

/// Esc in the groups filter, or Esc on a filtered list: the filter goes.
pub(super) fn clear_filter(state: &mut State) {
    state.lists.filtering = false;
    state.lists.filter = Input::default();
    state.lists.filter_view = None;
    state.mode = Mode::Normal;
    rows_changed(state);
}

/// Whether Esc on the groups pane should clear a filter (rather than walk back).
pub(super) fn groups_filtered(state: &State) -> bool {
    groups_filter(state).is_some()
}

/// `S`: the next order of a group's members.
pub(super) fn cycle_sort(state: &mut State) {
    if !matches!(state.groups.last(), Some(GroupView::Members { .. })) {
        state.notice = Some("S sorts a group's members: open a group first".into());
        return;
    }
    state.lists.member_sort = state.lists.member_sort.next();
    rows_changed(state);
    let shown = group_rows(state).len();
    state.notice = Some(format!(
        "Members {} ({shown} loaded)",
        state.lists.member_sort.label()
    ));
}

/// `y` / `n` after unpinning something still watched: unwatch it too (optimistically, as `w`
/// does), or leave the watch on.
pub(super) fn confirm_unwatch(state: &mut State, yes: bool, cmds: &mut Vec<Command>) {
    let Some((user, target)) = state.lists.confirm_unwatch.take() else {
        return;
    };
    let what = super::watch::shown_target(&target);
    if !yes {
        state.notice = Some(format!("Still watching {what}"));
        return;
    }
    let id = state.next_id();
    state.pending_free.insert(id);
    state.watch.statuses.insert(
        (user.clone(), target.clone()),
        crate::app::state::WatchStatus::Pending { was: true, id },
    );
    cmds.push(Command::SetWatch {
        id,
        user,
        target,
        watch: false,
    });
    state.notice = Some(format!("Unwatching {what}…"));
    request_visible_statuses(state, cmds);
}
