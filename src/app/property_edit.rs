//! Writing user properties from the Profile pane (`e` edit, `n` new, `d` delete): the state of
//! the edit under way, and the pure helpers around the editor's buffer.
//!
//! The buffer is the value pretty-printed, under a few `#` comment lines (what is edited, how to
//! cancel, and after a bad save why it was refused), as git writes a commit message. Comment
//! lines are dropped before the rest is parsed: JSON has no comments, and no line of valid JSON
//! starts with `#` (a string cannot hold a raw line break), so nothing of the value is lost.
//!
//! Facts from the contract (`confluence-user-api.yml`, `/user/{userId}/property/{key}`): the key
//! matches `^[-_a-zA-Z0-9]+$`; the value is a JSON object (`UserPropertyCreate` /
//! `UserPropertyUpdate`: `value` only, no version: user properties have no optimistic locking);
//! an empty value is refused with 400; POST answers 409 when the key exists; PUT answers 204
//! without a body and never creates.

use super::request::RequestId;
use crate::api::model::UserProperty;
use crate::sanitize::clean;
use serde_json::Value;
use tui_input::Input;

/// The longest key the key box accepts. The contract says only that a key that is "too long" is
/// refused with 400; 255 is the limit Atlassian documents for the same kind of key on Jira's
/// user-property API (`propertyKey`: "The maximum length is 255 characters"), and the demo
/// server's (`demo/server/property.rs`).
pub const PROPERTY_KEY_MAX: usize = 255;

/// Which property, of whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropTarget {
    /// The account the property belongs to.
    pub account_id: String,
    /// The property's key.
    pub key: String,
    /// The person's name, for messages.
    pub name: String,
}

/// Where an edit is.
#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    /// Reading the value from the site before opening the editor.
    Reading,
    /// The editor has (or is about to get) the buffer.
    Editing,
    /// The new value is on its way to the site.
    Writing,
    /// The delete is on its way to the site.
    Deleting,
}

/// The one property write under way (an edit, a creation or a delete).
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// Its request id: the answers and the editor's outcome carry it.
    pub id: RequestId,
    /// Which property.
    pub target: PropTarget,
    /// A new key (`n`, created with POST) rather than an existing one (PUT).
    pub new: bool,
    /// The value as the site had it when the editor first opened (`None` for a new key).
    pub original: Option<Value>,
    /// Where it is.
    pub stage: Stage,
    /// The value sent, once it is on its way (kept for [`Unsent`] if the site refuses it).
    pub sent: Option<Value>,
}

/// A value the site refused (or that got no answer), kept so that the next `e` (or `n` with the
/// same key) opens the editor on it again instead of losing the user's work.
#[derive(Debug, Clone, PartialEq)]
pub struct Unsent {
    /// Which property.
    pub target: PropTarget,
    /// Whether it was to be created.
    pub new: bool,
    /// The site's value when the edit began (`None` for a new key).
    pub original: Option<Value>,
    /// The value that was not stored.
    pub value: Value,
    /// Why, as the error log has it.
    pub why: String,
}

/// Text for the event loop to hand to the external editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditorJob {
    /// The edit's request id, carried back by the outcome.
    pub id: RequestId,
    /// The buffer's whole contents.
    pub text: String,
}

/// How the external editor ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditorOutcome {
    /// It exited with status 0: the file as it was left.
    Saved(String),
    /// It could not be started, failed (non-zero exit) or was killed: why, as a sentence.
    Failed(String),
}

/// A property request for the worker.
#[derive(Debug, Clone, PartialEq)]
pub enum PropertyOp {
    /// Read the value (before editing).
    Read,
    /// Create the key with this value (POST), then read it back.
    Create(Value),
    /// Replace the value (PUT), then read it back.
    Update(Value),
    /// Delete the key.
    Delete,
}

/// What the site answered to a [`PropertyOp`]. (One answer at a time, moved into `update`: the
/// property is not worth boxing.)
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum PropertyAnswer {
    /// The property as the site has it (read, or written and read back).
    Value(UserProperty),
    /// Written, but reading it back failed: why.
    WrittenUnread(String),
    /// Deleted.
    Deleted,
}

/// The Profile pane's property writing: the key box, the delete question, the editor to open and
/// the write under way.
#[derive(Debug, Default)]
pub struct PropEditState {
    /// The "new property key" box, while open.
    pub key_input: Option<Input>,
    /// The property a `y` would delete, while the question is asked.
    pub confirm_delete: Option<PropTarget>,
    /// The editor the event loop is to open next (taken by it).
    pub editor: Option<EditorJob>,
    /// The write under way, if any.
    pub session: Option<Session>,
    /// The last value the site did not store, for the next edit of its property.
    pub unsent: Option<Unsent>,
}

/// Why a typed key cannot be used, or `None` when it can.
pub fn key_problem(key: &str) -> Option<String> {
    if key.is_empty() {
        return Some("Type a key for the new property (letters, digits, - and _)".into());
    }
    if !crate::api::valid_property_key(key) {
        return Some(format!(
            "`{}` is not a valid property key: use letters, digits, - and _ only",
            crate::sanitize::cap(key, 60)
        ));
    }
    if key.chars().count() > PROPERTY_KEY_MAX {
        return Some(format!(
            "A property key has at most {PROPERTY_KEY_MAX} characters (this one has {})",
            key.chars().count()
        ));
    }
    None
}

/// The comment lines heading a buffer: `error` (when the last save was refused) first, then what
/// is edited and how to cancel.
fn header(target: &PropTarget, new: bool, error: Option<(&str, &str)>) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some((error, then)) = error {
        for (i, line) in error.lines().enumerate() {
            let lead = if i == 0 { "ERROR: " } else { "       " };
            lines.push(format!("# {lead}{}", clean(line)));
        }
        lines.push(format!("# {then}"));
        lines.push("#".into());
    }
    let what = if new { "New property" } else { "Property" };
    lines.push(format!(
        "# {what} `{}` of {} ({}).",
        target.key,
        clean(&target.name),
        clean(&target.account_id)
    ));
    lines.push("# The value must be a JSON object. Lines starting with # are ignored.".into());
    lines.push(
        "# To cancel, save an empty or unchanged file, or quit with an error (:cq in vim).".into(),
    );
    lines
}

/// The buffer for `value` (pretty-printed; `{}` for a new key), headed by the comments.
pub fn buffer(target: &PropTarget, new: bool, value: Option<&Value>) -> String {
    let body = match value {
        Some(value) => serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string()),
        None => "{}".to_string(),
    };
    let mut text = header(target, new, None).join("\n");
    text.push('\n');
    text.push_str(&body);
    text.push('\n');
    text
}

/// The buffer for a value the site did not store: why on top, then the value, to retry.
pub fn buffer_unsent(unsent: &Unsent) -> String {
    let why = format!("not saved: {}", unsent.why);
    let then = "This is the value you wrote. Save to send it again, or empty the file to drop it.";
    let mut text = header(&unsent.target, unsent.new, Some((&why, then))).join("\n");
    text.push('\n');
    text.push_str(
        &serde_json::to_string_pretty(&unsent.value).unwrap_or_else(|_| unsent.value.to_string()),
    );
    text.push('\n');
    text
}

/// The buffer again after a refused save: the error on top, then the user's text as they left
/// it (less the old comments). A position in `error` is given in lines of this new buffer.
fn reopened(target: &PropTarget, new: bool, body: &str, error: &ParseError) -> String {
    const THEN: &str = "Nothing was sent. Fix the value below and save again.";
    let mut message = error.message.clone();
    let mut lines = header(target, new, Some((&message, THEN)));
    if let Some((line, column)) = error.at {
        // The body starts below the header; say where the fault is in the file as reopened.
        let at = line + lines.len();
        message = format!("{message} (line {at}, column {column})");
        lines = header(target, new, Some((&message, THEN)));
    }
    let mut text = lines.join("\n");
    text.push('\n');
    text.push_str(body);
    if !body.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// Why a body is refused, and where (line and column within the body).
#[derive(Debug, Clone, PartialEq, Eq)]
struct ParseError {
    message: String,
    at: Option<(usize, usize)>,
}

/// The file without its comment lines.
pub fn strip_comments(text: &str) -> String {
    let mut body = String::new();
    for line in text.lines() {
        if !line.trim_start().starts_with('#') {
            body.push_str(line);
            body.push('\n');
        }
    }
    body
}

/// What a saved buffer means.
#[derive(Debug, Clone, PartialEq)]
pub enum Saved {
    /// Nothing to send: why (empty, unchanged), for the status line.
    Cancelled(String),
    /// Refused: the buffer to open again, with the reason on top.
    Reopen(String),
    /// The value to send.
    Send(Value),
}

/// Reads what the editor left: an empty file or the value unchanged cancels; text that is not a
/// non-empty JSON object reopens the editor with the reason; anything else is sent.
pub fn read_saved(session: &Session, text: &str) -> Saved {
    let body = strip_comments(text);
    let key = &session.target.key;
    if body.trim().is_empty() {
        return Saved::Cancelled(format!("Empty file: `{key}` was left as it is"));
    }
    let parsed = match serde_json::from_str::<Value>(&body) {
        Ok(value) => value,
        Err(e) => {
            let error = ParseError {
                message: format!("not valid JSON: {}", json_reason(&e)),
                at: Some((e.line(), e.column())),
            };
            return Saved::Reopen(reopened(&session.target, session.new, &body, &error));
        }
    };
    let unchanged = match &session.original {
        Some(original) => *original == parsed,
        None => parsed == Value::Object(serde_json::Map::new()),
    };
    if unchanged {
        return Saved::Cancelled(format!("No change: `{key}` was left as it is"));
    }
    let refusal = match &parsed {
        Value::Object(map) if map.is_empty() => Some(
            "an empty object cannot be stored (Confluence refuses an empty value); \
             to remove the property, cancel and press d",
        ),
        Value::Object(_) => None,
        Value::Array(_) => Some("the value must be a JSON object {…}, not an array"),
        Value::String(_) => Some("the value must be a JSON object {…}, not a string"),
        Value::Number(_) => Some("the value must be a JSON object {…}, not a number"),
        Value::Bool(_) => Some("the value must be a JSON object {…}, not true or false"),
        Value::Null => Some("the value must be a JSON object {…}, not null"),
    };
    match refusal {
        Some(message) => {
            let error = ParseError {
                message: message.to_string(),
                at: None,
            };
            Saved::Reopen(reopened(&session.target, session.new, &body, &error))
        }
        None => Saved::Send(parsed),
    }
}

/// serde_json's message without its own " at line L column C" (the caller says where, in lines
/// of the reopened file).
fn json_reason(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn session(original: Option<Value>) -> Session {
        Session {
            id: RequestId(1),
            target: PropTarget {
                account_id: "acc-1".into(),
                key: "team".into(),
                name: "Ada\u{1b}[31m Lovelace".into(),
            },
            new: original.is_none(),
            original,
            stage: Stage::Editing,
            sent: None,
        }
    }

    #[test]
    fn the_buffer_is_commented_and_parses_back_to_its_value() {
        let s = session(Some(json!({"team": "core", "n": [1, 2]})));
        let text = buffer(&s.target, false, s.original.as_ref());
        assert!(text.starts_with("# Property `team` of Ada\u{FFFD}[31m Lovelace (acc-1)."));
        assert!(!text.contains('\u{1b}'), "names are cleaned: {text:?}");
        // Saved as it was: nothing to send.
        assert_eq!(
            read_saved(&s, &text),
            Saved::Cancelled("No change: `team` was left as it is".into())
        );
        let edited = text.replace("\"core\"", "\"platform\"");
        assert_eq!(
            read_saved(&s, &edited),
            Saved::Send(json!({"team": "platform", "n": [1, 2]}))
        );
    }

    #[test]
    fn bad_json_reopens_with_the_error_on_top_pointing_at_the_line() {
        let s = session(Some(json!({"a": 1})));
        let text = "# old comment\n{\n  \"a\": 1,\n  \"b\" 2\n}\n";
        let Saved::Reopen(again) = read_saved(&s, text) else {
            panic!("reopens");
        };
        assert!(
            again.starts_with("# ERROR: not valid JSON: expected `:`"),
            "{again}"
        );
        assert!(!again.contains("old comment"), "{again}");
        // The error names the line of the reopened file where `"b" 2` is.
        let line = again.lines().position(|l| l.contains("\"b\" 2")).unwrap() + 1;
        assert!(again.contains(&format!("(line {line}, column")), "{again}");
        // Fixing the line in the reopened buffer sends it.
        let fixed = again.replace("\"b\" 2", "\"b\": 2");
        assert_eq!(read_saved(&s, &fixed), Saved::Send(json!({"a": 1, "b": 2})));
    }

    #[test]
    fn non_objects_and_empty_objects_reopen_and_empty_files_cancel() {
        let s = session(Some(json!({"a": 1})));
        for (text, why) in [
            ("[1]", "not an array"),
            ("\"x\"", "not a string"),
            ("{}", "an empty object cannot be stored"),
        ] {
            let Saved::Reopen(again) = read_saved(&s, text) else {
                panic!("{text} reopens");
            };
            assert!(again.contains(why), "{again}");
        }
        assert!(matches!(
            read_saved(&s, "# only comments\n\n"),
            Saved::Cancelled(m) if m.starts_with("Empty file")
        ));
        // A new key's template saved as it is creates nothing.
        let new = session(None);
        let text = buffer(&new.target, true, None);
        assert!(text.contains("# New property `team`"));
        assert!(
            matches!(read_saved(&new, &text), Saved::Cancelled(m) if m.starts_with("No change"))
        );
    }

    #[test]
    fn keys_are_checked_as_the_api_requires() {
        assert_eq!(key_problem("team-1_x"), None);
        assert!(key_problem("").is_some());
        assert!(key_problem("a b")
            .unwrap()
            .contains("not a valid property key"));
        assert!(key_problem(&"k".repeat(256))
            .unwrap()
            .contains("at most 255"));
        assert_eq!(key_problem(&"k".repeat(255)), None);
    }
}
