//! Where an unfinished sync stands, kept beside the directory cache so that `confdir directory
//! sync` (or `:sync` in the UI) picks up where a Ctrl-C, a crash or a failed request left it.
//!
//! Two files in the site's cache folder, both readable by the owner only (0600):
//! - `sync.json`: the [`Position`] (strategy, offset or group reached, requests so far, and how
//!   many bytes of the people log are whole), replaced atomically after every page through
//!   [`crate::files::write_atomic`];
//! - `sync-people.jsonl`: the people found so far, one JSON object a line, appended and flushed
//!   to disk *before* the position that counts them is written.
//!
//! A third file, `sync.lock`, is held locked (an advisory lock the system drops when the process
//! ends, however it ends) while a sync runs, so a second sync of the same site (the CLI while
//! the UI syncs, say) is refused instead of interleaving its pages with the first's.
//!
//! A page therefore costs one append of its new people and one small atomic write, not a rewrite
//! of everyone found so far. A log longer than the position says (a crash between the append and
//! the position) is cut back to the recorded length on resume, so nobody is counted twice and
//! nobody recorded is lost. This module knows nothing of HTTP or of the cache's own format.

use super::Position;
use crate::api::model::User;
use crate::files::write_atomic;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

/// The format of `sync.json` this build reads and writes; another version is ignored (a sync
/// then starts over, which is always correct, only slower).
pub const VERSION: u32 = 1;

/// The two files of an unfinished sync.
#[derive(Debug)]
pub struct Checkpoint {
    state_path: PathBuf,
    log_path: PathBuf,
    log: Option<File>,
    /// `sync.lock`, held locked while this sync runs.
    lock: Option<File>,
}

/// Why a checkpoint cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LockError {
    /// Another sync of the same site holds it.
    Busy(PathBuf),
    /// The lock file could not be opened or locked.
    Files(String),
}

/// `sync.json` as written.
#[derive(serde::Serialize, serde::Deserialize)]
struct Saved {
    version: u32,
    position: Position,
}

impl Checkpoint {
    /// The checkpoint of the cache at `cache_path`: `sync.json` and `sync-people.jsonl` in the
    /// same folder.
    pub fn beside(cache_path: &Path) -> Checkpoint {
        let dir = cache_path.parent().unwrap_or(Path::new("."));
        Checkpoint {
            state_path: dir.join("sync.json"),
            log_path: dir.join("sync-people.jsonl"),
            log: None,
            lock: None,
        }
    }

    /// Takes the checkpoint for this sync: `sync.lock` locked until this checkpoint is dropped
    /// (or the process ends). Another sync holding it: [`LockError::Busy`].
    pub fn lock(&mut self) -> Result<(), LockError> {
        if self.lock.is_some() {
            return Ok(());
        }
        let path = self.state_path.with_file_name("sync.lock");
        let err =
            |e: std::io::Error| LockError::Files(format!("cannot lock {}: {e}", path.display()));
        private_dir(&path).map_err(err)?;
        let file = private_file(&path).map_err(err)?;
        match file.try_lock() {
            Ok(()) => {
                self.lock = Some(file);
                Ok(())
            }
            Err(std::fs::TryLockError::WouldBlock) => Err(LockError::Busy(path)),
            Err(std::fs::TryLockError::Error(e)) => Err(err(e)),
        }
    }

    /// The path of `sync.json`.
    pub fn state_path(&self) -> &Path {
        &self.state_path
    }

    /// The unfinished sync, if there is one: where it stood and the people it had found. A
    /// missing, damaged or other-version state file is no sync to resume (`Ok(None)`).
    pub fn load(&mut self) -> Result<Option<(Position, Vec<User>)>, String> {
        let bytes = match std::fs::read(&self.state_path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("cannot read {}: {e}", self.state_path.display())),
        };
        let Ok(saved) = serde_json::from_slice::<Saved>(&bytes) else {
            return Ok(None);
        };
        if saved.version != VERSION {
            return Ok(None);
        }
        let whole = saved.position.people_bytes;
        let file = match File::open(&self.log_path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && whole == 0 => {
                return Ok(Some((saved.position, Vec::new())))
            }
            Err(_) => return Ok(None),
        };
        let mut people = Vec::new();
        let reader = BufReader::new(file.take(whole));
        for line in reader.lines() {
            let line = line.map_err(|e| format!("cannot read {}: {e}", self.log_path.display()))?;
            match serde_json::from_str::<User>(&line) {
                Ok(user) => people.push(user),
                // A damaged log cannot be trusted to hold what the position counts.
                Err(_) => return Ok(None),
            }
        }
        self.open_log(whole)?;
        Ok(Some((saved.position, people)))
    }

    /// Starts afresh: any earlier state and log are removed.
    pub fn reset(&mut self) -> Result<(), String> {
        self.clear();
        self.open_log(0)
    }

    /// Records a page: `new` people appended to the log and flushed, then `position` (with the
    /// log's new length) written atomically.
    pub fn record(&mut self, position: &mut Position, new: &[User]) -> Result<(), String> {
        if !new.is_empty() {
            if self.log.is_none() {
                self.open_log(position.people_bytes)?;
            }
            let mut buf = Vec::new();
            for user in new {
                serde_json::to_writer(&mut buf, user).map_err(|e| e.to_string())?;
                buf.push(b'\n');
            }
            let log_err =
                |e: std::io::Error| format!("cannot write {}: {e}", self.log_path.display());
            let log = self.log.as_mut().ok_or("the people log is not open")?;
            log.write_all(&buf).map_err(log_err)?;
            log.sync_data().map_err(log_err)?;
            position.people_bytes += buf.len() as u64;
        }
        let saved = Saved {
            version: VERSION,
            position: position.clone(),
        };
        let body = serde_json::to_vec(&saved).map_err(|e| e.to_string())?;
        write_atomic(&self.state_path, &body, true)
            .map_err(|e| format!("cannot write {}: {e}", self.state_path.display()))
    }

    /// Removes both files (the sync finished, or starts over).
    pub fn clear(&mut self) {
        self.log = None;
        let _ = std::fs::remove_file(&self.state_path);
        let _ = std::fs::remove_file(&self.log_path);
    }

    /// Opens the log for appending, cut back to its first `len` bytes (0600 when created).
    fn open_log(&mut self, len: u64) -> Result<(), String> {
        let err = |e: std::io::Error| format!("cannot open {}: {e}", self.log_path.display());
        private_dir(&self.log_path).map_err(err)?;
        let mut file = private_file(&self.log_path).map_err(err)?;
        file.set_len(len).map_err(err)?;
        std::io::Seek::seek(&mut file, std::io::SeekFrom::End(0)).map_err(err)?;
        self.log = Some(file);
        Ok(())
    }
}

/// Makes `path`'s folder if it is missing, private (0700), as the atomic writer makes it.
fn private_dir(path: &Path) -> std::io::Result<()> {
    let Some(dir) = path.parent() else {
        return Ok(());
    };
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Opens `path` for writing without truncating it, created readable by the owner only (0600).
fn private_file(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.create(true).write(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_sync_of_the_same_site_is_refused_while_the_first_runs() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("site").join("directory.json");
        let mut first = Checkpoint::beside(&cache);
        first.lock().unwrap();
        let mut second = Checkpoint::beside(&cache);
        assert_eq!(
            second.lock(),
            Err(LockError::Busy(dir.path().join("site").join("sync.lock")))
        );
        // The first one ended: the next may run.
        drop(first);
        second.lock().unwrap();
    }

    fn user(id: &str) -> User {
        User {
            account_id: Some(id.into()),
            display_name: Some(format!("Person {id}")),
            ..User::default()
        }
    }

    #[test]
    fn a_torn_append_is_cut_back_and_files_are_private() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("site").join("directory.json");
        let mut cp = Checkpoint::beside(&cache);
        assert!(cp.load().unwrap().is_none());
        cp.reset().unwrap();
        let mut pos = Position::default();
        cp.record(&mut pos, &[user("a"), user("b")]).unwrap();
        // A crash after appending but before the position: the tail is not counted.
        let log = dir.path().join("site").join("sync-people.jsonl");
        let mut f = OpenOptions::new().append(true).open(&log).unwrap();
        f.write_all(b"{\"accountId\":\"c\"}\n{\"acc").unwrap();
        drop(f);
        let mut again = Checkpoint::beside(&cache);
        let (p, people) = again.load().unwrap().unwrap();
        assert_eq!(p, pos);
        let ids: Vec<_> = people.iter().filter_map(|u| u.account_id.clone()).collect();
        assert_eq!(ids, ["a", "b"]);
        let mut p = p;
        again.record(&mut p, &[user("d")]).unwrap();
        let (_, people) = Checkpoint::beside(&cache).load().unwrap().unwrap();
        let ids: Vec<_> = people.iter().filter_map(|u| u.account_id.clone()).collect();
        assert_eq!(ids, ["a", "b", "d"]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            for path in [&log, &dir.path().join("site").join("sync.json")] {
                let mode = std::fs::metadata(path).unwrap().permissions().mode();
                assert_eq!(mode & 0o777, 0o600, "{}", path.display());
            }
        }
        again.clear();
        assert!(Checkpoint::beside(&cache).load().unwrap().is_none());
    }
}
