//! Commands: what `update` wants done. Network commands go to the worker (one tokio task each,
//! cancelled by slot); local ones (clipboard, browser, files) are run by the event loop.
//!
//! Plain data only: a command says what to do and carries the request id its answer will bear;
//! nothing here does it.

use super::compare::Side;
use super::property_edit::PropertyOp;
use super::request::{RequestId, Slot};
use super::state::Pin;
use crate::api::WatchTarget;

/// Work for the worker or the event loop.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// `/user/current`.
    FetchMe {
        /// The request's id, carried by its answer.
        id: RequestId,
    },
    /// CQL user search; `debounce` waits first (as-you-type), inside the task so aborting it
    /// cancels the wait too.
    SearchUsers {
        /// The request's id, carried by its answer.
        id: RequestId,
        /// The query as typed (trimmed); the worker turns it into CQL.
        query: String,
        /// Where the page starts.
        start: u32,
        /// Page size.
        limit: u32,
        /// Wait for the next key first.
        debounce: bool,
    },
    /// `/user?accountId=…&expand=personalSpace`.
    FetchProfile {
        /// The request's id, carried by its answer.
        id: RequestId,
        /// Whose profile.
        account_id: String,
        /// Wait the short settle first (a highlight moving through rows, not an Enter), so
        /// scrolling does not send a request per row passed; aborting cancels the wait.
        settle: bool,
    },
    /// `/user/email`.
    FetchEmail {
        /// The request's id, carried by its answer.
        id: RequestId,
        /// Whose address.
        account_id: String,
    },
    /// `/user/{id}/property` keys (every page).
    FetchPropertyKeys {
        /// The request's id, carried by its answer.
        id: RequestId,
        /// Whose properties.
        account_id: String,
        /// Wait the short settle first (a highlight moving through rows, not an Enter), so
        /// scrolling does not send a request per row passed; aborting cancels the wait.
        settle: bool,
    },
    /// One property value.
    FetchProperty {
        /// The request's id, carried by its answer.
        id: RequestId,
        /// Whose property.
        account_id: String,
        /// Which property.
        key: String,
    },
    /// `/user/memberof`, every page.
    FetchGroups {
        /// The request's id, carried by its answer.
        id: RequestId,
        /// Whose groups.
        account_id: String,
        /// Wait the short settle first (a highlight moving through rows, not an Enter), so
        /// scrolling does not send a request per row passed; aborting cancels the wait.
        settle: bool,
    },
    /// One page of a group's members.
    FetchMembers {
        /// The request's id, carried by its answer.
        id: RequestId,
        /// Which group.
        group_id: String,
        /// Where the page starts.
        start: u32,
        /// Page size.
        limit: u32,
    },
    /// One page of the site's spaces (v2 or v1, whichever the site offers: the client knows).
    FetchSpaces {
        /// The request's id, carried by its answer.
        id: RequestId,
        /// The previous page's `next` link (a v2 cursor link or a v1 offset link, as the server
        /// sent it), or `None` for the first page.
        after: Option<String>,
        /// Page size of the first page (later pages keep the one their link carries).
        limit: u32,
    },
    /// Watch statuses of the rows that became visible; run with bounded concurrency.
    FetchWatchStatuses {
        /// Whose watches (None: yours).
        user: Option<String>,
        /// Each row's request id and target.
        targets: Vec<(RequestId, WatchTarget)>,
    },
    /// Add (`watch: true`) or remove a watch.
    SetWatch {
        /// The request's id, carried by its answer.
        id: RequestId,
        /// Whose watch (None: yours).
        user: Option<String>,
        /// What to watch or stop watching.
        target: WatchTarget,
        /// Add (true) or remove (false).
        watch: bool,
    },
    /// Read the directory cache (answered by `Done::DirectoryCached`, or
    /// `Done::DirectoryCacheFailed`; not at all when there is no cache).
    LoadDirectoryCache,
    /// Persist the pinned labels and pages (atomically).
    SavePins {
        /// Every pin, in order: the file's whole new contents.
        pins: Vec<Pin>,
    },
    /// Put text on the clipboard (OSC 52).
    Copy {
        /// What to copy.
        text: String,
    },
    /// Open a path of the site's web UI (relative to its context, e.g. `spaces/ENG`).
    OpenUrl {
        /// The path, relative to the site's context URL.
        path: String,
    },
    /// A pinned page's title (`GET /api/v2/pages/{id}`), for the watch list.
    FetchPageTitle {
        /// The request's id, carried by its answer.
        id: RequestId,
        /// The page's content id.
        page_id: String,
    },
    /// `/user/memberof`, every page, for one side of a comparison.
    FetchCompareGroups {
        /// The request's id, carried by its answer.
        id: RequestId,
        /// Which side.
        side: Side,
        /// Whose groups.
        account_id: String,
    },
    /// Write an export (`X`) to a file, atomically; answered by `Done::Exported`.
    WriteExport {
        /// The path as typed (relative to the current directory; `~/` is the home directory).
        path: String,
        /// The file's whole contents.
        text: String,
        /// Replace an existing file (the user said yes); otherwise an existing file is left alone.
        overwrite: bool,
    },
    /// The email addresses of a group's members: every member page, then 100 addresses a
    /// request; progress comes as `Done::GroupEmailsProgress`, the end as `Loaded::GroupEmails`.
    FetchGroupEmails {
        /// The request's id, carried by its answers.
        id: RequestId,
        /// Which group.
        group_id: String,
    },
    /// Stop the slot's task, if one runs (Esc on a long fetch).
    Abort {
        /// The slot whose task to stop.
        slot: Slot,
    },
    /// Read, create, replace or delete one user property (the Profile pane's edits).
    Property {
        /// The edit's request id, carried by its answer.
        id: RequestId,
        /// Whose property.
        account_id: String,
        /// Which property.
        key: String,
        /// What to do.
        op: PropertyOp,
    },
    /// Every member of a group (every page), for a group-wide watch.
    FetchAllMembers {
        /// The request's id, carried by its answer.
        id: RequestId,
        /// Which group.
        group_id: String,
    },
    /// Sync the whole directory in the background, resuming an unfinished sync (answered by
    /// `Done::SyncProgress` after every page and `Done::SyncFinished` at the end).
    SyncDirectory {
        /// The sync's id, carried by its progress.
        id: RequestId,
    },
    /// `:group NAME` for a group not seen yet: the site's group picker (first page).
    FindGroup {
        /// The request's id, carried by its answer.
        id: RequestId,
        /// The name as typed.
        name: String,
    },
}

impl Command {
    /// The slot a command occupies, if it supersedes older ones of its kind. Every command is
    /// named (no wildcard), so a new one must say whether it has a slot.
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
            Command::FetchCompareGroups { side, .. } => side.slot(),
            Command::FetchGroupEmails { .. } => Slot::GroupEmails,
            Command::SyncDirectory { .. } => Slot::Sync,
            Command::FindGroup { .. } => Slot::FindGroup,
            Command::FetchWatchStatuses { .. }
            | Command::SetWatch { .. }
            | Command::LoadDirectoryCache
            | Command::SavePins { .. }
            | Command::Copy { .. }
            | Command::OpenUrl { .. }
            | Command::FetchPageTitle { .. }
            | Command::WriteExport { .. }
            | Command::Abort { .. }
            | Command::Property { .. }
            | Command::FetchAllMembers { .. } => return None,
        })
    }
}
