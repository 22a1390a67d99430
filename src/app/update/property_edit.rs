//! The Profile pane's property writes: `e` edits the highlighted value in the external editor,
//! `n` asks for a key and then opens the editor on `{}`, `d` deletes after a y/n question.
//!
//! One write at a time. Nothing is shown that the site does not have: the pane keeps the old
//! value until the site has answered, and then shows the value the site answers when read back
//! (PUT answers 204 without a body), never the text the user typed. A failure (409, 403, 404,
//! no answer …) leaves the pane as it was and puts the error in the log and the message line.

use super::{inline, log_error};
use crate::api::model::UserProperty;
use crate::api::ApiError;
use crate::app::command::Command;
use crate::app::property_edit::{
    buffer, buffer_unsent, key_problem, read_saved, EditorJob, EditorOutcome, PropTarget,
    PropertyAnswer, PropertyOp, Saved, Session, Stage, Unsent,
};
use crate::app::request::{Loadable, RequestId, Slot};
use crate::app::state::{Focus, Mode, State};
use tui_input::Input;

/// The person shown in the profile, by name (or account id while the name is unknown).
fn shown_name(state: &State, account_id: &str) -> String {
    state
        .profile
        .user
        .loaded()
        .map(|u| u.name().to_string())
        .or_else(|| {
            state
                .directory
                .user(account_id)
                .map(|u| u.name().to_string())
        })
        .unwrap_or_else(|| account_id.to_string())
}

/// The highlighted property of the shown person.
fn highlighted(state: &State) -> Option<PropTarget> {
    let account_id = state.profile.account_id.clone()?;
    let key = state
        .profile
        .props
        .loaded()?
        .get(state.profile.prop_list.selected)?
        .clone();
    Some(PropTarget {
        name: shown_name(state, &account_id),
        account_id,
        key,
    })
}

/// Another write is still under way: say so and do nothing (true).
fn busy(state: &mut State) -> bool {
    let Some(session) = &state.prop_edit.session else {
        return false;
    };
    state.notice = Some(format!(
        "Still busy with `{}` of {}: wait for it to finish",
        session.target.key, session.target.name
    ));
    true
}

/// `e`: reads the highlighted property from the site (so the editor opens on what the site has
/// now), then opens the editor.
pub(super) fn start_edit(state: &mut State, cmds: &mut Vec<Command>) {
    if busy(state) {
        return;
    }
    let Some(target) = highlighted(state) else {
        state.notice = Some("No property highlighted: n creates one".into());
        return;
    };
    if reopen_unsent(state, &target) {
        return;
    }
    let notice = format!("Reading `{}`…", target.key);
    begin(
        state,
        cmds,
        target,
        PropertyOp::Read,
        Stage::Reading,
        notice,
    );
}

/// Sends the first request of an edit of an existing key (its read, or its delete) and opens
/// the session that its answer belongs to.
fn begin(
    state: &mut State,
    cmds: &mut Vec<Command>,
    target: PropTarget,
    op: PropertyOp,
    stage: Stage,
    notice: String,
) {
    let id = state.next_id();
    state.pending_free.insert(id);
    cmds.push(Command::Property {
        id,
        account_id: target.account_id.clone(),
        key: target.key.clone(),
        op,
    });
    state.notice = Some(notice);
    state.prop_edit.session = Some(Session {
        id,
        target,
        new: false,
        original: None,
        stage,
        sent: None,
    });
}

/// `n`: opens the key box (once a person is shown).
pub(super) fn start_new(state: &mut State) {
    if busy(state) {
        return;
    }
    if state.profile.account_id.is_none() {
        state.notice = Some("Open a person first".into());
        return;
    }
    state.prop_edit.key_input = Some(Input::default());
    state.focus = Focus::Profile;
    state.mode = Mode::Editing;
}

/// Enter in the key box: a key the API accepts, and not one the person already has, opens the
/// editor on `{}`; another keeps the box open with the reason in the message line.
pub(super) fn submit_key(state: &mut State) {
    let key = state
        .prop_edit
        .key_input
        .as_ref()
        .map(|i| i.value().trim().to_string())
        .unwrap_or_default();
    if let Some(problem) = key_problem(&key) {
        state.notice = Some(problem);
        return;
    }
    let Some(account_id) = state.profile.account_id.clone() else {
        cancel_key(state);
        return;
    };
    state.prop_edit.key_input = None;
    state.mode = Mode::Normal;
    let name = shown_name(state, &account_id);
    if let Some(at) = state
        .profile
        .props
        .loaded()
        .and_then(|keys| keys.iter().position(|k| *k == key))
    {
        let len = state.profile.props.loaded().map_or(0, Vec::len);
        state.profile.prop_list.select(at, len, state.heights.props);
        state.notice = Some(format!(
            "{name} already has `{key}`: e edits it (highlighted)"
        ));
        return;
    }
    let target = PropTarget {
        account_id,
        key,
        name,
    };
    if reopen_unsent(state, &target) {
        return;
    }
    let id = state.next_id();
    state.prop_edit.editor = Some(EditorJob {
        id,
        text: buffer(&target, true, None),
    });
    state.prop_edit.session = Some(Session {
        id,
        target,
        new: true,
        original: None,
        stage: Stage::Editing,
        sent: None,
    });
}

/// The value the site did not store last time, for this property: the editor opens on it again
/// (no read first: the user's text is what they want back). True when it did.
fn reopen_unsent(state: &mut State, target: &PropTarget) -> bool {
    let Some(unsent) = state
        .prop_edit
        .unsent
        .take_if(|u| u.target.account_id == target.account_id && u.target.key == target.key)
    else {
        return false;
    };
    let id = state.next_id();
    state.prop_edit.editor = Some(EditorJob {
        id,
        text: buffer_unsent(&unsent),
    });
    state.prop_edit.session = Some(Session {
        id,
        target: unsent.target,
        new: unsent.new,
        original: unsent.original,
        stage: Stage::Editing,
        sent: None,
    });
    true
}

/// Esc in the key box.
pub(super) fn cancel_key(state: &mut State) {
    state.prop_edit.key_input = None;
    state.mode = Mode::Normal;
}

/// `d` / Delete: asks whether to delete the highlighted property, naming it and its person.
pub(super) fn ask_delete(state: &mut State) {
    if busy(state) {
        return;
    }
    let Some(target) = highlighted(state) else {
        state.notice = Some("No property highlighted".into());
        return;
    };
    // The question must be seen: an older error in the message line makes way (the log keeps it).
    state.last_error = None;
    state.notice = Some(format!(
        "Delete property `{}` of {}? y / n",
        target.key, target.name
    ));
    state.prop_edit.confirm_delete = Some(target);
}

/// `y` / `n` to the delete question.
pub(super) fn confirm_delete(state: &mut State, yes: bool, cmds: &mut Vec<Command>) {
    let Some(target) = state.prop_edit.confirm_delete.take() else {
        return;
    };
    if !yes {
        state.notice = Some(format!("Kept `{}`", target.key));
        return;
    }
    let notice = format!("Deleting `{}`…", target.key);
    begin(
        state,
        cmds,
        target,
        PropertyOp::Delete,
        Stage::Deleting,
        notice,
    );
}

/// The editor ended: a non-zero exit or an empty or unchanged file sends nothing; a value that
/// is not a non-empty JSON object reopens the editor with the reason on top; anything else is
/// sent.
pub(super) fn edited(
    state: &mut State,
    id: RequestId,
    outcome: EditorOutcome,
    cmds: &mut Vec<Command>,
) {
    let Some(session) = state
        .prop_edit
        .session
        .as_ref()
        .filter(|s| s.id == id && s.stage == Stage::Editing)
        .cloned()
    else {
        return;
    };
    let key = session.target.key.clone();
    let text = match outcome {
        EditorOutcome::Saved(text) => text,
        EditorOutcome::Failed(why) => {
            state.prop_edit.session = None;
            log_error(state, format!("{why}; `{key}` is as it was"));
            return;
        }
    };
    match read_saved(&session, &text) {
        Saved::Cancelled(why) => {
            state.prop_edit.session = None;
            state.notice = Some(why);
        }
        Saved::Reopen(text) => state.prop_edit.editor = Some(EditorJob { id, text }),
        Saved::Send(value) => {
            state.pending_free.insert(id);
            let op = if session.new {
                PropertyOp::Create(value.clone())
            } else {
                PropertyOp::Update(value.clone())
            };
            cmds.push(Command::Property {
                id,
                account_id: session.target.account_id.clone(),
                key: key.clone(),
                op,
            });
            state.notice = Some(format!("Saving `{key}`…"));
            if let Some(s) = &mut state.prop_edit.session {
                s.stage = Stage::Writing;
                s.sent = Some(value);
            }
        }
    }
}

/// The site answered a read, a write or a delete.
pub(super) fn done(state: &mut State, id: RequestId, result: Result<PropertyAnswer, ApiError>) {
    state.pending_free.remove(&id);
    let Some(session) = state
        .prop_edit
        .session
        .take_if(|s| s.id == id && s.stage != Stage::Editing)
    else {
        return;
    };
    let target = &session.target;
    let (key, name) = (&target.key, &target.name);
    match (session.stage.clone(), result) {
        (Stage::Reading, Ok(PropertyAnswer::Value(prop))) => {
            state.notice = None;
            let text = buffer(target, false, Some(&prop.value));
            state.prop_edit.editor = Some(EditorJob { id, text });
            state.prop_edit.session = Some(Session {
                original: Some(prop.value.clone()),
                stage: Stage::Editing,
                ..session.clone()
            });
            show_value(state, target, &prop);
        }
        (Stage::Reading, Err(e)) => {
            log_error(state, format!("Could not read `{key}` of {name}: {e}"));
        }
        (Stage::Writing, Ok(PropertyAnswer::Value(prop))) => {
            state.prop_edit.unsent = None;
            state.notice = Some(format!(
                "Saved `{key}` of {name}: showing the value the site answered"
            ));
            show_value(state, target, &prop);
        }
        (Stage::Writing, Ok(PropertyAnswer::WrittenUnread(why))) => {
            state.prop_edit.unsent = None;
            log_error(
                state,
                format!("Saved `{key}` of {name}, but reading it back failed: {why}"),
            );
            forget_value(state, target);
            ensure_key(state, target);
        }
        (Stage::Writing, Err(e)) => {
            let why = match e.status() {
                Some(409) => format!(
                    "{name} already has a property `{key}` (created meanwhile?): nothing was \
                     changed; r reloads the keys"
                ),
                Some(403) => format!(
                    "Not allowed to change {name}'s properties (only they or an administrator \
                     may): {e}"
                ),
                _ => format!("Could not save `{key}` of {name}: {e}"),
            };
            if let Some(value) = session.sent.clone() {
                state.prop_edit.unsent = Some(Unsent {
                    target: target.clone(),
                    new: session.new,
                    original: session.original.clone(),
                    value,
                    why: why.clone(),
                });
            }
            let reopen = if session.new { "n" } else { "e" };
            log_error(
                state,
                format!("{why} (your value is kept: {reopen} on `{key}` opens it again)"),
            );
        }
        (Stage::Deleting, Ok(_)) => {
            state.notice = Some(format!("Deleted `{key}` of {name}"));
            forget_value(state, target);
            remove_key(state, target);
        }
        (Stage::Deleting, Err(e)) => {
            log_error(state, format!("Could not delete `{key}` of {name}: {e}"));
        }
        // An answer that does not fit the stage (a read answered with a delete…) cannot come.
        _ => {}
    }
}

/// The site's value of `target`, in the pane: its key listed and highlighted, its value opened
/// and beside its key on a wide screen.
fn show_value(state: &mut State, target: &PropTarget, prop: &UserProperty) {
    if !ensure_key(state, target) {
        return;
    }
    // An older read of a value on its way would overwrite this one: dropped (an inline value
    // is asked for again).
    state.pending.remove(&Slot::Property);
    state.profile.inline_req = None;
    let pretty =
        serde_json::to_string_pretty(&prop.value).unwrap_or_else(|_| prop.value.to_string());
    state.profile.open_prop = Some((target.key.clone(), Loadable::Loaded(pretty)));
    state.profile.inline.insert(
        (target.account_id.clone(), target.key.clone()),
        inline::one_line(&prop.value),
    );
}

/// `target`'s key in the list of the shown person, highlighted (added where it sorts, when the
/// site just created it); false when the pane shows someone else now.
fn ensure_key(state: &mut State, target: &PropTarget) -> bool {
    if state.profile.account_id.as_deref() != Some(target.account_id.as_str()) {
        return false;
    }
    if let Loadable::Loaded(keys) = &mut state.profile.props {
        let at = match keys.iter().position(|k| *k == target.key) {
            Some(at) => at,
            None => {
                let at = keys.partition_point(|k| *k < target.key);
                keys.insert(at, target.key.clone());
                at
            }
        };
        let len = keys.len();
        state.profile.prop_list.select(at, len, state.heights.props);
    }
    true
}

/// What the pane showed of `target`'s value no longer holds: an opened value closes, an inline
/// one is asked for again.
fn forget_value(state: &mut State, target: &PropTarget) {
    if state.profile.account_id.as_deref() != Some(target.account_id.as_str()) {
        return;
    }
    state
        .profile
        .inline
        .remove(&(target.account_id.clone(), target.key.clone()));
    if state
        .profile
        .open_prop
        .as_ref()
        .is_some_and(|(k, _)| *k == target.key)
    {
        state.pending.remove(&Slot::Property);
        state.profile.inline_req = None;
        state.profile.open_prop = None;
    }
}

/// A deleted key leaves the list.
fn remove_key(state: &mut State, target: &PropTarget) {
    if state.profile.account_id.as_deref() != Some(target.account_id.as_str()) {
        return;
    }
    if let Loadable::Loaded(keys) = &mut state.profile.props {
        keys.retain(|k| *k != target.key);
        let len = keys.len();
        state.profile.prop_list.clamp(len, state.heights.props);
    }
}
