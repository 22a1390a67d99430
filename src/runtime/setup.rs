//! The first-run loop: draws the setup screen, and carries out its one effect, "verify these
//! credentials, store the token, save the site", in a task so the screen stays live meanwhile.
//! Verifying is `confdir login`'s check; storing is `config`'s, the same code `login` runs.
//! A signal that would end the process ends the form instead, and the terminal is restored.

use crate::api::{gateway_cloud_id, gateway_for_site, Auth, Secret};
use crate::app::setup::{
    setup_key, setup_paste, setup_verified, SetupEffect, SetupOutcome, SetupState,
};
use crate::config::{self, AuthKind, LoginRequest};
use crate::runtime::terminal::{self, Clamped, QuitSignals, StdoutBackend};
use crossterm::event::{Event, EventStream, KeyEventKind};
use futures::StreamExt;
use ratatui::Terminal;
use std::path::PathBuf;
use tokio::sync::mpsc;

/// Runs the first-run screen on the real terminal; returns what the user chose.
pub async fn run_setup(config_path: PathBuf) -> color_eyre::Result<SetupOutcome> {
    run_setup_from(config_path, SetupState::default()).await
}

/// Runs the setup screen from `state` (the first run's choice, or the sign-in failure screen);
/// returns what the user chose.
pub async fn run_setup_from(
    config_path: PathBuf,
    state: SetupState,
) -> color_eyre::Result<SetupOutcome> {
    // First, so a signal from here on quits through the loop and the terminal is restored.
    let signals = QuitSignals::new();
    let backend = terminal::init(false)?;
    let result = match terminal::clamped(backend) {
        Ok(mut term) => setup_loop(&mut term, config_path, signals, state).await,
        Err(e) => Err(e.into()),
    };
    terminal::restore();
    result
}

async fn setup_loop(
    term: &mut Terminal<Clamped<StdoutBackend>>,
    config_path: PathBuf,
    mut signals: QuitSignals,
    mut state: SetupState,
) -> color_eyre::Result<SetupOutcome> {
    let mut events = EventStream::new();
    let (done_tx, mut done_rx) = mpsc::unbounded_channel::<Result<String, String>>();
    loop {
        term.draw(|frame| crate::ui::setup::render_setup(frame, &state))?;
        tokio::select! {
            biased;
            _ = signals.recv() => return Ok(SetupOutcome::Quit),
            event = events.next() => match event {
                Some(Ok(Event::Key(key))) if key.kind != KeyEventKind::Release => {
                    match setup_key(&mut state, &key) {
                        Some(SetupEffect::Finish(outcome)) => return Ok(outcome),
                        Some(SetupEffect::Verify { site, email, token, scoped, name }) => {
                            let tx = done_tx.clone();
                            let path = config_path.clone();
                            let login = SiteLogin { site, email, token, scoped, name };
                            tokio::spawn(async move {
                                let _ = tx.send(set_up_site(path, login).await);
                            });
                        }
                        None => {}
                    }
                }
                Some(Ok(Event::Paste(text))) => setup_paste(&mut state, &text),
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(e.into()),
                None => return Ok(SetupOutcome::Quit),
            },
            Some(result) = done_rx.recv() => {
                if let Some(outcome) = setup_verified(&mut state, result) {
                    return Ok(outcome);
                }
            }
        }
    }
}

/// What the form collected, as typed.
#[derive(Debug)]
pub struct SiteLogin {
    /// The site.
    pub site: String,
    /// The email (empty: a bearer token).
    pub email: String,
    /// The token.
    pub token: Secret,
    /// The token is scoped: API calls go through the gateway with the site's cloud id.
    pub scoped: bool,
    /// The site's name in the config (a new login for a configured site); `None`: derived
    /// from the site.
    pub name: Option<String>,
}

/// Checks the credentials with `/user/current` (through the API gateway, with the cloud id the
/// site's `_edge/tenant_info` gives, for a scoped token), stores the token (the OS keyring, or a
/// 0600 file beside the config when no keyring can be used) and writes the site to the config
/// file.
pub async fn set_up_site(config_path: PathBuf, login: SiteLogin) -> Result<String, String> {
    let SiteLogin {
        site,
        email,
        token,
        scoped,
        name: given_name,
    } = login;
    let (suggested, url) = config::site_from_input(&site).map_err(|e| e.to_string())?;
    let name = given_name.unwrap_or(suggested);
    let cloud_id = if scoped && gateway_cloud_id(&url).is_none() {
        let (id, _) = gateway_for_site(&url, None, None).await.map_err(|e| {
            format!(
                "Cannot find the site's cloud id ({e}); use `confdir login --scoped --cloud-id ID`"
            )
        })?;
        Some(id)
    } else {
        None
    };
    let email = Some(email).filter(|e| !e.is_empty());
    let auth = match &email {
        Some(email) => Auth::Basic {
            email: email.clone(),
            token: token.clone(),
        },
        None => Auth::Bearer {
            token: token.clone(),
        },
    };
    let req = LoginRequest {
        name,
        url,
        auth: if email.is_some() {
            AuthKind::Basic
        } else {
            AuthKind::Bearer
        },
        email,
        token,
        token_file: None,
        cloud_id,
        gateway: None,
    };
    let api_url = req.api_url().map_err(|e| e.to_string())?;
    let user = crate::api::verify_credentials(api_url.as_str(), auth)
        .await
        .map_err(|e| e.to_string())?;
    // Only the gateway given: keep the site its answer names, for web links.
    let req = req
        .with_site_from_links(user.links.base.as_deref())
        .unwrap_or(req);
    // The keyring and file writes block; keep them off the runtime's threads.
    let saved = tokio::task::spawn_blocking(move || {
        let stored = config::save_login(&config_path, &req).map_err(|e| e.to_string())?;
        Ok::<_, String>(stored.describe())
    })
    .await
    .map_err(|e| e.to_string())??;
    Ok(format!(
        "Signed in as {}; the token is kept in {saved}.",
        user.name()
    ))
}
