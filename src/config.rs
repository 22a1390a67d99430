//! Configuration and credentials: which site to talk to, as whom, and where the token comes from.
//!
//! Settings are layered: compiled defaults, then `$XDG_CONFIG_HOME/confdir/config.toml`, then the
//! environment (`CONFDIR_SITE`, `CONFLUENCE_BASE_URL`, `CONFLUENCE_EMAIL`, `CONFLUENCE_API_TOKEN`),
//! then command-line flags. The file names sites (`[sites.acme]`); one of them is chosen by
//! `--site`, `CONFDIR_SITE`, `default_site`, or by being the only one.
//!
//! The token is looked for in a fixed order, and every step says why it was skipped so `doctor`
//! can explain the result: `CONFLUENCE_API_TOKEN`, the OS keyring, the site's `token_command`, then
//! its `token_file` (which must be mode 0600). The token only ever lives in [`Secret`]; no error
//! or message built here contains it.
//!
//! This module reads files and the environment but never touches the network or the terminal.

use crate::api::{is_loopback_host, parse_base_url, Auth, ClientConfig, Secret};
use crate::cli::Cli;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use thiserror::Error;
use toml::Spanned;
use url::Url;

/// Environment variable that chooses a site by name (like `--site`).
pub const ENV_SITE: &str = "CONFDIR_SITE";
/// Environment variable holding the API token; first in the credential chain.
pub const ENV_TOKEN: &str = "CONFLUENCE_API_TOKEN";
/// Environment variable holding the site URL (also read by `--base-url`).
pub const ENV_BASE_URL: &str = "CONFLUENCE_BASE_URL";
/// Environment variable holding the account email (also read by `--email`).
pub const ENV_EMAIL: &str = "CONFLUENCE_EMAIL";
/// Service name under which tokens are kept in the OS keyring.
pub const KEYRING_SERVICE: &str = "confdir";

/// What can go wrong while working out the settings. Every message names the file, line and key
/// when the problem is in the file, and says what to do.
#[derive(Debug, Error)]
pub enum ConfigError {
    /// No site in the file and no `--base-url`: the TUI offers the demo or the login flow.
    #[error("no site is configured: run `confdir login`, set CONFLUENCE_BASE_URL (with CONFLUENCE_EMAIL and CONFLUENCE_API_TOKEN), or try `confdir --demo`")]
    NoSiteConfigured,

    /// Several sites and nothing says which one to use.
    #[error("{path}: several sites are configured ({known}) and no `default_site`: choose one with --site NAME or CONFDIR_SITE", path = .path.display(), known = .known.join(", "))]
    SiteNotChosen { path: PathBuf, known: Vec<String> },

    /// `--site`/`CONFDIR_SITE` names a site the file does not have.
    #[error("no site named `{name}` (from {from}) in {path}{}", known_list(.known))]
    UnknownSite {
        name: String,
        from: String,
        path: String,
        known: Vec<String>,
    },

    /// The file exists but cannot be read.
    #[error("cannot read {path}: {source}", path = .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },

    /// The file is not valid: bad TOML, an unknown key, or a bad value.
    #[error("{path}:{line}: `{key}`: {message}", path = .path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        key: String,
        message: String,
    },

    /// A base URL given on the command line or in the environment is not acceptable.
    #[error("{from}: {message}")]
    BadUrl { from: String, message: String },

    /// Basic auth needs an email address and none was given.
    #[error("site `{site}` uses Basic auth but has no email: set `email` in the site's table, CONFLUENCE_EMAIL, or --email (or `auth = \"bearer\"` for OAuth and Data Center tokens)")]
    MissingEmail { site: String },

    /// Every token source was tried and none had a token.
    #[error("no API token for site `{site}`: {}. Run `confdir login`, or set CONFLUENCE_API_TOKEN", skipped_list(.attempts))]
    NoToken {
        site: String,
        attempts: Vec<TokenAttempt>,
    },

    /// A configured token source failed (a failing `token_command`, a token file with loose
    /// permissions): the user asked for it, so confdir does not silently fall back.
    #[error("{source_name}: {message}")]
    TokenSource {
        source_name: String,
        message: String,
    },

    /// Writing the config file (during `login`) failed.
    #[error("cannot write {path}: {message}", path = .path.display())]
    Write { path: PathBuf, message: String },
}

fn known_list(known: &[String]) -> String {
    if known.is_empty() {
        "; the file has no sites yet: run `confdir login`".into()
    } else {
        format!("; known sites: {}", known.join(", "))
    }
}

fn skipped_list(attempts: &[TokenAttempt]) -> String {
    attempts
        .iter()
        .map(|a| format!("{} — {}", a.source, a.detail))
        .collect::<Vec<_>>()
        .join("; ")
}

impl ConfigError {
    /// The process exit code for this error: 3 when credentials are missing or unusable, 2 for
    /// everything that is a usage or configuration mistake.
    pub fn exit_code(&self) -> i32 {
        match self {
            ConfigError::NoToken { .. }
            | ConfigError::TokenSource { .. }
            | ConfigError::MissingEmail { .. } => 3,
            _ => 2,
        }
    }
}

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
    /// `acme`, `acme.atlassian.net`, a full URL, or the API gateway form.
    pub url: Option<Spanned<String>>,
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
    text: String,
}

impl LoadedConfig {
    /// The 1-based line of a byte offset in the file, for messages.
    fn line_of(&self, offset: usize) -> usize {
        line_of(&self.text, offset)
    }

    fn path_display(&self) -> PathBuf {
        self.path
            .clone()
            .unwrap_or_else(|| PathBuf::from("config.toml"))
    }

    /// The site names in the file, sorted.
    pub fn site_names(&self) -> Vec<String> {
        self.file.sites.keys().cloned().collect()
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

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
    fn expand_home(&self, path: &str) -> PathBuf {
        match (path.strip_prefix("~/"), self.get("HOME")) {
            (Some(rest), Some(home)) => Path::new(home).join(rest),
            _ => PathBuf::from(path),
        }
    }
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
            if let Err(e) = parse_base_url(url.get_ref()) {
                return Err(invalid(
                    url.span().start,
                    format!("sites.{name}.url"),
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

/// The site that was chosen, before looking for a token.
#[derive(Debug, Clone)]
pub struct SiteChoice {
    /// The site's name in the file, or the host for an ad-hoc `--base-url`.
    pub name: String,
    /// Why this site: `--site`, `CONFDIR_SITE`, `default_site`, …
    pub chosen_by: String,
    /// The site's context URL, e.g. `https://acme.atlassian.net/wiki/`.
    pub url: Url,
    /// The account email, if any.
    pub email: Option<String>,
    /// Basic or Bearer.
    pub auth: AuthKind,
    /// The site's table in the file (token sources), if the site is from the file.
    pub site: Option<SiteConfig>,
}

impl SiteChoice {
    /// The keyring entry name: the site's host (and port) plus the email, so two accounts on one
    /// site, or one account on two sites, never share a token.
    pub fn keyring_account(&self) -> String {
        keyring_account(&self.url, self.email.as_deref())
    }

    /// `acme.atlassian.net`, or `127.0.0.1:8080`: what the user recognises.
    pub fn label(&self) -> String {
        site_label(&self.url)
    }
}

/// The keyring entry name for a site URL and email.
pub fn keyring_account(url: &Url, email: Option<&str>) -> String {
    match email {
        Some(e) => format!("{} {}", site_label(url), e),
        None => site_label(url),
    }
}

/// The host (and port, when not the default) of a URL, plus the gateway's cloud id path.
pub fn site_label(url: &Url) -> String {
    let host = url.host_str().unwrap_or("?");
    let mut label = match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_string(),
    };
    if host == "api.atlassian.com" {
        if let Some(id) = url.path().strip_prefix("/ex/confluence/") {
            label.push_str(" (");
            label.push_str(id.split('/').next().unwrap_or(""));
            label.push(')');
        }
    }
    label
}

/// Chooses the site: `--site`, then `--base-url`/`CONFLUENCE_BASE_URL` alone (an ad-hoc site
/// that uses nothing from the file), then `CONFDIR_SITE`, then `default_site`, then the only
/// site of the file. `--site` with `--base-url` uses the named site at that URL.
pub fn choose_site(
    cli: &Cli,
    env: &Environment,
    cfg: &LoadedConfig,
) -> Result<SiteChoice, ConfigError> {
    let base_url = cli.base_url.as_deref().filter(|s| !s.trim().is_empty());
    // An exported CONFDIR_SITE must not send that site's token to a URL given for one run.
    let named = cli
        .site
        .as_deref()
        .map(|s| (s.to_string(), "--site".to_string()))
        .or_else(|| {
            env.get(ENV_SITE)
                .filter(|_| base_url.is_none())
                .map(|s| (s.to_string(), ENV_SITE.into()))
        });
    let path_str = cfg.path_display().display().to_string();
    let (name, chosen_by, site) = match named {
        Some((name, from)) => match cfg.file.sites.get(&name) {
            Some(site) => (name, from, Some(site.clone())),
            None => {
                return Err(ConfigError::UnknownSite {
                    name,
                    from,
                    path: path_str,
                    known: cfg.site_names(),
                })
            }
        },
        None if base_url.is_some() => {
            let url = parse_flag_url(base_url.unwrap_or_default())?;
            (
                site_label(&url),
                "--base-url / CONFLUENCE_BASE_URL".into(),
                None,
            )
        }
        None => {
            if let Some(default) = &cfg.file.default_site {
                let name = default.get_ref().clone();
                let site = cfg.file.sites.get(&name).cloned();
                (name, format!("default_site in {path_str}"), site)
            } else if cfg.file.sites.len() == 1 {
                let (name, site) = cfg
                    .file
                    .sites
                    .iter()
                    .next()
                    .map(|(n, s)| (n.clone(), s.clone()))
                    .ok_or(ConfigError::NoSiteConfigured)?;
                (name, format!("the only site in {path_str}"), Some(site))
            } else if cfg.file.sites.is_empty() {
                return Err(ConfigError::NoSiteConfigured);
            } else {
                return Err(ConfigError::SiteNotChosen {
                    path: cfg.path_display(),
                    known: cfg.site_names(),
                });
            }
        }
    };
    let url = match (base_url, site.as_ref().and_then(|s| s.url.as_ref())) {
        (Some(flag), _) => parse_flag_url(flag)?,
        (None, Some(url)) => parse_base_url(url.get_ref()).map_err(|e| ConfigError::Invalid {
            path: cfg.path_display(),
            line: cfg.line_of(url.span().start),
            key: format!("sites.{name}.url"),
            message: e.to_string(),
        })?,
        (None, None) => {
            return Err(ConfigError::Invalid {
                path: cfg.path_display(),
                line: cfg
                    .text
                    .find(&format!("[sites.{name}]"))
                    .map(|o| cfg.line_of(o))
                    .unwrap_or(1),
                key: format!("sites.{name}.url"),
                message: "is missing: set it to the site, e.g. url = \"https://acme.atlassian.net\" (or pass --base-url)".into(),
            })
        }
    };
    let email = cli
        .email
        .clone()
        .filter(|e| !e.trim().is_empty())
        .or_else(|| site.as_ref().and_then(|s| s.email.clone()))
        .filter(|e| !e.trim().is_empty());
    let auth = site
        .as_ref()
        .and_then(|s| s.auth)
        .unwrap_or(if email.is_some() {
            AuthKind::Basic
        } else {
            AuthKind::Bearer
        });
    Ok(SiteChoice {
        name,
        chosen_by,
        url,
        email,
        auth,
        site,
    })
}

fn parse_flag_url(input: &str) -> Result<Url, ConfigError> {
    parse_base_url(input).map_err(|e| ConfigError::BadUrl {
        from: "--base-url / CONFLUENCE_BASE_URL".into(),
        message: e.to_string(),
    })
}

/// The places a token can come from, in the order they are tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenSource {
    /// `CONFLUENCE_API_TOKEN`.
    Environment,
    /// The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager).
    Keyring,
    /// The site's `token_command`.
    TokenCommand,
    /// The site's `token_file`.
    TokenFile,
}

impl fmt::Display for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TokenSource::Environment => "CONFLUENCE_API_TOKEN",
            TokenSource::Keyring => "OS keyring",
            TokenSource::TokenCommand => "token_command",
            TokenSource::TokenFile => "token_file",
        })
    }
}

/// One step of the credential chain: a source and what happened there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenAttempt {
    /// Which source.
    pub source: TokenSource,
    /// True when this source supplied the token.
    pub used: bool,
    /// Why it was skipped, or where the token was found. Never the token itself.
    pub detail: String,
}

/// The outcome of the credential chain, for `doctor` and for error messages.
#[derive(Debug, Clone)]
pub struct TokenReport {
    /// Every source tried, in order; the last one has `used` when a token was found.
    pub attempts: Vec<TokenAttempt>,
    /// The token, if a source had one.
    pub token: Option<Secret>,
}

impl TokenReport {
    /// The source that supplied the token.
    pub fn source(&self) -> Option<TokenSource> {
        self.attempts.iter().find(|a| a.used).map(|a| a.source)
    }
}

/// Walks the credential chain for a site. `Err` only for a configured source that failed (a
/// `token_command` that exits non-zero, a token file with loose permissions); a source that is
/// simply not set up is skipped with a reason.
pub fn find_token(choice: &SiteChoice, env: &Environment) -> Result<TokenReport, ConfigError> {
    let mut attempts = Vec::new();
    let skip = |attempts: &mut Vec<TokenAttempt>, source, detail: String| {
        attempts.push(TokenAttempt {
            source,
            used: false,
            detail,
        })
    };
    let found = |mut attempts: Vec<TokenAttempt>, source, detail: String, token: String| {
        attempts.push(TokenAttempt {
            source,
            used: true,
            detail,
        });
        Ok(TokenReport {
            attempts,
            token: Some(Secret::new(token)),
        })
    };

    // 1. The environment.
    match env.get(ENV_TOKEN).map(str::trim).filter(|t| !t.is_empty()) {
        Some(token) => {
            return found(
                attempts,
                TokenSource::Environment,
                "CONFLUENCE_API_TOKEN is set".into(),
                token.to_string(),
            )
        }
        None => skip(
            &mut attempts,
            TokenSource::Environment,
            "CONFLUENCE_API_TOKEN is not set".into(),
        ),
    }

    // 2. The OS keyring.
    let use_keyring = choice.site.as_ref().is_none_or(|s| s.keyring);
    if use_keyring {
        let account = choice.keyring_account();
        match keyring_get(&account) {
            Ok(Some(token)) => {
                return found(
                    attempts,
                    TokenSource::Keyring,
                    format!("entry `{account}` of service `{KEYRING_SERVICE}`"),
                    token,
                )
            }
            Ok(None) => skip(
                &mut attempts,
                TokenSource::Keyring,
                format!("no entry `{account}` (run `confdir login` to store one)"),
            ),
            Err(reason) => skip(&mut attempts, TokenSource::Keyring, reason),
        }
    } else {
        skip(
            &mut attempts,
            TokenSource::Keyring,
            "disabled by `keyring = false`".into(),
        );
    }

    // 3. token_command.
    match choice.site.as_ref().and_then(|s| s.token_command.as_ref()) {
        Some(cmd) => {
            let argv = cmd.get_ref();
            let token = run_token_command(argv)?;
            return found(
                attempts,
                TokenSource::TokenCommand,
                format!("`{}` printed a token", argv.join(" ")),
                token,
            );
        }
        None => skip(
            &mut attempts,
            TokenSource::TokenCommand,
            "no `token_command` for this site".into(),
        ),
    }

    // 4. token_file.
    match choice.site.as_ref().and_then(|s| s.token_file.as_ref()) {
        Some(file) => {
            let path = env.expand_home(file.get_ref());
            let token = read_token_file(&path)?;
            return found(
                attempts,
                TokenSource::TokenFile,
                format!("read {}", path.display()),
                token,
            );
        }
        None => skip(
            &mut attempts,
            TokenSource::TokenFile,
            "no `token_file` for this site".into(),
        ),
    }

    Ok(TokenReport {
        attempts,
        token: None,
    })
}

/// Runs `token_command` without a shell; its trimmed stdout is the token. On failure the
/// message carries the command's stderr (never its stdout, which may hold a partial secret).
pub fn run_token_command(argv: &[String]) -> Result<String, ConfigError> {
    let shown = argv.join(" ");
    let err = |message: String| ConfigError::TokenSource {
        source_name: format!("token_command `{shown}`"),
        message,
    };
    let (program, args) = argv
        .split_first()
        .ok_or_else(|| err("is empty: name a program".into()))?;
    let output = std::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| err(format!("could not be started: {e}")))?;
    if !output.status.success() {
        let stderr = crate::sanitize::cap(String::from_utf8_lossy(&output.stderr).trim(), 500);
        let status = output
            .status
            .code()
            .map(|c| format!("exit status {c}"))
            .unwrap_or_else(|| "killed by a signal".into());
        return Err(err(if stderr.is_empty() {
            format!("failed ({status}) and printed nothing on stderr")
        } else {
            format!("failed ({status}): {stderr}")
        }));
    }
    let token = String::from_utf8(output.stdout)
        .map_err(|_| err("printed something that is not UTF-8".into()))?;
    let token = token.trim();
    if token.is_empty() {
        return Err(err("succeeded but printed nothing".into()));
    }
    Ok(token.to_string())
}

/// Reads a token file, refusing one that others can read or write.
pub fn read_token_file(path: &Path) -> Result<String, ConfigError> {
    let err = |message: String| ConfigError::TokenSource {
        source_name: format!("token_file {}", path.display()),
        message,
    };
    let meta = std::fs::metadata(path).map_err(|e| err(format!("cannot be read: {e}")))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(err(format!(
                "has mode {mode:04o}, so other users may read it; it must be readable by you alone: run `chmod 600 {}`",
                path.display()
            )));
        }
    }
    #[cfg(not(unix))]
    let _ = meta;
    let text = std::fs::read_to_string(path).map_err(|e| err(format!("cannot be read: {e}")))?;
    let token = text.trim();
    if token.is_empty() {
        return Err(err("is empty".into()));
    }
    Ok(token.to_string())
}

/// Writes a token file with mode 0600 (atomically: a temp file, then a rename), replacing any
/// earlier token.
pub fn write_token_file(path: &Path, token: &Secret) -> Result<(), ConfigError> {
    let werr = |message: String| ConfigError::Write {
        path: path.to_path_buf(),
        message,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| werr(e.to_string()))?;
    }
    let tmp = path.with_extension("tmp");
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    {
        use std::io::Write;
        let mut f = opts.open(&tmp).map_err(|e| werr(e.to_string()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            f.set_permissions(std::fs::Permissions::from_mode(0o600))
                .map_err(|e| werr(e.to_string()))?;
        }
        f.write_all(token.expose().as_bytes())
            .and_then(|_| f.write_all(b"\n"))
            .and_then(|_| f.sync_all())
            .map_err(|e| werr(e.to_string()))?;
    }
    std::fs::rename(&tmp, path).map_err(|e| werr(e.to_string()))
}

/// What to tell the user when the keyring cannot be used.
fn keyring_unavailable(e: &keyring::Error) -> String {
    let detail = crate::sanitize::cap(e.to_string().trim(), 300);
    format!(
        "the OS keyring is not available here ({detail}); on Linux it needs a running Secret Service (GNOME Keyring, KWallet) on the session D-Bus. Use CONFLUENCE_API_TOKEN, `token_command = [\"pass\", \"show\", \"confluence\"]` or a mode-0600 `token_file` instead"
    )
}

/// Looks up a token in the OS keyring. `Ok(None)`: the keyring works but has no entry.
/// `Err`: why the keyring could not be asked (e.g. no Secret Service), as a sentence.
pub fn keyring_get(account: &str) -> Result<Option<String>, String> {
    let entry =
        keyring::Entry::new(KEYRING_SERVICE, account).map_err(|e| keyring_unavailable(&e))?;
    match entry.get_password() {
        Ok(token) if token.trim().is_empty() => Ok(None),
        Ok(token) => Ok(Some(token.trim().to_string())),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(keyring_unavailable(&e)),
    }
}

/// Stores (or replaces) a token in the OS keyring.
pub fn keyring_set(account: &str, token: &Secret) -> Result<(), String> {
    let entry =
        keyring::Entry::new(KEYRING_SERVICE, account).map_err(|e| keyring_unavailable(&e))?;
    entry
        .set_password(token.expose())
        .map_err(|e| keyring_unavailable(&e))
}

/// Everything the UI and the commands need to talk to one site.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The chosen site.
    pub choice: SiteChoice,
    /// Credentials for the client.
    pub auth: Auth,
    /// Which source gave the token (None for anonymous access).
    pub token_source: Option<TokenSource>,
    /// UI options from the file.
    pub ui: UiOptions,
    /// The config file's path (whether or not it exists).
    pub config_path: Option<PathBuf>,
    data_home: Option<PathBuf>,
    cache_home: Option<PathBuf>,
}

impl Settings {
    /// The client configuration: base URL and auth with the default timeouts and retries.
    pub fn client_config(&self) -> ClientConfig {
        ClientConfig::new(self.choice.url.as_str(), self.auth.clone())
    }

    /// The site as the user knows it, e.g. `acme.atlassian.net`.
    pub fn site_label(&self) -> String {
        self.choice.label()
    }

    /// The site's name in the config (or its host for an ad-hoc URL).
    pub fn site_name(&self) -> &str {
        &self.choice.name
    }

    /// `$XDG_DATA_HOME/confdir/<site>/`: pinned watch targets live here.
    pub fn data_dir(&self) -> Option<PathBuf> {
        self.data_home
            .as_ref()
            .map(|d| d.join(dir_name(&self.choice.url)))
    }

    /// `$XDG_CACHE_HOME/confdir/<site>/`: the directory cache lives here.
    pub fn cache_dir(&self) -> Option<PathBuf> {
        self.cache_home
            .as_ref()
            .map(|d| d.join(dir_name(&self.choice.url)))
    }

    /// True when the site is on this machine (demo server, tests).
    pub fn is_loopback(&self) -> bool {
        is_loopback_host(&self.choice.url)
    }
}

/// A directory name for a site: its label with anything but `[A-Za-z0-9._-]` replaced by `_`.
fn dir_name(url: &Url) -> String {
    site_dir_name(&site_label(url))
}

/// A file-system-safe folder name for a site label (`..`, `/` and `:` cannot escape or nest).
pub fn site_dir_name(site: &str) -> String {
    let name: String = site
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if name.is_empty() {
        "default".into()
    } else {
        name
    }
}

/// Whether a credential is required to build the settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credentials {
    /// Fail with [`ConfigError::NoToken`] when no source has a token.
    Required,
    /// Fall back to anonymous access (for `confdir anonymous`).
    Optional,
}

/// Resolves the settings from the process environment: defaults < file < env < flags.
pub fn resolve(cli: &Cli) -> Result<Settings, ConfigError> {
    resolve_in(cli, &Environment::from_process(), Credentials::Required)
}

/// True when nothing names a site: no `--site`, no `--base-url`, no site in the file (exactly
/// when [`resolve`] answers [`ConfigError::NoSiteConfigured`], which is how the binary decides
/// to show the first-run screen). A broken config file is not "no site": its error is shown.
pub fn no_site_configured_in(cli: &Cli, env: &Environment) -> bool {
    let path = cli.config.clone().or_else(|| env.config_path());
    match load(path.as_deref()) {
        Ok(cfg) => matches!(
            choose_site(cli, env, &cfg),
            Err(ConfigError::NoSiteConfigured)
        ),
        Err(_) => false,
    }
}

/// [`resolve`] with an explicit environment and credential need.
pub fn resolve_in(
    cli: &Cli,
    env: &Environment,
    credentials: Credentials,
) -> Result<Settings, ConfigError> {
    let path = cli.config.clone().or_else(|| env.config_path());
    let cfg = load(path.as_deref())?;
    let choice = choose_site(cli, env, &cfg)?;
    let report = find_token(&choice, env)?;
    let token_source = report.source();
    let auth = match (report.token, credentials) {
        (Some(token), _) => match choice.auth {
            AuthKind::Basic => Auth::Basic {
                email: choice
                    .email
                    .clone()
                    .ok_or_else(|| ConfigError::MissingEmail {
                        site: choice.name.clone(),
                    })?,
                token,
            },
            AuthKind::Bearer => Auth::Bearer { token },
        },
        (None, Credentials::Optional) => Auth::Anonymous,
        (None, Credentials::Required) => {
            return Err(ConfigError::NoToken {
                site: choice.name.clone(),
                attempts: report.attempts,
            })
        }
    };
    Ok(Settings {
        choice,
        auth,
        token_source,
        ui: cfg.file.ui,
        config_path: cfg.path,
        data_home: env.data_home(),
        cache_home: env.cache_home(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_names_become_safe_folder_names() {
        assert_eq!(site_dir_name("acme.atlassian.net"), "acme.atlassian.net");
        assert_eq!(site_dir_name("../../etc"), ".._.._etc");
        assert_eq!(site_dir_name(""), "default");
    }

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
    fn labels_and_dir_names_are_safe() {
        let url = parse_base_url("http://127.0.0.1:8080").unwrap();
        assert_eq!(site_label(&url), "127.0.0.1:8080");
        assert_eq!(dir_name(&url), "127.0.0.1_8080");
        let gw = parse_base_url("https://api.atlassian.com/ex/confluence/abc").unwrap();
        assert_eq!(site_label(&gw), "api.atlassian.com (abc)");
    }
}
