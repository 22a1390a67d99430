//! Watch-list tests: statuses of visible rows in one batch, optimistic toggles, pins, a
//! colleague's watches, and the filter.

use super::*;
use pretty_assertions::assert_eq;

#[test]
fn visible_watch_rows_get_their_status_in_one_batch() {
    let mut s = state();
    let cmds = with_spaces(&mut s);
    let ids = status_ids(&cmds);
    assert_eq!(ids.len(), 3);
    // Asking again for the same rows sends nothing new.
    let again = update(&mut s, Intent::FocusPane(Focus::Watchlist));
    assert!(status_ids(&again).is_empty());
}

#[test]
fn toggling_a_watch_is_optimistic_then_confirmed_or_rolled_back() {
    let mut s = state();
    let ids = status_ids(&with_spaces(&mut s));
    for (id, target) in ids {
        update(
            &mut s,
            Done::WatchStatusLoaded {
                id,
                user: None,
                target,
                result: Ok(false),
            },
        );
    }
    update(&mut s, Intent::FocusPane(Focus::Watchlist));
    let key = (None, WatchTarget::Space("ENG".into()));

    // Confirmed.
    let cmds = update(&mut s, Intent::ToggleWatch);
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
        Done::WatchSet {
            id,
            user: None,
            target: key.1.clone(),
            result: Ok(()),
        },
    );
    assert_eq!(s.watch.statuses[&key], WatchStatus::Known(true));

    // Rolled back, with a visible error.
    let cmds = update(&mut s, Intent::ToggleWatch);
    let id = match &cmds[..] {
        [Command::SetWatch {
            id, watch: false, ..
        }] => *id,
        other => panic!("{other:?}"),
    };
    assert_eq!(s.watch.statuses[&key].shown(), Some(false));
    update(
        &mut s,
        Done::WatchSet {
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
    update(&mut s, Intent::StartPin);
    assert_eq!(s.mode, Mode::Editing);
    type_text(&mut s, "label:release-notes");
    let cmds = update(&mut s, Intent::Submit);
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
    let cmds = update(&mut s, Intent::Unpin);
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
    let cmds = update(&mut s, Intent::ToggleWatchSubject);
    let theirs = status_ids(&cmds);
    assert_eq!(theirs.len(), 3);
    assert_eq!(s.watch_subject().as_deref(), Some("bob"));
    update(
        &mut s,
        Done::WatchStatusLoaded {
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
fn the_watch_filter_narrows_rows_and_esc_clears_it() {
    let mut s = state();
    with_spaces(&mut s);
    update(&mut s, Intent::StartFilter);
    type_text(&mut s, "hr");
    assert_eq!(s.watch.rows.len(), 1);
    assert_eq!(s.watch.rows[0].target, WatchTarget::Space("HR".into()));
    update(&mut s, Intent::Cancel);
    assert_eq!(s.watch.rows.len(), 3);
    assert_eq!(s.mode, Mode::Normal);
}

/// A toggle whose answer never came (the server may have applied it): the row is not rolled back
/// but marked unknown, its real status is fetched at once, and what the server says is shown.
#[test]
fn a_toggle_whose_outcome_is_unknown_is_checked_not_rolled_back() {
    let mut s = state();
    let ids = status_ids(&with_spaces(&mut s));
    for (id, target) in ids {
        update(
            &mut s,
            Done::WatchStatusLoaded {
                id,
                user: None,
                target,
                result: Ok(false),
            },
        );
    }
    update(&mut s, Intent::FocusPane(Focus::Watchlist));
    let key = (None, WatchTarget::Space("ENG".into()));
    let cmds = update(&mut s, Intent::ToggleWatch);
    let id = match &cmds[..] {
        [Command::SetWatch { id, .. }] => *id,
        other => panic!("{other:?}"),
    };

    let cmds = update(
        &mut s,
        Done::WatchSet {
            id,
            user: None,
            target: key.1.clone(),
            result: Err(ApiError::OutcomeUnknown {
                endpoint: "POST /user/watch/space/{key}".into(),
                detail: "connection closed before message completed".into(),
            }),
        },
    );

    // Neither rolled back nor confirmed: unknown, and asked for straight away.
    assert_eq!(
        s.watch.statuses[&key].shown(),
        None,
        "{:?}",
        s.watch.statuses[&key]
    );
    let asked = status_ids(&cmds);
    assert_eq!(asked.len(), 1, "{cmds:?}");
    assert_eq!(asked[0].1, key.1);
    let notice = s.notice.clone().unwrap_or_default();
    assert!(
        notice.contains("unknown") && notice.contains("checking"),
        "{notice}"
    );
    // A second `w` while checking sends nothing.
    assert!(update(&mut s, Intent::ToggleWatch).is_empty());

    // The server had applied it: the row shows what it says.
    update(
        &mut s,
        Done::WatchStatusLoaded {
            id: asked[0].0,
            user: None,
            target: key.1.clone(),
            result: Ok(true),
        },
    );
    assert_eq!(s.watch.statuses[&key], WatchStatus::Known(true));
    assert!(s
        .notice
        .as_deref()
        .unwrap_or_default()
        .contains("watching space ENG"));
    assert_eq!(s.pending_free.len(), 0);
}

/// A page of `n` spaces named `{prefix}0…`, whose `next` is the v2 link with `cursor`.
fn cursor_page(prefix: &str, n: usize, cursor: Option<&str>) -> Page<Space> {
    Page {
        results: (0..n)
            .map(|i| Space {
                key: format!("{prefix}{i}"),
                name: format!("{prefix}{i} space"),
                ..Space::default()
            })
            .collect(),
        links: Links {
            next: cursor.map(|c| format!("/wiki/api/v2/spaces?cursor={c}&limit=50")),
            ..Links::default()
        },
        ..Page::default()
    }
}

/// The `after` link and id of the spaces page `cmds` ask for.
fn spaces_asked(cmds: &[Command]) -> Option<(RequestId, Option<String>)> {
    cmds.iter().find_map(|c| match c {
        Command::FetchSpaces { id, after, .. } => Some((*id, after.clone())),
        _ => None,
    })
}

/// Moves the watch list's selection down until a spaces page is asked for (or `max` moves).
fn scroll_until_spaces_asked(s: &mut State, max: usize) -> Option<(RequestId, Option<String>)> {
    update(s, Intent::FocusPane(Focus::Watchlist));
    (0..max).find_map(|_| spaces_asked(&update(s, Intent::Down)))
}

#[test]
fn the_watch_list_asks_for_the_next_spaces_page_by_its_cursor_link_near_the_end() {
    let mut s = state();
    let (id, after) = spaces_asked(&init(&mut s)).unwrap();
    assert_eq!(after, None, "the first page has no cursor");
    update(
        &mut s,
        Loaded::Spaces {
            id,
            result: Ok(cursor_page("A", 20, Some("c2"))),
        },
    );
    assert_eq!(
        s.watch.spaces_next.as_deref(),
        Some("/wiki/api/v2/spaces?cursor=c2&limit=50")
    );
    let (id, after) = scroll_until_spaces_asked(&mut s, 30).expect("asked near the end");
    assert!(s.watch.list.selected + 5 >= 20, "not before the end nears");
    assert_eq!(
        after.as_deref(),
        Some("/wiki/api/v2/spaces?cursor=c2&limit=50")
    );
    update(
        &mut s,
        Loaded::Spaces {
            id,
            result: Ok(cursor_page("B", 3, None)),
        },
    );
    assert_eq!(s.watch.spaces.len(), 23);
    assert_eq!(s.watch.spaces_next, None, "the last page ends the list");
    assert!(scroll_until_spaces_asked(&mut s, 30).is_none());
    assert!(s.errors.is_empty());
}

#[test]
fn a_spaces_page_whose_next_repeats_a_cursor_stops_the_list_with_an_error() {
    let mut s = state();
    let (id, _) = spaces_asked(&init(&mut s)).unwrap();
    update(
        &mut s,
        Loaded::Spaces {
            id,
            result: Ok(cursor_page("A", 20, Some("c2"))),
        },
    );
    let (id, _) = scroll_until_spaces_asked(&mut s, 30).unwrap();
    // The server sends page c2 again as its own next page.
    update(
        &mut s,
        Loaded::Spaces {
            id,
            result: Ok(cursor_page("B", 20, Some("c2"))),
        },
    );
    assert_eq!(s.watch.spaces.len(), 40, "what arrived is kept");
    assert_eq!(s.watch.spaces_next, None);
    assert!(scroll_until_spaces_asked(&mut s, 60).is_none(), "no loop");
    assert_eq!(s.errors.len(), 1);
    assert!(
        s.errors[0].message.contains("did not end"),
        "{:?}",
        s.errors[0].message
    );
}

#[test]
fn refreshing_the_watch_list_reads_the_spaces_again_from_the_first_page() {
    let mut s = state();
    let (id, _) = spaces_asked(&init(&mut s)).unwrap();
    update(
        &mut s,
        Loaded::Spaces {
            id,
            result: Ok(cursor_page("A", 20, Some("c2"))),
        },
    );
    update(&mut s, Intent::FocusPane(Focus::Watchlist));
    let (id, after) = spaces_asked(&update(&mut s, Intent::Refresh)).expect("asked again");
    assert_eq!(after, None);
    assert!(s.watch.spaces.is_empty());
    // The same cursor is fine in the new reading.
    update(
        &mut s,
        Loaded::Spaces {
            id,
            result: Ok(cursor_page("A", 20, Some("c2"))),
        },
    );
    assert!(s.watch.spaces_next.is_some());
    assert!(s.errors.is_empty());
}
