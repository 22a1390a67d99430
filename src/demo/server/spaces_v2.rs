//! `GET /wiki/api/v2/spaces`: the site's spaces through Confluence's v2 API, which replaces the
//! removed v1 `GET /space`.
//!
//! Shapes and parameters follow Atlassian's published v2 spec (`getSpaces`, "The Confluence
//! Cloud REST API v2", openapi-v2.v3.json, version 2.0.0): filters `ids`, `keys`, `type`,
//! `status` and `labels` ("Multiple … can be specified as a comma-separated list"; repeated
//! parameters are accepted too, as the array's default OpenAPI form), `sort`,
//! `description-format`, `include-icon`, `limit` (default 25, at most 250) and `cursor`. Results
//! are `SpaceBulk` objects with string ids, sorted by id unless `sort` says otherwise.
//!
//! Paging is by cursor: `_links.next` is a URL relative to the site's origin
//! (`/wiki/api/v2/spaces?…&cursor=…`, as in the spec's `Link` header example), repeated in a
//! `Link: <…>; rel="next", <base>; rel="base"` header; `_links.base` is the site. The cursor is
//! opaque to clients: the position after the last result, base64url-encoded with a tag, so a
//! client cannot compute one; anything else is a 400. v2 errors have v2's own body,
//! `{"errors": [{"status", "code", "title", "detail"}]}` (as Cloud's v2 answered in
//! hunyadi/md2conf#113).

use super::space::html_escape;
use super::{timestamp, AppState, Ctx, Shared};
use crate::demo::seed::{SeedSpace, ADMIN_ACCOUNT_ID};
use axum::extract::State;
use axum::http::header::LINK;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use serde_json::{json, Value};

/// Default page size.
const LIMIT_DEFAULT: usize = 25;
/// Largest page size; a larger `limit` is cut to it.
const LIMIT_MAX: usize = 250;
/// What a cursor's decoded text starts with.
const CURSOR_TAG: &str = "spaces-after:";

/// A v2 error answer.
pub(super) struct V2Fail {
    status: StatusCode,
    title: String,
}

impl V2Fail {
    fn bad(title: impl Into<String>) -> V2Fail {
        V2Fail {
            status: StatusCode::BAD_REQUEST,
            title: title.into(),
        }
    }
}

impl IntoResponse for V2Fail {
    fn into_response(self) -> Response {
        let code = match self.status {
            StatusCode::BAD_REQUEST => "INVALID_REQUEST_PARAMETER",
            _ => "INTERNAL_SERVER_ERROR",
        };
        (
            self.status,
            Json(json!({ "errors": [{
                "status": self.status.as_u16(),
                "code": code,
                "title": self.title,
                "detail": null,
            }]})),
        )
            .into_response()
    }
}

/// The opaque cursor for "results from `position` on".
fn encode_cursor(position: usize) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{CURSOR_TAG}{position}"))
}

fn decode_cursor(cursor: &str) -> Result<usize, V2Fail> {
    let bad = || V2Fail::bad("The cursor is not valid.");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor.trim())
        .map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    text.strip_prefix(CURSOR_TAG)
        .and_then(|n| n.parse::<usize>().ok())
        .ok_or_else(bad)
}

/// Every value of a list parameter: repeated, comma-separated, or both.
fn list<'a>(ctx: &'a Ctx, name: &'a str) -> Vec<&'a str> {
    ctx.all(name)
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect()
}

fn one_of<'a>(ctx: &'a Ctx, name: &str, allowed: &[&str]) -> Result<Option<&'a str>, V2Fail> {
    match ctx.param(name).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) if allowed.contains(&v) => Ok(Some(v)),
        Some(v) => Err(V2Fail::bad(format!(
            "`{name}` must be one of {}, not `{}`",
            allowed.join(", "),
            super::clip(v)
        ))),
    }
}

fn limit(ctx: &Ctx) -> Result<usize, V2Fail> {
    match ctx.param("limit").filter(|v| !v.is_empty()) {
        None => Ok(LIMIT_DEFAULT),
        Some(v) => match v.trim().parse::<i32>() {
            Ok(n) if n >= 1 => Ok((n as usize).min(LIMIT_MAX)),
            _ => Err(V2Fail::bad(format!(
                "`limit` must be an integer from 1 to {LIMIT_MAX}, not `{}`",
                super::clip(v)
            ))),
        },
    }
}

/// A space in v2's `SpaceBulk` shape.
fn space_json(s: &SeedSpace, description: Option<&str>, icon: bool) -> Value {
    let mut v = json!({
        "id": s.id.to_string(),
        "key": s.key,
        "name": s.name,
        "type": if s.personal { "personal" } else { "global" },
        "status": if s.archived { "archived" } else { "current" },
        "authorId": s.key.strip_prefix('~').unwrap_or(ADMIN_ACCOUNT_ID),
        "createdAt": timestamp(1_600_000_000 + s.id % 100_000_000),
        "_links": { "webui": format!("/spaces/{}", s.key) },
    });
    if let Some(format) = description {
        let value = if format == "view" {
            format!("<p>{}</p>", html_escape(&s.description))
        } else {
            s.description.clone()
        };
        v["description"] = json!({ format: { "representation": format, "value": value } });
    }
    if icon {
        v["icon"] = if s.personal {
            json!({ "path": format!("/wiki/aa-avatar/{}", s.key.trim_start_matches('~')) })
        } else {
            json!({
                "path": format!("/wiki/download/attachments/{}/space-icon.png", s.id),
                "apiDownloadLink": format!("/wiki/rest/api/space/{}/icon", s.key),
            })
        };
    }
    v
}

/// The spaces the filters keep, in the requested order.
fn matching<'a>(shared: &'a Shared, ctx: &Ctx) -> Result<Vec<&'a SeedSpace>, V2Fail> {
    let ids = list(ctx, "ids")
        .into_iter()
        .map(|v| {
            v.parse::<i64>().map_err(|_| {
                V2Fail::bad(format!("`ids` must be numbers, not `{}`", super::clip(v)))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let keys = list(ctx, "keys");
    let labels = list(ctx, "labels");
    let kind = one_of(
        ctx,
        "type",
        &["global", "collaboration", "knowledge_base", "personal"],
    )?;
    let status = one_of(ctx, "status", &["current", "archived"])?;
    let sort = one_of(ctx, "sort", &["id", "-id", "key", "-key", "name", "-name"])?;
    let mut hits: Vec<&SeedSpace> = shared
        .dir()
        .spaces
        .iter()
        .filter(|s| ids.is_empty() || ids.contains(&s.id))
        .filter(|s| keys.is_empty() || keys.contains(&s.key.as_str()))
        .filter(|s| kind.is_none_or(|k| (k == "personal") == s.personal))
        .filter(|s| status.is_none_or(|st| (st == "archived") == s.archived))
        .filter(|s| {
            labels.is_empty()
                || labels
                    .iter()
                    .any(|l| s.labels.iter().any(|x| x.eq_ignore_ascii_case(l)))
        })
        .collect();
    let field = sort.unwrap_or("id");
    match field.trim_start_matches('-') {
        "key" => hits.sort_by(|a, b| a.key.cmp(&b.key)),
        "name" => hits.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id))),
        _ => hits.sort_by_key(|s| s.id),
    }
    if field.starts_with('-') {
        hits.reverse();
    }
    Ok(hits)
}

/// `GET /wiki/api/v2/spaces`.
pub(super) async fn list_spaces(State(shared): State<AppState>, ctx: Ctx) -> Response {
    match answer(&shared, &ctx) {
        Ok(response) => response,
        Err(fail) => fail.into_response(),
    }
}

fn answer(shared: &Shared, ctx: &Ctx) -> Result<Response, V2Fail> {
    let limit = limit(ctx)?;
    let from = match ctx.param("cursor") {
        Some(c) => decode_cursor(c)?,
        None => 0,
    };
    let description = one_of(ctx, "description-format", &["plain", "view"])?;
    let icon = match ctx.param("include-icon") {
        None | Some("false") => false,
        Some("true") => true,
        Some(v) => {
            return Err(V2Fail::bad(format!(
                "`include-icon` must be true or false, not `{}`",
                super::clip(v)
            )))
        }
    };
    let hits = matching(shared, ctx)?;
    let start = from.min(hits.len());
    let end = start.saturating_add(limit).min(hits.len());
    let results: Vec<Value> = hits[start..end]
        .iter()
        .map(|s| space_json(s, description, icon))
        .collect();
    let next = (end < hits.len()).then(|| {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in &ctx.params {
            if k != "cursor" && k != "limit" {
                q.append_pair(k, v);
            }
        }
        q.append_pair("limit", &limit.to_string());
        q.append_pair("cursor", &encode_cursor(end));
        format!("/wiki/api/v2/spaces?{}", q.finish())
    });
    let mut links = json!({ "base": shared.base });
    if let Some(next) = &next {
        links["next"] = json!(next);
    }
    let mut response = Json(json!({ "results": results, "_links": links })).into_response();
    if let Some(next) = next {
        let header = format!("<{next}>; rel=\"next\", <{}>; rel=\"base\"", shared.base);
        if let Ok(value) = HeaderValue::from_str(&header) {
            response.headers_mut().insert(LINK, value);
        }
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_others_are_refused() {
        assert_eq!(decode_cursor(&encode_cursor(250)).ok(), Some(250));
        assert_ne!(encode_cursor(25), "25");
        for bad in [
            "25",
            "",
            "!!",
            &base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("x:1"),
        ] {
            assert!(decode_cursor(bad).is_err(), "{bad}");
        }
    }
}
