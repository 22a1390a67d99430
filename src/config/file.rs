//! The config file: its shape (`ConfigFile` and the tables in it), reading it, and the checks
//! serde cannot make (URLs, `default_site`, `token_command`, `token_file`, a `cloud_id` that must
//! be a UUID, a `gateway` that must be a bare https host).
//!
//! A missing file is not an error: every field has a default, so partial files work. Unknown keys
//! are refused, and every problem is reported with the file, the 1-based line and the dotted key.
//! This module only reads; writing the file (for `login`) lives in `store`.

use super::error::known_list;
use super::ConfigError;
use crate::api::{gateway_cloud_id, is_cloud_id, parse_base_url, parse_gateway_root};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// How a site authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuthKind {
    /// Email + API token (Confluence Cloud).
    Basic,
    /// A bearer token: OAuth access tokens, Data Center personal access tokens.
    Bearer,
}

impl AuthKind {
    /// `basic` or `bearer`, as written in the file.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthKind::Basic => "basic",
            AuthKind::Bearer => "bearer",
        }
    }
}

/// The whole `config.toml`. Every field has a default so partial files work; unknown keys are
/// refused so a typo is reported instead of silently ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConfigFile {
    /// The site used when neither `--site` nor `CONFDIR_SITE` chooses one.
    pub default_site: Option<Spanned<String>>,
    /// Options of the terminal UI.
    pub ui: UiOptions,
    /// Named sites.
    pub sites: BTreeMap<String, SiteConfig>,
    /// The directory cache.
    pub cache: CacheOptions,
}

/// The `[cache]` table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CacheOptions {
    /// The most people the directory cache keeps per site; over it, the least recently seen
    /// are dropped when it is written (and when it is read, after the cap was lowered).
    pub max_people: usize,
}

impl Default for CacheOptions {
    fn default() -> Self {
        CacheOptions {
            max_people: crate::runtime::cache::DEFAULT_MAX_PEOPLE,
        }
    }
}

/// Options of the terminal UI.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UiOptions {
    /// Mouse support (click to focus, wheel to scroll). Off by default: capturing the mouse
    /// takes text selection away from the terminal.
    pub mouse: bool,
}

/// One `[sites.NAME]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// `acme`, `acme.atlassian.net`, a full URL, or the API gateway form. With `cloud_id`, the
    /// site itself: web links open there, and API calls go through the gateway.
    pub url: Option<Spanned<String>>,
    /// The site's cloud id (a UUID): API calls go through the API gateway,
    /// `https://api.atlassian.com/ex/confluence/{cloud_id}`, as scoped API tokens require.
    pub cloud_id: Option<Spanned<String>>,
    /// The API gateway's root when not `https://api.atlassian.com` (a loopback stand-in in tests).
    pub gateway: Option<Spanned<String>>,
    /// Account email for Basic auth.
    pub email: Option<String>,
    /// `basic` (default when an email is known) or `bearer`.
    pub auth: Option<AuthKind>,
    /// Whether to look in the OS keyring (default true).
    #[serde(default = "default_true")]
    pub keyring: bool,
    /// A program and its arguments that print the token, run without a shell.
    pub token_command: Option<Spanned<Vec<String>>>,
    /// A file holding the token; must be readable by the owner only (mode 0600).
    pub token_file: Option<Spanned<String>>,
}

fn default_true() -> bool {
    true
}

/// The parsed config file and where it came from.
#[derive(Debug, Default)]
pub struct LoadedConfig {
    /// Where the file is (or would be).
    pub path: Option<PathBuf>,
    /// Whether the file exists.
    pub found: bool,
    /// The parsed file (defaults when not found).
    pub file: ConfigFile,
    /// The file's text, for line numbers in messages.
    pub(super) text: String,
}

impl LoadedConfig {
    /// The 1-based line of a byte offset in the file, for messages.
    pub(super) fn line_of(&self, offset: usize) -> usize {
        line_of(&self.text, offset)
    }

    /// The path to name in messages: the file's, or `config.toml` when there is no config folder.
    pub(super) fn path_display(&self) -> PathBuf {
        self.path
            .clone()
            .unwrap_or_else(|| PathBuf::from("config.toml"))
    }

    /// The site names in the file, sorted.
    pub fn site_names(&self) -> Vec<String> {
        self.file.sites.keys().cloned().collect()
    }
}

/// The 1-based line of a byte offset in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// Reads and checks the config file at `path`. A missing file is not an error (defaults apply).
pub fn load(path: Option<&Path>) -> Result<LoadedConfig, ConfigError> {
    let Some(path) = path else {
        return Ok(LoadedConfig::default());
    };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(LoadedConfig {
                path: Some(path.to_path_buf()),
                ..LoadedConfig::default()
            })
        }
        Err(source) => {
            return Err(ConfigError::Io {
                path: path.to_path_buf(),
                source,
            })
        }
    };
    let file: ConfigFile = toml::from_str(&text).map_err(|e| {
        let offset = e.span().map(|s| s.start).unwrap_or(0);
        ConfigError::Invalid {
            path: path.to_path_buf(),
            line: line_of(&text, offset),
            key: key_at(&text, offset, e.message()),
            message: e.message().trim().to_string(),
        }
    })?;
    let loaded = LoadedConfig {
        path: Some(path.to_path_buf()),
        found: true,
        file,
        text,
    };
    validate(&loaded)?;
    Ok(loaded)
}

/// The dotted key an error at `offset` is about: `unknown field `x`` names it; otherwise the key
/// on that line, prefixed by the table it is in.
fn key_at(text: &str, offset: usize, message: &str) -> String {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line_end = text[offset..]
        .find('\n')
        .map(|i| offset + i)
        .unwrap_or(text.len());
    let line = text[line_start..line_end].trim();
    let mut table = String::new();
    for l in text[..line_start].lines() {
        let l = l.trim();
        if l.starts_with('[') {
            table = l.trim_matches(|c| c == '[' || c == ']').trim().to_string();
        }
    }
    let from_message = message
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split('`').next())
        .map(str::to_string);
    let own = if line.starts_with('[') {
        table = String::new();
        line.trim_matches(|c| c == '[' || c == ']')
            .trim()
            .to_string()
    } else {
        line.split('=').next().unwrap_or("").trim().to_string()
    };
    let key = from_message.unwrap_or(own);
    let key = if key.is_empty() { "(file)".into() } else { key };
    if table.is_empty() || key.starts_with(&table) {
        key
    } else {
        format!("{table}.{key}")
    }
}

/// Checks the values serde cannot: URLs, `default_site`, `token_command`.
fn validate(cfg: &LoadedConfig) -> Result<(), ConfigError> {
    let invalid = |offset: usize, key: String, message: String| ConfigError::Invalid {
        path: cfg.path_display(),
        line: cfg.line_of(offset),
        key,
        message,
    };
    if let Some(default) = &cfg.file.default_site {
        if !cfg.file.sites.contains_key(default.get_ref()) {
            return Err(invalid(
                default.span().start,
                "default_site".into(),
                format!(
                    "names `{}`, which is not a [sites.…] table{}",
                    default.get_ref(),
                    known_list(&cfg.site_names())
                ),
            ));
        }
    }
    for (name, site) in &cfg.file.sites {
        if let Some(url) = &site.url {
            match parse_base_url(url.get_ref()) {
                Err(e) => {
                    return Err(invalid(
                        url.span().start,
                        format!("sites.{name}.url"),
                        e.to_string(),
                    ))
                }
                Ok(parsed) if site.cloud_id.is_some() && gateway_cloud_id(&parsed).is_some() => {
                    return Err(invalid(
                        url.span().start,
                        format!("sites.{name}.url"),
                        "is the API gateway, but `cloud_id` is set: with a cloud id, `url` is the site (e.g. https://acme.atlassian.net), where web links open".into(),
                    ))
                }
                Ok(_) => {}
            }
        }
        if let Some(id) = &site.cloud_id {
            if !is_cloud_id(id.get_ref().trim()) {
                return Err(invalid(
                    id.span().start,
                    format!("sites.{name}.cloud_id"),
                    "is not a cloud id: Atlassian cloud ids are UUIDs, e.g. 1324a887-45db-1bf4-1e99-ef0ff456d421".into(),
                ));
            }
        }
        if let Some(gateway) = &site.gateway {
            if let Err(e) = parse_gateway_root(gateway.get_ref()) {
                return Err(invalid(
                    gateway.span().start,
                    format!("sites.{name}.gateway"),
                    e.to_string(),
                ));
            }
        }
        if let Some(cmd) = &site.token_command {
            if cmd.get_ref().first().is_none_or(|p| p.trim().is_empty()) {
                return Err(invalid(
                    cmd.span().start,
                    format!("sites.{name}.token_command"),
                    "must name a program, e.g. [\"pass\", \"show\", \"confluence\"]".into(),
                ));
            }
        }
        if let Some(file) = &site.token_file {
            if file.get_ref().trim().is_empty() {
                return Err(invalid(
                    file.span().start,
                    format!("sites.{name}.token_file"),
                    "is empty".into(),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_found_with_their_table() {
        let text = "default_site = \"a\"\n[sites.a]\nurl = \"x\"\nauht = \"basic\"\n";
        let off = text.find("auht").unwrap();
        assert_eq!(
            key_at(text, off, "unknown field `auht`, expected one of"),
            "sites.a.auht"
        );
        assert_eq!(line_of(text, off), 4);
    }

    #[test]
    fn the_cache_cap_is_read_from_its_table_with_a_default() {
        let file: ConfigFile = toml::from_str("[cache]\nmax_people = 5000\n").unwrap();
        assert_eq!(file.cache.max_people, 5000);
        let file: ConfigFile = toml::from_str("").unwrap();
        assert_eq!(file.cache.max_people, 200_000);
        assert!(toml::from_str::<ConfigFile>("[cache]\nmax_peple = 1\n").is_err());
    }
}
