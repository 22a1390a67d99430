//! `confdir directory …`: the directory cache as a whole (today: `sync`, every person of the
//! site into it).

use super::DirectoryArgs;
use clap::{Args, Subcommand};

/// `confdir directory …`
#[derive(Debug, Clone, Args)]
pub struct DirectoryCommandArgs {
    /// `--demo` and the site's flags.
    #[command(flatten)]
    pub directory: DirectoryArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: DirectoryCommand,
}

/// `confdir directory …`
#[derive(Debug, Clone, Subcommand)]
pub enum DirectoryCommand {
    /// Fill the directory cache with every person of the site, so that search is instant and
    /// works offline. Resumes an interrupted sync (Ctrl-C, a failure) where it stopped.
    Sync(SyncArgs),
}

/// Options of `confdir directory sync`.
#[derive(Debug, Clone, Args)]
pub struct SyncArgs {
    /// Start over instead of resuming an interrupted sync.
    #[arg(long)]
    pub restart: bool,
    /// Print the summary as JSON (progress still goes to stderr).
    #[arg(long)]
    pub json: bool,
    /// The most people the site's user search returns (Confluence Cloud: 10,000); reaching it
    /// sends the sync through the site's groups. Hidden: for servers that cap lower (tests).
    #[arg(long, hide = true, default_value_t = crate::directory_sync::SEARCH_DEPTH)]
    pub search_depth: u64,
}
