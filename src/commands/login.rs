//! `confdir login`: ask for a site, an email and a token; check them; store the token; save the
//! site in the config file.
//!
//! The steps are separate functions so the TUI's first-run "set up a site" flow can reuse them
//! with its own input fields: [`site_from_input`], [`verify`], [`store_token`], [`save_site`], or
//! all of them at once through [`login`]. The token is read without echo from a terminal, or as
//! the next line of stdin when stdin is not a terminal (for scripts). Running `login` again
//! replaces the stored token and the site's entry; the rest of the config file, comments
//! included, is kept.

use super::output::{clean, Out};
use super::{Failure, EXIT_API, EXIT_AUTH, EXIT_USAGE};
use crate::api::model::User;
use crate::api::{parse_base_url, ApiError, Auth, Client, ClientConfig, RetryPolicy, Secret};
use crate::cli::{Cli, LoginArgs};
use crate::config::{
    keyring_account, keyring_set, site_label, write_token_file, AuthKind, ConfigError, Environment,
};
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use url::Url;

/// What the login flow collected.
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
}

/// Where the token ended up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoredIn {
    /// The OS keyring, under this entry name.
    Keyring(String),
    /// A 0600 file.
    File(PathBuf),
    /// Nowhere: the keyring is unavailable; the text says why and what to do instead.
    NotStored(String),
}

/// What a successful login did.
#[derive(Debug, Clone)]
pub struct LoginOutcome {
    /// Who the token belongs to.
    pub user: User,
    /// Where the token is kept.
    pub stored: StoredIn,
    /// The config file that now names the site.
    pub config_path: PathBuf,
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
    } else if crate::api::is_loopback_host(url) {
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

/// Checks the credentials with `GET /user/current`; refuses an answer without an account
/// (a Data Center site may treat a bad token as anonymous).
pub async fn verify(url: &Url, auth: Auth) -> Result<User, ApiError> {
    let mut config = ClientConfig::new(url.as_str(), auth);
    config.retry = RetryPolicy::none();
    let client = Client::new(config)?;
    let user = client.current_user(&[]).await?;
    if user.account_id.is_none() && user.username.is_none() {
        return Err(ApiError::Unauthorized {
            endpoint: "GET /user/current".into(),
            message: "the server answered as an anonymous user, so the token was ignored".into(),
        });
    }
    Ok(user)
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
    let sites = doc
        .entry("sites")
        .or_insert_with(toml_edit::table)
        .as_table_mut()
        .ok_or_else(|| werr("`sites` is not a table".into()))?;
    sites.set_implicit(true);
    let site = sites
        .entry(&req.name)
        .or_insert_with(toml_edit::table)
        .as_table_mut()
        .ok_or_else(|| werr(format!("`sites.{}` is not a table", req.name)))?;
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
    match stored {
        StoredIn::File(file) => {
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
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| werr(e.to_string()))?;
    }
    let tmp = path.with_extension("toml.tmp");
    std::fs::write(&tmp, doc.to_string()).map_err(|e| werr(e.to_string()))?;
    std::fs::rename(&tmp, path).map_err(|e| werr(e.to_string()))
}

/// Verifies, stores and saves: the whole flow once the input is collected.
pub async fn login(req: &LoginRequest, config_path: &Path) -> Result<LoginOutcome, Failure> {
    let auth = match (req.auth, &req.email) {
        (AuthKind::Basic, Some(email)) => Auth::Basic {
            email: email.clone(),
            token: req.token.clone(),
        },
        (AuthKind::Basic, None) => {
            return Err(Failure::new(
                EXIT_USAGE,
                "Basic auth needs an email (or use --bearer)",
            ))
        }
        (AuthKind::Bearer, _) => Auth::Bearer {
            token: req.token.clone(),
        },
    };
    let user = verify(&req.url, auth).await?;
    let stored = store_token(req)?;
    save_site(config_path, req, &stored)?;
    Ok(LoginOutcome {
        user,
        stored,
        config_path: config_path.to_path_buf(),
    })
}

/// Reads prompts from the terminal, or lines from stdin when it is not one.
struct Prompter {
    interactive: bool,
    lines: std::io::Lines<std::io::StdinLock<'static>>,
}

impl Prompter {
    fn new() -> Self {
        Prompter {
            interactive: std::io::stdin().is_terminal(),
            lines: std::io::stdin().lock().lines(),
        }
    }

    fn ask(&mut self, prompt: &str) -> Result<String, Failure> {
        if self.interactive {
            eprint!("{prompt}");
            let _ = std::io::stderr().flush();
        }
        match self.lines.next() {
            Some(Ok(line)) => Ok(line.trim().to_string()),
            Some(Err(e)) => Err(Failure::new(EXIT_USAGE, format!("cannot read stdin: {e}"))),
            None => Err(Failure::new(
                EXIT_USAGE,
                format!("stdin ended before the answer to `{}`", prompt.trim()),
            )),
        }
    }

    fn ask_secret(&mut self, prompt: &str) -> Result<Secret, Failure> {
        if !self.interactive {
            return self.ask(prompt).map(Secret::new);
        }
        eprint!("{prompt}");
        let _ = std::io::stderr().flush();
        let token = read_without_echo()
            .map_err(|e| Failure::new(EXIT_USAGE, format!("cannot read the token: {e}")))?;
        eprintln!();
        Ok(Secret::new(token.trim()))
    }
}

/// Reads a line from the terminal in raw mode, echoing nothing. Ctrl-C or Esc aborts.
fn read_without_echo() -> std::io::Result<String> {
    use crossterm::event::{read, Event, KeyCode, KeyEventKind, KeyModifiers};
    crossterm::terminal::enable_raw_mode()?;
    let mut text = String::new();
    let result = loop {
        match read() {
            Ok(Event::Key(key)) if key.kind != KeyEventKind::Release => match key.code {
                KeyCode::Enter => break Ok(()),
                KeyCode::Esc => break Err(std::io::Error::other("cancelled")),
                KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                    break Err(std::io::Error::other("cancelled"))
                }
                KeyCode::Char(c) => text.push(c),
                KeyCode::Backspace => {
                    text.pop();
                }
                _ => {}
            },
            Ok(Event::Paste(p)) => text.push_str(&p),
            Ok(_) => {}
            Err(e) => break Err(e),
        }
    };
    let restored = crossterm::terminal::disable_raw_mode();
    result?;
    restored?;
    Ok(text)
}

/// `confdir login`: collects what the flags did not give, then runs [`login`].
pub async fn run(cli: &Cli, args: &LoginArgs, out: &mut Out) -> Result<(), Failure> {
    let env = Environment::from_process();
    let config_path = cli
        .config
        .clone()
        .or_else(|| env.config_path())
        .ok_or_else(|| {
            Failure::new(
                EXIT_USAGE,
                "no config directory: set XDG_CONFIG_HOME or pass --config PATH",
            )
        })?;
    let given_url = args.url.clone().or_else(|| cli.base_url.clone());
    let given_email = cli.email.clone();
    let bearer = args.bearer;
    let (url_input, email, token) = tokio::task::spawn_blocking(move || {
        let mut prompter = Prompter::new();
        let url = match given_url {
            Some(u) => u,
            None => prompter.ask("Site (acme, acme.atlassian.net or a URL): ")?,
        };
        let email = match (bearer, given_email) {
            (true, _) => None,
            (false, Some(e)) => Some(e),
            (false, None) => Some(prompter.ask("Email: ")?),
        };
        let token = prompter.ask_secret("API token (input hidden): ")?;
        Ok::<_, Failure>((url, email, token))
    })
    .await
    .map_err(|e| Failure::new(EXIT_API, format!("the prompt failed: {e}")))??;

    if token.expose().is_empty() {
        return Err(Failure::new(EXIT_USAGE, "the token is empty"));
    }
    let (suggested, url) = site_from_input(&url_input)?;
    let name = args
        .name
        .clone()
        .or_else(|| cli.site.clone())
        .unwrap_or(suggested);
    let email = email.filter(|e| !e.is_empty());
    let req = LoginRequest {
        name,
        url,
        auth: if bearer {
            AuthKind::Bearer
        } else {
            AuthKind::Basic
        },
        email,
        token,
        token_file: args.token_file.clone(),
    };
    let outcome = login(&req, &config_path).await.map_err(|f| {
        if f.code == EXIT_AUTH {
            Failure::new(EXIT_AUTH, format!("{} Nothing was saved.", f.message))
        } else {
            f
        }
    })?;
    out.line(format!(
        "Logged in to {} as {} ({}).",
        site_label(&req.url),
        clean(outcome.user.name()),
        clean(outcome.user.account_id.as_deref().unwrap_or("?"))
    ));
    out.line(format!(
        "Site `{}` saved in {}.",
        req.name,
        outcome.config_path.display()
    ));
    match &outcome.stored {
        StoredIn::Keyring(entry) => {
            out.line(format!("Token stored in the OS keyring (entry `{entry}`)."));
            Ok(())
        }
        StoredIn::File(path) => {
            out.line(format!("Token stored in {} (mode 0600).", path.display()));
            Ok(())
        }
        StoredIn::NotStored(reason) => Err(Failure {
            code: EXIT_API,
            message: format!("the token was verified but not stored: {reason}"),
            details: vec![
                "Other ways to give confdir the token:".into(),
                "  export CONFLUENCE_API_TOKEN=…".into(),
                format!(
                    "  token_command = [\"pass\", \"show\", \"confluence\"] in [sites.{}]",
                    req.name
                ),
                format!(
                    "  confdir login --token-file {} (a mode-0600 file)",
                    config_path
                        .parent()
                        .map(|d| d.join(format!("{}.token", req.name)).display().to_string())
                        .unwrap_or_else(|| "PATH".into())
                ),
            ],
        }),
    }
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
}
