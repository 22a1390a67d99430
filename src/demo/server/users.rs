//! `/user`, `/user/current`, `/user/anonymous`, `/user/bulk`, `/user/memberof` and
//! `/search/user`: who people are, mirroring `api/users.rs`.
//!
//! It owns the user's JSON shape (with the privacy `null`s Cloud sends) and the user search over
//! the seeded directory with the CQL subset. It changes nothing: watches and properties have
//! their own files.

use super::gateway::ViaGateway;
use super::group::group_json;
use super::space::space_json;
use super::{
    caller, clip, ok_json, page_of, parse_query, timestamp, to_json, window, Answer, AppState, Ctx,
    Fail, Shared,
};
use crate::api::model::{AnonymousUser, Icon, Links, OperationCheck, SearchResult, Space, User};
use crate::demo::cql::{Query, Subject, MAX_TERMS};
use crate::demo::seed::{AccountKind, SeedPerson};
use axum::extract::{Extension, State};
use axum::http::{HeaderMap, Uri};
use serde_json::{json, Value};

/// User search returns at most this many people however deep it is paged: Atlassian's spec
/// (`searchUser`, `cql`): "`cql=type=user` will return up to 10k users". `totalSize` and `next`
/// stop at the cap too, so nothing in an answer says that more people exist.
pub const SEARCH_MAX: usize = 10_000;
/// `/user/bulk` and `/user/email/bulk` look at no more ids than this.
const BULK_MAX: usize = 100;

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

/// A user in the contract's shape (`User` and `BulkUserLookup`): privacy-hidden fields come out
/// as `""` (email) or `null` (picture, time zone), as Cloud sends them.
pub(super) fn user_json(shared: &Shared, index: u32, expand: &[String]) -> Result<Value, Fail> {
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

pub(super) fn find_user(shared: &Shared, ctx: &Ctx) -> Result<u32, Fail> {
    let id = ctx.required("accountId")?;
    shared.dir().user_index(id).ok_or_else(|| {
        Fail::not_found(format!(
            "No user with account id {} can be found.",
            clip(id)
        ))
    })
}

pub(super) async fn get_user(State(shared): State<AppState>, ctx: Ctx) -> Answer {
    let user = find_user(&shared, &ctx)?;
    ok_json(user_json(&shared, user, &ctx.expands())?)
}

pub(super) async fn current_user(State(shared): State<AppState>, ctx: Ctx) -> Answer {
    let mut value = user_json(&shared, ctx.user, &ctx.expands())?;
    if let Some(links) = value.get_mut("_links").and_then(Value::as_object_mut) {
        links.insert("base".into(), Value::String(shared.base.clone()));
        links.insert("context".into(), Value::String("/wiki".into()));
    }
    ok_json(value)
}

pub(super) async fn anonymous_user(
    State(shared): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    gateway: Option<Extension<ViaGateway>>,
) -> Answer {
    // Anyone may ask how anonymous visitors look, but wrong credentials are still refused.
    caller(&headers, gateway.is_some(), shared.dir())?;
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

/// How a bulk endpoint takes its list of account ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum IdForm {
    /// `accountId=a&accountId=b` (`style: form, explode: true`).
    Repeated,
    /// `accountId=a,b` (`style: form, explode: false`); repeated parameters are read too.
    CommaJoined,
}

/// Account ids of a bulk call in the endpoint's declared form, first 100.
///
/// `/user/bulk` honours only the repeated form: the contract
/// (`shared/api/confluence-user-api.yml`) declares its `accountId` `style: form, explode: true`
/// ("public clients send `accountId=a&accountId=b`"), while Atlassian's own spec types it as one
/// string and nothing from here can verify what Cloud does with `a,b`. So a comma-joined value is
/// one id, which matches no one, and a client that sends that form loses those people here as
/// it might on Cloud. `/user/email/bulk` is declared `explode: false`, so commas separate ids
/// there.
pub(super) fn bulk_ids(ctx: &Ctx, form: IdForm) -> Result<Vec<String>, Fail> {
    let ids: Vec<String> = ctx
        .all("accountId")
        .flat_map(|v| match form {
            IdForm::Repeated => vec![v],
            IdForm::CommaJoined => v.split(',').collect(),
        })
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .take(BULK_MAX)
        .collect();
    if ids.is_empty() {
        return Err(Fail::bad("The `accountId` query parameter is required."));
    }
    Ok(ids)
}

pub(super) async fn bulk_users(State(shared): State<AppState>, ctx: Ctx) -> Answer {
    let ids = bulk_ids(&ctx, IdForm::Repeated)?;
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

pub(super) async fn member_of(State(shared): State<AppState>, ctx: Ctx) -> Answer {
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

/// Which accounts `sitePermissionTypeFilter` keeps. Atlassian documents it as "Use none to
/// default to licensed users, externalCollaborator for external/guest users, and all to include
/// all permission types" (`/search/user`): guests are found only when asked for.
fn permission_filter(ctx: &Ctx) -> Result<fn(&SeedPerson) -> bool, Fail> {
    match ctx.param("sitePermissionTypeFilter").unwrap_or("none") {
        "none" => Ok(|p| p.kind != AccountKind::Guest),
        "externalCollaborator" => Ok(|p| p.kind == AccountKind::Guest),
        "all" => Ok(|_| true),
        other => Err(Fail::bad(format!(
            "`sitePermissionTypeFilter` must be all, externalCollaborator or none, not `{}`",
            other.chars().take(40).collect::<String>()
        ))),
    }
}

/// The query, refused when it is over [`MAX_TERMS`] (a 400, as Cloud refuses bad CQL).
fn parse_cql(ctx: &Ctx, shared: &Shared) -> Result<(String, Query), Fail> {
    let cql = ctx
        .param("cql")
        .filter(|c| !c.trim().is_empty())
        .ok_or_else(|| Fail::bad_cql("", "the cql parameter is required"))?
        .to_string();
    let mut query = Query::parse(&cql).map_err(|e| Fail::bad_cql(&cql, &e.to_string()))?;
    let terms = query.terms();
    if terms > MAX_TERMS {
        return Err(Fail::bad_cql(
            &cql,
            &format!("CQL too complex: {terms} terms, at most {MAX_TERMS}"),
        ));
    }
    if let Some(me) = shared.dir().users.get(ctx.user as usize) {
        query.resolve_current_user(&me.account_id);
    }
    Ok((cql, query))
}

/// `GET /search/user`. The scan of the directory runs on tokio's blocking pool, so a slow query
/// (100,000 people) never holds an async worker that other requests need.
///
/// `expand` takes the values Atlassian documents for this endpoint, `operations` and
/// `personalSpace`; a `user.`-prefixed value is not one of them and is ignored.
pub(super) async fn search_users(State(shared): State<AppState>, ctx: Ctx) -> Answer {
    let began = std::time::Instant::now();
    let (cql, query) = parse_cql(&ctx, &shared)?;
    let (start, limit) = ctx.paging(25, 1000)?;
    let keep = permission_filter(&ctx)?;
    let scan = shared.clone();
    let cap = shared.search_cap;
    let hits: Vec<u32> = tokio::task::spawn_blocking(move || {
        scan.dir()
            .users
            .iter()
            .enumerate()
            .filter(|(_, p)| keep(p))
            .filter(|(_, p)| query.matches(&Searchable(p)))
            .map(|(i, _)| i as u32)
            .take(cap)
            .collect()
    })
    .await
    .map_err(|e| Fail::internal(format!("the search failed: {e}")))?;
    let dir = shared.dir();
    let expand = ctx.expands();
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
