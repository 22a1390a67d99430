//! Site choice: which site of the config file (or which ad-hoc URL) this run talks to, and why;
//! plus the names derived from a site (its label, its keyring entry, its folder name).
//!
//! The order is `--site`, then `--base-url`/`CONFLUENCE_BASE_URL` alone, then `CONFDIR_SITE`,
//! then `default_site`, then the only site of the file. The command line arrives as plain
//! [`Overrides`]; this module never sees clap, reads no files and looks for no token.

use super::{AuthKind, ConfigError, Environment, LoadedConfig, Overrides, SiteConfig, ENV_SITE};
use crate::api::{gateway_cloud_id, parse_base_url, parse_gateway_root, site_gateway_context};
use url::Url;

/// The site that was chosen, before looking for a token.
#[derive(Debug, Clone)]
pub struct SiteChoice {
    /// The site's name in the file, or the host for an ad-hoc `--base-url`.
    pub name: String,
    /// Why this site: `--site`, `CONFDIR_SITE`, `default_site`, …
    pub chosen_by: String,
    /// The site's context URL, e.g. `https://acme.atlassian.net/wiki/` (or, given so, the API
    /// gateway form): what names the site (its label, keyring entry and folders).
    pub url: Url,
    /// Where API calls go: `url`, or through the API gateway when the site has a `cloud_id`
    /// (`https://api.atlassian.com/ex/confluence/{cloudId}/wiki/`).
    pub api_url: Url,
    /// Where web links open: the site, never the gateway. `None` when only the gateway is known
    /// (a gateway URL given without its site).
    pub web_url: Option<Url>,
    /// The site's cloud id, from the file's `cloud_id` or a gateway URL.
    pub cloud_id: Option<String>,
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

    /// True when API calls go through the API gateway.
    pub fn via_gateway(&self) -> bool {
        gateway_cloud_id(&self.api_url).is_some()
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
    overrides: &Overrides,
    env: &Environment,
    cfg: &LoadedConfig,
) -> Result<SiteChoice, ConfigError> {
    let base_url = overrides
        .base_url
        .as_deref()
        .filter(|s| !s.trim().is_empty());
    // An exported CONFDIR_SITE must not send that site's token to a URL given for one run.
    let named = overrides
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
    let (api_url, web_url, cloud_id) = route(&name, cfg, site.as_ref(), base_url.is_none(), &url)?;
    let email = overrides
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
        api_url,
        web_url,
        cloud_id,
        email,
        auth,
        site,
    })
}

/// Where API calls go and where web links open, for the site at `url`: through the gateway when
/// the file's table has a `cloud_id` (and the URL is the file's own: a `--base-url` replaces the
/// site, so the file's cloud id cannot apply to it); to `url` itself otherwise. A `url` in the
/// gateway form has no known web site.
fn route(
    name: &str,
    cfg: &LoadedConfig,
    site: Option<&SiteConfig>,
    url_from_file: bool,
    url: &Url,
) -> Result<(Url, Option<Url>, Option<String>), ConfigError> {
    let invalid = |key: &str, offset: usize, message: String| ConfigError::Invalid {
        path: cfg.path_display(),
        line: cfg.line_of(offset),
        key: format!("sites.{name}.{key}"),
        message,
    };
    let cloud_id = site
        .and_then(|s| s.cloud_id.as_ref())
        .filter(|_| url_from_file);
    let Some(cloud_id) = cloud_id else {
        let web = Some(url.clone()).filter(|u| gateway_cloud_id(u).is_none());
        let id = gateway_cloud_id(url).map(str::to_string);
        return Ok((url.clone(), web, id));
    };
    let root = match site.and_then(|s| s.gateway.as_ref()) {
        Some(g) => Some(
            parse_gateway_root(g.get_ref())
                .map_err(|e| invalid("gateway", g.span().start, e.to_string()))?,
        ),
        None => None,
    };
    let api = site_gateway_context(url, root.as_ref(), cloud_id.get_ref().trim())
        .map_err(|e| invalid("cloud_id", cloud_id.span().start, e.to_string()))?;
    let id = gateway_cloud_id(&api).map(str::to_string);
    Ok((api, Some(url.clone()), id))
}

/// A `--base-url`/`CONFLUENCE_BASE_URL` value as a context URL, or the reason it is refused.
fn parse_flag_url(input: &str) -> Result<Url, ConfigError> {
    parse_base_url(input).map_err(|e| ConfigError::BadUrl {
        from: "--base-url / CONFLUENCE_BASE_URL".into(),
        message: e.to_string(),
    })
}

/// A directory name for a site: its label with anything but `[A-Za-z0-9._-]` replaced by `_`.
pub(super) fn dir_name(url: &Url) -> String {
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
    fn labels_and_dir_names_are_safe() {
        let url = parse_base_url("http://127.0.0.1:8080").unwrap();
        assert_eq!(site_label(&url), "127.0.0.1:8080");
        assert_eq!(dir_name(&url), "127.0.0.1_8080");
        let gw = parse_base_url("https://api.atlassian.com/ex/confluence/abc").unwrap();
        assert_eq!(site_label(&gw), "api.atlassian.com (abc)");
    }
}
