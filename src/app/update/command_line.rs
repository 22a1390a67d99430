//! The `:` command line: opening it, Tab completion, and running what was typed (`:space KEY`,
//! `:group NAME`, `:user NAME`, `:q`). The words and completion are `app::command_line`.

use super::profile::open_members;
use super::search::{open_selected_result, query_changed};
use super::watch::request_visible_statuses;
use super::{log_error, track};
use crate::api::model::Group;
use crate::api::ApiError;
use crate::app::command::Command;
use crate::app::command_line::{complete, known_groups, parse};
use crate::app::directory::fold;
use crate::app::request::Slot;
use crate::app::state::{Focus, ListView, Mode, Overlay, State};
use crate::sanitize::fit;
use tui_input::Input;

/// `:`: opens the command line.
pub(super) fn start(state: &mut State) {
    state.overlay = Overlay::None;
    state.watch.pin_input = None;
    state.lists.command = Some(Input::default());
    state.lists.completing = None;
    state.mode = Mode::Editing;
}

/// The line was edited: the next Tab completes what is typed now.
pub(super) fn edited(state: &mut State) {
    state.lists.completing = None;
}

/// Tab in the command line: completes the word under way.
pub(super) fn tab(state: &mut State) {
    let text = state
        .lists
        .command
        .as_ref()
        .map(|i| i.value().to_string())
        .unwrap_or_default();
    let base = state
        .lists
        .completing
        .clone()
        .unwrap_or_else(|| text.clone());
    match complete(state, &base, &text) {
        Some(done) => {
            state.lists.command = Some(Input::new(done));
            state.lists.completing = Some(base);
        }
        None => state.notice = Some("Nothing known completes that".into()),
    }
}

/// Esc: closes the command line.
pub(super) fn cancel(state: &mut State) {
    state.lists.command = None;
    state.mode = Mode::Normal;
}

/// Enter: runs the line.
pub(super) fn submit(state: &mut State, cmds: &mut Vec<Command>) {
    let text = state
        .lists
        .command
        .take()
        .map(|i| i.value().to_string())
        .unwrap_or_default();
    state.mode = Mode::Normal;
    let (word, arg) = parse(&text);
    match (word.as_str(), arg.is_empty()) {
        ("", _) => {}
        ("q" | "quit" | "q!" | "qa", _) => state.quit = true,
        ("space" | "group" | "user", true) => {
            state.notice = Some(format!("Type :{word} and a name (Tab completes)"));
        }
        ("space", false) => go_to_space(state, &arg, cmds),
        ("group", false) => open_group(state, &arg, cmds),
        ("user", false) => find_user(state, &arg, cmds),
        ("site", _) => switch_site(state, &arg),
        ("sync", _) => super::sync::command(state, &arg, cmds),
        _ => {
            state.notice = Some(format!(
                "Unknown command :{}: try :space, :group, :user or :q",
                fit(&word, 20)
            ));
        }
    }
}

/// `:space KEY`: selects the space in the watch list. A key not among the spaces loaded filters
/// the list by it instead, and says so.
fn go_to_space(state: &mut State, key: &str, cmds: &mut Vec<Command>) {
    state.focus = Focus::Watchlist;
    let found = state
        .watch
        .spaces
        .iter()
        .find(|s| s.key.eq_ignore_ascii_case(key))
        .map(|s| s.key.clone());
    match found {
        Some(key) => {
            state.watch.filter = Input::default();
            state.rebuild_watch_rows();
            let index = state
                .watch
                .rows
                .iter()
                .position(|r| !r.pinned && r.target.id() == key);
            if let Some(index) = index {
                let len = state.watch.rows.len();
                state.watch.list.select(index, len, state.heights.watch);
            }
        }
        None => {
            state.watch.filter = Input::new(key.to_string());
            state.watch.list = ListView::default();
            state.rebuild_watch_rows();
            state.notice = Some(format!(
                "No space {} among the {} loaded: the watch list is filtered by it",
                fit(key, 20),
                state.watch.spaces.len()
            ));
        }
    }
    request_visible_statuses(state, cmds);
}

/// `:group NAME`: opens the members of the group of that name. One confdir has seen (or found
/// by an earlier `:group`) opens at once; any other name is looked up on the site (its group
/// picker), which answers in [`groups_found`].
fn open_group(state: &mut State, name: &str, cmds: &mut Vec<Command>) {
    let needle = fold(name);
    if let Some(group) = known_groups(state)
        .into_iter()
        .find(|g| fold(&g.name) == needle)
    {
        state.focus = Focus::Groups;
        open_members(state, group, cmds);
        return;
    }
    let id = track(state, Slot::FindGroup);
    cmds.push(Command::FindGroup {
        id,
        name: name.to_string(),
    });
    state.notice = Some(format!("Looking up group {} on the site…", fit(name, 30)));
}

/// The site's groups for `:group NAME`: the one named so (or the only one found) opens; several
/// become what `:group` completes, and the line says how many.
pub(super) fn groups_found(
    state: &mut State,
    name: &str,
    result: Result<Vec<Group>, ApiError>,
    cmds: &mut Vec<Command>,
) {
    let groups = match result {
        Ok(groups) => groups,
        Err(e) => {
            log_error(state, format!("Looking up group {}: {e}", fit(name, 30)));
            return;
        }
    };
    let needle = fold(name);
    let chosen = match groups.iter().find(|g| fold(&g.name) == needle) {
        Some(g) => Some(g.clone()),
        None if groups.len() == 1 => groups.first().cloned(),
        None => None,
    };
    let count = groups.len();
    state.lists.found_groups = groups;
    match chosen {
        Some(group) => {
            state.notice = None;
            state.focus = Focus::Groups;
            open_members(state, group, cmds);
        }
        None if count == 0 => {
            state.notice = Some(format!("No group on the site matches {}", fit(name, 30)));
        }
        None => {
            state.notice = Some(format!(
                "{count} groups on the site match {}: type :group and Tab lists them",
                fit(name, 30)
            ));
        }
    }
}

/// `:user NAME`: searches for the name and opens the best match known (its profile and
/// groups); when nobody known matches yet, the site's search runs and Search shows it.
fn find_user(state: &mut State, name: &str, cmds: &mut Vec<Command>) {
    state.search.input = Input::new(name.to_string());
    query_changed(state, cmds);
    state.focus = Focus::Search;
    if state.search.rows.is_empty() {
        state.notice = Some(format!(
            "Searching the site for {}: Enter opens a result",
            fit(name, 30)
        ));
        return;
    }
    state.search.list = ListView::default();
    open_selected_result(state, cmds);
    if state.profile.account_id.is_some() {
        state.focus = Focus::Groups;
    }
}

/// `:site NAME`: a configured site other than this one ends the UI, and the runtime opens that
/// site in the same process; anything else says which sites there are.
fn switch_site(state: &mut State, name: &str) {
    let known = state
        .lists
        .sites
        .iter()
        .find(|s| s.eq_ignore_ascii_case(name));
    match known {
        Some(site) => {
            state.lists.switch_site = Some(site.clone());
            state.quit = true;
        }
        None if state.lists.sites.is_empty() => {
            state.notice = Some("No sites in the configuration file to switch to".into());
        }
        None => {
            let names = state.lists.sites.join(", ");
            state.notice = Some(if name.is_empty() {
                format!("Type :site and a site's name: {}", fit(&names, 60))
            } else {
                format!("No site named {}: {}", fit(name, 20), fit(&names, 60))
            });
        }
    }
}
