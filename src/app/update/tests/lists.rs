//! Lists tests: `/` filters the groups pane, the watch list and (by typing) Search; members sort
//! with `S`; the watch list's notices (a duplicate pin, an unpin, the question when what was
//! unpinned is still watched, whose watch a toggle changed); and the `:` command line.

use super::*;
use crate::app::keymap::key_intent;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use pretty_assertions::assert_eq;

fn key(s: &State, c: char) -> Option<Intent> {
    key_intent(s, &KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

/// Alice's groups loaded and the groups pane focused.
fn alice_groups(s: &mut State) {
    let cmds = open_profile(s, "alice", "Alice");
    let gid = groups_id(&cmds);
    update(
        s,
        Loaded::Groups {
            id: gid,
            account_id: "alice".into(),
            result: Ok(vec![
                group("g1", "confluence-users"),
                group("g2", "engineering"),
                group("g3", "site-admins"),
            ]),
        },
    );
    update(s, Intent::FocusPane(Focus::Groups));
}

/// The members of `engineering` (of 300 on the site): Zoe (a guest), bob, Émile, and an app.
pub(super) fn members(s: &mut State) {
    alice_groups(s);
    update(s, Intent::Down);
    let cmds = update(s, Intent::Open);
    let id = match &cmds[..] {
        [Command::FetchMembers { id, .. }] => *id,
        other => panic!("{other:?}"),
    };
    let mut zoe = user("zoe", "Zoe Guest");
    zoe.is_guest = Some(true);
    let mut bot = user("bot", "Build Bot");
    bot.account_type = Some("app".into());
    let mut page = page(
        vec![
            zoe,
            user("bob", "bob Stone"),
            user("emile", "Émile Zola"),
            bot,
        ],
        true,
    );
    page.size = Some(4);
    page.total_size = Some(300);
    update(
        s,
        Loaded::Members {
            id,
            start: 0,
            result: Ok(page),
        },
    );
}

pub(super) fn shown_members(s: &State) -> Vec<String> {
    let Some(GroupView::Members { members, .. }) = s.groups.last() else {
        panic!("not a members list");
    };
    crate::app::lists::group_rows(s)
        .into_iter()
        .map(|i| members[i].clone())
        .collect()
}

#[test]
fn slash_filters_the_groups_and_enter_opens_the_row_shown() {
    let mut s = state();
    alice_groups(&mut s);
    assert_eq!(key(&s, '/'), Some(Intent::Filter));
    update(&mut s, Intent::Filter);
    assert_eq!(s.mode, Mode::Editing);
    type_text(&mut s, "ADMIN");
    assert_eq!(crate::app::lists::group_rows(&s), vec![2]);
    update(&mut s, Intent::Submit);
    assert_eq!(s.mode, Mode::Normal);
    let cmds = update(&mut s, Intent::Open);
    match &cmds[..] {
        [Command::FetchMembers { group_id, .. }] => assert_eq!(group_id, "g3"),
        other => panic!("{other:?}"),
    }
    // The members list is not filtered by the groups' filter.
    assert_eq!(crate::app::lists::groups_filter(&s), None);
}

#[test]
fn esc_clears_the_groups_filter_before_walking_back() {
    let mut s = state();
    members(&mut s);
    update(&mut s, Intent::Filter);
    type_text(&mut s, "zola");
    update(&mut s, Intent::Submit);
    assert_eq!(shown_members(&s), vec!["emile"]);
    update(&mut s, Intent::Back);
    assert_eq!(shown_members(&s).len(), 4);
    assert_eq!(s.groups.len(), 2, "the first Esc only cleared the filter");
    update(&mut s, Intent::Back);
    assert_eq!(s.groups.len(), 1);
}

#[test]
fn the_members_filter_matches_names_folded_and_copy_takes_the_row_shown() {
    let mut s = state();
    members(&mut s);
    update(&mut s, Intent::Filter);
    type_text(&mut s, "emile");
    assert_eq!(shown_members(&s), vec!["emile"]);
    let cmds = update(&mut s, Intent::Copy { email: false });
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Command::Copy { text } if text == "emile")),
        "{cmds:?}"
    );
}

#[test]
fn s_sorts_members_by_name_then_by_type_then_back_to_the_sites_order() {
    let mut s = state();
    members(&mut s);
    assert_eq!(shown_members(&s), vec!["zoe", "bob", "emile", "bot"]);
    assert_eq!(
        key_intent(&s, &KeyEvent::new(KeyCode::Char('S'), KeyModifiers::SHIFT)),
        Some(Intent::CycleSort)
    );
    update(&mut s, Intent::CycleSort);
    assert_eq!(shown_members(&s), vec!["bob", "bot", "emile", "zoe"]);
    update(&mut s, Intent::CycleSort);
    assert_eq!(shown_members(&s), vec!["bob", "emile", "zoe", "bot"]);
    // Enter opens the member shown at the selection, not the site's n-th.
    update(&mut s, Intent::Down);
    update(&mut s, Intent::Open);
    assert_eq!(s.profile_id(), Some("emile"));
    update(&mut s, Intent::Back);
    update(&mut s, Intent::CycleSort);
    assert_eq!(shown_members(&s), vec!["zoe", "bob", "emile", "bot"]);
}

#[test]
fn slash_on_the_watch_list_filters_it_and_s_reaches_the_search_from_any_pane() {
    let mut s = state();
    with_spaces(&mut s);
    update(&mut s, Intent::FocusPane(Focus::Watchlist));
    let intent = key(&s, '/').unwrap();
    update(&mut s, intent);
    type_text(&mut s, "ops");
    assert_eq!(s.watch.rows.len(), 1);
    update(&mut s, Intent::Submit);
    update(&mut s, Intent::FocusPane(Focus::Groups));
    assert_eq!(key(&s, 's'), Some(Intent::StartSearch));
    update(&mut s, Intent::StartSearch);
    assert_eq!((s.focus, s.mode), (Focus::Search, Mode::Editing));
}

fn known_statuses(s: &mut State, cmds: &[Command], watching: bool) {
    for (id, target) in status_ids(cmds) {
        update(
            s,
            Done::WatchStatusLoaded {
                id,
                user: None,
                target,
                result: Ok(watching),
            },
        );
    }
}

#[test]
fn pinning_twice_says_so_and_unpinning_says_what_went() {
    let mut s = state();
    update(&mut s, Intent::StartPin);
    type_text(&mut s, "label:ops");
    update(&mut s, Intent::Submit);
    assert_eq!(s.notice.as_deref(), Some("Pinned label ops"));
    update(&mut s, Intent::StartPin);
    type_text(&mut s, "ops");
    let cmds = update(&mut s, Intent::Submit);
    assert_eq!(s.notice.as_deref(), Some("label ops is pinned already"));
    assert!(!cmds.iter().any(|c| matches!(c, Command::SavePins { .. })));
    assert_eq!(s.watch.pins.len(), 1);
    update(&mut s, Intent::Unpin);
    assert_eq!(s.notice.as_deref(), Some("Unpinned label ops"));
    assert_eq!(s.lists.confirm_unwatch, None);
}

#[test]
fn unpinning_a_label_still_watched_asks_whether_to_unwatch_it_too() {
    let mut s = state();
    update(&mut s, Intent::StartPin);
    type_text(&mut s, "label:ops");
    let cmds = update(&mut s, Intent::Submit);
    known_statuses(&mut s, &cmds, true);
    update(&mut s, Intent::Unpin);
    let notice = s.notice.clone().unwrap();
    assert!(
        notice.contains("still watched") && notice.contains("y / n"),
        "{notice}"
    );
    assert_eq!(key(&s, 'y'), Some(Intent::ConfirmUnwatch(true)));
    let cmds = update(&mut s, Intent::ConfirmUnwatch(true));
    assert!(
        cmds.iter().any(|c| matches!(
            c,
            Command::SetWatch { watch: false, target: WatchTarget::Label(l), user: None, .. } if l == "ops"
        )),
        "{cmds:?}"
    );

    // `n` keeps the watch; any other key drops the question.
    update(&mut s, Intent::StartPin);
    type_text(&mut s, "label:sre");
    let cmds = update(&mut s, Intent::Submit);
    known_statuses(&mut s, &cmds, true);
    update(&mut s, Intent::Unpin);
    assert_eq!(key(&s, 'n'), Some(Intent::ConfirmUnwatch(false)));
    let cmds = update(&mut s, Intent::ConfirmUnwatch(false));
    assert!(!cmds.iter().any(|c| matches!(c, Command::SetWatch { .. })));
    assert_eq!(s.notice.as_deref(), Some("Still watching label sre"));
    assert_eq!(key(&s, 'y'), Some(Intent::Copy { email: false }));
}

#[test]
fn an_administrators_toggle_says_whose_watch_it_changed() {
    let mut s = state();
    with_spaces(&mut s);
    s.watch.subject = Some(("ada".into(), "Ada Lovelace".into()));
    let key = (Some("ada".to_string()), WatchTarget::Space("ENG".into()));
    s.watch
        .statuses
        .insert(key.clone(), WatchStatus::Known(false));
    update(&mut s, Intent::FocusPane(Focus::Watchlist));
    let cmds = update(&mut s, Intent::ToggleWatch);
    let id = cmds
        .iter()
        .find_map(|c| match c {
            Command::SetWatch { id, .. } => Some(*id),
            _ => None,
        })
        .unwrap();
    update(
        &mut s,
        Done::WatchSet {
            id,
            user: key.0.clone(),
            target: key.1.clone(),
            result: Ok(()),
        },
    );
    assert_eq!(
        s.notice.as_deref(),
        Some("Watching space ENG for Ada Lovelace")
    );
}

fn run_command(s: &mut State, line: &str) -> Vec<Command> {
    if s.mode == Mode::Normal {
        assert_eq!(key(s, ':'), Some(Intent::StartCommand));
    }
    update(s, Intent::StartCommand);
    type_text(s, line);
    update(s, Intent::Submit)
}

#[test]
fn command_line_space_selects_the_space_in_the_watch_list() {
    let mut s = state();
    with_spaces(&mut s);
    run_command(&mut s, "space ops");
    assert_eq!(s.focus, Focus::Watchlist);
    assert_eq!(s.mode, Mode::Normal);
    assert!(s.lists.command.is_none());
    let row = &s.watch.rows[s.watch.list.selected];
    assert_eq!(row.target, WatchTarget::Space("OPS".into()));
    // An unknown key filters by it and says so.
    run_command(&mut s, "space NOPE");
    assert_eq!(s.watch.filter.value(), "NOPE");
    assert!(s.notice.as_deref().unwrap().contains("No space NOPE"));
}

#[test]
fn command_line_group_opens_a_known_groups_members() {
    let mut s = state();
    alice_groups(&mut s);
    update(&mut s, Intent::FocusPane(Focus::Profile));
    let cmds = run_command(&mut s, "group ENGINEERING");
    match &cmds[..] {
        [Command::FetchMembers { group_id, .. }] => assert_eq!(group_id, "g2"),
        other => panic!("{other:?}"),
    }
    assert_eq!(s.focus, Focus::Groups);
}

/// `:group NAME` for a group never seen: the site's group picker is asked.
fn find_group(s: &mut State, name: &str) -> crate::app::RequestId {
    let cmds = run_command(s, &format!("group {name}"));
    match &cmds[..] {
        [Command::FindGroup { id, name: asked }] => {
            assert_eq!(asked, name);
            assert!(s.notice.as_deref().unwrap().contains("Looking up group"));
            *id
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn command_line_group_looks_up_a_group_never_seen_and_opens_the_one_so_named() {
    let mut s = state();
    alice_groups(&mut s);
    update(&mut s, Intent::FocusPane(Focus::Profile));
    let id = find_group(&mut s, "Team-Platform");
    // The picker finds names containing the query; the one named so opens.
    let cmds = update(
        &mut s,
        Loaded::FoundGroups {
            id,
            name: "Team-Platform".into(),
            result: Ok(vec![
                group("g8", "team-platform-leads"),
                group("g9", "team-platform"),
            ]),
        },
    );
    match &cmds[..] {
        [Command::FetchMembers { group_id, .. }] => assert_eq!(group_id, "g9"),
        other => panic!("{other:?}"),
    }
    assert_eq!(s.focus, Focus::Groups);
    // Found once, it is known: the next `:group` opens it without asking, and Tab completes
    // the other.
    let cmds = run_command(&mut s, "group team-platform");
    assert!(matches!(&cmds[..], [Command::FetchMembers { group_id, .. }] if group_id == "g9"));
    update(&mut s, Intent::StartCommand);
    type_text(&mut s, "group team-platform-l");
    update(&mut s, Intent::FocusNext);
    assert_eq!(
        s.lists.command.as_ref().map(|i| i.value()),
        Some("group team-platform-leads")
    );
}

#[test]
fn command_line_group_says_when_the_site_finds_none_or_many_or_fails() {
    let mut s = state();
    let answer = |s: &mut State, id, result| {
        update(
            s,
            Loaded::FoundGroups {
                id,
                name: "team".into(),
                result,
            },
        )
    };
    let id = find_group(&mut s, "team");
    assert!(answer(&mut s, id, Ok(vec![])).is_empty());
    assert_eq!(
        s.notice.as_deref(),
        Some("No group on the site matches team")
    );
    let id = find_group(&mut s, "team");
    let many = vec![group("g1", "team-a"), group("g2", "team-b")];
    assert!(answer(&mut s, id, Ok(many)).is_empty());
    assert!(s
        .notice
        .as_deref()
        .unwrap()
        .starts_with("2 groups on the site match team"));
    assert!(s.groups.is_empty(), "nothing opened");
    // Only one found: it opens, whatever its name.
    let id = find_group(&mut s, "team");
    let cmds = answer(&mut s, id, Ok(vec![group("g5", "team-platform")]));
    assert!(matches!(&cmds[..], [Command::FetchMembers { group_id, .. }] if group_id == "g5"));
    // A failure is logged with what was looked up.
    let id = find_group(&mut s, "team");
    let failure = Err(ApiError::Network {
        endpoint: "GET /group/picker".into(),
        detail: "connection refused".into(),
    });
    answer(&mut s, id, failure);
    assert!(s
        .errors
        .last()
        .unwrap()
        .message
        .contains("Looking up group team"));
}

#[test]
fn command_line_user_opens_the_best_match_and_q_quits() {
    let mut s = state();
    s.directory.upsert(user("ada", "Ada Lovelace"));
    s.directory.upsert(user("bob", "Bob Stone"));
    let cmds = run_command(&mut s, "user lovelace");
    assert_eq!(s.profile_id(), Some("ada"));
    assert!(cmds
        .iter()
        .any(|c| matches!(c, Command::FetchGroups { account_id, .. } if account_id == "ada")));
    assert_eq!(s.focus, Focus::Groups);
    run_command(&mut s, "q");
    assert!(s.quit);
}

#[test]
fn tab_completes_commands_and_what_is_known() {
    let mut s = state();
    with_spaces(&mut s);
    s.directory.upsert(user("ada", "Ada Lovelace"));
    s.directory.upsert(user("adam", "Adam Smith"));
    update(&mut s, Intent::StartCommand);
    let text = |s: &State| s.lists.command.as_ref().unwrap().value().to_string();
    type_text(&mut s, "sp");
    // Tab arrives as FocusNext (the text box's Tab); in the command line it completes.
    update(&mut s, Intent::FocusNext);
    assert_eq!(text(&s), "space ");
    assert_eq!(s.focus, Focus::Search, "Tab did not move focus");
    type_text(&mut s, "o");
    update(&mut s, Intent::FocusNext);
    assert_eq!(text(&s), "space OPS");
    update(&mut s, Intent::Cancel);
    update(&mut s, Intent::StartCommand);
    type_text(&mut s, "user ad");
    update(&mut s, Intent::FocusNext);
    assert_eq!(text(&s), "user Ada");
    update(&mut s, Intent::FocusNext);
    assert_eq!(text(&s), "user Ada Lovelace");
    update(&mut s, Intent::FocusNext);
    assert_eq!(
        text(&s),
        "user Adam Smith",
        "Tab steps through the candidates"
    );
}

#[test]
fn a_pinned_page_gets_its_title_and_the_filter_finds_it() {
    let mut s = State::new(
        "acme.example",
        vec![crate::app::state::Pin {
            target: WatchTarget::Content("111".into()),
        }],
        Utc::now(),
    );
    // Pins read from disk ask for their titles at start.
    let cmds = init(&mut s);
    let (id, page_id) = cmds
        .iter()
        .find_map(|c| match c {
            Command::FetchPageTitle { id, page_id } => Some((*id, page_id.clone())),
            _ => None,
        })
        .expect("the pinned page's title asked for");
    assert_eq!(page_id, "111");
    update(
        &mut s,
        Done::PageTitle {
            id,
            page_id,
            result: Ok("Engineering handbook".into()),
        },
    );
    assert_eq!(s.watch.rows[0].title, "Engineering handbook");
    update(&mut s, Intent::FocusPane(Focus::Watchlist));
    update(&mut s, Intent::Filter);
    type_text(&mut s, "handbook");
    assert_eq!(s.watch.rows.len(), 1);

    // A page pinned later asks too; a failure leaves the id and says why on the row.
    update(&mut s, Intent::Cancel);
    update(&mut s, Intent::StartPin);
    type_text(&mut s, "page:222");
    let cmds = update(&mut s, Intent::Submit);
    let id = cmds
        .iter()
        .find_map(|c| match c {
            Command::FetchPageTitle { id, page_id } if page_id == "222" => Some(*id),
            _ => None,
        })
        .expect("the new pin's title asked for");
    update(
        &mut s,
        Done::PageTitle {
            id,
            page_id: "222".into(),
            result: Err(ApiError::NotFound {
                endpoint: "GET /api/v2/pages/{id}".into(),
                message: String::new(),
            }),
        },
    );
    let row = s
        .watch
        .rows
        .iter()
        .find(|r| r.target == WatchTarget::Content("222".into()))
        .unwrap();
    assert_eq!(row.title, "222");
    assert_eq!(
        s.lists.page_titles.get("222"),
        Some(&Loadable::Failed("not found".into()))
    );
    assert!(!s.pending_free.contains(&id));
}

/// `/` filters the error log as it does every list: the entries kept, the selection on the
/// newest of them, Enter keeps the filter and gives the keys back, and Esc clears it.
#[test]
fn slash_filters_the_error_log() {
    let mut s = state();
    for message in [
        "GET /space: rate limited by Confluence; retry in 7 s.",
        "GET /search/user: Confluence rejected the request.",
        "GET /user/watch/space: no answer within 20 s (tried twice).",
    ] {
        update(
            &mut s,
            Done::EffectFailed {
                message: message.into(),
            },
        );
    }
    s.focus = Focus::Groups;
    s.mode = Mode::Normal;
    update(&mut s, Intent::ToggleErrorLog);
    assert_eq!(key(&s, '/'), Some(Intent::Filter));
    update(&mut s, Intent::Filter);
    assert_eq!(
        s.active_input(),
        crate::app::state::ActiveInput::ErrorsFilter
    );
    type_text(&mut s, "SPACE");
    let kept: Vec<&str> = crate::app::lists::error_rows(&s)
        .into_iter()
        .map(|i| s.errors[i].message.as_str())
        .collect();
    assert_eq!(kept.len(), 2, "{kept:?}");
    assert!(kept[1].starts_with("GET /user/watch/space"));
    assert_eq!(s.error_list.selected, 1, "the newest entry kept");
    update(&mut s, Intent::Submit);
    assert_eq!(s.mode, Mode::Normal);
    assert_eq!(
        crate::app::lists::error_rows(&s).len(),
        2,
        "the filter stays"
    );
    update(&mut s, Intent::Up);
    assert_eq!(s.error_list.selected, 0);
    update(&mut s, Intent::Filter);
    update(&mut s, Intent::Cancel);
    assert_eq!(crate::app::lists::error_rows(&s).len(), 3);
    assert_eq!(s.error_list.selected, 2);
}

/// `:site NAME` switches to another configured site: Tab completes the name, a known one ends
/// this UI with the switch asked for (the runtime opens that site next), and an unknown one says
/// which sites there are.
#[test]
fn colon_site_switches_to_a_configured_site() {
    let mut s = state();
    s.lists.sites = vec!["acme".into(), "beta-labs".into()];
    update(&mut s, Intent::StartCommand);
    type_text(&mut s, "site be");
    update(&mut s, Intent::FocusNext);
    assert_eq!(s.lists.command.as_ref().unwrap().value(), "site beta-labs");
    update(&mut s, Intent::Cancel);

    run_command(&mut s, "site nowhere");
    assert!(!s.quit);
    let notice = s.notice.clone().unwrap_or_default();
    assert!(notice.contains("No site named nowhere"), "{notice}");
    assert!(notice.contains("acme, beta-labs"), "{notice}");

    run_command(&mut s, "site BETA-LABS");
    assert_eq!(s.lists.switch_site.as_deref(), Some("beta-labs"));
    assert!(s.quit, "this site's UI ends; the runtime opens the next");
}
