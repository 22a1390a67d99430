//! Wire types of the Confluence v1 user endpoints, after the schemas of the OpenAPI contract.
//!
//! Decoding is lenient on purpose: unknown fields are ignored, and every field the schema does not
//! mark required is an `Option` (or defaults), so a missing or `null` value never fails a decode.
//! The same types serialise the demo server's answers and the `--json` output, so `None` fields are
//! left out rather than written as `null`.
//!
//! This module knows nothing of HTTP or terminals: it is plain data.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// The `_links` object. Only the members confdir reads are typed; the rest are kept in `other`
/// so a `--json` dump shows what the server sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Links {
    /// Absolute URL of the site's context, e.g. `https://acme.atlassian.net/wiki`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    /// Context path, e.g. `/wiki`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// The next page, relative to `base` (e.g. `/rest/api/space?start=25&limit=25`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// The previous page, relative to `base`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev: Option<String>,
    /// This resource's own REST URL.
    #[serde(default, rename = "self", skip_serializing_if = "Option::is_none")]
    pub self_link: Option<String>,
    /// Path of the resource in the web UI, relative to `base` (spaces, content).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webui: Option<String>,
    /// Everything else the server put in `_links`.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// A picture reference (`Icon` schema): profile pictures and space icons.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Icon {
    /// Path of the image on the site, e.g. `/wiki/aa-avatar/<accountId>`.
    #[serde(default)]
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<i64>,
    /// True when this is the default (generated) picture.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_default: Option<bool>,
}

/// A Confluence user (`User` schema, also the entries of `BulkUserLookup`).
///
/// Privacy settings shape what arrives: `email` may be `""` (hidden), `timeZone` `null`,
/// `profilePicture` `null` and `displayName` equal to `publicName`. Use [`User::email_state`] to
/// tell "hidden" from "absent" instead of testing strings by hand.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// `known`, `unknown`, `anonymous` or `user`.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// Unique across Atlassian products; absent only for the anonymous user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// `atlassian` (a person), `app` (a bot acting for an app) or `""` when unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_type: Option<String>,
    /// `""` when the user's privacy settings hide it; absent when the endpoint did not send it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Always present on Cloud per the spec; kept optional to survive Data Center objects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_picture: Option<Icon>,
    /// IANA zone name such as `Europe/Paris`; `null` when hidden by privacy settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// Deprecated by Atlassian in favour of `isGuest`, still sent by Cloud.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_external_collaborator: Option<bool>,
    /// Older spelling of the same deprecated flag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_collaborator: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_guest: Option<bool>,
    /// Only with `expand=personalSpace`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personal_space: Option<Box<Space>>,
    /// Only with `expand=operations`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operations: Option<Vec<OperationCheck>>,
    /// Data Center only (deprecated on Cloud).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Data Center only (deprecated on Cloud).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_key: Option<String>,
    /// Newer Cloud fields seen in the wild, not yet in the spec.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_status: Option<String>,
    #[serde(
        default,
        rename = "_expandable",
        skip_serializing_if = "Option::is_none"
    )]
    pub expandable: Option<Value>,
    #[serde(default, rename = "_links")]
    pub links: Links,
}

/// What a profile can say about a user's email address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmailState<'a> {
    /// The address is visible.
    Visible(&'a str),
    /// The server sent `""`: the user's privacy settings hide it.
    Hidden,
    /// The endpoint did not include the field at all.
    Absent,
}

impl User {
    /// Whether the email is visible, hidden by privacy settings, or simply not sent.
    pub fn email_state(&self) -> EmailState<'_> {
        match self.email.as_deref() {
            Some("") => EmailState::Hidden,
            Some(e) => EmailState::Visible(e),
            None => EmailState::Absent,
        }
    }

    /// The best name to show: display name, else public name, else the account id.
    pub fn name(&self) -> &str {
        self.display_name
            .as_deref()
            .filter(|s| !s.is_empty())
            .or(self.public_name.as_deref().filter(|s| !s.is_empty()))
            .or(self.account_id.as_deref())
            .unwrap_or("(unknown user)")
    }

    /// A guest (external collaborator), from whichever of the three flags the server sent.
    pub fn is_guest(&self) -> bool {
        self.is_guest
            .or(self.is_external_collaborator)
            .or(self.external_collaborator)
            .unwrap_or(false)
    }

    /// An app or bot account rather than a person.
    pub fn is_app(&self) -> bool {
        self.account_type.as_deref() == Some("app")
    }
}

/// One entry of `operations` (`OperationCheckResult`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationCheck {
    #[serde(default)]
    pub operation: String,
    #[serde(default)]
    pub target_type: String,
}

/// `GET /user/anonymous`: what an unauthenticated visitor is called and may do.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AnonymousUser {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_picture: Option<Icon>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operations: Option<Vec<OperationCheck>>,
    #[serde(
        default,
        rename = "_expandable",
        skip_serializing_if = "Option::is_none"
    )]
    pub expandable: Option<Value>,
    #[serde(default, rename = "_links")]
    pub links: Links,
}

/// A space (`Space` schema). `homepage` and `description` are recursive or rich in the spec and
/// are kept as raw JSON: confdir only shows them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Space {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    #[serde(default)]
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    #[serde(default)]
    pub name: String,
    /// `global` or `personal`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// `current` or `archived`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<Icon>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub homepage: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
    #[serde(
        default,
        rename = "_expandable",
        skip_serializing_if = "Option::is_none"
    )]
    pub expandable: Option<Value>,
    #[serde(default, rename = "_links")]
    pub links: Links,
}

/// A user group (`Group` schema).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    #[serde(rename = "type", default = "group_kind")]
    pub kind: String,
    pub name: String,
    /// Group ids are the stable handle; names can be renamed by site admins.
    #[serde(default)]
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_by: Option<String>,
    #[serde(default, rename = "_links")]
    pub links: Links,
}

fn group_kind() -> String {
    "group".to_string()
}

/// One page of a paged list (`GroupArrayWithLinks`, `UserArray`, `SpaceArray`,
/// `BulkUserLookupArray`, `UserPropertyKeyArray`, `SearchPageResponseSearchResult`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    pub results: Vec<T>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
    /// Only when asked (`shouldReturnTotalSize`) or on search.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_size: Option<i64>,
    /// Search only: the CQL the server actually ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cql_query: Option<String>,
    /// Search only, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search_duration: Option<i64>,
    #[serde(default, rename = "_links")]
    pub links: Links,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Page {
            results: Vec::new(),
            start: None,
            limit: None,
            size: None,
            total_size: None,
            cql_query: None,
            search_duration: None,
            links: Links::default(),
        }
    }
}

impl<T> Page<T> {
    /// True when the server announced a further page and this one was not empty.
    pub fn has_next(&self) -> bool {
        self.links.next.is_some() && !self.results.is_empty()
    }

    /// Where the page after this one starts, when the server announced one: `start` (this page's
    /// own start, as the caller asked for it) plus the rows this page holds. The one paging rule
    /// for every offset-paged list the UI extends as it scrolls.
    pub fn next_start(&self, start: u32) -> Option<u32> {
        let count = u32::try_from(self.results.len()).unwrap_or(u32::MAX);
        self.has_next().then(|| start.saturating_add(count))
    }
}

/// One hit of `GET /search/user`. For user searches only `user` matters; the rest is shown in
/// `--json` output as the server sent it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchResult {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<User>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub space: Option<Space>,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub excerpt: String,
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub entity_type: String,
    #[serde(default)]
    pub icon_css_class: String,
    #[serde(default)]
    pub last_modified: String,
    #[serde(default)]
    pub breadcrumbs: Vec<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub friendly_last_modified: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
}

/// `GET /user/watch/...`: whether the user watches the target.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserWatch {
    pub watching: bool,
}

/// One answer of the email endpoints.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountIdEmailRecord {
    pub account_id: String,
    pub email: String,
}

/// A user property key, as listed by `GET /user/{id}/property`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PropertyKey {
    pub key: String,
}

/// A user property with its value (`UserProperty` schema). The value is always a JSON object.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserProperty {
    pub key: String,
    pub value: Value,
    #[serde(default)]
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_date: Option<String>,
    #[serde(default, rename = "_links")]
    pub links: Links,
}

/// Request body of POST/PUT `/user/{id}/property/{key}` (`UserPropertyCreate`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserPropertyWrite {
    pub value: Value,
}

/// Confluence's error body. Parsed leniently (every member optional) because its shape varies:
/// `data` may be absent, `errors` empty, and Data Center adds `reason`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_code: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<ErrorData>,
}

/// `data` of an [`ErrorBody`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorData {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorized: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_in_read_only_mode: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub successful: Option<bool>,
    /// Each entry is `{ "message": { "translation": … } }` or a bare string.
    #[serde(default)]
    pub errors: Vec<Value>,
}

impl ErrorBody {
    /// The most specific human text in the body: the first translated error, else `message`,
    /// else `reason`. Java exception class prefixes (`com.atlassian…Exception: `) are cut.
    pub fn best_message(&self) -> Option<String> {
        let from_errors = self.data.as_ref().and_then(|d| {
            d.errors.iter().find_map(|e| match e {
                Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
                Value::Object(o) => o
                    .get("message")
                    .and_then(|m| m.get("translation").or(Some(m)))
                    .and_then(Value::as_str)
                    .filter(|s| !s.trim().is_empty())
                    .map(str::to_string),
                _ => None,
            })
        });
        from_errors
            .or_else(|| self.message.clone().filter(|s| !s.trim().is_empty()))
            .or_else(|| self.reason.clone())
            .map(|m| strip_exception_prefix(&m).trim().to_string())
    }

    /// An error body in Confluence's shape, as the demo server answers.
    pub fn new(status: u16, message: impl Into<String>) -> Self {
        let message = message.into();
        ErrorBody {
            status_code: Some(status),
            message: Some(message.clone()),
            reason: None,
            data: Some(ErrorData {
                authorized: Some(status != 401 && status != 403),
                valid: Some(status != 400),
                allowed_in_read_only_mode: None,
                successful: Some(false),
                errors: vec![serde_json::json!({
                    "message": { "translation": message, "args": [] }
                })],
            }),
        }
    }
}

/// `com.atlassian.confluence.api.service.exceptions.PermissionException: Could not …` reads
/// better without the class name.
fn strip_exception_prefix(message: &str) -> &str {
    match message.split_once(": ") {
        Some((head, tail))
            if head.contains('.') && !head.contains(' ') && head.ends_with("Exception") =>
        {
            tail
        }
        _ => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_states_are_distinct() {
        let mut u = User::default();
        assert_eq!(u.email_state(), EmailState::Absent);
        u.email = Some(String::new());
        assert_eq!(u.email_state(), EmailState::Hidden);
        u.email = Some("a@b.c".into());
        assert_eq!(u.email_state(), EmailState::Visible("a@b.c"));
    }

    #[test]
    fn exception_prefix_is_cut_but_plain_messages_stay() {
        assert_eq!(
            strip_exception_prefix("com.atlassian.X.PermissionException: Could not create"),
            "Could not create"
        );
        assert_eq!(
            strip_exception_prefix("No space with key : x"),
            "No space with key : x"
        );
    }

    #[test]
    fn translation_wins_over_message() {
        let body: ErrorBody = serde_json::from_str(
            r#"{"statusCode":404,"data":{"errors":[{"message":{"translation":"T","args":[]}}]},"message":"M"}"#,
        )
        .unwrap();
        assert_eq!(body.best_message().as_deref(), Some("T"));
    }
}
