//! `confdir users …` and `confdir groups …`: finding people and the groups they share.

use super::{DirectoryArgs, JsonArgs, ListFormatArgs};
use clap::{Args, Subcommand};

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
    /// The groups two people share, and those only one of them is in (every page of both).
    Diff {
        /// The first person: an accountId, `me`, or a name that matches exactly one person.
        first: String,
        /// The second person, the same way.
        second: String,
        /// Print one JSON object: `first`, `second` (the users), `shared`, `only_first`,
        /// `only_second` (arrays of the API's groups).
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        /// Print CSV: `group,groupId,side`, one row per group, side = both, first or second.
        #[arg(long)]
        csv: bool,
    },
    /// Email addresses of a group's members, for administrators (the site's email API): every
    /// member page, then 100 addresses per request; members the site leaves out are marked hidden.
    Emails {
        /// A group id, or the group's exact name.
        group: String,
        /// Table (default), `--json` or `--csv`.
        #[command(flatten)]
        format: ListFormatArgs,
    },
}
