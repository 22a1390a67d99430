//! Filtering and sorting the lists outside Search, and the `:` command line's text.
//!
//! `/` filters the focused list (as in k9s and lazygit): the groups pane filters the view it
//! shows (a person's groups or a group's members), the watch list its rows (`f` stays as an
//! alias there), help as you type. Search needs no filter key: typing there is the filter.
//! A members list is filtered and sorted over the members loaded so far (the title says how many
//! of the group's total that is), since the site offers no search within a group's members.
//!
//! The list's [`crate::app::state::ListView`] indexes the rows in shown order; [`group_rows`]
//! maps them back to the view's own vectors, so opening, copying and paging act on what is shown.

use super::directory::{fold, Entry};
use super::state::{GroupView, State};
use crate::api::model::Group;
use crate::api::WatchTarget;
use tui_input::Input;

mod member_rows;

/// How a group's members are ordered; `S` cycles through them and the title says which.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MemberSort {
    /// As the site listed them.
    #[default]
    Site,
    /// By name, A to Z (folded, so accents and case do not split the order).
    Name,
    /// By account type (people, then guests, then apps), then by name.
    Kind,
}

impl MemberSort {
    /// The next order in the cycle.
    pub fn next(self) -> MemberSort {
        match self {
            MemberSort::Site => MemberSort::Name,
            MemberSort::Name => MemberSort::Kind,
            MemberSort::Kind => MemberSort::Site,
        }
    }

    /// How the title names it.
    pub fn label(self) -> &'static str {
        match self {
            MemberSort::Site => "site order",
            MemberSort::Name => "by name",
            MemberSort::Kind => "by type",
        }
    }
}

/// The lists' filters and orders, and the command line.
#[derive(Debug, Default)]
pub struct ListsState {
    /// The groups pane's filter text.
    pub filter: Input,
    /// Which view the filter was typed for (see [`view_key`]): another view shows unfiltered.
    pub filter_view: Option<String>,
    /// The groups filter box has the keys.
    pub filtering: bool,
    /// How members lists are ordered.
    pub member_sort: MemberSort,
    /// The `:` command line, while open.
    pub command: Option<Input>,
    /// The shown members list's rows, kept while filtered or sorted (see `member_rows`).
    pub member_rows: member_rows::MemberRows,
    /// The groups the site found for the last `:group NAME` it was asked about, for
    /// completion and the next `:group`.
    pub found_groups: Vec<Group>,
    /// The command line as typed before Tab was pressed, while Tab steps through completions.
    pub completing: Option<String>,
    /// Pinned pages' titles by content id, as the site answered (or why not).
    pub page_titles: std::collections::HashMap<String, crate::app::request::Loadable<String>>,
    /// A pin just removed whose watch is still on: whose watch and what, until `y` or `n`.
    pub confirm_unwatch: Option<(Option<String>, WatchTarget)>,
    /// The error log's filter text (matched folded against each message).
    pub errors_filter: Input,
    /// The error log's filter box has the keys.
    pub errors_filtering: bool,
    /// The sites of the configuration file, by name, for `:site` (set at start).
    pub sites: Vec<String>,
    /// `:site NAME` was asked: the UI ends and the runtime opens that site.
    pub switch_site: Option<String>,
}

/// The error log's entries the filter keeps, oldest first, as indices into `state.errors`.
pub fn error_rows(state: &State) -> Vec<usize> {
    let needle = fold(state.lists.errors_filter.value().trim());
    state
        .errors
        .iter()
        .enumerate()
        .filter(|(_, e)| needle.is_empty() || fold(&e.message).contains(&needle))
        .map(|(i, _)| i)
        .collect()
}

/// A stable name for a groups view: whose groups, or which group's members.
pub fn view_key(view: &GroupView) -> String {
    match view {
        GroupView::Memberships { account_id, .. } => format!("person:{account_id}"),
        GroupView::Members { group, .. } => format!("group:{}:{}", group.id, group.name),
        GroupView::Compare(c) => format!("compare:{}:{}", c.first.account_id, c.second.account_id),
    }
}

/// The groups filter in force on the shown view, if any (trimmed, not empty).
pub fn groups_filter(state: &State) -> Option<&str> {
    let view = state.groups.last()?;
    let text = state.lists.filter.value().trim();
    (!text.is_empty() && state.lists.filter_view.as_deref() == Some(view_key(view).as_str()))
        .then_some(text)
}

/// The rank of an account type in the "by type" order.
fn kind_rank(user: Option<Entry<'_>>) -> u8 {
    match user {
        Some(u) if u.is_app() => 2,
        Some(u) if u.is_guest() => 1,
        _ => 0,
    }
}

/// What a member is matched and sorted by: the name shown (or the id when unknown), folded.
fn member_name(state: &State, account_id: &str) -> String {
    fold(
        state
            .directory
            .user(account_id)
            .map_or(account_id, |u| u.name()),
    )
}

/// Whether a member matches the folded filter: by name, public name or email.
fn member_matches(state: &State, account_id: &str, filter: &str) -> bool {
    let Some(user) = state.directory.user(account_id) else {
        return fold(account_id).contains(filter);
    };
    [Some(user.name()), user.public_name, user.email]
        .into_iter()
        .flatten()
        .any(|text| fold(text).contains(filter))
}

/// The shown view's rows, as indices into its groups or members, in shown order: filtered, and
/// for members sorted.
pub fn group_rows(state: &State) -> Vec<usize> {
    let filter = groups_filter(state).map(fold);
    match state.groups.last() {
        None => Vec::new(),
        Some(GroupView::Memberships { groups, .. }) => {
            let groups = groups.loaded().map_or(&[][..], Vec::as_slice);
            (0..groups.len())
                .filter(|&i| {
                    filter
                        .as_deref()
                        .is_none_or(|f| fold(&groups[i].name).contains(f))
                })
                .collect()
        }
        Some(GroupView::Members { members, .. }) => {
            if filter.is_none() && state.lists.member_sort == MemberSort::Site {
                return (0..members.len()).collect();
            }
            let key = member_rows::Key {
                view: state.groups.last().map(view_key).unwrap_or_default(),
                members: member_rows::members_hash(members),
                filter: filter.clone(),
                sort: state.lists.member_sort,
                directory: state.directory.generation(),
            };
            state
                .lists
                .member_rows
                .get_or(key, || member_rows(state, members, filter.as_deref()))
        }
        Some(GroupView::Compare(c)) => super::compare::filtered_rows(c, filter.as_deref()),
    }
}

/// A members list's rows, filtered and in the chosen order, computed afresh.
fn member_rows(state: &State, members: &[String], filter: Option<&str>) -> Vec<usize> {
    let mut rows: Vec<usize> = (0..members.len())
        .filter(|&i| filter.is_none_or(|f| member_matches(state, &members[i], f)))
        .collect();
    match state.lists.member_sort {
        MemberSort::Site => {}
        MemberSort::Name => {
            rows.sort_by_cached_key(|&i| member_name(state, &members[i]));
        }
        MemberSort::Kind => rows.sort_by_cached_key(|&i| {
            let id = &members[i];
            (kind_rank(state.directory.user(id)), member_name(state, id))
        }),
    }
    rows
}

/// The group highlighted in a person's groups, as shown.
pub fn selected_group(state: &State) -> Option<&Group> {
    let Some(GroupView::Memberships { groups, list, .. }) = state.groups.last() else {
        return None;
    };
    let index = *group_rows(state).get(list.selected)?;
    groups.loaded()?.get(index)
}

/// The member highlighted in a members list, as shown.
pub fn selected_member(state: &State) -> Option<&str> {
    let Some(GroupView::Members { members, list, .. }) = state.groups.last() else {
        return None;
    };
    let index = *group_rows(state).get(list.selected)?;
    members.get(index).map(String::as_str)
}
