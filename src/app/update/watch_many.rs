//! Marks in the watch list, and toggling the marked rows together.
//!
//! Marks are kept by target, not by row, so they survive filtering and the list growing as
//! spaces load; Esc clears them (before it clears the filter). `w` (or Enter) with rows marked
//! toggles them all, each optimistically with its own request, confirmed or rolled back on its
//! own exactly as a single toggle is (`watch.rs`); a [`WatchBatch`] only counts the answers
//! for the status line.
//!
//! Marked rows in mixed states: one press makes them uniform. If any marked row is not watched,
//! `w` watches those (rows already watched are left alone); if every marked row is watched, it
//! stops watching them all. So a second press undoes the first, as with a single row. Rows
//! whose status is not known yet (loading, saving, failed) are skipped and counted in the
//! notice; a failed status is asked for again. Rows already as wanted, and those the server
//! confirms, are unmarked; failed and skipped ones stay marked, so `w` again retries just those.

use super::watch::{request_visible_statuses, shown_target};
use crate::api::WatchTarget;
use crate::app::command::Command;
use crate::app::request::RequestId;
use crate::app::state::{Focus, State, WatchBatch, WatchStatus};

/// Space / `v`: marks or unmarks the highlighted row and moves to the next.
pub(super) fn toggle_mark(state: &mut State, cmds: &mut Vec<Command>) {
    if state.focus != Focus::Watchlist {
        return;
    }
    let Some(row) = state.watch.rows.get(state.watch.list.selected) else {
        return;
    };
    let target = row.target.clone();
    if !state.watch.marks.remove(&target) {
        state.watch.marks.insert(target);
    }
    let len = state.watch.rows.len();
    let next = (state.watch.list.selected + 1).min(len.saturating_sub(1));
    state.watch.list.select(next, len, state.heights.watch);
    request_visible_statuses(state, cmds);
    state.notice = Some(marked_notice(state));
}

/// `V` / `*`: marks every row the filter shows; when they are all marked already, unmarks them.
pub(super) fn mark_all_visible(state: &mut State) {
    if state.focus != Focus::Watchlist {
        return;
    }
    let shown: Vec<WatchTarget> = state.watch.rows.iter().map(|r| r.target.clone()).collect();
    if shown.iter().all(|t| state.watch.marks.contains(t)) {
        for t in &shown {
            state.watch.marks.remove(t);
        }
    } else {
        state.watch.marks.extend(shown);
    }
    state.notice = Some(marked_notice(state));
}

/// Esc with rows marked: unmarks them all (the filter stays; the next Esc clears it).
pub(super) fn clear_marks(state: &mut State) {
    state.watch.marks.clear();
    state.notice = Some("Marks cleared".into());
}

fn marked_notice(state: &State) -> String {
    match state.watch.marks.len() {
        0 => "No rows marked".into(),
        n => format!("{n} marked · w toggles them together · Esc clears"),
    }
}

/// `w` with rows marked: watches the marked rows not watched, or, when all are watched, stops
/// watching them all; each row is sent and answered on its own.
pub(super) fn toggle_marked(state: &mut State, cmds: &mut Vec<Command>) {
    let user = state.watch_subject();
    let marked: Vec<WatchTarget> = state.watch.marks.iter().cloned().collect();
    let known: Vec<(WatchTarget, bool)> = marked
        .iter()
        .filter_map(
            |t| match state.watch.statuses.get(&(user.clone(), t.clone())) {
                Some(WatchStatus::Known(w)) => Some((t.clone(), *w)),
                _ => None,
            },
        )
        .collect();
    let unknown: Vec<WatchTarget> = marked
        .iter()
        .filter(|t| !known.iter().any(|(k, _)| k == *t))
        .cloned()
        .collect();
    for t in &unknown {
        let key = (user.clone(), t.clone());
        if matches!(
            state.watch.statuses.get(&key),
            Some(WatchStatus::Failed(_)) | None
        ) {
            state.watch.statuses.remove(&key);
        }
    }
    let watch = known.iter().any(|(_, w)| !*w);
    let mut batch = WatchBatch {
        watch,
        ..WatchBatch::default()
    };
    // Rows already as wanted are done: unmarked now, like the ones the server confirms.
    for (target, _) in known.iter().filter(|(_, w)| *w == watch) {
        state.watch.marks.remove(target);
    }
    for (target, was) in known.into_iter().filter(|(_, w)| *w != watch) {
        let id = state.next_id();
        state.pending_free.insert(id);
        state.watch.statuses.insert(
            (user.clone(), target.clone()),
            WatchStatus::Pending { was, id },
        );
        batch.waiting.insert(id);
        batch.total += 1;
        cmds.push(Command::SetWatch {
            id,
            user: user.clone(),
            target,
            watch,
        });
    }
    let skipped = match unknown.len() {
        0 => String::new(),
        n => format!("; {n} skipped (status not known yet: press w again once it shows)"),
    };
    if batch.total == 0 {
        state.notice = Some(format!("Nothing to change{skipped}"));
    } else {
        state.notice = Some(format!(
            "{} {} marked rows…{skipped}",
            if watch { "Watching" } else { "Unwatching" },
            batch.total
        ));
        state.watch.batch = Some(batch);
    }
    // Rows whose status failed (or was never asked) are asked again, for the next press.
    request_visible_statuses(state, cmds);
    let mut missing: Vec<(RequestId, WatchTarget)> = Vec::new();
    for t in unknown {
        let key = (user.clone(), t.clone());
        if state.watch.statuses.contains_key(&key) {
            continue;
        }
        let id = state.next_id();
        state.pending_free.insert(id);
        state.watch.statuses.insert(key, WatchStatus::Loading(id));
        missing.push((id, t));
    }
    if !missing.is_empty() {
        cmds.push(Command::FetchWatchStatuses {
            user,
            targets: missing,
        });
    }
}

/// How one marked row's toggle ended.
pub(super) enum Settled {
    /// The server confirmed it.
    Done,
    /// Rolled back, with why.
    Failed(String),
    /// No answer: its status is being checked.
    Unknown,
}

/// Whether `id` is a request of the toggle of marked rows still being answered.
pub(super) fn in_batch(state: &State, id: RequestId) -> bool {
    state
        .watch
        .batch
        .as_ref()
        .is_some_and(|b| b.waiting.contains(&id))
}

/// Counts one answer of the marked rows' toggle; the status line shows the count, and the
/// summary once the last answer is in. A confirmed row is unmarked; a failed one stays marked.
pub(super) fn settle(state: &mut State, id: RequestId, target: &WatchTarget, how: Settled) {
    let Some(batch) = state.watch.batch.as_mut() else {
        return;
    };
    if !batch.waiting.remove(&id) {
        return;
    }
    match how {
        Settled::Done => {
            batch.done += 1;
            state.watch.marks.remove(target);
        }
        Settled::Failed(why) => batch
            .failed
            .push(format!("{}: {why}", shown_target(target))),
        Settled::Unknown => batch.unknown += 1,
    }
    let verb = if batch.watch {
        "now watched"
    } else {
        "no longer watched"
    };
    let mut text = format!("{} of {} {verb}", batch.done, batch.total);
    if !batch.waiting.is_empty() {
        text.push_str(&format!("; {} waiting…", batch.waiting.len()));
    }
    if let Some(first) = batch.failed.first() {
        text.push_str(&format!("; {} failed: {first}", batch.failed.len()));
        if batch.failed.len() > 1 {
            text.push_str(" (E: all)");
        }
    }
    if batch.unknown > 0 {
        text.push_str(&format!("; {} unknown, checking", batch.unknown));
    }
    if batch.waiting.is_empty() {
        state.watch.batch = None;
    }
    state.notice = Some(text);
}
