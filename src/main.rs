//! The confdir binary: parse arguments, then run the UI, a command, or the demo server.

use clap::Parser;
use color_eyre::eyre::eyre;
use confdir::api::Client;
use confdir::app::setup::{Refused, SetupOutcome, SetupState};
use confdir::cli::{Cli, Command, DemoCommand};
use confdir::config;
use confdir::demo::{DemoOptions, DemoServer};
use confdir::runtime::setup::{run_setup, run_setup_from};
use confdir::runtime::{cache, run_tui, TuiEnd, TuiOptions};
use std::io::IsTerminal;

fn main() -> color_eyre::Result<()> {
    color_eyre::install()?;
    let cli = Cli::parse();
    init_logging();
    if let Some(Command::Demo(DemoCommand::Serve(args))) = &cli.command {
        let runtime = tokio::runtime::Runtime::new()?;
        return runtime.block_on(confdir::demo::serve_command(args.into()));
    }
    // Every other subcommand is a non-interactive command with its own exit code.
    if let Some(code) = confdir::commands::run(&cli) {
        std::process::exit(code);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(tui(&cli.overrides(), cli.demo))
}

/// The UI: on the demo directory (`--demo`), or on the configured site.
async fn tui(overrides: &config::Overrides, demo: bool) -> color_eyre::Result<()> {
    let env = config::Environment::from_process();
    if demo {
        return demo_tui(overrides, &env).await;
    }
    let settings = match config::resolve(overrides) {
        Ok(settings) => settings,
        Err(config::ConfigError::NoSiteConfigured)
            if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() =>
        {
            return first_run(overrides, &env).await;
        }
        Err(e) => {
            eprintln!("confdir: {e}");
            std::process::exit(e.exit_code());
        }
    };
    site_tui(settings, overrides, &env).await
}

/// The UI on a configured site; when the site refuses the credentials at start, the sign-in
/// failure screen instead of a UI that cannot load anything.
async fn site_tui(
    settings: config::Settings,
    overrides: &config::Overrides,
    env: &config::Environment,
) -> color_eyre::Result<()> {
    let mut client_config = settings.client_config();
    // Interactive use: a dead server should fail in seconds, not after a long back-off.
    client_config.retry.max_retries = 3;
    let client = Client::new(client_config).map_err(|e| eyre!("{e}"))?;
    // The file's sites, for `:site NAME` (a file that cannot be read offers none).
    let sites = config::load(overrides.config_path(env).as_deref())
        .map(|loaded| loaded.file.sites.keys().cloned().collect())
        .unwrap_or_default();
    let end = run_tui(
        client,
        TuiOptions {
            site_label: settings.site_label(),
            pins_path: settings.data_dir().map(|d| d.join("pins.json")),
            mouse: settings.ui.mouse,
            cache_path: settings.cache_dir().map(|d| cache::path_in(&d)),
            sites,
            cache_max_people: Some(settings.cache.max_people),
        },
    )
    .await?;
    match end {
        TuiEnd::Quit => Ok(()),
        TuiEnd::SignInRefused(detail) => signin_refused(&settings, detail, overrides, env).await,
        TuiEnd::SwitchSite(name) => {
            // That site as if started with `--site NAME`: its own URL, email and token sources.
            let next = config::Overrides {
                site: Some(name),
                base_url: None,
                email: None,
                ..overrides.clone()
            };
            match config::resolve(&next) {
                Ok(settings) => Box::pin(site_tui(settings, &next, env)).await,
                Err(e) => {
                    eprintln!("confdir: {e}");
                    std::process::exit(e.exit_code());
                }
            }
        }
    }
}

/// The site refused the token at start: say so, and log in again (the form, prefilled, saving
/// under the same site name), open the demo, or quit (exit code 3, as for any refused sign-in).
async fn signin_refused(
    settings: &config::Settings,
    detail: String,
    overrides: &config::Overrides,
    env: &config::Environment,
) -> color_eyre::Result<()> {
    let refused = Refused {
        site_label: settings.site_label(),
        site: settings
            .choice
            .url
            .as_str()
            .trim_end_matches('/')
            .to_string(),
        // A site from the config file keeps its name; an ad-hoc one (CONFLUENCE_BASE_URL) gets
        // the name a login would give it (`acme`).
        name: match settings.choice.site {
            Some(_) => settings.site_name().to_string(),
            None => config::suggest_name(&settings.choice.url),
        },
        email: settings.choice.email.clone().unwrap_or_default(),
        scoped: settings.choice.cloud_id.is_some(),
        token_source: settings.token_source.map(|source| match source {
            config::TokenSource::Environment => config::ENV_TOKEN.to_string(),
            config::TokenSource::Keyring => "the OS keyring".to_string(),
            config::TokenSource::TokenCommand => "the site's token_command".to_string(),
            config::TokenSource::TokenFile => "the site's token_file".to_string(),
        }),
        detail,
    };
    let headline = refused.headline();
    let name = refused.name.clone();
    let Some(path) = settings
        .config_path
        .clone()
        .or_else(|| overrides.config_path(env))
    else {
        eprintln!("confdir: {headline}");
        std::process::exit(3);
    };
    let state = SetupState::Refused {
        refused: Box::new(refused),
        selected: 0,
    };
    match run_setup_from(path, state).await? {
        SetupOutcome::Demo => demo_tui(overrides, env).await,
        SetupOutcome::Configured(message) => {
            eprintln!("confdir: {message}");
            // The new login wins for this run: the site by its name in the config, with the
            // token just stored, over what the environment says (a refused token among it).
            let overrides = config::Overrides {
                site: Some(name),
                base_url: None,
                email: None,
                config_file: overrides.config_file.clone(),
            };
            let env = env
                .clone()
                .without(config::ENV_TOKEN)
                .without(config::ENV_BASE_URL)
                .without(config::ENV_EMAIL);
            if settings.token_source == Some(config::TokenSource::Environment) {
                eprintln!(
                    "confdir: {} still holds the refused token and comes first: unset it.",
                    config::ENV_TOKEN
                );
            }
            let settings = match config::resolve_in(&overrides, &env, config::Credentials::Required)
            {
                Ok(settings) => settings,
                Err(e) => {
                    eprintln!("confdir: {e}");
                    std::process::exit(e.exit_code());
                }
            };
            Box::pin(site_tui(settings, &overrides, &env)).await
        }
        SetupOutcome::Quit => {
            eprintln!("confdir: {headline} Run `confdir login` to store a new token.");
            std::process::exit(3);
        }
    }
}

/// First run on a terminal: offer the demo directory or set up a site, then go on with the choice.
async fn first_run(
    overrides: &config::Overrides,
    env: &config::Environment,
) -> color_eyre::Result<()> {
    let Some(path) = overrides.config_path(env) else {
        return Err(eyre!(
            "no configuration folder: set XDG_CONFIG_HOME or HOME"
        ));
    };
    match run_setup(path).await? {
        SetupOutcome::Demo => demo_tui(overrides, env).await,
        SetupOutcome::Configured(message) => {
            eprintln!("confdir: {message}");
            Box::pin(tui(overrides, false)).await
        }
        SetupOutcome::Quit => Ok(()),
    }
}

/// `--demo`: the embedded directory on an ephemeral loopback port, and the UI on it. Its pins and
/// cache live under a fixed `demo` folder, since the port changes every run.
async fn demo_tui(
    overrides: &config::Overrides,
    env: &config::Environment,
) -> color_eyre::Result<()> {
    // The `[ui]` options still apply; a config file that cannot be read leaves the defaults.
    let mouse = config::load(overrides.config_path(env).as_deref())
        .map(|loaded| loaded.file.ui.mouse)
        .unwrap_or_default();
    let server = DemoServer::start(DemoOptions::default()).await?;
    let client = Client::new(server.client_config(false)).map_err(|e| eyre!("{e}"))?;
    let result = run_tui(
        client,
        TuiOptions {
            site_label: format!("demo directory · {}", server.addr()),
            pins_path: env.data_home().map(|d| d.join("demo").join("pins.json")),
            mouse,
            cache_path: env.cache_home().map(|d| cache::path_in(&d.join("demo"))),
            sites: Vec::new(),
            cache_max_people: None,
        },
    )
    .await;
    server.stop().await;
    result.map(|_| ())
}

/// Logs go to a file (never the terminal the UI draws on): `$XDG_CACHE_HOME/confdir/confdir.log`,
/// level from `CONFDIR_LOG` (default `warn`); readable by the user only, and rotated when large.
fn init_logging() {
    let Some(dir) = config::Environment::from_process().cache_home() else {
        return;
    };
    // 0600 in a 0700 folder whatever the umask, rotated at start-up once past its size cap.
    let Ok(file) = config::open_log_file(&dir) else {
        return;
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("CONFDIR_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(std::sync::Mutex::new(file))
        .try_init();
}
