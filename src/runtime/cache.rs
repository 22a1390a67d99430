//! The directory cache: the people confdir has seen on a site, and the recently viewed ones, kept
//! in `$XDG_CACHE_HOME/confdir/<site>/directory.json` so that typing filters them at once on the
//! next start. Written atomically through [`crate::files::write_atomic`] with mode 0600, since it
//! holds what the site showed about colleagues (emails included). Loading happens off the event
//! loop; this module only reads and writes the file and never decides when.
//!
//! The format (version 2): the 8 bytes `confdir\0`, the version as a little-endian `u32`, then
//! the recently viewed account ids and the people in [`postcard`]'s compact binary encoding,
//! each person with the fields the list and search use and their folded search forms
//! ([`StoredPerson`]): reading 150,000 people is a copy of their strings, with no JSON to parse
//! and no name to fold. (The file keeps its old name so every path to it stays valid; version 1
//! was JSON, which starts with `{`, not the magic bytes.) A file of another version, or a
//! damaged one, is ignored, never misread: it is only a cache, the site is the source of truth.
//! The number of people kept is capped (`[cache] max_people`); over the cap, the least recently
//! seen are left out when it is written.

use crate::api::model::User;
use crate::app::directory::{Directory, Person, StoredPerson};
use crate::files::write_atomic;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// What the file starts with.
const MAGIC: &[u8; 8] = b"confdir\0";

/// The cache file's contents, as users (the form other parts of confdir write it in).
#[derive(Debug, Default, PartialEq)]
pub struct DirectoryCache {
    /// Format version; a file of another version is ignored, not misread.
    pub version: u32,
    /// Account ids of recently viewed profiles, most recent first.
    pub recent: Vec<String>,
    /// Known users, in the order they were first seen.
    pub users: Vec<User>,
}

/// The version this build writes.
pub const VERSION: u32 = 2;

/// The size cap when the config file sets none: the largest Cloud sites have about 150,000
/// people, so every one of them fits.
pub const DEFAULT_MAX_PEOPLE: usize = 200_000;

/// The body after the header.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Body {
    recent: Vec<String>,
    people: Vec<StoredPerson>,
}

/// Reads the cache as stored people. A missing file, another version or format give an empty
/// cache; a damaged file an error with the reason for the log (it is only a cache: the site is
/// the source of truth).
pub fn load_people(path: &Path) -> Result<(Vec<String>, Vec<StoredPerson>), String> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Default::default()),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let Some(rest) = bytes.strip_prefix(MAGIC.as_slice()) else {
        // Another format (version 1 was JSON): ignored, rewritten on the way out.
        return Ok(Default::default());
    };
    let damaged = |why: &str| format!("{} is damaged ({why}); starting without it", path.display());
    let (version, body) = rest.split_at_checked(4).ok_or_else(|| damaged("EOF"))?;
    let version = u32::from_le_bytes(version.try_into().map_err(|_| damaged("EOF"))?);
    if version != VERSION {
        return Ok(Default::default());
    }
    let body: Body = postcard::from_bytes(body).map_err(|e| damaged(&e.to_string()))?;
    Ok((body.recent, body.people))
}

/// Reads the cache into a directory (off the event loop: this is the whole start-up cost of the
/// cached people), keeping at most `max_people`, the most recently seen.
pub fn load_directory(path: &Path, max_people: usize) -> Result<(Vec<String>, Directory), String> {
    let (recent, people) = load_people(path)?;
    let mut directory = Directory::from_people(people.into_iter().map(Person::from).collect());
    if directory.len() > max_people {
        let kept = directory.to_store(max_people);
        directory = Directory::from_people(kept.into_iter().map(Person::from).collect());
    }
    Ok((recent, directory))
}

/// Reads the cache as users (see [`load_people`]).
pub fn load(path: &Path) -> Result<DirectoryCache, String> {
    let (recent, people) = load_people(path)?;
    Ok(DirectoryCache {
        version: VERSION,
        recent,
        users: people.into_iter().map(|p| p.user.into()).collect(),
    })
}

/// Writes stored people atomically, readable by the owner only.
pub fn save_people(
    path: &Path,
    recent: &[String],
    people: Vec<StoredPerson>,
) -> Result<(), String> {
    let body = Body {
        recent: recent.to_vec(),
        people,
    };
    let mut bytes = MAGIC.to_vec();
    bytes.extend_from_slice(&VERSION.to_le_bytes());
    let bytes = postcard::to_extend(&body, bytes).map_err(|e| e.to_string())?;
    write_atomic(path, &bytes, true).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Writes a directory (its most recently seen `max_people`) and the recently viewed people.
pub fn save_directory(
    path: &Path,
    recent: &[String],
    directory: &Directory,
    max_people: usize,
) -> Result<(), String> {
    save_people(path, recent, directory.to_store(max_people))
}

/// Writes users (folding their names here), in the order given.
pub fn save(path: &Path, cache: &DirectoryCache) -> Result<(), String> {
    let people = cache
        .users
        .iter()
        .map(|u| StoredPerson::from(&Person::new(u.clone())))
        .collect();
    save_people(path, &cache.recent, people)
}

#[cfg(test)]
#[path = "cache/tests.rs"]
mod tests;
