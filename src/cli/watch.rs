//! `confdir watch …`: the watch status of spaces, labels and pages, and starting or stopping a
//! watch.

use super::{DirectoryArgs, JsonArgs};
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
