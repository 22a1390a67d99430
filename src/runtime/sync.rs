//! The UI's background sync task (`:sync`): runs the [`crate::directory_sync`] engine with its
//! checkpoint beside the directory cache, sends a `Done::SyncProgress` after every page (with the
//! page's new people, so the loop merges at most a page at a time), merges everyone into the
//! cache file at the end, and ends in `Done::SyncFinished`. Aborting the task (`:sync stop`)
//! leaves the checkpoint as of the last page, so the next sync resumes there.

use crate::api::model::User;
use crate::api::Client;
use crate::app::action::Done;
use crate::app::sync::SyncOutcome;
use crate::app::{Action, RequestId};
use crate::directory_sync::checkpoint::Checkpoint;
use crate::directory_sync::Sync;
use crate::runtime::cache;
use std::path::PathBuf;
use tokio::sync::mpsc::UnboundedSender;

/// People sent in one progress action when a resumed sync hands over what it had found.
pub const BATCH: usize = 1_000;

/// Runs a sync to its end and returns the action it ends in; progress goes through `tx`.
pub async fn run(
    client: Client,
    id: RequestId,
    cache_path: Option<PathBuf>,
    tx: UnboundedSender<Action>,
) -> Action {
    let result = sync(client, id, cache_path, &tx).await;
    Done::SyncFinished { id, result }.into()
}

async fn sync(
    client: Client,
    id: RequestId,
    cache_path: Option<PathBuf>,
    tx: &UnboundedSender<Action>,
) -> Result<SyncOutcome, String> {
    let checkpoint = cache_path.as_deref().map(Checkpoint::beside);
    // Reading an earlier sync's people is file work: off the runtime's threads.
    let mut sync = tokio::task::spawn_blocking(move || Sync::open(client, checkpoint, false))
        .await
        .map_err(|e| format!("the directory sync could not start: {e}"))?
        .map_err(|e| format!("the directory sync could not start: {e}"))?;
    let send = |progress, batch: Vec<User>| {
        let _ = tx.send(
            Done::SyncProgress {
                id,
                progress,
                batch,
            }
            .into(),
        );
    };
    let resumed: Vec<User> = sync.people().to_vec();
    if resumed.is_empty() {
        send(sync.progress(), Vec::new());
    }
    for chunk in resumed.chunks(BATCH) {
        send(sync.progress(), chunk.to_vec());
    }
    sync.run(|progress, new| send(progress.clone(), new.to_vec()))
        .await
        .map_err(|e| {
            format!("directory sync stopped: {e}; its progress is kept, :sync resumes it")
        })?;
    let people = sync.take_people();
    let found = people.len();
    let Some(path) = cache_path else {
        sync.forget();
        return Ok(SyncOutcome {
            people: found,
            new: found,
            updated: 0,
        });
    };
    let merged = tokio::task::spawn_blocking(move || cache::merge(&path, people))
        .await
        .map_err(|e| format!("saving the synced directory failed: {e}"))??;
    sync.forget();
    Ok(SyncOutcome {
        people: found,
        new: merged.new,
        updated: merged.updated,
    })
}
