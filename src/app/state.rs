//! Everything the screen shows, owned by the event loop and changed only by `update`.
//!
//! Scroll positions live here too (not in ratatui widget state), because `update` decides which
//! rows are visible: it fetches watch statuses for exactly those rows and highlights only them.

use super::directory::{fold, Directory, GroupsCache, Ranked};
pub use super::list_view::{ListHeights, ListView};
use super::lists::ListsState;
use super::property_edit::PropEditState;
use super::request::{Loadable, RequestId, Slot, WaitView};
pub use super::watch_many::{GroupPhase, GroupWatch, MemberWatch, WatchBatch};
use crate::api::model::{Group, Space, User};
use crate::api::WatchTarget;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use tui_input::Input;

/// The four panes, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub enum Focus {
    /// People: the query and the ranked results.
    #[default]
    Search,
    /// The highlighted person's profile and properties.
    Profile,
    /// Their groups, a group's members, and so on.
    Groups,
    /// Spaces and pins, with watch statuses.
    Watchlist,
}

impl Focus {
    /// Tab order.
    pub const ALL: [Focus; 4] = [
        Focus::Search,
        Focus::Profile,
        Focus::Groups,
        Focus::Watchlist,
    ];

    /// The pane after this one.
    pub fn next(self) -> Focus {
        Focus::ALL[(self as usize + 1) % 4]
    }
    /// The pane before this one.
    pub fn prev(self) -> Focus {
        Focus::ALL[(self as usize + 3) % 4]
    }
    /// Title shown on the pane border and in help.
    pub fn title(self) -> &'static str {
        match self {
            Focus::Search => "Search",
            Focus::Profile => "Profile",
            Focus::Groups => "Groups",
            Focus::Watchlist => "Watch list",
        }
    }
    /// The heading of this pane's keys in help.
    pub fn help_heading(self) -> &'static str {
        match self {
            Focus::Search => "Search pane",
            Focus::Profile => "Profile pane",
            Focus::Groups => "Groups pane",
            Focus::Watchlist => "Watch list pane",
        }
    }
}

/// Whether keys go to a text input or are commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Keys are commands (see `keymap`).
    #[default]
    Normal,
    /// Keys edit the active input.
    Editing,
}

/// The search pane: the query, ranked rows and the server search behind them.
#[derive(Debug, Default)]
pub struct SearchState {
    /// The search box.
    pub input: Input,
    /// The folded query the rows were ranked for.
    pub folded: String,
    /// The ranking of known people for `folded`: the ordered rows first (see
    /// `Directory::rank_top`), and, right after a keystroke, the people not looked at yet (see
    /// `Directory::rank_head`), who join when the event loop is idle or before anything reads
    /// past the ordered rows.
    pub ranked: Ranked,
    /// Directory size when `ranked` was made: people from this index on are not ranked yet.
    pub ranked_len: usize,
    /// Rankings of the current query's prefixes, shortest first (for Backspace and narrowing);
    /// valid while the directory has `ranked_len` people.
    pub prefix_hits: Vec<(String, Ranked)>,
    /// Server hits for the current query that the fuzzy matcher does not rank (e.g. matched on a
    /// field confdir does not see); shown after the fuzzy hits.
    pub server_only: Vec<usize>,
    /// Directory indices in display order (derived from the above, or "you + recent").
    pub rows: Vec<usize>,
    /// Highlighted char positions of the visible rows' names.
    pub highlights: HashMap<usize, Vec<usize>>,
    /// The live server search.
    pub server: Loadable<()>,
    /// The query the server answered last.
    pub server_query: String,
    /// Where the next server page starts, when there is one.
    pub next_start: Option<u32>,
    /// The server's total for `server_query`.
    pub server_total: Option<i64>,
    /// Selection and scroll of the result rows.
    pub list: ListView,
}

/// How the site answers the email API.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum EmailApi {
    /// Not asked yet on this site.
    #[default]
    Unknown,
    /// It answered once: ask again for hidden addresses.
    Available,
    /// 400 (app not approved), 501 (not enabled), 403 …: the message says which.
    Unavailable(String),
}

/// The profile pane.
#[derive(Debug, Default)]
pub struct ProfileState {
    /// Whose profile is shown (None: nobody yet).
    pub account_id: Option<String>,
    /// The user object.
    pub user: Loadable<User>,
    /// `/user/email` for this user, when the user object did not show one.
    pub email: Loadable<String>,
    /// The user's property keys.
    pub props: Loadable<Vec<String>>,
    /// Selection and scroll of the property keys.
    pub prop_list: ListView,
    /// An opened property: its key and pretty-printed value.
    pub open_prop: Option<(String, Loadable<String>)>,
    /// Short property values shown beside their keys on a wide screen, by account id and key:
    /// the value in a line, or `None` when it is too long or nested for a line (or failed).
    pub inline: HashMap<(String, String), Option<String>>,
    /// The inline value being fetched: its request, account id and key.
    pub inline_req: Option<(RequestId, String, String)>,
}

/// One list in the groups pane's navigation path. (A path is a handful of entries, so the size
/// difference between the variants costs nothing worth boxing for.)
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum GroupView {
    /// A person's groups.
    Memberships {
        /// Whose groups.
        account_id: String,
        /// Their name, for the path line.
        name: String,
        /// The groups.
        groups: Loadable<Vec<Group>>,
        /// Selection and scroll.
        list: ListView,
    },
    /// A group's members (directory account ids, in server order).
    Members {
        /// Which group.
        group: Group,
        /// Account ids of the members loaded so far.
        members: Vec<String>,
        /// The page on its way (or how the last one went).
        load: Loadable<()>,
        /// Where the next page starts, when there is one.
        next_start: Option<u32>,
        /// The server's member count, when it said.
        total: Option<i64>,
        /// Selection and scroll.
        list: ListView,
    },
    /// Two people's groups side by side: shared, only the marked person's, only the other's.
    Compare(super::compare::Comparison),
}

/// Watch status of one row, for one subject (you, or a colleague an administrator looks at).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WatchStatus {
    /// Asked for by this request.
    Loading(RequestId),
    /// Watching (true) or not.
    Known(bool),
    /// Toggled optimistically: showing `!was` until the server confirms, or rolling back to `was`.
    Pending {
        /// The status before the toggle.
        was: bool,
        /// The toggle's request.
        id: RequestId,
    },
    /// Unknown: a few words on why.
    Failed(String),
    /// A toggle was sent but its answer never came, so whether the server applied it is unknown;
    /// the row's real status is being asked for by this request.
    Checking(RequestId),
}

impl WatchStatus {
    /// What the row shows: watching or not, when known.
    pub fn shown(&self) -> Option<bool> {
        match self {
            WatchStatus::Known(b) => Some(*b),
            WatchStatus::Pending { was, .. } => Some(!was),
            _ => None,
        }
    }
}

/// A label or page the user pinned to the watch list (spaces come from the site).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pin {
    /// The label or page.
    pub target: WatchTarget,
}

/// One row of the watch list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchRow {
    /// What the row's watch is about.
    pub target: WatchTarget,
    /// Space name, a pinned page's title once known, or the label/page id for pins.
    pub title: String,
    /// Pinned by the user (can be unpinned), rather than a site space.
    pub pinned: bool,
}

/// The watch-list pane.
#[derive(Debug, Default)]
pub struct WatchState {
    /// The site's spaces loaded so far.
    pub spaces: Vec<Space>,
    /// The spaces page on its way (or how the last one went).
    pub spaces_load: Loadable<()>,
    /// The next spaces page's link (v2 cursor or v1 offset, as the server sent it), when there
    /// is one.
    pub spaces_next: Option<String>,
    /// Where each spaces page asked for so far starts (its cursor or offset): a `next` naming one
    /// of them again stops the list with an error instead of looping.
    pub spaces_asked: HashSet<String>,
    /// The user's pinned labels and pages.
    pub pins: Vec<Pin>,
    /// Pins first, then spaces; filtered (derived).
    pub rows: Vec<WatchRow>,
    /// The filter line.
    pub filter: Input,
    /// Selection and scroll of the rows.
    pub list: ListView,
    /// `None`: your own watches. `Some((accountId, name))`: a colleague's (administrators only).
    pub subject: Option<(String, String)>,
    /// Each row's status, by whose watch (None: yours) and target.
    pub statuses: HashMap<(Option<String>, WatchTarget), WatchStatus>,
    /// The "pin a label or page" prompt, while open.
    pub pin_input: Option<Input>,
    /// Rows marked (Space or `v`) to be toggled together, by target: kept through filtering.
    pub marks: std::collections::BTreeSet<WatchTarget>,
    /// The toggle of several marked rows still being answered, for the status line's count.
    pub batch: Option<WatchBatch>,
    /// Every member of a group and one target (`W` in a member list, administrators): their
    /// statuses, and a change for all of them.
    pub group: Option<GroupWatch>,
}

/// One failed request, for the error log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorEntry {
    /// When it failed.
    pub at: DateTime<Utc>,
    /// What failed and why.
    pub message: String,
}

/// Which text input receives typed keys in [`Mode::Editing`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActiveInput {
    /// The search box.
    Query,
    /// The help overlay's filter.
    Help,
    /// The watch list's filter.
    WatchFilter,
    /// The "pin a label or page" prompt.
    Pin,
    /// The groups pane's filter.
    ListFilter,
    /// The `:` command line.
    Command,
    /// The error log's filter.
    ErrorsFilter,
    /// The Profile pane's "new property key" box.
    PropertyKey,
}

/// Overlays drawn above the panes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Overlay {
    /// Just the panes.
    #[default]
    None,
    /// Key help for the focused pane, filtered as you type.
    Help,
    /// Every failed request with its time.
    Errors,
}

/// The whole application state.
#[derive(Debug)]
pub struct State {
    /// The site's host, for the title bar.
    pub site: String,
    /// Who you are (`/user/current`).
    pub me: Loadable<User>,
    /// The focused pane.
    pub focus: Focus,
    /// Whether keys edit an input.
    pub mode: Mode,
    /// What is drawn above the panes.
    pub overlay: Overlay,
    /// The help overlay's filter line.
    pub help_filter: Input,
    /// The first help row shown (help scrolls when its keys do not fit).
    pub help_scroll: usize,
    /// Everyone confdir knows on this site, searchable as you type.
    pub directory: Directory,
    /// Account ids of profiles viewed, most recent first.
    pub recent: Vec<String>,
    /// The search pane.
    pub search: SearchState,
    /// The profile pane.
    pub profile: ProfileState,
    /// The groups pane's navigation path; the last entry is shown.
    pub groups: Vec<GroupView>,
    /// Memberships already fetched, so highlighting a user again costs nothing.
    pub groups_cache: GroupsCache,
    /// The watch-list pane.
    pub watch: WatchState,
    /// Whether the site offers the email API.
    pub email_api: EmailApi,
    /// The error log, oldest first.
    pub errors: Vec<ErrorEntry>,
    /// Selection and scroll of the error log.
    pub error_list: ListView,
    /// The newest error, shown in the status bar until dismissed.
    pub last_error: Option<String>,
    /// A short notice ("copied …"), shown until the next key.
    pub notice: Option<String>,
    /// What the client is waiting for (slow answers, rate limits, retries), for the title bar.
    pub waits: Vec<WaitView>,
    /// The wall clock, set by the runtime before each update (update never reads a clock).
    pub now: DateTime<Utc>,
    /// Visible rows of each list, for paging and for asking only for what shows.
    pub heights: ListHeights,
    /// Requests in flight, by slot: an answer counts only while its id is its slot's.
    pub pending: HashMap<Slot, RequestId>,
    /// Unslotted requests in flight (watch statuses and toggles).
    pub pending_free: HashSet<RequestId>,
    /// Spinner frame, advanced by ticks while anything is pending.
    pub spinner: usize,
    /// Something changed since the last frame.
    pub dirty: bool,
    /// The user asked to leave.
    pub quit: bool,
    /// Whether the mouse is captured (from the configuration).
    pub mouse: bool,
    next_id: u64,
    /// The lists' filters and orders, and the command line.
    pub lists: ListsState,
    /// The site refused the credentials at start (401 from `/user/current`): the UI stops and
    /// the sign-in failure screen says this, instead of a UI that cannot load anything.
    pub signin_refused: Option<String>,
    /// People opened and their groups paths, for back and forward.
    pub history: History,
    /// Whether the site answers, from the last requests' outcomes (the title bar shows it).
    pub connection: Connection,
    /// Ctrl-Z was pressed: the event loop gives the terminal back to the shell, then clears it.
    pub suspend: bool,
    /// `G` asked for the true end of this pane's list: each page that arrives is followed by a
    /// request for the next until the last, where the selection lands. Any other key stops it.
    pub seek_end: Option<Focus>,
    /// The person marked with `m`, to compare with the next person opened (`c` in Groups).
    pub mark: Option<super::compare::Mark>,
    /// `X`: the export prompt, and the export being written.
    pub export: super::export::ExportState,
    /// The Profile pane's property writing (`e`, `n`, `d`).
    pub prop_edit: PropEditState,
    /// The background directory sync under way (`:sync`), if any.
    pub sync: Option<crate::app::sync::SyncView>,
}

/// Whether the site answers, as the last requests found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Connection {
    /// No request has come back yet.
    #[default]
    Unknown,
    /// The last request that came back got an answer.
    Live,
    /// Requests get no answer (unreachable, or no answer in time), since then.
    Offline {
        /// When the first unanswered request came back.
        since: DateTime<Utc>,
    },
    /// The site answers 401: it refuses the credentials (a token revoked or expired while
    /// confdir runs), since then.
    Refused {
        /// When the first refusal came back.
        since: DateTime<Utc>,
    },
}

/// One place in the history: a person, and the groups path as it was when it was left.
#[derive(Debug, Clone, PartialEq)]
pub struct Visit {
    /// Whose profile.
    pub account_id: String,
    /// The groups pane's path.
    pub groups: Vec<GroupView>,
}

/// The people opened (Enter on a result or a member), each with its groups path, oldest first,
/// for back and forward (Ctrl-O, Alt-←/→), like a browser's: opening someone after going back
/// drops the visits ahead. At most [`HISTORY_MAX`].
#[derive(Debug, Default)]
pub struct History {
    /// The visits, oldest first.
    pub visits: Vec<Visit>,
    /// The visit shown, or (when not `on` it) the last one left.
    pub at: usize,
    /// Whether the profile and path shown are `visits[at]`; false once a highlighted result is
    /// shown instead (back then returns to `visits[at]`).
    pub on: bool,
}

/// How many visits the history keeps (the oldest go first).
pub const HISTORY_MAX: usize = 100;

/// How many recent profiles the empty query lists.
pub const RECENT_MAX: usize = 20;

/// The most characters a text input (the query, a filter, the pin prompt) holds. No name is this
/// long, and a query is folded, ranked and sent whole on every change: a paste of megabytes must
/// not be. Text past it is cut (pasting) or refused (typing), with [`input_cut_note`] saying so.
pub const INPUT_MAX: usize = 256;

/// The notice shown when text would have gone past [`INPUT_MAX`].
pub fn input_cut_note() -> String {
    format!("Text is kept to {INPUT_MAX} characters: the rest was cut")
}

impl State {
    /// A fresh state for `site`, with the pins loaded from disk.
    pub fn new(site: impl Into<String>, pins: Vec<Pin>, now: DateTime<Utc>) -> Self {
        let mut state = State {
            site: site.into(),
            me: Loadable::Idle,
            focus: Focus::Search,
            mode: Mode::Editing,
            overlay: Overlay::None,
            help_filter: Input::default(),
            help_scroll: 0,
            directory: Directory::default(),
            recent: Vec::new(),
            search: SearchState::default(),
            profile: ProfileState::default(),
            groups: Vec::new(),
            groups_cache: GroupsCache::default(),
            watch: WatchState {
                pins,
                ..WatchState::default()
            },
            email_api: EmailApi::Unknown,
            errors: Vec::new(),
            error_list: ListView::default(),
            last_error: None,
            notice: None,
            waits: Vec::new(),
            now,
            heights: ListHeights::default(),
            pending: HashMap::new(),
            pending_free: HashSet::new(),
            spinner: 0,
            dirty: true,
            quit: false,
            mouse: false,
            next_id: 0,
            lists: ListsState::default(),
            signin_refused: None,
            history: History::default(),
            connection: Connection::Unknown,
            suspend: false,
            seek_end: None,
            mark: None,
            export: super::export::ExportState::default(),
            prop_edit: PropEditState::default(),
            sync: None,
        };
        state.rebuild_watch_rows();
        state
    }

    /// A new request id.
    pub fn next_id(&mut self) -> RequestId {
        self.next_id += 1;
        RequestId(self.next_id)
    }

    /// Requests in flight.
    pub fn in_flight(&self) -> usize {
        self.pending.len() + self.pending_free.len()
    }

    /// Whether work waits for the event loop to be idle ([`Runtime::Idle`]): the rest of a
    /// keystroke's ranking.
    ///
    /// [`Runtime::Idle`]: crate::app::action::Runtime::Idle
    pub fn idle_work(&self) -> bool {
        self.search.ranked.unscanned.is_some()
    }

    /// Whether the screen animates (spinner, countdown) and so needs ticks.
    pub fn animating(&self) -> bool {
        self.in_flight() > 0 || !self.waits.is_empty()
    }

    /// Which input receives typed text in editing mode.
    pub fn active_input(&self) -> ActiveInput {
        if self.lists.command.is_some() {
            ActiveInput::Command
        } else if self.overlay == Overlay::Errors && self.lists.errors_filtering {
            ActiveInput::ErrorsFilter
        } else if self.overlay == Overlay::Help {
            ActiveInput::Help
        } else if self.lists.filtering && self.focus == Focus::Groups {
            ActiveInput::ListFilter
        } else if self.prop_edit.key_input.is_some() && self.focus == Focus::Profile {
            ActiveInput::PropertyKey
        } else if self.watch.pin_input.is_some() {
            ActiveInput::Pin
        } else if self.focus == Focus::Watchlist {
            ActiveInput::WatchFilter
        } else {
            ActiveInput::Query
        }
    }

    /// The account id shown in the profile pane.
    pub fn profile_id(&self) -> Option<&str> {
        self.profile.account_id.as_deref()
    }

    /// Rebuilds the watch rows from pins, spaces and the filter.
    pub fn rebuild_watch_rows(&mut self) {
        let filter = fold(self.watch.filter.value().trim());
        let pins = self.watch.pins.iter().map(|p| WatchRow {
            title: match (&p.target, self.lists.page_titles.get(p.target.id())) {
                (WatchTarget::Content(_), Some(Loadable::Loaded(title))) => title.clone(),
                _ => p.target.id().to_string(),
            },
            target: p.target.clone(),
            pinned: true,
        });
        let spaces = self.watch.spaces.iter().map(|s| WatchRow {
            target: WatchTarget::Space(s.key.clone()),
            title: s.name.clone(),
            pinned: false,
        });
        self.watch.rows = pins
            .chain(spaces)
            .filter(|row| {
                filter.is_empty()
                    || fold(&row.title).contains(&filter)
                    || fold(row.target.id()).contains(&filter)
            })
            .collect();
        let height = self.heights.watch;
        let len = self.watch.rows.len();
        self.watch.list.clamp(len, height);
    }

    /// The account id of the user the watch pane shows statuses for (`None`: you).
    pub fn watch_subject(&self) -> Option<String> {
        self.watch.subject.as_ref().map(|(id, _)| id.clone())
    }

    /// The account id highlighted in the search results.
    pub fn selected_result(&self) -> Option<&str> {
        let index = *self.search.rows.get(self.search.list.selected)?;
        self.directory.get(index)?.account_id
    }
}
