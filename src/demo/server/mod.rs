//! The HTTP side of the demo: axum routes on the paths of Confluence Cloud, with its auth, XSRF,
//! error bodies, paging and limits, plus fault injection.
//!
//! This file owns what every endpoint shares: the router, the shared state, the per-request
//! context (caller and query), error answers in Confluence's shape, the paging helpers and the
//! injected latency and failures. What guards every request (the XSRF check of writes, the URI
//! length limit, JSON bodies for every error) is in `guard.rs`; the API gateway form
//! (`/ex/confluence/{cloudId}/wiki/...`) and `/_edge/tenant_info` in `gateway.rs`. The endpoints
//! themselves live in one file per group, mirroring `api/`: `users.rs`, `email.rs`, `group.rs`,
//! `space.rs` (v1), `spaces_v2.rs`, `watch.rs` and `property.rs`.
//!
//! Handlers read the immutable [`SeededDirectory`] and the [`Store`], and build answers with the
//! project's own wire types (`api::model`) so the demo cannot drift from what the client decodes.
//! Where the contract requires a member that those types leave out when empty (a `null`
//! `profilePicture` or `timeZone` of a privacy-restricted user), it is added to the JSON here.
//! Nothing the client sends is trusted: every parameter is parsed with an error path, and no
//! input can panic a handler.

mod email;
mod gateway;
mod group;
mod guard;
mod pages_v2;
mod property;
mod space;
mod spaces_v2;
mod users;
mod watch;

pub use users::SEARCH_MAX;

use super::seed::{SeededDirectory, ADMIN_ACCOUNT_ID, DEMO_ACCOUNT_ID};
use super::store::Store;
use super::{DEMO_ADMIN_TOKEN, DEMO_TOKEN};
use crate::api::model::{ErrorBody, ErrorData, Links, Page};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::{AUTHORIZATION, RETRY_AFTER, WWW_AUTHENTICATE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use serde_json::Value;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Latency and failure injection, changeable while the server runs.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Faults {
    /// Each response waits a random time in this range.
    pub latency: Option<(Duration, Duration)>,
    /// Share of requests (0.0–1.0) answered with 500, or with 429 and `Retry-After`.
    pub fail_rate: f64,
    /// Share of writes (POST, PUT, DELETE; 0.0–1.0) answered with 500, reads untouched: a
    /// partly failed bulk change, to be resumed.
    pub write_fail_rate: f64,
}

/// What every handler reaches.
pub struct Shared {
    /// The seeded directory and its changes.
    pub store: Store,
    /// `http://127.0.0.1:PORT/wiki`: the `_links.base` of every answer, through the gateway too.
    pub base: String,
    /// The site's cloud id (`/_edge/tenant_info`, the gateway form's path).
    pub cloud_id: String,
    /// Whether v1 `GET /space` and `/space/{key}` are served (otherwise `410 Gone`).
    pub v1_spaces: bool,
    /// Fault injection settings.
    pub faults: Mutex<Faults>,
    /// The most people user search returns ([`crate::demo::DemoOptions::search_cap`]).
    pub search_cap: usize,
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
    /// What Cloud answers on a v1 endpoint it has removed (`GET /space`): 410 with the
    /// `GoneException` other clients reported from July 2025
    /// (atlassian-api/atlassian-python-api#1560, sooperset/mcp-atlassian#474).
    fn gone() -> Fail {
        Fail {
            status: StatusCode::GONE,
            body: ErrorBody {
                status_code: Some(410),
                message: Some(
                    "com.atlassian.confluence.api.service.exceptions.GoneException: This deprecated endpoint has been removed."
                        .into(),
                ),
                reason: None,
                data: Some(ErrorData {
                    authorized: Some(true),
                    valid: Some(true),
                    allowed_in_read_only_mode: None,
                    successful: Some(false),
                    errors: Vec::new(),
                }),
            },
        }
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

/// Who is calling, from the `Authorization` header: `None` when there is none.
///
/// The site takes Basic (email and API token) only. The API gateway form also takes
/// `Bearer <token>`, as `api.atlassian.com` does for OAuth 2.0 access tokens, while scoped API
/// tokens use Basic there too (Atlassian, "Scoped API Tokens in Confluence Cloud",
/// support.atlassian.com/confluence/kb/scoped-api-tokens-in-confluence-cloud). The demo's OAuth
/// access tokens are its API tokens: `Bearer demo` is Ada, `Bearer demo-admin` Grace.
fn caller(
    headers: &HeaderMap,
    via_gateway: bool,
    dir: &SeededDirectory,
) -> Result<Option<(u32, bool)>, Fail> {
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
    let bearer = text
        .strip_prefix("Bearer ")
        .or_else(|| text.strip_prefix("bearer "))
        .filter(|_| via_gateway);
    let decoded;
    let token = if let Some(token) = bearer {
        token.trim()
    } else {
        let encoded = text
            .strip_prefix("Basic ")
            .or_else(|| text.strip_prefix("basic "))
            .ok_or_else(refused)?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(encoded.trim())
            .map_err(|_| refused())?;
        decoded = String::from_utf8(bytes).map_err(|_| refused())?;
        decoded.split_once(':').ok_or_else(refused)?.1
    };
    let (account, admin) = match token {
        DEMO_TOKEN => (DEMO_ACCOUNT_ID, false),
        DEMO_ADMIN_TOKEN => (ADMIN_ACCOUNT_ID, true),
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
        let via_gateway = parts.extensions.get::<gateway::ViaGateway>().is_some();
        let (user, admin) = caller(&parts.headers, via_gateway, state.dir())?.ok_or_else(|| {
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

/// Request text echoed in an error message, cut to a sane length.
fn clip(text: &str) -> String {
    let mut out: String = text.chars().take(100).collect();
    if text.chars().count() > 100 {
        out.push('…');
    }
    out
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
    if faults.write_fail_rate > 0.0
        && request.method() != axum::http::Method::GET
        && rand::random::<f64>() < faults.write_fail_rate
    {
        return Fail::internal("Write failed (injected by the demo server).").into_response();
    }
    next.run(request).await
}

/// Every route of the demo, on Confluence Cloud's paths, and the same under the API gateway's
/// `/ex/confluence/{cloudId}` (rewritten before routing, `gateway.rs`).
pub fn router(shared: AppState) -> Router {
    const API: &str = "/wiki/rest/api";
    let site = Router::new()
        .route(&format!("{API}/user"), get(users::get_user))
        .route(&format!("{API}/user/anonymous"), get(users::anonymous_user))
        .route(&format!("{API}/user/current"), get(users::current_user))
        .route(&format!("{API}/user/memberof"), get(users::member_of))
        .route(&format!("{API}/user/bulk"), get(users::bulk_users))
        .route(
            &format!("{API}/user/watch/{{kind}}/{{id}}"),
            get(watch::watch).post(watch::watch).delete(watch::watch),
        )
        .route(&format!("{API}/user/email"), get(email::user_email))
        .route(
            &format!("{API}/user/email/bulk"),
            get(email::user_email_bulk),
        )
        .route(
            &format!("{API}/user/{{user_id}}/property"),
            get(property::list_properties),
        )
        .route(
            &format!("{API}/user/{{user_id}}/property/{{key}}"),
            get(property::get_property)
                .post(property::create_property)
                .put(property::update_property)
                .delete(property::delete_property),
        )
        .route(&format!("{API}/search/user"), get(users::search_users))
        .route(&format!("{API}/group"), get(group::list_groups))
        .route(&format!("{API}/group/by-id"), get(group::group_by_id))
        .route(&format!("{API}/group/picker"), get(group::group_picker))
        .route(
            &format!("{API}/group/{{group_id}}/membersByGroupId"),
            get(group::group_members),
        )
        .route(&format!("{API}/space"), get(space::list_spaces))
        .route(&format!("{API}/space/{{key}}"), get(space::get_space))
        .route("/wiki/api/v2/spaces", get(spaces_v2::list_spaces))
        .route("/wiki/api/v2/pages/{id}", get(pages_v2::get_page))
        .route("/_edge/tenant_info", get(gateway::tenant_info))
        .route_layer(axum::middleware::from_fn(guard::xsrf))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            inject_faults,
        ))
        .layer(axum::middleware::from_fn(guard::json_errors))
        .layer(axum::middleware::from_fn(guard::uri_limit))
        .with_state(shared.clone());
    Router::new()
        .fallback_service(site)
        .layer(axum::middleware::from_fn_with_state(
            shared,
            gateway::rewrite,
        ))
}
