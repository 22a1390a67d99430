//! `confdir login`: ask for a site, an email and a token; check them; store the token; save the
//! site in the config file.
//!
//! This module prompts, verifies and prints. Storing the token and the site is `config`'s
//! ([`config::save_login`]), which the TUI's first-run "set up a site" flow calls too, after the
//! same [`verify`]; [`login`] runs verify-then-store once the input is collected. The token is
//! read without echo from a terminal, or as the next line of stdin when stdin is not a terminal
//! (for scripts). Running `login` again replaces the stored token and the site's entry; the rest
//! of the config file, comments included, is kept.
//!
//! A scoped API token (`--scoped`, or "yes" to the question on a terminal) works only through the
//! API gateway, `https://api.atlassian.com/ex/confluence/{cloudId}`, with Basic auth (email +
//! token), as Atlassian documents for tokens with scopes. The person gives the site; its cloud id
//! comes from `https://SITE/_edge/tenant_info` (asked without credentials), or from `--cloud-id`
//! where the site cannot tell it. The config keeps both: the site (`url`, where web links open)
//! and the cloud id (`cloud_id`, so API calls go through the gateway); the credentials are
//! verified through the gateway before anything is stored.

use super::output::{clean, Out};
use super::{Failure, EXIT_API, EXIT_AUTH, EXIT_USAGE};
use crate::api::model::User;
use crate::api::{gateway_cloud_id, gateway_for_site, parse_gateway_root, Auth, Secret};
use crate::cli::LoginArgs;
use crate::config::{
    self, site_from_input, site_label, AuthKind, Environment, LoginRequest, Overrides, StoredIn,
};
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

/// What a successful login did.
#[derive(Debug, Clone)]
pub struct LoginOutcome {
    /// Who the token belongs to.
    pub user: User,
    /// Where the token is kept.
    pub stored: StoredIn,
    /// The config file that now names the site.
    pub config_path: PathBuf,
    /// What was saved: the request, with the site the verifying answer named (`_links.base`)
    /// when only the API gateway was given.
    pub saved: LoginRequest,
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
    let api_url = req.api_url()?;
    let user = crate::api::verify_credentials(api_url.as_str(), auth).await?;
    let saved = req
        .with_site_from_links(user.links.base.as_deref())
        .unwrap_or_else(|| req.clone());
    let stored = config::save_login(config_path, &saved)?;
    Ok(LoginOutcome {
        user,
        stored,
        config_path: config_path.to_path_buf(),
        saved,
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

/// What the prompts (or the flags) collected.
struct Answers {
    url: String,
    email: Option<String>,
    scoped: bool,
    token: Secret,
}

/// Asks for what the flags did not give: the site, the email (Basic auth), whether the token is
/// scoped (only on a terminal, after asking for the site, and when no flag said so: scripts and
/// `--url` say it with `--scoped`), and the token.
async fn ask(overrides: &Overrides, args: &LoginArgs) -> Result<Answers, Failure> {
    let given_url = args.url.clone().or_else(|| overrides.base_url.clone());
    let site_asked = given_url.is_none();
    let given_email = overrides.email.clone();
    let bearer = args.bearer;
    let scoped_flag = args.scoped || args.cloud_id.is_some() || args.gateway.is_some();
    tokio::task::spawn_blocking(move || {
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
        // The question belongs to the conversation: asked on a terminal after the site was asked
        // for; a site given with --url takes --scoped with it.
        let scoped = scoped_flag
            || (!bearer
                && site_asked
                && prompter.interactive
                && matches!(
                    prompter
                        .ask("Is it a scoped API token (created with scopes)? [y/N]: ")?
                        .to_ascii_lowercase()
                        .as_str(),
                    "y" | "yes"
                ));
        let token = prompter.ask_secret("API token (input hidden): ")?;
        Ok::<_, Failure>(Answers {
            url,
            email,
            scoped,
            token,
        })
    })
    .await
    .map_err(|e| Failure::new(EXIT_API, format!("the prompt failed: {e}")))?
}

/// For a scoped token: the site's cloud id (`--cloud-id`, else the site's `_edge/tenant_info`)
/// and the gateway root to store (`--gateway`). A site URL already in the gateway form needs
/// neither: its cloud id is in it.
async fn scoped_route(
    url: &url::Url,
    args: &LoginArgs,
) -> Result<(Option<String>, Option<url::Url>), Failure> {
    if gateway_cloud_id(url).is_some() {
        return Ok((None, None));
    }
    let gateway = match args.gateway.as_deref() {
        Some(g) => {
            Some(parse_gateway_root(g).map_err(|e| Failure::new(EXIT_USAGE, e.to_string()))?)
        }
        None => None,
    };
    let found = gateway_for_site(url, args.cloud_id.as_deref(), gateway.as_ref()).await;
    match found {
        Ok((cloud_id, _)) => Ok((Some(cloud_id), gateway)),
        Err(e) if args.cloud_id.is_some() => Err(Failure::new(EXIT_USAGE, clean(&e.to_string()))),
        Err(e) => Err(Failure {
            code: EXIT_API,
            message: format!(
                "cannot find the cloud id of {}: {}",
                site_label(url),
                clean(&e.to_string())
            ),
            details: vec![
                "A scoped token needs the site's cloud id; give it with --cloud-id ID.".into(),
                "It is the id after /s/ in the address of your site's page in admin.atlassian.com (Apps > Sites),".into(),
                format!(
                    "or what {} shows in a browser.",
                    url.join("/_edge/tenant_info")
                        .map(|u| u.to_string())
                        .unwrap_or_else(|_| "https://SITE/_edge/tenant_info".into())
                ),
            ],
        }),
    }
}

/// `confdir login`: collects what the flags did not give, then runs [`login`].
pub async fn run(overrides: &Overrides, args: &LoginArgs, out: &mut Out) -> Result<(), Failure> {
    let env = Environment::from_process();
    let config_path = overrides.config_path(&env).ok_or_else(|| {
        Failure::new(
            EXIT_USAGE,
            "no config directory: set XDG_CONFIG_HOME or pass --config PATH",
        )
    })?;
    let answers = ask(overrides, args).await?;
    let bearer = args.bearer;
    if answers.token.expose().is_empty() {
        return Err(Failure::new(EXIT_USAGE, "the token is empty"));
    }
    let (suggested, url) = site_from_input(&answers.url)?;
    let (cloud_id, gateway) = if answers.scoped {
        scoped_route(&url, args).await?
    } else {
        (None, None)
    };
    let name = args
        .name
        .clone()
        .or_else(|| overrides.site.clone())
        .unwrap_or(suggested);
    let email = answers.email.filter(|e| !e.is_empty());
    let req = LoginRequest {
        name,
        url,
        auth: if bearer {
            AuthKind::Bearer
        } else {
            AuthKind::Basic
        },
        email,
        token: answers.token,
        token_file: args.token_file.clone(),
        cloud_id,
        gateway,
    };
    let outcome = login(&req, &config_path).await.map_err(|f| {
        if f.code != EXIT_AUTH {
            return f;
        }
        let mut details = Vec::new();
        if req.cloud_id.is_some() {
            // The spec's scopes for GET /user/current (shared api-behaviour notes, section 1).
            details.push("Through the gateway, a scoped token needs the scopes of what it calls: for this check read:confluence-user (classic) or read:content-details:confluence (granular).".into());
        } else if !answers.scoped
            && req.url.host_str().is_some_and(|h| h.ends_with(".atlassian.net"))
        {
            details.push("A token created with scopes works only through the API gateway: log in again with --scoped.".into());
        }
        Failure {
            code: EXIT_AUTH,
            message: format!("{} Nothing was saved.", f.message),
            details,
        }
    })?;
    report(&outcome.saved, &outcome, &config_path, out)
}

/// What `login` prints once the credentials are verified, and the failure when the token could
/// not be stored.
fn report(
    req: &LoginRequest,
    outcome: &LoginOutcome,
    config_path: &Path,
    out: &mut Out,
) -> Result<(), Failure> {
    out.line(format!(
        "Logged in to {} as {} ({}).",
        site_label(&req.url),
        clean(outcome.user.name()),
        clean(outcome.user.account_id.as_deref().unwrap_or("?"))
    ));
    if let (Some(id), Ok(api)) = (&req.cloud_id, req.api_url()) {
        out.line(format!(
            "Scoped token: API calls go through the API gateway, {api} (cloud id {id}); links open on {}.",
            req.url
        ));
    } else if gateway_cloud_id(&req.url).is_some() {
        out.line(
            "Only the API gateway is known, not the site: nothing can be opened in a browser. `confdir login --scoped --url SITE` keeps both.",
        );
    }
    out.line(format!(
        "Site `{}` saved in {}.",
        req.name,
        outcome.config_path.display()
    ));
    match &outcome.stored {
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
                    config::token_file_beside(config_path, &req.name)
                        .map(|p| p.display().to_string())
                        .unwrap_or_else(|| "PATH".into())
                ),
            ],
        }),
        stored => {
            out.line(format!("Token stored in {}.", stored.describe()));
            Ok(())
        }
    }
}
