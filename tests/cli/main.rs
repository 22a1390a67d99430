//! The real `confdir` binary against the embedded demo server: every command in human, `--json`
//! and `--csv` form, every exit code, colour rules, and the token never leaking.
//!
//! Each test starts its own demo server (watches and properties change in memory) on an
//! ephemeral loopback port, and runs the binary with a clean environment: temp XDG directories,
//! the server's URL, and the demo credentials.
//!
//! One file per command group; this file holds what they share: the demo site and home
//! ([`Site`]), a finished run ([`Run`]), and the canary token. It must not hold tests.

// Tests unwrap: a panic is a failed test that says where (the crate denies it elsewhere).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../support/mod.rs"]
mod support;

mod diff;
mod doctor;
mod emails;
mod files;
mod gateway;
mod groups;
mod hostile;
mod login;
mod output;
mod props;
mod round_trips;
mod secrets;
mod sites;
mod spaces;
mod sync;
mod users;
mod watch;
mod watch_many;

use confdir::demo::{DEMO_ADMIN_TOKEN, DEMO_EMAIL, DEMO_TOKEN};
use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};
use support::demo::Demo;
use support::home::Home;

/// A wrong token that must never show in any output or file.
const CANARY: &str = "tok-CANARY-5e8d21";

/// A demo server, and a private home to run the binary in.
struct Site {
    demo: Demo,
    home: Home,
}

/// A finished run of the binary: its exit code and what it printed.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// Standard output as JSON; fails the test if it is not.
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }
    /// Standard output as CSV rows (split on commas: the tests' values hold none).
    fn csv(&self) -> Vec<Vec<String>> {
        self.stdout
            .lines()
            .map(|l| l.split(',').map(str::to_string).collect())
            .collect()
    }
    /// Fails the test, showing both outputs, unless the run exited 0.
    fn ok(self) -> Self {
        assert_eq!(
            self.code, 0,
            "stderr: {}\nstdout: {}",
            self.stderr, self.stdout
        );
        self
    }
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Site {
    /// A fresh demo server and a fresh home.
    fn start() -> Self {
        Site {
            demo: Demo::start(),
            home: Home::new(),
        }
    }

    /// The demo server's base URL.
    fn url(&self) -> String {
        self.demo.base_url()
    }

    /// A path inside the home.
    fn path(&self, rel: &str) -> PathBuf {
        self.home.join(rel)
    }

    /// A command with a clean environment: temp XDG dirs, no credentials.
    fn bare(&self, args: &[&str]) -> Command {
        self.home.command(args)
    }

    /// A command pointed at the demo server with a token.
    fn with_token(&self, token: &str, args: &[&str]) -> Command {
        let mut cmd = self.bare(args);
        cmd.env("CONFLUENCE_BASE_URL", self.url())
            .env("CONFLUENCE_EMAIL", DEMO_EMAIL)
            .env("CONFLUENCE_API_TOKEN", token);
        cmd
    }

    /// Runs `confdir ARGS` as the demo user.
    fn run(&self, args: &[&str]) -> Run {
        self.with_token(DEMO_TOKEN, args).output().unwrap().into()
    }

    /// Runs `confdir ARGS` as the demo administrator.
    fn admin(&self, args: &[&str]) -> Run {
        self.with_token(DEMO_ADMIN_TOKEN, args)
            .output()
            .unwrap()
            .into()
    }

    /// Writes the config file; returns its path.
    fn write_config(&self, text: &str) -> PathBuf {
        let path = self.home.config_file();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }
}

/// The content id the demo gives the "Engineering handbook" page.
fn handbook_id() -> String {
    (confdir::demo::seed::hash_str("ENG/Engineering handbook") % 9_000_000_000 + 1_000_000_000)
        .to_string()
}
