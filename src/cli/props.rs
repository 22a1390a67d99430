//! `confdir props …`: user properties, read and written.

use super::{DirectoryArgs, JsonArgs, ListFormatArgs};
use clap::{Args, Subcommand};

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
