//! User properties: list keys, get, create, update, delete. Keys are checked against
//! `^[-_a-zA-Z0-9]+$` and values must be JSON objects; both are refused before sending.

use super::client::Client;
use super::error::ApiError;
use super::model::{PropertyKey, UserProperty, UserPropertyWrite};
use super::paging::{Paged, Paging};
use reqwest::Method;
use serde_json::Value;

/// The server's cap on `limit` for property lists.
pub const PROPERTY_LIST_MAX: u32 = 25;

/// Whether a property key is acceptable to Confluence.
pub fn valid_property_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn check_key(key: &str) -> Result<(), ApiError> {
    if valid_property_key(key) {
        Ok(())
    } else {
        Err(ApiError::InvalidInput(format!(
            "`{key}` is not a valid property key: use letters, digits, `-` and `_` only"
        )))
    }
}

fn body(value: &Value) -> Result<Value, ApiError> {
    match value {
        Value::Object(map) if !map.is_empty() => serde_json::to_value(UserPropertyWrite {
            value: value.clone(),
        })
        .map_err(|e| ApiError::InvalidInput(e.to_string())),
        Value::Object(_) => Err(ApiError::InvalidInput(
            "a property value must not be an empty object".into(),
        )),
        _ => Err(ApiError::InvalidInput(
            "a property value must be a JSON object, e.g. {\"team\": \"core\"}".into(),
        )),
    }
}

impl Client {
    /// `getUserProperties`: the property keys of a user. `limit` is capped at 25.
    pub fn user_properties(&self, user_id: &str, paging: Paging) -> Paged<PropertyKey> {
        let url = self.url(&["user", user_id, "property"]).map(|mut url| {
            url.query_pairs_mut()
                .append_pair("start", &paging.start.to_string())
                .append_pair(
                    "limit",
                    &paging.limit.clamp(1, PROPERTY_LIST_MAX).to_string(),
                );
            url
        });
        self.paged("GET /user/{id}/property", url)
    }

    /// `getUserProperty`: one property with its value.
    pub async fn user_property(&self, user_id: &str, key: &str) -> Result<UserProperty, ApiError> {
        check_key(key)?;
        let url = self.url(&["user", user_id, "property", key])?;
        self.get_url("GET /user/{id}/property/{key}", url).await
    }

    /// `createUserProperty`: a new key (409 `Conflict` if it exists).
    pub async fn create_user_property(
        &self,
        user_id: &str,
        key: &str,
        value: &Value,
    ) -> Result<Option<UserProperty>, ApiError> {
        check_key(key)?;
        let body = body(value)?;
        let endpoint = "POST /user/{id}/property/{key}";
        let url = self.url(&["user", user_id, "property", key])?;
        let answer = self.send(Method::POST, endpoint, url, Some(&body)).await?;
        // 201 may carry the new property; an empty body is fine too.
        if answer.iter().all(u8::is_ascii_whitespace) {
            Ok(None)
        } else {
            self.decode(endpoint, &answer).map(Some)
        }
    }

    /// `updateUserProperty`: replace an existing key's value (404 if missing: PUT never creates).
    pub async fn update_user_property(
        &self,
        user_id: &str,
        key: &str,
        value: &Value,
    ) -> Result<(), ApiError> {
        check_key(key)?;
        let body = body(value)?;
        let url = self.url(&["user", user_id, "property", key])?;
        self.send(
            Method::PUT,
            "PUT /user/{id}/property/{key}",
            url,
            Some(&body),
        )
        .await
        .map(drop)
    }

    /// `deleteUserProperty`.
    pub async fn delete_user_property(&self, user_id: &str, key: &str) -> Result<(), ApiError> {
        check_key(key)?;
        let url = self.url(&["user", user_id, "property", key])?;
        self.send(
            Method::DELETE,
            "DELETE /user/{id}/property/{key}",
            url,
            None,
        )
        .await
        .map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_pattern() {
        assert!(valid_property_key("a-b_C9"));
        for bad in ["", "a b", "a/b", "é", "a.b"] {
            assert!(!valid_property_key(bad), "{bad}");
        }
    }

    #[test]
    fn values_must_be_non_empty_objects() {
        assert!(body(&serde_json::json!({"a": 1})).is_ok());
        assert!(body(&serde_json::json!({})).is_err());
        assert!(body(&serde_json::json!("x")).is_err());
        assert!(body(&serde_json::json!([1])).is_err());
    }
}
