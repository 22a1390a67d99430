//! The confdir binary: parse arguments, then run the UI, a command, or the demo server.

use clap::Parser;
use color_eyre::eyre::eyre;
use confdir::api::{Client, ClientConfig};
use confdir::cli::{Cli, Command, DemoCommand};
use confdir::demo::{DemoOptions, DemoServer};
use confdir::runtime::{pins, run_tui, TuiOptions};

fn main() -> color_eyre::Result<()> {
    color_eyre::install()?;
    let cli = Cli::parse();
    init_logging();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run(cli))
}

async fn run(cli: Cli) -> color_eyre::Result<()> {
    match &cli.command {
        Some(Command::Demo(DemoCommand::Serve(args))) => confdir::demo::serve_command(args).await,
        None if cli.demo => demo_tui().await,
        None => tui(&cli).await,
    }
}

/// `--demo`: the embedded directory on an ephemeral loopback port, and the UI on it.
async fn demo_tui() -> color_eyre::Result<()> {
    let server = DemoServer::start(DemoOptions::default()).await?;
    let client = Client::new(server.client_config(false)).map_err(|e| eyre!("{e}"))?;
    let result = run_tui(
        client,
        TuiOptions {
            site_label: format!("demo directory · {}", server.addr()),
            pins_path: pins::pins_path("demo"),
            mouse: false,
        },
    )
    .await;
    server.stop().await;
    result
}

async fn tui(cli: &Cli) -> color_eyre::Result<()> {
    // clap fills --base-url and --email from CONFLUENCE_BASE_URL / CONFLUENCE_EMAIL when the
    // flags are absent; the token only ever comes from the environment.
    let mut config = ClientConfig::from_parts(
        cli.base_url.clone(),
        cli.email.clone(),
        std::env::var("CONFLUENCE_API_TOKEN").ok(),
    )
    .map_err(|e| eyre!("{e}"))?;
    // Interactive use: a dead server should fail in seconds, not after a long back-off.
    config.retry.max_retries = 3;
    let client = Client::new(config).map_err(|e| eyre!("{e}"))?;
    let site = client
        .context_url()
        .host_str()
        .unwrap_or("confluence")
        .to_string();
    run_tui(
        client,
        TuiOptions {
            pins_path: pins::pins_path(&site),
            site_label: site,
            mouse: false,
        },
    )
    .await
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
