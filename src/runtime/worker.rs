//! Runs network commands and file jobs as tokio tasks. Each task returns the one action it ends
//! in (for success and failure alike) and [`Worker::spawn`] sends it: the one place results are
//! sent, as gitui's asyncjob `run` returns its notification. A new command in a slot aborts that
//! slot's older task, which also cancels its debounce wait, so a superseded request never answers.
//! Watch statuses all start at once, under a ceiling that adapts to the site's pushback
//! ([`AdaptiveLimit`]).
//!
//! The worker decides nothing about the state: it does what a [`Command`] says and reports back.
//! Local effects (clipboard, browser) are the event loop's, not the worker's.

use crate::api::{AdaptiveLimit, Client, Paging, SpaceFilter, UserExpand, WatchTarget};
use crate::app::action::{Done, Loaded};
use crate::app::state::Pin;
use crate::app::{Action, Command, RequestId, Slot};
use crate::runtime::{cache, pins};
use std::collections::HashMap;
use std::future::Future;
use std::path::PathBuf;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::AbortHandle;

/// As-you-type searches wait this long for the next key before asking the server.
pub const SEARCH_DEBOUNCE: Duration = Duration::from_millis(200);
/// Highlight-driven fetches (profile, groups) wait this long, so scrolling through results does
/// not send a request per row passed.
pub const SETTLE: Duration = Duration::from_millis(40);
/// Watch-status requests in flight at once before the site has pushed back: every visible row of
/// a tall terminal. The ceiling then adapts (see [`AdaptiveLimit`]).
pub const WATCH_CONCURRENCY: usize = crate::api::concurrency::START;
/// Near the site's rate limit (`X-RateLimit-NearLimit`, or a 429 being waited out),
/// highlight-driven fetches settle this long instead of [`SETTLE`]: scrolling costs fewer
/// requests before the limit is hit.
pub const NEAR_LIMIT_SETTLE: Duration = Duration::from_millis(400);

/// The command executor. Only the worker (and the tasks it spawns) holds the results sender, so
/// the results channel closes once the worker is gone and every task has ended.
pub struct Worker {
    client: Client,
    results_tx: UnboundedSender<Action>,
    slots: HashMap<Slot, AbortHandle>,
    /// The ceiling on watch-status requests in flight, halved by 429s and `NearLimit`.
    watch_limit: AdaptiveLimit,
    pins_path: Option<PathBuf>,
    cache_path: Option<PathBuf>,
    /// The most people read from the cache (the least recently seen are dropped).
    cache_max_people: usize,
}

impl Worker {
    /// A worker sending results to `results_tx`; pins are saved to `pins_path` and the directory
    /// cache read from `cache_path`, when given.
    pub fn new(
        client: Client,
        results_tx: UnboundedSender<Action>,
        pins_path: Option<PathBuf>,
        cache_path: Option<PathBuf>,
    ) -> Self {
        Worker {
            client,
            results_tx,
            slots: HashMap::new(),
            watch_limit: AdaptiveLimit::new(WATCH_CONCURRENCY, crate::api::concurrency::CEILING),
            pins_path,
            cache_path,
            cache_max_people: cache::DEFAULT_MAX_PEOPLE,
        }
    }

    /// Reads at most `max_people` from the directory cache.
    pub fn with_cache_cap(mut self, max_people: usize) -> Self {
        self.cache_max_people = max_people;
        self
    }

    /// Starts `command`. Local commands (clipboard, browser) are not the worker's and are ignored;
    /// so is reading the cache when there is none.
    pub fn execute(&mut self, command: Command) {
        let slot = command.slot();
        let client = self.client.clone();
        let task = match command {
            Command::FetchMe { id } => self.spawn(fetch_me(client, id)),
            Command::SearchUsers {
                id,
                query,
                start,
                limit,
                debounce,
            } => self.spawn(search_users(
                client,
                id,
                query,
                Paging { start, limit },
                debounce,
            )),
            Command::FetchProfile {
                id,
                account_id,
                settle,
            } => self.spawn(fetch_profile(client, id, account_id, settle)),
            Command::FetchEmail { id, account_id } => {
                self.spawn(fetch_email(client, id, account_id))
            }
            Command::FetchPropertyKeys {
                id,
                account_id,
                settle,
            } => self.spawn(fetch_property_keys(client, id, account_id, settle)),
            Command::FetchProperty {
                id,
                account_id,
                key,
            } => self.spawn(fetch_property(client, id, account_id, key)),
            Command::FetchGroups {
                id,
                account_id,
                settle,
            } => self.spawn(fetch_groups(client, id, account_id, settle)),
            Command::FindGroup { id, name } => self.spawn(find_group(client, id, name)),
            Command::FetchMembers {
                id,
                group_id,
                start,
                limit,
            } => self.spawn(fetch_members(client, id, group_id, Paging { start, limit })),
            Command::FetchSpaces { id, after, limit } => {
                self.spawn(fetch_spaces(client, id, after, limit))
            }
            Command::FetchWatchStatuses { user, targets } => {
                for (id, target) in targets {
                    let limit = self.watch_limit.clone();
                    let task = fetch_watch_status(client.clone(), limit, id, user.clone(), target);
                    self.spawn(task);
                }
                return;
            }
            Command::SetWatch {
                id,
                user,
                target,
                watch,
            } => self.spawn_watch_write(client, id, user, target, watch),
            Command::SavePins { pins } => {
                let path = self.pins_path.clone();
                self.spawn_blocking(move || save_pins(path, &pins))
            }
            Command::LoadDirectoryCache => match self.cache_path.clone() {
                Some(path) => {
                    let max_people = self.cache_max_people;
                    self.spawn_blocking(move || load_cache(&path, max_people))
                }
                None => return,
            },
            Command::FetchPageTitle { id, page_id } => {
                self.spawn(fetch_page_title(client, id, page_id))
            }
            Command::FetchCompareGroups {
                id,
                side,
                account_id,
            } => self.spawn(fetch_compare_groups(client, id, side, account_id)),
            Command::WriteExport {
                path,
                text,
                overwrite,
            } => self.spawn(super::export::write_export(path, text, overwrite)),
            Command::FetchGroupEmails { id, group_id } => self.spawn(
                super::export::fetch_group_emails(client, id, group_id, self.results_tx.clone()),
            ),
            Command::Abort { slot } => {
                if let Some(task) = self.slots.remove(&slot) {
                    task.abort();
                }
                return;
            }
            Command::FetchAllMembers { id, group_id } => {
                self.spawn(group::fetch_all_members(client, id, group_id))
            }
            Command::Copy { .. } | Command::OpenUrl { .. } => return,
            Command::Property {
                id,
                account_id,
                key,
                op,
            } => self.spawn(super::property_ops::run(client, id, account_id, key, op)),
            Command::SyncDirectory { id } => {
                let (cache, tx) = (self.cache_path.clone(), self.results_tx.clone());
                self.spawn(crate::runtime::sync::run(client, id, cache, tx))
            }
        };
        if let Some(slot) = slot {
            if let Some(old) = self.slots.insert(slot, task) {
                old.abort();
            }
        }
    }

    /// Runs `task` and sends the action it ends in: the one place results are sent. An aborted
    /// task sends nothing.
    /// A watch write, under the same adaptive ceiling as the statuses.
    fn spawn_watch_write(
        &self,
        client: Client,
        id: RequestId,
        user: Option<String>,
        target: WatchTarget,
        watch: bool,
    ) -> AbortHandle {
        let limit = self.watch_limit.clone();
        self.spawn(set_watch(client, limit, id, user, target, watch))
    }

    fn spawn(&self, task: impl Future<Output = Action> + Send + 'static) -> AbortHandle {
        let results_tx = self.results_tx.clone();
        tokio::spawn(async move {
            let action = task.await;
            // The loop may have ended meanwhile; then nobody needs the answer.
            let _ = results_tx.send(action);
        })
        .abort_handle()
    }

    /// Runs blocking file work off the runtime's threads; it ends in an action like any task (a
    /// job that panicked too, as a failure).
    fn spawn_blocking(&self, job: impl FnOnce() -> Action + Send + 'static) -> AbortHandle {
        self.spawn(async move {
            tokio::task::spawn_blocking(job).await.unwrap_or_else(|e| {
                Action::from(Done::EffectFailed {
                    message: format!("a background file job stopped: {e}"),
                })
            })
        })
    }
}

async fn fetch_me(client: Client, id: RequestId) -> Action {
    // The personal space too: this answer is also your profile, so `/user?accountId=<you>` is
    // not asked for again.
    let result = client
        .current_user(&[UserExpand::Operations, UserExpand::PersonalSpace])
        .await;
    Loaded::Me { id, result }.into()
}

/// An as-you-type search waits for the next key first (`debounce`); aborting cancels the wait.
async fn search_users(
    client: Client,
    id: RequestId,
    query: String,
    paging: Paging,
    debounce: bool,
) -> Action {
    if debounce {
        tokio::time::sleep(SEARCH_DEBOUNCE).await;
    }
    let cql = crate::api::fullname_cql(&query);
    // Guests (external collaborators) are colleagues too: found, and tagged `guest` in the list.
    // Cloud's default (`none`) would leave them out.
    let result = client
        .search_users(&cql, paging, crate::api::SitePermissionFilter::All, &[])
        .first()
        .await;
    Loaded::Search {
        id,
        query,
        start: paging.start,
        result,
    }
    .into()
}

/// The short wait of highlight-driven fetches (`wanted`: an Enter starts at once): longer near
/// the rate limit.
async fn settle(client: &Client, wanted: bool) {
    if !wanted {
        return;
    }
    let wait = if client.is_near_limit() {
        NEAR_LIMIT_SETTLE
    } else {
        SETTLE
    };
    tokio::time::sleep(wait).await;
}

async fn fetch_profile(client: Client, id: RequestId, account_id: String, wait: bool) -> Action {
    settle(&client, wait).await;
    let result = client.user(&account_id, &[UserExpand::PersonalSpace]).await;
    Loaded::Profile { id, result }.into()
}

async fn fetch_email(client: Client, id: RequestId, account_id: String) -> Action {
    let result = client.user_email(&account_id).await.map(|r| r.email);
    Loaded::Email { id, result }.into()
}

async fn fetch_property_keys(
    client: Client,
    id: RequestId,
    account_id: String,
    wait: bool,
) -> Action {
    settle(&client, wait).await;
    let result = client
        .user_properties(&account_id, Paging::first(crate::api::PROPERTY_LIST_MAX))
        .all()
        .await
        .map(|keys| keys.into_iter().map(|k| k.key).collect());
    Loaded::PropertyKeys { id, result }.into()
}

async fn fetch_property(client: Client, id: RequestId, account_id: String, key: String) -> Action {
    let result = client.user_property(&account_id, &key).await;
    Loaded::Property { id, result }.into()
}

async fn fetch_groups(client: Client, id: RequestId, account_id: String, wait: bool) -> Action {
    settle(&client, wait).await;
    let result = client
        .group_memberships(&account_id, Paging::first(200))
        .all()
        .await;
    Loaded::Groups {
        id,
        account_id,
        result,
    }
    .into()
}

/// `:group NAME`: the group picker's first page for the name (200 groups, the most it gives).
async fn find_group(client: Client, id: RequestId, name: String) -> Action {
    let result = client
        .search_groups(&name, Paging::first(200))
        .first()
        .await
        .map(|page| page.results);
    Loaded::FoundGroups { id, name, result }.into()
}

/// One side of a comparison: every page of a person's groups (asked for by a key, so no settle).
async fn fetch_compare_groups(
    client: Client,
    id: RequestId,
    side: crate::app::compare::Side,
    account_id: String,
) -> Action {
    let result = client
        .group_memberships(&account_id, Paging::first(200))
        .all()
        .await;
    Loaded::CompareGroups {
        id,
        side,
        account_id,
        result,
    }
    .into()
}

async fn fetch_members(client: Client, id: RequestId, group_id: String, paging: Paging) -> Action {
    let result = client.group_members(&group_id, paging, &[]).first().await;
    Loaded::Members {
        id,
        start: paging.start,
        result,
    }
    .into()
}

/// The first page of spaces, or the one a page's `next` link names (v2 or v1 alike).
async fn fetch_spaces(client: Client, id: RequestId, after: Option<String>, limit: u32) -> Action {
    let result = match after {
        None => {
            client
                .spaces(&SpaceFilter::default(), Paging::first(limit))
                .first()
                .await
        }
        Some(next) => client.spaces_after(&next).first().await,
    };
    Loaded::Spaces { id, result }.into()
}

/// A pinned page's title.
async fn fetch_page_title(client: Client, id: RequestId, page_id: String) -> Action {
    let result = client.page_title(&page_id).await;
    Done::PageTitle {
        id,
        page_id,
        result,
    }
    .into()
}

/// One row's watch status, waiting for a place under the shared ceiling first; a 429 or a
/// `NearLimit` seen while it was in flight lowers the ceiling, a calm answer raises it slowly.
async fn fetch_watch_status(
    client: Client,
    limit: AdaptiveLimit,
    id: RequestId,
    user: Option<String>,
    target: WatchTarget,
) -> Action {
    let result = limit
        .within(&client, client.watch_status(&target, user.as_deref()))
        .await;
    Done::WatchStatusLoaded {
        id,
        user,
        target,
        result,
    }
    .into()
}

/// One watch write, under the same adaptive ceiling as the statuses (many marked rows, or a
/// group-wide watch, then slow down together on a 429).
async fn set_watch(
    client: Client,
    limit: AdaptiveLimit,
    id: RequestId,
    user: Option<String>,
    target: WatchTarget,
    watch: bool,
) -> Action {
    let write = async {
        if watch {
            client.add_watch(&target, user.as_deref()).await
        } else {
            client.remove_watch(&target, user.as_deref()).await
        }
    };
    let result = limit.within(&client, write).await;
    Done::WatchSet {
        id,
        user,
        target,
        result,
    }
    .into()
}

/// Writes the pins (blocking); without a path, says why they are not saved.
fn save_pins(path: Option<PathBuf>, list: &[Pin]) -> Action {
    let result = match path {
        Some(path) => pins::save(&path, list),
        None => Err("pins are not saved: no data folder (see the log)".into()),
    };
    Done::PinsSaved { result }.into()
}

/// Reads the directory cache (blocking) into a directory here, not on the event loop.
fn load_cache(path: &std::path::Path, max_people: usize) -> Action {
    match cache::load_directory(path, max_people) {
        Ok((recent, directory)) => Done::DirectoryCached {
            recent,
            directory: Box::new(directory),
        }
        .into(),
        // Only a cache: the error log says why, and confdir goes on without it.
        Err(message) => Done::DirectoryCacheFailed { message }.into(),
    }
}

mod group;

#[cfg(test)]
#[path = "worker/tests.rs"]
mod tests;
