//! What every request passes through, whatever its endpoint: the XSRF check of writes, the
//! URI length limit, and Confluence's JSON error body for every error status.
//!
//! - Cloud refuses a state-changing call made with Basic auth unless it carries
//!   `X-Atlassian-Token: no-check`: 403 "XSRF check failed" (api-behaviour.md §2, from the
//!   spec's narrative). [`xsrf`] applies that to every POST, PUT, PATCH and DELETE of a route,
//!   properties as much as watches.
//! - [`uri_limit`]: a request URI longer than [`MAX_URI`] bytes is refused with 414 before
//!   anything parses it. Cloud documents no figure; 32 KiB leaves room for any query the client
//!   sends (a CQL name search, 100 bulk account ids) while keeping one request cheap. (A URI of
//!   64 KiB or more cannot be represented by the `http` crate at all: hyper refuses it itself
//!   with a body-less 414 before any of this code runs.)
//! - [`json_errors`]: axum's own answers (a path segment its extractor rejects, 405, 413 from the
//!   body limit) come as text or empty; they are rewritten into Confluence's error shape
//!   (`statusCode`, `message`, `data`), keeping status and headers (`Allow` of a 405).

use super::{clip, Fail};
use axum::extract::Request;
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Longest request URI (path and query) accepted, in bytes.
pub const MAX_URI: usize = 32_768;

/// 403 "XSRF check failed" for a write without `X-Atlassian-Token: no-check`.
pub(super) async fn xsrf(request: Request, next: Next) -> Response {
    let write =
        [Method::POST, Method::PUT, Method::PATCH, Method::DELETE].contains(request.method());
    let exempt = request
        .headers()
        .get("X-Atlassian-Token")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("no-check"));
    if write && !exempt {
        return Fail::forbidden("XSRF check failed").into_response();
    }
    next.run(request).await
}

/// 414 in Confluence's shape for a URI over [`MAX_URI`] bytes.
pub(super) async fn uri_limit(request: Request, next: Next) -> Response {
    let len = request
        .uri()
        .path_and_query()
        .map_or(0, |pq| pq.as_str().len());
    if len > MAX_URI {
        return Fail::new(
            StatusCode::URI_TOO_LONG,
            format!("The request URI is too long ({len} bytes; at most {MAX_URI})."),
        )
        .into_response();
    }
    next.run(request).await
}

fn is_json(response: &Response) -> bool {
    response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

/// Rewrites a non-JSON error answer into Confluence's error body, its text as the message.
pub(super) async fn json_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    if status.as_u16() < 400 || is_json(&response) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 4096)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let message = if text.is_empty() {
        status.canonical_reason().unwrap_or("Error").to_string()
    } else {
        clip(&text)
    };
    let (fresh, body) = Fail::new(status, message).into_response().into_parts();
    parts.headers.remove(CONTENT_LENGTH);
    for (name, value) in &fresh.headers {
        parts.headers.insert(name.clone(), value.clone());
    }
    if !parts.headers.contains_key(CONTENT_TYPE) {
        parts
            .headers
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    Response::from_parts(parts, body)
}
