//! `GET /wiki/api/v2/pages/{id}`: one seeded page through Confluence's v2 API (`getPageById`,
//! which answers a `PageSingle`: `id` and `spaceId` as strings, `status`, `title`, `_links`).
//! confdir reads only the title, for the watch list's pinned pages. An id that is not a seeded
//! page is a 404, and one that is not a number a 400, each in v2's error shape.

use super::{AppState, Ctx};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// A v2 error answer: `{"errors": [{"status", "code", "title", "detail"}]}`.
fn fail(status: StatusCode, code: &str, title: String) -> Response {
    (
        status,
        Json(json!({ "errors": [{
            "status": status.as_u16(),
            "code": code,
            "title": title,
            "detail": null,
        }]})),
    )
        .into_response()
}

/// `GET /wiki/api/v2/pages/{id}`.
pub(super) async fn get_page(
    State(shared): State<AppState>,
    Path(id): Path<String>,
    _ctx: Ctx,
) -> Response {
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_digit()) {
        return fail(
            StatusCode::BAD_REQUEST,
            "INVALID_REQUEST_PARAMETER",
            format!("The page id must be a number, not `{}`", super::clip(&id)),
        );
    }
    let dir = shared.dir();
    let Some(page) = dir
        .page_by_id
        .get(&id)
        .and_then(|&i| dir.pages.get(usize::from(i)))
    else {
        return fail(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            format!("No page with id {id}"),
        );
    };
    let space_id = dir
        .space_by_key
        .get(&page.space_key)
        .and_then(|&i| dir.spaces.get(usize::from(i)))
        .map(|s| s.id);
    Json(json!({
        "id": page.id,
        "status": "current",
        "title": page.title,
        "spaceId": space_id.map(|s| s.to_string()),
        "_links": { "webui": format!("/spaces/{}/pages/{}", page.space_key, page.id) },
    }))
    .into_response()
}
