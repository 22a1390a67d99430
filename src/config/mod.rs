//! Configuration and credentials: which site to talk to, as whom, and where the token comes from.
//!
//! Settings are layered: compiled defaults, then `$XDG_CONFIG_HOME/confdir/config.toml`, then the
//! environment (`CONFDIR_SITE`, `CONFLUENCE_BASE_URL`, `CONFLUENCE_EMAIL`, `CONFLUENCE_API_TOKEN`),
//! then command-line flags. The file names sites (`[sites.acme]`); one of them is chosen by
//! `--site`, `CONFDIR_SITE`, `default_site`, or by being the only one. A site with a `cloud_id`
//! (written by `confdir login --scoped`) keeps its `url` for web links and sends its API calls
//! through Atlassian's API gateway, as scoped API tokens require ([`SiteChoice::api_url`]).
//!
//! The token is looked for in a fixed order, and every step says why it was skipped so `doctor`
//! can explain the result: `CONFLUENCE_API_TOKEN`, the OS keyring, the site's `token_command`, then
//! its `token_file` (which must be mode 0600). The token only ever lives in [`Secret`](crate::api::Secret); no error
//! or message built here contains it.
//!
//! One file per concern: `file` (reading and checking `config.toml`), `env` (the environment and
//! the XDG folders), `site` (choosing the site), `token` (the token chain and the keyring), `store`
//! (storing a token and a site, for `login` and the first-run screen alike), `log` (the private,
//! rotated log file) and `error`. This file
//! puts them together in [`resolve`]. Everything is re-exported here, so callers use
//! `crate::config::X`.
//!
//! This module reads files and the environment, and writes the config and token files when asked
//! to store a login, but it never touches the network or the terminal, and it never sees clap:
//! the command line arrives as plain [`Overrides`].

mod env;
mod error;
mod file;
mod log;
mod site;
mod store;
mod token;

pub use env::{Environment, ENV_BASE_URL, ENV_EMAIL, ENV_SITE, ENV_TOKEN};
pub use error::ConfigError;
pub use file::{load, AuthKind, CacheOptions, ConfigFile, LoadedConfig, SiteConfig, UiOptions};
pub use log::{open_log_file, private_dir, LOG_FILE_NAME, LOG_KEEP, LOG_MAX_BYTES};
pub use site::{choose_site, keyring_account, site_dir_name, site_label, SiteChoice};
pub use store::{
    save_login, save_site, site_from_input, store_token, suggest_name, token_file_beside,
    write_token_file, LoginRequest, StoredIn,
};
pub use token::{
    find_token, keyring_get, keyring_set, read_token_file, run_token_command,
    run_token_command_within, TokenAttempt, TokenReport, TokenSource, KEYRING_SERVICE,
    MAX_TOKEN_BYTES, TOKEN_COMMAND_TIMEOUT,
};

use crate::api::{is_loopback_host, Auth, ClientConfig};
use std::path::PathBuf;

/// What the command line says about the settings, as plain data. `main` builds it from the parsed
/// arguments (`Cli::overrides`), so this module never sees clap. Flags that clap also reads from
/// the environment (`--base-url`, `--email`, `--config`) arrive here already merged with it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    /// `--site NAME`: a site of the config file, chosen before `CONFDIR_SITE` and `default_site`.
    pub site: Option<String>,
    /// `--base-url`: the site's URL, over the file's (alone: an ad-hoc site).
    pub base_url: Option<String>,
    /// `--email`: the account email, over the file's.
    pub email: Option<String>,
    /// `--config PATH`: the config file to read instead of the one in the XDG folder.
    pub config_file: Option<PathBuf>,
}

impl Overrides {
    /// The config file to read (or create): `--config`, else [`Environment::config_path`].
    pub fn config_path(&self, env: &Environment) -> Option<PathBuf> {
        self.config_file.clone().or_else(|| env.config_path())
    }
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
    /// Directory cache options from the file.
    pub cache: CacheOptions,
    /// The config file's path (whether or not it exists).
    pub config_path: Option<PathBuf>,
    /// `$XDG_DATA_HOME/confdir`, the parent of every site's data folder.
    data_home: Option<PathBuf>,
    /// `$XDG_CACHE_HOME/confdir`, the parent of every site's cache folder.
    cache_home: Option<PathBuf>,
}

impl Settings {
    /// The client configuration: the API URL (the site, or the gateway when the site has a cloud
    /// id) and auth with the default timeouts and retries; web links open on the site.
    pub fn client_config(&self) -> ClientConfig {
        let mut config = ClientConfig::new(self.choice.api_url.as_str(), self.auth.clone());
        config.web_base = self.choice.web_url.as_ref().map(|u| u.to_string());
        config
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
            .map(|d| d.join(site::dir_name(&self.choice.url)))
    }

    /// `$XDG_CACHE_HOME/confdir/<site>/`: the directory cache lives here.
    pub fn cache_dir(&self) -> Option<PathBuf> {
        self.cache_home
            .as_ref()
            .map(|d| d.join(site::dir_name(&self.choice.url)))
    }

    /// True when the site is on this machine (demo server, tests).
    pub fn is_loopback(&self) -> bool {
        is_loopback_host(&self.choice.url)
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
pub fn resolve(overrides: &Overrides) -> Result<Settings, ConfigError> {
    resolve_in(
        overrides,
        &Environment::from_process(),
        Credentials::Required,
    )
}

/// True when nothing names a site: no `--site`, no `--base-url`, no site in the file (exactly
/// when [`resolve`] answers [`ConfigError::NoSiteConfigured`], which is how the binary decides
/// to show the first-run screen). A broken config file is not "no site": its error is shown.
pub fn no_site_configured_in(overrides: &Overrides, env: &Environment) -> bool {
    let path = overrides.config_path(env);
    match load(path.as_deref()) {
        Ok(cfg) => matches!(
            choose_site(overrides, env, &cfg),
            Err(ConfigError::NoSiteConfigured)
        ),
        Err(_) => false,
    }
}

/// [`resolve`] with an explicit environment and credential need.
pub fn resolve_in(
    overrides: &Overrides,
    env: &Environment,
    credentials: Credentials,
) -> Result<Settings, ConfigError> {
    let path = overrides.config_path(env);
    let cfg = load(path.as_deref())?;
    let choice = choose_site(overrides, env, &cfg)?;
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
        cache: cfg.file.cache,
        config_path: cfg.path,
        data_home: env.data_home(),
        cache_home: env.cache_home(),
    })
}
