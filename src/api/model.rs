//! Wire types of the Confluence v1 user endpoints, after the schemas of the OpenAPI contract, and
//! of the v2 spaces list (`space.rs`: one [`Space`] type decodes both generations).
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

mod space;
pub use space::{Space, SpaceId};

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
    /// Width of the image as the server declares it; confdir draws no pictures, only passes it on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<i64>,
    /// Height of the image as the server declares it; passed on like `width`.
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
    /// The name to show. Privacy settings may make it equal `publicName`; [`User::name`] falls
    /// back to the public name, then the account id, when it is missing or empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Profile picture; `null` when the person's privacy settings hide it.
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
    /// Whether the person is a guest user: the current flag, which [`User::is_guest()`] reads
    /// before the two deprecated ones.
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
    /// The person's locale, e.g. `en_US`: a newer Cloud field seen in the wild, not in the spec.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// Newer Cloud field, not in the spec (e.g. `active`); the profile pane flags any other value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_status: Option<String>,
    /// `_expandable`: members left out that `expand` could add (`operations`, `personalSpace`, …),
    /// as path strings or `""`.
    #[serde(
        default,
        rename = "_expandable",
        skip_serializing_if = "Option::is_none"
    )]
    pub expandable: Option<Value>,
    /// `_links` of the user, typically `self` (its REST URL).
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

impl<'a> EmailState<'a> {
    /// What an `email` field says: `""` hidden, absent, else the address.
    pub fn of(email: Option<&'a str>) -> EmailState<'a> {
        match email {
            Some("") => EmailState::Hidden,
            Some(e) => EmailState::Visible(e),
            None => EmailState::Absent,
        }
    }
}

impl User {
    /// Whether the email is visible, hidden by privacy settings, or simply not sent.
    pub fn email_state(&self) -> EmailState<'_> {
        EmailState::of(self.email.as_deref())
    }

    /// The best name to show: display name, else public name, else the account id.
    pub fn name(&self) -> &str {
        best_name(
            self.display_name.as_deref(),
            self.public_name.as_deref(),
            self.account_id.as_deref(),
        )
    }

    /// Whether this account administers the site, from `/user/current?expand=operations`:
    /// `administer` on `application` or `site` among its operations. `None` when no operations
    /// were sent (the caller did not expand them, or the site does not say). The one rule
    /// `doctor`, the group-wide watch and a group's emails all use.
    pub fn administers_site(&self) -> Option<bool> {
        let ops = self.operations.as_ref()?;
        Some(ops.iter().any(|o| {
            o.operation == "administer" && matches!(o.target_type.as_str(), "application" | "site")
        }))
    }

    /// A guest (external collaborator), from whichever of the three flags the server sent.
    pub fn is_guest(&self) -> bool {
        guest_flag(
            self.is_guest,
            self.is_external_collaborator,
            self.external_collaborator,
        )
    }

    /// An app or bot account rather than a person.
    pub fn is_app(&self) -> bool {
        self.account_type.as_deref() == Some("app")
    }
}

/// The best name to show: the display name, else the public name, else the account id (the
/// one rule for a [`User`] and for a person the directory keeps).
pub fn best_name<'a>(
    display_name: Option<&'a str>,
    public_name: Option<&'a str>,
    account_id: Option<&'a str>,
) -> &'a str {
    display_name
        .filter(|s| !s.is_empty())
        .or(public_name.filter(|s| !s.is_empty()))
        .or(account_id)
        .unwrap_or("(unknown user)")
}

/// A guest, from whichever of the three flags the server sent: `isGuest`, then the deprecated
/// `isExternalCollaborator` and `externalCollaborator`.
pub fn guest_flag(
    is_guest: Option<bool>,
    is_external_collaborator: Option<bool>,
    external_collaborator: Option<bool>,
) -> bool {
    is_guest
        .or(is_external_collaborator)
        .or(external_collaborator)
        .unwrap_or(false)
}

/// One entry of `operations` (`OperationCheckResult`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationCheck {
    /// The operation, e.g. `read`, `create`, `update`, `delete` or `administer`. `doctor` takes
    /// `administer` on `application` (or `site`) to mean the account is an administrator.
    #[serde(default)]
    pub operation: String,
    /// What the operation applies to: `application`, `page`, `blogpost`, `comment`,
    /// `attachment` or `space`.
    #[serde(default)]
    pub target_type: String,
}

/// `GET /user/anonymous`: what an unauthenticated visitor is called and may do.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AnonymousUser {
    /// The user type: `anonymous` in Atlassian's sample answer.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// What the site calls a visitor who is not logged in, e.g. `Anonymous`.
    #[serde(default)]
    pub display_name: String,
    /// The picture the site shows for anonymous visitors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_picture: Option<Icon>,
    /// What an anonymous visitor may do; only with `expand=operations`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operations: Option<Vec<OperationCheck>>,
    /// `_expandable`: members `expand` could add (`operations`), as path strings or `""`.
    #[serde(
        default,
        rename = "_expandable",
        skip_serializing_if = "Option::is_none"
    )]
    pub expandable: Option<Value>,
    /// `_links` of the answer, e.g. the site's `base` and `context`.
    #[serde(default, rename = "_links")]
    pub links: Links,
}

/// A user group (`Group` schema).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    /// Always `group`, the spec's only value; filled in when the server leaves it out.
    #[serde(rename = "type", default = "group_kind")]
    pub kind: String,
    /// The group's name, e.g. `confluence-users`: what the UI shows and the group picker searches.
    pub name: String,
    /// Group ids are the stable handle; names can be renamed by site admins.
    #[serde(default)]
    pub id: String,
    /// Seen in Atlassian's docs sample (`USERBASE_GROUP`) but not in the spec; an open set of
    /// values that confdir passes on without reading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage_type: Option<String>,
    /// Seen in Atlassian's docs sample (`ADMINS`) but not in the spec; an open set of values that
    /// confdir passes on without reading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_by: Option<String>,
    /// `_links` of the group, as the server sent them.
    #[serde(default, rename = "_links")]
    pub links: Links,
}

fn group_kind() -> String {
    "group".to_string()
}

/// One page of a paged list (`GroupArrayWithLinks`, `UserArray`, `SpaceArray`,
/// `BulkUserLookupArray`, `UserPropertyKeyArray`, `SearchPageResponseSearchResult`, and v2's
/// `MultiEntityResult<Space>`, which has only `results` and `_links`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    /// This page's items, in the server's order; fewer than `limit` at times, empty past the end.
    pub results: Vec<T>,
    /// Offset of the first item, as the server reports it. [`Page::next_start`] goes by the offset
    /// the caller asked for instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<i64>,
    /// The page size the server applied: lower than the one asked for when the endpoint caps it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// Number of items in `results`.
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
    /// `_links`: `next` (present while there is a further page) and `prev`, relative to `base`.
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
    /// The user hit: all confdir reads. Privacy settings may null its email, picture, display
    /// name and time zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<User>,
    /// The space hit, on space results.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub space: Option<Space>,
    /// Title of the hit (the person's name, for a user).
    #[serde(default)]
    pub title: String,
    /// Text around the match; may be empty (it is for users in the samples seen).
    #[serde(default)]
    pub excerpt: String,
    /// Web UI path of the hit relative to the site's context, e.g. `/people/<accountId>`.
    #[serde(default)]
    pub url: String,
    /// What kind of entity was hit: `user` for user searches.
    #[serde(default)]
    pub entity_type: String,
    /// The web UI's CSS class for the hit's icon; of no use in a terminal.
    #[serde(default)]
    pub icon_css_class: String,
    /// When the hit last changed, an ISO 8601 date-time kept as text.
    #[serde(default)]
    pub last_modified: String,
    /// `Breadcrumb` trail (`label`, `url`, `separator`) to the hit, as raw JSON; empty for
    /// users in the samples seen.
    #[serde(default)]
    pub breadcrumbs: Vec<Value>,
    /// `lastModified` in a human-readable form, when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub friendly_last_modified: Option<String>,
    /// The search engine's relevance score; confdir does not read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
}

/// `GET /user/watch/...`: whether the user watches the target.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserWatch {
    /// Whether the user watches the content, label or space asked about.
    pub watching: bool,
}

/// One answer of the email endpoints.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountIdEmailRecord {
    /// The account the address belongs to. The bulk endpoint silently leaves out
    /// accounts that are not available, so match on this, not on order.
    pub account_id: String,
    /// The address, returned whatever the person's profile visibility settings.
    pub email: String,
}

/// A user property key, as listed by `GET /user/{id}/property`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PropertyKey {
    /// The property's key (letters, digits, `-` and `_`: `^[-_a-zA-Z0-9]+$`).
    pub key: String,
}

/// A user property with its value (`UserProperty` schema). The value is always a JSON object.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserProperty {
    /// The property's key, unique for the user (`^[-_a-zA-Z0-9]+$`).
    pub key: String,
    /// The stored value, always a JSON object.
    pub value: Value,
    /// Confluence's unique id for the property.
    #[serde(default)]
    pub id: String,
    /// When the property last changed, e.g. `2022-02-01T12:00:00.111Z`, kept as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_date: Option<String>,
    /// When the property was created, e.g. `2022-01-01T12:00:00.111Z`, kept as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_date: Option<String>,
    /// `_links` of the property, e.g. its REST `self` URL.
    #[serde(default, rename = "_links")]
    pub links: Links,
}

/// Request body of POST/PUT `/user/{id}/property/{key}` (`UserPropertyCreate`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserPropertyWrite {
    /// The value to store; the contract requires a JSON object.
    pub value: Value,
}

/// Confluence's error body. Parsed leniently (every member optional) because its shape varies:
/// `data` may be absent, `errors` empty, and Data Center adds `reason`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    /// The HTTP status, repeated in the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_code: Option<u16>,
    /// Top-level text; the only explanation when `data.errors` is empty. May start with a Java
    /// exception class name, which [`ErrorBody::best_message`] cuts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Data Center only: the status phrase, e.g. `Not Found`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Details; absent on some errors (e.g. a 400 for a body that could not be mapped).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<ErrorData>,
}

/// `data` of an [`ErrorBody`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorData {
    /// Confluence's "authorised" flag. Not reliable (the spec's own 404 sample says `false`), so
    /// confdir goes by the status code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorized: Option<bool>,
    /// Confluence's "valid request" flag; informative only, like `authorized`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid: Option<bool>,
    /// Data Center only; confdir ignores it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_in_read_only_mode: Option<bool>,
    /// Not to be trusted: a bad-CQL 400 has been seen with `true`.
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
