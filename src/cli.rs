//! Command-line definitions (clap). Parsing only: `main` dispatches.

use clap::{Parser, Subcommand};

/// confdir — browse a Confluence site's people directory from the terminal.
#[derive(Debug, Parser)]
#[command(name = "confdir", version, about, long_about = None)]
pub struct Cli {
    /// Open the UI on the embedded demo directory (no account needed).
    #[arg(long, global = true)]
    pub demo: bool,

    /// Site base URL, e.g. https://acme.atlassian.net (overrides the config file).
    #[arg(long, env = "CONFLUENCE_BASE_URL", global = true)]
    pub base_url: Option<String>,

    /// Account email for Basic auth (the token comes from CONFLUENCE_API_TOKEN).
    #[arg(long, env = "CONFLUENCE_EMAIL", global = true)]
    pub email: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Non-interactive commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// The embedded demo server.
    #[command(subcommand)]
    Demo(DemoCommand),
}

/// `confdir demo …`
#[derive(Debug, Subcommand)]
pub enum DemoCommand {
    /// Run the demo Confluence server on 127.0.0.1 until interrupted.
    Serve(DemoServeArgs),
}

/// Options of `confdir demo serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct DemoServeArgs {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Delay each response: `MS` or a range `MIN..MAX` (milliseconds).
    #[arg(long)]
    pub latency: Option<String>,
    /// Share of requests (0.0–1.0) answered with 500 or with 429 + Retry-After.
    #[arg(long, default_value_t = 0.0)]
    pub fail_rate: f64,
    /// Number of users in the generated directory.
    #[arg(long, default_value_t = 1500)]
    pub users: usize,
    /// Seed of the generated directory.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Keep watches and properties in this file across restarts.
    #[arg(long)]
    pub state: Option<std::path::PathBuf>,
}
