//! The non-interactive commands: every operation of the client as a command for scripts, plus
//! `login`, `doctor` and `completions`.
//!
//! Each command resolves the settings (config file, environment, flags), builds one client, calls
//! the API and prints the answer in the chosen [`output::Format`]. Failures become a [`Failure`]
//! with a one-line message and a documented exit code: 0 success, 1 API error, 2 usage or
//! configuration error, 3 authentication failure, 4 not found, 5 a write whose outcome is unknown.
//! This module never draws a TUI.

pub mod diff;
pub mod directory;
pub mod doctor;
pub mod emails;
pub mod login;
pub mod output;
pub mod progress;
pub mod resolve;
pub mod sync;
pub mod watch;
pub mod watch_group;
pub mod watch_many;

use crate::api::{ApiError, Client};
use crate::cli::{Cli, Command};
use crate::config::{self, ConfigError, Credentials, Environment};
use output::Out;

/// Exit code: success.
pub const EXIT_OK: i32 = 0;
/// Exit code: the API answered with an error, or could not be reached.
pub const EXIT_API: i32 = 1;
/// Exit code: bad arguments or configuration (clap uses 2 as well).
pub const EXIT_USAGE: i32 = 2;
/// Exit code: credentials missing or refused.
pub const EXIT_AUTH: i32 = 3;
/// Exit code: the user, group, property or target does not exist.
pub const EXIT_NOT_FOUND: i32 = 4;
/// Exit code: a write was sent but its answer never came, so whether it was applied is unknown.
pub const EXIT_OUTCOME_UNKNOWN: i32 = 5;

/// Why a command failed, and the exit code that tells a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// One of the `EXIT_*` codes.
    pub code: i32,
    /// One line for stderr.
    pub message: String,
    /// Further lines (e.g. the candidates of an ambiguous name).
    pub details: Vec<String>,
}

impl Failure {
    /// A failure with just a message.
    pub fn new(code: i32, message: impl Into<String>) -> Self {
        Failure {
            code,
            message: message.into(),
            details: Vec::new(),
        }
    }
}

/// The exit code for an API error: 3 for refused credentials, 4 for missing things, 2 for input
/// refused before sending, 5 for a write whose outcome is unknown, 1 for everything else.
pub fn api_exit_code(e: &ApiError) -> i32 {
    match e {
        ApiError::Unauthorized { .. } => EXIT_AUTH,
        ApiError::NotFound { .. } => EXIT_NOT_FOUND,
        ApiError::InvalidInput(_) => EXIT_USAGE,
        ApiError::OutcomeUnknown { .. } => EXIT_OUTCOME_UNKNOWN,
        _ => EXIT_API,
    }
}

impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Self {
        Failure::new(api_exit_code(&e), output::clean(&e.to_string()))
    }
}

impl From<ConfigError> for Failure {
    fn from(e: ConfigError) -> Self {
        Failure::new(e.exit_code(), output::clean(&e.to_string()))
    }
}

/// What a command needs: a client for the chosen site (and the embedded demo server behind it,
/// with `--demo`, which lives as long as the command).
pub struct Ctx {
    /// The client for the chosen site.
    pub client: Client,
    demo: Option<crate::demo::DemoServer>,
    /// The site's cache folder (`$XDG_CACHE_HOME/confdir/<site>/`; `…/demo/` with `--demo`, as
    /// the UI's), when there is a cache home.
    pub cache_dir: Option<std::path::PathBuf>,
}

impl Ctx {
    /// Resolves the settings and builds the client; with `--demo`, starts the embedded demo
    /// server on loopback and signs in as its ordinary user instead.
    pub async fn new(cli: &Cli, credentials: Credentials) -> Result<Self, Failure> {
        if cli.wants_demo() {
            let server = crate::demo::DemoServer::start(crate::demo::DemoOptions::default())
                .await
                .map_err(|e| {
                    Failure::new(EXIT_API, format!("cannot start the demo server: {e}"))
                })?;
            let client = Client::new(server.client_config(false))?;
            say_waits(&client);
            return Ok(Ctx {
                client,
                demo: Some(server),
                cache_dir: Environment::from_process()
                    .cache_home()
                    .map(|d| d.join("demo")),
            });
        }
        let overrides = cli.overrides();
        let settings = config::resolve_in(&overrides, &Environment::from_process(), credentials)?;
        let client = Client::new(settings.client_config())?;
        say_waits(&client);
        Ok(Ctx {
            client,
            demo: None,
            cache_dir: settings.cache_dir(),
        })
    }

    /// Stops the demo server, if one was started.
    pub async fn finish(self) {
        if let Some(server) = self.demo {
            server.stop().await;
        }
    }
}

/// Says on stderr, once per wait, what `client` is waiting for when a person would notice (an
/// answer slower than a few seconds, a rate limit, a retry of a second or more), so a slow or
/// rate-limited site never looks like a hang. Runs until the client is gone; stdout stays the
/// command's answer alone.
pub fn say_waits(client: &Client) {
    let mut waits = client.waits();
    tokio::spawn(async move {
        // Ids already said; a command's waits are few, and the set is trimmed past a bound.
        let mut said = std::collections::HashSet::new();
        while waits.changed().await.is_ok() {
            let now = std::time::Instant::now();
            let lines: Vec<String> = waits
                .borrow_and_update()
                .iter()
                .filter(|wait| said.insert(wait.id()))
                .filter_map(|wait| wait_line(wait, now))
                .collect();
            for line in lines {
                progress::say(&format!("confdir: {line}"));
            }
            if said.len() > 1024 {
                said.clear();
            }
        }
    });
}

/// The sentence for one wait, or `None` when it is too short to be worth a line.
fn wait_line(wait: &crate::api::Wait, now: std::time::Instant) -> Option<String> {
    use crate::api::WaitKind;
    let secs = |d: std::time::Duration| d.as_secs() + u64::from(d.subsec_millis() >= 500);
    let left = secs(wait.until.saturating_duration_since(now));
    let length = wait.until.saturating_duration_since(wait.since);
    let endpoint = &wait.endpoint;
    match wait.kind {
        WaitKind::Answer => Some(format!(
            "{endpoint}: no answer yet after {} s; waiting {left} s more…",
            secs(now.saturating_duration_since(wait.since))
        )),
        _ if length < std::time::Duration::from_secs(1) => None,
        WaitKind::RateLimited => Some(format!(
            "{endpoint}: rate limited by Confluence; waiting {left} s as it asks…"
        )),
        WaitKind::Retry => Some(format!(
            "{endpoint}: {}; trying again in {left} s…",
            output::clean(&wait.detail)
        )),
    }
}

/// Runs the command in `cli` if it is one of ours, and returns the process exit code; `None`
/// when there is no command or it belongs elsewhere (the demo server, the TUI).
pub fn run(cli: &Cli) -> Option<i32> {
    let command = cli.command.as_ref()?;
    if matches!(command, Command::Demo(_)) {
        return None;
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("confdir: cannot start the async runtime: {e}");
            return Some(EXIT_API);
        }
    };
    let mut out = Out::live(output::color_enabled());
    let result = runtime.block_on(execute(cli, command, &mut out));
    out.flush();
    Some(match result {
        Ok(code) => code,
        Err(failure) => {
            eprintln!("confdir: {}", failure.message);
            for line in &failure.details {
                eprintln!("  {line}");
            }
            failure.code
        }
    })
}

/// Runs one command, printing into `out`. `Ok` carries the exit code (normally 0; `doctor` may
/// print its report and still exit non-zero).
pub async fn execute(cli: &Cli, command: &Command, out: &mut Out) -> Result<i32, Failure> {
    match command {
        Command::Demo(_) => Err(Failure::new(
            EXIT_USAGE,
            "`demo` is not a scripting command",
        )),
        Command::Completions(args) => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut buf = Vec::new();
            clap_complete::generate(args.shell, &mut cmd, "confdir", &mut buf);
            out.line(String::from_utf8_lossy(&buf).trim_end());
            Ok(EXIT_OK)
        }
        Command::Doctor(args) => Ok(doctor::run(&cli.overrides(), args.json, out).await),
        Command::Login(args) => login::run(&cli.overrides(), args, out)
            .await
            .map(|_| EXIT_OK),
        other => directory::run(cli, other, out).await.map(|_| EXIT_OK),
    }
}
