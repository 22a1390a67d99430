//! `/group`, `/group/picker` and `/group/{groupId}/membersByGroupId`: the site's groups and
//! their members, mirroring `api/group.rs`.
//!
//! `GET /group/by-id`, which every group's `_links.self` names, is served too. It owns the group's JSON shape (system groups marked as Cloud marks them) and the members
//! endpoint's refusal of limits above 200. A user's own groups (`/user/memberof`) are in
//! `users.rs`, as in the client.

use super::users::user_json;
use super::{clip, ok_json, page_of, to_json, window, Answer, AppState, Ctx, Fail, Shared};
use crate::api::model::{Group, Links};
use axum::extract::{Path, State};
use serde_json::Value;

pub(super) fn group_json(shared: &Shared, index: usize) -> Result<Value, Fail> {
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

/// `GET /group/by-id?id=`: one group, the `_links.self` of every group.
pub(super) async fn group_by_id(State(shared): State<AppState>, ctx: Ctx) -> Answer {
    let id = ctx.required("id")?;
    let dir = shared.dir();
    let index = dir
        .group_by_id
        .get(id)
        .ok_or_else(|| Fail::not_found(format!("No group found with id {}.", clip(id))))?;
    ok_json(group_json(&shared, usize::from(*index))?)
}

pub(super) async fn list_groups(State(shared): State<AppState>, ctx: Ctx) -> Answer {
    let (start, limit) = ctx.paging(200, 200)?;
    let total = shared.dir().groups.len();
    let results = window(total, start, limit)
        .map(|g| group_json(&shared, g))
        .collect::<Result<Vec<_>, _>>()?;
    ok_json(to_json(&page_of(
        &shared, &ctx, results, start, limit, total,
    ))?)
}

pub(super) async fn group_picker(State(shared): State<AppState>, ctx: Ctx) -> Answer {
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

pub(super) async fn group_members(
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
