//! Command-line definitions (clap). Parsing only: `main` dispatches, and `commands` runs the
//! non-interactive commands. What the flags say about the settings leaves here as plain
//! [`crate::config::Overrides`], so `config` never sees clap.

use clap::{Args, Parser, Subcommand, ValueEnum};

/// confdir — browse a Confluence site's people directory from the terminal.
///
/// The connection flags (`--demo`, `--base-url`, `--email`, `--site`, `--config`) are taken here,
/// before any subcommand (for the UI, and as `confdir --demo users search ada`), and by each
/// subcommand they apply to, after it (`confdir users search ada --demo`): each subcommand's
/// `--help` lists only what applies to it (`demo serve` and `completions` take none; `login` names
/// its site with `--url` and its config entry with `--name`, `--base-url` and `--site` staying as
/// hidden aliases of those, so earlier invocations still work).
#[derive(Debug, Parser)]
#[command(name = "confdir", version, about, long_about = None)]
pub struct Cli {
    /// Use the embedded demo directory (no account needed): for the UI and for any command.
    #[arg(long)]
    pub demo: bool,

    /// Site base URL, e.g. https://acme.atlassian.net (overrides the config file).
    #[arg(long, env = "CONFLUENCE_BASE_URL")]
    pub base_url: Option<String>,

    /// Account email for Basic auth (the token comes from CONFLUENCE_API_TOKEN).
    #[arg(long, env = "CONFLUENCE_EMAIL")]
    pub email: Option<String>,

    /// Site from the config file to use (also CONFDIR_SITE).
    #[arg(long, value_name = "NAME")]
    pub site: Option<String>,

    /// Config file to read instead of $XDG_CONFIG_HOME/confdir/config.toml.
    #[arg(long, env = "CONFDIR_CONFIG", value_name = "PATH")]
    pub config: Option<std::path::PathBuf>,

    /// A non-interactive command; without one, the full-screen UI starts.
    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// The flags that change the settings, as the plain overrides `config` takes (it never sees
    /// clap). Values clap read from the environment are already in the flags. A flag given after
    /// the subcommand wins over the same flag before it.
    pub fn overrides(&self) -> crate::config::Overrides {
        let top = crate::config::Overrides {
            site: self.site.clone(),
            base_url: self.base_url.clone(),
            email: self.email.clone(),
            config_file: self.config.clone(),
        };
        match self.command.as_ref().and_then(Command::site_args) {
            Some(sub) => crate::config::Overrides {
                site: sub.site.or(top.site),
                base_url: sub.base_url.or(top.base_url),
                email: sub.email.or(top.email),
                config_file: sub.config.or(top.config_file),
            },
            None => top,
        }
    }

    /// `--demo`, before the subcommand or after one that takes it.
    pub fn wants_demo(&self) -> bool {
        self.demo
            || self
                .command
                .as_ref()
                .and_then(Command::directory_args)
                .is_some_and(|d| d.demo)
    }
}

/// Which site and account, over the config file: the flags of every command that talks to a
/// site. Global within the subcommand that takes them, so they may follow its own subcommand
/// (`confdir users search ada --site acme`).
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Connection")]
pub struct SiteArgs {
    /// Site base URL, e.g. https://acme.atlassian.net (overrides the config file).
    #[arg(long, env = "CONFLUENCE_BASE_URL", global = true)]
    pub base_url: Option<String>,

    /// Account email for Basic auth (the token comes from CONFLUENCE_API_TOKEN).
    #[arg(long, env = "CONFLUENCE_EMAIL", global = true)]
    pub email: Option<String>,

    /// Site from the config file to use (also CONFDIR_SITE).
    #[arg(long, global = true, value_name = "NAME")]
    pub site: Option<String>,

    /// Config file to read instead of $XDG_CONFIG_HOME/confdir/config.toml.
    #[arg(long, env = "CONFDIR_CONFIG", global = true, value_name = "PATH")]
    pub config: Option<std::path::PathBuf>,
}

/// [`SiteArgs`] and `--demo`: the flags of the commands that read or change the directory.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Connection")]
pub struct DirectoryArgs {
    /// Use the embedded demo directory (no account needed).
    #[arg(long, global = true)]
    pub demo: bool,

    /// Which site and account.
    #[command(flatten)]
    pub site: SiteArgs,
}

/// Non-interactive commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// The embedded demo server.
    #[command(subcommand)]
    Demo(DemoCommand),

    /// Set up a site: ask for the site, email and token, verify them, store the token.
    Login(LoginArgs),

    /// Check the configuration, the credentials and the connection, step by step.
    Doctor(DoctorArgs),

    /// Show who the credentials belong to.
    Whoami(ShowArgs),

    /// Show how the site presents an anonymous visitor.
    Anonymous(ShowArgs),

    /// Search and show users.
    Users(UsersArgs),

    /// Groups: a user's groups, a group's members, the site's groups.
    Groups(GroupsArgs),

    /// Watch status of a space, label or page; start or stop watching.
    Watch(WatchArgs),

    /// User properties (small JSON objects stored on a user).
    Props(PropsArgs),

    /// List the site's spaces.
    Spaces(SpacesArgs),

    /// Print a shell completion script.
    Completions(CompletionsArgs),
}

impl Command {
    /// The connection flags this subcommand took, as [`SiteArgs`] (`login`'s own names mapped
    /// onto them); `None` for a subcommand that takes none.
    pub fn site_args(&self) -> Option<SiteArgs> {
        match self {
            Command::Login(args) => Some(SiteArgs {
                base_url: None,
                email: args.email.clone(),
                site: None,
                config: args.config.clone(),
            }),
            Command::Doctor(args) => Some(args.site.clone()),
            other => other.directory_args().map(|d| d.site.clone()),
        }
    }

    /// The flags of a directory command (`--demo` and the site's).
    pub fn directory_args(&self) -> Option<&DirectoryArgs> {
        match self {
            Command::Whoami(args) | Command::Anonymous(args) => Some(&args.directory),
            Command::Users(args) => Some(&args.directory),
            Command::Groups(args) => Some(&args.directory),
            Command::Watch(args) => Some(&args.directory),
            Command::Props(args) => Some(&args.directory),
            Command::Spaces(args) => Some(&args.directory),
            Command::Demo(_) | Command::Login(_) | Command::Doctor(_) | Command::Completions(_) => {
                None
            }
        }
    }
}

/// Options of `whoami` and `anonymous`.
#[derive(Debug, Clone, Args)]
pub struct ShowArgs {
    /// Print what the API returned, as JSON.
    #[arg(long)]
    pub json: bool,
    /// `--demo` and the site's flags.
    #[command(flatten)]
    pub directory: DirectoryArgs,
}

/// Options of `doctor`.
#[derive(Debug, Clone, Args)]
pub struct DoctorArgs {
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// The site's flags.
    #[command(flatten)]
    pub site: SiteArgs,
}

/// `confdir users …`
#[derive(Debug, Clone, Args)]
pub struct UsersArgs {
    /// `--demo` and the site's flags.
    #[command(flatten)]
    pub directory: DirectoryArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: UsersCommand,
}

/// `confdir groups …`
#[derive(Debug, Clone, Args)]
pub struct GroupsArgs {
    /// `--demo` and the site's flags.
    #[command(flatten)]
    pub directory: DirectoryArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: GroupsCommand,
}

/// `confdir props …`
#[derive(Debug, Clone, Args)]
pub struct PropsArgs {
    /// `--demo` and the site's flags.
    #[command(flatten)]
    pub directory: DirectoryArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: PropsCommand,
}

/// `--json` for commands that print one object.
#[derive(Debug, Clone, Args)]
pub struct JsonArgs {
    /// Print what the API returned, as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `--json` or `--csv` for commands that print a list.
#[derive(Debug, Clone, Args)]
pub struct ListFormatArgs {
    /// Print what the API returned, as a JSON array.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Print the list as CSV with a header row.
    #[arg(long)]
    pub csv: bool,
}

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

/// `confdir users …`
#[derive(Debug, Clone, Subcommand)]
pub enum UsersCommand {
    /// Find users by name (CQL `user.fullname~"QUERY"`).
    Search {
        /// Part of a name; with --cql, a whole CQL query.
        query: String,
        /// Treat QUERY as raw CQL, e.g. `type=user`.
        #[arg(long)]
        cql: bool,
        /// Results per page (the first page only unless --all).
        #[arg(long, default_value_t = 25, value_parser = clap::value_parser!(u32).range(1..=1000))]
        limit: u32,
        /// Follow every page.
        #[arg(long)]
        all: bool,
        /// Table (default), `--json` or `--csv`.
        #[command(flatten)]
        format: ListFormatArgs,
    },
    /// Show one user: an accountId, `me`, or a name that matches one person.
    Show {
        /// An accountId, `me`, or a name that matches exactly one person.
        user: String,
        /// Human output (default) or `--json`.
        #[command(flatten)]
        format: JsonArgs,
    },
    /// Look up several users by accountId.
    Bulk {
        /// Account ids (100 per request are sent).
        #[arg(required = true, value_name = "ID")]
        ids: Vec<String>,
        /// Table (default), `--json` or `--csv`.
        #[command(flatten)]
        format: ListFormatArgs,
    },
    /// Email addresses of users by accountId (needs the email API on the site).
    Email {
        /// Account ids (100 per request are sent).
        #[arg(required = true, value_name = "ID")]
        ids: Vec<String>,
        /// Table (default), `--json` or `--csv`.
        #[command(flatten)]
        format: ListFormatArgs,
    },
}

/// `confdir groups …`
#[derive(Debug, Clone, Subcommand)]
pub enum GroupsCommand {
    /// The groups a user belongs to.
    Of {
        /// An accountId, `me`, or a name that matches exactly one person.
        user: String,
        /// Table (default), `--json` or `--csv`.
        #[command(flatten)]
        format: ListFormatArgs,
    },
    /// The members of a group (a group id or its exact name).
    Members {
        /// A group id, or the group's exact name.
        group: String,
        /// Follow every page (default: the first 200 members).
        #[arg(long)]
        all: bool,
        /// Table (default), `--json` or `--csv`.
        #[command(flatten)]
        format: ListFormatArgs,
    },
    /// The site's groups.
    List {
        /// Only groups whose name contains TEXT (the group picker).
        #[arg(long, value_name = "TEXT")]
        filter: Option<String>,
        /// Table (default), `--json` or `--csv`.
        #[command(flatten)]
        format: ListFormatArgs,
    },
}

/// What to do with a watch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WatchAction {
    /// Whether the user watches the target.
    Status,
    /// Start watching.
    Add,
    /// Stop watching.
    Remove,
}

/// What kind of thing is watched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WatchKind {
    /// A space, by key.
    Space,
    /// A label, by name.
    Label,
    /// A page or blog post, by content id (`page` is accepted too, as in the TUI).
    #[value(alias = "page")]
    Content,
}

/// `confdir watch status|add|remove (space KEY | label NAME | content ID) [--user USER]`
#[derive(Debug, Clone, Args)]
pub struct WatchArgs {
    /// status, add or remove.
    pub action: WatchAction,
    /// space, label or content.
    pub kind: WatchKind,
    /// The space key, label name or content id.
    pub target: String,
    /// Whose watch (default: you; others need administrator rights).
    #[arg(long)]
    pub user: Option<String>,
    /// `--json`.
    #[command(flatten)]
    pub format: JsonArgs,
    /// `--demo` and the site's flags.
    #[command(flatten)]
    pub directory: DirectoryArgs,
}

/// `confdir props …`
#[derive(Debug, Clone, Subcommand)]
pub enum PropsCommand {
    /// The property keys of a user.
    List {
        /// An accountId, `me`, or a name that matches exactly one person.
        user: String,
        /// Table (default), `--json` or `--csv`.
        #[command(flatten)]
        format: ListFormatArgs,
    },
    /// One property's value.
    Get {
        /// An accountId, `me`, or a name that matches exactly one person.
        user: String,
        /// The property key (letters, digits, `-` and `_`).
        key: String,
        /// Human output (default) or `--json`.
        #[command(flatten)]
        format: JsonArgs,
    },
    /// Create a property, or update it when the key exists. JSON must be an object.
    Set {
        /// An accountId, `me`, or a name that matches exactly one person.
        user: String,
        /// The property key (letters, digits, `-` and `_`).
        key: String,
        /// The value, a JSON object, e.g. '{"team": "core"}'.
        #[arg(value_name = "JSON")]
        value: String,
        /// Human output (default) or `--json`.
        #[command(flatten)]
        format: JsonArgs,
    },
    /// Delete a property.
    Delete {
        /// An accountId, `me`, or a name that matches exactly one person.
        user: String,
        /// The property key (letters, digits, `-` and `_`).
        key: String,
        /// Human output (default) or `--json`.
        #[command(flatten)]
        format: JsonArgs,
    },
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

#[cfg(test)]
mod tests;
