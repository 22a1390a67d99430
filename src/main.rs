//! The confdir binary: parse arguments, then run the UI, a command, or the demo server.

use clap::Parser;
use color_eyre::eyre::eyre;
use confdir::api::Client;
use confdir::app::setup::SetupOutcome;
use confdir::cli::{Cli, Command, DemoCommand};
use confdir::config;
use confdir::demo::{DemoOptions, DemoServer};
use confdir::runtime::setup::run_setup;
use confdir::runtime::{pins, run_tui, TuiOptions};
use std::io::IsTerminal;

fn main() -> color_eyre::Result<()> {
    color_eyre::install()?;
    let cli = Cli::parse();
    init_logging();
    if let Some(Command::Demo(DemoCommand::Serve(args))) = &cli.command {
        let runtime = tokio::runtime::Runtime::new()?;
        return runtime.block_on(confdir::demo::serve_command(args));
    }
    // Every other subcommand is a non-interactive command with its own exit code.
    if let Some(code) = confdir::commands::run(&cli) {
        std::process::exit(code);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(tui(&cli))
}

/// The UI: on the demo directory, or on the configured site.
async fn tui(cli: &Cli) -> color_eyre::Result<()> {
    if cli.demo {
        return demo_tui(mouse_setting(cli)).await;
    }
    if config::no_site_configured(cli) {
        if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
            return first_run(cli).await;
        }
        eprintln!(
            "confdir: no site is configured yet.\n  \
             Try the demo directory:  confdir --demo\n  \
             Set up your site:        confdir login\n  \
             Or set CONFLUENCE_BASE_URL, CONFLUENCE_EMAIL and CONFLUENCE_API_TOKEN."
        );
        std::process::exit(2);
    }
    let settings = match config::resolve(cli) {
        Ok(settings) => settings,
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
async fn first_run(cli: &Cli) -> color_eyre::Result<()> {
    let env = config::Environment::from_process();
    let Some(path) = cli.config.clone().or_else(|| env.config_path()) else {
        return Err(eyre!(
            "no configuration folder: set XDG_CONFIG_HOME or HOME"
        ));
    };
    match run_setup(path).await? {
        SetupOutcome::Demo => demo_tui(mouse_setting(cli)).await,
        SetupOutcome::Configured(message) => {
            eprintln!("confdir: {message}");
            Box::pin(tui(cli)).await
        }
        SetupOutcome::Quit => Ok(()),
    }
}

/// `--demo`: the embedded directory on an ephemeral loopback port, and the UI on it.
async fn demo_tui(mouse: bool) -> color_eyre::Result<()> {
    let server = DemoServer::start(DemoOptions::default()).await?;
    let client = Client::new(server.client_config(false)).map_err(|e| eyre!("{e}"))?;
    let result = run_tui(
        client,
        TuiOptions {
            site_label: format!("demo directory · {}", server.addr()),
            // The port changes every run, so the demo's pins live under a fixed name.
            pins_path: pins::pins_path("demo"),
            mouse,
            cache_path: directories::ProjectDirs::from("", "", "confdir")
                .map(|d| d.cache_dir().join("demo").join("directory.json")),
        },
    )
    .await;
    server.stop().await;
    result
}

/// The `[ui] mouse` setting, for runs that use no site (the demo); a config file that cannot be
/// read leaves the default.
fn mouse_setting(cli: &Cli) -> bool {
    let env = config::Environment::from_process();
    let path = cli.config.clone().or_else(|| env.config_path());
    config::load(path.as_deref())
        .map(|loaded| loaded.file.ui.mouse)
        .unwrap_or_default()
}

/// Logs go to a file (never the terminal the UI draws on): `$XDG_CACHE_HOME/confdir/confdir.log`,
/// level from `CONFDIR_LOG` (default `warn`).
fn init_logging() {
    let Some(dirs) = directories::ProjectDirs::from("", "", "confdir") else {
        return;
    };
    let dir = dirs.cache_dir();
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let Ok(file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("confdir.log"))
    else {
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
