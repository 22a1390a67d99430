//! The API gateway form of the site, `/ex/confluence/{cloudId}/wiki/...`, and
//! `/_edge/tenant_info`, which tells a client the cloud id.
//!
//! Scoped API tokens and OAuth 2.0 apps must call `https://api.atlassian.com/ex/confluence/
//! {cloudId}` instead of the site (Atlassian, "Scoped API Tokens in Confluence Cloud"); the id is
//! what `https://SITE/_edge/tenant_info` answers, without auth. The demo serves both forms on one
//! port: [`rewrite`] runs before routing, checks the cloud id, strips the prefix and marks the
//! request [`ViaGateway`] (which lets `Bearer` auth through), so every endpoint answers the same
//! way on both. Answers keep naming the site in `_links.base`, as Cloud's do through the gateway.
//!
//! A wrong cloud id, or a path under it outside `/wiki`, is the gateway's own 404, in its own
//! JSON shape (`{"code": …, "message": …}`, as the gateway's 401s were reported by clients, e.g.
//! "Unauthorized; scope does not match"): the request never reaches a site.

use super::AppState;
use axum::extract::{Request, State};
use axum::http::{StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// Marks a request that came in through the gateway form.
#[derive(Clone, Copy, Debug)]
pub(super) struct ViaGateway;

const PREFIX: &str = "/ex/confluence/";

fn gateway_error(status: StatusCode) -> Response {
    let message = status.canonical_reason().unwrap_or("Error");
    (
        status,
        Json(json!({ "code": status.as_u16(), "message": message })),
    )
        .into_response()
}

/// Turns `/ex/confluence/{cloudId}/wiki/...` into `/wiki/...` for the site's router, or answers
/// the gateway's 404 for another cloud id. Other paths pass untouched.
pub(super) async fn rewrite(
    State(shared): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let Some(rest) = request.uri().path().strip_prefix(PREFIX) else {
        return next.run(request).await;
    };
    let (id, tail) = rest.split_once('/').unwrap_or((rest, ""));
    if id != shared.cloud_id || !(tail == "wiki" || tail.starts_with("wiki/")) {
        return gateway_error(StatusCode::NOT_FOUND);
    }
    let target = match request.uri().query() {
        Some(q) => format!("/{tail}?{q}"),
        None => format!("/{tail}"),
    };
    match Uri::try_from(target) {
        Ok(uri) => *request.uri_mut() = uri,
        Err(_) => return gateway_error(StatusCode::BAD_REQUEST),
    }
    request.extensions_mut().insert(ViaGateway);
    next.run(request).await
}

/// `GET /_edge/tenant_info`: `{"cloudId": "…"}`, to anyone.
pub(super) async fn tenant_info(State(shared): State<AppState>) -> Response {
    Json(json!({ "cloudId": shared.cloud_id })).into_response()
}
