//! The profile pane and the groups pane's path: showing a person (profile, email, properties),
//! their groups, a group's members page by page, and the answers to those requests. Whether a
//! request is still wanted is decided by slot in `update` before anything here runs.

use super::history;
use super::search::rerank;
use super::{fail, failed, track, MEMBERS_PAGE};
use crate::api::model::{EmailState, Group, Page, User, UserProperty};
use crate::api::ApiError;
use crate::app::command::Command;
use crate::app::request::{Loadable, RequestId, Slot};
use crate::app::state::{EmailApi, GroupView, ListView, State};
use std::collections::HashSet;

/// Shows a person's profile; with `reset_groups` the groups pane restarts at their groups (the
/// person and path shown before are kept in the history first, when they are a visit).
pub(super) fn show_profile(
    state: &mut State,
    account_id: &str,
    reset_groups: bool,
    cmds: &mut Vec<Command>,
) {
    if reset_groups && state.profile.account_id.as_deref() != Some(account_id) {
        history::leave(state);
    }
    state.profile.account_id = Some(account_id.to_string());
    let id = track(state, Slot::Profile);
    state.profile.user = Loadable::Loading(id);
    cmds.push(Command::FetchProfile {
        id,
        account_id: account_id.to_string(),
        settle: false,
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
        settle: false,
    });
    if reset_groups {
        state.groups.clear();
        push_memberships(state, account_id, cmds);
    }
}

/// Adds a person's groups to the path: from the cache, or asked for.
pub(super) fn push_memberships(state: &mut State, account_id: &str, cmds: &mut Vec<Command>) {
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
                settle: false,
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

/// Opens a group's member list on top of the groups path and asks for its first page.
pub(super) fn open_members(state: &mut State, group: Group, cmds: &mut Vec<Command>) {
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

/// Asks for a page of the shown members list's group, from `start`.
pub(super) fn fetch_members(state: &mut State, start: u32, cmds: &mut Vec<Command>) {
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

/// The profile's user arrived; ask the email API when the address is hidden (unless the site
/// said it does not offer it).
pub(super) fn profile_loaded(
    state: &mut State,
    result: Result<User, ApiError>,
    cmds: &mut Vec<Command>,
) {
    match result {
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
    }
}

/// The email API answered.
pub(super) fn email_loaded(state: &mut State, result: Result<String, ApiError>) {
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

/// The profile's property keys arrived.
pub(super) fn property_keys_loaded(state: &mut State, result: Result<Vec<String>, ApiError>) {
    state.profile.props = match result {
        Ok(keys) => Loadable::Loaded(keys),
        Err(e) => failed(state, &e),
    };
    state.profile.prop_list = ListView::default();
}

/// An opened property's value arrived: shown pretty-printed.
pub(super) fn property_loaded(state: &mut State, result: Result<UserProperty, ApiError>) {
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

/// A person's groups arrived: cached, and shown wherever the path waits for this request.
pub(super) fn groups_loaded(
    state: &mut State,
    id: RequestId,
    account_id: String,
    result: Result<Vec<Group>, ApiError>,
) {
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

/// A page of the shown group's members arrived: appended (each member once), and its people
/// join the directory and the live ranking.
pub(super) fn members_loaded(
    state: &mut State,
    id: RequestId,
    start: u32,
    result: Result<Page<User>, ApiError>,
) {
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
            return;
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
        // The first page starts the list (again, after `r`); pages should not overlap, and if
        // a server's do, a member is listed once.
        if start == 0 {
            members.clear();
        }
        let listed: HashSet<String> = members.iter().cloned().collect();
        members.extend(ids.into_iter().filter(|id| !listed.contains(id)));
    }
    if start == 0 {
        // A list loaded again may be shorter than the one scrolled through.
        let (len, height) = (
            crate::app::lists::group_rows(state).len(),
            state.heights.groups,
        );
        if let Some(list) = super::lists::groups_list(state) {
            list.clamp(len, height);
        }
    }
    // The directory may have grown: rank the new people for the live query.
    rerank(state, &[]);
}
