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
//! `@` on a group's members (administrators only, checked before anything is sent) fetches
//! every member page and then their addresses, 100 a request, with progress in the status line;
//! Esc stops it. The rows (members the site gave no address for kept, marked hidden) then open
//! the export prompt, and `X` and `C` on that members list take them until it is left.
//!
//! A list with more pages on the server (search results, a group's members) is loaded whole
//! first, as `G` does, and the prompt opens once the last page is in: a demanding user expects
//! the whole list. Any key stops that (Esc says so); a page that fails stops it too, and the
//! prompt then opens on the rows loaded, counted as "first 200 of 1543 loaded". The watch list's
//! spaces are exported as loaded, with the same note.

use super::{fail, log_error, track};
use crate::api::email::{email_api_refusal, is_administrator, MemberEmail, NOT_ADMINISTRATOR};
use crate::api::ApiError;
use crate::app::action::Intent;
use crate::app::command::Command;
use crate::app::export::{
    email_rows, focused_rows, tsv_text, with_format, ExportFailure, ExportFormat, ExportPrompt,
    ListRows, COPY_MAX_BYTES,
};
use crate::app::lists::view_key;
use crate::app::request::{RequestId, Slot};
use crate::app::state::{Focus, GroupView, Mode, State};
use crate::sanitize::clean;
use tui_input::{Input, InputRequest};

/// The longest path the prompt takes (a path, not a paste of a file).
const PATH_MAX: usize = 4096;

/// Keys the export takes before the panes do: every key while the prompt is open, and Esc while
/// `@` fetches (it stops the fetch). Any other intent is handed back.
pub(super) fn intercept(
    state: &mut State,
    intent: Intent,
    cmds: &mut Vec<Command>,
) -> Option<Intent> {
    if state.export.prompt.is_some() {
        prompt_intent(state, intent, cmds);
        return None;
    }
    if state.export.load_all {
        // Any key stops the walk to the end (update has already let go of it).
        state.export.load_all = false;
        state.notice = Some("Export stopped: not every page was loaded".into());
        if matches!(intent, Intent::Back | Intent::Cancel) {
            return None;
        }
    }
    let fetching = state.pending.contains_key(&Slot::GroupEmails);
    if fetching && matches!(intent, Intent::Back | Intent::Cancel) {
        state.pending.remove(&Slot::GroupEmails);
        state.export.emails_for = None;
        cmds.push(Command::Abort {
            slot: Slot::GroupEmails,
        });
        state.notice = Some("Stopped fetching the email addresses".into());
        return None;
    }
    Some(intent)
}

/// `X`: opens the path prompt for the focused list's rows, once every page is loaded.
pub(super) fn start(state: &mut State, cmds: &mut Vec<Command>) {
    let Some(rows) = focused_rows(state) else {
        state.notice =
            Some("No list to export here: X works in Search, Groups and Watch list".into());
        return;
    };
    if rows.more.is_some() && matches!(state.focus, Focus::Search | Focus::Groups) {
        super::navigation::handle_intent(state, Intent::Bottom, cmds);
        state.seek_end = super::seeking_end(state);
        if state.seek_end.is_some() {
            state.export.load_all = true;
            state.notice = Some(format!(
                "Loading every page before exporting: {} {} so far… (Esc stops)",
                rows.loaded, rows.noun
            ));
            return;
        }
    }
    open_prompt(state, rows);
}

/// A page arrived: once the walk to the end is over (the last page, or a page that `failed`),
/// the prompt opens on every row loaded.
pub(super) fn after_page(state: &mut State, failed: bool) {
    if !state.export.load_all {
        return;
    }
    if failed {
        // The walk would go on retrying the page; the export takes what is loaded instead.
        state.seek_end = None;
    }
    if state.seek_end.is_some() {
        // Counted, not built: the rows are made once, when the walk is over.
        let (loaded, noun) = match state.groups.last() {
            Some(GroupView::Members { members, .. }) if state.focus == Focus::Groups => {
                (members.len(), "members")
            }
            _ => (state.search.rows.len(), "people"),
        };
        state.notice = Some(format!(
            "Loading every page before exporting: {loaded} {noun} so far… (Esc stops)"
        ));
        return;
    }
    state.export.load_all = false;
    if let Some(rows) = focused_rows(state) {
        open_prompt(state, rows);
    }
}

/// Opens the path prompt for `rows`, unless there are none.
fn open_prompt(state: &mut State, rows: ListRows) {
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
fn prompt_intent(state: &mut State, intent: Intent, cmds: &mut Vec<Command>) {
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

/// `@`: fetches the email addresses of the shown group's members, for an administrator.
pub(super) fn group_emails(state: &mut State, cmds: &mut Vec<Command>) {
    let Some(view @ GroupView::Members { group, .. }) = state.groups.last() else {
        state.notice =
            Some("@ fetches the email addresses of a group's members: open a group first".into());
        return;
    };
    match state.me.loaded() {
        Some(me) if is_administrator(me) => {}
        Some(_) => {
            state.notice = Some(format!("{NOT_ADMINISTRATOR}."));
            return;
        }
        None => {
            state.notice = Some("Who you are is not known yet: try again in a moment".into());
            return;
        }
    }
    let key = view_key(view);
    let (group_id, name) = (group.id.clone(), group.name.clone());
    let id = track(state, Slot::GroupEmails);
    state.notice = Some(format!(
        "Fetching the email addresses of {}'s members… (Esc stops)",
        clean(&name)
    ));
    state.export.emails_for = Some((key, name));
    cmds.push(Command::FetchGroupEmails { id, group_id });
}

/// How far `@` has come, in the status line.
pub(super) fn emails_progress(state: &mut State, id: RequestId, members: usize, asked: usize) {
    if state.pending.get(&Slot::GroupEmails) != Some(&id) {
        return;
    }
    state.notice = Some(if asked == 0 {
        format!("Email addresses: reading the members, {members} so far… (Esc stops)")
    } else {
        format!("Email addresses: {asked} of {members} members asked… (Esc stops)")
    });
}

/// `@`'s answer: the rows open the export prompt (and stay the members list's rows for `X` and
/// `C`); a site without the email API, or another failure, is said and logged.
pub(super) fn emails_loaded(state: &mut State, result: Result<Vec<MemberEmail>, ApiError>) {
    let Some((key, name)) = state.export.emails_for.take() else {
        return;
    };
    match result {
        Ok(emails) => {
            let rows = email_rows(&name, &emails);
            state.export.emails = Some((key, rows.clone()));
            open_prompt(state, rows);
        }
        Err(e) => match email_api_refusal(&e) {
            Some(sentence) => log_error(state, sentence),
            None => fail(state, &e),
        },
    }
}
