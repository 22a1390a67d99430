//! The pinned labels and pages of the watch list: one JSON file per site, written atomically
//! through [`crate::files::write_atomic`] (readable by the user only: the user's own lists) so a
//! crash never leaves half a file, and never overwritten when it could not be read (the user's
//! pins are not lost to a parse error). It knows nothing of the screen or of when to save.

use crate::app::state::Pin;
use crate::files::write_atomic;
use std::path::Path;

/// Reads the pins. A missing file is an empty list; an unreadable one is an error (and the caller
/// must then not save over it).
pub fn load(path: &Path) -> Result<Vec<Pin>, String> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
            format!(
                "{} is not a valid pins file ({e}); it was left untouched",
                path.display()
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

/// Writes the pins atomically, readable by the owner only.
pub fn save(path: &Path, pins: &[Pin]) -> Result<(), String> {
    let body = serde_json::to_vec_pretty(pins).map_err(|e| e.to_string())?;
    write_atomic(path, &body, true).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::WatchTarget;

    #[test]
    fn round_trip_and_corrupt_files_are_reported_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("site").join("pins.json");
        assert_eq!(load(&path).unwrap(), Vec::new());
        let pins = vec![Pin {
            target: WatchTarget::Label("release-notes".into()),
        }];
        save(&path, &pins).unwrap();
        assert_eq!(load(&path).unwrap(), pins);
        std::fs::write(&path, b"{not json").unwrap();
        let err = load(&path).unwrap_err();
        assert!(err.contains("left untouched"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), b"{not json");
    }

    #[cfg(unix)]
    #[test]
    fn pins_and_the_folders_made_for_them_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        // `$XDG_DATA_HOME/confdir/<site>/pins.json`, none of the folders there yet.
        let data_home = dir.path().join("data");
        let path = data_home.join("confdir").join("acme").join("pins.json");
        save(&path, &[]).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&data_home.join("confdir").join("acme")), 0o700);
        assert_eq!(mode(&data_home.join("confdir")), 0o700);
    }
}
