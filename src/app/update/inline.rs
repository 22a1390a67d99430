//! Short property values beside their keys, on a screen wide enough for them
//! (`ListHeights::props_inline`): fetched one at a time, only for the keys on screen, through
//! the property slot (an Enter on a key takes it first), and kept only when the value reads as
//! a short line (`pronouns  she/her`, `team  Platform · Staff engineer`).

use super::track;
use crate::api::model::UserProperty;
use crate::api::ApiError;
use crate::app::command::Command;
use crate::app::request::{RequestId, Slot};
use crate::app::state::State;
use serde_json::Value;

/// The longest value shown in a line; a longer one is left to Enter.
pub const INLINE_MAX: usize = 60;

/// Asks for the first value on screen not known yet, unless the property slot is busy or the
/// screen is too narrow to show values.
pub(super) fn fetch(state: &mut State, cmds: &mut Vec<Command>) {
    if !state.heights.props_inline || state.pending.contains_key(&Slot::Property) {
        return;
    }
    let (Some(account_id), Some(keys)) = (
        state.profile.account_id.clone(),
        state.profile.props.loaded(),
    ) else {
        return;
    };
    let window = state
        .profile
        .prop_list
        .window(keys.len(), state.heights.props);
    let Some(key) = keys
        .get(window)
        .unwrap_or_default()
        .iter()
        .find(|k| {
            !state
                .profile
                .inline
                .contains_key(&(account_id.clone(), (*k).clone()))
        })
        .cloned()
    else {
        return;
    };
    let id = track(state, Slot::Property);
    state.profile.inline_req = Some((id, account_id.clone(), key.clone()));
    cmds.push(Command::FetchProperty {
        id,
        account_id,
        key,
    });
}

/// Whether the property answer `id` is an inline value's (not an opened property's).
pub(super) fn is_inline(state: &State, id: RequestId) -> bool {
    state
        .profile
        .inline_req
        .as_ref()
        .is_some_and(|(req, _, _)| *req == id)
}

/// An inline value arrived: kept as a line when it is short, else as "not inline". A failure
/// is not an error the user asked about: the key stays, Enter shows why.
pub(super) fn loaded(state: &mut State, result: Result<UserProperty, ApiError>) {
    let Some((_, account_id, key)) = state.profile.inline_req.take() else {
        return;
    };
    let line = result.ok().and_then(|p| one_line(&p.value));
    state.profile.inline.insert((account_id, key), line);
}

/// A value as one short line: a lone scalar field as itself (`{"value": "she/her"}` →
/// `she/her`), scalar fields joined by ` · `; `None` when nested or longer than
/// [`INLINE_MAX`].
pub fn one_line(value: &Value) -> Option<String> {
    let scalar = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    let parts: Option<Vec<String>> = match value {
        Value::Object(map) => map.values().map(scalar).collect(),
        other => scalar(other).map(|s| vec![s]),
    };
    let line = parts?.join(" · ");
    let line = crate::sanitize::clean(&line).into_owned();
    (!line.is_empty() && line.chars().count() <= INLINE_MAX).then_some(line)
}

#[cfg(test)]
mod tests {
    use super::one_line;
    use serde_json::json;

    #[test]
    fn only_short_flat_values_make_a_line() {
        assert_eq!(
            one_line(&json!({"value": "she/her"})).as_deref(),
            Some("she/her")
        );
        assert_eq!(
            one_line(&json!({"name": "Platform", "role": "Staff engineer"})).as_deref(),
            Some("Platform · Staff engineer")
        );
        assert_eq!(one_line(&json!({"days": ["mon", "tue"]})), None);
        assert_eq!(one_line(&json!({"note": "x".repeat(61)})), None);
    }
}
