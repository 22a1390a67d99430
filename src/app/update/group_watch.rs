//! `W` on a group's member list: every member's watch of one target, and making them all watch
//! it or stop (administrators only). The target is the watch list's highlighted row (choose it
//! in pane 4, then press `W` in the member list), so no new prompt is needed.
//!
//! The order keeps writes behind a person's decision, and away from anyone who may not:
//! 1. refused at once, with nothing sent, when the account's `operations` (asked for at start,
//!    `expand=operations`) lack `administer` on the application: the watch endpoints need the
//!    "Confluence Administrator" global permission to name another user;
//! 2. every member is fetched (all pages), then each one's status read (the worker's bounded,
//!    rate-limit-aware status queue): a column in the member list, and "31 of 43 watch space
//!    PLAT" in its title;
//! 3. `+` (make all watch) or `-` (make all stop) shows the plan ("12 already watching, 31 to
//!    add") and asks `y` / `n`;
//! 4. `y` writes, [`GROUP_WRITES_AT_ONCE`] at a time, the count in the status line; members
//!    already in the wanted state are never written, so pressing `+` again after failures (or
//!    after quitting halfway) is the resume;
//! 5. the report: changed, already so, failed (each failure with why in the error log).

use super::log_error;
use super::watch::shown_target;
use crate::api::model::User;
use crate::api::ApiError;
use crate::app::command::Command;
use crate::app::request::RequestId;
use crate::app::state::{Focus, GroupPhase, GroupView, GroupWatch, MemberWatch, State};

/// Watch writes in flight at once for a group, at most: bounded, so a large group does not meet
/// the site's burst limit head-on; the worker's adaptive ceiling lowers it under pressure.
pub const GROUP_WRITES_AT_ONCE: usize = 8;

/// Whether the signed-in account administers the site, as far as its `operations` tell:
/// `Some(false)` only when they were sent and lack `administer` on the application (or site).
pub fn is_admin(state: &State) -> Option<bool> {
    state.me.loaded()?.administers_site()
}

/// `W`: starts reading every member's status of the watch list's highlighted target.
pub(super) fn start(state: &mut State, cmds: &mut Vec<Command>) {
    let Some(GroupView::Members { group, .. }) = state.groups.last() else {
        state.notice = Some("Open a group's members first (Enter on a group), then W".into());
        return;
    };
    if state.focus != Focus::Groups {
        return;
    }
    let group = group.clone();
    if state
        .watch
        .group
        .as_ref()
        .is_some_and(|g| g.phase == GroupPhase::Writing)
    {
        state.notice = Some("A group-wide change is still being written; W once it is done".into());
        return;
    }
    if is_admin(state) == Some(false) {
        log_error(
            state,
            "Only Confluence administrators can see or change the watches of a group's members; nothing was sent."
                .into(),
        );
        return;
    }
    let Some(row) = state.watch.rows.get(state.watch.list.selected) else {
        state.notice = Some("Highlight a space, label or page in the watch list (4) first".into());
        return;
    };
    let target = row.target.clone();
    let id = state.next_id();
    state.pending_free.insert(id);
    let mut run = GroupWatch {
        group_id: group.id.clone(),
        group_name: group.name.clone(),
        target: target.clone(),
        phase: GroupPhase::Members,
        members: Vec::new(),
        status: Default::default(),
        asked: Default::default(),
        queue: Default::default(),
        watch: true,
        changed: 0,
        already: 0,
        failed: Vec::new(),
        total: 0,
    };
    run.asked.insert(id, String::new());
    state.watch.group = Some(run);
    state.notice = Some(format!(
        "{}: reading every member's watch of {}…",
        crate::sanitize::fit(&group.name, 30),
        shown_target(&target)
    ));
    cmds.push(Command::FetchAllMembers {
        id,
        group_id: group.id,
    });
}

/// Whether `id` is a request of the group-wide run.
pub(super) fn owns(state: &State, id: RequestId) -> bool {
    state
        .watch
        .group
        .as_ref()
        .is_some_and(|g| g.asked.contains_key(&id))
}

/// Every member arrived: each one's status is asked for.
pub(super) fn members_loaded(
    state: &mut State,
    id: RequestId,
    result: Result<Vec<User>, ApiError>,
    cmds: &mut Vec<Command>,
) {
    state.pending_free.remove(&id);
    if !owns(state, id) {
        return;
    }
    let users = match result {
        Ok(users) => users,
        Err(e) => {
            state.watch.group = None;
            log_error(state, format!("Could not list the group's members: {e}"));
            return;
        }
    };
    let mut asked = Vec::new();
    let Some(run) = state.watch.group.as_mut() else {
        return;
    };
    run.asked.remove(&id);
    run.members = users
        .iter()
        .filter_map(|u| Some((u.account_id.clone()?, u.name().to_string())))
        .collect();
    run.phase = GroupPhase::Statuses;
    let (target, members) = (run.target.clone(), run.members.clone());
    for (account, _) in members {
        let id = state.next_id();
        state.pending_free.insert(id);
        if let Some(run) = state.watch.group.as_mut() {
            run.asked.insert(id, account.clone());
            run.status.insert(account.clone(), MemberWatch::Loading);
        }
        asked.push(Command::FetchWatchStatuses {
            user: Some(account),
            targets: vec![(id, target.clone())],
        });
    }
    cmds.extend(asked);
    finish_statuses(state);
}

/// One member's status arrived. A 403 for another user means the account is no administrator
/// (a site that did not send `operations`): the run stops there, before any write.
pub(super) fn status_loaded(state: &mut State, id: RequestId, result: Result<bool, ApiError>) {
    state.pending_free.remove(&id);
    let Some(run) = state.watch.group.as_mut() else {
        return;
    };
    let Some(account) = run.asked.remove(&id) else {
        return;
    };
    match result {
        Ok(w) => {
            run.status.insert(account, MemberWatch::Known(w));
        }
        Err(e)
            if e.status() == Some(403)
                && !run
                    .status
                    .values()
                    .any(|s| matches!(s, MemberWatch::Known(_))) =>
        {
            state.watch.group = None;
            log_error(
                state,
                "Only Confluence administrators can see or change the watches of a group's members; nothing was changed."
                    .into(),
            );
            return;
        }
        Err(e) => {
            run.status.insert(account, MemberWatch::Failed(short(&e)));
        }
    }
    finish_statuses(state);
}

/// Once every status is in: the counts, and what `+` / `-` would do.
fn finish_statuses(state: &mut State) {
    let Some(run) = state.watch.group.as_mut() else {
        return;
    };
    if run.phase != GroupPhase::Statuses || !run.asked.is_empty() {
        return;
    }
    run.phase = GroupPhase::Ready;
    let (on, total) = run.counts();
    state.notice = Some(format!(
        "{on} of {total} watch {} · + make all watch · - make all stop · Esc close",
        shown_target(&run.target)
    ));
}

/// `+`, `-`, `y`, `n`, Esc while a group-wide run waits for the user.
pub(super) fn key(state: &mut State, key: char, cmds: &mut Vec<Command>) {
    let Some(run) = state.watch.group.as_mut() else {
        return;
    };
    match (run.phase, key) {
        (GroupPhase::Ready, '+' | '-') => {
            run.watch = key == '+';
            let wanted = run.watch;
            run.queue = run
                .members
                .iter()
                .filter(|(id, _)| {
                    matches!(run.status.get(id), Some(MemberWatch::Known(w)) if *w != wanted)
                })
                .map(|(id, _)| id.clone())
                .collect();
            run.already = run
                .status
                .values()
                .filter(|s| matches!(s, MemberWatch::Known(w) if *w == wanted))
                .count();
            let unreadable = run
                .status
                .values()
                .filter(|s| matches!(s, MemberWatch::Failed(_)))
                .count();
            let what = shown_target(&run.target);
            let (verb, state_word) = if wanted {
                ("add", "watching")
            } else {
                ("remove", "not watching")
            };
            if run.queue.is_empty() {
                state.notice = Some(format!(
                    "Nothing to {verb}: {} already {state_word} {what}",
                    run.already
                ));
                return;
            }
            run.phase = GroupPhase::Confirm;
            let skipped = match unreadable {
                0 => String::new(),
                n => format!(", {n} unreadable (skipped)"),
            };
            state.notice = Some(format!(
                "{}: {} already {state_word} {what}, {} to {verb}{skipped}. {} {} watches? y / n",
                crate::sanitize::fit(&run.group_name, 30),
                run.already,
                run.queue.len(),
                if wanted { "Add" } else { "Remove" },
                run.queue.len()
            ));
        }
        (GroupPhase::Confirm, 'y') => {
            run.phase = GroupPhase::Writing;
            run.changed = 0;
            run.failed.clear();
            run.total = run.queue.len();
            send_more(state, cmds);
            progress(state);
        }
        (GroupPhase::Confirm, 'n') => {
            run.phase = GroupPhase::Ready;
            run.queue.clear();
            state.notice = Some("Nothing changed".into());
        }
        (GroupPhase::Ready, 'n') => {
            state.watch.group = None;
        }
        _ => {}
    }
}

/// Keeps [`GROUP_WRITES_AT_ONCE`] writes in flight while members are left to write.
fn send_more(state: &mut State, cmds: &mut Vec<Command>) {
    loop {
        let Some(run) = state.watch.group.as_ref() else {
            return;
        };
        if run.asked.len() >= GROUP_WRITES_AT_ONCE || run.queue.is_empty() {
            return;
        }
        let id = state.next_id();
        state.pending_free.insert(id);
        let Some(run) = state.watch.group.as_mut() else {
            return;
        };
        let Some(account) = run.queue.pop_front() else {
            return;
        };
        run.asked.insert(id, account.clone());
        run.status.insert(account.clone(), MemberWatch::Saving);
        cmds.push(Command::SetWatch {
            id,
            user: Some(account),
            target: run.target.clone(),
            watch: run.watch,
        });
    }
}

/// One member's write was answered: counted, the next one sent, the report at the end.
pub(super) fn written(
    state: &mut State,
    id: RequestId,
    result: Result<(), ApiError>,
    cmds: &mut Vec<Command>,
) {
    state.pending_free.remove(&id);
    let Some(run) = state.watch.group.as_mut() else {
        return;
    };
    let Some(account) = run.asked.remove(&id) else {
        return;
    };
    let name = run
        .members
        .iter()
        .find(|(a, _)| *a == account)
        .map_or_else(|| account.clone(), |(_, n)| n.clone());
    match result {
        Ok(()) => {
            run.changed += 1;
            run.status.insert(account, MemberWatch::Known(run.watch));
        }
        Err(e) => {
            let what = shown_target(&run.target);
            let why = short(&e);
            run.failed.push((name.clone(), why.clone()));
            // Refused: nothing changed, so the member is as before (and `+` / `-` again
            // retries them). No answer: unknown until read again (`W`).
            let after = match e {
                ApiError::OutcomeUnknown { .. } => MemberWatch::Failed(why),
                _ => MemberWatch::Known(!run.watch),
            };
            run.status.insert(account, after);
            let verb = if run.watch { "watch" } else { "stop watching" };
            log_error(state, format!("Could not make {name} {verb} {what}: {e}"));
        }
    }
    send_more(state, cmds);
    progress(state);
}

/// The status line while writing, and the report once done.
fn progress(state: &mut State) {
    let Some(run) = state.watch.group.as_mut() else {
        return;
    };
    let what = shown_target(&run.target);
    let done = run.changed + run.failed.len();
    if run.asked.is_empty() && run.queue.is_empty() {
        run.phase = GroupPhase::Ready;
        let mut text = format!(
            "{}: {} changed, {} already {}, {} failed",
            crate::sanitize::fit(&run.group_name, 30),
            run.changed,
            run.already,
            if run.watch {
                "watching"
            } else {
                "not watching"
            },
            run.failed.len()
        );
        if let Some((name, why)) = run.failed.first() {
            text.push_str(&format!(
                " ({}: {why}; E: all; + / - again retries)",
                crate::sanitize::fit(name, 24)
            ));
        }
        text.push_str(&format!(" · {what}"));
        state.notice = Some(text);
    } else {
        state.notice = Some(format!(
            "{} {what} for {}: {done} of {}{}",
            if run.watch { "Watching" } else { "Unwatching" },
            crate::sanitize::fit(&run.group_name, 30),
            run.total,
            match run.failed.len() {
                0 => String::new(),
                n => format!(" · {n} failed"),
            }
        ));
    }
}

/// A few words on why a member's read or write failed.
fn short(e: &ApiError) -> String {
    match e.status() {
        Some(403) => "no access".into(),
        Some(404) => "not found".into(),
        Some(429) => "rate limited".into(),
        Some(s) => format!("HTTP {s}"),
        None => "no answer".into(),
    }
}
