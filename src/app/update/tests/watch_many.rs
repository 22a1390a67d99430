//! Marks in the watch list and toggling the marked rows together: each row confirmed or rolled
//! back on its own, the count in the status line, marks through filtering, Esc.

use super::*;
use pretty_assertions::assert_eq;

fn space(key: &str) -> WatchTarget {
    WatchTarget::Space(key.into())
}

/// The watch list with ENG, HR and OPS loaded, their statuses as given, and focus on it.
fn watch_list(watched: &[(&str, bool)]) -> State {
    let mut s = state();
    let ids = status_ids(&with_spaces(&mut s));
    for (id, target) in ids {
        let on = watched
            .iter()
            .find(|(k, _)| target == space(k))
            .is_some_and(|(_, w)| *w);
        update(
            &mut s,
            Done::WatchStatusLoaded {
                id,
                user: None,
                target,
                result: Ok(on),
            },
        );
    }
    update(&mut s, Intent::FocusPane(Focus::Watchlist));
    s
}

fn set_watches(cmds: &[Command]) -> Vec<(RequestId, WatchTarget, bool)> {
    cmds.iter()
        .filter_map(|c| match c {
            Command::SetWatch {
                id, target, watch, ..
            } => Some((*id, target.clone(), *watch)),
            _ => None,
        })
        .collect()
}

fn answer(s: &mut State, id: RequestId, target: &WatchTarget, result: Result<(), ApiError>) {
    update(
        s,
        Done::WatchSet {
            id,
            user: None,
            target: target.clone(),
            result,
        },
    );
}

fn shown(s: &State, key: &str) -> Option<bool> {
    s.watch.statuses[&(None, space(key))].shown()
}

#[test]
fn space_marks_the_row_and_moves_down_esc_clears_the_marks_first() {
    let mut s = watch_list(&[]);
    update(&mut s, Intent::ToggleMark);
    assert_eq!(s.watch.list.selected, 1, "Space moves to the next row");
    update(&mut s, Intent::ToggleMark);
    assert_eq!(
        s.watch.marks.iter().cloned().collect::<Vec<_>>(),
        [space("ENG"), space("HR")]
    );
    assert!(s.notice.as_deref().unwrap().starts_with("2 marked"));
    // Space on a marked row unmarks it.
    update(&mut s, Intent::Up);
    update(&mut s, Intent::ToggleMark);
    assert_eq!(s.watch.marks.len(), 1);
    // Esc: the marks go; the filter (none here) is untouched; no watch was toggled.
    let cmds = update(&mut s, Intent::Back);
    assert!(s.watch.marks.is_empty());
    assert!(set_watches(&cmds).is_empty());
}

#[test]
fn marks_survive_filtering_and_mark_all_marks_what_the_filter_shows() {
    let mut s = watch_list(&[]);
    update(&mut s, Intent::ToggleMark); // ENG
    update(&mut s, Intent::StartFilter);
    type_text(&mut s, "hr");
    update(&mut s, Intent::Submit);
    assert_eq!(s.watch.rows.len(), 1);
    update(&mut s, Intent::MarkAllVisible);
    assert_eq!(
        s.watch.marks.iter().cloned().collect::<Vec<_>>(),
        [space("ENG"), space("HR")],
        "ENG stays marked while hidden; HR, the one row shown, is marked"
    );
    // Again: every shown row is marked, so they are unmarked; hidden marks stay.
    update(&mut s, Intent::MarkAllVisible);
    assert_eq!(
        s.watch.marks.iter().cloned().collect::<Vec<_>>(),
        [space("ENG")]
    );
    // The first Esc clears the marks, the second the filter.
    update(&mut s, Intent::Back);
    assert!(s.watch.marks.is_empty());
    assert_eq!(s.watch.filter.value(), "hr");
    update(&mut s, Intent::Back);
    assert_eq!(s.watch.filter.value(), "");
}

#[test]
fn marked_rows_toggle_together_each_confirmed_or_rolled_back_on_its_own() {
    let mut s = watch_list(&[]);
    update(&mut s, Intent::MarkAllVisible);
    let cmds = update(&mut s, Intent::ToggleWatch);
    let sent = set_watches(&cmds);
    assert_eq!(sent.len(), 3);
    assert!(sent.iter().all(|(_, _, watch)| *watch));
    for key in ["ENG", "HR", "OPS"] {
        assert_eq!(shown(&s, key), Some(true), "{key} shows watched at once");
    }
    let (eng, hr, ops) = (&sent[0], &sent[1], &sent[2]);
    answer(&mut s, eng.0, &eng.1, Ok(()));
    assert_eq!(s.notice.as_deref(), Some("1 of 3 now watched; 2 waiting…"));
    answer(
        &mut s,
        hr.0,
        &hr.1,
        Err(ApiError::Forbidden {
            endpoint: "POST /user/watch/space".into(),
            message: "no".into(),
        }),
    );
    answer(&mut s, ops.0, &ops.1, Ok(()));
    assert_eq!(shown(&s, "ENG"), Some(true));
    assert_eq!(shown(&s, "HR"), Some(false), "HR rolled back");
    assert_eq!(shown(&s, "OPS"), Some(true));
    assert_eq!(
        s.notice.as_deref(),
        Some("2 of 3 now watched; 1 failed: space HR: no access")
    );
    assert!(s
        .errors
        .iter()
        .any(|e| e.message.contains("Could not watch space HR")));
    // The failed row stays marked, so `w` again retries just it.
    assert_eq!(
        s.watch.marks.iter().cloned().collect::<Vec<_>>(),
        [space("HR")]
    );
    let retry = set_watches(&update(&mut s, Intent::ToggleWatch));
    assert_eq!(retry.len(), 1);
    assert_eq!((retry[0].1.clone(), retry[0].2), (space("HR"), true));
}

/// Mixed rows: one press makes them uniform (watch the unwatched ones); a second press, with all
/// watched, unwatches them all.
#[test]
fn mixed_marked_rows_are_all_watched_then_all_unwatched() {
    let mut s = watch_list(&[("ENG", true)]);
    update(&mut s, Intent::MarkAllVisible);
    let sent = set_watches(&update(&mut s, Intent::ToggleWatch));
    let targets: Vec<(WatchTarget, bool)> = sent.iter().map(|(_, t, w)| (t.clone(), *w)).collect();
    assert_eq!(targets, [(space("HR"), true), (space("OPS"), true)]);
    for (id, target, _) in &sent {
        answer(&mut s, *id, target, Ok(()));
    }
    assert_eq!(s.notice.as_deref(), Some("2 of 2 now watched"));
    assert!(s.watch.marks.is_empty(), "rows that changed are unmarked");

    update(&mut s, Intent::MarkAllVisible);
    let sent = set_watches(&update(&mut s, Intent::ToggleWatch));
    assert_eq!(sent.len(), 3);
    assert!(sent.iter().all(|(_, _, watch)| !*watch));
    for (id, target, _) in &sent {
        answer(&mut s, *id, target, Ok(()));
    }
    assert_eq!(s.notice.as_deref(), Some("3 of 3 no longer watched"));
}

#[test]
fn a_marked_row_without_a_known_status_is_skipped_and_asked_again() {
    let mut s = state();
    let ids = status_ids(&with_spaces(&mut s));
    update(&mut s, Intent::FocusPane(Focus::Watchlist));
    // ENG is known (not watched); HR failed; OPS is still loading.
    for (id, target) in ids {
        let result = match target.id() {
            "ENG" => Ok(false),
            "HR" => Err(ApiError::Network {
                endpoint: "GET /user/watch/space".into(),
                detail: "reset".into(),
            }),
            _ => continue,
        };
        update(
            &mut s,
            Done::WatchStatusLoaded {
                id,
                user: None,
                target,
                result,
            },
        );
    }
    update(&mut s, Intent::MarkAllVisible);
    let cmds = update(&mut s, Intent::ToggleWatch);
    let sent = set_watches(&cmds);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].1, space("ENG"));
    assert!(
        s.notice.as_deref().unwrap().contains("2 skipped"),
        "{:?}",
        s.notice
    );
    let asked: Vec<WatchTarget> = status_ids(&cmds).into_iter().map(|(_, t)| t).collect();
    assert_eq!(asked, [space("HR")], "the failed status is asked again");
}

#[test]
fn an_unanswered_write_in_a_batch_is_counted_as_unknown_and_checked() {
    let mut s = watch_list(&[]);
    update(&mut s, Intent::ToggleMark);
    update(&mut s, Intent::ToggleMark);
    let sent = set_watches(&update(&mut s, Intent::ToggleWatch));
    answer(&mut s, sent[0].0, &sent[0].1, Ok(()));
    update(
        &mut s,
        Done::WatchSet {
            id: sent[1].0,
            user: None,
            target: sent[1].1.clone(),
            result: Err(ApiError::OutcomeUnknown {
                endpoint: "POST /user/watch/space".into(),
                detail: "timeout".into(),
            }),
        },
    );
    assert_eq!(
        s.notice.as_deref(),
        Some("1 of 2 now watched; 1 unknown, checking")
    );
    assert!(matches!(
        s.watch.statuses[&(None, sent[1].1.clone())],
        WatchStatus::Checking(_)
    ));
}
