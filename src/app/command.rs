//! Commands: what `update` wants done. Network commands go to the worker (one tokio task each,
//! cancelled by slot); local ones (clipboard, browser, files) are run by the event loop.

use super::request::{RequestId, Slot};
use super::state::Pin;
use crate::api::WatchTarget;

/// Work for the worker or the event loop.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// `/user/current`.
    FetchMe { id: RequestId },
    /// CQL user search; `debounce` waits first (as-you-type), inside the task so aborting it
    /// cancels the wait too.
    SearchUsers {
        id: RequestId,
        query: String,
        start: u32,
        limit: u32,
        debounce: bool,
    },
    /// `/user?accountId=…&expand=personalSpace`.
    FetchProfile { id: RequestId, account_id: String },
    /// `/user/email`.
    FetchEmail { id: RequestId, account_id: String },
    /// `/user/{id}/property` keys (every page).
    FetchPropertyKeys { id: RequestId, account_id: String },
    /// One property value.
    FetchProperty {
        id: RequestId,
        account_id: String,
        key: String,
    },
    /// `/user/memberof`, every page.
    FetchGroups { id: RequestId, account_id: String },
    /// One page of a group's members.
    FetchMembers {
        id: RequestId,
        group_id: String,
        start: u32,
        limit: u32,
    },
    /// One page of the site's spaces.
    FetchSpaces {
        id: RequestId,
        start: u32,
        limit: u32,
    },
    /// Watch statuses of the rows that became visible; run with bounded concurrency.
    FetchWatchStatuses {
        user: Option<String>,
        targets: Vec<(RequestId, WatchTarget)>,
    },
    /// Add (`watch: true`) or remove a watch.
    SetWatch {
        id: RequestId,
        user: Option<String>,
        target: WatchTarget,
        watch: bool,
    },
    /// Read the directory cache (answered by `DirectoryCached`).
    LoadDirectoryCache,
    /// Persist the pinned labels and pages (atomically).
    SavePins { pins: Vec<Pin> },
    /// Put text on the clipboard (OSC 52).
    Copy { text: String },
    /// Open a path of the site's web UI (relative to its context, e.g. `spaces/ENG`).
    OpenUrl { path: String },
}

impl Command {
    /// The slot a command occupies, if it supersedes older ones of its kind.
    pub fn slot(&self) -> Option<Slot> {
        Some(match self {
            Command::FetchMe { .. } => Slot::Me,
            Command::SearchUsers { .. } => Slot::Search,
            Command::FetchProfile { .. } => Slot::Profile,
            Command::FetchEmail { .. } => Slot::Email,
            Command::FetchPropertyKeys { .. } => Slot::PropertyKeys,
            Command::FetchProperty { .. } => Slot::Property,
            Command::FetchGroups { .. } => Slot::Groups,
            Command::FetchMembers { .. } => Slot::Members,
            Command::FetchSpaces { .. } => Slot::Spaces,
            _ => return None,
        })
    }
}
