//! The HTTP side of the demo: axum routes on the paths of Confluence Cloud, with its auth, XSRF,
//! error bodies, paging and limits, plus fault injection.
//!
//! Handlers read the immutable [`SeededDirectory`] and the [`Store`], and build answers with the
//! project's own wire types (`api::model`) so the demo cannot drift from what the client decodes.
//! Where the contract requires a member that those types leave out when empty (a `null`
//! `profilePicture` or `timeZone` of a privacy-restricted user), it is added to the JSON here.
//! Nothing the client sends is trusted: every parameter is parsed with an error path, and no
//! input can panic a handler.

use super::cql::{Query, Subject};
use super::seed::{AccountKind, SeedPerson, SeedSpace, SeededDirectory};
use super::store::{Store, StoredProperty, WatchKind, WriteOutcome};
use super::{DEMO_ADMIN_TOKEN, DEMO_TOKEN};
use crate::api::model::{
    AccountIdEmailRecord, AnonymousUser, ErrorBody, ErrorData, Group, Icon, Links, OperationCheck,
    Page, PropertyKey, SearchResult, Space, User, UserProperty, UserWatch,
};
use crate::api::valid_property_key;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path, Request, State};
use axum::http::header::{AUTHORIZATION, RETRY_AFTER, WWW_AUTHENTICATE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Longest property key and largest property value (bytes of JSON) accepted.
const PROPERTY_KEY_MAX: usize = 255;
const PROPERTY_VALUE_MAX: usize = 32_768;
/// User search finds at most this many people ("`type=user` will return up to 10k users").
const SEARCH_MAX: usize = 10_000;
/// `/user/bulk` and `/user/email/bulk` look at no more ids than this.
const BULK_MAX: usize = 100;

/// Latency and failure injection, changeable while the server runs.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Faults {
    /// Each response waits a random time in this range.
    pub latency: Option<(Duration, Duration)>,
    /// Share of requests (0.0–1.0) answered with 500, or with 429 and `Retry-After`.
    pub fail_rate: f64,
}

/// What every handler reaches.
pub struct Shared {
    /// The seeded directory and its changes.
    pub store: Store,
    /// `http://127.0.0.1:PORT/wiki`: the `_links.base` of every answer.
    pub base: String,
    /// Fault injection settings.
    pub faults: Mutex<Faults>,
}

impl Shared {
    fn dir(&self) -> &SeededDirectory {
        self.store.directory()
    }
}

type AppState = Arc<Shared>;

/// An error answer in Confluence's shape.
#[derive(Debug)]
pub struct Fail {
    status: StatusCode,
    body: ErrorBody,
}

impl Fail {
    fn new(status: StatusCode, message: impl Into<String>) -> Fail {
        Fail {
            status,
            body: ErrorBody::new(status.as_u16(), message),
        }
    }
    fn bad(message: impl Into<String>) -> Fail {
        Fail::new(StatusCode::BAD_REQUEST, message)
    }
    fn not_found(message: impl Into<String>) -> Fail {
        Fail::new(StatusCode::NOT_FOUND, message)
    }
    fn forbidden(message: impl Into<String>) -> Fail {
        Fail::new(StatusCode::FORBIDDEN, message)
    }
    fn internal(message: impl Into<String>) -> Fail {
        Fail::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }
    /// Bad CQL: Confluence answers with an empty `errors` list and the reason in `message`.
    fn bad_cql(cql: &str, reason: &str) -> Fail {
        Fail {
            status: StatusCode::BAD_REQUEST,
            body: ErrorBody {
                status_code: Some(400),
                message: Some(format!(
                    "com.atlassian.confluence.api.service.exceptions.BadRequestException: Could not parse cql : {} ({reason})",
                    clip(cql)
                )),
                reason: None,
                data: Some(ErrorData {
                    authorized: Some(true),
                    valid: Some(true),
                    allowed_in_read_only_mode: None,
                    successful: Some(true),
                    errors: Vec::new(),
                }),
            },
        }
    }
}

impl IntoResponse for Fail {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"Confluence\""),
            );
        }
        response
    }
}

type Answer = Result<Response, Fail>;

fn to_json<T: Serialize>(value: &T) -> Result<Value, Fail> {
    serde_json::to_value(value).map_err(|e| Fail::internal(format!("could not encode: {e}")))
}

fn ok_json(value: Value) -> Answer {
    Ok(Json(value).into_response())
}

/// The authenticated caller and the request's query, extracted once per request.
struct Ctx {
    user: u32,
    admin: bool,
    params: Vec<(String, String)>,
    uri: Uri,
}

fn caller(headers: &HeaderMap, dir: &SeededDirectory) -> Result<Option<(u32, bool)>, Fail> {
    use base64::Engine;
    let Some(raw) = headers.get(AUTHORIZATION) else {
        return Ok(None);
    };
    let refused = || {
        Fail::new(
            StatusCode::UNAUTHORIZED,
            "Client must be authenticated to access this resource.",
        )
    };
    let text = raw.to_str().map_err(|_| refused())?;
    let encoded = text
        .strip_prefix("Basic ")
        .or_else(|| text.strip_prefix("basic "))
        .ok_or_else(refused)?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .map_err(|_| refused())?;
    let decoded = String::from_utf8(decoded).map_err(|_| refused())?;
    let (_email, token) = decoded.split_once(':').ok_or_else(refused)?;
    let (account, admin) = match token {
        DEMO_TOKEN => (super::seed::DEMO_ACCOUNT_ID, false),
        DEMO_ADMIN_TOKEN => (super::seed::ADMIN_ACCOUNT_ID, true),
        _ => return Err(refused()),
    };
    let user = dir.user_index(account).ok_or_else(refused)?;
    Ok(Some((user, admin)))
}

fn parse_query(uri: &Uri) -> Vec<(String, String)> {
    url::form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = Fail;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Fail> {
        let (user, admin) = caller(&parts.headers, state.dir())?.ok_or_else(|| {
            Fail::new(
                StatusCode::UNAUTHORIZED,
                "Client must be authenticated to access this resource.",
            )
        })?;
        Ok(Ctx {
            user,
            admin,
            params: parse_query(&parts.uri),
            uri: parts.uri.clone(),
        })
    }
}

impl Ctx {
    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.params
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn required(&self, name: &str) -> Result<&str, Fail> {
        self.param(name)
            .filter(|v| !v.trim().is_empty())
            .ok_or_else(|| Fail::bad(format!("The `{name}` query parameter is required.")))
    }

    fn number(&self, name: &str, default: usize) -> Result<usize, Fail> {
        match self.param(name) {
            None | Some("") => Ok(default),
            // The contract declares these int32: anything else is a 400, never a wrap-around.
            Some(v) => v
                .trim()
                .parse::<i32>()
                .ok()
                .and_then(|n| usize::try_from(n).ok())
                .ok_or_else(|| {
                    Fail::bad(format!(
                        "`{name}` must be a non-negative 32-bit integer, not `{}`",
                        clip(v)
                    ))
                }),
        }
    }

    /// `start` and `limit`, the limit defaulted and capped ("restricted by fixed system limits").
    fn paging(&self, default: usize, max: usize) -> Result<(usize, usize), Fail> {
        Ok((
            self.number("start", 0)?,
            self.number("limit", default)?.min(max),
        ))
    }

    fn expands(&self) -> Vec<String> {
        self.all("expand")
            .flat_map(|v| v.split(','))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    }

    /// The user the request is about: `accountId`, defaulting to the caller. Naming someone else
    /// is for administrators only (watch endpoints).
    fn watch_subject(&self, shared: &Shared) -> Result<u32, Fail> {
        match self.param("accountId").filter(|v| !v.is_empty()) {
            None => Ok(self.user),
            Some(id) => {
                let other = shared.dir().user_index(id);
                if other == Some(self.user) {
                    return Ok(self.user);
                }
                if !self.admin {
                    return Err(Fail::forbidden(
                        "Only Confluence administrators can view or change another user's watches.",
                    ));
                }
                other.ok_or_else(|| {
                    Fail::forbidden(format!(
                        "No user with account id {} can be found.",
                        clip(id)
                    ))
                })
            }
        }
    }
}

/// `_links` of a list page: `base`, `context`, `self`, and `next` (relative to `base`) while items
/// remain, built from the request's own query so every filter is kept.
fn page_links(shared: &Shared, ctx: &Ctx, start: usize, limit: usize, total: usize) -> Links {
    let path = ctx.uri.path();
    let relative = path.strip_prefix("/wiki").unwrap_or(path);
    let with = |start: usize| -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in &ctx.params {
            if k != "start" && k != "limit" {
                q.append_pair(k, v);
            }
        }
        q.append_pair("limit", &limit.to_string());
        q.append_pair("start", &start.to_string());
        format!("{relative}?{}", q.finish())
    };
    Links {
        base: Some(shared.base.clone()),
        context: Some("/wiki".into()),
        next: (limit > 0 && start.saturating_add(limit) < total).then(|| with(start + limit)),
        prev: (start > 0 && limit > 0).then(|| with(start.saturating_sub(limit))),
        self_link: Some(format!(
            "{}{}",
            shared.base,
            match ctx.uri.query() {
                Some(q) => format!("{relative}?{q}"),
                None => relative.to_string(),
            }
        )),
        ..Links::default()
    }
}

fn window(total: usize, start: usize, limit: usize) -> std::ops::Range<usize> {
    let from = start.min(total);
    from..from.saturating_add(limit).min(total)
}

fn page_of(
    shared: &Shared,
    ctx: &Ctx,
    results: Vec<Value>,
    start: usize,
    limit: usize,
    total: usize,
) -> Page<Value> {
    Page {
        size: Some(results.len() as i64),
        results,
        start: Some(start as i64),
        limit: Some(limit as i64),
        links: page_links(shared, ctx, start, limit, total),
        ..Page::default()
    }
}

fn timestamp(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

fn operations(admin: bool) -> Vec<OperationCheck> {
    let mut ops: Vec<OperationCheck> = [
        ("use", "application"),
        ("create", "page"),
        ("create", "blogpost"),
        ("create", "comment"),
        ("create_space", "application"),
    ]
    .iter()
    .map(|(o, t)| OperationCheck {
        operation: (*o).into(),
        target_type: (*t).into(),
    })
    .collect();
    if admin {
        ops.push(OperationCheck {
            operation: "administer".into(),
            target_type: "application".into(),
        });
    }
    ops
}

/// A space in the contract's shape; `expand` may add `icon`, `description` and `metadata`.
fn space_json(shared: &Shared, s: &SeedSpace, expand: &[String]) -> Result<Value, Fail> {
    let has = |e: &str| {
        expand
            .iter()
            .any(|x| x == e || x.starts_with(&format!("{e}.")))
    };
    let mut expandable = serde_json::Map::new();
    for (k, v) in [
        ("settings", format!("/rest/api/space/{}/settings", s.key)),
        ("metadata", String::new()),
        ("operations", String::new()),
        (
            "lookAndFeel",
            format!("/rest/api/settings/lookandfeel?spaceKey={}", s.key),
        ),
        ("identifiers", String::new()),
        ("permissions", String::new()),
        ("icon", String::new()),
        ("description", String::new()),
        ("theme", format!("/rest/api/space/{}/theme", s.key)),
        ("history", String::new()),
        ("homepage", String::new()),
    ] {
        if !has(k) {
            expandable.insert(k.into(), Value::String(v));
        }
    }
    let icon = has("icon").then(|| Icon {
        path: if s.personal {
            format!("/wiki/aa-avatar/{}", s.key.trim_start_matches('~'))
        } else {
            format!("/wiki/download/attachments/{}/space-icon.png", s.id)
        },
        width: Some(48),
        height: Some(48),
        is_default: Some(false),
    });
    let description = has("description").then(|| {
        // Cloud labels this one `plain`, which the contract's enum lacks; plain text is valid
        // wiki markup, so the contract's `wiki` is used.
        let plain = json!({
            "value": s.description,
            "representation": "wiki",
            "embeddedContent": [],
        });
        let view = json!({
            "value": format!("<p>{}</p>", html_escape(&s.description)),
            "representation": "view",
            "embeddedContent": [],
        });
        if expand.iter().any(|e| e == "description.view") {
            json!({ "view": view, "_expandable": { "plain": "" } })
        } else if expand.iter().any(|e| e == "description.plain") {
            json!({ "plain": plain, "_expandable": { "view": "" } })
        } else {
            json!({ "plain": plain, "view": view })
        }
    });
    let metadata = has("metadata").then(|| {
        let labels: Vec<Value> = s
            .labels
            .iter()
            .map(|l| {
                let id = (super::seed::hash_str(l) % 1_000_000).to_string();
                json!({ "prefix": "global", "name": l, "id": id, "label": l })
            })
            .collect();
        let size = labels.len();
        json!({
            "labels": { "results": labels, "start": 0, "limit": 200, "size": size, "_links": {} },
            "_expandable": {},
        })
    });
    let space = Space {
        id: Some(s.id),
        key: s.key.clone(),
        alias: Some(s.key.clone()),
        name: s.name.clone(),
        kind: Some(if s.personal { "personal" } else { "global" }.into()),
        status: Some(if s.archived { "archived" } else { "current" }.into()),
        icon,
        description,
        homepage: None,
        metadata,
        expandable: Some(Value::Object(expandable)),
        links: Links {
            webui: Some(format!("/spaces/{}", s.key)),
            self_link: Some(format!("{}/rest/api/space/{}", shared.base, s.key)),
            ..Links::default()
        },
    };
    to_json(&space)
}

/// Request text echoed in an error message, cut to a sane length.
fn clip(text: &str) -> String {
    let mut out: String = text.chars().take(100).collect();
    if text.chars().count() > 100 {
        out.push('…');
    }
    out
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A user in the contract's shape (`User` and `BulkUserLookup`): privacy-hidden fields come out
/// as `""` (email) or `null` (picture, time zone), as Cloud sends them.
fn user_json(shared: &Shared, index: u32, expand: &[String]) -> Result<Value, Fail> {
    let dir = shared.dir();
    let p: &SeedPerson = dir
        .users
        .get(index as usize)
        .ok_or_else(|| Fail::internal("user index out of range"))?;
    let has = |e: &str| expand.iter().any(|x| x == e);
    let personal_space = if has("personalSpace") {
        match p
            .personal_space
            .and_then(|s| dir.spaces.get(usize::from(s)))
        {
            Some(s) => Some(Box::new(
                serde_json::from_value::<Space>(space_json(shared, s, &[])?)
                    .map_err(|e| Fail::internal(e.to_string()))?,
            )),
            None => None,
        }
    } else {
        None
    };
    let mut expandable = serde_json::Map::new();
    for k in ["operations", "personalSpace"] {
        if !has(k) {
            expandable.insert(k.into(), Value::String(String::new()));
        }
    }
    let user = User {
        personal_space,
        operations: has("operations").then(|| operations(p.admin)),
        expandable: Some(Value::Object(expandable)),
        links: Links {
            self_link: Some(format!(
                "{}/rest/api/user?accountId={}",
                shared.base, p.account_id
            )),
            ..Links::default()
        },
        ..p.to_user()
    };
    let mut value = to_json(&user)?;
    if let Value::Object(map) = &mut value {
        map.entry("profilePicture").or_insert(Value::Null);
        map.entry("timeZone").or_insert(Value::Null);
    }
    Ok(value)
}

fn group_json(shared: &Shared, index: usize) -> Result<Value, Fail> {
    let g = shared
        .dir()
        .groups
        .get(index)
        .ok_or_else(|| Fail::internal("group index out of range"))?;
    let system = [
        "confluence-users",
        "site-admins",
        "confluence-administrators",
    ]
    .contains(&g.name.as_str());
    to_json(&Group {
        kind: "group".into(),
        name: g.name.clone(),
        id: g.id.clone(),
        usage_type: system.then(|| "USERBASE_GROUP".into()),
        managed_by: system.then(|| "ADMINS".into()),
        links: Links {
            self_link: Some(format!("{}/rest/api/group/by-id?id={}", shared.base, g.id)),
            ..Links::default()
        },
    })
}

fn find_user(shared: &Shared, ctx: &Ctx) -> Result<u32, Fail> {
    let id = ctx.required("accountId")?;
    shared.dir().user_index(id).ok_or_else(|| {
        Fail::not_found(format!(
            "No user with account id {} can be found.",
            clip(id)
        ))
    })
}

// ---- users ---------------------------------------------------------------------------------

async fn get_user(State(shared): State<AppState>, ctx: Ctx) -> Answer {
    let user = find_user(&shared, &ctx)?;
    ok_json(user_json(&shared, user, &ctx.expands())?)
}

async fn current_user(State(shared): State<AppState>, ctx: Ctx) -> Answer {
    let mut value = user_json(&shared, ctx.user, &ctx.expands())?;
    if let Some(links) = value.get_mut("_links").and_then(Value::as_object_mut) {
        links.insert("base".into(), Value::String(shared.base.clone()));
        links.insert("context".into(), Value::String("/wiki".into()));
    }
    ok_json(value)
}

async fn anonymous_user(State(shared): State<AppState>, headers: HeaderMap, uri: Uri) -> Answer {
    // Anyone may ask how anonymous visitors look, but wrong credentials are still refused.
    caller(&headers, shared.dir())?;
    let expand_ops = parse_query(&uri)
        .iter()
        .any(|(k, v)| k == "expand" && v.split(',').any(|e| e.trim() == "operations"));
    let anon = AnonymousUser {
        kind: "anonymous".into(),
        display_name: "Anonymous".into(),
        profile_picture: Some(Icon {
            path: "/wiki/s/-1234567890/6452/abcdef/_/images/icons/profilepics/anonymous.svg".into(),
            width: Some(48),
            height: Some(48),
            is_default: Some(true),
        }),
        operations: expand_ops.then(|| {
            vec![OperationCheck {
                operation: "read".into(),
                target_type: "space".into(),
            }]
        }),
        expandable: (!expand_ops).then(|| json!({ "operations": "" })),
        links: Links {
            base: Some(shared.base.clone()),
            context: Some("/wiki".into()),
            ..Links::default()
        },
    };
    ok_json(to_json(&anon)?)
}

/// Account ids of a bulk call: repeated parameters and comma-joined values alike, first 100.
fn bulk_ids(ctx: &Ctx) -> Result<Vec<String>, Fail> {
    let ids: Vec<String> = ctx
        .all("accountId")
        .flat_map(|v| v.split(','))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .take(BULK_MAX)
        .collect();
    if ids.is_empty() {
        return Err(Fail::bad("The `accountId` query parameter is required."));
    }
    Ok(ids)
}

async fn bulk_users(State(shared): State<AppState>, ctx: Ctx) -> Answer {
    let ids = bulk_ids(&ctx)?;
    let expand = ctx.expands();
    let results = ids
        .iter()
        .filter_map(|id| shared.dir().user_index(id))
        .map(|u| user_json(&shared, u, &expand))
        .collect::<Result<Vec<_>, _>>()?;
    let total = results.len();
    let mut page = page_of(&shared, &ctx, results, 0, BULK_MAX, total);
    page.links.next = None;
    page.links.prev = None;
    ok_json(to_json(&page)?)
}

async fn member_of(State(shared): State<AppState>, ctx: Ctx) -> Answer {
    let user = find_user(&shared, &ctx)?;
    let (start, limit) = ctx.paging(200, 200)?;
    let groups = shared
        .dir()
        .users
        .get(user as usize)
        .map(|p| p.groups.clone())
        .unwrap_or_default();
    let results = groups[window(groups.len(), start, limit)]
        .iter()
        .map(|&g| group_json(&shared, usize::from(g)))
        .collect::<Result<Vec<_>, _>>()?;
    ok_json(to_json(&page_of(
        &shared,
        &ctx,
        results,
        start,
        limit,
        groups.len(),
    ))?)
}

struct Searchable<'a>(&'a SeedPerson);

impl Subject for Searchable<'_> {
    fn account_id(&self) -> &str {
        &self.0.account_id
    }
    fn name_key(&self) -> &str {
        &self.0.name_key
    }
    fn public_name_key(&self) -> Option<&str> {
        self.0.public_name_key.as_deref()
    }
}

async fn search_users(State(shared): State<AppState>, ctx: Ctx) -> Answer {
    let began = std::time::Instant::now();
    let cql = ctx
        .param("cql")
        .filter(|c| !c.trim().is_empty())
        .ok_or_else(|| Fail::bad_cql("", "the cql parameter is required"))?
        .to_string();
    let mut query = Query::parse(&cql).map_err(|e| Fail::bad_cql(&cql, &e.to_string()))?;
    if let Some(me) = shared.dir().users.get(ctx.user as usize) {
        query.resolve_current_user(&me.account_id);
    }
    let (start, limit) = ctx.paging(25, 1000)?;
    let filter = ctx.param("sitePermissionTypeFilter").unwrap_or("none");
    let guests_only = match filter {
        "none" | "all" => false,
        "externalCollaborator" => true,
        other => {
            return Err(Fail::bad(format!(
                "`sitePermissionTypeFilter` must be all, externalCollaborator or none, not `{}`",
                other.chars().take(40).collect::<String>()
            )))
        }
    };
    let dir = shared.dir();
    let hits: Vec<u32> = dir
        .users
        .iter()
        .enumerate()
        .filter(|(_, p)| !guests_only || p.kind == AccountKind::Guest)
        .filter(|(_, p)| query.matches(&Searchable(p)))
        .map(|(i, _)| i as u32)
        .take(SEARCH_MAX)
        .collect();
    let expand: Vec<String> = ctx
        .expands()
        .iter()
        .filter_map(|e| e.strip_prefix("user.").map(str::to_string))
        .collect();
    let mut results = Vec::new();
    for &u in &hits[window(hits.len(), start, limit)] {
        let user: User = serde_json::from_value(user_json(&shared, u, &expand)?)
            .map_err(|e| Fail::internal(e.to_string()))?;
        let person = &dir.users[u as usize];
        let result = SearchResult {
            title: person.display_name.clone(),
            url: format!("/people/{}", person.account_id),
            entity_type: "user".into(),
            icon_css_class: "aui-icon content-type-profile".into(),
            last_modified: timestamp(1_764_000_000 + i64::from(u) * 7),
            score: Some(0.0),
            user: Some(user),
            ..SearchResult::default()
        };
        let mut value = to_json(&result)?;
        // Keep the privacy nulls the typed round trip drops.
        if let Some(user) = value.get_mut("user").and_then(Value::as_object_mut) {
            user.entry("profilePicture").or_insert(Value::Null);
            user.entry("timeZone").or_insert(Value::Null);
        }
        results.push(value);
    }
    let mut page = page_of(&shared, &ctx, results, start, limit, hits.len());
    page.total_size = Some(hits.len() as i64);
    page.cql_query = Some(cql);
    page.search_duration = Some(began.elapsed().as_millis() as i64);
    ok_json(to_json(&page)?)
}

// ---- email -----------------------------------------------------------------------------------

async fn user_email(State(shared): State<AppState>, ctx: Ctx) -> Answer {
    let user = find_user(&shared, &ctx)?;
    let p = &shared.dir().users[user as usize];
    ok_json(to_json(&AccountIdEmailRecord {
        account_id: p.account_id.clone(),
        email: p.email.clone(),
    })?)
}

async fn user_email_bulk(State(shared): State<AppState>, ctx: Ctx) -> Answer {
    let ids = bulk_ids(&ctx)?;
    let dir = shared.dir();
    let records: Vec<AccountIdEmailRecord> = ids
        .iter()
        .filter_map(|id| dir.user_index(id))
        .map(|u| {
            let p = &dir.users[u as usize];
            AccountIdEmailRecord {
                account_id: p.account_id.clone(),
                email: p.email.clone(),
            }
        })
        .collect();
    ok_json(to_json(&records)?)
}

// ---- watches ---------------------------------------------------------------------------------

fn xsrf_ok(method: &Method, headers: &HeaderMap) -> bool {
    method == Method::GET
        || headers
            .get("X-Atlassian-Token")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("no-check"))
}

/// GET/POST/DELETE `/user/watch/{content|label|space}/{id}`: one handler for the nine watch
/// operations. An unknown kind is an unknown path (404), as on Confluence.
async fn watch(
    State(shared): State<AppState>,
    Path((kind, id)): Path<(String, String)>,
    method: Method,
    headers: HeaderMap,
    uri: Uri,
    ctx: Ctx,
) -> Answer {
    let kind = match kind.as_str() {
        "content" => WatchKind::Content,
        "label" => WatchKind::Label,
        "space" => WatchKind::Space,
        _ => return Err(not_found(uri).await),
    };
    if !xsrf_ok(&method, &headers) {
        return Err(Fail::forbidden("XSRF check failed"));
    }
    let user = ctx.watch_subject(&shared)?;
    if !shared.store.target_exists(kind, &id) {
        let (what, by) = match kind {
            WatchKind::Content => ("content", "id"),
            WatchKind::Label => ("label", "id"),
            WatchKind::Space => ("space", "key"),
        };
        return Err(Fail::forbidden(format!(
            "No {what} found with {by} {}, or you do not have permission to view it.",
            clip(&id)
        )));
    }
    if method == Method::GET {
        let watching = shared.store.watching(user, kind, &id);
        return ok_json(to_json(&UserWatch { watching })?);
    }
    shared
        .store
        .set_watch(user, kind, &id, method == Method::POST)
        .await;
    Ok(StatusCode::NO_CONTENT.into_response())
}

// ---- user properties -------------------------------------------------------------------------

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

async fn list_properties(
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

async fn get_property(
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

async fn create_property(
    State(shared): State<AppState>,
    Path((user_id, key)): Path<(String, String)>,
    ctx: Ctx,
    body: Bytes,
) -> Answer {
    write_property(shared, ctx, user_id, key, Some(body), true).await
}

async fn update_property(
    State(shared): State<AppState>,
    Path((user_id, key)): Path<(String, String)>,
    ctx: Ctx,
    body: Bytes,
) -> Answer {
    write_property(shared, ctx, user_id, key, Some(body), false).await
}

async fn delete_property(
    State(shared): State<AppState>,
    Path((user_id, key)): Path<(String, String)>,
    ctx: Ctx,
) -> Answer {
    write_property(shared, ctx, user_id, key, None, false).await
}

// ---- groups and spaces -----------------------------------------------------------------------

async fn list_groups(State(shared): State<AppState>, ctx: Ctx) -> Answer {
    let (start, limit) = ctx.paging(200, 200)?;
    let total = shared.dir().groups.len();
    let results = window(total, start, limit)
        .map(|g| group_json(&shared, g))
        .collect::<Result<Vec<_>, _>>()?;
    ok_json(to_json(&page_of(
        &shared, &ctx, results, start, limit, total,
    ))?)
}

async fn group_picker(State(shared): State<AppState>, ctx: Ctx) -> Answer {
    let query = ctx.required("query")?.to_lowercase();
    let (start, limit) = ctx.paging(200, 200)?;
    let hits: Vec<usize> = shared
        .dir()
        .groups
        .iter()
        .enumerate()
        .filter(|(_, g)| g.name.to_lowercase().contains(&query))
        .map(|(i, _)| i)
        .collect();
    let results = hits[window(hits.len(), start, limit)]
        .iter()
        .map(|&g| group_json(&shared, g))
        .collect::<Result<Vec<_>, _>>()?;
    let mut page = page_of(&shared, &ctx, results, start, limit, hits.len());
    page.total_size = Some(hits.len() as i64);
    ok_json(to_json(&page)?)
}

async fn group_members(
    State(shared): State<AppState>,
    Path(group_id): Path<String>,
    ctx: Ctx,
) -> Answer {
    let dir = shared.dir();
    let group = dir
        .group_by_id
        .get(&group_id)
        .and_then(|&g| dir.groups.get(usize::from(g)))
        .ok_or_else(|| Fail::not_found(format!("No group found with id {}.", clip(&group_id))))?;
    // This endpoint refuses, rather than caps, a limit above 200 (its documented 400).
    let (start, limit) = ctx.paging(200, usize::MAX)?;
    if limit > 200 {
        return Err(Fail::bad(format!(
            "The limit {limit} is greater than the maximum of 200."
        )));
    }
    let expand = ctx.expands();
    let results = group.members[window(group.members.len(), start, limit)]
        .iter()
        .map(|&u| user_json(&shared, u, &expand))
        .collect::<Result<Vec<_>, _>>()?;
    let mut page = page_of(&shared, &ctx, results, start, limit, group.members.len());
    if ctx.param("shouldReturnTotalSize") == Some("true") {
        page.total_size = Some(group.members.len() as i64);
    }
    ok_json(to_json(&page)?)
}

async fn list_spaces(State(shared): State<AppState>, ctx: Ctx) -> Answer {
    let (start, limit) = ctx.paging(25, 250)?;
    let dir = shared.dir();
    let keys: Vec<&str> = ctx
        .all("spaceKey")
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .collect();
    let kind = ctx.param("type").filter(|t| !t.is_empty());
    let status = ctx.param("status").filter(|t| !t.is_empty());
    let label = ctx.param("label").filter(|t| !t.is_empty());
    let favourite = match ctx.param("favourite") {
        Some("true") => Some(true),
        Some("false") => Some(false),
        _ => None,
    };
    let hits: Vec<&SeedSpace> = dir
        .spaces
        .iter()
        .filter(|s| keys.is_empty() || keys.contains(&s.key.as_str()))
        .filter(|s| kind.is_none_or(|k| (k == "personal") == s.personal))
        .filter(|s| status.is_none_or(|st| (st == "archived") == s.archived))
        .filter(|s| label.is_none_or(|l| s.labels.iter().any(|x| x.eq_ignore_ascii_case(l))))
        .filter(|s| {
            favourite.is_none_or(|f| f == shared.store.watching(ctx.user, WatchKind::Space, &s.key))
        })
        .collect();
    let expand = ctx.expands();
    let results = hits[window(hits.len(), start, limit)]
        .iter()
        .map(|s| space_json(&shared, s, &expand))
        .collect::<Result<Vec<_>, _>>()?;
    ok_json(to_json(&page_of(
        &shared,
        &ctx,
        results,
        start,
        limit,
        hits.len(),
    ))?)
}

async fn not_found(uri: Uri) -> Fail {
    Fail::not_found(format!(
        "No resource at {}",
        uri.path().chars().take(200).collect::<String>()
    ))
}

/// Latency, then maybe a 500 or a 429, before the request reaches its handler.
async fn inject_faults(State(shared): State<AppState>, request: Request, next: Next) -> Response {
    let faults = *shared.faults.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((min, max)) = faults.latency {
        let wait = if max > min {
            min + (max - min).mul_f64(rand::random::<f64>())
        } else {
            min
        };
        tokio::time::sleep(wait).await;
    }
    if faults.fail_rate > 0.0 && rand::random::<f64>() < faults.fail_rate {
        if rand::random::<bool>() {
            let mut response = Fail::new(
                StatusCode::TOO_MANY_REQUESTS,
                "Rate limit exceeded (injected by the demo server).",
            )
            .into_response();
            let reset = (chrono::Utc::now() + chrono::Duration::seconds(1))
                .format("%Y-%m-%dT%H:%MZ")
                .to_string();
            let h = response.headers_mut();
            h.insert(RETRY_AFTER, HeaderValue::from_static("1"));
            h.insert("X-RateLimit-Limit", HeaderValue::from_static("100"));
            h.insert("X-RateLimit-Remaining", HeaderValue::from_static("0"));
            if let Ok(v) = HeaderValue::from_str(&reset) {
                h.insert("X-RateLimit-Reset", v);
            }
            return response;
        }
        return Fail::internal("Internal server error (injected by the demo server).")
            .into_response();
    }
    next.run(request).await
}

/// Every route of the demo, on Confluence Cloud's paths.
pub fn router(shared: AppState) -> Router {
    const API: &str = "/wiki/rest/api";
    Router::new()
        .route(&format!("{API}/user"), get(get_user))
        .route(&format!("{API}/user/anonymous"), get(anonymous_user))
        .route(&format!("{API}/user/current"), get(current_user))
        .route(&format!("{API}/user/memberof"), get(member_of))
        .route(&format!("{API}/user/bulk"), get(bulk_users))
        .route(
            &format!("{API}/user/watch/{{kind}}/{{id}}"),
            get(watch).post(watch).delete(watch),
        )
        .route(&format!("{API}/user/email"), get(user_email))
        .route(&format!("{API}/user/email/bulk"), get(user_email_bulk))
        .route(
            &format!("{API}/user/{{user_id}}/property"),
            get(list_properties),
        )
        .route(
            &format!("{API}/user/{{user_id}}/property/{{key}}"),
            get(get_property)
                .post(create_property)
                .put(update_property)
                .delete(delete_property),
        )
        .route(&format!("{API}/search/user"), get(search_users))
        .route(&format!("{API}/group"), get(list_groups))
        .route(&format!("{API}/group/picker"), get(group_picker))
        .route(
            &format!("{API}/group/{{group_id}}/membersByGroupId"),
            get(group_members),
        )
        .route(&format!("{API}/space"), get(list_spaces))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            inject_faults,
        ))
        .with_state(shared)
}
