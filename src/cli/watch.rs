//! `confdir watch …`: the watch status of spaces, labels and pages, and starting or stopping a
//! watch: of one target or many at once, for you, another user, or every member of a group.

use super::{DirectoryArgs, ListFormatArgs};
use clap::{Args, ValueEnum};

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

/// `confdir watch status|add|remove (space KEY… | label NAME… | content ID…) [--user USER |
/// --group GROUP [--dry-run] [--yes]] [--all-spaces]`
#[derive(Debug, Clone, Args)]
pub struct WatchArgs {
    /// status, add or remove.
    pub action: WatchAction,
    /// space, label or content.
    pub kind: WatchKind,
    /// The space keys, label names or content ids (several are checked or changed at once).
    #[arg(required_unless_present = "all_spaces")]
    pub targets: Vec<String>,
    /// Whose watch (default: you; others need administrator rights).
    #[arg(long, conflicts_with = "group")]
    pub user: Option<String>,
    /// Every member of this group (name or id): their statuses, or make them all watch or stop
    /// (administrators only).
    #[arg(long)]
    pub group: Option<String>,
    /// With --group: show what would change, and change nothing.
    #[arg(long, requires = "group")]
    pub dry_run: bool,
    /// With --group: change without asking (needed when stdin is not a terminal).
    #[arg(long, requires = "group")]
    pub yes: bool,
    /// `status` of every space of the site (all pages of the spaces list).
    #[arg(long, conflicts_with_all = ["targets", "group"])]
    pub all_spaces: bool,
    /// `--json` or `--csv`.
    #[command(flatten)]
    pub format: ListFormatArgs,
    /// `--demo` and the site's flags.
    #[command(flatten)]
    pub directory: DirectoryArgs,
}
