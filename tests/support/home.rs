//! One temporary home and a clean environment for running the `confdir` binary.
//!
//! A [`Home`] is a fresh temporary directory, deleted with it. [`clean_env`] is the whole
//! environment a program under test gets: `PATH`, and `HOME` plus every XDG base directory inside
//! the temporary home; nothing of the developer's or CI's own (no credentials, no `NO_COLOR`, no
//! `DBUS_SESSION_BUS_ADDRESS`). Tests add what they mean to test on top. This module must not
//! write into the home itself: what is in it is what the program (or the test) put there.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use tempfile::TempDir;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_confdir");

/// `XDG_CONFIG_HOME`, relative to the home.
const CONFIG: &str = "config";
/// `XDG_DATA_HOME`, relative to the home.
const DATA: &str = "data";
/// `XDG_CACHE_HOME`, relative to the home.
const CACHE: &str = "cache";

/// The environment of a program whose home is `home`, and nothing else: `PATH` (so it can run
/// helpers such as `kill` or `script`), `HOME`, and `XDG_CONFIG_HOME`, `XDG_DATA_HOME` and
/// `XDG_CACHE_HOME` inside `home`.
pub fn clean_env(home: &Path) -> Vec<(&'static str, OsString)> {
    let mut env = Vec::new();
    if let Some(path) = std::env::var_os("PATH") {
        env.push(("PATH", path));
    }
    env.push(("HOME", home.as_os_str().to_owned()));
    env.push(("XDG_CONFIG_HOME", home.join(CONFIG).into_os_string()));
    env.push(("XDG_DATA_HOME", home.join(DATA).into_os_string()));
    env.push(("XDG_CACHE_HOME", home.join(CACHE).into_os_string()));
    env
}

/// A private home for one test: a temporary directory that [`clean_env`] points everything at.
pub struct Home {
    dir: TempDir,
}

impl Default for Home {
    fn default() -> Self {
        Home::new()
    }
}

impl Home {
    /// A fresh, empty home.
    pub fn new() -> Home {
        Home {
            dir: tempfile::tempdir().expect("a temporary home"),
        }
    }

    /// The home directory.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside the home.
    pub fn join(&self, rel: impl AsRef<Path>) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// `XDG_CONFIG_HOME`.
    pub fn config_dir(&self) -> PathBuf {
        self.join(CONFIG)
    }

    /// `XDG_DATA_HOME`.
    pub fn data_dir(&self) -> PathBuf {
        self.join(DATA)
    }

    /// `XDG_CACHE_HOME`.
    pub fn cache_dir(&self) -> PathBuf {
        self.join(CACHE)
    }

    /// Where confdir reads its configuration file.
    pub fn config_file(&self) -> PathBuf {
        config_file(self.path())
    }

    /// `confdir` with `args`, in the home with the [`clean_env`] and no standard input.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = self.program(BIN);
        cmd.args(args);
        cmd
    }

    /// Any program (`script`, say) with the home's [`clean_env`] and no standard input.
    pub fn program(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.env_clear()
            .envs(clean_env(self.path()))
            .current_dir(self.path())
            .stdin(Stdio::null());
        cmd
    }
}

/// Where confdir reads its configuration file when its home is `home`.
pub fn config_file(home: &Path) -> PathBuf {
    home.join(CONFIG).join("confdir/config.toml")
}

/// Where confdir writes its log file when its home is `home`.
pub fn log_file(home: &Path) -> PathBuf {
    home.join(CACHE).join("confdir/confdir.log")
}
