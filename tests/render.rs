//! Render snapshots: every pane loaded, loading, empty and failed, at 80x24 and 160x48, plus
//! per-cell checks of the styles that carry meaning.
//!
//! Each screen is built the way the running program builds it: `State::new` with a fixed clock, a
//! resize, `init`, then the result actions the worker would send, each answering the request id of
//! a command `update` returned. Nothing reaches into the state directly, so a snapshot shows what a
//! user would see after the same sequence of answers. Snapshots drop colour; the styles that mean
//! something (focus, selection, fuzzy matches, errors, privacy) are asserted cell by cell.

// Tests unwrap: a panic is a failed test that says where (the crate denies it elsewhere).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Utc};
use confdir::api::model::{Group, Links, Page, SearchResult, Space, User};
use confdir::api::{ApiError, WatchTarget};
use confdir::app::action::{Done, Intent, Loaded, Runtime};
use confdir::app::state::{Focus, Pin, State};
use confdir::app::update::{init, update};
use confdir::app::{Action, Command, RequestId};
use confdir::ui;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use ratatui::Terminal;
use std::collections::HashSet;
use std::time::Duration;
use tui_input::InputRequest;

const SITE: &str = "acme.atlassian.net";
const SMALL: (u16, u16) = (80, 24);
const LARGE: (u16, u16) = (160, 48);

const ADA: &str = "5d3f8a2b9c1e4f0012ab34cd";
const JOSE: &str = "5b10a2844c20165700ede21g";
const ZOE: &str = "712020:0e8c1b2a-9d7f-4c3e-8a51-2b6f0d9e4c17";
const BOT: &str = "557058:6b4d2c1a-3e5f-4a7b-9c8d-0e1f2a3b4c5d";
const YAMADA: &str = "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077";
const PRIYA: &str = "63a1f0c2d4e5b6a7c8d9e0f1";
const MALLORY: &str = "5f0e1d2c3b4a596877665544";
const LONG: &str = "60aa11bb22cc33dd44ee55ff";

/// The fixed wall clock of every fixture: local times and error-log times never drift.
fn now() -> DateTime<Utc> {
    "2026-01-15T12:00:00Z".parse().unwrap()
}

// ---------------------------------------------------------------------------------------------
// People, groups and spaces, as the server sends them

fn person(id: &str, display: &str, public: &str, email: Option<&str>, zone: Option<&str>) -> User {
    User {
        kind: "known".into(),
        account_id: Some(id.into()),
        account_type: Some("atlassian".into()),
        email: email.map(str::to_string),
        public_name: Some(public.into()),
        display_name: Some(display.into()),
        time_zone: zone.map(str::to_string),
        ..User::default()
    }
}

fn personal_space(id: &str, name: &str) -> Option<Box<Space>> {
    Some(Box::new(Space {
        key: format!("~{id}"),
        name: name.into(),
        kind: Some("personal".into()),
        ..Space::default()
    }))
}

/// You: `/user/current` (no personal space without `expand`).
fn ada() -> User {
    person(
        ADA,
        "Ada Lovelace",
        "ada",
        Some("ada.lovelace@acme.example"),
        Some("Europe/London"),
    )
}

/// Accents in every name, a visible email and a personal space once the full profile is loaded.
fn jose() -> User {
    person(
        JOSE,
        "José Müller-Lüdenscheidt",
        "José M.",
        Some("jose.muller@acme.example"),
        Some("Europe/Berlin"),
    )
}

fn jose_profile() -> User {
    User {
        personal_space: personal_space(JOSE, "José's space"),
        ..jose()
    }
}

/// A guest (external collaborator).
fn zoe() -> User {
    User {
        is_guest: Some(true),
        ..person(
            ZOE,
            "Zoë Mülheim",
            "Zoë M.",
            Some("zoe@partner.example"),
            Some("America/Sao_Paulo"),
        )
    }
}

fn zoe_profile() -> User {
    User {
        personal_space: personal_space(ZOE, "Zoë Mülheim"),
        ..zoe()
    }
}

/// An app account: no email field at all, no time zone.
fn bot() -> User {
    User {
        account_type: Some("app".into()),
        email: None,
        ..person(
            BOT,
            "Automation for Confluence",
            "Automation for Confluence",
            None,
            None,
        )
    }
}

/// A CJK display name whose romanised public name is what matches a Latin query.
fn yamada() -> User {
    person(
        YAMADA,
        "山田 太郎",
        "Taro Yamamura",
        Some("taro.yamamura@acme.example"),
        Some("Asia/Tokyo"),
    )
}

/// Privacy settings hide everything: `email: ""`, `timeZone: null`, display name = public name.
fn priya() -> User {
    person(PRIYA, "priya.k", "priya.k", Some(""), None)
}

/// A display name that tries to clear the screen, set the window title, blink and reverse text.
fn mallory() -> User {
    person(
        MALLORY,
        "Mallory \u{1b}[2J\u{1b}]0;owned\u{7}\u{202E}rotartsinimda\u{202C} \u{1b}[5mAdmin",
        "Mallory",
        Some("mallory@evil.example\u{1b}[8m"),
        Some("Europe/Paris"),
    )
}

/// A display name of 200 characters.
fn long_name() -> User {
    let name: String =
        "Adolph Blaine Charles David Earl Frederick Gerald Hubert Irvin John Kenneth \
                        Lloyd Martin Nero Oliver Paul Quincy Randolph Sherman Thomas Uncas Victor \
                        William Xerxes Yancy Zeus Wolfeschlegelsteinhausenbergerdorff Senior"
            .chars()
            .take(200)
            .collect();
    assert_eq!(name.chars().count(), 200);
    person(
        LONG,
        &name,
        "Adolph W.",
        Some("adolph@acme.example"),
        Some("UTC"),
    )
}

fn group(id: &str, name: &str) -> Group {
    Group {
        kind: "group".into(),
        name: name.into(),
        id: id.into(),
        ..Group::default()
    }
}

fn jose_groups() -> Vec<Group> {
    [
        "confluence-users",
        "jira-software-users",
        "engineering",
        "team-platform",
        "team-search",
        "office-europe",
        "guild-rust",
        "guild-accessibility",
        "on-call-primary",
        "release-managers",
        "trusted-users",
        "site-admins-readonly",
    ]
    .iter()
    .enumerate()
    .map(|(i, name)| group(&format!("a1b2c3d4-0000-4000-8000-{i:012}"), name))
    .collect()
}

fn space(key: &str, name: &str) -> Space {
    Space {
        key: key.into(),
        name: name.into(),
        kind: Some("global".into()),
        status: Some("current".into()),
        ..Space::default()
    }
}

fn site_spaces() -> Vec<Space> {
    vec![
        space("ENG", "Engineering"),
        space("PLAT", "Platform"),
        space("HR", "People Ops"),
        space("DOCS", "Documentation"),
        space("MKT", "Marketing & Brand"),
        space("SUP", "Support — Customer Care"),
        space("INTL", "Internationalisation · 国際化"),
    ]
}

fn pins() -> Vec<Pin> {
    vec![
        Pin {
            target: WatchTarget::Label("release-notes".into()),
        },
        Pin {
            target: WatchTarget::Content("98765".into()),
        },
    ]
}

/// Which rows of the loaded watch list you watch.
fn you_watch(target: &WatchTarget) -> Result<bool, ApiError> {
    Ok(matches!(target.id(), "ENG" | "DOCS" | "release-notes"))
}

fn page<T>(results: Vec<T>, total: Option<i64>, next: bool) -> Page<T> {
    Page {
        size: Some(results.len() as i64),
        results,
        total_size: total,
        links: Links {
            next: next.then(|| "/rest/api/x?start=100&limit=100".to_string()),
            ..Links::default()
        },
        ..Page::default()
    }
}

// ---------------------------------------------------------------------------------------------
// A session: the state machine, fed as the runtime feeds it

struct Session {
    state: State,
    /// Every command `update` returned, oldest first.
    sent: Vec<Command>,
    answered: HashSet<RequestId>,
    size: (u16, u16),
}

impl Session {
    /// What the event loop does at start-up: new state, the terminal size, then `init`.
    fn start(size: (u16, u16), pins: Vec<Pin>) -> Session {
        let mut state = State::new(SITE, pins, now());
        let mut sent = update(
            &mut state,
            Runtime::Resized(ui::list_heights(size.0, size.1)),
        );
        sent.extend(init(&mut state));
        Session {
            state,
            sent,
            answered: HashSet::new(),
            size,
        }
    }

    fn act(&mut self, action: impl Into<Action>) -> &mut Self {
        let commands = update(&mut self.state, action);
        self.sent.extend(commands);
        self
    }

    fn type_text(&mut self, text: &str) -> &mut Self {
        for c in text.chars() {
            self.act(Intent::Edit(InputRequest::InsertChar(c)));
        }
        self
    }

    /// The newest unanswered command `pick` recognises (older ones of a slot were superseded and
    /// would have been aborted by the worker), marked answered.
    fn request<T>(
        &mut self,
        what: &str,
        pick: impl Fn(&Command) -> Option<(RequestId, T)>,
    ) -> (RequestId, T) {
        let found = self
            .sent
            .iter()
            .rev()
            .filter_map(&pick)
            .find(|(id, _)| !self.answered.contains(id));
        let Some((id, detail)) = found else {
            panic!("no unanswered {what} request among {:#?}", self.sent);
        };
        self.answered.insert(id);
        (id, detail)
    }

    /// `r` on your profile: start-up shows it from the `/user/current` answer without asking
    /// again, so a scene that needs it waiting (or failing) asks for it again, then focus goes
    /// back to the search box.
    fn refresh_profile(&mut self) -> &mut Self {
        self.act(Intent::FocusPane(Focus::Profile))
            .act(Intent::Refresh)
            .act(Intent::FocusPane(Focus::Search))
    }

    fn me(&mut self, result: Result<User, ApiError>) -> &mut Self {
        let (id, ()) = self.request("FetchMe", |c| match c {
            Command::FetchMe { id } => Some((*id, ())),
            _ => None,
        });
        self.act(Loaded::Me { id, result })
    }

    fn search(&mut self, result: Result<Vec<User>, ApiError>) -> &mut Self {
        let (id, (query, start)) = self.request("SearchUsers", |c| match c {
            Command::SearchUsers {
                id, query, start, ..
            } => Some((*id, (query.clone(), *start))),
            _ => None,
        });
        let result = result.map(|users| {
            let total = Some(users.len() as i64);
            let hits = users
                .into_iter()
                .map(|user| SearchResult {
                    title: user.name().to_string(),
                    entity_type: "user".into(),
                    user: Some(user),
                    ..SearchResult::default()
                })
                .collect();
            page(hits, total, false)
        });
        self.act(Loaded::Search {
            id,
            query,
            start,
            result,
        })
    }

    fn profile(&mut self, result: Result<User, ApiError>) -> &mut Self {
        let (id, account_id) = self.request("FetchProfile", |c| match c {
            Command::FetchProfile { id, account_id, .. } => Some((*id, account_id.clone())),
            _ => None,
        });
        if let Ok(user) = &result {
            assert_eq!(user.account_id.as_deref(), Some(account_id.as_str()));
        }
        self.act(Loaded::Profile { id, result })
    }

    fn email(&mut self, result: Result<String, ApiError>) -> &mut Self {
        let (id, ()) = self.request("FetchEmail", |c| match c {
            Command::FetchEmail { id, .. } => Some((*id, ())),
            _ => None,
        });
        self.act(Loaded::Email { id, result })
    }

    fn props(&mut self, result: Result<Vec<&str>, ApiError>) -> &mut Self {
        let (id, ()) = self.request("FetchPropertyKeys", |c| match c {
            Command::FetchPropertyKeys { id, .. } => Some((*id, ())),
            _ => None,
        });
        let result = result.map(|keys| keys.into_iter().map(str::to_string).collect());
        self.act(Loaded::PropertyKeys { id, result })
    }

    fn groups(&mut self, result: Result<Vec<Group>, ApiError>) -> &mut Self {
        let (id, account_id) = self.request("FetchGroups", |c| match c {
            Command::FetchGroups { id, account_id, .. } => Some((*id, account_id.clone())),
            _ => None,
        });
        self.act(Loaded::Groups {
            id,
            account_id,
            result,
        })
    }

    fn members(&mut self, result: Result<(Vec<User>, i64), ApiError>) -> &mut Self {
        let (id, start) = self.request("FetchMembers", |c| match c {
            Command::FetchMembers { id, start, .. } => Some((*id, *start)),
            _ => None,
        });
        let result = result.map(|(users, total)| {
            let more = (start as i64 + users.len() as i64) < total;
            page(users, Some(total), more)
        });
        self.act(Loaded::Members { id, start, result })
    }

    fn spaces(&mut self, result: Result<Vec<Space>, ApiError>) -> &mut Self {
        let (id, ()) = self.request("FetchSpaces", |c| match c {
            Command::FetchSpaces { id, .. } => Some((*id, ())),
            _ => None,
        });
        let result = result.map(|spaces| page(spaces, None, false));
        self.act(Loaded::Spaces { id, result })
    }

    /// Answers every watch status asked for so far and not answered yet.
    /// Answers every pinned page's title request with `title`.
    fn page_titles(&mut self, title: &str) -> &mut Self {
        let asked: Vec<(RequestId, String)> = self
            .sent
            .iter()
            .filter_map(|c| match c {
                Command::FetchPageTitle { id, page_id } => Some((*id, page_id.clone())),
                _ => None,
            })
            .filter(|(id, _)| !self.answered.contains(id))
            .collect();
        for (id, page_id) in asked {
            self.answered.insert(id);
            self.act(Done::PageTitle {
                id,
                page_id,
                result: Ok(title.to_string()),
            });
        }
        self
    }

    fn statuses(&mut self, answer: impl Fn(&WatchTarget) -> Result<bool, ApiError>) -> &mut Self {
        let asked: Vec<(Option<String>, RequestId, WatchTarget)> = self
            .sent
            .iter()
            .filter_map(|c| match c {
                Command::FetchWatchStatuses { user, targets } => Some((user, targets)),
                _ => None,
            })
            .flat_map(|(user, targets)| {
                targets
                    .iter()
                    .map(move |(id, target)| (user.clone(), *id, target.clone()))
            })
            .filter(|(_, id, _)| !self.answered.contains(id))
            .collect();
        assert!(!asked.is_empty(), "no watch status was asked for");
        for (user, id, target) in asked {
            self.answered.insert(id);
            let result = answer(&target);
            self.act(Done::WatchStatusLoaded {
                id,
                user,
                target,
                result,
            });
        }
        self
    }

    fn draw(&self) -> Terminal<TestBackend> {
        let mut terminal = Terminal::new(TestBackend::new(self.size.0, self.size.1)).unwrap();
        terminal
            .draw(|frame| ui::render(frame, &self.state))
            .unwrap();
        terminal
    }

    fn areas(&self) -> ui::Areas {
        ui::layout(Rect::new(0, 0, self.size.0, self.size.1))
    }
}

/// `name_80x24` / `name_160x48`.
fn sized(name: &str, size: (u16, u16)) -> String {
    format!("{name}_{}x{}", size.0, size.1)
}

// ---------------------------------------------------------------------------------------------
// The screens

/// The first frame: nothing has answered yet.
fn startup(size: (u16, u16)) -> Session {
    Session::start(size, Vec::new())
}

/// Every pane waiting: your profile, its properties and groups, the site's spaces, and a server
/// search that no known user matches yet.
fn loading(size: (u16, u16)) -> Session {
    let mut s = Session::start(size, Vec::new());
    s.me(Ok(ada())).refresh_profile().type_text("zoë");
    s
}

/// Every pane answered: a search with fuzzy and server-only hits, the top hit's full profile,
/// their properties and groups, and the watch list with pins and statuses.
fn loaded(size: (u16, u16)) -> Session {
    let mut s = Session::start(size, pins());
    s.me(Ok(ada()))
        .page_titles("Release checklist")
        .spaces(Ok(site_spaces()))
        .statuses(you_watch)
        .type_text("mu")
        .search(Ok(vec![jose(), zoe(), bot(), yamada()]))
        // Highlighting the top hit opened their profile.
        .profile(Ok(jose_profile()))
        .props(Ok(vec!["confdir-favourites", "pronouns", "team"]))
        .groups(Ok(jose_groups()));
    s
}

/// Every pane answered with nothing: no search hits, a profile whose privacy settings hide
/// everything (no properties, no groups), and a site without spaces.
fn empty(size: (u16, u16)) -> Session {
    let mut s = Session::start(size, Vec::new());
    s.me(Ok(ada()))
        .spaces(Ok(Vec::new()))
        .type_text("pri")
        .search(Ok(vec![priya()]))
        .profile(Ok(priya()))
        // The profile hid the email, so the email API was asked: nothing on record.
        .email(Ok(String::new()))
        .props(Ok(Vec::new()))
        .groups(Ok(Vec::new()))
        .type_text("x")
        .search(Ok(Vec::new()));
    s
}

/// Every request failed: profile, properties, groups, spaces and the server search.
fn failed(size: (u16, u16)) -> Session {
    let mut s = Session::start(size, Vec::new());
    s.me(Ok(ada()))
        .refresh_profile()
        .spaces(Err(ApiError::RateLimited {
            endpoint: "GET /space".into(),
            retry_after: Duration::from_secs(30),
        }))
        .profile(Err(ApiError::Server {
            endpoint: "GET /user".into(),
            status: 503,
            message: "Service Unavailable".into(),
        }))
        .props(Err(ApiError::Forbidden {
            endpoint: "GET /user/{id}/property".into(),
            message: "User not permitted to view properties".into(),
        }))
        .groups(Err(ApiError::Timeout {
            endpoint: "GET /user/memberof".into(),
            waiting_for: confdir::api::Waited::Answer,
            after: Duration::from_secs(20),
            attempts: 2,
        }))
        .type_text("ad")
        .search(Err(ApiError::BadRequest {
            endpoint: "GET /search/user".into(),
            message: "Could not parse cql : user.fullname~\"ad\"".into(),
        }));
    s
}

/// The site refused the credentials: nobody is signed in.
fn signed_out(size: (u16, u16)) -> Session {
    let mut s = Session::start(size, Vec::new());
    s.me(Err(ApiError::Unauthorized {
        endpoint: "GET /user/current".into(),
        message: "Client must be authenticated to access this resource.".into(),
    }))
    .spaces(Err(ApiError::Unauthorized {
        endpoint: "GET /space".into(),
        message: String::new(),
    }));
    s
}

/// From the loaded screen: Enter on José's third group lists its first page of members.
fn members(size: (u16, u16)) -> Session {
    let mut s = loaded(size);
    s.act(Intent::FocusPane(Focus::Groups))
        .act(Intent::Down)
        .act(Intent::Down)
        .act(Intent::Open)
        .members(Ok((
            vec![ada(), jose(), zoe(), bot(), yamada(), priya()],
            57,
        )));
    s
}

/// From the members list: Enter on the guest opens her profile and her groups, one level deeper.
fn member_path(size: (u16, u16)) -> Session {
    let mut s = members(size);
    s.act(Intent::Down)
        .act(Intent::Down)
        .act(Intent::Open)
        .profile(Ok(zoe_profile()))
        .props(Ok(vec!["pronouns"]))
        .groups(Ok(vec![
            group("g-guests", "confluence-guests"),
            group("g-partners", "partner-acme-integrations"),
        ]));
    s
}

/// Hostile server strings: escape sequences and bidi overrides in names, a 200-character name,
/// a hostile group, space and error message.
fn hostile(size: (u16, u16)) -> Session {
    let mut s = Session::start(size, Vec::new());
    s.me(Ok(ada()))
        .spaces(Ok(vec![
            space("SEC", "Security \u{1b}]52;c;cm0gLXJmIH4=\u{7}clipboard"),
            space(
                "ARAB",
                "\u{202E}txet desrever\u{202C} and \u{2067}isolate\u{2069}",
            ),
        ]))
        .statuses(you_watch)
        .type_text("mal")
        .search(Ok(vec![mallory(), long_name()]))
        .profile(Ok(mallory()))
        .props(Ok(vec!["\u{1b}[31mred-key"]))
        .groups(Err(ApiError::Forbidden {
            endpoint: "GET /user/memberof".into(),
            message: "denied\u{1b}[2J\u{1b}[H\u{202E}gnirts".into(),
        }));
    s
}

// ---------------------------------------------------------------------------------------------
// Snapshots: each pane in each state, at both sizes

macro_rules! snapshot {
    ($name:expr, $session:expr) => {{
        let session = $session;
        let terminal = session.draw();
        insta::assert_snapshot!(sized($name, session.size), terminal.backend());
    }};
}

#[test]
fn startup_before_any_answer() {
    for size in [SMALL, LARGE] {
        snapshot!("startup", startup(size));
    }
}

#[test]
fn every_pane_loading() {
    for size in [SMALL, LARGE] {
        snapshot!("loading", loading(size));
    }
}

#[test]
fn every_pane_loaded() {
    for size in [SMALL, LARGE] {
        snapshot!("loaded", loaded(size));
    }
}

#[test]
fn every_pane_empty() {
    for size in [SMALL, LARGE] {
        snapshot!("empty", empty(size));
    }
}

#[test]
fn every_pane_failed() {
    for size in [SMALL, LARGE] {
        snapshot!("failed", failed(size));
    }
}

#[test]
fn signed_out_when_the_credentials_are_refused() {
    snapshot!("signed_out", signed_out(SMALL));
}

#[test]
fn group_members_with_guest_and_app_tags() {
    for size in [SMALL, LARGE] {
        snapshot!("members", members(size));
    }
}

#[test]
fn member_profile_with_the_path_walked() {
    for size in [SMALL, LARGE] {
        snapshot!("member_path", member_path(size));
    }
}

#[test]
fn help_overlay_filtered_as_you_type() {
    let mut s = loaded(SMALL);
    s.act(Intent::FocusPane(Focus::Watchlist))
        .act(Intent::ToggleHelp)
        .type_text("watch");
    snapshot!("help_filtered", s);
}

#[test]
fn error_log_lists_every_failure_with_its_time() {
    for size in [SMALL, LARGE] {
        let mut s = failed(size);
        s.act(Intent::ToggleErrorLog);
        snapshot!("error_log", s);
    }
}

#[test]
fn watch_rows_loading_failed_and_saving() {
    let mut s = Session::start(SMALL, pins());
    s.me(Ok(ada())).spaces(Ok(site_spaces()));
    // ENG and the label answer, the page and PLAT fail, the rest are still on their way.
    let asked: Vec<(RequestId, WatchTarget)> = s
        .sent
        .iter()
        .filter_map(|c| match c {
            Command::FetchWatchStatuses {
                user: None,
                targets,
            } => Some(targets.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    for (id, target) in asked {
        let result = match target.id() {
            "ENG" | "release-notes" => Ok(true),
            "HR" => Ok(false),
            "98765" => Err(ApiError::NotFound {
                endpoint: "GET /user/watch/content/{id}".into(),
                message: String::new(),
            }),
            "PLAT" => Err(ApiError::Forbidden {
                endpoint: "GET /user/watch/space/{key}".into(),
                message: String::new(),
            }),
            _ => continue,
        };
        s.answered.insert(id);
        s.act(Done::WatchStatusLoaded {
            id,
            user: None,
            target,
            result,
        });
    }
    // Toggle HR (row 5: two pins, then ENG, PLAT, HR): optimistic, waiting for the server.
    s.act(Intent::FocusPane(Focus::Watchlist));
    for _ in 0..4 {
        s.act(Intent::Down);
    }
    s.act(Intent::ToggleWatch);
    snapshot!("watch_rows_mixed", s);
}

#[test]
fn hostile_names_are_neutralised() {
    for size in [SMALL, LARGE] {
        let s = hostile(size);
        let terminal = s.draw();
        let buffer = terminal.backend().buffer();
        for cell in buffer.content() {
            for c in cell.symbol().chars() {
                assert!(!c.is_control(), "a control char {c:?} reached the terminal");
                assert!(
                    !matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'),
                    "a bidi control {c:?} reached the terminal"
                );
            }
        }
        // The 200-character name is cut with an ellipsis inside the search pane.
        let search = s.areas().search;
        let long_row = (search.y..search.bottom())
            .find(|&y| row_text(buffer, search.x, search.right(), y).contains("Adolph"))
            .expect("the long name is listed");
        let row = row_text(buffer, search.x + 1, search.right() - 1, long_row);
        assert!(row.trim_end().ends_with('…'), "not cut: {row:?}");
        snapshot!("hostile", s);
    }
    // Highlight the 200-character name: it is cut in the profile, the path and the title too.
    let mut s = hostile(SMALL);
    s.act(Intent::Down)
        .profile(Ok(long_name()))
        .props(Ok(Vec::new()))
        .groups(Ok(vec![group("g-1", "confluence-users")]));
    let terminal = s.draw();
    let a = s.areas();
    let b = terminal.backend().buffer();
    let first = row_text(b, a.profile.x + 1, a.profile.right() - 1, a.profile.y + 1);
    assert!(first.starts_with("Adolph Blaine"), "{first:?}");
    assert!(first.contains('…'), "the name is not cut: {first:?}");
    snapshot!("hostile_long_name", s);
}

#[test]
fn too_small_says_how_big_it_must_be() {
    for size in [(79, 24), (80, 23)] {
        let s = loaded(size);
        let terminal = s.draw();
        let text = screen_text(terminal.backend().buffer());
        assert!(text.contains("Terminal too small"), "{text}");
        assert!(
            text.contains(&format!("this is {}×{}", size.0, size.1)),
            "{text}"
        );
        assert!(!text.contains("Search"), "panes drawn anyway: {text}");
        snapshot!("too_small", s);
    }
}

// ---------------------------------------------------------------------------------------------
// Styles that carry meaning

/// The cells' symbols from `x0` to `x1` (exclusive) on row `y`, skipping the blank cells that
/// follow a wide character.
fn row_text(buffer: &Buffer, x0: u16, x1: u16, y: u16) -> String {
    let mut out = String::new();
    let mut skip = 0;
    for x in x0..x1 {
        let symbol = buffer[(x, y)].symbol();
        if skip > 0 {
            skip -= 1;
            continue;
        }
        out.push_str(symbol);
        skip = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
    }
    out
}

fn screen_text(buffer: &Buffer) -> String {
    let area = buffer.area;
    (0..area.height)
        .map(|y| row_text(buffer, 0, area.width, y))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Where `text` starts inside `area` (one cell per char: Latin text only).
fn find(buffer: &Buffer, area: Rect, text: &str) -> (u16, u16) {
    let chars: Vec<String> = text.chars().map(String::from).collect();
    for y in area.y..area.bottom() {
        for x in area.x..area.right().saturating_sub(chars.len() as u16 - 1) {
            if chars
                .iter()
                .enumerate()
                .all(|(i, c)| buffer[(x + i as u16, y)].symbol() == c)
            {
                return (x, y);
            }
        }
    }
    panic!("{text:?} not found in {area:?}:\n{}", screen_text(buffer));
}

#[test]
fn the_focused_pane_has_a_thick_cyan_border() {
    let mut s = loaded(SMALL);
    let a = s.areas();
    let terminal = s.draw();
    let b = terminal.backend().buffer();
    let corner = &b[(a.search.x, a.search.y)];
    assert_eq!(corner.symbol(), "┏");
    assert_eq!(corner.fg, Color::Cyan);
    assert!(corner.modifier.contains(Modifier::BOLD));
    for other in [a.profile, a.groups, a.watch] {
        let corner = &b[(other.x, other.y)];
        assert_eq!(corner.symbol(), "╭", "unfocused panes are rounded");
        assert_eq!(corner.fg, Color::DarkGray);
    }

    s.act(Intent::FocusPane(Focus::Watchlist));
    let terminal = s.draw();
    let b = terminal.backend().buffer();
    assert_eq!(b[(a.watch.x, a.watch.y)].symbol(), "┏");
    assert_eq!(b[(a.watch.x, a.watch.y)].fg, Color::Cyan);
    assert_eq!(b[(a.search.x, a.search.y)].symbol(), "╭");
    assert_eq!(b[(a.search.x, a.search.y)].fg, Color::DarkGray);
}

#[test]
fn the_selected_row_is_bright_only_in_the_focused_pane() {
    let mut s = loaded(SMALL);
    let a = s.areas();
    // The top hit, in the focused search pane: cyan behind the text (reversed) across the row.
    let terminal = s.draw();
    let b = terminal.backend().buffer();
    let (_, y) = find(b, a.search, "Jos");
    for x in a.search.x + 1..a.search.right() - 1 {
        assert!(bright(&b[(x, y)]), "column {x} of the selected row");
    }
    let (_, next) = find(b, a.search, "Zo");
    assert!(
        !b[(a.search.x + 1, next)]
            .modifier
            .contains(Modifier::REVERSED),
        "other rows are plain"
    );

    // Focus the groups pane: its first group is bright, the search selection only reversed.
    s.act(Intent::FocusPane(Focus::Groups));
    let terminal = s.draw();
    let b = terminal.backend().buffer();
    let (gx, gy) = find(b, a.groups, "confluence-users");
    assert!(bright(&b[(gx, gy)]));
    let (sx, sy) = find(b, a.search, "Jos");
    assert!(!bright(&b[(sx, sy)]));
    assert!(b[(sx, sy)].modifier.contains(Modifier::REVERSED));

    // Down moves the bright row.
    s.act(Intent::Down);
    let terminal = s.draw();
    let b = terminal.backend().buffer();
    assert!(!b[(gx, gy)].modifier.contains(Modifier::REVERSED));
    let (_, gy2) = find(b, a.groups, "jira-software-users");
    assert!(bright(&b[(gx, gy2)]));
}

/// The focused pane's selection: cyan reversed (cyan behind the text), bold.
fn bright(cell: &ratatui::buffer::Cell) -> bool {
    cell.fg == Color::Cyan && cell.modifier.contains(Modifier::REVERSED | Modifier::BOLD)
}

/// With colour off (`NO_COLOR` drops every colour and keeps the modifiers), every state the
/// theme shows still shows: the selection (reversed; bold where focused), the focused pane (a
/// thick border), fuzzy matches (bold, underlined), errors (bold), privacy-hidden values
/// (italic) and watch statuses (their marks).
#[test]
fn every_meaning_shows_without_colour() {
    let s = loaded(SMALL);
    let a = s.areas();
    let terminal = s.draw();
    let b = terminal.backend().buffer();
    let plain = |x: u16, y: u16| b[(x, y)].modifier;
    let (x, y) = find(b, a.search, "Jos");
    assert!(plain(x, y).contains(Modifier::REVERSED | Modifier::BOLD));
    let (ox, oy) = find(b, a.search, "Zo");
    assert!(!plain(ox, oy).contains(Modifier::REVERSED));
    // "mu" in Mülheim: bold and underlined; the Z before it is neither.
    let m = "Zoë ".chars().count() as u16;
    assert!(plain(ox + m, oy).contains(Modifier::BOLD | Modifier::UNDERLINED));
    assert!(!plain(ox, oy).contains(Modifier::UNDERLINED));
    // The unfocused panes' selections are reversed, not bold.
    let (gx, gy) = find(b, a.groups, "confluence-users");
    assert!(plain(gx, gy).contains(Modifier::REVERSED));
    assert!(!plain(gx, gy).contains(Modifier::BOLD));
    assert_eq!(b[(a.search.x, a.search.y)].symbol(), "┏");
    assert_eq!(b[(a.groups.x, a.groups.y)].symbol(), "╭");
    let (wx, wy) = find(b, a.watch, "ENG");
    assert_eq!(b[(wx - 2, wy)].symbol(), "●");
    let (wx, wy) = find(b, a.watch, "PLAT");
    assert_eq!(b[(wx - 2, wy)].symbol(), "○");

    let s = failed(SMALL);
    let terminal = s.draw();
    let b = terminal.backend().buffer();
    let (x, y) = find(b, a.message, "GET /search/user");
    assert!(b[(x, y)].modifier.contains(Modifier::BOLD));
    let (x, y) = find(b, a.groups, "GET /user/memberof");
    assert!(b[(x, y)].modifier.contains(Modifier::BOLD));
    let (hx, hy) = find(b, a.message, "errors");
    assert!(
        !b[(hx, hy)].modifier.contains(Modifier::BOLD),
        "the hint is not an error"
    );
}

#[test]
fn matched_characters_are_highlighted_even_when_accented() {
    let s = loaded(SMALL);
    let a = s.areas();
    let terminal = s.draw();
    let b = terminal.backend().buffer();
    // "mu" matches the "Mü" of Müller (accents folded) and of Mülheim.
    for name in ["José Müller", "Zoë Mülheim"] {
        let (x, y) = find(b, a.search, name);
        let m = name
            .find('M')
            .map(|byte| name[..byte].chars().count())
            .unwrap() as u16;
        // José's row is selected: there a match keeps the row's colour and is marked by its
        // underline alone; on other rows it is yellow too.
        let selected = name.starts_with("José");
        for dx in [m, m + 1] {
            let cell = &b[(x + dx, y)];
            let what = format!("{name}: {:?} is a match", cell.symbol());
            assert!(
                cell.modifier
                    .contains(Modifier::BOLD | Modifier::UNDERLINED),
                "{what}"
            );
            assert_eq!(cell.fg == Color::Yellow, !selected, "{what}");
        }
        for dx in [0, m + 2] {
            let cell = &b[(x + dx, y)];
            assert!(
                !cell.modifier.contains(Modifier::UNDERLINED),
                "{name}: {:?} is not",
                cell.symbol()
            );
            assert_ne!(cell.fg, Color::Yellow, "{name}: {:?} is not", cell.symbol());
        }
    }
    // The CJK name matched on its public name: nothing of the shown name is highlighted.
    let row = (a.search.y..a.search.bottom())
        .find(|&y| row_text(b, a.search.x, a.search.right(), y).contains("山田"))
        .expect("the CJK name is listed");
    for x in a.search.x + 1..a.search.right() - 1 {
        assert_ne!(b[(x, row)].fg, Color::Yellow);
    }
}

#[test]
fn errors_are_red() {
    let s = failed(SMALL);
    let a = s.areas();
    let terminal = s.draw();
    let b = terminal.backend().buffer();
    // The message line holds the latest error (the search), red, with a dim hint.
    let (x, y) = find(b, a.message, "GET /search/user");
    assert_eq!(b[(x, y)].fg, Color::Red);
    let (hx, hy) = find(b, a.message, "errors");
    assert_ne!(b[(hx, hy)].fg, Color::Red, "the hint is not an error");
    // Inside the panes.
    let (x, y) = find(b, a.search, "server failed");
    assert_eq!(b[(x, y)].fg, Color::Red);
    let (x, y) = find(b, a.groups, "GET /user/memberof");
    assert_eq!(b[(x, y)].fg, Color::Red);
    let (x, y) = find(b, a.watch, "GET /space");
    assert_eq!(b[(x, y)].fg, Color::Red);
    let (x, y) = find(b, a.profile, "GET /user/{id}/property");
    assert_eq!(b[(x, y)].fg, Color::Red);
}

#[test]
fn hidden_by_privacy_is_styled_unlike_a_value() {
    let s = empty(SMALL);
    let a = s.areas();
    let terminal = s.draw();
    let b = terminal.backend().buffer();
    for label in ["email", "time"] {
        let (lx, ly) = find(b, a.profile, label);
        let (x, y) = find(
            b,
            Rect::new(lx, ly, a.profile.right() - lx, 1),
            "hidden by privacy settings",
        );
        assert_eq!(b[(x, y)].fg, Color::Magenta, "{label}");
        assert!(b[(x, y)].modifier.contains(Modifier::ITALIC), "{label}");
    }

    // A visible value is plain text.
    let s = loaded(SMALL);
    let terminal = s.draw();
    let b = terminal.backend().buffer();
    let (x, y) = find(b, a.profile, "jose.muller@acme.example");
    assert_eq!(b[(x, y)].fg, Color::Reset);
    assert!(!b[(x, y)].modifier.contains(Modifier::ITALIC));
    let (x, y) = find(b, a.profile, "Europe/Berlin");
    assert_eq!(b[(x, y)].fg, Color::Reset);
}

#[test]
fn watch_marks_are_coloured_by_status() {
    let s = loaded(SMALL);
    let a = s.areas();
    let terminal = s.draw();
    let b = terminal.backend().buffer();
    // Rows are " <mark> <id> <title>": the mark sits two cells left of the id.
    let (x, y) = find(b, a.watch, "ENG");
    assert_eq!(b[(x - 2, y)].symbol(), "●");
    assert_eq!(b[(x - 2, y)].fg, Color::Green);
    let (x, y) = find(b, a.watch, "PLAT");
    assert_eq!(b[(x - 2, y)].symbol(), "○");
    assert_eq!(b[(x - 2, y)].fg, Color::DarkGray);
}

#[test]
fn the_cursor_sits_at_the_end_of_the_query_while_editing() {
    let s = loaded(SMALL);
    let a = s.areas();
    let mut terminal = s.draw();
    // Border, "> ", then the two typed chars.
    terminal
        .backend_mut()
        .assert_cursor_position((a.search.x + 1 + 2 + 2, a.search.y + 1));
}

/// A profile that could not be loaded must say so in the pane, not show a stale partial one.
#[test]
fn a_failed_profile_says_so_in_the_profile_pane() {
    let s = failed(SMALL);
    let a = s.areas();
    let terminal = s.draw();
    let b = terminal.backend().buffer();
    let inside = Rect::new(a.profile.x + 1, a.profile.y + 1, a.profile.width - 2, 5);
    let text: String = (inside.y..inside.bottom())
        .map(|y| row_text(b, inside.x, inside.right(), y))
        .collect();
    assert!(
        text.contains("503") || text.contains("failed") || text.contains("could not"),
        "{text}"
    );
    assert!(!text.contains("no personal space"), "{text}");
}

#[test]
fn members_list_loading_empty_and_failed() {
    let mut s = loaded(SMALL);
    let a = s.areas();
    s.act(Intent::FocusPane(Focus::Groups)).act(Intent::Open);
    let text = |s: &Session| {
        let terminal = s.draw();
        let b = terminal.backend().buffer();
        (a.groups.y..a.groups.bottom())
            .map(|y| row_text(b, a.groups.x, a.groups.right(), y))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let loading = text(&s);
    assert!(loading.contains("Members · 0"), "{loading}");
    assert!(loading.contains("loading members…"), "{loading}");
    assert!(loading.contains("› confluence-users"), "{loading}");

    s.members(Ok((Vec::new(), 0)));
    let empty = text(&s);
    assert!(empty.contains("No members."), "{empty}");

    // Back, and into another group whose members cannot be listed.
    s.act(Intent::Back).act(Intent::Down).act(Intent::Open);
    s.members(Err(ApiError::Forbidden {
        endpoint: "GET /group/{id}/membersByGroupId".into(),
        message: String::new(),
    }));
    let failed = text(&s);
    assert!(failed.contains("› jira-software-users"), "{failed}");
    let terminal = s.draw();
    let b = terminal.backend().buffer();
    let (x, y) = find(b, a.groups, "GET /group");
    assert_eq!(b[(x, y)].fg, Color::Red, "{failed}");
}

/// A row's status note ("not found", "no access", "saving…") must stay readable in the narrow
/// layout; the title should give way, not the note.
#[test]
fn a_watch_status_note_is_never_clipped() {
    let mut s = Session::start(SMALL, pins());
    s.me(Ok(ada())).spaces(Ok(site_spaces())).statuses(|t| {
        if t.id() == "98765" {
            Err(ApiError::NotFound {
                endpoint: "GET /user/watch/content/{id}".into(),
                message: String::new(),
            })
        } else {
            Ok(false)
        }
    });
    let a = s.areas();
    let terminal = s.draw();
    let b = terminal.backend().buffer();
    // At 80 columns the id gives way (cut with "…"), never the status note.
    let (_, y) = find(b, a.watch, "page 987");
    let row = row_text(b, a.watch.x + 1, a.watch.right() - 1, y);
    assert!(row.trim_end().ends_with("not found"), "{row:?}");
    assert!(row.contains('…'), "{row:?}");
}

#[test]
fn the_error_log_highlights_the_newest_entry_and_keeps_the_rest_red() {
    let mut s = failed(LARGE);
    s.act(Intent::ToggleErrorLog);
    let a = s.areas();
    let terminal = s.draw();
    let b = terminal.backend().buffer();
    let whole = Rect::new(0, 0, s.size.0, s.size.1);
    let (x, y) = find(b, whole, "GET /search/user: Confluence rejected");
    assert!(bright(&b[(x, y)]), "the newest error is selected");
    let (x, y) = find(b, whole, "GET /space: rate limited");
    assert_eq!(b[(x, y)].fg, Color::Red);
    assert_eq!(b[(x, y)].bg, Color::Reset);
    let (tx, ty) = (x - "12:00:00 ".len() as u16, y);
    assert_eq!(row_text(b, tx, x, ty), "12:00:00 ");
    assert_eq!(b[(tx, ty)].fg, Color::DarkGray, "times are dim");
    // The overlay covers the panes' middle, not the footer.
    assert_eq!(a.footer.y, s.size.1 - 1);
    assert!(row_text(b, 0, s.size.0, a.footer.y).contains("? help"));
}

#[test]
fn an_email_the_site_will_not_reveal_says_why() {
    // Privacy hides the address and the site does not offer the email API (501).
    let mut s = Session::start(LARGE, Vec::new());
    s.me(Ok(ada()))
        .type_text("pri")
        .search(Ok(vec![priya()]))
        .profile(Ok(priya()))
        .email(Err(ApiError::NotImplemented {
            endpoint: "GET /user/email".into(),
            message: "The email API is not enabled for this site".into(),
        }));
    let a = s.areas();
    let terminal = s.draw();
    let b = terminal.backend().buffer();
    let (x, y) = find(b, a.profile, "hidden by privacy settings");
    assert_eq!(b[(x, y)].fg, Color::Magenta);
    let (nx, ny) = find(b, a.profile, "email API not available on this site");
    assert_eq!(ny, y, "said on the email line");
    assert_eq!(b[(nx, ny)].fg, Color::DarkGray);
    assert!(row_text(b, nx, a.profile.right() - 1, ny).contains("(The email API is not enabled"));
    // Not an error the user must dismiss: the message line stays empty.
    assert_eq!(row_text(b, 0, s.size.0, a.message.y).trim(), "");

    // An app account's profile does not carry the field at all: said differently.
    let mut s = Session::start(LARGE, Vec::new());
    s.me(Ok(ada()))
        .type_text("automation")
        .search(Ok(vec![bot()]))
        .profile(Ok(bot()))
        // The email API has no address on record for it either.
        .email(Ok(String::new()));
    let terminal = s.draw();
    let b = terminal.backend().buffer();
    let (x, y) = find(b, a.profile, "not sent by the server");
    assert_eq!(b[(x, y)].fg, Color::Magenta);
    assert!(row_text(b, a.profile.x, a.profile.right(), a.profile.y + 1).contains("app account"));
}

/// When the spaces cannot be listed, the watch list must say so even if pinned rows fill it.
#[test]
fn a_failed_spaces_load_is_said_in_the_watch_pane_even_with_pins() {
    let mut s = Session::start(SMALL, pins());
    s.me(Ok(ada())).spaces(Err(ApiError::Network {
        endpoint: "GET /space".into(),
        detail: "connection reset by peer".into(),
    }));
    // Dismissed from the message line, the failure must still be visible where the spaces are.
    s.act(Intent::DismissError);
    let a = s.areas();
    let terminal = s.draw();
    let b = terminal.backend().buffer();
    let pane = (a.watch.y..a.watch.bottom())
        .map(|y| row_text(b, a.watch.x, a.watch.right(), y))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(pane.contains("release-notes"), "{pane}");
    assert!(pane.contains("GET /space"), "{pane}");
}

/// At 80 columns the footer drops other hints before `? help` and `q quit`, so something on
/// screen always leads to help, in every pane and in a text box (`F1 help`).
#[test]
fn the_footer_always_leads_to_help_and_out() {
    let mut s = loaded(SMALL);
    let a = s.areas();
    for pane in [
        Focus::Search,
        Focus::Profile,
        Focus::Groups,
        Focus::Watchlist,
    ] {
        s.act(Intent::FocusPane(pane));
        let terminal = s.draw();
        let footer = row_text(terminal.backend().buffer(), 0, SMALL.0, a.footer.y);
        // The Search pane types every printable key: its help and quit are F1 and Ctrl-C.
        let (help, quit) = if pane == Focus::Search {
            ("F1 help", "C-c quit")
        } else {
            ("? help", "q quit")
        };
        assert!(footer.contains(help), "{pane:?}: {footer}");
        assert!(footer.contains(quit), "{pane:?}: {footer}");
    }
    s.act(Intent::StartSearch);
    let terminal = s.draw();
    let footer = row_text(terminal.backend().buffer(), 0, SMALL.0, a.footer.y);
    assert!(footer.contains("F1 help"), "{footer}");
    assert!(footer.contains("C-c quit"), "{footer}");
    assert!(footer.contains("Esc clear the query"), "{footer}");
    assert!(footer.contains("Tab next pane"), "{footer}");
}

/// At 80x24 help does not fit: it says which rows it shows, and PgDn reaches the last keys
/// (`q quit` was cut off and unreachable before).
#[test]
fn help_at_80x24_scrolls_to_its_last_key() {
    let mut s = loaded(SMALL);
    s.act(Intent::FocusPane(Focus::Watchlist));
    s.act(Intent::ToggleHelp);
    let terminal = s.draw();
    let text = screen_text(terminal.backend().buffer());
    assert!(text.contains("of "), "{text}");
    assert!(!text.contains("delete the word before"), "{text}");
    for _ in 0..10 {
        s.act(Intent::PageDown);
    }
    let terminal = s.draw();
    let text = screen_text(terminal.backend().buffer());
    assert!(text.contains("put back what was deleted"), "{text}");
    let rows = confdir::app::keymap::help_rows(Focus::Watchlist, "").len();
    assert!(text.contains(&format!("of {rows}")), "{text}");
}

/// A wide (CJK) name takes two cells a character: the `guest` tag after it stays whole and in
/// its column (padding by characters cut it to `gu`).
#[test]
fn a_tag_after_a_wide_name_stays_whole() {
    let mut s = loaded(SMALL);
    s.act(Intent::FocusPane(Focus::Groups))
        .act(Intent::Down)
        .act(Intent::Down)
        .act(Intent::Open)
        .members(Ok((
            vec![
                zoe(),
                User {
                    is_guest: Some(true),
                    ..yamada()
                },
            ],
            2,
        )));
    let a = s.areas();
    let terminal = s.draw();
    let b = terminal.backend().buffer();
    let rows: Vec<String> = (a.groups.y..a.groups.bottom())
        .map(|y| row_text(b, a.groups.x, a.groups.right(), y))
        .filter(|row| row.contains("guest"))
        .collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    let ends: Vec<usize> = rows
        .iter()
        .map(|row| {
            let cut = row.trim_end_matches(['┃', '│']).trim_end();
            assert!(cut.ends_with(" guest"), "{row:?}");
            confdir::sanitize::width(cut)
        })
        .collect();
    assert_eq!(
        ends[0], ends[1],
        "both tags end in the same column: {rows:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Filters, orders and the command line

/// The groups pane's title names the members' order and the filter, and says the filter covers
/// only the members loaded (6 of 57).
#[test]
fn a_filtered_sorted_members_list_says_so_in_its_title() {
    for size in [SMALL, LARGE] {
        let mut s = members(size);
        s.act(Intent::CycleSort).act(Intent::Filter).type_text("a");
        let terminal = s.draw();
        let a = ui::layout(Rect::new(0, 0, size.0, size.1));
        let buffer = terminal.backend().buffer();
        let rows = confdir::app::lists::group_rows(&s.state).len();
        // The filter takes the path line, with the cursor after it while typing.
        let path = row_text(buffer, a.groups.x, a.groups.right(), a.groups.y + 1);
        assert!(
            path.contains(&format!("/a  {rows} of 6 loaded")),
            "{size:?}: {path}"
        );
        if size == LARGE {
            let title = row_text(buffer, a.groups.x, a.groups.right(), a.groups.y);
            assert!(title.contains("by name"), "{title}");
            assert!(title.contains(&format!("/a {rows} of 6 loaded")), "{title}");
        }
        // The first row shown is the first name in order that matches.
        let first = row_text(buffer, a.groups.x, a.groups.right(), a.groups.y + 2);
        assert!(first.contains("Ada Lovelace"), "{first}");
    }
}

/// The watch list's title shows its filter and how many rows match.
#[test]
fn the_watch_lists_title_shows_its_filter() {
    let mut s = loaded(LARGE);
    s.act(Intent::FocusPane(Focus::Watchlist))
        .act(Intent::Filter)
        .type_text("eng");
    let terminal = s.draw();
    let a = ui::layout(Rect::new(0, 0, LARGE.0, LARGE.1));
    let title = row_text(
        terminal.backend().buffer(),
        a.watch.x,
        a.watch.right(),
        a.watch.y,
    );
    assert!(title.contains("/eng 1"), "{title}");
}

/// A personal space shows its owner by name, not its `~accountid` key.
#[test]
fn a_personal_space_shows_its_owners_name() {
    let mut s = loaded(LARGE);
    s.state.watch.spaces.push(Space {
        key: format!("~{JOSE}"),
        name: "José's space".into(),
        kind: Some("personal".into()),
        ..Space::default()
    });
    s.state.rebuild_watch_rows();
    s.act(Intent::FocusPane(Focus::Watchlist))
        .act(Intent::Bottom);
    let terminal = s.draw();
    let a = ui::layout(Rect::new(0, 0, LARGE.0, LARGE.1));
    let text = (a.watch.y..a.watch.bottom())
        .map(|y| row_text(terminal.backend().buffer(), a.watch.x, a.watch.right(), y))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(!text.contains(&format!("~{}", &JOSE[..8])), "{text}");
    let name = s.state.directory.user(JOSE).unwrap().name().to_string();
    let shown: String = name.chars().take(12).collect();
    assert!(text.contains(&format!("~{shown}")), "{text}");
}

/// The `:` line shows what is typed and what Tab would complete it to.
#[test]
fn the_command_line_shows_its_completions() {
    let mut s = loaded(SMALL);
    s.act(Intent::FocusPane(Focus::Groups))
        .act(Intent::StartCommand)
        .type_text("space ");
    let terminal = s.draw();
    let a = ui::layout(Rect::new(0, 0, SMALL.0, SMALL.1));
    let line = row_text(terminal.backend().buffer(), 0, SMALL.0, a.message.y);
    assert!(line.starts_with(":space "), "{line}");
    assert!(line.contains("Tab: DOCS · ENG"), "{line}");
}

/// The text of `area`, one line per row.
fn area_text(buffer: &Buffer, area: Rect) -> String {
    (area.y..area.bottom())
        .map(|y| row_text(buffer, area.x, area.right(), y))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Defect 8: a failed search said "Nobody matches.". It says the site's search failed and why,
/// still lists who is known here, and "Nobody matches." is kept for a site that answered with
/// nobody.
#[test]
fn a_failed_search_says_so_and_keeps_what_is_known_here() {
    let refused = || ApiError::BadRequest {
        endpoint: "GET /search/user".into(),
        message: "Could not parse cql".into(),
    };
    // Nobody known here matches, and the site did not answer.
    let mut s = Session::start(SMALL, Vec::new());
    s.me(Ok(ada())).type_text("zq").search(Err(refused()));
    let terminal = s.draw();
    let pane = area_text(terminal.backend().buffer(), s.areas().search);
    assert!(pane.contains("search failed"), "{pane}");
    assert!(pane.contains("Could not"), "{pane}");
    assert!(pane.contains("Nobody known here matches"), "{pane}");
    assert!(!pane.contains("Nobody matches."), "{pane}");

    // Someone known here matches: listed, and the count line says the site's part failed.
    let mut s = Session::start(SMALL, Vec::new());
    s.me(Ok(ada())).type_text("ada").search(Err(refused()));
    let terminal = s.draw();
    let pane = area_text(terminal.backend().buffer(), s.areas().search);
    assert!(pane.contains("Ada Lovelace"), "{pane}");
    assert!(pane.contains("server failed"), "{pane}");

    // The site answered with nobody.
    let mut s = Session::start(SMALL, Vec::new());
    s.me(Ok(ada())).type_text("zq").search(Ok(Vec::new()));
    let terminal = s.draw();
    let pane = area_text(terminal.backend().buffer(), s.areas().search);
    assert!(pane.contains("Nobody matches."), "{pane}");
}

/// When the search lists nobody, the profile still showing an earlier person says it is the last
/// one opened, not a match.
#[test]
fn a_profile_left_from_an_earlier_search_says_it_is_the_last_opened() {
    let mut s = loaded(SMALL);
    let a = s.areas();
    let terminal = s.draw();
    let title = row_text(
        terminal.backend().buffer(),
        a.profile.x,
        a.profile.right(),
        a.profile.y,
    );
    assert!(!title.contains("last opened"), "{title}");
    s.type_text("zzq").search(Ok(Vec::new()));
    let terminal = s.draw();
    let b = terminal.backend().buffer();
    let title = row_text(b, a.profile.x, a.profile.right(), a.profile.y);
    assert!(title.contains("last opened"), "{title}");
    let profile = area_text(b, a.profile);
    assert!(
        profile.contains("account "),
        "the person is still shown: {profile}"
    );
}

// ---------------------------------------------------------------------------------------------
// People of the same name, near misses

/// Two people called "Alex Kim" (one a guest), and two called "Sam Lee" whose privacy settings
/// hide the address and whose public name is their display name.
fn namesakes() -> Vec<User> {
    vec![
        person(
            "5d3f8a2b9c1e4f0012ab0001",
            "Alex Kim",
            "Alex Kim",
            Some("alex.kim@acme.example"),
            None,
        ),
        User {
            is_guest: Some(true),
            ..person(
                "5d3f8a2b9c1e4f0012ab0002",
                "Alex Kim",
                "Alex K.",
                Some("akim@partner.example"),
                None,
            )
        },
        person(
            "712020:aaaa-1111-77f3c1",
            "Sam Lee",
            "Sam Lee",
            Some(""),
            None,
        ),
        person("712020:bbbb-2222-9a0e42", "Sam Lee", "Sam Lee", None, None),
        person(
            "712020:cccc-3333-5e61d0",
            "Sam Leeds",
            "Sam Leeds",
            None,
            None,
        ),
    ]
}

/// The text of each row of the search list that contains `needle`.
fn search_rows(s: &Session, needle: &str) -> Vec<String> {
    let a = s.areas();
    let terminal = s.draw();
    let b = terminal.backend().buffer();
    (a.search.y..a.search.bottom())
        .map(|y| row_text(b, a.search.x + 1, a.search.right() - 1, y))
        .filter(|row| row.contains(needle))
        .map(|row| row.trim_end().to_string())
        .collect()
}

#[test]
fn people_of_the_same_name_are_told_apart() {
    let mut s = Session::start(SMALL, Vec::new());
    s.me(Ok(ada()))
        .type_text("alex kim")
        .search(Ok(namesakes()));
    let rows = search_rows(&s, "Alex Kim");
    assert_eq!(rows.len(), 2, "{rows:#?}");
    assert!(rows[0].starts_with(" Alex Kim alex.kim@acme"), "{rows:#?}");
    assert!(rows[1].starts_with(" Alex Kim akim@part"), "{rows:#?}");
    assert!(rows[1].ends_with("guest"), "{rows:#?}");

    // No address, no other public name: the account id's tail. A name seen once has none.
    let mut s = Session::start(SMALL, Vec::new());
    s.me(Ok(ada())).type_text("sam lee").search(Ok(namesakes()));
    let rows = search_rows(&s, "Sam Lee");
    assert_eq!(rows.len(), 3, "{rows:#?}");
    assert!(
        rows.iter().any(|r| r.ends_with("Sam Lee …77f3c1")),
        "{rows:#?}"
    );
    assert!(
        rows.iter().any(|r| r.ends_with("Sam Lee …9a0e42")),
        "{rows:#?}"
    );
    assert!(rows.iter().any(|r| r.ends_with("Sam Leeds")), "{rows:#?}");
}

#[test]
fn a_typo_still_finds_the_person() {
    let mut s = Session::start(SMALL, Vec::new());
    s.me(Ok(ada())).type_text("lovelcae");
    let rows = search_rows(&s, "Lovelace");
    assert_eq!(rows.len(), 1, "{rows:#?}");
    assert!(search_rows(&s, "Nobody matches").is_empty());
}

/// Answers the newest property fetch with `value`.
fn property(s: &mut Session, key: &str, value: serde_json::Value) {
    let (id, ()) = s.request("FetchProperty", |c| match c {
        Command::FetchProperty { id, .. } => Some((*id, ())),
        _ => None,
    });
    s.act(Loaded::Property {
        id,
        result: Ok(confdir::api::model::UserProperty {
            key: key.into(),
            value,
            ..Default::default()
        }),
    });
}

/// An opened property's value is drawn once, in its window, whose title names it whole (it was
/// drawn in the pane too, pieces of that copy showing around the window).
#[test]
fn an_opened_property_is_drawn_once_with_its_title_whole() {
    let key = "team-and-reporting-line-for-the-directory";
    let mut s = Session::start(SMALL, Vec::new());
    s.me(Ok(ada()))
        .type_text("mu")
        .search(Ok(vec![jose()]))
        .profile(Ok(jose_profile()))
        .props(Ok(vec!["pronouns", key]));
    s.act(Intent::FocusPane(Focus::Profile))
        .act(Intent::Down)
        .act(Intent::Open);
    property(
        &mut s,
        key,
        serde_json::json!({"team": "Platform", "manager": "Ada"}),
    );
    let terminal = s.draw();
    let text = screen_text(terminal.backend().buffer());
    assert_eq!(text.matches("\"Platform\"").count(), 1, "{text}");
    assert_eq!(text.matches("\"manager\"").count(), 1, "{text}");
    assert!(
        text.contains(&format!(" property {key} · Esc closes ")),
        "{text}"
    );
}

/// `count` people, all named differently.
fn crowd(count: usize) -> Vec<User> {
    (0..count)
        .map(|i| {
            person(
                &format!("5f00000000000000000{i:05}"),
                &format!("Person {i:05}"),
                &format!("p{i}"),
                None,
                Some("Europe/Paris"),
            )
        })
        .collect()
}

/// At 80 columns a title that does not fit loses whole parts, said with `…`: never half a
/// number (`3 Members · 100 of 1,50`). Where the selection is shows on the bottom border.
#[test]
fn a_title_too_long_drops_whole_parts_and_the_position_shows() {
    let mut s = loaded(SMALL);
    s.act(Intent::FocusPane(Focus::Groups))
        .act(Intent::Down)
        .act(Intent::Down)
        .act(Intent::Open)
        .members(Ok((crowd(100), 1500)));
    s.act(Intent::Down).act(Intent::Down);
    let a = s.areas();
    let terminal = s.draw();
    let b = terminal.backend().buffer();
    let top = row_text(b, a.groups.x, a.groups.right(), a.groups.y);
    assert!(top.contains("Members …"), "{top}");
    assert!(!top.contains("1,50"), "no number is cut: {top}");
    let bottom = row_text(b, a.groups.x, a.groups.right(), a.groups.bottom() - 1);
    assert!(bottom.contains(" 3/1,500 "), "{bottom}");
    // Where it fits, the whole title is kept.
    let mut s = members(LARGE);
    s.act(Intent::Down);
    let a = s.areas();
    let terminal = s.draw();
    let b = terminal.backend().buffer();
    let top = row_text(b, a.groups.x, a.groups.right(), a.groups.y);
    assert!(top.contains("Members · 6 of 57"), "{top}");
    let bottom = row_text(b, a.groups.x, a.groups.right(), a.groups.bottom() - 1);
    assert!(bottom.contains(" 2/57 "), "{bottom}");
}

/// The title bar's right end, where the connection's state is.
fn title_bar(s: &Session) -> String {
    let terminal = s.draw();
    row_text(terminal.backend().buffer(), 0, s.size.0, 0)
}

/// The header says the site is offline, and since when, while requests get no answer (it said
/// `live`); an answer makes it live again.
#[test]
fn the_header_says_offline_since_when_the_site_cannot_be_reached() {
    let mut s = Session::start(SMALL, Vec::new());
    s.me(Ok(ada()))
        .spaces(Ok(site_spaces()))
        .statuses(you_watch);
    // Your profile is the `/user/current` answer: only its properties and groups are asked for.
    s.props(Ok(Vec::new())).groups(Ok(Vec::new()));
    assert!(
        title_bar(&s).trim_end().ends_with("live"),
        "{}",
        title_bar(&s)
    );
    s.state.now = now() + chrono::Duration::minutes(5);
    s.type_text("zz").search(Err(ApiError::Network {
        endpoint: "GET /search/user".into(),
        detail: "connection refused".into(),
    }));
    let title = title_bar(&s);
    assert!(title.contains("offline since 12:05 UTC"), "{title}");
    assert!(!title.contains("live"), "{title}");
    // The client retries: said beside it.
    s.act(Runtime::Waits(vec![confdir::app::request::WaitView {
        endpoint: "GET /search/user".into(),
        kind: confdir::api::WaitKind::Retry,
        since: s.state.now,
        until: s.state.now + chrono::Duration::milliseconds(1500),
        detail: "could not connect".into(),
    }]));
    let title = title_bar(&s);
    assert!(title.contains("retrying in 2 s"), "{title}");
    assert!(
        title.contains("offline since 12:05 UTC · retrying"),
        "{title}"
    );
    s.act(Runtime::Waits(Vec::new()));
    s.type_text("a").search(Ok(vec![jose()]));
    s.profile(Ok(jose_profile()))
        .props(Ok(Vec::new()))
        .groups(Ok(Vec::new()));
    let title = title_bar(&s);
    assert!(title.trim_end().ends_with("live"), "{title}");
    assert!(!title.contains("offline"), "{title}");
}

/// A token revoked while confdir runs: the header says the site refuses it, and how to sign in
/// again, instead of `live`.
#[test]
fn the_header_says_when_the_site_refuses_the_token() {
    let mut s = Session::start(SMALL, Vec::new());
    s.me(Ok(ada()))
        .spaces(Ok(site_spaces()))
        .statuses(you_watch);
    s.props(Ok(Vec::new())).groups(Ok(Vec::new()));
    s.state.now = now() + chrono::Duration::minutes(5);
    s.type_text("zz").search(Err(ApiError::Unauthorized {
        endpoint: "GET /search/user".into(),
        message: String::new(),
    }));
    let title = title_bar(&s);
    assert!(title.contains("token refused · confdir login"), "{title}");
    assert!(!title.contains("live"), "{title}");
}

/// The error log's selected entry wraps between words and by display width: every word stays
/// whole on one line, and a line of wide characters stays inside the box.
#[test]
fn the_error_log_wraps_by_words_and_display_width() {
    let message = "Could not open a browser for the profile of 陈浩然陈浩然陈浩然 because the \
                   system's link opener failed with exit status 2; open the address yourself: \
                   https://acme.atlassian.net/wiki/people/5d3f8a2b9c1e4f0012ab34cd";
    let mut s = Session::start(SMALL, Vec::new());
    s.me(Ok(ada()));
    s.act(Done::EffectFailed {
        message: message.into(),
    })
    .act(Intent::ToggleErrorLog);
    let terminal = s.draw();
    let b = terminal.backend().buffer();
    let rows: Vec<String> = (0..s.size.1).map(|y| row_text(b, 0, s.size.0, y)).collect();
    let text = rows.join("\n");
    // Han text may break between any two characters; every other word stays whole.
    for word in message.split(' ').filter(|w| w.is_ascii() && w.len() < 40) {
        assert!(
            rows.iter().any(|r| r.contains(word)),
            "{word:?} is cut:\n{text}"
        );
    }
    // The box's right border is in the same column on every row of the entry.
    let first = rows.iter().position(|r| r.contains("Could not")).unwrap();
    let border = confdir::sanitize::width(rows[first].trim_end().trim_end_matches('│'));
    for row in rows.iter().skip(first).take(3) {
        assert_eq!(
            confdir::sanitize::width(row.trim_end().trim_end_matches('│')),
            border,
            "{text}"
        );
    }
}

/// `G` on a members list goes to the true end: it asks for each remaining page in turn, says
/// so while it walks, and lands on the last member once the last page is in.
#[test]
fn g_walks_the_members_to_the_true_end() {
    let mut s = loaded(SMALL);
    s.act(Intent::FocusPane(Focus::Groups))
        .act(Intent::Down)
        .act(Intent::Down)
        .act(Intent::Open);
    let all = crowd(250);
    s.members(Ok((all[..100].to_vec(), 250)));
    s.act(Intent::Bottom);
    let a = s.areas();
    let bottom = |s: &Session| {
        let terminal = s.draw();
        row_text(
            terminal.backend().buffer(),
            a.groups.x,
            a.groups.right(),
            a.groups.bottom() - 1,
        )
    };
    assert!(
        bottom(&s).contains("to the end · 100/250"),
        "{}",
        bottom(&s)
    );
    // Each page that arrives asks for the next; the selection follows the last row.
    s.members(Ok((all[100..200].to_vec(), 250)));
    assert!(
        bottom(&s).contains("to the end · 200/250"),
        "{}",
        bottom(&s)
    );
    s.members(Ok((all[200..].to_vec(), 250)));
    let text = bottom(&s);
    assert!(text.contains(" 250/250 "), "{text}");
    assert!(!text.contains("to the end"), "{text}");
    let terminal = s.draw();
    let screen = screen_text(terminal.backend().buffer());
    assert!(screen.contains("Person 00249"), "{screen}");
    // No request is left unanswered: the walk stopped at the last page.
    assert!(
        !s.sent
            .iter()
            .any(|c| matches!(c, Command::FetchMembers { start, .. } if *start >= 250)),
        "{:#?}",
        s.sent
    );
}

/// At 200×60 the profile uses its width: short property values sit beside their keys, fetched
/// one at a time for the keys on screen; a nested or long value is left to Enter.
#[test]
fn a_wide_profile_shows_short_property_values_inline() {
    let size = (200, 60);
    let mut s = Session::start(size, Vec::new());
    s.me(Ok(ada()))
        .type_text("mu")
        .search(Ok(vec![jose()]))
        .profile(Ok(jose_profile()))
        .props(Ok(vec!["pronouns", "team", "working-hours"]));
    let values = |key: &str| match key {
        "pronouns" => serde_json::json!({"value": "he/him"}),
        "team" => serde_json::json!({"name": "Platform", "role": "Staff engineer"}),
        _ => serde_json::json!({"start": "09:30", "days": ["mon", "tue"]}),
    };
    let mut asked = Vec::new();
    // Each answer asks for the next key's value; three keys, three requests.
    for _ in 0..3 {
        let (id, key) = s.request("FetchProperty", |c| match c {
            Command::FetchProperty { id, key, .. } => Some((*id, key.clone())),
            _ => None,
        });
        asked.push(key.clone());
        s.act(Loaded::Property {
            id,
            result: Ok(confdir::api::model::UserProperty {
                value: values(&key),
                key,
                ..Default::default()
            }),
        });
    }
    assert_eq!(asked, ["pronouns", "team", "working-hours"]);
    let fetched = s
        .sent
        .iter()
        .filter(|c| matches!(c, Command::FetchProperty { .. }))
        .count();
    assert_eq!(fetched, 3, "no value is fetched twice");
    let a = s.areas();
    let terminal = s.draw();
    let b = terminal.backend().buffer();
    let (_, y) = find(b, a.profile, "pronouns");
    let row = row_text(b, a.profile.x, a.profile.right(), y);
    assert!(row.contains("pronouns       he/him"), "{row}");
    let (_, y) = find(b, a.profile, "team ");
    let row = row_text(b, a.profile.x, a.profile.right(), y);
    assert!(row.contains("Platform · Staff engineer"), "{row}");
    let (_, y) = find(b, a.profile, "working-hours");
    let row = row_text(b, a.profile.x, a.profile.right(), y);
    assert!(!row.contains("09:30"), "{row}");
    insta::assert_snapshot!(sized("wide_profile", size), terminal.backend());

    // At 160 columns the pane is too narrow: no value is fetched beside the keys.
    let mut s = Session::start(LARGE, Vec::new());
    s.me(Ok(ada()))
        .type_text("mu")
        .search(Ok(vec![jose()]))
        .profile(Ok(jose_profile()))
        .props(Ok(vec!["pronouns"]));
    assert!(!s
        .sent
        .iter()
        .any(|c| matches!(c, Command::FetchProperty { .. })));
}

/// `G` on server search results goes to the true end the same way: page after page, then the
/// last person.
#[test]
fn g_walks_the_search_results_to_the_true_end() {
    let mut s = Session::start(SMALL, Vec::new());
    s.me(Ok(ada()));
    s.type_text("person");
    let all = crowd(120);
    let answer = |s: &mut Session, from: usize, to: usize| {
        let (id, (query, start)) = s.request("SearchUsers", |c| match c {
            Command::SearchUsers {
                id, query, start, ..
            } => Some((*id, (query.clone(), *start))),
            _ => None,
        });
        assert_eq!(start as usize, from);
        let hits = all[from..to]
            .iter()
            .map(|user| SearchResult {
                title: user.name().to_string(),
                entity_type: "user".into(),
                user: Some(user.clone()),
                ..SearchResult::default()
            })
            .collect();
        s.act(Loaded::Search {
            id,
            query,
            start,
            result: Ok(page(hits, Some(120), to < 120)),
        });
    };
    answer(&mut s, 0, 50);
    s.act(Intent::Bottom);
    answer(&mut s, 50, 100);
    answer(&mut s, 100, 120);
    let a = s.areas();
    let terminal = s.draw();
    let b = terminal.backend().buffer();
    let bottom = row_text(b, a.search.x, a.search.right(), a.search.bottom() - 1);
    assert!(bottom.contains(" 120/120 "), "{bottom}");
    let screen = screen_text(b);
    assert!(screen.contains("Person 00119"), "{screen}");
}

// ---------------------------------------------------------------------------------------------
// The comparison view (`m` on one person, `c` on another)

impl Session {
    /// Answers the newest unanswered comparison request for `side`.
    fn compare_groups(
        &mut self,
        side: confdir::app::compare::Side,
        result: Result<Vec<Group>, ApiError>,
    ) -> &mut Self {
        let (id, account_id) = self.request("FetchCompareGroups", |c| match c {
            Command::FetchCompareGroups {
                id,
                side: s,
                account_id,
            } if *s == side => Some((*id, account_id.clone())),
            _ => None,
        });
        self.act(Loaded::CompareGroups {
            id,
            side,
            account_id,
            result,
        })
    }
}

/// Zoë's groups: two of José's, and her own.
fn zoe_groups() -> Vec<Group> {
    let jose = jose_groups();
    vec![
        group("g-partners", "partner-acme-integrations"),
        jose[0].clone(),
        group("g-guests", "Confluence-guests"),
        jose[6].clone(),
    ]
}

/// José marked from his profile, Zoë opened from one of his groups' members, then `c`: both
/// sides were already fetched, so the three sections show at once.
fn compare(size: (u16, u16)) -> Session {
    let mut s = loaded(size);
    s.act(Intent::FocusPane(Focus::Profile))
        .act(Intent::Mark)
        .act(Intent::FocusPane(Focus::Groups))
        .act(Intent::Down)
        .act(Intent::Down)
        .act(Intent::Open)
        .members(Ok((
            vec![ada(), jose(), zoe(), bot(), yamada(), priya()],
            57,
        )))
        .act(Intent::Down)
        .act(Intent::Down)
        .act(Intent::Open)
        .profile(Ok(zoe_profile()))
        .props(Ok(vec!["pronouns"]))
        .groups(Ok(zoe_groups()))
        .act(Intent::Compare);
    s
}

#[test]
fn comparison_of_two_people_in_three_sections() {
    for size in [SMALL, LARGE] {
        let s = compare(size);
        snapshot!("compare", &s);
        let text = screen_text(s.draw().backend().buffer());
        assert!(text.contains("marked: José"), "{text}");
    }
}

/// At 80 columns with a person marked and a sync under way, the title bar's right side (the
/// sync's progress) is whole and the left (who is marked) is cut at its edge, not written over.
#[test]
fn the_title_bar_keeps_the_sync_whole_beside_a_mark_at_80_columns() {
    let mut s = compare(SMALL);
    s.state.sync = Some(confdir::app::sync::SyncView {
        id: confdir::app::RequestId(900),
        started: s.state.now,
        progress: confdir::directory_sync::Progress {
            people: 61_200,
            estimate: Some(150_000),
            ..Default::default()
        },
    });
    let title = title_bar(&s);
    assert!(title.contains("sync 61,200 / ~150,000  "), "{title}");
    assert!(
        title.contains(" · marked: José Müller-Lüdenscheidt "),
        "{title}"
    );
}

#[test]
fn comparison_while_one_side_loads_and_the_other_failed() {
    use confdir::app::compare::Side;
    // `r` on the comparison asks both sides again: the first fails, the second is on its way.
    let mut s = compare(LARGE);
    s.act(Intent::Refresh).compare_groups(
        Side::First,
        Err(ApiError::Forbidden {
            endpoint: "GET /user/memberof".into(),
            message: "not allowed".into(),
        }),
    );
    snapshot!("compare_failed_loading", &s);
    let text = screen_text(s.draw().backend().buffer());
    assert!(
        text.contains("José Müller-Lüdenscheidt's groups: GET /user/memberof"),
        "{text}"
    );
    assert!(text.contains("loading Zoë"), "{text}");
}

/// `X` in José's groups: the prompt over the message line (count, format, path, keys) and a
/// footer of the prompt's own keys, not the panes' (Tab switches the format there); then the
/// question about an existing file.
#[test]
fn the_export_prompt_shows_its_count_format_path_and_keys() {
    let mut s = loaded((120, 40));
    s.act(Intent::FocusPane(Focus::Groups)).act(Intent::Export);
    let screen = screen_text(s.draw().backend().buffer());
    let lines: Vec<&str> = screen.lines().collect();
    let n = lines.len();
    assert!(
        lines[n - 2].starts_with(&format!(
            "Export {} groups as CSV to: ./confdir-groups-jose-muller-ludenscheidt.csv  Tab: JSON  Enter: write  Esc: cancel",
            jose_groups().len()
        )),
        "{screen}"
    );
    assert_eq!(
        lines[n - 1].trim_end(),
        " Enter write  Tab CSV or JSON  Esc cancel  C-c quit"
    );
    let sent = std::mem::take(&mut s.sent);
    s.act(Intent::Submit);
    let path = s
        .sent
        .iter()
        .find_map(|c| match c {
            Command::WriteExport { path, .. } => Some(path.clone()),
            _ => None,
        })
        .unwrap();
    s.sent = sent;
    s.act(Done::Exported {
        path,
        result: Err(confdir::app::export::ExportFailure::Exists),
    });
    let screen = screen_text(s.draw().backend().buffer());
    let lines: Vec<&str> = screen.lines().collect();
    assert!(
        lines[n - 2].starts_with(
            "./confdir-groups-jose-muller-ludenscheidt.csv exists: overwrite it? Enter/y overwrites, any other key edits the path"
        ),
        "{screen}"
    );
    assert_eq!(
        lines[n - 1].trim_end(),
        " Enter/y overwrite  n/Esc edit the path"
    );
}

/// `W` on a member list: each member's status of the watch list's highlighted row in a column,
/// and the count in the title.
#[test]
fn members_show_their_watch_of_the_chosen_target_and_the_count() {
    let mut s = members(LARGE);
    let a = s.areas();
    s.act(Intent::GroupWatch);
    let (id, ()) = s.request("FetchAllMembers", |c| match c {
        Command::FetchAllMembers { id, .. } => Some((*id, ())),
        _ => None,
    });
    s.answered.insert(id);
    s.act(Done::AllMembers {
        id,
        result: Ok(vec![ada(), jose(), zoe()]),
    });
    let text = |s: &Session| {
        let terminal = s.draw();
        let b = terminal.backend().buffer();
        (a.groups.y..a.groups.bottom())
            .map(|y| row_text(b, a.groups.x, a.groups.right(), y))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let reading = text(&s);
    assert!(reading.contains("0/3 read…"), "{reading}");
    s.statuses(|_| Ok(true));
    let done = text(&s);
    assert!(done.contains("3/3 ● label:release-n…"), "{done}");
    assert_eq!(done.matches("┃ ● ").count(), 3, "{done}");
}

#[test]
fn a_letter_shows_its_first_rows_and_counting_then_the_count_when_idle() {
    let mut s = Session::start((80, 24), Vec::new());
    // Enough people that the first rows are found long before the last person is looked at.
    for person in confdir::demo::seed::SeededDirectory::generate(5_000, 7).users {
        s.state.directory.upsert(person.to_user());
    }
    s.act(Intent::FocusPane(Focus::Search));
    s.type_text("m");
    let count_row = |s: &Session| {
        let terminal = s.draw();
        let text = screen_text(terminal.backend().buffer());
        let line = text.lines().find(|l| l.contains(" · server")).unwrap_or("");
        line.to_string()
    };
    let first = count_row(&s);
    assert!(first.contains("counting · server"), "{first}");
    assert!(s.state.idle_work());
    // The rows already shown are the full ranking's first rows.
    let shown: Vec<usize> = s.state.search.rows[..5].to_vec();
    s.act(Runtime::Idle);
    assert!(!s.state.idle_work());
    let counted = count_row(&s);
    let matches = s.state.directory.rank("m", None).len();
    let count = match matches {
        0..1000 => format!("{matches} · server"),
        _ => format!("{},{:03} · server", matches / 1000, matches % 1000),
    };
    assert!(counted.contains(&count), "{counted} lacks {count}");
    assert_eq!(s.state.search.rows[..5], shown[..]);
}
