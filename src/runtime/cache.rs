//! The directory cache: the people confdir has seen on a site, and the recently viewed ones, kept
//! in `$XDG_CACHE_HOME/confdir/<site>/directory.json` so that typing filters them at once on the
//! next start. Written atomically through [`crate::files::write_atomic`] with mode 0600, since it
//! holds what the site showed about colleagues (emails included). Loading happens off the event
//! loop; this module only reads and writes the file and never decides when.

use crate::api::model::User;
use crate::files::write_atomic;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The cache file's contents.
#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct DirectoryCache {
    /// Format version; a file of another version is ignored, not misread.
    pub version: u32,
    /// Account ids of recently viewed profiles, most recent first.
    pub recent: Vec<String>,
    /// Known users, in the order they were first seen.
    pub users: Vec<User>,
}

/// The version this build writes.
pub const VERSION: u32 = 1;

/// Reads the cache. A missing file, another version or a damaged file all give an empty cache
/// (it is only a cache: the site is the source of truth), with the reason for the log.
pub fn load(path: &Path) -> Result<DirectoryCache, String> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(DirectoryCache::default()),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let cache: DirectoryCache = serde_json::from_slice(&bytes)
        .map_err(|e| format!("{} is damaged ({e}); starting without it", path.display()))?;
    if cache.version != VERSION {
        return Ok(DirectoryCache::default());
    }
    Ok(cache)
}

/// Writes the cache atomically, readable by the owner only.
pub fn save(path: &Path, cache: &DirectoryCache) -> Result<(), String> {
    let body = serde_json::to_vec(cache).map_err(|e| e.to_string())?;
    write_atomic(path, &body, true).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_private_and_damaged_files_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("site").join("directory.json");
        assert_eq!(load(&path).unwrap(), DirectoryCache::default());
        let cache = DirectoryCache {
            version: VERSION,
            recent: vec!["a".into()],
            users: vec![User {
                account_id: Some("a".into()),
                display_name: Some("Ada".into()),
                ..User::default()
            }],
        };
        save(&path, &cache).unwrap();
        assert_eq!(load(&path).unwrap(), cache);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            let dir_mode = std::fs::metadata(path.parent().unwrap())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(dir_mode & 0o777, 0o700);
        }
        std::fs::write(&path, b"[1,").unwrap();
        assert!(load(&path).unwrap_err().contains("damaged"));
        std::fs::write(&path, br#"{"version":99,"recent":[],"users":[]}"#).unwrap();
        assert_eq!(load(&path).unwrap(), DirectoryCache::default());
    }
}

/// How [`merge`] changed the cache.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Merged {
    /// People the cache did not have.
    pub new: usize,
    /// People it had, whose record changed.
    pub updated: usize,
    /// People in the cache afterwards.
    pub total: usize,
}

/// Merges `people` into the cache at `path` by account id (a known person's record is replaced,
/// an unknown one appended; nobody is removed, and the recently viewed are kept), and saves it.
/// For `confdir directory sync` and the UI's `:sync`.
pub fn merge(path: &Path, people: Vec<User>) -> Result<Merged, String> {
    // A damaged cache is replaced, as at start-up.
    let mut cache = load(path).unwrap_or_default();
    cache.version = VERSION;
    let mut index: std::collections::HashMap<String, usize> = cache
        .users
        .iter()
        .enumerate()
        .filter_map(|(i, u)| u.account_id.clone().map(|id| (id, i)))
        .collect();
    let mut merged = Merged::default();
    for user in people {
        let Some(id) = user.account_id.clone() else {
            continue;
        };
        match index.get(&id) {
            Some(&i) if cache.users[i] == user => {}
            Some(&i) => {
                cache.users[i] = user;
                merged.updated += 1;
            }
            None => {
                index.insert(id, cache.users.len());
                cache.users.push(user);
                merged.new += 1;
            }
        }
    }
    merged.total = cache.users.len();
    save(path, &cache)?;
    Ok(merged)
}

#[cfg(test)]
mod merge_tests {
    use super::*;

    #[test]
    fn merge_adds_the_new_refreshes_the_changed_and_keeps_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("directory.json");
        let person = |id: &str, name: &str| User {
            account_id: Some(id.into()),
            display_name: Some(name.into()),
            ..User::default()
        };
        let before = DirectoryCache {
            version: VERSION,
            recent: vec!["a".into()],
            users: vec![person("a", "Ada"), person("b", "Bob")],
        };
        save(&path, &before).unwrap();
        let merged = merge(
            &path,
            vec![person("a", "Ada"), person("b", "Robert"), person("c", "Cy")],
        )
        .unwrap();
        assert_eq!(
            merged,
            Merged {
                new: 1,
                updated: 1,
                total: 3
            }
        );
        let after = load(&path).unwrap();
        assert_eq!(after.recent, ["a"]);
        let names: Vec<_> = after
            .users
            .iter()
            .filter_map(|u| u.display_name.clone())
            .collect();
        assert_eq!(names, ["Ada", "Robert", "Cy"]);
    }
}
