//! The user search: CQL by name, paging to the end, malformed CQL, and every list's default
//! limit.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::{client, no_retry, server, v1_server};
use confdir::api::{ApiError, Paging, SitePermissionFilter};
use confdir::demo::{ADMIN_ACCOUNT_ID, DEMO_ACCOUNT_ID, DEMO_EMAIL};
use futures::StreamExt;
use pretty_assertions::assert_eq;

#[tokio::test]
async fn search_by_fullname_is_word_prefix_case_and_accent_insensitive() {
    let s = server().await;
    let c = client(&s, false);
    let names = |cql: &str| {
        let c = c.clone();
        let cql = cql.to_string();
        async move {
            c.search_users(&cql, Paging::first(100), SitePermissionFilter::None, &[])
                .all()
                .await
                .unwrap()
                .into_iter()
                .filter_map(|r| r.user.map(|u| u.name().to_string()))
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(names(r#"user.fullname~"ada lov""#).await, ["Ada Lovelace"]);
    assert_eq!(names(r#"user.fullname~"LOVELACE""#).await, ["Ada Lovelace"]);
    assert!(names(r#"user.fullname~"ovelace""#).await.is_empty());
    assert_eq!(names("user = currentUser()").await, ["Ada Lovelace"]);
    assert_eq!(
        names(&format!(
            r#"user IN ("{DEMO_ACCOUNT_ID}", "{ADMIN_ACCOUNT_ID}")"#
        ))
        .await,
        ["Ada Lovelace", "Grace Hopper"]
    );
    assert_eq!(
        names(&format!(
            r#"user.accountid = "{ADMIN_ACCOUNT_ID}" AND NOT user.fullname ~ ada"#
        ))
        .await,
        ["Grace Hopper"]
    );
    let muller = names(r#"user.fullname~"muller""#).await;
    assert!(!muller.is_empty());
    assert!(muller.iter().all(|n| n.contains("Müller")), "{muller:?}");
    s.stop().await;
}

#[tokio::test]
async fn search_pages_follow_next_links_to_the_end() {
    let s = server().await;
    let c = client(&s, false);
    let cql = r#"user.fullname~"a" OR type=user"#;
    // `all`: guests included (the default, `none`, is licensed users only).
    let first = c
        .search_users(cql, Paging::first(100), SitePermissionFilter::All, &[])
        .first()
        .await
        .unwrap();
    assert_eq!(first.total_size, Some(1500));
    assert_eq!(first.size, Some(100));
    let next = first.links.next.clone().unwrap();
    assert!(next.starts_with("/rest/api/search/user?"), "{next}");
    assert!(next.contains("start=100"), "{next}");
    let mut pages = c
        .search_users(cql, Paging::first(400), SitePermissionFilter::All, &[])
        .pages();
    let mut sizes = Vec::new();
    let mut ids = std::collections::HashSet::new();
    while let Some(page) = pages.next().await {
        let page = page.unwrap();
        sizes.push(page.results.len());
        for r in page.results {
            assert!(ids.insert(r.user.unwrap().account_id.unwrap()));
        }
    }
    assert_eq!(sizes, [400, 400, 400, 300]);
    assert_eq!(ids.len(), 1500);
    s.stop().await;
}

#[tokio::test]
async fn malformed_cql_is_a_400_with_confluence_body() {
    let s = server().await;
    let c = no_retry(&s);
    for cql in [r#"user.fullname~"open"#, "((", "nonsense", "user IN ()"] {
        let err = c
            .search_users(cql, Paging::first(10), SitePermissionFilter::None, &[])
            .first()
            .await
            .unwrap_err();
        assert!(
            matches!(&err, ApiError::BadRequest { message, .. } if message.starts_with("Could not parse cql")),
            "{cql}: {err:?}"
        );
    }
    // The server is still fine afterwards.
    assert!(c.current_user(&[]).await.is_ok());
    s.stop().await;
}

#[tokio::test]
async fn default_limits_follow_the_contract() {
    // v1 `GET /space` (one of the lists) is served only with `v1_spaces`.
    let s = v1_server().await;
    let http = crate::support::client::raw_http();
    let group = s.directory().groups[0].id.clone();
    for (path, default) in [
        ("search/user?cql=type%3Duser".to_string(), 25),
        (format!("user/{DEMO_ACCOUNT_ID}/property"), 5),
        ("space".to_string(), 25),
        ("group".to_string(), 200),
        ("group/picker?query=-".to_string(), 200),
        (format!("group/{group}/membersByGroupId"), 200),
        (format!("user/memberof?accountId={DEMO_ACCOUNT_ID}"), 200),
    ] {
        let page: serde_json::Value = http
            .get(format!("{}/rest/api/{path}", s.base_url()))
            .basic_auth(DEMO_EMAIL, Some("demo"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(page["limit"], default, "{path}");
        let n = page["results"].as_array().unwrap().len();
        assert!(n <= default, "{path}: {n}");
        assert_eq!(page["size"], n, "{path}");
        // `next` is present exactly when more items remain, and is relative to `base`.
        if let Some(next) = page["_links"]["next"].as_str() {
            assert_eq!(n, default, "{path}");
            assert!(next.starts_with("/rest/api/"), "{next}");
            assert!(next.contains(&format!("start={default}")), "{next}");
        }
    }
    s.stop().await;
}

/// `type=user` through `/search/user` with `extra` query pairs, as the demo user: the users.
async fn search_raw(
    s: &confdir::demo::DemoServer,
    extra: &[(&str, &str)],
) -> Vec<serde_json::Value> {
    let mut query = vec![("cql", "type=user"), ("limit", "1000")];
    query.extend_from_slice(extra);
    let mut out = Vec::new();
    let mut start = 0;
    loop {
        let page: serde_json::Value = crate::support::client::raw_http()
            .get(format!("{}/rest/api/search/user", s.base_url()))
            .query(&query)
            .query(&[("start", start)])
            .basic_auth(DEMO_EMAIL, Some("demo"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let results = page["results"].as_array().unwrap();
        out.extend(results.iter().map(|r| r["user"].clone()));
        if page["_links"]["next"].is_null() {
            return out;
        }
        start += results.len();
    }
}

#[tokio::test]
async fn the_permission_filter_keeps_guests_out_unless_asked_for() {
    let s = server().await;
    let is_guest = |u: &serde_json::Value| u["isGuest"] == true;
    let default = search_raw(&s, &[]).await;
    let none = search_raw(&s, &[("sitePermissionTypeFilter", "none")]).await;
    let guests = search_raw(&s, &[("sitePermissionTypeFilter", "externalCollaborator")]).await;
    let all = search_raw(&s, &[("sitePermissionTypeFilter", "all")]).await;
    assert_eq!(default, none);
    assert!(!none.is_empty() && !none.iter().any(is_guest));
    assert!(!guests.is_empty() && guests.iter().all(is_guest));
    assert_eq!(none.len() + guests.len(), all.len());
    assert_eq!(all.len(), s.directory().users.len());
    s.stop().await;
}

#[tokio::test]
async fn search_expand_takes_the_documented_values_only() {
    let s = server().await;
    let cql = [("cql", "user.fullname~\"ada lovelace\"")];
    let ada = |expand: &'static str| {
        let s = &s;
        async move {
            let page: serde_json::Value = crate::support::client::raw_http()
                .get(format!("{}/rest/api/search/user", s.base_url()))
                .query(&cql)
                .query(&[("expand", expand)])
                .basic_auth(DEMO_EMAIL, Some("demo"))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            page["results"][0]["user"].clone()
        }
    };
    let documented = ada("operations,personalSpace").await;
    assert_eq!(documented["accountId"], DEMO_ACCOUNT_ID);
    assert!(documented["operations"].is_array(), "{documented}");
    assert!(
        documented["personalSpace"]["key"].is_string(),
        "{documented}"
    );
    // Cloud ignores values it does not document, such as the `user.` prefixed ones.
    let prefixed = ada("user.operations,user.personalSpace").await;
    assert!(prefixed["operations"].is_null(), "{prefixed}");
    assert!(prefixed["personalSpace"].is_null(), "{prefixed}");
    assert_eq!(prefixed["_expandable"]["operations"], "");
    s.stop().await;
}

#[tokio::test]
async fn type_user_search_stops_at_the_cap_as_cloud_does() {
    // Cloud: "`cql=type=user` will return up to 10k users"; the demo caps likewise (lowered
    // here so a small directory reaches it), its `totalSize` too.
    let s = crate::support::demo::start(confdir::demo::DemoOptions {
        users: 600,
        search_cap: 200,
        ..confdir::demo::DemoOptions::default()
    })
    .await;
    let all = search_raw(&s, &[("sitePermissionTypeFilter", "all")]).await;
    assert_eq!(all.len(), 200);
    let deep: serde_json::Value = crate::support::client::raw_http()
        .get(format!("{}/rest/api/search/user", s.base_url()))
        .query(&[("cql", "type=user"), ("sitePermissionTypeFilter", "all")])
        .query(&[("start", "150"), ("limit", "100")])
        .basic_auth(DEMO_EMAIL, Some("demo"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(deep["results"].as_array().unwrap().len(), 50);
    assert_eq!(deep["totalSize"], 200);
    assert!(deep["_links"]["next"].is_null(), "{}", deep["_links"]);
    assert_eq!(
        confdir::demo::DemoOptions::default().search_cap,
        10_000,
        "Cloud's documented cap"
    );
    s.stop().await;
}
