//! Command-line definitions (clap). Parsing only: `main` dispatches, and `commands` runs the
//! non-interactive commands. What the flags say about the settings leaves here as plain
//! [`crate::config::Overrides`], so `config` never sees clap.

use clap::{Args, Parser, Subcommand};

mod directory;
mod people;
mod props;
mod setup;
mod watch;

pub use directory::{DirectoryCommand, DirectoryCommandArgs, SyncArgs};
pub use people::{GroupsArgs, GroupsCommand, UsersArgs, UsersCommand};
pub use props::{PropsArgs, PropsCommand};
pub use setup::{CompletionsArgs, DemoCommand, DemoServeArgs, LoginArgs, SpacesArgs};
pub use watch::{WatchAction, WatchArgs, WatchKind};

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

    /// The directory cache as a whole: `sync` fills it with every person of the site.
    Directory(DirectoryCommandArgs),
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
            Command::Directory(args) => Some(&args.directory),
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

/// `--json` for commands that print one object.
#[derive(Debug, Clone, Args)]
pub struct JsonArgs {
    /// Print what the API returned, as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `--json`, `--jsonl` or `--csv` for commands that print a list.
#[derive(Debug, Clone, Args)]
pub struct ListFormatArgs {
    /// Print what the API returned, as a JSON array.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Print the list as CSV with a header row.
    #[arg(long)]
    pub csv: bool,
    /// Print one JSON object per line (JSON Lines), each as soon as its page arrives.
    #[arg(long, conflicts_with_all = ["json", "csv"])]
    pub jsonl: bool,
}

#[cfg(test)]
mod tests;
