//! Actions: what happened. Intents come from keys (imperative names); results come from the
//! worker (past tense), each tagged with the request id it answers.

use super::request::RequestId;
use super::state::{Focus, ListHeights};
use crate::api::model::{Group, Page, SearchResult, Space, User, UserProperty};
use crate::api::{ApiError, WatchTarget};
use chrono::{DateTime, Utc};
use tui_input::InputRequest;

/// Everything `update` reacts to.
#[derive(Debug, Clone)]
pub enum Action {
    // --- intents (from keys and mouse) ---
    Quit,
    FocusNext,
    FocusPrev,
    FocusPane(Focus),
    /// `/`: focus the search box and edit the query.
    StartSearch,
    /// A line-editing request for the active input.
    Edit(InputRequest),
    /// Pasted text (bracketed paste), inserted into the active input.
    Paste(String),
    /// Enter while editing.
    Submit,
    /// Esc while editing.
    Cancel,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// Enter: open the selection.
    Open,
    /// Esc / Backspace: walk back along the path.
    Back,
    ToggleHelp,
    ToggleErrorLog,
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
        email: bool,
    },
    /// `o`: open the profile or space in the browser.
    OpenInBrowser,
    /// `r`: fetch the focused pane again.
    Refresh,
    /// A click on a pane, at a row of its list (None: the border or empty space).
    Click {
        pane: Focus,
        row: Option<usize>,
    },
    /// Mouse wheel over a pane.
    Scroll {
        pane: Focus,
        down: bool,
    },

    // --- runtime ---
    /// The terminal size changed: the visible rows of each list.
    Resized(ListHeights),
    /// Time passed (spinner, countdown, local clocks).
    Tick,
    /// The client is waiting out a rate limit until then (None: not any more).
    RateLimited(Option<DateTime<Utc>>),

    // --- results ---
    MeLoaded {
        id: RequestId,
        result: Result<User, ApiError>,
    },
    UsersFound {
        id: RequestId,
        query: String,
        start: u32,
        result: Result<Page<SearchResult>, ApiError>,
    },
    ProfileLoaded {
        id: RequestId,
        result: Result<User, ApiError>,
    },
    EmailLoaded {
        id: RequestId,
        result: Result<String, ApiError>,
    },
    PropertyKeysLoaded {
        id: RequestId,
        result: Result<Vec<String>, ApiError>,
    },
    PropertyLoaded {
        id: RequestId,
        result: Result<UserProperty, ApiError>,
    },
    GroupsLoaded {
        id: RequestId,
        account_id: String,
        result: Result<Vec<Group>, ApiError>,
    },
    MembersLoaded {
        id: RequestId,
        start: u32,
        result: Result<Page<User>, ApiError>,
    },
    SpacesLoaded {
        id: RequestId,
        result: Result<Page<Space>, ApiError>,
    },
    WatchStatusLoaded {
        id: RequestId,
        user: Option<String>,
        target: WatchTarget,
        result: Result<bool, ApiError>,
    },
    WatchSet {
        id: RequestId,
        user: Option<String>,
        target: WatchTarget,
        result: Result<(), ApiError>,
    },
    /// The directory cache was read at start-up (names already folded, off the loop): known
    /// people and the recently viewed.
    DirectoryCached {
        recent: Vec<String>,
        directory: Box<super::directory::Directory>,
    },
    /// A local effect (clipboard, browser) or a start-up step failed; the message says why.
    EffectFailed {
        message: String,
    },
    /// The pins file was written (or not).
    PinsSaved {
        result: Result<(), String>,
    },
}
