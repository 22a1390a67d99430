//! Runs network commands as tokio tasks. Each task ends by sending exactly one action back (for
//! success and failure alike); a new command in a slot aborts that slot's older task, which also
//! cancels its debounce wait. Watch statuses run with bounded concurrency.

use crate::api::{Client, Paging, SpaceFilter, UserExpand};
use crate::app::action::{Done, Loaded};
use crate::app::directory::{Directory, Person};
use crate::app::{Action, Command, Slot};
use crate::runtime::pins;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::Semaphore;
use tokio::task::AbortHandle;

/// As-you-type searches wait this long for the next key before asking the server.
pub const SEARCH_DEBOUNCE: Duration = Duration::from_millis(200);
/// Highlight-driven fetches (profile, groups) wait this long, so scrolling through results does
/// not send a request per row passed.
pub const SETTLE: Duration = Duration::from_millis(40);
/// Watch-status requests in flight at once.
pub const WATCH_CONCURRENCY: usize = 6;

/// The command executor. Only the worker holds the results sender.
pub struct Worker {
    client: Client,
    results_tx: UnboundedSender<Action>,
    slots: HashMap<Slot, AbortHandle>,
    watch_permits: Arc<Semaphore>,
    pins_path: Option<PathBuf>,
    cache_path: Option<PathBuf>,
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
            watch_permits: Arc::new(Semaphore::new(WATCH_CONCURRENCY)),
            pins_path,
            cache_path,
        }
    }

    /// Starts `command`. Local commands (clipboard, browser) are not the worker's and are ignored.
    pub fn execute(&mut self, command: Command) {
        let slot = command.slot();
        let client = self.client.clone();
        let tx = self.results_tx.clone();
        let handle = match command {
            Command::FetchMe { id } => tokio::spawn(async move {
                let result = client.current_user(&[UserExpand::Operations]).await;
                let _ = tx.send(Action::from(Loaded::Me { id, result }));
            }),
            Command::SearchUsers {
                id,
                query,
                start,
                limit,
                debounce,
            } => tokio::spawn(async move {
                if debounce {
                    tokio::time::sleep(SEARCH_DEBOUNCE).await;
                }
                let cql = crate::api::fullname_cql(&query);
                let result = client
                    .search_users(&cql, Paging { start, limit }, Default::default(), &[])
                    .first()
                    .await;
                let _ = tx.send(Action::from(Loaded::Search {
                    id,
                    query,
                    start,
                    result,
                }));
            }),
            Command::FetchProfile { id, account_id } => tokio::spawn(async move {
                tokio::time::sleep(SETTLE).await;
                let result = client.user(&account_id, &[UserExpand::PersonalSpace]).await;
                let _ = tx.send(Action::from(Loaded::Profile { id, result }));
            }),
            Command::FetchEmail { id, account_id } => tokio::spawn(async move {
                let result = client.user_email(&account_id).await.map(|r| r.email);
                let _ = tx.send(Action::from(Loaded::Email { id, result }));
            }),
            Command::FetchPropertyKeys { id, account_id } => tokio::spawn(async move {
                tokio::time::sleep(SETTLE).await;
                let result = client
                    .user_properties(&account_id, Paging::first(crate::api::PROPERTY_LIST_MAX))
                    .all()
                    .await
                    .map(|keys| keys.into_iter().map(|k| k.key).collect());
                let _ = tx.send(Action::from(Loaded::PropertyKeys { id, result }));
            }),
            Command::FetchProperty {
                id,
                account_id,
                key,
            } => tokio::spawn(async move {
                let result = client.user_property(&account_id, &key).await;
                let _ = tx.send(Action::from(Loaded::Property { id, result }));
            }),
            Command::FetchGroups { id, account_id } => tokio::spawn(async move {
                tokio::time::sleep(SETTLE).await;
                let result = client
                    .group_memberships(&account_id, Paging::first(200))
                    .all()
                    .await;
                let _ = tx.send(Action::from(Loaded::Groups {
                    id,
                    account_id,
                    result,
                }));
            }),
            Command::FetchMembers {
                id,
                group_id,
                start,
                limit,
            } => tokio::spawn(async move {
                let result = client
                    .group_members(&group_id, Paging { start, limit }, &[])
                    .first()
                    .await;
                let _ = tx.send(Action::from(Loaded::Members { id, start, result }));
            }),
            Command::FetchSpaces { id, start, limit } => tokio::spawn(async move {
                let result = client
                    .spaces(&SpaceFilter::default(), Paging { start, limit })
                    .first()
                    .await;
                let _ = tx.send(Action::from(Loaded::Spaces { id, result }));
            }),
            Command::FetchWatchStatuses { user, targets } => {
                for (id, target) in targets {
                    let client = client.clone();
                    let tx = tx.clone();
                    let user = user.clone();
                    let permits = self.watch_permits.clone();
                    tokio::spawn(async move {
                        // A closed semaphore cannot happen (we never close it); proceed anyway.
                        let _permit = permits.acquire().await.ok();
                        let result = client.watch_status(&target, user.as_deref()).await;
                        let _ = tx.send(Action::from(Done::WatchStatusLoaded {
                            id,
                            user,
                            target,
                            result,
                        }));
                    });
                }
                return;
            }
            Command::SetWatch {
                id,
                user,
                target,
                watch,
            } => {
                tokio::spawn(async move {
                    let result = if watch {
                        client.add_watch(&target, user.as_deref()).await
                    } else {
                        client.remove_watch(&target, user.as_deref()).await
                    };
                    let _ = tx.send(Action::from(Done::WatchSet {
                        id,
                        user,
                        target,
                        result,
                    }));
                });
                return;
            }
            Command::SavePins { pins: list } => {
                let path = self.pins_path.clone();
                tokio::task::spawn_blocking(move || {
                    let result = match path {
                        Some(path) => pins::save(&path, &list),
                        None => Err("pins are not saved: no data folder (see the log)".into()),
                    };
                    let _ = tx.send(Action::from(Done::PinsSaved { result }));
                });
                return;
            }
            Command::LoadDirectoryCache => {
                let Some(path) = self.cache_path.clone() else {
                    return;
                };
                tokio::task::spawn_blocking(move || match crate::runtime::cache::load(&path) {
                    Ok(cache) => {
                        use rayon::prelude::*;
                        // Fold the names here, not on the event loop.
                        let people = cache.users.into_par_iter().map(Person::new).collect();
                        let _ = tx.send(Action::from(Done::DirectoryCached {
                            recent: cache.recent,
                            directory: Box::new(Directory::from_people(people)),
                        }));
                    }
                    // Only a cache: say why in the log and go on without it.
                    Err(e) => tracing::warn!("{e}"),
                });
                return;
            }
            Command::Copy { .. } | Command::OpenUrl { .. } => return,
        };
        if let Some(slot) = slot {
            if let Some(old) = self.slots.insert(slot, handle.abort_handle()) {
                old.abort();
            }
        }
    }
}
