//! Request bookkeeping shared by state, actions and commands: the [`RequestId`] every request
//! carries, the [`Slot`] a request occupies (a newer request in a slot supersedes the older one),
//! and [`Loadable`], a pane's view of one request's data.
//!
//! Plain data only: this module decides nothing and imports nothing else of `app/`, so `state`,
//! `action` and `command` can all use it without importing one another.

use crate::api::WaitKind;
use chrono::{DateTime, Utc};

/// Identifies one request, so a late answer to a superseded request can be recognised and dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct RequestId(pub u64);

/// A request slot: a new command in a slot aborts the slot's older task, and only the slot's
/// newest request id is accepted when an answer comes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Slot {
    /// Who you are (`/user/current`).
    Me,
    /// The server side of the people search.
    Search,
    /// The profile pane's user.
    Profile,
    /// The profile's email, from the email API.
    Email,
    /// The profile's property keys.
    PropertyKeys,
    /// One opened property value.
    Property,
    /// A person's group memberships.
    Groups,
    /// A page of a group's members.
    Members,
    /// A page of the site's spaces.
    Spaces,
    /// The marked person's groups, in a comparison.
    CompareFirst,
    /// The other person's groups, in a comparison.
    CompareSecond,
    /// The email addresses of a group's members (`@`): every member page, then the bulk email
    /// endpoint. Esc aborts it.
    GroupEmails,
    /// The background directory sync (`:sync`).
    Sync,
    /// `:group NAME` looking the name up on the site (the group picker).
    FindGroup,
}

/// A wait of the client, as the screen shows it: the client's [`crate::api::Wait`] on the wall
/// clock (the state never reads a clock; the runtime converts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitView {
    /// The request, as method and path template (`GET /search/user`).
    pub endpoint: String,
    /// Why it waits.
    pub kind: WaitKind,
    /// When the wait began.
    pub since: DateTime<Utc>,
    /// When it ends (the server's time, the back-off's end, or when the client gives up).
    pub until: DateTime<Utc>,
    /// For a retry, what went wrong with the last attempt.
    pub detail: String,
}

/// A pane's data: not asked for, on its way, here, or failed with a message for the user.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Loadable<T> {
    /// Not asked for.
    #[default]
    Idle,
    /// Waiting for the answer to this request.
    Loading(RequestId),
    /// Here.
    Loaded(T),
    /// The request failed; the message says why, for the user.
    Failed(String),
}

impl<T> Loadable<T> {
    /// The loaded value, if any.
    pub fn loaded(&self) -> Option<&T> {
        match self {
            Loadable::Loaded(v) => Some(v),
            _ => None,
        }
    }
    /// True while waiting for request `id`.
    pub fn is_loading_id(&self, id: RequestId) -> bool {
        matches!(self, Loadable::Loading(live) if *live == id)
    }
    /// True while waiting.
    pub fn is_loading(&self) -> bool {
        matches!(self, Loadable::Loading(_))
    }
}
