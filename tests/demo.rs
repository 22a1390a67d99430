//! The demo server over real HTTP, driven by the project's own client: every endpoint's normal
//! answer, each Confluence error case, paging, fault injection and the state file.

mod support;

use confdir::api::{
    ApiError, Auth, Client, Paging, RetryPolicy, Secret, SitePermissionFilter, SpaceFilter,
    UserExpand, WatchTarget,
};
use confdir::demo::{DemoOptions, DemoServer, ADMIN_ACCOUNT_ID, DEMO_ACCOUNT_ID, DEMO_EMAIL};
use futures::StreamExt;
use pretty_assertions::assert_eq;
use serde_json::json;
use std::time::{Duration, Instant};
use support::client::demo_client;
use support::demo::start;

async fn server() -> DemoServer {
    start(DemoOptions::default()).await
}

/// A client as the demo user (or the administrator) with the default retries.
fn client(server: &DemoServer, admin: bool) -> Client {
    demo_client(server, admin, RetryPolicy::default())
}

/// A client as the demo user that never retries: for tests about the first answer.
fn no_retry(server: &DemoServer) -> Client {
    demo_client(server, false, RetryPolicy::none())
}

#[tokio::test]
async fn starts_on_loopback_and_stops_releasing_the_port() {
    let s = server().await;
    let addr = s.addr();
    assert!(addr.ip().is_loopback());
    assert_eq!(
        s.base_url(),
        format!("http://127.0.0.1:{}/wiki", addr.port())
    );
    let me = client(&s, false).current_user(&[]).await.unwrap();
    assert_eq!(me.account_id.as_deref(), Some(DEMO_ACCOUNT_ID));
    s.stop().await;
    // The port is free again: a new server can take it.
    let again = start(DemoOptions {
        port: addr.port(),
        ..DemoOptions::default()
    })
    .await;
    assert_eq!(again.addr(), addr);
    again.stop().await;
}

#[tokio::test]
async fn wrong_or_missing_credentials_get_401_with_confluence_body() {
    let s = server().await;
    for auth in [
        Auth::Basic {
            email: DEMO_EMAIL.into(),
            token: Secret::new("wrong"),
        },
        Auth::Bearer {
            token: Secret::new("demo"),
        },
        Auth::Anonymous,
    ] {
        let c = support::client::client(&s.base_url(), auth.clone(), RetryPolicy::default());
        let err = c.current_user(&[]).await.unwrap_err();
        assert!(
            matches!(&err, ApiError::Unauthorized { message, .. } if message.contains("authenticated")),
            "{auth:?}: {err:?}"
        );
    }
    // The raw body has Confluence's shape.
    let resp = reqwest::Client::new()
        .get(format!("{}/rest/api/user/current", s.base_url()))
        .basic_auth(DEMO_EMAIL, Some("nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["statusCode"], 401);
    assert!(body["message"].is_string());
    assert_eq!(body["data"]["authorized"], false);
    s.stop().await;
}

#[tokio::test]
async fn current_user_is_a_realistic_person_and_admin_is_someone_else() {
    let s = server().await;
    let me = client(&s, false)
        .current_user(&[UserExpand::PersonalSpace, UserExpand::Operations])
        .await
        .unwrap();
    assert_eq!(me.name(), "Ada Lovelace");
    assert_eq!(me.email.as_deref(), Some(DEMO_EMAIL));
    assert_eq!(me.time_zone.as_deref(), Some("Europe/London"));
    assert_eq!(me.account_type.as_deref(), Some("atlassian"));
    let space = me.personal_space.expect("personal space");
    assert_eq!(space.kind.as_deref(), Some("personal"));
    assert!(me
        .operations
        .unwrap()
        .iter()
        .all(|o| o.operation != "administer"));
    assert!(me.links.base.unwrap().starts_with("http://127.0.0.1:"));

    let admin = client(&s, true)
        .current_user(&[UserExpand::Operations])
        .await
        .unwrap();
    assert_eq!(admin.account_id.as_deref(), Some(ADMIN_ACCOUNT_ID));
    assert!(admin
        .operations
        .unwrap()
        .iter()
        .any(|o| o.operation == "administer"));
    s.stop().await;
}

#[tokio::test]
async fn get_user_anonymous_and_bulk() {
    let s = server().await;
    let c = client(&s, false);
    let ada = c.user(DEMO_ACCOUNT_ID, &[]).await.unwrap();
    assert_eq!(ada.name(), "Ada Lovelace");
    let err = c.user("no-such-account", &[]).await.unwrap_err();
    assert_eq!(err.status(), Some(404), "{err:?}");

    let anon = c.anonymous_user(true).await.unwrap();
    assert_eq!(anon.kind, "anonymous");
    assert!(anon.operations.is_some());

    // Bulk: unknown ids are left out, order is kept, chunks of 100 are made by the client.
    let members: Vec<String> = c
        .group_members(
            &c.group_memberships(DEMO_ACCOUNT_ID, Paging::first(1))
                .first()
                .await
                .unwrap()
                .results[0]
                .id,
            Paging::first(150),
            &[],
        )
        .first()
        .await
        .unwrap()
        .results
        .into_iter()
        .filter_map(|u| u.account_id)
        .collect();
    assert_eq!(members.len(), 150);
    let mut ids = members.clone();
    ids.insert(3, "unknown-id".into());
    let users = c.bulk_users(&ids, &[]).await.unwrap();
    let got: Vec<String> = users.into_iter().filter_map(|u| u.account_id).collect();
    assert_eq!(got, members);
    s.stop().await;
}

#[tokio::test]
async fn bulk_lookup_is_capped_at_100_ids_per_call() {
    let s = server().await;
    let c = client(&s, false);
    let everyone: Vec<String> = c
        .search_users(
            "type=user",
            Paging::first(150),
            SitePermissionFilter::None,
            &[],
        )
        .first()
        .await
        .unwrap()
        .results
        .into_iter()
        .filter_map(|r| r.user.and_then(|u| u.account_id))
        .collect();
    assert_eq!(everyone.len(), 150);
    let mut url = reqwest::Url::parse(&format!("{}/rest/api/user/bulk", s.base_url())).unwrap();
    for id in &everyone {
        url.query_pairs_mut().append_pair("accountId", id);
    }
    let body: serde_json::Value = reqwest::Client::new()
        .get(url)
        .basic_auth(DEMO_EMAIL, Some("demo"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["results"].as_array().unwrap().len(), 100);
    assert_eq!(body["results"][99]["accountId"], everyone[99].as_str());
    s.stop().await;
}

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
    let first = c
        .search_users(cql, Paging::first(100), SitePermissionFilter::None, &[])
        .first()
        .await
        .unwrap();
    assert_eq!(first.total_size, Some(1500));
    assert_eq!(first.size, Some(100));
    let next = first.links.next.clone().unwrap();
    assert!(next.starts_with("/rest/api/search/user?"), "{next}");
    assert!(next.contains("start=100"), "{next}");
    let mut pages = c
        .search_users(cql, Paging::first(400), SitePermissionFilter::None, &[])
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
async fn memberships_and_group_members_page_with_limits() {
    let s = server().await;
    let c = client(&s, false);
    let groups = c
        .group_memberships(DEMO_ACCOUNT_ID, Paging::first(3))
        .all()
        .await
        .unwrap();
    let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
    assert!(names.contains(&"confluence-users"));
    assert!(names.contains(&"engineering"));
    assert!(names.len() >= 8, "{names:?}");

    let everyone = groups
        .iter()
        .find(|g| g.name == "confluence-users")
        .unwrap();
    let first = c
        .group_members(&everyone.id, Paging::first(200), &[])
        .first()
        .await
        .unwrap();
    // The total is there when asked for; a limit above 200 is refused, as documented.
    assert_eq!(first.results.len(), 200);
    assert_eq!(first.total_size, Some(1500));
    let err = c
        .group_members(&everyone.id, Paging::first(201), &[])
        .first()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400), "{err:?}");
    // Other lists cap the limit instead ("restricted by fixed system limits").
    let capped = c
        .group_memberships(DEMO_ACCOUNT_ID, Paging::first(5000))
        .first()
        .await
        .unwrap();
    assert_eq!(capped.limit, Some(200));
    let all = c
        .group_members(&everyone.id, Paging::first(200), &[])
        .all()
        .await
        .unwrap();
    assert_eq!(all.len(), 1500);
    assert_eq!(all[0].account_id.as_deref(), Some(DEMO_ACCOUNT_ID));

    let err = c
        .group_members("no-such-group", Paging::first(10), &[])
        .first()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    let err = c
        .group_memberships("nobody", Paging::first(10))
        .first()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    s.stop().await;
}

#[tokio::test]
async fn spaces_list_filter_and_page() {
    let s = server().await;
    let c = client(&s, false);
    let all = c
        .spaces(&SpaceFilter::default(), Paging::first(25))
        .all()
        .await
        .unwrap();
    assert_eq!(all.len(), 40);
    let personal = c
        .spaces(
            &SpaceFilter {
                kind: Some("personal".into()),
                ..SpaceFilter::default()
            },
            Paging::first(5),
        )
        .all()
        .await
        .unwrap();
    assert!(personal.len() >= 10);
    assert!(personal.iter().all(|sp| sp.key.starts_with('~')));
    let eng = c
        .spaces(
            &SpaceFilter {
                keys: vec!["ENG".into(), "HR".into()],
                expand: vec!["description.plain".into(), "icon".into()],
                ..SpaceFilter::default()
            },
            Paging::first(25),
        )
        .first()
        .await
        .unwrap();
    assert_eq!(eng.results.len(), 2);
    assert!(eng.results[0].description.is_some());
    assert!(eng.results[0].icon.is_some());
    assert_eq!(eng.results[0].links.webui.as_deref(), Some("/spaces/ENG"));
    s.stop().await;
}

#[tokio::test]
async fn watches_toggle_for_spaces_labels_and_content() {
    let s = server().await;
    let c = client(&s, false);
    let eng = WatchTarget::Space("ENG".into());
    let hr = WatchTarget::Space("HR".into());
    assert!(c.watch_status(&eng, None).await.unwrap());
    assert!(!c.watch_status(&hr, None).await.unwrap());
    c.add_watch(&hr, None).await.unwrap();
    assert!(c.watch_status(&hr, None).await.unwrap());
    c.remove_watch(&eng, None).await.unwrap();
    assert!(!c.watch_status(&eng, None).await.unwrap());

    let label = WatchTarget::Label("release-notes".into());
    assert!(c.watch_status(&label, None).await.unwrap());
    c.remove_watch(&label, None).await.unwrap();
    assert!(!c.watch_status(&label, None).await.unwrap());

    // Page ids come from the directory (the user API has no way to list pages).
    let pages = &s.directory().pages;
    let adr = pages.iter().find(|p| p.title.starts_with("ADR-")).unwrap();
    let faq = pages.iter().find(|p| p.title == "Pricing FAQ").unwrap();
    let adr = WatchTarget::Content(adr.id.clone());
    let faq = WatchTarget::Content(faq.id.clone());
    assert!(c.watch_status(&adr, None).await.unwrap());
    assert!(!c.watch_status(&faq, None).await.unwrap());
    c.add_watch(&faq, None).await.unwrap();
    c.remove_watch(&adr, None).await.unwrap();
    assert!(c.watch_status(&faq, None).await.unwrap());
    assert!(!c.watch_status(&adr, None).await.unwrap());
    // Unknown targets are 403, not 404, as on Confluence.
    let err = c
        .watch_status(&WatchTarget::Content("1".into()), None)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(403), "{err:?}");
    let err = c
        .watch_status(&WatchTarget::Label("no-such-label".into()), None)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(403), "{err:?}");
    let err = c
        .add_watch(&WatchTarget::Space("NOPE".into()), None)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(403), "{err:?}");
    s.stop().await;
}

#[tokio::test]
async fn other_users_watches_are_for_administrators_only() {
    let s = server().await;
    let user = client(&s, false);
    let admin = client(&s, true);
    let hr = WatchTarget::Space("HR".into());
    let err = user
        .watch_status(&hr, Some(ADMIN_ACCOUNT_ID))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(403));
    let err = user
        .add_watch(&hr, Some(ADMIN_ACCOUNT_ID))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(403));
    // Naming yourself is fine.
    assert!(!user.watch_status(&hr, Some(DEMO_ACCOUNT_ID)).await.unwrap());
    // The administrator may look at and change Ada's watches.
    admin.add_watch(&hr, Some(DEMO_ACCOUNT_ID)).await.unwrap();
    assert!(admin
        .watch_status(&hr, Some(DEMO_ACCOUNT_ID))
        .await
        .unwrap());
    assert!(user.watch_status(&hr, None).await.unwrap());
    s.stop().await;
}

#[tokio::test]
async fn watch_writes_without_the_xsrf_header_are_refused() {
    let s = server().await;
    let http = reqwest::Client::new();
    let url = format!("{}/rest/api/user/watch/space/HR", s.base_url());
    for req in [http.post(&url), http.delete(&url)] {
        let resp = req
            .basic_auth(DEMO_EMAIL, Some("demo"))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 403);
        let body: serde_json::Value = resp.json().await.unwrap();
        assert_eq!(body["message"], "XSRF check failed");
    }
    let resp = http
        .post(&url)
        .basic_auth(DEMO_EMAIL, Some("demo"))
        .header("X-Atlassian-Token", "no-check")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);
    s.stop().await;
}

#[tokio::test]
async fn email_and_email_bulk() {
    let s = server().await;
    let c = client(&s, false);
    let me = c.user_email(DEMO_ACCOUNT_ID).await.unwrap();
    assert_eq!(me.email, DEMO_EMAIL);
    let both = c
        .user_emails(&[
            DEMO_ACCOUNT_ID.to_string(),
            "missing".into(),
            ADMIN_ACCOUNT_ID.to_string(),
        ])
        .await
        .unwrap();
    let ids: Vec<&str> = both.iter().map(|r| r.account_id.as_str()).collect();
    assert_eq!(ids, [DEMO_ACCOUNT_ID, ADMIN_ACCOUNT_ID]);
    assert_eq!(
        c.user_email("missing").await.unwrap_err().status(),
        Some(404)
    );
    s.stop().await;
}

#[tokio::test]
async fn user_properties_crud_and_errors() {
    let s = server().await;
    let c = client(&s, false);
    let keys: Vec<String> = c
        .user_properties(DEMO_ACCOUNT_ID, Paging::first(2))
        .all()
        .await
        .unwrap()
        .into_iter()
        .map(|k| k.key)
        .collect();
    assert!(keys.contains(&"pronouns".to_string()), "{keys:?}");
    let team = c.user_property(DEMO_ACCOUNT_ID, "team").await.unwrap();
    assert_eq!(team.value["name"], "Platform");
    assert!(team.created_date.is_some());

    let value = json!({"colour": "teal", "nested": {"ok": true}});
    c.create_user_property(DEMO_ACCOUNT_ID, "favourite-colour", &value)
        .await
        .unwrap();
    assert_eq!(
        c.user_property(DEMO_ACCOUNT_ID, "favourite-colour")
            .await
            .unwrap()
            .value,
        value
    );
    let err = c
        .create_user_property(DEMO_ACCOUNT_ID, "favourite-colour", &value)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(409), "{err:?}");
    let new_value = json!({"colour": "orange"});
    c.update_user_property(DEMO_ACCOUNT_ID, "favourite-colour", &new_value)
        .await
        .unwrap();
    assert_eq!(
        c.user_property(DEMO_ACCOUNT_ID, "favourite-colour")
            .await
            .unwrap()
            .value,
        new_value
    );
    c.delete_user_property(DEMO_ACCOUNT_ID, "favourite-colour")
        .await
        .unwrap();
    let err = c
        .user_property(DEMO_ACCOUNT_ID, "favourite-colour")
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    let err = c
        .update_user_property(DEMO_ACCOUNT_ID, "never-made", &new_value)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    // Someone else's properties are not Ada's to change.
    let err = c
        .create_user_property(ADMIN_ACCOUNT_ID, "x", &new_value)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(403));
    s.stop().await;
}

/// The client refuses bad keys and values itself, so these go over raw HTTP.
#[tokio::test]
async fn property_validation_is_enforced_by_the_server_too() {
    let s = server().await;
    let http = reqwest::Client::new();
    let base = format!("{}/rest/api/user/{DEMO_ACCOUNT_ID}/property", s.base_url());
    let post = |key: &str, body: String| {
        http.post(format!("{base}/{key}"))
            .basic_auth(DEMO_EMAIL, Some("demo"))
            .header("X-Atlassian-Token", "no-check")
            .header("Content-Type", "application/json")
            .body(body)
            .send()
    };
    for (key, body) in [
        ("bad%20key", r#"{"value":{"a":1}}"#.to_string()),
        ("bad.key", r#"{"value":{"a":1}}"#.to_string()),
        ("ok-key", r#"{"value":{}}"#.to_string()),
        ("ok-key", r#"{"value":"text"}"#.to_string()),
        ("ok-key", r#"{"value":[1,2]}"#.to_string()),
        ("ok-key", r#"{}"#.to_string()),
        ("ok-key", r#"{"value":{"a":1},"extra":2}"#.to_string()),
        ("ok-key", "not json".to_string()),
        (
            "ok-key",
            format!(r#"{{"value":{{"a":"{}"}}}}"#, "x".repeat(40_000)),
        ),
        (&"k".repeat(300), r#"{"value":{"a":1}}"#.to_string()),
    ] {
        let resp = post(key, body.clone()).await.unwrap();
        assert_eq!(resp.status(), 400, "{key} {}", &body[..body.len().min(60)]);
        let err: serde_json::Value = resp.json().await.unwrap();
        assert_eq!(err["statusCode"], 400);
    }
    // The list limit is capped at 25.
    let page: serde_json::Value = http
        .get(format!("{base}?limit=500"))
        .basic_auth(DEMO_EMAIL, Some("demo"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page["limit"], 25);
    s.stop().await;
}

#[tokio::test]
async fn injected_failures_are_500s_and_429s_with_retry_after() {
    let s = server().await;
    s.set_fail_rate(1.0);
    let c = no_retry(&s);
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..40 {
        match c.current_user(&[]).await.unwrap_err() {
            ApiError::RateLimited { retry_after, .. } => {
                assert_eq!(retry_after, Duration::from_secs(1));
                seen.insert(429);
            }
            ApiError::Server { status, .. } => {
                seen.insert(status);
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(seen.into_iter().collect::<Vec<_>>(), [429, 500]);
    s.set_fail_rate(0.0);
    assert!(c.current_user(&[]).await.is_ok());
    s.stop().await;
}

#[tokio::test]
async fn the_client_retries_through_a_partly_failing_server() {
    let s = start(DemoOptions {
        fail_rate: 0.3,
        ..DemoOptions::default()
    })
    .await;
    let c = demo_client(
        &s,
        false,
        RetryPolicy {
            max_retries: 12,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(20),
        },
    );
    for _ in 0..5 {
        assert!(c
            .group_memberships(DEMO_ACCOUNT_ID, Paging::first(5))
            .all()
            .await
            .is_ok());
    }
    s.stop().await;
}

#[tokio::test]
async fn latency_delays_each_response() {
    let s = server().await;
    let c = client(&s, false);
    s.set_latency(Some((
        Duration::from_millis(300),
        Duration::from_millis(350),
    )));
    let t = Instant::now();
    c.current_user(&[]).await.unwrap();
    let took = t.elapsed();
    assert!(took >= Duration::from_millis(300), "{took:?}");
    // Switched off, no request waits for it. A long latency switched off makes that visible
    // whatever the machine's load: a request that still waited would take 20 s.
    s.set_latency(Some((Duration::from_secs(20), Duration::from_secs(20))));
    s.set_latency(None);
    let t = Instant::now();
    c.current_user(&[]).await.unwrap();
    let took = t.elapsed();
    assert!(took < Duration::from_secs(20), "{took:?}");
    s.stop().await;
}

#[tokio::test]
async fn state_file_keeps_watches_and_properties_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo-state.json");
    let opts = DemoOptions {
        state_file: Some(path.clone()),
        users: 200,
        ..DemoOptions::default()
    };
    let s = start(opts.clone()).await;
    let c = client(&s, false);
    c.add_watch(&WatchTarget::Space("HR".into()), None)
        .await
        .unwrap();
    c.create_user_property(DEMO_ACCOUNT_ID, "kept", &json!({"n": 1}))
        .await
        .unwrap();
    s.stop().await;
    assert!(path.exists());

    let s = start(opts).await;
    let c = client(&s, false);
    assert!(c
        .watch_status(&WatchTarget::Space("HR".into()), None)
        .await
        .unwrap());
    assert_eq!(
        c.user_property(DEMO_ACCOUNT_ID, "kept")
            .await
            .unwrap()
            .value,
        json!({"n": 1})
    );
    s.stop().await;

    // Without the file, a fresh server has the seeded state again.
    let s = server().await;
    let c = client(&s, false);
    assert!(!c
        .watch_status(&WatchTarget::Space("HR".into()), None)
        .await
        .unwrap());
    s.stop().await;
}

#[tokio::test]
async fn the_directory_has_guests_apps_and_privacy_restricted_people() {
    let s = server().await;
    let c = client(&s, false);
    let everyone: Vec<confdir::api::model::User> = c
        .search_users(
            "type=user",
            Paging::first(1000),
            SitePermissionFilter::None,
            &[],
        )
        .all()
        .await
        .unwrap()
        .into_iter()
        .filter_map(|r| r.user)
        .collect();
    assert_eq!(everyone.len(), 1500);
    assert!(everyone.iter().filter(|u| u.is_app()).count() >= 10);
    let private: Vec<_> = everyone
        .iter()
        .filter(|u| {
            u.email.as_deref() == Some("")
                && u.profile_picture.is_none()
                && u.time_zone.is_none()
                && u.display_name == u.public_name
        })
        .collect();
    assert!(private.len() > 50, "{}", private.len());
    let guests = c
        .search_users(
            "type=user",
            Paging::first(1000),
            SitePermissionFilter::ExternalCollaborator,
            &[],
        )
        .all()
        .await
        .unwrap();
    assert!(!guests.is_empty());
    assert!(guests.iter().all(|r| r.user.as_ref().unwrap().is_guest()));
    s.stop().await;
}

#[tokio::test]
async fn default_limits_follow_the_contract() {
    let s = server().await;
    let http = reqwest::Client::new();
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
