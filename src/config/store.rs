//! Storing a token and a site: what `confdir login` and the TUI's first-run screen do once the
//! credentials are verified, so both run the same code.
//!
//! The token goes to the OS keyring, or to a mode-0600 token file; the site goes into
//! `[sites.NAME]` of the config file, which is edited in place (comments and every other table
//! are kept) and becomes the `default_site` when there is none yet. Both files are replaced
//! atomically through [`crate::files::write_atomic`]. This module never prompts, prints or checks
//! credentials against the server: verifying comes before storing, in the callers.

use super::token::keyring_set;
use super::{keyring_account, AuthKind, ConfigError};
use crate::api::base_url::GATEWAY_HOST;
use crate::api::{
    gateway_cloud_id, is_loopback_host, parse_base_url, parse_gateway_root, site_gateway_context,
    ApiError, Secret,
};
use std::path::{Path, PathBuf};
use url::Url;

/// What a login collected (on the command line or in the first-run form): everything needed to
/// store the token and name the site in the config file.
#[derive(Debug, Clone)]
pub struct LoginRequest {
    /// The site's name in the config file.
    pub name: String,
    /// The site's context URL.
    pub url: Url,
    /// Basic (email + token) or Bearer.
    pub auth: AuthKind,
    /// The email for Basic auth.
    pub email: Option<String>,
    /// The token (never printed).
    pub token: Secret,
    /// Keep the token in this 0600 file instead of the OS keyring.
    pub token_file: Option<PathBuf>,
    /// The site's cloud id, for a scoped token: API calls go through the API gateway, and `url`
    /// stays the site (web links). `None` for a classic token (calls go to `url`).
    pub cloud_id: Option<String>,
    /// The gateway's root when it is not `https://api.atlassian.com` (or, for a loopback site, the
    /// site itself): stored as the site's `gateway`.
    pub gateway: Option<Url>,
}

impl LoginRequest {
    /// Where this login's API calls go, so where its credentials are verified: the gateway
    /// context for the cloud id (on `gateway`, else the loopback site itself, else
    /// api.atlassian.com), or the site itself without one.
    pub fn api_url(&self) -> Result<Url, ApiError> {
        match &self.cloud_id {
            Some(id) => site_gateway_context(&self.url, self.gateway.as_ref(), id),
            None => Ok(self.url.clone()),
        }
    }

    /// When the login named only the API gateway (`…/ex/confluence/{cloudId}`), no site is known
    /// to open web links on. The answer that verified the credentials names it (`_links.base`,
    /// e.g. `https://acme.atlassian.net/wiki`): this is the same login with that site as `url`
    /// and the gateway's cloud id, provided the site is a valid site URL (https, or loopback
    /// http), not itself the gateway, and the pair routes API calls to exactly the gateway that
    /// was given. `None` otherwise: a site the person gave is never replaced by what a server
    /// says (the stored site wins over `_links.base`).
    pub fn with_site_from_links(&self, links_base: Option<&str>) -> Option<LoginRequest> {
        if self.cloud_id.is_some() {
            return None;
        }
        let cloud_id = gateway_cloud_id(&self.url)?.to_string();
        let site = parse_base_url(links_base?).ok()?;
        if gateway_cloud_id(&site).is_some() {
            return None;
        }
        let official = self.url.host_str() == Some(GATEWAY_HOST);
        let gateway = if official {
            None
        } else {
            Some(parse_gateway_root(&self.url.origin().ascii_serialization()).ok()?)
        };
        let mut adopted = LoginRequest {
            url: site,
            cloud_id: Some(cloud_id),
            gateway,
            ..self.clone()
        };
        // A loopback site that is itself the gateway needs no `gateway` key.
        if adopted.gateway.is_some()
            && is_loopback_host(&adopted.url)
            && adopted.url.origin() == self.url.origin()
        {
            adopted.gateway = None;
        }
        (adopted.api_url().ok()? == self.url).then_some(adopted)
    }
}

/// Where the token ended up, so the caller can tell the user (and the config can point at it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoredIn {
    /// The OS keyring, under this entry name.
    Keyring(String),
    /// A 0600 file that was asked for (`--token-file`).
    File(PathBuf),
    /// A 0600 file beside the config, because the OS keyring could not be used: `reason` says
    /// why (e.g. no Secret Service runs), so the user knows where the token went and why.
    FileInsteadOfKeyring {
        /// The token file.
        path: PathBuf,
        /// Why the keyring was not used.
        reason: String,
    },
    /// Nowhere: the keyring is unavailable; the text says why and what to do instead.
    NotStored(String),
}

impl StoredIn {
    /// Where the token is, as the end of a sentence: "the OS keyring (entry `…`)", or a path with
    /// its mode, and why the keyring was passed over. One wording for `login` and the first run.
    pub fn describe(&self) -> String {
        match self {
            StoredIn::Keyring(entry) => format!("the OS keyring (entry `{entry}`)"),
            StoredIn::File(path) => format!("{} (mode 0600)", path.display()),
            StoredIn::FileInsteadOfKeyring { path, reason } => format!(
                "{} (mode 0600), since the OS keyring cannot be used: {}",
                path.display(),
                // The keyring's reason ends with advice on other token sources: not needed here.
                reason
                    .split(". Use ")
                    .next()
                    .unwrap_or(reason)
                    .trim_end_matches('.')
            ),
            StoredIn::NotStored(why) => format!("nowhere: {why}"),
        }
    }

    /// The token file, when the token went to one.
    pub fn file(&self) -> Option<&Path> {
        match self {
            StoredIn::File(path) | StoredIn::FileInsteadOfKeyring { path, .. } => Some(path),
            StoredIn::Keyring(_) | StoredIn::NotStored(_) => None,
        }
    }
}

/// Parses what the user typed as a site (`acme`, `acme.atlassian.net`, a URL, or the gateway
/// form) and suggests a name for it (`acme`).
pub fn site_from_input(input: &str) -> Result<(String, Url), ApiError> {
    let url = parse_base_url(input)?;
    Ok((suggest_name(&url), url))
}

/// A short config name for a site: the first label of the host (`acme` for
/// `acme.atlassian.net`), `cloud-<id prefix>` for the gateway, `local` for loopback.
pub fn suggest_name(url: &Url) -> String {
    let host = url.host_str().unwrap_or("site");
    let raw = if host == "api.atlassian.com" {
        let id = url
            .path()
            .strip_prefix("/ex/confluence/")
            .and_then(|p| p.split('/').next())
            .unwrap_or("");
        format!("cloud-{}", id.chars().take(8).collect::<String>())
    } else if is_loopback_host(url) {
        "local".to_string()
    } else {
        host.split('.').next().unwrap_or(host).to_string()
    };
    let name: String = raw
        .to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if name.is_empty() {
        "site".into()
    } else {
        name
    }
}

/// `NAME.token` in the config file's folder: where a token file goes when none was named (the
/// first-run fallback, and the path `login` suggests). `None` when the path has no parent.
pub fn token_file_beside(config_path: &Path, name: &str) -> Option<PathBuf> {
    config_path
        .parent()
        .map(|dir| dir.join(format!("{name}.token")))
}

/// Stores the token, then writes the site into the config file: the whole "remember this login"
/// step, shared by `confdir login` and the first-run screen, so both leave a config that works
/// for the next `confdir`. The token goes to `token_file` when one was named, else the OS
/// keyring; when no keyring can be used (no Secret Service, a locked or headless session), to
/// `NAME.token` beside the config ([`token_file_beside`], mode 0600) rather than nowhere.
/// Returns where the token went.
pub fn save_login(config_path: &Path, req: &LoginRequest) -> Result<StoredIn, ConfigError> {
    let mut stored = store_token(req)?;
    if let StoredIn::NotStored(reason) = &stored {
        let path = token_file_beside(config_path, &req.name)
            .unwrap_or_else(|| PathBuf::from(format!("{}.token", req.name)));
        write_token_file(&path, &req.token)?;
        stored = StoredIn::FileInsteadOfKeyring {
            path,
            reason: reason.clone(),
        };
    }
    save_site(config_path, req, &stored)?;
    Ok(stored)
}

/// Stores the token: in `token_file` when given (mode 0600, replacing any earlier one), else in
/// the OS keyring (replacing any earlier entry). A keyring that cannot be used is not an error
/// here: the outcome says so, and how to provide the token instead.
pub fn store_token(req: &LoginRequest) -> Result<StoredIn, ConfigError> {
    if let Some(path) = &req.token_file {
        write_token_file(path, &req.token)?;
        return Ok(StoredIn::File(path.clone()));
    }
    let account = keyring_account(&req.url, req.email.as_deref());
    Ok(match keyring_set(&account, &req.token) {
        Ok(()) => StoredIn::Keyring(account),
        Err(reason) => StoredIn::NotStored(reason),
    })
}

/// Writes a token file with mode 0600 (atomically), replacing any earlier token.
pub fn write_token_file(path: &Path, token: &Secret) -> Result<(), ConfigError> {
    let mut bytes = Vec::with_capacity(token.expose().len() + 1);
    bytes.extend_from_slice(token.expose().as_bytes());
    bytes.push(b'\n');
    crate::files::write_atomic(path, &bytes, true).map_err(|e| ConfigError::Write {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// Writes `[sites.NAME]` into the config file (creating it), keeping everything else in the
/// file. Makes it the `default_site` when there is none yet (or the old one is gone).
pub fn save_site(path: &Path, req: &LoginRequest, stored: &StoredIn) -> Result<(), ConfigError> {
    let werr = |message: String| ConfigError::Write {
        path: path.to_path_buf(),
        message,
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(werr(e.to_string())),
    };
    let mut doc: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| werr(format!("the file is not valid TOML: {e}")))?;
    set_site(&mut doc, req, stored).map_err(werr)?;
    // The config names sites, not secrets: it keeps the usual permissions, as it always had.
    crate::files::write_atomic(path, doc.to_string().as_bytes(), false)
        .map_err(|e| werr(e.to_string()))
}

/// The edit [`save_site`] makes: the site's table (url, email, auth, where its token is), and
/// `default_site` when it is missing or names a site that is gone. `Err` says which part of the
/// file is not a table.
fn set_site(
    doc: &mut toml_edit::DocumentMut,
    req: &LoginRequest,
    stored: &StoredIn,
) -> Result<(), String> {
    let sites = doc
        .entry("sites")
        .or_insert_with(toml_edit::table)
        .as_table_mut()
        .ok_or_else(|| "`sites` is not a table".to_string())?;
    sites.set_implicit(true);
    let site = sites
        .entry(&req.name)
        .or_insert_with(toml_edit::table)
        .as_table_mut()
        .ok_or_else(|| format!("`sites.{}` is not a table", req.name))?;
    let url = req.url.as_str().trim_end_matches('/').to_string();
    site.insert("url", toml_edit::value(url));
    match &req.email {
        Some(email) => {
            site.insert("email", toml_edit::value(email.as_str()));
        }
        None => {
            site.remove("email");
        }
    }
    site.insert("auth", toml_edit::value(req.auth.as_str()));
    // A login replaces the route too: a classic token after a scoped one goes to the site again.
    match &req.cloud_id {
        Some(id) => {
            site.insert("cloud_id", toml_edit::value(id.as_str()));
        }
        None => {
            site.remove("cloud_id");
        }
    }
    match &req.gateway {
        Some(root) => {
            let root = root.as_str().trim_end_matches('/').to_string();
            site.insert("gateway", toml_edit::value(root));
        }
        None => {
            site.remove("gateway");
        }
    }
    match stored {
        StoredIn::File(file) | StoredIn::FileInsteadOfKeyring { path: file, .. } => {
            site.insert("token_file", toml_edit::value(file.display().to_string()));
            // The keyring comes before the file in the chain: an old entry must not win.
            site.insert("keyring", toml_edit::value(false));
        }
        StoredIn::Keyring(_) => {
            site.remove("token_file");
            site.remove("keyring");
        }
        StoredIn::NotStored(_) => {}
    }
    let default_ok = doc
        .get("default_site")
        .and_then(|d| d.as_str())
        .is_some_and(|d| {
            doc.get("sites")
                .and_then(|s| s.as_table())
                .is_some_and(|s| s.contains_key(d))
        });
    if !default_ok {
        doc.insert("default_site", toml_edit::value(req.name.as_str()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_suggested_from_every_site_form() {
        let name = |s: &str| site_from_input(s).unwrap().0;
        assert_eq!(name("acme"), "acme");
        assert_eq!(name("acme.atlassian.net"), "acme");
        assert_eq!(name("https://acme.atlassian.net/wiki"), "acme");
        assert_eq!(
            name("https://api.atlassian.com/ex/confluence/0123456789abcdef"),
            "cloud-01234567"
        );
        assert_eq!(name("http://127.0.0.1:9999"), "local");
    }

    #[test]
    fn a_saved_login_keeps_the_rest_of_the_file_and_a_private_token_file() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("confdir").join("config.toml");
        std::fs::create_dir_all(config.parent().unwrap()).unwrap();
        let before =
            "# mine\ndefault_site = \"old\"\n\n[sites.old]\nurl = \"https://old.atlassian.net\"\n";
        std::fs::write(&config, before).unwrap();
        let req = LoginRequest {
            name: "acme".into(),
            url: parse_base_url("acme").unwrap(),
            auth: AuthKind::Basic,
            email: Some("ada@acme.example".into()),
            token: Secret::new("tok"),
            token_file: Some(dir.path().join("secrets").join("acme.token")),
            cloud_id: None,
            gateway: None,
        };
        let stored = save_login(&config, &req).unwrap();
        assert_eq!(
            stored,
            StoredIn::File(dir.path().join("secrets/acme.token"))
        );
        let text = std::fs::read_to_string(&config).unwrap();
        assert!(text.starts_with("# mine\ndefault_site = \"old\""), "{text}");
        assert!(
            text.contains("[sites.acme]") && text.contains("keyring = false"),
            "{text}"
        );
        assert!(
            text.contains("url = \"https://acme.atlassian.net/wiki\""),
            "{text}"
        );
        let token = dir.path().join("secrets/acme.token");
        assert_eq!(std::fs::read_to_string(&token).unwrap(), "tok\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&token).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
    }

    #[test]
    fn a_scoped_login_stores_the_site_and_its_cloud_id_and_a_classic_one_removes_them() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config.toml");
        let id = "1324a887-45db-1bf4-1e99-ef0ff456d421";
        let mut req = LoginRequest {
            name: "acme".into(),
            url: parse_base_url("acme").unwrap(),
            auth: AuthKind::Basic,
            email: Some("ada@acme.example".into()),
            token: Secret::new("tok"),
            token_file: Some(dir.path().join("acme.token")),
            cloud_id: Some(id.into()),
            gateway: Some(Url::parse("http://127.0.0.1:9").unwrap()),
        };
        save_login(&config, &req).unwrap();
        let text = std::fs::read_to_string(&config).unwrap();
        assert!(
            text.contains("url = \"https://acme.atlassian.net/wiki\""),
            "{text}"
        );
        assert!(text.contains(&format!("cloud_id = \"{id}\"")), "{text}");
        assert!(text.contains("gateway = \"http://127.0.0.1:9\""), "{text}");
        // The file reads back as the site, with API calls through the gateway.
        let loaded = crate::config::load(Some(&config)).unwrap();
        assert_eq!(
            loaded.file.sites["acme"]
                .cloud_id
                .as_ref()
                .unwrap()
                .get_ref(),
            id
        );
        req.cloud_id = None;
        req.gateway = None;
        save_login(&config, &req).unwrap();
        let text = std::fs::read_to_string(&config).unwrap();
        assert!(
            !text.contains("cloud_id") && !text.contains("gateway"),
            "{text}"
        );
    }

    #[test]
    fn a_gateway_only_login_takes_the_site_from_links_base_but_never_replaces_a_given_site() {
        let id = "1324a887-45db-1bf4-1e99-ef0ff456d421";
        let gateway = |url: &str| LoginRequest {
            name: "cloud-1324a887".into(),
            url: parse_base_url(url).unwrap(),
            auth: AuthKind::Basic,
            email: Some("ada@acme.example".into()),
            token: Secret::new("tok"),
            token_file: None,
            cloud_id: None,
            gateway: None,
        };
        let req = gateway(&format!("https://api.atlassian.com/ex/confluence/{id}"));
        let adopted = req
            .with_site_from_links(Some("https://acme.atlassian.net/wiki"))
            .unwrap();
        assert_eq!(adopted.url.as_str(), "https://acme.atlassian.net/wiki/");
        assert_eq!(adopted.cloud_id.as_deref(), Some(id));
        assert_eq!(adopted.gateway, None);
        assert_eq!(adopted.api_url().unwrap(), req.url);
        // A loopback gateway keeps its root, unless the site is the same server.
        let local = gateway(&format!("http://127.0.0.1:8/ex/confluence/{id}"));
        let two = local
            .with_site_from_links(Some("http://127.0.0.1:9/wiki"))
            .unwrap();
        assert_eq!(two.gateway.unwrap().as_str(), "http://127.0.0.1:8/");
        let one = local
            .with_site_from_links(Some("http://127.0.0.1:8/wiki"))
            .unwrap();
        assert_eq!(one.gateway, None);
        // Nothing usable, or a site already known: nothing changes.
        for base in [
            None,
            Some("http://acme.atlassian.net/wiki"),
            Some("javascript:alert(1)"),
            Some("https://api.atlassian.com/ex/confluence/1324a887-45db-1bf4-1e99-ef0ff456d421"),
        ] {
            assert!(req.with_site_from_links(base).is_none(), "{base:?}");
        }
        let site = gateway("acme");
        assert!(site
            .with_site_from_links(Some("https://evil.example/wiki"))
            .is_none());
    }

    #[test]
    fn token_files_beside_the_config_are_named_after_the_site() {
        assert_eq!(
            token_file_beside(Path::new("/c/confdir/config.toml"), "acme"),
            Some(PathBuf::from("/c/confdir/acme.token"))
        );
    }
}
