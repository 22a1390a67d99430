//! The files confdir keeps for itself: the log is private (0600, in a 0700 folder) whatever the
//! umask, and a log past its size cap is rotated when confdir starts.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::support::home::{log_file, Home, BIN};
use confdir::config::{LOG_KEEP, LOG_MAX_BYTES};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// `confdir doctor` (no site: it only has to start) with `CONFDIR_LOG=debug`, under umask 000 so
/// that nothing but confdir's own choice keeps the files private.
fn run_with_open_umask(home: &Home) {
    let status = home
        .program("sh")
        .args(["-c", "umask 000; exec \"$0\" doctor", BIN])
        .env("CONFDIR_LOG", "debug")
        .output()
        .unwrap()
        .status;
    // Without a site `doctor` fails; it has still started, and logged.
    assert!(status.code().is_some(), "{status:?}");
}

#[test]
fn the_log_is_private_whatever_the_umask() {
    let home = Home::new();
    run_with_open_umask(&home);
    let log = log_file(home.path());
    assert!(log.is_file());
    assert_eq!(mode(&log), 0o600);
    assert_eq!(mode(log.parent().unwrap()), 0o700);

    // A log (and folder) an older confdir left world-readable is narrowed.
    std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(
        log.parent().unwrap(),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    run_with_open_umask(&home);
    assert_eq!(mode(&log), 0o600);
    assert_eq!(mode(log.parent().unwrap()), 0o700);
}

#[test]
fn a_log_past_its_cap_is_rotated_at_start() {
    let home = Home::new();
    let log = log_file(home.path());
    std::fs::create_dir_all(log.parent().unwrap()).unwrap();
    let big = LOG_MAX_BYTES as usize + 1;
    std::fs::write(&log, vec![b'x'; big]).unwrap();
    let older = |n: usize| log.with_file_name(format!("confdir.log.{n}"));
    for n in 1..=LOG_KEEP {
        std::fs::write(older(n), format!("old {n}")).unwrap();
    }
    run_with_open_umask(&home);
    assert!(std::fs::metadata(&log).unwrap().len() < LOG_MAX_BYTES);
    assert_eq!(mode(&log), 0o600);
    assert_eq!(std::fs::metadata(older(1)).unwrap().len(), big as u64);
    assert_eq!(std::fs::read_to_string(older(2)).unwrap(), "old 1");
    assert_eq!(std::fs::read_to_string(older(LOG_KEEP)).unwrap(), "old 2");
    assert!(!older(LOG_KEEP + 1).exists());
}
