//! Pure update tests: feed actions, assert state and the commands returned.

use super::*;
use crate::api::model::{Group, Links, Page, SearchResult, Space, User};
use crate::app::state::ListHeights;
use chrono::Utc;
use pretty_assertions::assert_eq;

fn user(id: &str, name: &str) -> User {
    User {
        kind: "known".into(),
        account_id: Some(id.into()),
        display_name: Some(name.into()),
        public_name: Some(name.to_lowercase()),
        account_type: Some("atlassian".into()),
        ..User::default()
    }
}

fn page<T>(results: Vec<T>, next: bool) -> Page<T> {
    Page {
        results,
        links: Links {
            next: next.then(|| "/rest/api/x?start=1".to_string()),
            ..Links::default()
        },
        ..Page::default()
    }
}

fn hits(users: Vec<User>) -> Page<SearchResult> {
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

fn state() -> State {
    let mut s = State::new("acme.example", Vec::new(), Utc::now());
    s.heights = ListHeights {
        results: 10,
        props: 3,
        groups: 5,
        watch: 5,
        overlay: 5,
    };
    s
}

fn type_text(s: &mut State, text: &str) -> Vec<Command> {
    let mut all = Vec::new();
    for c in text.chars() {
        all.extend(update(s, Action::Edit(InputRequest::InsertChar(c))));
    }
    all
}

fn search_id(cmds: &[Command]) -> RequestId {
    cmds.iter()
        .rev()
        .find_map(|c| match c {
            Command::SearchUsers { id, .. } => Some(*id),
            _ => None,
        })
        .expect("a search command")
}

fn names(s: &State) -> Vec<String> {
    s.search
        .rows
        .iter()
        .map(|&i| s.directory.get(i).unwrap().user.name().to_string())
        .collect()
}

fn loaded_me(s: &mut State) {
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
        Action::MeLoaded {
            id,
            result: Ok(user("me", "Ada Lovelace")),
        },
    );
}

#[test]
fn init_asks_for_me_and_spaces() {
    let mut s = state();
    let cmds = init(&mut s);
    assert!(matches!(cmds[0], Command::FetchMe { .. }));
    assert!(matches!(cmds[1], Command::FetchSpaces { start: 0, .. }));
    assert_eq!(s.in_flight(), 2);
}

#[test]
fn typing_filters_known_users_at_once_and_asks_the_server_debounced() {
    let mut s = state();
    s.directory.upsert(user("1", "Jürgen Müller"));
    s.directory.upsert(user("2", "Alice Nguyen"));
    let cmds = type_text(&mut s, "mull");
    assert_eq!(names(&s), vec!["Jürgen Müller"]);
    match cmds.last() {
        Some(Command::SearchUsers {
            query,
            start: 0,
            debounce: true,
            ..
        }) => assert_eq!(query, "mull"),
        other => panic!("expected a debounced search, got {other:?}"),
    }
    // The highlighted chars of the visible row are computed in update.
    let marks = &s.search.highlights[&0];
    assert_eq!(marks.len(), 4);
}

#[test]
fn an_older_search_answer_never_overwrites_a_newer_one() {
    let mut s = state();
    let first = search_id(&type_text(&mut s, "al"));
    let second = search_id(&type_text(&mut s, "i"));
    assert_ne!(first, second);
    // The newer answer arrives first …
    update(
        &mut s,
        Action::UsersFound {
            id: second,
            query: "ali".into(),
            start: 0,
            result: Ok(hits(vec![user("a", "Alice")])),
        },
    );
    // … then the stale one, which must be dropped.
    update(
        &mut s,
        Action::UsersFound {
            id: first,
            query: "al".into(),
            start: 0,
            result: Ok(hits(vec![user("b", "Albert")])),
        },
    );
    assert_eq!(names(&s), vec!["Alice"]);
    assert!(s.directory.user("b").is_none());
    assert_eq!(s.search.server_query, "ali");
}

#[test]
fn server_results_merge_by_account_id() {
    let mut s = state();
    s.directory.upsert(user("a", "Alice"));
    let id = search_id(&type_text(&mut s, "ali"));
    update(
        &mut s,
        Action::UsersFound {
            id,
            query: "ali".into(),
            start: 0,
            result: Ok(hits(vec![user("a", "Alice"), user("c", "Alicia")])),
        },
    );
    assert_eq!(s.directory.len(), 2);
    assert_eq!(names(&s).len(), 2);
}

#[test]
fn a_failed_search_is_logged_and_shown() {
    let mut s = state();
    let id = search_id(&type_text(&mut s, "x"));
    update(
        &mut s,
        Action::UsersFound {
            id,
            query: "x".into(),
            start: 0,
            result: Err(ApiError::Server {
                endpoint: "GET /search/user".into(),
                status: 500,
                message: "boom".into(),
            }),
        },
    );
    assert!(matches!(s.search.server, Loadable::Failed(_)));
    assert_eq!(s.errors.len(), 1);
    assert!(s.last_error.as_deref().unwrap().contains("boom"));
    assert_eq!(s.in_flight(), 0);
}

#[test]
fn empty_query_lists_me_and_recent_people() {
    let mut s = state();
    loaded_me(&mut s);
    s.directory.upsert(user("b", "Bob"));
    s.recent = vec!["b".into()];
    type_text(&mut s, "x");
    update(&mut s, Action::Edit(InputRequest::DeletePrevChar));
    assert_eq!(names(&s), vec!["Ada Lovelace", "Bob"]);
}

#[test]
fn highlighting_a_result_prefetches_profile_properties_and_groups() {
    let mut s = state();
    s.directory.upsert(user("1", "Alice"));
    s.directory.upsert(user("2", "Alicia"));
    let cmds = type_text(&mut s, "ali");
    let fetched: Vec<&str> = cmds
        .iter()
        .filter_map(|c| match c {
            Command::FetchProfile { account_id, .. } => Some(account_id.as_str()),
            _ => None,
        })
        .collect();
    assert!(fetched.contains(&"1"));
    let cmds = update(&mut s, Action::Down);
    assert!(cmds
        .iter()
        .any(|c| matches!(c, Command::FetchProfile { account_id, .. } if account_id == "2")));
    assert!(cmds
        .iter()
        .any(|c| matches!(c, Command::FetchGroups { account_id, .. } if account_id == "2")));
    assert!(cmds
        .iter()
        .any(|c| matches!(c, Command::FetchPropertyKeys { account_id, .. } if account_id == "2")));
}

fn open_profile(s: &mut State, id: &str, name: &str) -> Vec<Command> {
    s.directory.upsert(user(id, name));
    update(s, Action::StartSearch);
    let mut cmds = update(s, Action::Edit(InputRequest::DeleteLine));
    cmds.extend(type_text(s, name));
    cmds.extend(update(s, Action::Submit));
    cmds
}

fn groups_id(cmds: &[Command]) -> RequestId {
    cmds.iter()
        .rev()
        .find_map(|c| match c {
            Command::FetchGroups { id, .. } => Some(*id),
            _ => None,
        })
        .unwrap()
}

fn group(id: &str, name: &str) -> Group {
    Group {
        kind: "group".into(),
        id: id.into(),
        name: name.into(),
        ..Group::default()
    }
}

#[test]
fn groups_members_member_and_back_keep_each_selection() {
    let mut s = state();
    let cmds = open_profile(&mut s, "alice", "Alice");
    let gid = groups_id(&cmds);
    update(
        &mut s,
        Action::GroupsLoaded {
            id: gid,
            account_id: "alice".into(),
            result: Ok(vec![
                group("g1", "confluence-users"),
                group("g2", "engineering"),
            ]),
        },
    );
    update(&mut s, Action::FocusPane(Focus::Groups));
    update(&mut s, Action::Down);
    let cmds = update(&mut s, Action::Open);
    let (mid, gid) = match &cmds[..] {
        [Command::FetchMembers {
            id,
            group_id,
            start: 0,
            ..
        }] => (*id, group_id.clone()),
        other => panic!("{other:?}"),
    };
    assert_eq!(gid, "g2");
    update(
        &mut s,
        Action::MembersLoaded {
            id: mid,
            start: 0,
            result: Ok(page(
                vec![user("alice", "Alice"), user("bob", "Bob")],
                false,
            )),
        },
    );
    update(&mut s, Action::Down);
    let cmds = update(&mut s, Action::Open);
    assert_eq!(s.profile_id(), Some("bob"));
    assert!(cmds
        .iter()
        .any(|c| matches!(c, Command::FetchGroups { account_id, .. } if account_id == "bob")));
    assert_eq!(s.groups.len(), 3);
    assert_eq!(s.recent.first().map(String::as_str), Some("bob"));

    // Back to the members list: selection kept, profile follows Alice again.
    update(&mut s, Action::Back);
    assert_eq!(s.groups.len(), 2);
    match s.groups.last() {
        Some(GroupView::Members { list, members, .. }) => {
            assert_eq!(list.selected, 1);
            assert_eq!(members.len(), 2);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(s.profile_id(), Some("alice"));
    // Back to Alice's groups: the second group is still selected.
    update(&mut s, Action::Back);
    match s.groups.last() {
        Some(GroupView::Memberships { list, .. }) => assert_eq!(list.selected, 1),
        other => panic!("{other:?}"),
    }
}

#[test]
fn stale_group_answers_are_dropped() {
    let mut s = state();
    let first = groups_id(&open_profile(&mut s, "alice", "Alice"));
    update(&mut s, Action::FocusPane(Focus::Search));
    update(&mut s, Action::StartSearch);
    update(&mut s, Action::Edit(InputRequest::DeleteLine));
    let second = groups_id(&open_profile(&mut s, "bob", "Bob"));
    assert_ne!(first, second);
    update(
        &mut s,
        Action::GroupsLoaded {
            id: first,
            account_id: "alice".into(),
            result: Ok(vec![group("g1", "alice-only")]),
        },
    );
    match s.groups.last() {
        Some(GroupView::Memberships {
            groups, account_id, ..
        }) => {
            assert_eq!(account_id, "bob");
            assert!(groups.is_loading());
        }
        other => panic!("{other:?}"),
    }
}

fn with_spaces(s: &mut State) -> Vec<Command> {
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
        Action::SpacesLoaded {
            id,
            result: Ok(page(spaces, false)),
        },
    )
}

fn status_ids(cmds: &[Command]) -> Vec<(RequestId, WatchTarget)> {
    cmds.iter()
        .flat_map(|c| match c {
            Command::FetchWatchStatuses { targets, .. } => targets.clone(),
            _ => Vec::new(),
        })
        .collect()
}

#[test]
fn visible_watch_rows_get_their_status_in_one_batch() {
    let mut s = state();
    let cmds = with_spaces(&mut s);
    let ids = status_ids(&cmds);
    assert_eq!(ids.len(), 3);
    // Asking again for the same rows sends nothing new.
    let again = update(&mut s, Action::FocusPane(Focus::Watchlist));
    assert!(status_ids(&again).is_empty());
}

#[test]
fn toggling_a_watch_is_optimistic_then_confirmed_or_rolled_back() {
    let mut s = state();
    let ids = status_ids(&with_spaces(&mut s));
    for (id, target) in ids {
        update(
            &mut s,
            Action::WatchStatusLoaded {
                id,
                user: None,
                target,
                result: Ok(false),
            },
        );
    }
    update(&mut s, Action::FocusPane(Focus::Watchlist));
    let key = (None, WatchTarget::Space("ENG".into()));

    // Confirmed.
    let cmds = update(&mut s, Action::ToggleWatch);
    let id = match &cmds[..] {
        [Command::SetWatch {
            id,
            watch: true,
            target,
            user: None,
        }] => {
            assert_eq!(target, &WatchTarget::Space("ENG".into()));
            *id
        }
        other => panic!("{other:?}"),
    };
    assert_eq!(s.watch.statuses[&key].shown(), Some(true));
    update(
        &mut s,
        Action::WatchSet {
            id,
            user: None,
            target: key.1.clone(),
            result: Ok(()),
        },
    );
    assert_eq!(s.watch.statuses[&key], WatchStatus::Known(true));

    // Rolled back, with a visible error.
    let cmds = update(&mut s, Action::ToggleWatch);
    let id = match &cmds[..] {
        [Command::SetWatch {
            id, watch: false, ..
        }] => *id,
        other => panic!("{other:?}"),
    };
    assert_eq!(s.watch.statuses[&key].shown(), Some(false));
    update(
        &mut s,
        Action::WatchSet {
            id,
            user: None,
            target: key.1.clone(),
            result: Err(ApiError::Forbidden {
                endpoint: "DELETE /user/watch/space".into(),
                message: "XSRF check failed".into(),
            }),
        },
    );
    assert_eq!(s.watch.statuses[&key], WatchStatus::Known(true));
    assert!(s.last_error.as_deref().unwrap().contains("XSRF"));
    assert_eq!(s.pending_free.len(), 0);
}

#[test]
fn pinning_a_label_saves_and_asks_its_status() {
    let mut s = state();
    with_spaces(&mut s);
    update(&mut s, Action::StartPin);
    assert_eq!(s.mode, Mode::Editing);
    type_text(&mut s, "label:release-notes");
    let cmds = update(&mut s, Action::Submit);
    assert!(cmds
        .iter()
        .any(|c| matches!(c, Command::SavePins { pins } if pins.len() == 1)));
    assert!(status_ids(&cmds)
        .iter()
        .any(|(_, t)| *t == WatchTarget::Label("release-notes".into())));
    assert_eq!(
        s.watch.rows[0].target,
        WatchTarget::Label("release-notes".into())
    );
    let cmds = update(&mut s, Action::Unpin);
    assert!(cmds
        .iter()
        .any(|c| matches!(c, Command::SavePins { pins } if pins.is_empty())));
}

#[test]
fn pin_text_is_parsed_strictly() {
    assert_eq!(
        parse_pin("page:123"),
        Ok(WatchTarget::Content("123".into()))
    );
    assert_eq!(parse_pin("42"), Ok(WatchTarget::Content("42".into())));
    assert_eq!(
        parse_pin("release"),
        Ok(WatchTarget::Label("release".into()))
    );
    assert!(parse_pin("page:abc").is_err());
    assert!(parse_pin("label:").is_err());
    assert!(parse_pin("two words").is_err());
}

#[test]
fn a_colleagues_watches_fall_back_to_yours_when_not_admin() {
    let mut s = state();
    loaded_me(&mut s);
    let ids = status_ids(&with_spaces(&mut s));
    assert_eq!(ids.len(), 3);
    open_profile(&mut s, "bob", "Bob");
    let cmds = update(&mut s, Action::ToggleWatchSubject);
    let theirs = status_ids(&cmds);
    assert_eq!(theirs.len(), 3);
    assert_eq!(s.watch_subject().as_deref(), Some("bob"));
    update(
        &mut s,
        Action::WatchStatusLoaded {
            id: theirs[0].0,
            user: Some("bob".into()),
            target: theirs[0].1.clone(),
            result: Err(ApiError::Forbidden {
                endpoint: "GET /user/watch/space".into(),
                message: String::new(),
            }),
        },
    );
    assert_eq!(s.watch_subject(), None);
    assert!(s.last_error.as_deref().unwrap().contains("administrators"));
}

#[test]
fn rate_limit_shows_then_clears_on_tick() {
    let mut s = state();
    let until = s.now + chrono::Duration::seconds(5);
    update(&mut s, Action::RateLimited(Some(until)));
    assert!(s.animating());
    s.now = until + chrono::Duration::seconds(1);
    update(&mut s, Action::Tick);
    assert_eq!(s.rate_limited_until, None);
}

#[test]
fn hidden_email_triggers_the_email_api_once_per_site() {
    let mut s = state();
    let cmds = open_profile(&mut s, "x", "Xavier");
    let pid = cmds
        .iter()
        .find_map(|c| match c {
            Command::FetchProfile { id, account_id } if account_id == "x" => Some(*id),
            _ => None,
        })
        .unwrap();
    let mut hidden = user("x", "Xavier");
    hidden.email = Some(String::new());
    let cmds = update(
        &mut s,
        Action::ProfileLoaded {
            id: pid,
            result: Ok(hidden),
        },
    );
    let eid = match &cmds[..] {
        [Command::FetchEmail { id, .. }] => *id,
        other => panic!("{other:?}"),
    };
    update(
        &mut s,
        Action::EmailLoaded {
            id: eid,
            result: Err(ApiError::NotImplemented {
                endpoint: "GET /user/email".into(),
                message: "not enabled".into(),
            }),
        },
    );
    assert!(matches!(s.email_api, EmailApi::Unavailable(_)));
    // Another hidden profile: no second call.
    let cmds = open_profile(&mut s, "y", "Yara");
    let pid = cmds
        .iter()
        .find_map(|c| match c {
            Command::FetchProfile { id, account_id } if account_id == "y" => Some(*id),
            _ => None,
        })
        .unwrap();
    let mut hidden = user("y", "Yara");
    hidden.email = Some(String::new());
    let cmds = update(
        &mut s,
        Action::ProfileLoaded {
            id: pid,
            result: Ok(hidden),
        },
    );
    assert!(cmds.is_empty());
}

#[test]
fn paging_loads_more_results_near_the_end() {
    let mut s = state();
    let id = search_id(&type_text(&mut s, "a"));
    let many: Vec<User> = (0..12)
        .map(|i| user(&format!("u{i}"), &format!("Anna {i}")))
        .collect();
    let mut p = hits(many);
    p.links.next = Some("/rest/api/search/user?start=12".into());
    update(
        &mut s,
        Action::UsersFound {
            id,
            query: "a".into(),
            start: 0,
            result: Ok(p),
        },
    );
    let cmds = update(&mut s, Action::Bottom);
    assert!(cmds.iter().any(|c| matches!(
        c,
        Command::SearchUsers {
            start: 12,
            debounce: false,
            ..
        }
    )));
}

fn prop_keys_id(cmds: &[Command]) -> RequestId {
    cmds.iter()
        .rev()
        .find_map(|c| match c {
            Command::FetchPropertyKeys { id, .. } => Some(*id),
            _ => None,
        })
        .unwrap()
}

#[test]
fn opening_a_property_fetches_and_pretty_prints_its_value() {
    let mut s = state();
    let cmds = open_profile(&mut s, "alice", "Alice");
    let kid = prop_keys_id(&cmds);
    update(
        &mut s,
        Action::PropertyKeysLoaded {
            id: kid,
            result: Ok(vec!["pronouns".into(), "team".into()]),
        },
    );
    update(&mut s, Action::FocusPane(Focus::Profile));
    update(&mut s, Action::Down);
    let cmds = update(&mut s, Action::Open);
    let id = match &cmds[..] {
        [Command::FetchProperty {
            id,
            key,
            account_id,
        }] => {
            assert_eq!((key.as_str(), account_id.as_str()), ("team", "alice"));
            *id
        }
        other => panic!("{other:?}"),
    };
    update(
        &mut s,
        Action::PropertyLoaded {
            id,
            result: Ok(crate::api::model::UserProperty {
                key: "team".into(),
                value: serde_json::json!({"name": "core", "size": 5}),
                ..Default::default()
            }),
        },
    );
    match &s.profile.open_prop {
        Some((key, Loadable::Loaded(text))) => {
            assert_eq!(key, "team");
            assert!(text.contains("\n  \"name\": \"core\""), "{text}");
        }
        other => panic!("{other:?}"),
    }
    update(&mut s, Action::Back);
    assert!(s.profile.open_prop.is_none());
}

#[test]
fn members_load_more_near_the_end_and_stale_pages_are_dropped() {
    let mut s = state();
    let gid = groups_id(&open_profile(&mut s, "alice", "Alice"));
    update(
        &mut s,
        Action::GroupsLoaded {
            id: gid,
            account_id: "alice".into(),
            result: Ok(vec![group("g1", "big-group")]),
        },
    );
    update(&mut s, Action::FocusPane(Focus::Groups));
    let cmds = update(&mut s, Action::Open);
    let Some(Command::FetchMembers { id, .. }) = cmds.first() else {
        panic!("{cmds:?}")
    };
    let first = *id;
    let members: Vec<User> = (0..8)
        .map(|i| user(&format!("m{i}"), &format!("Member {i}")))
        .collect();
    let mut p = page(members, true);
    p.total_size = Some(20);
    update(
        &mut s,
        Action::MembersLoaded {
            id: first,
            start: 0,
            result: Ok(p),
        },
    );
    let cmds = update(&mut s, Action::Bottom);
    let next = match &cmds[..] {
        [Command::FetchMembers {
            id,
            start: 8,
            group_id,
            ..
        }] => {
            assert_eq!(group_id, "g1");
            *id
        }
        other => panic!("{other:?}"),
    };
    // A late duplicate of the first page changes nothing.
    update(
        &mut s,
        Action::MembersLoaded {
            id: first,
            start: 0,
            result: Ok(page(vec![user("zz", "Stale")], false)),
        },
    );
    update(
        &mut s,
        Action::MembersLoaded {
            id: next,
            start: 8,
            result: Ok(page(vec![user("m8", "Member 8")], false)),
        },
    );
    match s.groups.last() {
        Some(GroupView::Members {
            members,
            total,
            next_start,
            ..
        }) => {
            assert_eq!(members.len(), 9);
            assert!(!members.contains(&"zz".to_string()));
            assert_eq!(*total, Some(20));
            assert_eq!(*next_start, None);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_watch_filter_narrows_rows_and_esc_clears_it() {
    let mut s = state();
    with_spaces(&mut s);
    update(&mut s, Action::StartFilter);
    type_text(&mut s, "hr");
    assert_eq!(s.watch.rows.len(), 1);
    assert_eq!(s.watch.rows[0].target, WatchTarget::Space("HR".into()));
    update(&mut s, Action::Cancel);
    assert_eq!(s.watch.rows.len(), 3);
    assert_eq!(s.mode, Mode::Normal);
}

#[test]
fn copy_and_open_name_the_focused_thing() {
    let mut s = state();
    with_spaces(&mut s);
    let mut u = user("alice", "Alice");
    u.email = Some("alice@acme.example".into());
    s.directory.upsert(u);
    open_profile(&mut s, "alice", "Alice");
    update(&mut s, Action::FocusPane(Focus::Profile));
    assert_eq!(
        update(&mut s, Action::Copy { email: false }),
        vec![Command::Copy {
            text: "alice".into()
        }]
    );
    assert_eq!(
        update(&mut s, Action::Copy { email: true }),
        vec![Command::Copy {
            text: "alice@acme.example".into()
        }]
    );
    assert_eq!(
        update(&mut s, Action::OpenInBrowser),
        vec![Command::OpenUrl {
            path: "people/alice".into()
        }]
    );
    update(&mut s, Action::FocusPane(Focus::Watchlist));
    assert_eq!(
        update(&mut s, Action::OpenInBrowser),
        vec![Command::OpenUrl {
            path: "spaces/ENG".into()
        }]
    );
}

#[test]
fn help_filters_as_you_type_and_esc_closes() {
    let mut s = state();
    update(&mut s, Action::ToggleHelp);
    assert_eq!(s.overlay, Overlay::Help);
    type_text(&mut s, "quit");
    assert_eq!(s.help_filter.value(), "quit");
    // Typing went to the help filter, not the search box.
    assert_eq!(s.search.input.value(), "");
    update(&mut s, Action::Cancel);
    assert_eq!(s.overlay, Overlay::None);
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
        Action::SpacesLoaded {
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
    update(&mut s, Action::ToggleErrorLog);
    assert_eq!(s.overlay, Overlay::Errors);
    update(&mut s, Action::DismissError);
    assert_eq!(s.last_error, None);
    assert_eq!(s.errors.len(), 1, "dismissing keeps the log");
}

#[test]
fn the_directory_cache_fills_in_but_never_overrides_live_data() {
    let mut s = state();
    let cmds = init(&mut s);
    assert!(cmds.contains(&Command::LoadDirectoryCache));
    s.directory.upsert(user("a", "Alice Live"));
    type_text(&mut s, "ali");
    update(
        &mut s,
        Action::DirectoryCached {
            recent: vec!["b".into(), "a".into()],
            directory: Box::new(crate::app::directory::Directory::from_people(
                vec![user("a", "Alice Stale"), user("b", "Alicia Cached")]
                    .into_iter()
                    .map(crate::app::directory::Person::new)
                    .collect(),
            )),
        },
    );
    assert_eq!(s.directory.user("a").map(|u| u.name()), Some("Alice Live"));
    // Cached people are searchable at once.
    assert_eq!(names(&s), vec!["Alice Live", "Alicia Cached"]);
    assert_eq!(s.recent, vec!["b".to_string(), "a".to_string()]);
}

#[test]
fn backspace_and_server_merges_keep_the_ranking_right() {
    let mut s = state();
    for (id, name) in [("1", "Alice"), ("2", "Bob"), ("3", "Carla")] {
        s.directory.upsert(user(id, name));
    }
    type_text(&mut s, "a");
    let for_a = names(&s);
    let id = search_id(&type_text(&mut s, "l"));
    assert_eq!(names(&s), vec!["Alice", "Carla"]);
    // A server answer adds a new person: scored and merged without ranking everyone.
    update(
        &mut s,
        Action::UsersFound {
            id,
            query: "al".into(),
            start: 0,
            result: Ok(hits(vec![user("4", "Alan"), user("2", "Bob")])),
        },
    );
    let now = names(&s);
    assert!(now.contains(&"Alan".to_string()));
    // Bob matched on the server's side only: listed after the ranked hits.
    assert_eq!(now.last().map(String::as_str), Some("Bob"));
    // Backspace: "a" again, now with Alan, and without the server-only row.
    update(&mut s, Action::Edit(InputRequest::DeletePrevChar));
    let back = names(&s);
    assert!(back.contains(&"Alan".to_string()), "{back:?}");
    assert_eq!(back.len(), for_a.len() + 1);
    // Typing "l" again reuses nothing stale: the same rows as before the answer, plus Alan.
    type_text(&mut s, "l");
    assert!(names(&s).contains(&"Alan".to_string()));
    assert!(names(&s).contains(&"Alice".to_string()));
}

#[test]
fn a_click_focuses_the_pane_and_selects_the_row_and_the_wheel_scrolls() {
    let mut s = state();
    with_spaces(&mut s);
    let cmds = update(
        &mut s,
        Action::Click {
            pane: Focus::Watchlist,
            row: Some(2),
        },
    );
    assert_eq!(s.focus, Focus::Watchlist);
    assert_eq!(s.watch.list.selected, 2);
    assert!(
        cmds.is_empty(),
        "statuses of visible rows were asked already"
    );
    update(
        &mut s,
        Action::Scroll {
            pane: Focus::Watchlist,
            down: false,
        },
    );
    assert_eq!(s.watch.list.selected, 0);
}

#[test]
fn a_stale_answer_changes_nothing_not_even_a_redraw() {
    let mut s = state();
    let first = search_id(&type_text(&mut s, "a"));
    type_text(&mut s, "b");
    s.dirty = false;
    let cmds = update(
        &mut s,
        Action::UsersFound {
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
fn people_learned_from_members_pages_join_the_live_ranking() {
    let mut s = state();
    let gid = groups_id(&open_profile(&mut s, "alice", "Alice"));
    update(
        &mut s,
        Action::GroupsLoaded {
            id: gid,
            account_id: "alice".into(),
            result: Ok(vec![group("g1", "team")]),
        },
    );
    update(&mut s, Action::FocusPane(Focus::Groups));
    let cmds = update(&mut s, Action::Open);
    let Some(Command::FetchMembers { id, .. }) = cmds.first() else {
        panic!("{cmds:?}")
    };
    // The query is still "Alice"; a member named Alice Cooper arrives with the page.
    update(
        &mut s,
        Action::MembersLoaded {
            id: *id,
            start: 0,
            result: Ok(page(vec![user("cooper", "Alice Cooper")], false)),
        },
    );
    assert!(
        names(&s).contains(&"Alice Cooper".to_string()),
        "{:?}",
        names(&s)
    );
}

#[test]
fn a_failed_local_effect_is_logged_like_any_error() {
    let mut s = state();
    update(
        &mut s,
        Action::EffectFailed {
            message: "cannot open a browser: no display".into(),
        },
    );
    assert_eq!(s.errors.len(), 1);
    assert!(s.last_error.as_deref().unwrap().contains("no display"));
}
