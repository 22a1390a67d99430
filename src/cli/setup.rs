//! The commands around the directory rather than in it: `login`, `spaces`, `completions` and
//! `demo serve`.

use super::{DirectoryArgs, ListFormatArgs};
use clap::{Args, Subcommand};

/// Options of `confdir login`.
#[derive(Debug, Clone, Args)]
pub struct LoginArgs {
    /// The site: `acme`, `acme.atlassian.net`, a full URL, or the API gateway URL (asked when missing).
    #[arg(
        long = "url",
        value_name = "SITE",
        alias = "base-url",
        env = "CONFLUENCE_BASE_URL"
    )]
    pub url: Option<String>,
    /// Account email for Basic auth (asked when missing).
    #[arg(long, env = "CONFLUENCE_EMAIL")]
    pub email: Option<String>,
    /// Name of the site in the config file (default: derived from the URL, e.g. `acme`).
    #[arg(long, value_name = "NAME", alias = "site")]
    pub name: Option<String>,
    /// Config file to write instead of $XDG_CONFIG_HOME/confdir/config.toml.
    #[arg(long, env = "CONFDIR_CONFIG", value_name = "PATH")]
    pub config: Option<std::path::PathBuf>,
    /// Send the token as a Bearer token (OAuth, Data Center PAT) instead of Basic email:token.
    #[arg(long)]
    pub bearer: bool,
    /// Keep the token in this file (mode 0600) instead of the OS keyring.
    #[arg(long, value_name = "PATH")]
    pub token_file: Option<std::path::PathBuf>,
    /// The token is a scoped API token: API calls go through the API gateway
    /// (api.atlassian.com), with the site's cloud id, found at https://SITE/_edge/tenant_info.
    #[arg(long, conflicts_with = "bearer")]
    pub scoped: bool,
    /// The site's cloud id (a UUID), when the site cannot tell it: implies --scoped.
    #[arg(long, value_name = "ID", conflicts_with = "bearer")]
    pub cloud_id: Option<String>,
    /// The API gateway's address, when not https://api.atlassian.com (a proxy, a test server):
    /// implies --scoped.
    #[arg(long, value_name = "URL", conflicts_with = "bearer")]
    pub gateway: Option<String>,
}

/// `confdir spaces [--all]`
#[derive(Debug, Clone, Args)]
pub struct SpacesArgs {
    /// Follow every page (default: the first page).
    #[arg(long)]
    pub all: bool,
    /// Spaces per page.
    #[arg(long, default_value_t = 25, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub limit: u32,
    /// `--json` or `--csv`.
    #[command(flatten)]
    pub format: ListFormatArgs,
    /// `--demo` and the site's flags.
    #[command(flatten)]
    pub directory: DirectoryArgs,
}

/// `confdir completions bash|zsh|fish`
#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    pub shell: clap_complete::Shell,
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
    /// Number of users in the generated directory (at most 1,000,000).
    #[arg(long, default_value_t = 1500, value_parser = crate::demo::parse_users)]
    pub users: usize,
    /// Seed of the generated directory.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Keep watches and properties in this file across restarts.
    #[arg(long)]
    pub state: Option<std::path::PathBuf>,
    /// Also serve v1 `GET /wiki/rest/api/space`, which Cloud removed (by default it answers 410
    /// Gone and spaces come from v2 `/wiki/api/v2/spaces`).
    #[arg(long)]
    pub v1_spaces: bool,
}

/// `confdir demo serve`'s flags as the demo's plain options, so `demo` never sees clap.
impl From<&DemoServeArgs> for crate::demo::ServeOptions {
    fn from(args: &DemoServeArgs) -> Self {
        crate::demo::ServeOptions {
            port: args.port,
            latency: args.latency.clone(),
            fail_rate: args.fail_rate,
            users: args.users,
            seed: args.seed,
            state: args.state.clone(),
            v1_spaces: args.v1_spaces,
        }
    }
}
