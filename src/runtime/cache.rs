//! The directory cache: the people confdir has seen on a site, and the recently viewed ones, kept
//! in `$XDG_CACHE_HOME/confdir/<site>/directory.json` so that typing filters them at once on the
//! next start. Written atomically through [`crate::files::write_atomic`] with mode 0600, since it
//! holds what the site showed about colleagues (emails included). Loading happens off the event
//! loop; this module only reads and writes the file and never decides when.
//!
//! The format (version 2): the 8 bytes `confdir\0`, the version as a little-endian `u32`, then
//! the recently viewed account ids and the people in [`postcard`]'s compact binary encoding,
//! each person with the fields the list and search use and their folded search forms
//! ([`StoredPerson`]). A person's kept fields are encoded exactly as the directory holds them in
//! memory, so reading 150,000 people copies each record as it lies in the file (no JSON to
//! parse, no name to fold, no string allocated per field), and writing copies them back
//! ([`encode`]). (The file keeps its old name so every path to it stays valid; version 1
//! was JSON, which starts with `{`, not the magic bytes.) A file of another version, or a
//! damaged one, is ignored, never misread: it is only a cache, the site is the source of truth.
//! The number of people kept is capped (`[cache] max_people`); over the cap, the least recently
//! seen are left out when it is written.
//!
//! Quitting writes only what changed. Nothing: nothing is written. A few people (at most
//! [`JOURNAL_MAX`](crate::app::directory::JOURNAL_MAX) since the file was last written whole):
//! they are appended, with the recently viewed list, to `directory.journal` beside it (the same
//! header, then records of a little-endian `u32` length and a body; mode 0600, synced), and
//! replayed over the file when it is read, later records winning. A record cut short (a crash
//! while appending) ends the replay: the records before it count. More people: the file is
//! rewritten whole and the journal removed first (so an old journal never replays over a newer
//! file; a crash between the two loses only the journal's few changes).

use crate::api::model::User;
use crate::app::directory::{take_person, Directory, StoredPerson, StoredUser};
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

/// The body after the header (and each journal record), as serde writes it: the recently
/// viewed ids, then the people (their number, then each). Read person by person by
/// [`read_body`], never whole.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Body {
    recent: Vec<String>,
    people: Vec<StoredPerson>,
}

/// The journal of small changes beside the cache file.
fn journal_path(path: &Path) -> std::path::PathBuf {
    path.with_extension("journal")
}

/// The message for a damaged file.
fn damaged(path: &Path, why: &str) -> String {
    format!("{} is damaged ({why}); starting without it", path.display())
}

/// How many bytes of the cache file are read at a time: reading it whole would hold a second
/// copy of every record while they are copied into the directory (22 MB at 150,000 people).
/// The tests read 61 bytes at a time, so their records straddle chunks, and some span several.
const CHUNK: usize = if cfg!(test) { 61 } else { 1 << 20 };

/// Why the cache file could not be streamed.
enum Streamed {
    Io(std::io::Error),
    Damaged(String),
}

/// Reads the header of the cache file (or of its journal): `true` for this format and version,
/// `false` for another (ignored, rewritten on the way out; version 1 was JSON, `{`).
fn read_header(file: &mut impl std::io::Read) -> Result<bool, Streamed> {
    use std::io::Read;
    let mut head = Vec::with_capacity(MAGIC.len() + 4);
    file.take((MAGIC.len() + 4) as u64)
        .read_to_end(&mut head)
        .map_err(Streamed::Io)?;
    if !head.starts_with(MAGIC) {
        return Ok(false);
    }
    if head.len() < MAGIC.len() + 4 {
        return Err(Streamed::Damaged("EOF".into()));
    }
    Ok(head[MAGIC.len()..] == VERSION.to_le_bytes())
}

/// Reads a body (the file's after its header, or one journal record) from `file` (about `size`
/// bytes) into `directory` a chunk at a time, each person's record copied as it arrives, with no
/// string allocated per field; people already known are kept, or replaced when `replace`.
/// Returns the recently viewed ids and how many people the body held.
fn read_body(
    mut file: impl std::io::Read,
    size: usize,
    directory: &mut Directory,
    replace: bool,
) -> Result<(Vec<String>, usize), Streamed> {
    use std::io::Read;
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK.min(size) + CHUNK / 4);
    let mut eof = false;
    let mut fill = |buf: &mut Vec<u8>, eof: &mut bool| -> Result<(), Streamed> {
        let before = buf.len();
        file.by_ref()
            .take(CHUNK as u64)
            .read_to_end(buf)
            .map_err(Streamed::Io)?;
        *eof = buf.len() == before;
        Ok(())
    };
    let mut at = 0;
    // The recently viewed ids and the number of people, then each person; a part cut by the
    // end of a chunk is read again with the next chunk after it.
    let (recent, count) = loop {
        match postcard::take_from_bytes::<(Vec<String>, u64)>(&buf[at..]) {
            Ok((head, rest)) => {
                at = buf.len() - rest.len();
                break head;
            }
            Err(postcard::Error::DeserializeUnexpectedEnd) if !eof => fill(&mut buf, &mut eof)?,
            Err(e) => return Err(Streamed::Damaged(e.to_string())),
        }
    };
    let count = usize::try_from(count).unwrap_or(usize::MAX);
    // Never more room than the bytes could hold (a damaged count must not reserve gigabytes).
    directory.reserve(count.min(size / 8), size);
    let mut left = count;
    while left > 0 {
        match take_person(&buf[at..]) {
            Ok((person, rest)) => {
                at = buf.len() - rest.len();
                directory.add_taken(&person, replace);
                left -= 1;
            }
            Err(postcard::Error::DeserializeUnexpectedEnd) if !eof => {
                buf.drain(..at);
                at = 0;
                fill(&mut buf, &mut eof)?;
            }
            Err(e) => return Err(Streamed::Damaged(e.to_string())),
        }
    }
    Ok((recent, count))
}

/// Reads the cache into a directory, its journal replayed over it, with the recently viewed
/// ids and how many people the journal held. A missing file, another version or format give an
/// empty cache; a damaged file an error with the reason for the log (it is only a cache: the
/// site is the source of truth).
fn read_directory(path: &Path) -> Result<(Vec<String>, Directory, usize), String> {
    let mut directory = Directory::default();
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Default::default()),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let size = file.metadata().map_or(0, |m| m.len() as usize);
    let why = |e| match e {
        Streamed::Io(e) => format!("cannot read {}: {e}", path.display()),
        Streamed::Damaged(why) => damaged(path, &why),
    };
    if !read_header(&mut file).map_err(why)? {
        return Ok(Default::default());
    }
    let (mut recent, _) = read_body(file, size, &mut directory, false).map_err(why)?;
    let mut journal = 0;
    // A journal that cannot be read is only a few changes lost.
    let bytes = std::fs::read(journal_path(path)).unwrap_or_default();
    let mut rest = bytes.as_slice();
    if let Ok(true) = read_header(&mut rest) {
        while let Some((len, tail)) = rest.split_first_chunk::<4>() {
            let len = u32::from_le_bytes(*len) as usize;
            let Some(record) = tail.get(..len) else {
                break;
            };
            // Later records win; a damaged one ends the replay (the people read from it before
            // the damage stay: each is whole).
            let Ok((entry_recent, people)) = read_body(record, len, &mut directory, true) else {
                break;
            };
            rest = &tail[len..];
            recent = entry_recent;
            journal += people;
        }
    }
    Ok((recent, directory, journal))
}

/// Appends changed people and the recently viewed list to the journal (see the module docs).
pub fn append_journal(
    path: &Path,
    recent: &[String],
    people: Vec<StoredPerson>,
) -> Result<(), String> {
    use std::io::Write;
    let journal = journal_path(path);
    let fail = |e: std::io::Error| format!("cannot write {}: {e}", journal.display());
    let body = Body {
        recent: recent.to_vec(),
        people,
    };
    let record = postcard::to_allocvec(&body).map_err(|e| e.to_string())?;
    let mut options = std::fs::OpenOptions::new();
    options.append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&journal).map_err(fail)?;
    let mut bytes = Vec::with_capacity(record.len() + 16);
    if file.metadata().map_err(fail)?.len() == 0 {
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&VERSION.to_le_bytes());
    }
    let len = u32::try_from(record.len()).map_err(|e| e.to_string())?;
    bytes.extend_from_slice(&len.to_le_bytes());
    bytes.extend_from_slice(&record);
    file.write_all(&bytes).map_err(fail)?;
    file.sync_all().map_err(fail)
}

/// Reads the cache into a directory (off the event loop: this is the whole start-up cost of the
/// cached people), keeping at most `max_people`, the most recently seen.
pub fn load_directory(path: &Path, max_people: usize) -> Result<(Vec<String>, Directory), String> {
    let (recent, mut directory, journal) = read_directory(path)?;
    if directory.len() > max_people {
        directory = directory.most_recent(max_people);
    }
    directory.set_journal(journal);
    Ok((recent, directory))
}

/// The cache file in a site's cache folder (`$XDG_CACHE_HOME/confdir/<site>`): the UI's and
/// `directory sync`'s. The name stays `directory.json` although the file is binary now, so
/// every existing path stays valid.
pub fn path_in(dir: &Path) -> std::path::PathBuf {
    dir.join("directory.json")
}

/// Reads the cache as users (see [`load_directory`]).
pub fn load(path: &Path) -> Result<DirectoryCache, String> {
    let (recent, directory, _) = read_directory(path)?;
    Ok(DirectoryCache {
        version: VERSION,
        recent,
        users: directory.users().map(|u| u.to_user()).collect(),
    })
}

/// Removes the journal: what is written whole next holds its changes (it goes first, so an old
/// journal never replays over a newer file; a crash between the two loses only its changes).
fn remove_journal(path: &Path) -> Result<(), String> {
    match std::fs::remove_file(journal_path(path)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(format!(
            "cannot remove {}: {e}",
            journal_path(path).display()
        )),
        _ => Ok(()),
    }
}

/// The whole file for a directory (its most recently seen `max_people`) and the recently
/// viewed people: each person's record copied as it lies in memory. Cheap enough for the event
/// loop (a copy of the directory's bytes); [`save_bytes`] writes it elsewhere.
pub fn encode(
    recent: &[String],
    directory: &Directory,
    max_people: usize,
) -> Result<Vec<u8>, String> {
    let kept = directory.kept(max_people);
    let mut bytes = MAGIC.to_vec();
    bytes.extend_from_slice(&VERSION.to_le_bytes());
    let head = (recent, kept.len() as u64);
    let mut bytes = postcard::to_extend(&head, bytes).map_err(|e| e.to_string())?;
    for i in kept {
        directory
            .encode_person(i, &mut bytes)
            .map_err(|e| e.to_string())?;
    }
    Ok(bytes)
}

/// Writes a file made by [`encode`] atomically, readable by the owner only.
pub fn save_bytes(path: &Path, bytes: &[u8]) -> Result<(), String> {
    remove_journal(path)?;
    write_atomic(path, bytes, true).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Writes a directory (its most recently seen `max_people`) and the recently viewed people.
pub fn save_directory(
    path: &Path,
    recent: &[String],
    directory: &Directory,
    max_people: usize,
) -> Result<(), String> {
    save_bytes(path, &encode(recent, directory, max_people)?)
}

/// Writes users (folding their names here, on every core), in the order given.
pub fn save(path: &Path, cache: &DirectoryCache) -> Result<(), String> {
    use rayon::prelude::*;
    let people: Vec<StoredPerson> = cache.users.par_iter().map(StoredPerson::new).collect();
    let directory = Directory::from_people(people);
    save_directory(path, &cache.recent, &directory, usize::MAX)
}

#[cfg(test)]
#[path = "cache/tests.rs"]
mod tests;

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
    use rayon::prelude::*;
    use std::collections::HashMap;
    // A damaged cache is replaced, as at start-up.
    let (recent, mut directory, _) = read_directory(path).unwrap_or_default();
    let mut merged = Merged::default();
    // The new and changed people, the later record winning for a person met twice; only they
    // are folded (on every core), the people the site shows unchanged keep their stored forms.
    let mut folds: Vec<StoredUser> = Vec::new();
    let mut fold_at: HashMap<String, usize> = HashMap::new();
    for user in people {
        let Some(id) = user.account_id.clone() else {
            continue;
        };
        // Compared as the cache keeps a person: the fields the list and search use.
        let kept = StoredUser::from(user);
        if let Some(&f) = fold_at.get(&id) {
            folds[f] = kept;
            continue;
        }
        match directory.user(&id) {
            Some(old) if old.to_stored() == kept => continue,
            Some(_) => merged.updated += 1,
            None => merged.new += 1,
        }
        fold_at.insert(id, folds.len());
        folds.push(kept);
    }
    let folded: Vec<StoredPerson> = folds.into_par_iter().map(StoredPerson::of).collect();
    for mut person in folded {
        // A known person keeps when they were last seen.
        let known = person
            .user
            .account_id
            .as_deref()
            .and_then(|id| directory.index_of(id));
        person.seen = known.map_or(0, |i| directory.seen(i));
        directory.add_stored(&person, true);
    }
    merged.total = directory.len();
    save_directory(path, &recent, &directory, usize::MAX)?;
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

        // A person twice in one merge (a sync meeting them in two groups) is one person, as
        // the later record says.
        let merged = merge(&path, vec![person("d", "Dee"), person("d", "Dora")]).unwrap();
        assert_eq!((merged.new, merged.updated, merged.total), (1, 0, 4));
        let after = load(&path).unwrap();
        assert_eq!(after.users[3].display_name.as_deref(), Some("Dora"));
    }
}
