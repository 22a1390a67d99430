//! The environment confdir reads, and the folders it derives from it: the config file's path
//! (`$CONFDIR_CONFIG`, else `$XDG_CONFIG_HOME/confdir/config.toml`), `$XDG_DATA_HOME/confdir` and
//! `$XDG_CACHE_HOME/confdir`, with the platform's folders as the fallback.
//!
//! [`Environment`] is a snapshot taken once, so the rest of the crate (and every test) works on
//! plain data. This module only reads variables; it never sets them, and it creates no folders.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Environment variable that chooses a site by name (like `--site`).
pub const ENV_SITE: &str = "CONFDIR_SITE";
/// Environment variable holding the API token; first in the credential chain.
pub const ENV_TOKEN: &str = "CONFLUENCE_API_TOKEN";
/// Environment variable holding the site URL (also read by `--base-url`).
pub const ENV_BASE_URL: &str = "CONFLUENCE_BASE_URL";
/// Environment variable holding the account email (also read by `--email`).
pub const ENV_EMAIL: &str = "CONFLUENCE_EMAIL";

/// A snapshot of the environment variables confdir reads. Tests build one by hand so they never
/// depend on (or change) the process environment.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    vars: BTreeMap<String, String>,
}

impl Environment {
    /// The variables of this process that matter to confdir.
    pub fn from_process() -> Self {
        let names = [
            ENV_SITE,
            ENV_TOKEN,
            ENV_BASE_URL,
            ENV_EMAIL,
            "CONFDIR_CONFIG",
            "XDG_CONFIG_HOME",
            "XDG_DATA_HOME",
            "XDG_CACHE_HOME",
            "HOME",
        ];
        let vars = names
            .iter()
            .filter_map(|n| std::env::var(n).ok().map(|v| (n.to_string(), v)))
            .collect();
        Environment { vars }
    }

    /// An environment with exactly these variables.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        Environment {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    /// This environment without `name`: e.g. without a `CONFLUENCE_API_TOKEN` the site refused,
    /// once a new login was stored, so the new token is the one used for the rest of the run.
    pub fn without(mut self, name: &str) -> Self {
        self.vars.remove(name);
        self
    }

    /// A variable's value; empty values count as unset.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// `$XDG_<kind>_HOME/confdir`, else the platform's directory for confdir.
    fn dir(&self, xdg: &str, fallback: fn(&directories::ProjectDirs) -> &Path) -> Option<PathBuf> {
        if let Some(base) = self.get(xdg).map(PathBuf::from).filter(|p| p.is_absolute()) {
            return Some(base.join("confdir"));
        }
        directories::ProjectDirs::from("", "", "confdir").map(|d| fallback(&d).to_path_buf())
    }

    /// Where `config.toml` lives: `$CONFDIR_CONFIG`, else `$XDG_CONFIG_HOME/confdir/config.toml`.
    pub fn config_path(&self) -> Option<PathBuf> {
        if let Some(p) = self.get("CONFDIR_CONFIG") {
            return Some(PathBuf::from(p));
        }
        self.dir("XDG_CONFIG_HOME", |d| d.config_dir())
            .map(|d| d.join("config.toml"))
    }

    /// `$XDG_DATA_HOME/confdir`.
    pub fn data_home(&self) -> Option<PathBuf> {
        self.dir("XDG_DATA_HOME", |d| d.data_dir())
    }

    /// `$XDG_CACHE_HOME/confdir`.
    pub fn cache_home(&self) -> Option<PathBuf> {
        self.dir("XDG_CACHE_HOME", |d| d.cache_dir())
    }

    /// `~/…` expanded with `$HOME`.
    pub(super) fn expand_home(&self, path: &str) -> PathBuf {
        match (path.strip_prefix("~/"), self.get("HOME")) {
            (Some(rest), Some(home)) => Path::new(home).join(rest),
            _ => PathBuf::from(path),
        }
    }
}
