//! `/user/watch/{content|label|space}/{id}`: whether someone watches a page, a label or a space,
//! and starting or stopping, mirroring `api/watch.rs`.
//!
//! It owns the rule that only administrators see or change
//! another user's watches. What is watched is the store's business; this file only asks and tells.

use super::{clip, not_found, ok_json, to_json, Answer, AppState, Ctx, Fail, Shared};
use crate::api::model::UserWatch;
use crate::demo::store::WatchKind;
use axum::extract::{Path, State};
use axum::http::{Method, StatusCode, Uri};
use axum::response::IntoResponse;

/// The user the request is about: `accountId`, defaulting to the caller. Naming someone else
/// is for administrators only (watch endpoints).
fn watch_subject(ctx: &Ctx, shared: &Shared) -> Result<u32, Fail> {
    match ctx.param("accountId").filter(|v| !v.is_empty()) {
        None => Ok(ctx.user),
        Some(id) => {
            let other = shared.dir().user_index(id);
            if other == Some(ctx.user) {
                return Ok(ctx.user);
            }
            if !ctx.admin {
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

/// GET/POST/DELETE `/user/watch/{content|label|space}/{id}`: one handler for the nine watch
/// operations. An unknown kind is an unknown path (404), as on Confluence.
pub(super) async fn watch(
    State(shared): State<AppState>,
    Path((kind, id)): Path<(String, String)>,
    method: Method,
    uri: Uri,
    ctx: Ctx,
) -> Answer {
    let kind = match kind.as_str() {
        "content" => WatchKind::Content,
        "label" => WatchKind::Label,
        "space" => WatchKind::Space,
        _ => return Err(not_found(uri).await),
    };
    let user = watch_subject(&ctx, &shared)?;
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
