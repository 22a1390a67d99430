//! The external editor (`$VISUAL`, else `$EDITOR`, else `vi`, as git picks one) on a private
//! temporary file, with the terminal handed over to it and taken back afterwards; and the
//! terminal's key stream, which lets go of the terminal while the editor owns it.
//!
//! The terminal is handed over as for Ctrl-Z ([`terminal::hand_over`]): raw mode, the alternate
//! screen, bracketed paste and the mouse are undone while the editor runs and restored after it;
//! the event loop then clears and redraws every cell. While the editor runs nothing in confdir
//! reads the terminal: crossterm's [`EventStream`] keeps a thread waiting on the terminal for the
//! next key, which would take the editor's first keys, so the stream is dropped first (its thread
//! stops) and made anew when the loop next asks for a key ([`TerminalKeys`]). Requests already
//! under way go on meanwhile; their answers wait in the loop's channel.

use crate::app::action::Done;
use crate::app::property_edit::EditorOutcome;
use crate::app::{Action, State};
use crate::runtime::event_loop::Effects;
use crate::runtime::terminal;
use crate::sanitize::clean;
use crossterm::event::{Event, EventStream};
use futures::{Stream, StreamExt};
use std::ffi::OsString;
use std::io::Write;
use std::path::Path;
use std::pin::Pin;
use std::process::{Command, ExitStatus};
use std::sync::{Mutex, PoisonError};
use std::task::{Context, Poll};

/// The editor git would pick, less git's own settings: `$VISUAL`, else `$EDITOR`, else `vi`
/// (an empty variable counts as unset).
pub fn editor_from(visual: Option<OsString>, editor: Option<OsString>) -> String {
    [visual, editor]
        .into_iter()
        .flatten()
        .map(|v| v.to_string_lossy().trim().to_string())
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| "vi".to_string())
}

/// The editor of this process's environment.
pub fn editor() -> String {
    editor_from(std::env::var_os("VISUAL"), std::env::var_os("EDITOR"))
}

/// The characters for which git runs an editor setting through the shell (`prepare_shell_cmd` in
/// git's run-command.c): with any of them (a space included: `code --wait`), the setting is a
/// shell command and the file is passed as `"$@"`; without, it is a program's name.
const SHELL_META: &str = "|&;<>()$`\\\"' \t\n*?[#~=%";

/// The process that edits `path` with `editor`, split as git splits it.
pub fn process(editor: &str, path: &Path) -> Command {
    if editor.contains(|c| SHELL_META.contains(c)) {
        #[cfg(unix)]
        {
            let mut command = Command::new("sh");
            command
                .arg("-c")
                .arg(format!("{editor} \"$@\""))
                .arg(editor)
                .arg(path);
            return command;
        }
        #[cfg(not(unix))]
        {
            let mut words = editor.split_whitespace();
            let mut command = Command::new(words.next().unwrap_or("notepad"));
            command.args(words).arg(path);
            return command;
        }
    }
    let mut command = Command::new(editor);
    command.arg(path);
    command
}

/// Why an editor that exited with `status` produced nothing to use (`None`: it succeeded).
fn exit_problem(editor: &str, status: ExitStatus) -> Option<String> {
    if status.success() {
        return None;
    }
    let editor = clean(editor);
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return Some(format!(
                "The editor `{editor}` was stopped by signal {signal}: nothing was sent"
            ));
        }
    }
    Some(match status.code() {
        // The shell's answers for a command it could not run.
        Some(127) => format!(
            "Could not start the editor `{editor}`: no such command (set $VISUAL or $EDITOR)"
        ),
        Some(126) => format!(
            "Could not start the editor `{editor}`: not executable (set $VISUAL or $EDITOR)"
        ),
        Some(code) => {
            format!("The editor `{editor}` exited with status {code}: nothing was sent")
        }
        None => format!("The editor `{editor}` failed: nothing was sent"),
    })
}

/// Writes `text` to a new private file (mode 0600, an unpredictable name in the temporary
/// directory, removed afterwards), runs `editor` on it and waits, and reads back what it saved.
/// Does not touch the terminal: see [`run`].
pub fn edit_file(editor: &str, text: &str) -> EditorOutcome {
    let file = tempfile::Builder::new()
        .prefix("confdir-property-")
        .suffix(".json")
        .tempfile()
        .and_then(|mut file| {
            file.write_all(text.as_bytes())?;
            file.flush()?;
            Ok(file)
        });
    let file = match file {
        Ok(file) => file,
        Err(e) => {
            return EditorOutcome::Failed(format!(
                "Could not write a temporary file for the editor: {e}"
            ))
        }
    };
    let status = match process(editor, file.path()).status() {
        Ok(status) => status,
        Err(e) => {
            let why = if e.kind() == std::io::ErrorKind::NotFound {
                "no such program (set $VISUAL or $EDITOR)".to_string()
            } else {
                e.to_string()
            };
            return EditorOutcome::Failed(format!(
                "Could not start the editor `{}`: {why}",
                clean(editor)
            ));
        }
    };
    if let Some(problem) = exit_problem(editor, status) {
        return EditorOutcome::Failed(problem);
    }
    // By path: an editor may have saved by writing a new file over the old name.
    match std::fs::read(file.path()) {
        Ok(bytes) => EditorOutcome::Saved(String::from_utf8_lossy(&bytes).into_owned()),
        Err(e) => EditorOutcome::Failed(format!("Could not read back the edited file: {e}")),
    }
}

/// The editor `update` asked for (`state.prop_edit.editor`), if any: the terminal goes to it
/// until it exits (no key is read meanwhile; tasks go on), then the whole screen is drawn again
/// as after a suspend (both buffers blank, so every cell of the next frame is written). Returns
/// the outcome, for `update`.
pub fn take_turn<B>(
    term: &mut ratatui::Terminal<B>,
    state: &mut State,
    effects: &mut dyn Effects,
) -> Result<Option<Action>, B::Error>
where
    B: ratatui::backend::Backend,
{
    let Some(job) = state.prop_edit.editor.take() else {
        return Ok(None);
    };
    let outcome = effects.edit(&job.text, state.mouse);
    super::terminal::draw_all_again(term)?;
    state.dirty = true;
    Ok(Some(
        Done::Edited {
            id: job.id,
            outcome,
        }
        .into(),
    ))
}

/// Hands the terminal to the user's editor on `text` and takes it back (with the mouse when
/// `mouse`); the caller redraws the whole screen afterwards.
pub fn run(text: &str, mouse: bool) -> EditorOutcome {
    let editor = editor();
    let_go_of_keys();
    match terminal::hand_over(mouse, || edit_file(&editor, text)) {
        Ok(outcome) => outcome,
        Err(e) => EditorOutcome::Failed(format!("Could not take the terminal back: {e}")),
    }
}

/// The key stream [`TerminalKeys`] polls: made on first use, dropped by [`let_go_of_keys`].
static KEYS: Mutex<Option<EventStream>> = Mutex::new(None);

/// The terminal's events, as crossterm's [`EventStream`], which [`run`] can stop reading while
/// the editor has the terminal. Dropped, it stops reading the terminal too (as an `EventStream`
/// does), so whatever reads keys next (the sign-in failure screen, a next site) gets them all.
#[derive(Debug, Default)]
pub struct TerminalKeys;

impl Drop for TerminalKeys {
    fn drop(&mut self) {
        let_go_of_keys();
    }
}

impl Stream for TerminalKeys {
    type Item = std::io::Result<Event>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let mut keys = KEYS.lock().unwrap_or_else(PoisonError::into_inner);
        keys.get_or_insert_with(EventStream::new)
            .poll_next_unpin(cx)
    }
}

/// Stops reading the terminal: dropping the stream tells its thread to stop and wakes it from
/// its wait on the terminal, and a thread about to wait finds the wake-up pending and stops too.
/// (Nothing here may poll crossterm's reader meanwhile: a poll would take that wake-up, and the
/// thread would then wait on the terminal, and read, the editor's keys.)
fn let_go_of_keys() {
    let stream = KEYS.lock().unwrap_or_else(PoisonError::into_inner).take();
    drop(stream);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_editor_is_visual_then_editor_then_vi() {
        let os = |s: &str| Some(OsString::from(s));
        assert_eq!(editor_from(os("nano"), os("vim")), "nano");
        assert_eq!(editor_from(os(""), os("vim")), "vim");
        assert_eq!(editor_from(None, os("  ")), "vi");
        assert_eq!(editor_from(None, None), "vi");
    }

    #[cfg(unix)]
    #[test]
    fn an_editor_with_arguments_runs_through_the_shell_as_git_does() {
        let path = Path::new("/tmp/x y.json");
        let plain = process("vim", path);
        assert_eq!(plain.get_program(), "vim");
        assert_eq!(plain.get_args().collect::<Vec<_>>(), vec![path.as_os_str()]);
        let code = process("code --wait", path);
        assert_eq!(code.get_program(), "sh");
        let args: Vec<_> = code.get_args().collect();
        assert_eq!(args[1], "code --wait \"$@\"");
        assert_eq!(args[3], path.as_os_str());
    }

    #[cfg(unix)]
    #[test]
    fn the_file_is_private_and_read_back_after_the_editor() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let seen = dir.path().join("seen");
        // The "editor" keeps a copy of the file as it was given (mode included), then replaces
        // its contents.
        let editor = format!(
            "f() {{ cp -p \"$1\" '{}'; printf '{{\"a\": 2}}' > \"$1\"; }}; f",
            seen.display()
        );
        let outcome = edit_file(&editor, "{\"a\": 1}\n");
        assert_eq!(outcome, EditorOutcome::Saved("{\"a\": 2}".into()));
        assert_eq!(std::fs::read_to_string(&seen).unwrap(), "{\"a\": 1}\n");
        let mode = std::fs::metadata(&seen).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }

    #[cfg(unix)]
    #[test]
    fn an_editor_that_fails_or_is_missing_says_so() {
        let EditorOutcome::Failed(why) = edit_file("exit 3;", "{}") else {
            panic!("fails");
        };
        assert!(why.contains("exited with status 3"), "{why}");
        let EditorOutcome::Failed(why) = edit_file("confdir-no-such-editor", "{}") else {
            panic!("fails");
        };
        assert!(why.starts_with("Could not start the editor"), "{why}");
        let EditorOutcome::Failed(why) = edit_file("confdir-no-such-editor --wait", "{}") else {
            panic!("fails");
        };
        assert!(why.contains("no such command"), "{why}");
    }
}
