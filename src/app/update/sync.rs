//! `:sync` and `:sync stop`: the whole directory synced in the background (the engine is
//! [`crate::directory_sync`], run by the worker), its progress in the status bar, and the people
//! it finds merged into the directory page by page, so they are searchable as they arrive.
//!
//! One sync at a time; `:sync` while one runs says where it stands. Stopping keeps its progress
//! (the checkpoint beside the cache), so `:sync` or `confdir directory sync` resumes it. A
//! failure goes to the error log with what to do; the people found so far stay searchable.

use super::search::rerank;
use super::{log_error, Command};
use crate::api::model::User;
use crate::app::request::{RequestId, Slot};
use crate::app::state::State;
use crate::app::sync::{SyncOutcome, SyncView};
use crate::directory_sync::Progress;

/// `:sync [stop]`.
pub(super) fn command(state: &mut State, arg: &str, cmds: &mut Vec<Command>) {
    match (arg, state.sync.as_ref()) {
        ("stop" | "cancel", Some(_)) => {
            state.sync = None;
            cmds.push(Command::Abort { slot: Slot::Sync });
            state.notice = Some("Sync stopped; its progress is kept: :sync resumes it".into());
        }
        ("stop" | "cancel", None) => state.notice = Some("No sync is running".into()),
        ("", Some(view)) => {
            state.notice = Some(format!(
                "Already syncing: {} (:sync stop stops it)",
                view.status_text(state.now)
            ));
        }
        ("", None) => {
            let id = state.next_id();
            state.sync = Some(SyncView {
                id,
                started: state.now,
                progress: Progress::default(),
            });
            cmds.push(Command::SyncDirectory { id });
            state.notice =
                Some("Syncing the whole directory in the background (:sync stop stops it)".into());
        }
        (other, _) => {
            state.notice = Some(format!(
                "Unknown :sync argument {}: try :sync or :sync stop",
                crate::sanitize::fit(other, 20)
            ));
        }
    }
}

/// A page arrived: the progress is shown and the new people become searchable.
pub(super) fn progress(state: &mut State, id: RequestId, progress: Progress, batch: Vec<User>) {
    let Some(view) = state.sync.as_mut().filter(|v| v.id == id) else {
        return;
    };
    if view.progress == Progress::default() && progress.resumed > 0 {
        state.notice = Some(format!(
            "Resuming the sync: {} people so far",
            crate::app::thousands(progress.resumed)
        ));
    }
    view.progress = progress;
    if batch.is_empty() {
        return;
    }
    for user in batch {
        state.directory.upsert(user);
    }
    rerank(state, &[]);
}

/// The sync ended.
pub(super) fn finished(state: &mut State, id: RequestId, result: Result<SyncOutcome, String>) {
    if state.sync.as_ref().is_none_or(|v| v.id != id) {
        return;
    }
    state.sync = None;
    match result {
        Ok(done) => {
            state.notice = Some(format!(
                "Directory synced: {} people ({} new, {} updated); search works offline now",
                crate::app::thousands(done.people),
                crate::app::thousands(done.new),
                crate::app::thousands(done.updated)
            ));
        }
        Err(message) => log_error(state, message),
    }
}
