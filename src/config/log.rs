//! The log file, `$XDG_CACHE_HOME/confdir/confdir.log`: opened private (0600, in a 0700 folder)
//! whatever the umask, and rotated at start-up once it passes [`LOG_MAX_BYTES`], keeping
//! [`LOG_KEEP`] older files (`confdir.log.1` the newest). It only prepares the file; what is
//! logged, and at which level, is the binary's business.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

/// The log file's name inside the cache folder.
pub const LOG_FILE_NAME: &str = "confdir.log";

/// Past this size the log is rotated when confdir starts.
pub const LOG_MAX_BYTES: u64 = 5 * 1024 * 1024;

/// How many rotated logs are kept (`confdir.log.1` … `confdir.log.3`).
pub const LOG_KEEP: usize = 3;

/// Creates `dir` (0700, and narrows it to 0700 if it exists: it is confdir's own folder),
/// rotates the log in it when it is over [`LOG_MAX_BYTES`], and opens it for appending with mode
/// 0600.
pub fn open_log_file(dir: &Path) -> io::Result<File> {
    private_dir(dir)?;
    let path = dir.join(LOG_FILE_NAME);
    match std::fs::metadata(&path) {
        Ok(meta) if meta.len() > LOG_MAX_BYTES => rotate(&path)?,
        _ => {}
    }
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(&path)?;
    #[cfg(unix)]
    {
        // An older log may have been created 0644; the mode above only applies to a new file.
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(file)
}

/// `confdir.log` → `.1` → `.2` → … → `.LOG_KEEP`, the oldest dropped.
fn rotate(path: &Path) -> io::Result<()> {
    let numbered = |n: usize| -> PathBuf {
        let mut name = path.as_os_str().to_owned();
        name.push(format!(".{n}"));
        PathBuf::from(name)
    };
    for n in (1..LOG_KEEP).rev() {
        match std::fs::rename(numbered(n), numbered(n + 1)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    std::fs::rename(path, numbered(1))
}

/// Creates a folder readable by its owner only, or narrows an existing one to that.
pub fn private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotation_keeps_three_older_logs_and_drops_the_oldest() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join(LOG_FILE_NAME);
        for n in 1..=LOG_KEEP {
            std::fs::write(
                dir.path().join(format!("{LOG_FILE_NAME}.{n}")),
                format!("{n}"),
            )
            .unwrap();
        }
        std::fs::write(&log, vec![b'x'; LOG_MAX_BYTES as usize + 1]).unwrap();
        drop(open_log_file(dir.path()).unwrap());
        assert_eq!(std::fs::metadata(&log).unwrap().len(), 0);
        let read =
            |n: usize| std::fs::read(dir.path().join(format!("{LOG_FILE_NAME}.{n}"))).unwrap();
        assert_eq!(read(1).len(), LOG_MAX_BYTES as usize + 1);
        assert_eq!(read(2), b"1");
        assert_eq!(read(3), b"2");
        assert!(!dir.path().join(format!("{LOG_FILE_NAME}.4")).exists());
        // Under the cap: appended to, not rotated.
        std::fs::write(&log, b"small").unwrap();
        drop(open_log_file(dir.path()).unwrap());
        assert_eq!(std::fs::read(&log).unwrap(), b"small");
    }
}
