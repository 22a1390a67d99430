//! The state of watching many at once: a toggle of the watch list's marked rows being
//! answered, and a group-wide watch (`W` on a member list). Plain data, kept beside
//! `state.rs` (which re-exports it) so that file stays short; `update/watch_many.rs` and
//! `update/group_watch.rs` change it.

use super::request::RequestId;
use crate::api::WatchTarget;
use std::collections::{HashMap, HashSet};

/// A toggle of several marked rows: each request confirms or rolls back its own row; this
/// counts the answers for the status line ("3 of 4 now watched; 1 failed: …").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WatchBatch {
    /// Start (true) or stop watching.
    pub watch: bool,
    /// The requests not answered yet.
    pub waiting: HashSet<RequestId>,
    /// Requests sent.
    pub total: usize,
    /// Rows confirmed by the server.
    pub done: usize,
    /// Rows rolled back, each as "space HR: why".
    pub failed: Vec<String>,
    /// Rows whose answer never came (their status is being checked).
    pub unknown: usize,
}

/// `W` on a group's member list: each member's watch of one target, and making them all watch
/// it (or stop). Its requests are its own: answers are matched by request id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupWatch {
    /// The group's id.
    pub group_id: String,
    /// The group's name, for notices.
    pub group_name: String,
    /// What is watched.
    pub target: WatchTarget,
    /// Where the run is.
    pub phase: GroupPhase,
    /// Every member (all pages): account id and name, in the group's order.
    pub members: Vec<(String, String)>,
    /// Each member's status, by account id.
    pub status: HashMap<String, MemberWatch>,
    /// Requests in flight (statuses and writes), by id → account id.
    pub asked: HashMap<RequestId, String>,
    /// Members still to be written, in order.
    pub queue: std::collections::VecDeque<String>,
    /// The wanted state of the change being made or asked about.
    pub watch: bool,
    /// Members changed by this run.
    pub changed: usize,
    /// Members already in the wanted state when the change started.
    pub already: usize,
    /// Members whose write failed: name and why.
    pub failed: Vec<(String, String)>,
    /// Writes sent so far in this run.
    pub total: usize,
}

/// Where a group-wide watch run is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum GroupPhase {
    /// Fetching every member.
    #[default]
    Members,
    /// Reading each member's status.
    Statuses,
    /// Statuses shown; `+` / `-` plan a change.
    Ready,
    /// The plan is shown; `y` writes, `n` goes back.
    Confirm,
    /// Writing, a few at a time.
    Writing,
}

/// One member's watch in a group-wide run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemberWatch {
    /// Being read.
    Loading,
    /// Watching or not.
    Known(bool),
    /// Being written (to the run's wanted state).
    Saving,
    /// Could not be read or written: a few words on why.
    Failed(String),
}

impl GroupWatch {
    /// Members watching, and members, of the run.
    pub fn counts(&self) -> (usize, usize) {
        let on = self
            .status
            .values()
            .filter(|s| matches!(s, MemberWatch::Known(true)))
            .count();
        (on, self.members.len())
    }
}
