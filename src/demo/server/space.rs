//! v1 `/space` and `/space/{key}`: the site's spaces with their filters and expansions,
//! mirroring `api/space.rs`.
//!
//! Cloud has removed both (they are absent from the November 2025 v1 spec, and answer
//! `410 Gone` with a `GoneException`): so does the demo unless it was started with `v1_spaces`
//! (`confdir demo serve --v1-spaces`), which keeps the client's v1 fallback testable. Spaces are
//! served by v2 (`spaces_v2.rs`). `POST /space`, which Cloud keeps, was never served here.
//!
//! It owns the space's JSON shape (`expand` adding `icon`, `description` and `metadata`), also
//! used for a user's personal space. Whether the caller watches a space (the `favourite` filter)
//! is asked of the store.

use super::{clip, ok_json, page_of, to_json, window, Answer, AppState, Ctx, Fail, Shared};
use crate::api::model::{Icon, Links, Space};
use crate::demo::seed::{hash_str, SeedSpace};
use crate::demo::store::WatchKind;
use axum::extract::{Path, State};
use serde_json::{json, Value};

/// A space in the contract's shape; `expand` may add `icon`, `description` and `metadata`.
pub(super) fn space_json(shared: &Shared, s: &SeedSpace, expand: &[String]) -> Result<Value, Fail> {
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
                let id = (hash_str(l) % 1_000_000).to_string();
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
        id: Some(s.id.into()),
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
        ..Space::default()
    };
    to_json(&space)
}

pub(super) fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `GET /space/{key}`, the `_links.self` of every v1 space.
pub(super) async fn get_space(
    State(shared): State<AppState>,
    Path(key): Path<String>,
    ctx: Ctx,
) -> Answer {
    if !shared.v1_spaces {
        return Err(Fail::gone());
    }
    let space = shared
        .dir()
        .spaces
        .iter()
        .find(|s| s.key == key)
        .ok_or_else(|| Fail::not_found(format!("No space with key : {}", clip(&key))))?;
    ok_json(space_json(&shared, space, &ctx.expands())?)
}

pub(super) async fn list_spaces(State(shared): State<AppState>, ctx: Ctx) -> Answer {
    if !shared.v1_spaces {
        return Err(Fail::gone());
    }
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
