//! Taking a list away: `X` exports the focused list to a file, `C` copies it to the clipboard.
//!
//! `X` takes the rows as the list shows them (filter and order; see `app::export`) and opens a
//! path prompt over the message line, prefilled with `./confdir-<list>.csv`. The extension picks
//! the format (`.json` is JSON, anything else CSV) and Tab switches it. Enter sends the file to
//! the worker; a file that exists comes back as a question (Enter or `y` overwrites, anything
//! else edits the path again), a failed write as an error with the prompt reopened on the same
//! path, so nothing typed is lost. Success says where and how many in the status line.
//!
//! `C` copies the same rows tab-separated (a spreadsheet pastes them into columns), refusing
//! past [`COPY_MAX_BYTES`] since terminals drop longer OSC 52 sequences; `X` is suggested instead.
//!
//! A list with more pages on the server is taken as loaded, and the count says so ("first 200
//! of 1543 loaded: G loads all"): decision, so that `X` never starts hundreds of requests
//! unasked; `G` already walks a list to its end.

use super::log_error;
use crate::app::action::Intent;
use crate::app::command::Command;
use crate::app::export::{
    focused_rows, tsv_text, with_format, ExportFailure, ExportFormat, ExportPrompt, COPY_MAX_BYTES,
};
use crate::app::state::{Focus, Mode, State};
use crate::sanitize::clean;
use tui_input::{Input, InputRequest};

/// The longest path the prompt takes (a path, not a paste of a file).
const PATH_MAX: usize = 4096;

/// `X`: opens the path prompt for the focused list's rows.
pub(super) fn start(state: &mut State) {
    let Some(rows) = focused_rows(state) else {
        state.notice =
            Some("No list to export here: X works in Search, Groups and Watch list".into());
        return;
    };
    if rows.rows.is_empty() {
        state.notice = Some(format!("No {} to export", rows.noun));
        return;
    }
    let path = rows.default_path(ExportFormat::Csv);
    state.export.prompt = Some(ExportPrompt {
        input: Input::new(path),
        rows,
        confirm_overwrite: false,
    });
    state.mode = Mode::Editing;
}

/// `C`: copies the focused list's rows, tab-separated, unless they are too many for OSC 52.
pub(super) fn copy(state: &mut State, cmds: &mut Vec<Command>) {
    let Some(rows) = focused_rows(state) else {
        state.notice =
            Some("No list to copy here: C works in Search, Groups and Watch list".into());
        return;
    };
    if rows.rows.is_empty() {
        state.notice = Some(format!("No {} to copy", rows.noun));
        return;
    }
    let text = tsv_text(&rows.header, &rows.rows);
    if text.len() > COPY_MAX_BYTES {
        state.notice = Some(format!(
            "{} are {} kB, more than a terminal's clipboard takes ({} kB by OSC 52): export them with X",
            rows.counted(),
            text.len().div_ceil(1000),
            COPY_MAX_BYTES / 1000
        ));
        return;
    }
    state.notice = Some(format!(
        "Copied {} to the clipboard (tab-separated)",
        rows.counted()
    ));
    cmds.push(Command::Copy { text });
}

/// A key while the prompt is open: it edits the path, switches the format, writes, or closes.
pub(super) fn prompt_intent(state: &mut State, intent: Intent, cmds: &mut Vec<Command>) {
    let Some(prompt) = state.export.prompt.as_mut() else {
        return;
    };
    if intent == Intent::Quit {
        state.quit = true;
        return;
    }
    if prompt.confirm_overwrite {
        match intent {
            Intent::Submit | Intent::Open | Intent::Edit(InputRequest::InsertChar('y' | 'Y')) => {
                write(state, true, cmds)
            }
            // Anything else: back to the path, to change it.
            _ => prompt.confirm_overwrite = false,
        }
        return;
    }
    match intent {
        Intent::Edit(request) => {
            let before = prompt.input.clone();
            prompt.input.handle(request);
            if prompt.input.value().chars().count() > PATH_MAX {
                prompt.input = before;
            }
        }
        Intent::Paste(text) => {
            let typed: String = text.chars().filter(|c| !c.is_control()).collect();
            let value = format!("{}{typed}", prompt.input.value());
            if value.chars().count() <= PATH_MAX {
                prompt.input = Input::new(value);
            }
        }
        Intent::FocusNext | Intent::FocusPrev => {
            let path = prompt.input.value().to_string();
            let format = ExportFormat::of_path(&path).other();
            prompt.input = Input::new(with_format(&path, format));
        }
        Intent::Submit | Intent::Open => write(state, false, cmds),
        Intent::Cancel | Intent::Back => {
            state.export.prompt = None;
            state.notice = Some("Export cancelled".into());
            leave_prompt(state);
        }
        _ => {}
    }
}

/// Sends the prompt's rows to the worker, in the format the path asks for.
fn write(state: &mut State, overwrite: bool, cmds: &mut Vec<Command>) {
    let Some(mut prompt) = state.export.prompt.take() else {
        return;
    };
    let path = prompt.input.value().trim().to_string();
    if path.is_empty() {
        prompt.confirm_overwrite = false;
        state.export.prompt = Some(prompt);
        state.notice = Some("Type a file name to export to".into());
        return;
    }
    let format = ExportFormat::of_path(&path);
    let text = format.encode(&prompt.rows.header, &prompt.rows.rows);
    prompt.confirm_overwrite = false;
    state.notice = Some(format!(
        "Writing {} to {}…",
        prompt.rows.counted(),
        clean(&path)
    ));
    cmds.push(Command::WriteExport {
        path: path.clone(),
        text,
        overwrite,
    });
    state.export.writing = Some((path, prompt));
    leave_prompt(state);
}

/// Back to the keys of the pane: the search box types, other panes take commands.
fn leave_prompt(state: &mut State) {
    state.mode = if state.focus == Focus::Search {
        Mode::Editing
    } else {
        Mode::Normal
    };
}

/// The worker wrote the file (or not): say where and how many, ask about an existing file, or
/// log the failure and reopen the prompt on the same path.
pub(super) fn exported(state: &mut State, path: String, result: Result<(), ExportFailure>) {
    let Some((asked, mut prompt)) = state.export.writing.take() else {
        return;
    };
    if asked != path {
        state.export.writing = Some((asked, prompt));
        return;
    }
    let shown = clean(&path).into_owned();
    match result {
        Ok(()) => {
            state.notice = Some(format!("Exported {} to {shown}", prompt.rows.counted()));
        }
        Err(ExportFailure::Exists) => {
            prompt.confirm_overwrite = true;
            state.export.prompt = Some(prompt);
            state.mode = Mode::Editing;
        }
        Err(ExportFailure::Io(why)) => {
            log_error(
                state,
                format!("Could not export to {shown}: {}", clean(&why)),
            );
            state.export.prompt = Some(prompt);
            state.mode = Mode::Editing;
        }
    }
}
