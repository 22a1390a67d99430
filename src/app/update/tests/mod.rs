//! Pure update tests: feed actions, assert state and the commands returned. One file per area,
//! beside the shared helpers here; the tests of dispatch, request tracking and the error log are
//! in this file.

mod compare;
mod effects;
mod export;
mod group_watch;
mod history;
mod lists;
mod member_rows;
mod navigation;
mod profile;
mod properties;
mod round_trips;
mod search;
mod sync;
mod watch;
mod watch_many;

pub(super) use super::{init, parse_pin, update};
pub(super) use crate::api::model::{Group, Links, Page, SearchResult, Space, User};
pub(super) use crate::api::{ApiError, WatchTarget};
pub(super) use crate::app::action::{Done, Intent, Loaded, Runtime};
pub(super) use crate::app::command::Command;
pub(super) use crate::app::request::{Loadable, RequestId};
pub(super) use crate::app::state::{
    EmailApi, Focus, GroupView, ListHeights, Mode, Overlay, State, WatchStatus,
};
pub(super) use chrono::Utc;
use pretty_assertions::assert_eq;
pub(super) use tui_input::InputRequest;

pub(super) fn user(id: &str, name: &str) -> User {
    User {
        kind: "known".into(),
        account_id: Some(id.into()),
        display_name: Some(name.into()),
        public_name: Some(name.to_lowercase()),
        account_type: Some("atlassian".into()),
        ..User::default()
    }
}

pub(super) fn page<T>(results: Vec<T>, next: bool) -> Page<T> {
    Page {
        results,
        links: Links {
            next: next.then(|| "/rest/api/x?start=1".to_string()),
            ..Links::default()
        },
        ..Page::default()
    }
}

pub(super) fn hits(users: Vec<User>) -> Page<SearchResult> {
    page(
        users
            .into_iter()
            .map(|u| SearchResult {
                user: Some(u),
                ..SearchResult::default()
            })
            .collect(),
        false,
    )
}

pub(super) fn state() -> State {
    let mut s = State::new("acme.example", Vec::new(), Utc::now());
    s.heights = ListHeights {
        results: 10,
        props: 3,
        groups: 5,
        watch: 5,
        overlay: 5,
        help: 5,
        props_inline: false,
    };
    s
}

pub(super) fn type_text(s: &mut State, text: &str) -> Vec<Command> {
    let mut all = Vec::new();
    for c in text.chars() {
        all.extend(update(s, Intent::Edit(InputRequest::InsertChar(c))));
    }
    all
}

pub(super) fn search_id(cmds: &[Command]) -> RequestId {
    cmds.iter()
        .rev()
        .find_map(|c| match c {
            Command::SearchUsers { id, .. } => Some(*id),
            _ => None,
        })
        .expect("a search command")
}

pub(super) fn names(s: &State) -> Vec<String> {
    s.search
        .rows
        .iter()
        .map(|&i| s.directory.get(i).unwrap().name().to_string())
        .collect()
}

pub(super) fn loaded_me(s: &mut State) {
    let cmds = init(s);
    let id = cmds
        .iter()
        .find_map(|c| match c {
            Command::FetchMe { id } => Some(*id),
            _ => None,
        })
        .unwrap();
    update(
        s,
        Loaded::Me {
            id,
            result: Ok(user("me", "Ada Lovelace")),
        },
    );
}

pub(super) fn open_profile(s: &mut State, id: &str, name: &str) -> Vec<Command> {
    s.directory.upsert(user(id, name));
    update(s, Intent::StartSearch);
    let mut cmds = update(s, Intent::Edit(InputRequest::DeleteLine));
    cmds.extend(type_text(s, name));
    cmds.extend(update(s, Intent::Submit));
    cmds
}

pub(super) fn groups_id(cmds: &[Command]) -> RequestId {
    cmds.iter()
        .rev()
        .find_map(|c| match c {
            Command::FetchGroups { id, .. } => Some(*id),
            _ => None,
        })
        .unwrap()
}

pub(super) fn group(id: &str, name: &str) -> Group {
    Group {
        kind: "group".into(),
        id: id.into(),
        name: name.into(),
        ..Group::default()
    }
}

pub(super) fn with_spaces(s: &mut State) -> Vec<Command> {
    let cmds = init(s);
    let id = cmds
        .iter()
        .find_map(|c| match c {
            Command::FetchSpaces { id, .. } => Some(*id),
            _ => None,
        })
        .unwrap();
    let spaces = ["ENG", "HR", "OPS"]
        .iter()
        .map(|k| Space {
            key: k.to_string(),
            name: format!("{k} space"),
            ..Space::default()
        })
        .collect();
    update(
        s,
        Loaded::Spaces {
            id,
            result: Ok(page(spaces, false)),
        },
    )
}

pub(super) fn status_ids(cmds: &[Command]) -> Vec<(RequestId, WatchTarget)> {
    cmds.iter()
        .flat_map(|c| match c {
            Command::FetchWatchStatuses { targets, .. } => targets.clone(),
            _ => Vec::new(),
        })
        .collect()
}

pub(super) fn prop_keys_id(cmds: &[Command]) -> RequestId {
    cmds.iter()
        .rev()
        .find_map(|c| match c {
            Command::FetchPropertyKeys { id, .. } => Some(*id),
            _ => None,
        })
        .unwrap()
}

#[test]
fn init_asks_for_me_and_spaces() {
    let mut s = state();
    let cmds = init(&mut s);
    assert!(matches!(cmds[0], Command::FetchMe { .. }));
    assert!(matches!(cmds[1], Command::FetchSpaces { after: None, .. }));
    assert_eq!(s.in_flight(), 2);
}

#[test]
fn the_clients_waits_animate_the_screen_until_they_end() {
    let mut s = state();
    let wait = crate::app::request::WaitView {
        endpoint: "GET /search/user".into(),
        kind: crate::api::WaitKind::RateLimited,
        since: s.now,
        until: s.now + chrono::Duration::seconds(5),
        detail: String::new(),
    };
    update(&mut s, Runtime::Waits(vec![wait.clone()]));
    assert_eq!(s.waits, [wait]);
    assert!(s.animating(), "the countdown needs ticks");
    update(&mut s, Runtime::Waits(Vec::new()));
    assert!(!s.animating(), "nothing waits, nothing ticks");
}

#[test]
fn failures_land_in_the_error_log_with_their_time() {
    let mut s = state();
    let cmds = init(&mut s);
    let sid = cmds
        .iter()
        .find_map(|c| match c {
            Command::FetchSpaces { id, .. } => Some(*id),
            _ => None,
        })
        .unwrap();
    update(
        &mut s,
        Loaded::Spaces {
            id: sid,
            result: Err(ApiError::Unauthorized {
                endpoint: "GET /space".into(),
                message: "bad token".into(),
            }),
        },
    );
    assert!(matches!(s.watch.spaces_load, Loadable::Failed(_)));
    assert_eq!(s.errors.len(), 1);
    assert_eq!(s.errors[0].at, s.now);
    update(&mut s, Intent::ToggleErrorLog);
    assert_eq!(s.overlay, Overlay::Errors);
    update(&mut s, Intent::DismissError);
    assert_eq!(s.last_error, None);
    assert_eq!(s.errors.len(), 1, "dismissing keeps the log");
}

#[test]
fn a_stale_answer_changes_nothing_not_even_a_redraw() {
    let mut s = state();
    let first = search_id(&type_text(&mut s, "a"));
    type_text(&mut s, "b");
    s.dirty = false;
    let cmds = update(
        &mut s,
        Loaded::Search {
            id: first,
            query: "a".into(),
            start: 0,
            result: Ok(hits(vec![user("x", "Abe")])),
        },
    );
    assert!(cmds.is_empty());
    assert!(!s.dirty);
    assert!(s.directory.user("x").is_none());
}

#[test]
fn a_directory_cache_that_cannot_be_read_is_logged_and_the_app_goes_on() {
    let mut s = state();
    init(&mut s);
    update(
        &mut s,
        Done::DirectoryCacheFailed {
            message: "directory.json is damaged (EOF); starting without it".into(),
        },
    );
    assert_eq!(s.errors.len(), 1);
    assert!(s.last_error.as_deref().unwrap().contains("damaged"));
    assert!(s.directory.is_empty());
}

#[test]
fn a_notice_lasts_until_the_next_intent_and_answers_leave_it() {
    let mut s = state();
    let cmds = init(&mut s);
    s.notice = Some("Copied alice".into());
    // Runtime events and answers are not the user asking for something: the notice stays.
    update(&mut s, Runtime::Tick);
    let spaces = cmds
        .iter()
        .find_map(|c| match c {
            Command::FetchSpaces { id, .. } => Some(*id),
            _ => None,
        })
        .unwrap();
    update(
        &mut s,
        Loaded::Spaces {
            id: spaces,
            result: Ok(page(Vec::new(), false)),
        },
    );
    update(&mut s, Done::PinsSaved { result: Ok(()) });
    assert_eq!(s.notice.as_deref(), Some("Copied alice"));
    // A failed effect takes back a notice that claimed it worked.
    update(
        &mut s,
        Done::EffectFailed {
            message: "no clipboard".into(),
        },
    );
    assert_eq!(s.notice, None);
    // Any intent clears a notice.
    s.notice = Some("Copied alice".into());
    update(&mut s, Intent::Down);
    assert_eq!(s.notice, None);
}

/// The one members page asked for among `cmds`: its request id and start.
pub(super) fn members_page(cmds: &[Command]) -> (RequestId, u32) {
    cmds.iter()
        .find_map(|c| match c {
            Command::FetchMembers { id, start, .. } => Some((*id, *start)),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no members page asked for: {cmds:?}"))
}
