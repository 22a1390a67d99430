//! Writing an export (`X`) to its file, off the event loop: the one file job of an export.
//!
//! The path is the one typed, relative to the current directory, with a leading `~/` meaning the
//! home directory (as a shell would read it). An existing file is left alone unless the user
//! said to overwrite it (the update asks, on [`ExportFailure::Exists`]); the write itself is
//! [`crate::files::write_atomic`], so a reader never sees half a file and a failed write leaves
//! the old one whole.
//!
//! It also runs `@`'s fetch of a group's email addresses, which reports its progress on the way.

use crate::api::Client;
use crate::app::action::{Done, Loaded};
use crate::app::export::ExportFailure;
use crate::app::{Action, RequestId};
use std::path::PathBuf;
use tokio::sync::mpsc::UnboundedSender;

/// The file `typed` names: `~/…` under the home directory, anything else as it is.
pub fn export_target(typed: &str) -> PathBuf {
    let typed = typed.trim();
    if let Some(rest) = typed.strip_prefix("~/") {
        if let Some(dirs) = directories::BaseDirs::new() {
            return dirs.home_dir().join(rest);
        }
    }
    PathBuf::from(typed)
}

/// Writes `text` to the file `path` names, unless it exists and `overwrite` is false.
pub async fn write_export(path: String, text: String, overwrite: bool) -> Action {
    let target = export_target(&path);
    let result = tokio::task::spawn_blocking(move || {
        if target.is_dir() {
            return Err(ExportFailure::Io("it is a directory".into()));
        }
        if !overwrite && target.exists() {
            return Err(ExportFailure::Exists);
        }
        crate::files::write_atomic(&target, text.as_bytes(), false)
            .map_err(|e| ExportFailure::Io(e.to_string()))
    })
    .await
    .unwrap_or_else(|e| Err(ExportFailure::Io(e.to_string())));
    Done::Exported { path, result }.into()
}

/// `@`: every member page of the group, then the bulk email endpoint 100 ids at a time, with
/// progress sent along the way (members read, addresses asked for); ends in
/// `Loaded::GroupEmails`. Aborting the task (Esc) stops it between requests.
pub async fn fetch_group_emails(
    client: Client,
    id: RequestId,
    group_id: String,
    progress: UnboundedSender<Action>,
) -> Action {
    let say = |members: usize, asked: usize| {
        let _ = progress.send(Done::GroupEmailsProgress { id, members, asked }.into());
    };
    let result = client.group_emails(&group_id, say).await;
    Loaded::GroupEmails { id, result }.into()
}
