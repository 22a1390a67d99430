//! Actions: everything `update` reacts to, in four kinds the types keep apart.
//!
//! - [`Intent`]: what the user asked for (keys, mouse, paste), named in the imperative.
//! - [`Runtime`]: what the runtime observed (the terminal's size, time passing, a rate limit).
//! - [`Loaded`]: a task's answer to a slotted request, named for what was loaded. Each variant
//!   carries its [`RequestId`], and the variant alone decides which [`Slot`] it answers.
//! - [`Done`]: the outcome of work outside the slots (watch statuses and toggles, the pins file,
//!   the directory cache, a local effect), each reported once, success or failure.
//!
//! Plain data only: nothing here decides what an action does; that is `update`'s job.

use super::compare::Side;
use super::directory::Directory;
use super::property_edit::{EditorOutcome, PropertyAnswer};
use super::request::{RequestId, Slot, WaitView};
use super::state::{Focus, ListHeights};
use crate::api::model::{Group, Page, SearchResult, Space, User, UserProperty};
use crate::api::{ApiError, WatchTarget};
use tui_input::InputRequest;

/// Everything `update` reacts to. (One action is in hand at a time, moved from the channel into
/// `update`; an answer is as large as it always was, so boxing it would only add an allocation.)
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Action {
    /// The user asked for something; a transient notice makes way for it.
    Intent(Intent),
    /// The runtime observed something; never clears a notice.
    Runtime(Runtime),
    /// A task answered a slotted request; dropped unless it answers the slot's live request.
    Loaded(Loaded),
    /// Work outside the slots finished (or failed).
    Done(Done),
}

/// What the user asked for, from keys, the mouse or a paste (see `keymap`).
#[derive(Debug, Clone, PartialEq)]
pub enum Intent {
    /// `q` / Ctrl-C: leave.
    Quit,
    /// Tab: the next pane.
    FocusNext,
    /// Shift-Tab: the previous pane.
    FocusPrev,
    /// `1`–`4`: a pane by number.
    FocusPane(Focus),
    /// `/`: focus the search box and edit the query.
    StartSearch,
    /// A line-editing request for the active input.
    Edit(InputRequest),
    /// Pasted text (bracketed paste), inserted into the active input in one go, up to
    /// [`crate::app::state::INPUT_MAX`] characters.
    Paste(String),
    /// Enter while editing.
    Submit,
    /// Esc while editing.
    Cancel,
    /// Move the selection one row up.
    Up,
    /// Move the selection one row down.
    Down,
    /// Move the selection one screenful up.
    PageUp,
    /// Move the selection one screenful down.
    PageDown,
    /// Select the first row.
    Top,
    /// Select the last row.
    Bottom,
    /// Enter: open the selection.
    Open,
    /// Esc / Backspace: walk back along the path.
    Back,
    /// `?`: show or hide the key help.
    ToggleHelp,
    /// `E`: show or hide the error log.
    ToggleErrorLog,
    /// `x`: hide the newest error from the message line (the log keeps it).
    DismissError,
    /// `w`: toggle the highlighted watch.
    ToggleWatch,
    /// `p`: pin a label or page to the watch list.
    StartPin,
    /// `d`: unpin the highlighted pinned row.
    Unpin,
    /// `a`: show the highlighted colleague's watch statuses instead of yours (administrators).
    ToggleWatchSubject,
    /// `f`: filter the watch list.
    StartFilter,
    /// `y`: copy the account id, or the email with `Y`.
    Copy {
        /// Copy the email address instead of the account id.
        email: bool,
    },
    /// `o`: open the profile or space in the browser.
    OpenInBrowser,
    /// `r`: fetch the focused pane again.
    Refresh,
    /// A click on a pane, at a row of its list (None: the border or empty space).
    Click {
        /// The pane clicked.
        pane: Focus,
        /// The visible row clicked, counted from the list's top.
        row: Option<usize>,
    },
    /// Mouse wheel over a pane.
    Scroll {
        /// The pane under the mouse.
        pane: Focus,
        /// Towards the end of the list.
        down: bool,
    },
    /// `/`: filter the focused list (the watch list, groups or members; Search filters as
    /// you type).
    Filter,
    /// `S`: the next order of a group's members (site order, by name, by type).
    CycleSort,
    /// `:`: open the command line.
    StartCommand,
    /// `y` / `n` after unpinning a label or page still watched: unwatch it too, or keep it.
    ConfirmUnwatch(bool),
    /// Ctrl-O / Alt-←: back to the person (and groups path) shown before.
    HistoryBack,
    /// Alt-→ (Ctrl-I where the terminal tells it from Tab): forward again after going back.
    HistoryForward,
    /// Ctrl-Z: give the terminal back to the shell until `fg`.
    Suspend,
    /// `m`: mark the person in view (the profile, or the highlighted member) to compare with the
    /// next one opened; on the marked person, unmark.
    Mark,
    /// `c` in Groups: compare the marked person's groups with the shown person's, or back to the
    /// groups list.
    Compare,
    /// `X` (Alt-x in the search box): export the focused list's rows to a file (a path prompt).
    Export,
    /// `C` (Alt-c in the search box): copy the focused list's rows to the clipboard (OSC 52).
    CopyList,
    /// `@`: fetch the email addresses of the shown group's members (administrators).
    GroupEmails,
    /// `e` in the Profile pane: edit the highlighted property's value in `$VISUAL`/`$EDITOR`.
    EditProperty,
    /// `n` in the Profile pane: create a property (asks for its key, then opens the editor).
    NewProperty,
    /// `d` / Delete in the Profile pane: delete the highlighted property (asks first).
    DeleteProperty,
    /// `y` / `n` to "delete this property?".
    ConfirmPropertyDelete(bool),
    /// Space / `v` in the watch list: mark or unmark the highlighted row, then move down.
    ToggleMark,
    /// `V` / `*` in the watch list: mark every row the filter shows (or unmark them all when
    /// they are all marked already).
    MarkAllVisible,
    /// `W` on a group's member list: every member's status of the watch list's highlighted
    /// target (administrators).
    GroupWatch,
    /// A key while a group-wide watch asks: `+` make all watch, `-` make all stop, `y` / `n`
    /// answer the plan, Esc closes.
    GroupWatchKey(char),
}

/// What the runtime observed, outside the user's keys and the tasks' answers.
#[derive(Debug, Clone, PartialEq)]
pub enum Runtime {
    /// The terminal size changed: the visible rows of each list.
    Resized(ListHeights),
    /// Time passed (spinner, countdown, local clocks).
    Tick,
    /// What the client is waiting for changed: every wait now on its board, oldest first.
    Waits(Vec<WaitView>),
    /// Nothing else is waiting and [`State::idle_work`] has work: do it (the next key would
    /// have come first).
    ///
    /// [`State::idle_work`]: crate::app::State::idle_work
    Idle,
}

/// A task's answer to a slotted request, tagged with the request id it answers. One variant per
/// [`Slot`]; [`Loaded::request`] maps each to its slot.
#[derive(Debug, Clone)]
pub enum Loaded {
    /// `/user/current`: who you are.
    Me {
        /// The request answered.
        id: RequestId,
        /// You, or why not.
        result: Result<User, ApiError>,
    },
    /// One page of the server's user search.
    Search {
        /// The request answered.
        id: RequestId,
        /// The query as sent.
        query: String,
        /// Where the page starts.
        start: u32,
        /// The page, or why not.
        result: Result<Page<SearchResult>, ApiError>,
    },
    /// The profile pane's user.
    Profile {
        /// The request answered.
        id: RequestId,
        /// The user, or why not.
        result: Result<User, ApiError>,
    },
    /// The profile's email address from the email API.
    Email {
        /// The request answered.
        id: RequestId,
        /// The address (empty: none on record), or why not.
        result: Result<String, ApiError>,
    },
    /// The profile's property keys.
    PropertyKeys {
        /// The request answered.
        id: RequestId,
        /// The keys, or why not.
        result: Result<Vec<String>, ApiError>,
    },
    /// One opened property.
    Property {
        /// The request answered.
        id: RequestId,
        /// The property, or why not.
        result: Result<UserProperty, ApiError>,
    },
    /// A person's group memberships (every page).
    Groups {
        /// The request answered.
        id: RequestId,
        /// Whose groups.
        account_id: String,
        /// The groups, or why not.
        result: Result<Vec<Group>, ApiError>,
    },
    /// One page of a group's members.
    Members {
        /// The request answered.
        id: RequestId,
        /// Where the page starts.
        start: u32,
        /// The page, or why not.
        result: Result<Page<User>, ApiError>,
    },
    /// One page of the site's spaces.
    Spaces {
        /// The request answered.
        id: RequestId,
        /// The page, or why not.
        result: Result<Page<Space>, ApiError>,
    },
    /// One side of a comparison: a person's group memberships (every page).
    CompareGroups {
        /// The request answered.
        id: RequestId,
        /// Which side asked.
        side: Side,
        /// Whose groups.
        account_id: String,
        /// The groups, or why not.
        result: Result<Vec<Group>, ApiError>,
    },
    /// The email addresses of a group's members, every member kept (hidden where the site gave
    /// none).
    GroupEmails {
        /// The request answered.
        id: RequestId,
        /// The members and their addresses, or why not.
        result: Result<Vec<crate::api::email::MemberEmail>, ApiError>,
    },
    /// The groups the site's group picker found for `:group NAME`.
    FoundGroups {
        /// The request answered.
        id: RequestId,
        /// The name as typed.
        name: String,
        /// The groups, or why not.
        result: Result<Vec<Group>, ApiError>,
    },
}

impl Loaded {
    /// The request this answers: the slot (decided by the variant) and the id. The match has no
    /// wildcard, so a new kind of answer cannot be added without naming its slot.
    pub fn request(&self) -> (Slot, RequestId) {
        match *self {
            Loaded::Me { id, .. } => (Slot::Me, id),
            Loaded::Search { id, .. } => (Slot::Search, id),
            Loaded::Profile { id, .. } => (Slot::Profile, id),
            Loaded::Email { id, .. } => (Slot::Email, id),
            Loaded::PropertyKeys { id, .. } => (Slot::PropertyKeys, id),
            Loaded::Property { id, .. } => (Slot::Property, id),
            Loaded::Groups { id, .. } => (Slot::Groups, id),
            Loaded::Members { id, .. } => (Slot::Members, id),
            Loaded::Spaces { id, .. } => (Slot::Spaces, id),
            Loaded::CompareGroups { id, side, .. } => (side.slot(), id),
            Loaded::GroupEmails { id, .. } => (Slot::GroupEmails, id),
            Loaded::FoundGroups { id, .. } => (Slot::FindGroup, id),
        }
    }
}

/// Work outside the slots finished: many of these run at once, or they answer no request.
#[derive(Debug, Clone)]
pub enum Done {
    /// One row's watch status (requests are tracked one by one, not by slot).
    WatchStatusLoaded {
        /// The request answered.
        id: RequestId,
        /// Whose watch (None: yours).
        user: Option<String>,
        /// What is watched.
        target: WatchTarget,
        /// Watching or not, or why unknown.
        result: Result<bool, ApiError>,
    },
    /// A watch was added or removed (or not).
    WatchSet {
        /// The request answered.
        id: RequestId,
        /// Whose watch (None: yours).
        user: Option<String>,
        /// What is watched.
        target: WatchTarget,
        /// Done, or why not.
        result: Result<(), ApiError>,
    },
    /// The pins file was written (or not).
    PinsSaved {
        /// Written, or why not.
        result: Result<(), String>,
    },
    /// The directory cache was read at start-up (names already folded, off the loop): known
    /// people and the recently viewed.
    DirectoryCached {
        /// Account ids of recently viewed profiles, most recent first.
        recent: Vec<String>,
        /// The cached people, ready to adopt.
        directory: Box<Directory>,
    },
    /// The directory cache could not be read; confdir goes on without it.
    DirectoryCacheFailed {
        /// Why, for the error log.
        message: String,
    },
    /// A local effect (clipboard, browser) or a start-up step failed.
    EffectFailed {
        /// Why, for the error log.
        message: String,
    },
    /// A pinned page's title arrived (or not).
    PageTitle {
        /// The request answered.
        id: RequestId,
        /// The page's content id.
        page_id: String,
        /// The title, or why not.
        result: Result<String, ApiError>,
    },
    /// An export was written to a file (or not).
    Exported {
        /// The path as typed.
        path: String,
        /// Written, or why not.
        result: Result<(), super::export::ExportFailure>,
    },
    /// How far a group's emails have come (`@`): members read, and addresses asked for.
    GroupEmailsProgress {
        /// The request this is part of.
        id: RequestId,
        /// Members read so far.
        members: usize,
        /// Of those, how many the bulk email endpoint has been asked about.
        asked: usize,
    },
    /// A property was read, written or deleted for the Profile pane's edit (or not).
    PropertyDone {
        /// The edit's request id.
        id: RequestId,
        /// What the site answered, or why not.
        result: Result<PropertyAnswer, ApiError>,
    },
    /// The external editor ended.
    Edited {
        /// The edit's request id.
        id: RequestId,
        /// The file as saved, or why there is none.
        outcome: EditorOutcome,
    },
    /// Every member of a group (all pages), for a group-wide watch.
    AllMembers {
        /// The request answered.
        id: RequestId,
        /// The members, or why not.
        result: Result<Vec<User>, ApiError>,
    },
    /// A page of the background directory sync arrived (or it resumed): where it stands, and
    /// the people it found that were not found before in this sync.
    SyncProgress {
        /// The sync.
        id: RequestId,
        /// Where it stands.
        progress: crate::directory_sync::Progress,
        /// People to merge into the directory (a page's worth at most).
        batch: Vec<crate::api::model::User>,
    },
    /// The background directory sync ended: the cache was saved, or why the sync stopped (its
    /// progress is kept).
    SyncFinished {
        /// The sync.
        id: RequestId,
        /// What it changed, or why it stopped.
        result: Result<crate::app::sync::SyncOutcome, String>,
    },
}

impl From<Intent> for Action {
    fn from(intent: Intent) -> Self {
        Action::Intent(intent)
    }
}

impl From<Runtime> for Action {
    fn from(event: Runtime) -> Self {
        Action::Runtime(event)
    }
}

impl From<Loaded> for Action {
    fn from(loaded: Loaded) -> Self {
        Action::Loaded(loaded)
    }
}

impl From<Done> for Action {
    fn from(done: Done) -> Self {
        Action::Done(done)
    }
}
