//! Property writes from the Profile pane: edit (read, editor, write, read back), a refused save
//! reopening the editor, cancelling, creating (key checked before anything is sent), deleting
//! after y/n, and failures (409, 403, 500) that leave the pane as the site has it.

use super::*;
use crate::api::model::UserProperty;
use crate::app::keymap::key_intent;
use crate::app::property_edit::{EditorOutcome, PropertyAnswer, PropertyOp, Stage};
use crate::app::state::ActiveInput;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use pretty_assertions::assert_eq;
use serde_json::{json, Value};

/// Alice's profile with `keys`, loaded, the Profile pane focused.
fn alice_with(keys: &[&str]) -> State {
    let mut s = state();
    let cmds = open_profile(&mut s, "alice", "Alice Liddell");
    let kid = prop_keys_id(&cmds);
    update(
        &mut s,
        Loaded::PropertyKeys {
            id: kid,
            result: Ok(keys.iter().map(|k| k.to_string()).collect()),
        },
    );
    update(&mut s, Intent::FocusPane(Focus::Profile));
    s
}

fn prop(key: &str, value: Value) -> UserProperty {
    UserProperty {
        key: key.into(),
        value,
        id: "1".into(),
        ..UserProperty::default()
    }
}

/// The one property command in `cmds`.
fn property_cmd(cmds: &[Command]) -> (RequestId, String, String, PropertyOp) {
    match cmds
        .iter()
        .filter_map(|c| match c {
            Command::Property {
                id,
                account_id,
                key,
                op,
            } => Some((*id, account_id.clone(), key.clone(), op.clone())),
            _ => None,
        })
        .collect::<Vec<_>>()
        .as_slice()
    {
        [one] => one.clone(),
        other => panic!("one property command expected: {other:?}"),
    }
}

fn no_property_cmd(cmds: &[Command]) {
    assert!(
        !cmds.iter().any(|c| matches!(c, Command::Property { .. })),
        "nothing may be sent: {cmds:?}"
    );
}

fn opened(s: &State) -> Option<(String, String)> {
    match &s.profile.open_prop {
        Some((key, Loadable::Loaded(text))) => Some((key.clone(), text.clone())),
        _ => None,
    }
}

/// `e` on `team` (the second key), answered with `value`: the editor is asked for; its job.
fn edit_team(s: &mut State, value: Value) -> (RequestId, String) {
    update(s, Intent::Down);
    let cmds = update(s, Intent::EditProperty);
    let (id, account, key, op) = property_cmd(&cmds);
    assert_eq!(
        (account.as_str(), key.as_str(), op),
        ("alice", "team", PropertyOp::Read)
    );
    assert!(
        s.prop_edit.editor.is_none(),
        "the editor waits for the value"
    );
    update(
        s,
        Done::PropertyDone {
            id,
            result: Ok(PropertyAnswer::Value(prop("team", value))),
        },
    );
    let job = s.prop_edit.editor.take().expect("the editor is asked for");
    assert_eq!(job.id, id);
    (id, job.text)
}

fn saved(s: &mut State, id: RequestId, text: &str) -> Vec<Command> {
    update(
        s,
        Done::Edited {
            id,
            outcome: EditorOutcome::Saved(text.to_string()),
        },
    )
}

#[test]
fn an_edit_sends_the_new_value_and_shows_what_the_site_answers() {
    let mut s = alice_with(&["pronouns", "team"]);
    let (id, text) = edit_team(&mut s, json!({"name": "core"}));
    assert!(
        text.contains("# Property `team` of Alice Liddell (alice)."),
        "{text}"
    );
    assert!(text.contains("\"name\": \"core\""), "{text}");
    let cmds = saved(&mut s, id, &text.replace("core", "platform"));
    let (wid, _, key, op) = property_cmd(&cmds);
    assert_eq!(
        (wid, key.as_str(), op),
        (id, "team", PropertyOp::Update(json!({"name": "platform"})))
    );
    // Until the site answers, the pane shows what the site has.
    assert_eq!(
        opened(&s),
        Some(("team".into(), "{\n  \"name\": \"core\"\n}".into()))
    );
    assert_eq!(s.prop_edit.session.as_ref().unwrap().stage, Stage::Writing);
    assert!(s.in_flight() > 0, "the spinner runs while saving");
    // The site's answer (read back after the PUT) is shown, not the text typed.
    update(
        &mut s,
        Done::PropertyDone {
            id,
            result: Ok(PropertyAnswer::Value(prop(
                "team",
                json!({"name": "platform", "since": 2024}),
            ))),
        },
    );
    let (key, shown) = opened(&s).unwrap();
    assert_eq!(key, "team");
    assert!(shown.contains("\"since\": 2024"), "{shown}");
    assert!(s.notice.as_deref().unwrap().starts_with("Saved `team`"));
    assert!(s.prop_edit.session.is_none());
    assert_eq!(s.last_error, None);
}

#[test]
fn invalid_json_reopens_the_editor_with_the_error_and_sends_nothing() {
    let mut s = alice_with(&["pronouns", "team"]);
    let (id, text) = edit_team(&mut s, json!({"name": "core"}));
    let broken = text.replace("\"core\"", "\"core\",");
    let cmds = saved(&mut s, id, &broken);
    no_property_cmd(&cmds);
    let again = s.prop_edit.editor.take().expect("reopened");
    assert!(
        again.text.starts_with("# ERROR: not valid JSON"),
        "{}",
        again.text
    );
    assert!(again.text.contains("\"core\","), "the user's text is kept");
    // Not an object: reopened too.
    let cmds = saved(&mut s, id, "[\"core\"]");
    no_property_cmd(&cmds);
    assert!(s
        .prop_edit
        .editor
        .take()
        .unwrap()
        .text
        .contains("not an array"));
    // Fixed: sent.
    let cmds = saved(&mut s, id, &again.text.replace("\"core\",", "\"edge\""));
    assert_eq!(
        property_cmd(&cmds).3,
        PropertyOp::Update(json!({"name": "edge"}))
    );
}

#[test]
fn an_unchanged_or_empty_file_or_a_failed_editor_cancels() {
    let mut s = alice_with(&["pronouns", "team"]);
    let (id, text) = edit_team(&mut s, json!({"name": "core"}));
    let cmds = saved(&mut s, id, &text);
    no_property_cmd(&cmds);
    assert_eq!(
        s.notice.as_deref(),
        Some("No change: `team` was left as it is")
    );
    assert!(s.prop_edit.session.is_none() && s.prop_edit.editor.is_none());

    update(&mut s, Intent::Up);
    let (id, _) = edit_team(&mut s, json!({"name": "core"}));
    let cmds = saved(&mut s, id, "# all comments\n\n");
    no_property_cmd(&cmds);
    assert!(s.notice.as_deref().unwrap().starts_with("Empty file"));

    update(&mut s, Intent::Up);
    let (id, _) = edit_team(&mut s, json!({"name": "core"}));
    let cmds = update(
        &mut s,
        Done::Edited {
            id,
            outcome: EditorOutcome::Failed(
                "The editor `vim` exited with status 1: nothing was sent".into(),
            ),
        },
    );
    no_property_cmd(&cmds);
    let error = s.last_error.clone().unwrap();
    assert!(error.contains("exited with status 1"), "{error}");
    assert!(s.errors.iter().any(|e| e.message == error));
    assert!(s.prop_edit.session.is_none());
}

#[test]
fn a_new_key_is_checked_before_anything_is_sent() {
    let mut s = alice_with(&["pronouns", "team"]);
    update(&mut s, Intent::NewProperty);
    assert_eq!(s.mode, Mode::Editing);
    assert_eq!(s.active_input(), ActiveInput::PropertyKey);
    type_text(&mut s, "my key");
    let cmds = update(&mut s, Intent::Submit);
    no_property_cmd(&cmds);
    assert!(s.prop_edit.editor.is_none());
    assert!(s
        .notice
        .as_deref()
        .unwrap()
        .contains("not a valid property key"));
    // The box stays open with the text, to be fixed.
    assert_eq!(s.prop_edit.key_input.as_ref().unwrap().value(), "my key");
    update(&mut s, Intent::Edit(InputRequest::DeleteLine));
    type_text(&mut s, &"k".repeat(256));
    update(&mut s, Intent::Submit);
    assert!(s.notice.as_deref().unwrap().contains("at most 255"));
    assert!(s.prop_edit.editor.is_none());

    // A key she has already: highlighted, not created.
    update(&mut s, Intent::Edit(InputRequest::DeleteLine));
    type_text(&mut s, "team");
    let cmds = update(&mut s, Intent::Submit);
    no_property_cmd(&cmds);
    assert!(s.prop_edit.editor.is_none());
    assert_eq!(s.profile.prop_list.selected, 1);
    assert_eq!(s.mode, Mode::Normal);

    // A good key: the editor opens on `{}`, and the value is created.
    update(&mut s, Intent::NewProperty);
    type_text(&mut s, "desk");
    update(&mut s, Intent::Submit);
    assert_eq!(s.mode, Mode::Normal);
    let job = s.prop_edit.editor.take().expect("editor");
    assert!(job.text.contains("# New property `desk`"), "{}", job.text);
    assert!(job.text.ends_with("{}\n"));
    let cmds = saved(&mut s, job.id, &job.text.replace("{}", "{\"floor\": 3}"));
    let (id, _, key, op) = property_cmd(&cmds);
    assert_eq!(
        (key.as_str(), op),
        ("desk", PropertyOp::Create(json!({"floor": 3})))
    );
    update(
        &mut s,
        Done::PropertyDone {
            id,
            result: Ok(PropertyAnswer::Value(prop("desk", json!({"floor": 3})))),
        },
    );
    assert_eq!(
        s.profile.props.loaded().unwrap(),
        &vec!["desk".to_string(), "pronouns".into(), "team".into()]
    );
    assert_eq!(s.profile.prop_list.selected, 0);
    assert_eq!(opened(&s).unwrap().0, "desk");
}

#[test]
fn esc_in_the_key_box_creates_nothing() {
    let mut s = alice_with(&["team"]);
    update(&mut s, Intent::NewProperty);
    type_text(&mut s, "desk");
    let cmds = update(&mut s, Intent::Cancel);
    no_property_cmd(&cmds);
    assert!(s.prop_edit.key_input.is_none() && s.prop_edit.editor.is_none());
    assert_eq!(s.mode, Mode::Normal);
}

#[test]
fn a_conflict_on_create_leaves_the_pane_as_the_site_has_it() {
    let mut s = alice_with(&["pronouns", "team"]);
    update(&mut s, Intent::NewProperty);
    type_text(&mut s, "desk");
    update(&mut s, Intent::Submit);
    let job = s.prop_edit.editor.take().unwrap();
    let cmds = saved(&mut s, job.id, "{\"floor\": 3}");
    let (id, ..) = property_cmd(&cmds);
    update(
        &mut s,
        Done::PropertyDone {
            id,
            result: Err(ApiError::Conflict {
                endpoint: "POST /user/{id}/property/{key}".into(),
                message: "A property with key desk already exists for this user.".into(),
            }),
        },
    );
    assert_eq!(
        s.profile.props.loaded().unwrap(),
        &vec!["pronouns".to_string(), "team".into()]
    );
    assert_eq!(opened(&s), None);
    let error = s.last_error.clone().unwrap();
    assert!(
        error.contains("already has a property `desk` (created meanwhile?)"),
        "{error}"
    );
    assert_eq!(s.errors.last().unwrap().message, error);
    assert!(s.prop_edit.session.is_none());
    assert!(!s.pending_free.contains(&id), "the spinner stops");
}

#[test]
fn a_failed_update_keeps_the_old_value_shown() {
    for (error, says) in [
        (
            ApiError::Forbidden {
                endpoint: "PUT /user/{id}/property/{key}".into(),
                message: "Only the user or a Confluence administrator can change it.".into(),
            },
            "Not allowed to change Alice Liddell's properties",
        ),
        (
            ApiError::Server {
                endpoint: "PUT /user/{id}/property/{key}".into(),
                status: 500,
                message: String::new(),
            },
            "Could not save `team` of Alice Liddell",
        ),
    ] {
        let mut s = alice_with(&["pronouns", "team"]);
        let (id, text) = edit_team(&mut s, json!({"name": "core"}));
        let cmds = saved(&mut s, id, &text.replace("core", "platform"));
        property_cmd(&cmds);
        update(
            &mut s,
            Done::PropertyDone {
                id,
                result: Err(error),
            },
        );
        assert_eq!(
            opened(&s),
            Some(("team".into(), "{\n  \"name\": \"core\"\n}".into())),
            "the value the site still has"
        );
        let shown = s.last_error.clone().unwrap();
        assert!(shown.contains(says), "{shown}");
        assert!(s.prop_edit.session.is_none());
    }
}

#[test]
fn delete_asks_first_and_removes_the_key_once_the_site_has() {
    let mut s = alice_with(&["pronouns", "team"]);
    update(&mut s, Intent::Down);
    let cmds = update(&mut s, Intent::DeleteProperty);
    no_property_cmd(&cmds);
    assert_eq!(
        s.notice.as_deref(),
        Some("Delete property `team` of Alice Liddell? y / n")
    );
    // `y` and `n` answer the question; Delete asks it too.
    let key = |c| KeyEvent::new(c, KeyModifiers::NONE);
    assert_eq!(
        key_intent(&s, &key(KeyCode::Char('y'))),
        Some(Intent::ConfirmPropertyDelete(true))
    );
    assert_eq!(
        key_intent(&s, &key(KeyCode::Char('n'))),
        Some(Intent::ConfirmPropertyDelete(false))
    );
    let cmds = update(&mut s, Intent::ConfirmPropertyDelete(false));
    no_property_cmd(&cmds);
    assert_eq!(s.notice.as_deref(), Some("Kept `team`"));
    assert_eq!(s.profile.props.loaded().unwrap().len(), 2);

    // Any other key drops the question.
    assert_eq!(
        key_intent(&s, &key(KeyCode::Delete)),
        Some(Intent::DeleteProperty)
    );
    update(&mut s, Intent::DeleteProperty);
    update(&mut s, Intent::Up);
    assert!(s.prop_edit.confirm_delete.is_none());
    let cmds = update(&mut s, Intent::ConfirmPropertyDelete(true));
    no_property_cmd(&cmds);

    update(&mut s, Intent::Down);
    update(&mut s, Intent::DeleteProperty);
    let cmds = update(&mut s, Intent::ConfirmPropertyDelete(true));
    let (id, account, key, op) = property_cmd(&cmds);
    assert_eq!(
        (account.as_str(), key.as_str(), op),
        ("alice", "team", PropertyOp::Delete)
    );
    // Still listed until the site has deleted it.
    assert_eq!(s.profile.props.loaded().unwrap().len(), 2);
    update(
        &mut s,
        Done::PropertyDone {
            id,
            result: Ok(PropertyAnswer::Deleted),
        },
    );
    assert_eq!(
        s.profile.props.loaded().unwrap(),
        &vec!["pronouns".to_string()]
    );
    assert_eq!(s.profile.prop_list.selected, 0);
    assert_eq!(s.notice.as_deref(), Some("Deleted `team` of Alice Liddell"));
}

#[test]
fn a_failed_delete_keeps_the_key() {
    let mut s = alice_with(&["team"]);
    update(&mut s, Intent::DeleteProperty);
    let cmds = update(&mut s, Intent::ConfirmPropertyDelete(true));
    let (id, ..) = property_cmd(&cmds);
    update(
        &mut s,
        Done::PropertyDone {
            id,
            result: Err(ApiError::Forbidden {
                endpoint: "DELETE /user/{id}/property/{key}".into(),
                message: String::new(),
            }),
        },
    );
    assert_eq!(s.profile.props.loaded().unwrap(), &vec!["team".to_string()]);
    assert!(s
        .last_error
        .as_deref()
        .unwrap()
        .starts_with("Could not delete `team` of Alice Liddell"));
}

#[test]
fn one_write_at_a_time_and_keys_only_in_the_profile_pane() {
    let mut s = alice_with(&["pronouns", "team"]);
    let cmds = update(&mut s, Intent::EditProperty);
    property_cmd(&cmds);
    let cmds = update(&mut s, Intent::EditProperty);
    no_property_cmd(&cmds);
    assert!(s
        .notice
        .as_deref()
        .unwrap()
        .starts_with("Still busy with `pronouns`"));
    let key = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
    assert_eq!(key_intent(&s, &key('e')), Some(Intent::EditProperty));
    assert_eq!(key_intent(&s, &key('n')), Some(Intent::NewProperty));
    assert_eq!(key_intent(&s, &key('d')), Some(Intent::DeleteProperty));
    update(&mut s, Intent::FocusPane(Focus::Groups));
    assert_ne!(key_intent(&s, &key('e')), Some(Intent::EditProperty));
}

#[test]
fn an_answer_after_moving_to_someone_else_does_not_touch_their_pane() {
    let mut s = alice_with(&["team"]);
    let (id, text) = {
        let cmds = update(&mut s, Intent::EditProperty);
        let (id, ..) = property_cmd(&cmds);
        update(
            &mut s,
            Done::PropertyDone {
                id,
                result: Ok(PropertyAnswer::Value(prop("team", json!({"a": 1})))),
            },
        );
        (id, s.prop_edit.editor.take().unwrap().text)
    };
    saved(&mut s, id, &text.replace('1', "2"));
    // Bob is opened while the write is on its way.
    let cmds = open_profile(&mut s, "bob", "Bob");
    update(
        &mut s,
        Loaded::PropertyKeys {
            id: prop_keys_id(&cmds),
            result: Ok(vec!["team".into()]),
        },
    );
    update(
        &mut s,
        Done::PropertyDone {
            id,
            result: Ok(PropertyAnswer::Value(prop("team", json!({"a": 2})))),
        },
    );
    assert_eq!(s.profile_id(), Some("bob"));
    assert_eq!(opened(&s), None, "Alice's value is not shown as Bob's");
    assert!(s
        .notice
        .as_deref()
        .unwrap()
        .starts_with("Saved `team` of Alice"));
}

#[test]
fn a_value_the_site_refused_is_kept_and_the_next_e_opens_it_again() {
    let mut s = alice_with(&["pronouns", "team"]);
    let (id, text) = edit_team(&mut s, json!({"name": "core"}));
    saved(&mut s, id, &text.replace("core", "platform"));
    update(
        &mut s,
        Done::PropertyDone {
            id,
            result: Err(ApiError::Server {
                endpoint: "PUT /user/{id}/property/{key}".into(),
                status: 503,
                message: String::new(),
            }),
        },
    );
    let error = s.last_error.clone().unwrap();
    assert!(
        error.ends_with("(your value is kept: e on `team` opens it again)"),
        "{error}"
    );
    // `e` again: the editor opens on the value typed, with why it was not saved; no read.
    let cmds = update(&mut s, Intent::EditProperty);
    no_property_cmd(&cmds);
    let job = s.prop_edit.editor.take().expect("the editor opens at once");
    assert!(job.text.starts_with("# ERROR: not saved: "), "{}", job.text);
    assert!(job.text.contains("\"name\": \"platform\""), "{}", job.text);
    // Saved as it is: sent again.
    let cmds = saved(&mut s, job.id, &job.text);
    assert_eq!(
        property_cmd(&cmds).3,
        PropertyOp::Update(json!({"name": "platform"}))
    );
    // Only once: after that, `e` reads the site again.
    assert!(s.prop_edit.unsent.is_none());
}

#[test]
fn leaving_the_pane_closes_the_key_box() {
    let mut s = alice_with(&["team"]);
    update(&mut s, Intent::NewProperty);
    type_text(&mut s, "desk");
    update(&mut s, Intent::FocusNext);
    assert!(s.prop_edit.key_input.is_none());
    update(&mut s, Intent::FocusPane(Focus::Profile));
    assert_eq!(s.mode, Mode::Normal);
    assert_ne!(s.active_input(), ActiveInput::PropertyKey);
}
