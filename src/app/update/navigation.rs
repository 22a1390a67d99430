//! Navigation: focus, selection and scrolling, opening and going back, overlays, and the text
//! inputs (search box, help filter, watch filter, pin prompt). It routes every [`Intent`] to the
//! area that handles it; network requests it needs are asked for through those areas, never made
//! here.

use super::history;
use super::profile::{fetch_members, push_memberships, show_profile};
use super::search::{after_result_move, open_selected_result, query_changed, remember};
use super::watch::{
    add_pin, fetch_spaces, parse_pin, request_visible_statuses, toggle_subject, toggle_watch, unpin,
};
use super::{command_line, effects, lists, property_edit, track, NEAR_END};
use crate::app::action::Intent;
use crate::app::command::Command;
use crate::app::request::{Loadable, Slot};
use crate::app::state::{
    input_cut_note, ActiveInput, Focus, GroupView, ListView, Mode, Overlay, State, INPUT_MAX,
};
use tui_input::{Input, InputRequest};

/// Carries out what the user asked for.
pub(super) fn handle_intent(state: &mut State, intent: Intent, cmds: &mut Vec<Command>) {
    match intent {
        Intent::Quit => state.quit = true,
        Intent::FocusNext if state.lists.command.is_some() => command_line::tab(state),
        Intent::FocusNext => set_focus(state, state.focus.next(), cmds),
        Intent::FocusPrev => set_focus(state, state.focus.prev(), cmds),
        Intent::FocusPane(pane) => set_focus(state, pane, cmds),
        Intent::StartSearch => {
            state.overlay = Overlay::None;
            state.watch.pin_input = None;
            state.focus = Focus::Search;
            state.mode = Mode::Editing;
        }
        Intent::Edit(request) => edit(state, request, cmds),
        Intent::Paste(text) => paste(state, &text, cmds),
        Intent::Submit => submit(state, cmds),
        Intent::Cancel => cancel(state, cmds),
        Intent::Up => move_selection(state, -1, cmds),
        Intent::Down => move_selection(state, 1, cmds),
        Intent::PageUp => {
            let page = page_height(state) as isize;
            move_selection(state, -page, cmds);
        }
        Intent::PageDown => {
            let page = page_height(state) as isize;
            move_selection(state, page, cmds);
        }
        Intent::Top => move_selection(state, isize::MIN / 2, cmds),
        Intent::Bottom => move_selection(state, isize::MAX / 2, cmds),
        Intent::Open => open(state, cmds),
        Intent::Back => back(state, cmds),
        Intent::ToggleHelp => toggle_help(state),
        Intent::ToggleErrorLog => toggle_error_log(state),
        Intent::DismissError => state.last_error = None,
        Intent::ToggleWatch => toggle_watch(state, cmds),
        Intent::StartPin => {
            state.focus = Focus::Watchlist;
            state.watch.pin_input = Some(Input::default());
            state.mode = Mode::Editing;
        }
        Intent::Unpin => unpin(state, cmds),
        Intent::ToggleWatchSubject => toggle_subject(state, cmds),
        Intent::StartFilter => {
            state.focus = Focus::Watchlist;
            state.mode = Mode::Editing;
        }
        Intent::Copy { email } => effects::copy(state, email, cmds),
        Intent::OpenInBrowser => effects::open_in_browser(state, cmds),
        Intent::Refresh => effects::refresh(state, cmds),
        Intent::Click { pane, row } => {
            if state.overlay != Overlay::None {
                state.overlay = Overlay::None;
            }
            set_focus(state, pane, cmds);
            if let Some(row) = row {
                click_row(state, pane, row, cmds);
            }
        }
        Intent::Scroll { pane, down } => {
            set_focus(state, pane, cmds);
            move_selection(state, if down { 3 } else { -3 }, cmds);
        }
        Intent::Filter => lists::start_filter(state),
        Intent::CycleSort => lists::cycle_sort(state),
        Intent::StartCommand => command_line::start(state),
        Intent::ConfirmUnwatch(yes) => lists::confirm_unwatch(state, yes, cmds),
        Intent::HistoryBack => history::back(state, cmds),
        Intent::HistoryForward => history::forward(state, cmds),
        Intent::Suspend => state.suspend = true,
        Intent::Mark => super::compare::mark(state),
        Intent::Compare => super::compare::toggle(state, cmds),
        Intent::Export => super::export::start(state, cmds),
        Intent::CopyList => super::export::copy(state, cmds),
        Intent::GroupEmails => super::export::group_emails(state, cmds),
        Intent::EditProperty => property_edit::start_edit(state, cmds),
        Intent::NewProperty => property_edit::start_new(state),
        Intent::DeleteProperty => property_edit::ask_delete(state),
        Intent::ConfirmPropertyDelete(yes) => property_edit::confirm_delete(state, yes, cmds),
        Intent::ToggleMark => super::watch_many::toggle_mark(state, cmds),
        Intent::MarkAllVisible => super::watch_many::mark_all_visible(state),
        Intent::GroupWatch => super::group_watch::start(state, cmds),
        Intent::GroupWatchKey(key) => super::group_watch::key(state, key, cmds),
    }
    // The Search pane is where a name is typed: with nothing drawn over it, its keys go to the
    // query, so no letter typed there runs a command.
    if state.focus == Focus::Search && state.overlay == Overlay::None {
        state.mode = Mode::Editing;
    }
}

/// `?`: opens the key help with an empty filter (typing filters it), or closes it.
fn toggle_help(state: &mut State) {
    if state.overlay == Overlay::Help {
        state.overlay = Overlay::None;
        state.mode = Mode::Normal;
    } else {
        state.overlay = Overlay::Help;
        state.help_filter = Input::default();
        state.help_scroll = 0;
        state.mode = Mode::Editing;
    }
}

/// `E`: opens the error log at the newest entry, or closes it.
fn toggle_error_log(state: &mut State) {
    state.overlay = if state.overlay == Overlay::Errors {
        Overlay::None
    } else {
        // Each opening starts unfiltered, at the newest entry.
        state.lists.errors_filter = Input::default();
        state.lists.errors_filtering = false;
        let len = state.errors.len();
        state
            .error_list
            .select(len.saturating_sub(1), len, state.heights.overlay);
        Overlay::Errors
    };
    state.mode = Mode::Normal;
}

/// The error log's filter changed (or was cleared): the selection goes to the newest entry it
/// keeps.
fn errors_filter_changed(state: &mut State) {
    let len = crate::app::lists::error_rows(state).len();
    state
        .error_list
        .select(len.saturating_sub(1), len, state.heights.overlay);
}

/// Focuses `pane` in normal mode; the watch list asks for its visible statuses.
fn set_focus(state: &mut State, pane: Focus, cmds: &mut Vec<Command>) {
    state.focus = pane;
    state.mode = Mode::Normal;
    state.watch.pin_input = None;
    state.prop_edit.key_input = None;
    if pane == Focus::Watchlist {
        request_visible_statuses(state, cmds);
    }
}

/// One screenful of the focused list, for PgUp / PgDn.
fn page_height(state: &State) -> usize {
    match state.overlay {
        Overlay::Help => return state.heights.help.max(1),
        Overlay::Errors => return state.heights.overlay.max(1),
        Overlay::None => {}
    }
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

/// The input that keys and pastes go to.
fn active_input_mut(state: &mut State) -> Option<&mut Input> {
    match state.active_input() {
        ActiveInput::Help => Some(&mut state.help_filter),
        ActiveInput::Pin => state.watch.pin_input.as_mut(),
        ActiveInput::WatchFilter => Some(&mut state.watch.filter),
        ActiveInput::Query => Some(&mut state.search.input),
        ActiveInput::ListFilter => Some(&mut state.lists.filter),
        ActiveInput::Command => state.lists.command.as_mut(),
        ActiveInput::ErrorsFilter => Some(&mut state.lists.errors_filter),
        ActiveInput::PropertyKey => state.prop_edit.key_input.as_mut(),
    }
}

/// A line edit for the active input; a changed query or filter updates what it filters. An edit
/// that would take the text past [`INPUT_MAX`] (typing, or yanking back a cut) is refused with a
/// notice.
fn edit(state: &mut State, request: InputRequest, cmds: &mut Vec<Command>) {
    let Some(input) = active_input_mut(state) else {
        return;
    };
    let before = input.clone();
    let changed = input.handle(request).is_some_and(|c| c.value);
    if input.value().chars().count() > INPUT_MAX {
        *input = before;
        state.notice = Some(input_cut_note());
        return;
    }
    if changed {
        input_changed(state, cmds);
    }
}

/// A bracketed paste: inserted at the cursor in one go, so the query is folded, ranked and sent
/// once however long the paste. Line breaks and tabs become a space (a pasted list does not glue
/// its words together), other control characters are dropped, and what does not fit in
/// [`INPUT_MAX`] is cut, with a notice.
fn paste(state: &mut State, text: &str, cmds: &mut Vec<Command>) {
    let Some(input) = active_input_mut(state) else {
        return;
    };
    let value = input.value();
    let room = INPUT_MAX.saturating_sub(value.chars().count());
    let mut pasted = text.chars().filter_map(|c| match c {
        '\n' | '\r' | '\t' => Some(' '),
        c if c.is_control() => None,
        c => Some(c),
    });
    let inserted: String = pasted.by_ref().take(room).collect();
    let cut = pasted.next().is_some();
    if !inserted.is_empty() {
        let cursor = input.cursor();
        let at = value
            .char_indices()
            .nth(cursor)
            .map_or(value.len(), |(i, _)| i);
        let mut new_value = String::with_capacity(value.len() + inserted.len());
        new_value.push_str(&value[..at]);
        new_value.push_str(&inserted);
        new_value.push_str(&value[at..]);
        let new_cursor = cursor + inserted.chars().count();
        *input = Input::new(new_value).with_cursor(new_cursor);
        input_changed(state, cmds);
    }
    if cut {
        state.notice = Some(input_cut_note());
    }
}

/// The active input's text changed: the query ranks and searches again, the watch filter
/// filters again (help filters as it draws; the pin prompt waits for Enter).
fn input_changed(state: &mut State, cmds: &mut Vec<Command>) {
    match state.active_input() {
        ActiveInput::Help => state.help_scroll = 0,
        ActiveInput::Pin | ActiveInput::PropertyKey => {}
        ActiveInput::WatchFilter => {
            state.watch.list = ListView::default();
            state.rebuild_watch_rows();
            request_visible_statuses(state, cmds);
        }
        ActiveInput::Query => query_changed(state, cmds),
        ActiveInput::ListFilter => lists::filter_changed(state),
        ActiveInput::Command => command_line::edited(state),
        ActiveInput::ErrorsFilter => errors_filter_changed(state),
    }
}

/// Enter while editing: closes help, adds a pin, or opens the highlighted result (profile and
/// groups at once, focus on the groups).
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
        ActiveInput::ListFilter => lists::submit_filter(state),
        ActiveInput::Command => command_line::submit(state, cmds),
        ActiveInput::ErrorsFilter => {
            state.lists.errors_filtering = false;
            state.mode = Mode::Normal;
        }
        ActiveInput::Query => open(state, cmds),
        ActiveInput::PropertyKey => property_edit::submit_key(state),
    }
}

/// Esc while editing: closes the input (clearing a watch filter) and returns to normal mode; in
/// the search box it clears the query (the box stays the Search pane's).
fn cancel(state: &mut State, cmds: &mut Vec<Command>) {
    match state.active_input() {
        ActiveInput::Help => state.overlay = Overlay::None,
        ActiveInput::Pin => state.watch.pin_input = None,
        ActiveInput::PropertyKey => property_edit::cancel_key(state),
        ActiveInput::WatchFilter => {
            if !state.watch.filter.value().is_empty() {
                state.watch.filter = Input::default();
                state.rebuild_watch_rows();
                request_visible_statuses(state, cmds);
            }
        }
        ActiveInput::ListFilter => lists::clear_filter(state),
        ActiveInput::Command => command_line::cancel(state),
        ActiveInput::ErrorsFilter => {
            state.lists.errors_filter = Input::default();
            state.lists.errors_filtering = false;
            state.mode = Mode::Normal;
            errors_filter_changed(state);
        }
        ActiveInput::Query => {
            // Esc clears the query and stays in the box; on an empty query it only dismisses
            // the message line's error, as Esc does in the other panes.
            if state.search.input.value().is_empty() {
                state.last_error = None;
            } else {
                state.search.input = Input::default();
                query_changed(state, cmds);
            }
        }
    }
    state.mode = Mode::Normal;
}

// ---------------------------------------------------------------------------------------------
// Selection, opening and going back

/// Enter: opens the selection of the focused pane (a profile, a property, a group, a member).
fn open(state: &mut State, cmds: &mut Vec<Command>) {
    match state.focus {
        Focus::Search => {
            // One Enter: the profile and the person's groups, with the focus on the groups
            // (the next key is most likely a group to open).
            if state.selected_result().is_some() {
                open_selected_result(state, cmds);
                history::visit(state);
                state.focus = Focus::Groups;
                state.mode = Mode::Normal;
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
            Some(GroupView::Memberships { .. }) => {
                let Some(group) = crate::app::lists::selected_group(state).cloned() else {
                    return;
                };
                super::profile::open_members(state, group, cmds);
            }
            Some(GroupView::Members { .. }) => {
                let Some(account_id) =
                    crate::app::lists::selected_member(state).map(str::to_string)
                else {
                    return;
                };
                history::leave(state);
                show_profile(state, &account_id, false, cmds);
                push_memberships(state, &account_id, cmds);
                remember(state, &account_id);
                history::visit(state);
            }
            Some(GroupView::Compare(_)) => super::compare::open(state, cmds),
            None => {}
        },
        Focus::Watchlist => toggle_watch(state, cmds),
    }
}

/// Esc / Backspace: closes an overlay, or walks one step back in the focused pane.
fn back(state: &mut State, cmds: &mut Vec<Command>) {
    if state.overlay != Overlay::None {
        state.overlay = Overlay::None;
        state.mode = Mode::Normal;
        return;
    }
    match state.focus {
        Focus::Groups if lists::groups_filtered(state) => lists::clear_filter(state),
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
            // A list we come back to may still need its first page (or, taken back from the
            // history, its groups).
            match state.groups.last() {
                Some(GroupView::Members { members, load, .. })
                    if members.is_empty() && !matches!(load, Loadable::Loaded(_)) =>
                {
                    fetch_members(state, 0, cmds);
                }
                Some(GroupView::Memberships {
                    account_id,
                    groups: Loadable::Idle,
                    ..
                }) => {
                    let account_id = account_id.clone();
                    history::refetch_memberships(state, &account_id, cmds);
                }
                _ => {}
            }
        }
        Focus::Profile if state.profile.open_prop.is_some() => state.profile.open_prop = None,
        Focus::Watchlist if !state.watch.marks.is_empty() => super::watch_many::clear_marks(state),
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
            Some(GroupView::Compare(c)) => c.list,
            None => ListView::default(),
        },
        Focus::Watchlist => state.watch.list,
    }
}

/// Scrolls help by `delta` rows, within its keys (the last screenful is as far as it goes).
fn scroll_help(state: &mut State, delta: isize) {
    let rows = crate::app::keymap::help_rows(state.focus, state.help_filter.value()).len();
    let last = rows.saturating_sub(state.heights.help);
    state.help_scroll = state.help_scroll.saturating_add_signed(delta).min(last);
}

/// Selects the clicked row (counted from the top of the visible part).
fn click_row(state: &mut State, pane: Focus, row: usize, cmds: &mut Vec<Command>) {
    let list = list_view(state, pane);
    let delta = (list.offset + row) as isize - list.selected as isize;
    move_selection(state, delta, cmds);
}

/// Moves the focused list's selection, loading the next page near the end.
fn move_selection(state: &mut State, delta: isize, cmds: &mut Vec<Command>) {
    match state.overlay {
        Overlay::Errors => {
            let len = crate::app::lists::error_rows(state).len();
            state.error_list.move_by(delta, len, state.heights.overlay);
            return;
        }
        Overlay::Help => {
            scroll_help(state, delta);
            return;
        }
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
            let len = crate::app::lists::group_rows(state).len();
            match state.groups.last_mut() {
                Some(GroupView::Memberships { list, .. }) => {
                    list.move_by(delta, len, height);
                }
                Some(GroupView::Compare(c)) => c.list.move_by(delta, len, height),
                Some(GroupView::Members {
                    load,
                    next_start,
                    list,
                    ..
                }) => {
                    list.move_by(delta, len, height);
                    if let Some(next) = *next_start {
                        if list.selected + NEAR_END >= len && !load.is_loading() {
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
            if let Some(next) = state.watch.spaces_next.clone() {
                if state.watch.list.selected + NEAR_END >= len
                    && !state.watch.spaces_load.is_loading()
                {
                    fetch_spaces(state, Some(next), cmds);
                }
            }
        }
    }
}
