//! `/user/{accountId}/property` and `/user/{accountId}/property/{key}`: user properties, listed,
//! read, created, replaced and deleted, mirroring `api/property.rs`.
//!
//! It owns the contract's checks (valid and not too long keys, a non-empty JSON object of bounded
//! size as the value, only the user or an administrator may write) and the answers' shapes; the
//! properties themselves live in the store.

use super::{
    clip, ok_json, page_of, timestamp, to_json, window, Answer, AppState, Ctx, Fail, Shared,
};
use crate::api::model::{Links, PropertyKey, UserProperty};
use crate::api::valid_property_key;
use crate::demo::store::{StoredProperty, WriteOutcome};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde_json::Value;

/// Longest property key accepted.
const PROPERTY_KEY_MAX: usize = 255;
/// Largest property value accepted (bytes of JSON).
const PROPERTY_VALUE_MAX: usize = 32_768;

fn property_owner(shared: &Shared, user_id: &str) -> Result<u32, Fail> {
    shared.dir().user_index(user_id).ok_or_else(|| {
        Fail::not_found(format!(
            "No user with account id {} can be found.",
            clip(user_id)
        ))
    })
}

fn property_json(
    shared: &Shared,
    user_id: &str,
    key: &str,
    p: &StoredProperty,
) -> Result<Value, Fail> {
    to_json(&UserProperty {
        key: key.to_string(),
        value: p.value.clone(),
        id: p.id.clone(),
        last_modified_date: Some(timestamp(p.modified)),
        created_date: Some(timestamp(p.created)),
        links: Links {
            self_link: Some(format!(
                "{}/rest/api/user/{user_id}/property/{key}",
                shared.base
            )),
            ..Links::default()
        },
    })
}

pub(super) async fn list_properties(
    State(shared): State<AppState>,
    Path(user_id): Path<String>,
    ctx: Ctx,
) -> Answer {
    let owner = property_owner(&shared, &user_id)?;
    let (start, limit) = ctx.paging(5, 25)?;
    let keys: Vec<String> = shared.store.properties(owner).into_keys().collect();
    let results = keys[window(keys.len(), start, limit)]
        .iter()
        .map(|k| to_json(&PropertyKey { key: k.clone() }))
        .collect::<Result<Vec<_>, _>>()?;
    ok_json(to_json(&page_of(
        &shared,
        &ctx,
        results,
        start,
        limit,
        keys.len(),
    ))?)
}

fn check_key(key: &str) -> Result<(), Fail> {
    if !valid_property_key(key) {
        return Err(Fail::bad(format!(
            "The property key `{}` is not valid: use letters, digits, `-` and `_`.",
            key.chars().take(60).collect::<String>()
        )));
    }
    if key.len() > PROPERTY_KEY_MAX {
        return Err(Fail::bad(format!(
            "The property key is too long (more than {PROPERTY_KEY_MAX} characters)."
        )));
    }
    Ok(())
}

/// The `value` of a create/update body: a non-empty JSON object, nothing else in the body.
fn property_value(body: &Bytes) -> Result<Value, Fail> {
    if body.len() > PROPERTY_VALUE_MAX + 64 {
        return Err(Fail::bad("The property value is too long."));
    }
    let parsed: Value = serde_json::from_slice(body)
        .map_err(|e| Fail::bad(format!("The request body is not valid JSON: {e}")))?;
    let Value::Object(mut map) = parsed else {
        return Err(Fail::bad(
            "The request body must be an object with a `value`.",
        ));
    };
    let value = map
        .remove("value")
        .ok_or_else(|| Fail::bad("The request body must have a `value`."))?;
    if let Some(extra) = map.keys().next() {
        return Err(Fail::bad(format!(
            "Unrecognized field \"{}\" in the request body.",
            extra.chars().take(60).collect::<String>()
        )));
    }
    match &value {
        Value::Object(m) if m.is_empty() => Err(Fail::bad("The property value must not be empty.")),
        Value::Object(_) => {
            if value.to_string().len() > PROPERTY_VALUE_MAX {
                Err(Fail::bad("The property value is too long."))
            } else {
                Ok(value)
            }
        }
        _ => Err(Fail::bad("The property value must be a JSON object.")),
    }
}

pub(super) async fn get_property(
    State(shared): State<AppState>,
    Path((user_id, key)): Path<(String, String)>,
    _ctx: Ctx,
) -> Answer {
    check_key(&key)?;
    let owner = property_owner(&shared, &user_id)?;
    let p = shared
        .store
        .property(owner, &key)
        .ok_or_else(|| Fail::not_found(format!("Property with key {key} not found.")))?;
    ok_json(property_json(&shared, &user_id, &key, &p)?)
}

async fn write_property(
    shared: AppState,
    ctx: Ctx,
    user_id: String,
    key: String,
    body: Option<Bytes>,
    create: bool,
) -> Answer {
    check_key(&key)?;
    let owner = property_owner(&shared, &user_id)?;
    if owner != ctx.user && !ctx.admin {
        return Err(Fail::forbidden(
            "Only the user or a Confluence administrator can change a user's properties.",
        ));
    }
    let value = body.as_ref().map(property_value).transpose()?;
    let deleting = value.is_none();
    let now = chrono::Utc::now().timestamp();
    match shared
        .store
        .write_property(owner, &key, value, create, now)
        .await
    {
        WriteOutcome::Done if create => Ok(StatusCode::CREATED.into_response()),
        WriteOutcome::Done => Ok(StatusCode::NO_CONTENT.into_response()),
        WriteOutcome::Exists => Err(Fail::new(
            StatusCode::CONFLICT,
            format!("A property with key {key} already exists for this user."),
        )),
        WriteOutcome::Missing => Err(Fail::not_found(if deleting {
            format!("Property with key {key} not found.")
        } else {
            format!("Property with key {key} not found: create it with POST first.")
        })),
    }
}

pub(super) async fn create_property(
    State(shared): State<AppState>,
    Path((user_id, key)): Path<(String, String)>,
    ctx: Ctx,
    body: Bytes,
) -> Answer {
    write_property(shared, ctx, user_id, key, Some(body), true).await
}

pub(super) async fn update_property(
    State(shared): State<AppState>,
    Path((user_id, key)): Path<(String, String)>,
    ctx: Ctx,
    body: Bytes,
) -> Answer {
    write_property(shared, ctx, user_id, key, Some(body), false).await
}

pub(super) async fn delete_property(
    State(shared): State<AppState>,
    Path((user_id, key)): Path<(String, String)>,
    ctx: Ctx,
) -> Answer {
    write_property(shared, ctx, user_id, key, None, false).await
}
