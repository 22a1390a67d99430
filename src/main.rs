//! The confdir binary: parse arguments, then run the UI, a command, or the demo server.

use clap::Parser;
use color_eyre::eyre::eyre;
use confdir::api::Client;
use confdir::app::setup::SetupOutcome;
use confdir::cli::{Cli, Command, DemoCommand};
use confdir::config;
use confdir::demo::{DemoOptions, DemoServer};
use confdir::runtime::setup::run_setup;
use confdir::runtime::{run_tui, TuiOptions};
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
    let mut client_config = settings.client_config();
    // Interactive use: a dead server should fail in seconds, not after a long back-off.
    client_config.retry.max_retries = 3;
    let client = Client::new(client_config).map_err(|e| eyre!("{e}"))?;
    run_tui(
        client,
        TuiOptions {
            site_label: settings.site_label(),
            pins_path: settings.data_dir().map(|d| d.join("pins.json")),
            mouse: settings.ui.mouse,
            cache_path: settings.cache_dir().map(|d| d.join("directory.json")),
        },
    )
    .await
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
            cache_path: env
                .cache_home()
                .map(|d| d.join("demo").join("directory.json")),
        },
    )
    .await;
    server.stop().await;
    result
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
