//! `confdir demo serve`: the demo server run on its own, for curl and for other tools.
//!
//! This module owns the command's options as plain values ([`ServeOptions`]), their validation
//! with the messages the user sees, the banner printed at start, and the wait for Ctrl-C or
//! SIGTERM. The binary's clap arguments are turned into [`ServeOptions`] by `cli`; nothing here
//! parses a command line or knows clap, so the arrows point down only.

use super::{
    DemoOptions, DemoServer, DEMO_ACCOUNT_ID, DEMO_ADMIN_TOKEN, DEMO_EMAIL, DEMO_TOKEN, MAX_USERS,
};
use color_eyre::eyre::{eyre, WrapErr};
use std::path::PathBuf;
use std::time::Duration;

/// What `confdir demo serve` was asked for, as plain values. The flags are kept as typed (the
/// latency as text) and checked by [`ServeOptions::demo_options`], so every message names the
/// flag the way the user wrote it.
#[derive(Clone, Debug, PartialEq)]
pub struct ServeOptions {
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// `--latency` as typed: `MS` or `MIN..MAX` in milliseconds (see [`parse_latency`]).
    pub latency: Option<String>,
    /// Share of requests (0.0–1.0) answered with 500, or 429 plus `Retry-After`.
    pub fail_rate: f64,
    /// Number of accounts in the generated directory.
    pub users: usize,
    /// Seed of the generated directory.
    pub seed: u64,
    /// Where watches and properties persist across restarts, if anywhere.
    pub state: Option<PathBuf>,
    /// `--v1-spaces`: also serve the v1 `GET /space` that Cloud removed (see
    /// [`DemoOptions::v1_spaces`]).
    pub v1_spaces: bool,
}

impl ServeOptions {
    /// The server's options, or why the flags are refused: a latency that is not `MS` or
    /// `MIN..MAX`, a failure rate outside 0.0–1.0, or more users than [`MAX_USERS`].
    pub fn demo_options(&self) -> color_eyre::Result<DemoOptions> {
        let latency = self
            .latency
            .as_deref()
            .map(parse_latency)
            .transpose()
            .map_err(|e| eyre!("--latency: {e}"))?;
        if !(0.0..=1.0).contains(&self.fail_rate) {
            return Err(eyre!(
                "--fail-rate must be between 0.0 and 1.0, not {}",
                self.fail_rate
            ));
        }
        check_users(self.users).map_err(|e| eyre!("--users: {e}"))?;
        Ok(DemoOptions {
            port: self.port,
            latency,
            fail_rate: self.fail_rate,
            users: self.users,
            seed: self.seed,
            state_file: self.state.clone(),
            v1_spaces: self.v1_spaces,
            ..DemoOptions::default()
        })
    }
}

/// Refuses a directory larger than [`MAX_USERS`] with a message for the user.
pub fn check_users(users: usize) -> Result<usize, String> {
    if users > MAX_USERS {
        return Err(format!(
            "at most {MAX_USERS} users, not {users} (the largest Cloud sites have about 150,000)"
        ));
    }
    Ok(users)
}

/// Parses `--users`: a whole number up to [`MAX_USERS`].
pub fn parse_users(text: &str) -> Result<usize, String> {
    let users = text
        .trim()
        .parse::<usize>()
        .map_err(|_| format!("`{text}` is not a number of users"))?;
    check_users(users)
}

/// Parses `--latency`: `MS` or `MIN..MAX` in milliseconds.
pub fn parse_latency(text: &str) -> Result<(Duration, Duration), String> {
    let ms = |s: &str| {
        s.trim()
            .parse::<u64>()
            .map(Duration::from_millis)
            .map_err(|_| format!("`{s}` is not a number of milliseconds"))
    };
    let (min, max) = match text.split_once("..") {
        Some((a, b)) => (ms(a)?, ms(b.trim_start_matches('='))?),
        None => {
            let d = ms(text)?;
            (d, d)
        }
    };
    if min > max {
        return Err(format!("the latency range {text} runs backwards"));
    }
    Ok((min, max))
}

/// `confdir demo serve`: starts the server, prints where it is, the credentials and a curl line,
/// and runs until Ctrl-C or SIGTERM.
pub async fn serve_command(options: ServeOptions) -> color_eyre::Result<()> {
    let server = DemoServer::start(options.demo_options()?)
        .await
        .wrap_err("could not start the demo server")?;
    print_banner(&server, &options);
    wait_for_signal().await;
    server.stop().await;
    Ok(())
}

/// Where the server listens, who can sign in, and what to try first.
fn print_banner(server: &DemoServer, options: &ServeOptions) {
    let base = server.base_url();
    println!("confdir demo server: {base}");
    println!(
        "  user:  {DEMO_EMAIL} / token {DEMO_TOKEN}  (Ada Lovelace, accountId {DEMO_ACCOUNT_ID})"
    );
    println!("  admin: {DEMO_EMAIL} / token {DEMO_ADMIN_TOKEN}  (Grace Hopper, administrator)");
    println!(
        "  {} users, seed {}{}",
        options.users.max(2),
        options.seed,
        options
            .state
            .as_ref()
            .map(|p| format!(", state in {}", p.display()))
            .unwrap_or_default()
    );
    if let Some(page) = server.directory().pages.first() {
        println!(
            "  watch targets: spaces ENG, HR, …; labels release-notes, runbook, …; page {} ({})",
            page.id, page.title
        );
    }
    println!(
        "  API gateway form: {}/wiki (cloud id {}, from /_edge/tenant_info; Basic or Bearer)",
        server.gateway_url(),
        server.cloud_id()
    );
    println!(
        "  spaces: /wiki/api/v2/spaces{}",
        if options.v1_spaces {
            "; v1 /rest/api/space kept (--v1-spaces)"
        } else {
            "; v1 /rest/api/space answers 410 Gone, as on Cloud (--v1-spaces keeps it)"
        }
    );
    println!("try:");
    println!("  curl -u {DEMO_EMAIL}:{DEMO_TOKEN} '{base}/rest/api/user/current'");
    println!(
        "  curl -u {DEMO_EMAIL}:{DEMO_TOKEN} '{base}/rest/api/search/user?cql=user.fullname~%22ada%22'"
    );
    println!(
        "  curl -u {DEMO_EMAIL}:{DEMO_TOKEN} -X POST -H 'X-Atlassian-Token: no-check' '{base}/rest/api/user/watch/space/HR'"
    );
    println!("  CONFLUENCE_BASE_URL={base} CONFLUENCE_EMAIL={DEMO_EMAIL} CONFLUENCE_API_TOKEN={DEMO_TOKEN} confdir");
    println!("Ctrl-C stops it.");
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_parses_single_values_and_ranges() {
        let ms = Duration::from_millis;
        assert_eq!(parse_latency("50"), Ok((ms(50), ms(50))));
        assert_eq!(parse_latency("10..200"), Ok((ms(10), ms(200))));
        assert_eq!(parse_latency("10..=20"), Ok((ms(10), ms(20))));
        assert!(parse_latency("200..10").is_err());
        assert!(parse_latency("fast").is_err());
        assert!(parse_latency("-5").is_err());
    }

    #[test]
    fn options_are_checked_with_messages_naming_the_flag() {
        let options = ServeOptions {
            port: 0,
            latency: Some("10..20".into()),
            fail_rate: 0.5,
            users: 10,
            seed: 7,
            state: None,
            v1_spaces: true,
        };
        let demo = options.demo_options().unwrap();
        assert_eq!(
            demo.latency,
            Some((Duration::from_millis(10), Duration::from_millis(20)))
        );
        assert_eq!((demo.users, demo.seed, demo.fail_rate), (10, 7, 0.5));
        assert!(demo.v1_spaces);
        let huge = ServeOptions {
            users: usize::MAX,
            ..options.clone()
        };
        let err = huge.demo_options().unwrap_err().to_string();
        assert!(err.starts_with("--users: at most 1000000 users"), "{err}");
        let slow = ServeOptions {
            latency: Some("slow".into()),
            ..options.clone()
        };
        let err = slow.demo_options().unwrap_err().to_string();
        assert!(err.starts_with("--latency: "), "{err}");
        let failing = ServeOptions {
            fail_rate: 2.0,
            ..options
        };
        let err = failing.demo_options().unwrap_err().to_string();
        assert_eq!(err, "--fail-rate must be between 0.0 and 1.0, not 2");
    }

    #[test]
    fn users_are_bounded() {
        assert_eq!(parse_users("1500"), Ok(1500));
        assert_eq!(parse_users("1000000"), Ok(MAX_USERS));
        assert!(parse_users("1000001").is_err());
        assert!(parse_users("18446744073709551615").is_err());
        assert!(parse_users("18446744073709551616").is_err());
        assert!(parse_users("-1").is_err());
    }
}
