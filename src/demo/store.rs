//! What changes while the demo server runs: watches and user properties, over the generated
//! [`SeededDirectory`], and their optional state file.
//!
//! The directory is immutable and shared; the store keeps only *changes* to it (a watch turned on
//! or off, a property created, replaced or deleted), so a 100,000-user directory costs nothing
//! until someone writes. With a state file, the changes are loaded at start and rewritten after
//! every write with the crate's one atomic write ([`crate::files::write_atomic`]), on a blocking
//! thread so the server's workers never wait for the disk; a crash never leaves half a file. Locks
//! are `std` mutexes held for a few map operations only, never across an `.await`.

use super::seed::{hash_str, mix, SeededDirectory, DEMO_ACCOUNT_ID};
use crate::files::write_atomic;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

/// Something that can be watched, as the store keys it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WatchKind {
    /// A page, by content id.
    Content,
    /// A label, by name (lower-case).
    Label,
    /// A space, by key.
    Space,
}

/// One stored property.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredProperty {
    /// The JSON object value.
    pub value: Value,
    /// Stable numeric id, as a string.
    pub id: String,
    /// Seconds since the epoch.
    pub created: i64,
    /// Seconds since the epoch.
    pub modified: i64,
}

/// The persisted changes (also the state file's format).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Changes {
    /// `accountId` → `kind` → target id → watching.
    #[serde(default)]
    watches: BTreeMap<String, BTreeMap<WatchKind, BTreeMap<String, bool>>>,
    /// `accountId` → key → the property, or `null` when a seeded property was deleted.
    #[serde(default)]
    properties: BTreeMap<String, BTreeMap<String, Option<StoredProperty>>>,
}

/// The state file as written.
#[derive(Serialize, Deserialize)]
struct StateFile {
    /// Format version, for later changes.
    version: u32,
    #[serde(flatten)]
    changes: Changes,
}

/// Result of a property write that can fail in a Confluence way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteOutcome {
    /// Done.
    Done,
    /// POST of a key that exists.
    Exists,
    /// PUT or DELETE of a key that does not exist.
    Missing,
}

/// The mutable side of the demo server.
pub struct Store {
    dir: Arc<SeededDirectory>,
    /// Seeded properties by owner, then key (immutable).
    seeded: BTreeMap<u32, BTreeMap<String, StoredProperty>>,
    changes: Mutex<Changes>,
    state_file: Option<PathBuf>,
    /// Serialises state-file writes so the last writer always writes the latest state.
    write_lock: tokio::sync::Mutex<()>,
}

fn property_id(account: &str, key: &str) -> String {
    (mix(hash_str(account) ^ hash_str(key)) % 9_000_000_000 + 1_000_000_000).to_string()
}

/// The watches of the demo user at start: a few spaces (their own included), labels and pages.
const DEMO_WATCHES: &[(WatchKind, &str)] = &[
    (WatchKind::Space, "ENG"),
    (WatchKind::Space, "PLAT"),
    (WatchKind::Space, "ARCH"),
    (WatchKind::Space, "REL"),
    (WatchKind::Label, "release-notes"),
    (WatchKind::Label, "adr"),
    (WatchKind::Label, "postmortem"),
];

impl Store {
    /// A store over `dir`, loading `state_file` if it exists. A file that exists but cannot be
    /// read is an error: overwriting someone's state silently would lose it.
    pub fn open(dir: Arc<SeededDirectory>, state_file: Option<PathBuf>) -> io::Result<Store> {
        let mut seeded: BTreeMap<u32, BTreeMap<String, StoredProperty>> = BTreeMap::new();
        for p in &dir.properties {
            let account = dir
                .users
                .get(p.user as usize)
                .map(|u| u.account_id.as_str())
                .unwrap_or_default();
            seeded.entry(p.user).or_default().insert(
                p.key.clone(),
                StoredProperty {
                    value: p.value.clone(),
                    id: property_id(account, &p.key),
                    created: p.created,
                    modified: p.created + 86_400 * 30,
                },
            );
        }
        let changes = match &state_file {
            Some(path) => load(path)?,
            None => Changes::default(),
        };
        Ok(Store {
            dir,
            seeded,
            changes: Mutex::new(changes),
            state_file,
            write_lock: tokio::sync::Mutex::new(()),
        })
    }

    /// The directory the store is over.
    pub fn directory(&self) -> &Arc<SeededDirectory> {
        &self.dir
    }

    fn lock(&self) -> MutexGuard<'_, Changes> {
        self.changes.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether the target exists (watch endpoints answer 403 otherwise).
    pub fn target_exists(&self, kind: WatchKind, id: &str) -> bool {
        match kind {
            WatchKind::Content => self.dir.page_by_id.contains_key(id),
            WatchKind::Label => self.dir.has_label(id),
            WatchKind::Space => self.dir.space_index(id).is_some(),
        }
    }

    fn normalise(kind: WatchKind, id: &str) -> String {
        match kind {
            WatchKind::Label => id.to_lowercase(),
            _ => id.to_string(),
        }
    }

    /// Whether `user` watches the target before any change: the demo user's own list, their
    /// personal space, and for everyone else a stable pseudo-random share.
    fn seeded_watch(&self, user: u32, kind: WatchKind, id: &str) -> bool {
        let Some(person) = self.dir.users.get(user as usize) else {
            return false;
        };
        if person.account_id == DEMO_ACCOUNT_ID {
            let own = person
                .personal_space
                .and_then(|s| self.dir.spaces.get(usize::from(s)))
                .is_some_and(|s| kind == WatchKind::Space && s.key == id);
            let page = kind == WatchKind::Content
                && self.dir.page_by_id.get(id).is_some_and(|&p| {
                    self.dir.pages.get(usize::from(p)).is_some_and(|p| {
                        p.title.starts_with("ADR-") || p.title == "On-call handbook"
                    })
                });
            return own || page || DEMO_WATCHES.iter().any(|(k, i)| *k == kind && *i == id);
        }
        let h = mix(self.dir.seed ^ hash_str(&person.account_id) ^ hash_str(id) ^ kind as u64);
        h.is_multiple_of(if kind == WatchKind::Space { 6 } else { 12 })
    }

    /// Whether `user` watches the target now.
    pub fn watching(&self, user: u32, kind: WatchKind, id: &str) -> bool {
        let id = Self::normalise(kind, id);
        let account = self.account(user);
        let changed = self
            .lock()
            .watches
            .get(&account)
            .and_then(|k| k.get(&kind))
            .and_then(|m| m.get(&id))
            .copied();
        changed.unwrap_or_else(|| self.seeded_watch(user, kind, &id))
    }

    /// Turns a watch on or off, then saves the state file if there is one.
    pub async fn set_watch(&self, user: u32, kind: WatchKind, id: &str, on: bool) {
        let id = Self::normalise(kind, id);
        let account = self.account(user);
        let seeded = self.seeded_watch(user, kind, &id);
        {
            let mut changes = self.lock();
            let per_kind = changes
                .watches
                .entry(account.clone())
                .or_default()
                .entry(kind)
                .or_default();
            if on == seeded {
                per_kind.remove(&id);
            } else {
                per_kind.insert(id, on);
            }
            if changes
                .watches
                .get(&account)
                .is_some_and(|k| k.values().all(BTreeMap::is_empty))
            {
                changes.watches.remove(&account);
            }
        }
        self.save().await;
    }

    fn account(&self, user: u32) -> String {
        self.dir
            .users
            .get(user as usize)
            .map(|u| u.account_id.clone())
            .unwrap_or_default()
    }

    /// The user's properties now, by key.
    pub fn properties(&self, user: u32) -> BTreeMap<String, StoredProperty> {
        let mut out = self.seeded.get(&user).cloned().unwrap_or_default();
        let account = self.account(user);
        if let Some(changed) = self.lock().properties.get(&account) {
            for (k, v) in changed {
                match v {
                    Some(p) => {
                        out.insert(k.clone(), p.clone());
                    }
                    None => {
                        out.remove(k);
                    }
                }
            }
        }
        out
    }

    /// One property now.
    pub fn property(&self, user: u32, key: &str) -> Option<StoredProperty> {
        let account = self.account(user);
        if let Some(changed) = self
            .lock()
            .properties
            .get(&account)
            .and_then(|m| m.get(key))
        {
            return changed.clone();
        }
        self.seeded.get(&user).and_then(|m| m.get(key)).cloned()
    }

    /// POST (create only), PUT (replace only) or DELETE (`value` = `None`) of a property.
    pub async fn write_property(
        &self,
        user: u32,
        key: &str,
        value: Option<Value>,
        create: bool,
        now: i64,
    ) -> WriteOutcome {
        let account = self.account(user);
        let existing = self.property(user, key);
        let next = match (existing, value, create) {
            (Some(_), Some(_), true) => return WriteOutcome::Exists,
            (None, Some(value), true) => Some(StoredProperty {
                value,
                id: property_id(&account, key),
                created: now,
                modified: now,
            }),
            (Some(old), Some(value), false) => Some(StoredProperty {
                value,
                modified: now,
                ..old
            }),
            (None, _, false) => return WriteOutcome::Missing,
            (Some(_), None, _) => None,
            (None, None, true) => return WriteOutcome::Missing,
        };
        let seeded = self.seeded.get(&user).and_then(|m| m.get(key));
        {
            let mut changes = self.lock();
            let mine = changes.properties.entry(account.clone()).or_default();
            match (&next, seeded) {
                (None, None) => {
                    mine.remove(key);
                }
                _ => {
                    mine.insert(key.to_string(), next);
                }
            }
            if mine.is_empty() {
                changes.properties.remove(&account);
            }
        }
        self.save().await;
        WriteOutcome::Done
    }

    /// Rewrites the state file (if any) with the current changes. A failure is logged, not
    /// returned: the change itself has been made and the client should not see an error for it.
    async fn save(&self) {
        let Some(path) = &self.state_file else {
            return;
        };
        let _guard = self.write_lock.lock().await;
        let body = {
            let changes = self.lock().clone();
            serde_json::to_vec_pretty(&StateFile {
                version: 1,
                changes,
            })
        };
        let result = match body {
            Ok(body) => {
                let path = path.clone();
                // The file is no secret (a demo directory's watches and properties): default mode.
                tokio::task::spawn_blocking(move || write_atomic(&path, &body, false))
                    .await
                    .unwrap_or_else(|e| Err(io::Error::other(e)))
            }
            Err(e) => Err(io::Error::other(e)),
        };
        if let Err(e) = result {
            tracing::warn!(path = %path.display(), error = %e, "could not save the demo state file");
        }
    }
}

fn load(path: &Path) -> io::Result<Changes> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice::<StateFile>(&bytes)
            .map(|f| f.changes)
            .map_err(|e| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "the demo state file {} is not valid: {e}; move it away to start afresh",
                        path.display()
                    ),
                )
            }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Changes::default()),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn store(file: Option<PathBuf>) -> Store {
        Store::open(Arc::new(SeededDirectory::generate(50, 42)), file).unwrap()
    }

    #[tokio::test]
    async fn watches_change_and_revert() {
        let s = store(None);
        assert!(s.watching(0, WatchKind::Space, "ENG"));
        assert!(!s.watching(0, WatchKind::Space, "HR"));
        s.set_watch(0, WatchKind::Space, "HR", true).await;
        s.set_watch(0, WatchKind::Space, "ENG", false).await;
        assert!(s.watching(0, WatchKind::Space, "HR"));
        assert!(!s.watching(0, WatchKind::Space, "ENG"));
        s.set_watch(0, WatchKind::Space, "ENG", true).await;
        assert!(s.lock().watches[DEMO_ACCOUNT_ID][&WatchKind::Space].len() == 1);
        assert!(s.watching(0, WatchKind::Label, "RELEASE-NOTES"));
    }

    #[tokio::test]
    async fn property_semantics() {
        let s = store(None);
        assert!(s.property(0, "pronouns").is_some());
        let v = json!({"a": 1});
        assert_eq!(
            s.write_property(0, "pronouns", Some(v.clone()), true, 5)
                .await,
            WriteOutcome::Exists
        );
        assert_eq!(
            s.write_property(0, "new-key", Some(v.clone()), false, 5)
                .await,
            WriteOutcome::Missing
        );
        assert_eq!(
            s.write_property(0, "new-key", Some(v.clone()), true, 5)
                .await,
            WriteOutcome::Done
        );
        assert_eq!(s.property(0, "new-key").unwrap().value, v);
        assert_eq!(
            s.write_property(0, "pronouns", None, false, 6).await,
            WriteOutcome::Done
        );
        assert!(s.property(0, "pronouns").is_none());
        assert!(!s.properties(0).contains_key("pronouns"));
        assert_eq!(
            s.write_property(0, "pronouns", None, false, 7).await,
            WriteOutcome::Missing
        );
    }

    #[tokio::test]
    async fn state_survives_a_restart_and_bad_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        {
            let s = store(Some(path.clone()));
            s.set_watch(0, WatchKind::Space, "HR", true).await;
            s.write_property(0, "colour", Some(json!({"fav": "teal"})), true, 9)
                .await;
            s.write_property(0, "pronouns", None, false, 9).await;
        }
        let s = store(Some(path.clone()));
        assert!(s.watching(0, WatchKind::Space, "HR"));
        assert_eq!(
            s.property(0, "colour").unwrap().value,
            json!({"fav": "teal"})
        );
        assert!(s.property(0, "pronouns").is_none());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");

        std::fs::write(&path, b"{not json").unwrap();
        let err = Store::open(Arc::new(SeededDirectory::generate(5, 1)), Some(path))
            .err()
            .unwrap();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
    }
}
