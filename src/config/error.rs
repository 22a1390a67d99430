//! The one error type of configuration and credentials, and the exit code each kind maps to.
//!
//! Every message names the file, line and key when the problem is in the file, and says what to
//! do about it. No message built here ever contains a token: the variants carry names, paths and
//! reasons, never secrets.

use super::TokenAttempt;
use std::path::PathBuf;
use thiserror::Error;

/// What can go wrong while working out the settings. Every message names the file, line and key
/// when the problem is in the file, and says what to do.
#[derive(Debug, Error)]
pub enum ConfigError {
    /// No site in the file and no `--base-url`: the TUI offers the demo or the login flow.
    #[error("no site is configured: run `confdir login`, set CONFLUENCE_BASE_URL (with CONFLUENCE_EMAIL and CONFLUENCE_API_TOKEN), or try `confdir --demo`")]
    NoSiteConfigured,

    /// Several sites and nothing says which one to use.
    #[error("{path}: several sites are configured ({known}) and no `default_site`: choose one with --site NAME or CONFDIR_SITE", path = .path.display(), known = .known.join(", "))]
    SiteNotChosen {
        /// The config file that names the sites.
        path: PathBuf,
        /// The sites it names, to choose from.
        known: Vec<String>,
    },

    /// `--site`/`CONFDIR_SITE` names a site the file does not have.
    #[error("no site named `{name}` (from {from}) in {path}{}", known_list(.known))]
    UnknownSite {
        /// The name that was asked for.
        name: String,
        /// Who asked: `--site` or `CONFDIR_SITE`.
        from: String,
        /// The config file that was searched, as shown to the user.
        path: String,
        /// The sites the file does name.
        known: Vec<String>,
    },

    /// The file exists but cannot be read.
    #[error("cannot read {path}: {source}", path = .path.display())]
    Io {
        /// The config file.
        path: PathBuf,
        /// Why reading failed.
        source: std::io::Error,
    },

    /// The file is not valid: bad TOML, an unknown key, or a bad value.
    #[error("{path}:{line}: `{key}`: {message}", path = .path.display())]
    Invalid {
        /// The config file.
        path: PathBuf,
        /// The 1-based line the problem is on.
        line: usize,
        /// The dotted key, e.g. `sites.acme.url`.
        key: String,
        /// What is wrong with it.
        message: String,
    },

    /// A base URL given on the command line or in the environment is not acceptable.
    #[error("{from}: {message}")]
    BadUrl {
        /// Where the URL came from, e.g. `--base-url / CONFLUENCE_BASE_URL`.
        from: String,
        /// Why it was refused.
        message: String,
    },

    /// Basic auth needs an email address and none was given.
    #[error("site `{site}` uses Basic auth but has no email: set `email` in the site's table, CONFLUENCE_EMAIL, or --email (or `auth = \"bearer\"` for OAuth and Data Center tokens)")]
    MissingEmail {
        /// The site that needs the email.
        site: String,
    },

    /// Every token source was tried and none had a token.
    #[error("no API token for site `{site}`: {}. Run `confdir login`, or set CONFLUENCE_API_TOKEN", skipped_list(.attempts))]
    NoToken {
        /// The site a token was looked for.
        site: String,
        /// Every source tried, with why it had nothing.
        attempts: Vec<TokenAttempt>,
    },

    /// A configured token source failed (a failing `token_command`, a token file with loose
    /// permissions): the user asked for it, so confdir does not silently fall back.
    #[error("{source_name}: {message}")]
    TokenSource {
        /// The source that failed, e.g. the `token_command` with its arguments.
        source_name: String,
        /// What went wrong there (never the token).
        message: String,
    },

    /// Writing the config file (during `login`) failed.
    #[error("cannot write {path}: {message}", path = .path.display())]
    Write {
        /// The file that could not be written.
        path: PathBuf,
        /// Why.
        message: String,
    },
}

/// `; known sites: a, b`, or advice when the file has none: the tail of site-naming errors.
pub(super) fn known_list(known: &[String]) -> String {
    if known.is_empty() {
        "; the file has no sites yet: run `confdir login`".into()
    } else {
        format!("; known sites: {}", known.join(", "))
    }
}

/// `source — why; source — why`: every skipped token source, for [`ConfigError::NoToken`].
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
