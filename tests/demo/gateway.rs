//! The API gateway form: `/_edge/tenant_info`, every endpoint under
//! `/ex/confluence/{cloudId}/wiki/...` with Basic and Bearer auth, the gateway's own 404 for
//! another cloud id, and answers that keep naming the site.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::server;
use crate::support::client::{build, raw_http};
use crate::support::demo::{gateway_config, start};
use confdir::api::WatchTarget;
use confdir::demo::{DemoOptions, DEMO_ACCOUNT_ID, DEMO_EMAIL};
use pretty_assertions::assert_eq;
use serde_json::{json, Value};

#[tokio::test]
async fn tenant_info_names_the_cloud_id_without_auth() {
    let s = server().await;
    let http = raw_http();
    let resp = http
        .get(format!("http://{}/_edge/tenant_info", s.addr()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let v: Value = resp.json().await.unwrap();
    assert_eq!(v, json!({ "cloudId": s.cloud_id() }));
    let id = s.cloud_id();
    let groups: Vec<usize> = id.split('-').map(str::len).collect();
    assert_eq!(groups, [8, 4, 4, 4, 12], "{id}");
    assert!(
        id.chars().all(|c| c == '-' || c.is_ascii_hexdigit()),
        "{id}"
    );
    assert_eq!(
        s.gateway_url(),
        format!("http://{}/ex/confluence/{id}", s.addr())
    );
    // Fixed by the seed, as a site's id is fixed for its life.
    let same = start(DemoOptions {
        users: 20,
        ..DemoOptions::default()
    })
    .await;
    let other = start(DemoOptions {
        users: 20,
        seed: 7,
        ..DemoOptions::default()
    })
    .await;
    assert_eq!(same.cloud_id(), id);
    assert_ne!(other.cloud_id(), id);
    for x in [s, same, other] {
        x.stop().await;
    }
}

#[tokio::test]
async fn the_gateway_serves_the_api_with_basic_or_bearer_and_names_the_site() {
    let s = server().await;
    let http = raw_http();
    let current = format!("{}/wiki/rest/api/user/current", s.gateway_url());
    let basic = http
        .get(&current)
        .basic_auth(DEMO_EMAIL, Some("demo"))
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), 200);
    let v: Value = basic.json().await.unwrap();
    assert_eq!(v["accountId"], DEMO_ACCOUNT_ID);
    assert_eq!(v["_links"]["base"], json!(s.base_url()));
    assert!(v["_links"]["self"]
        .as_str()
        .unwrap()
        .starts_with(&s.base_url()));

    // Bearer (OAuth 2.0) is the gateway's; the site takes Basic only.
    let bearer = http.get(&current).bearer_auth("demo").send().await.unwrap();
    assert_eq!(bearer.status(), 200);
    let on_site = http
        .get(format!("{}/rest/api/user/current", s.base_url()))
        .bearer_auth("demo")
        .send()
        .await
        .unwrap();
    assert_eq!(on_site.status(), 401);
    let wrong = http.get(&current).bearer_auth("nope").send().await.unwrap();
    assert_eq!(wrong.status(), 401);

    // Paging links stay relative to the site's base.
    let page: Value = http
        .get(format!("{}/wiki/rest/api/group?limit=5", s.gateway_url()))
        .basic_auth(DEMO_EMAIL, Some("demo"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page["_links"]["base"], json!(s.base_url()));
    assert!(page["_links"]["next"]
        .as_str()
        .unwrap()
        .starts_with("/rest/api/group?"));
    s.stop().await;
}

#[tokio::test]
async fn another_cloud_id_is_the_gateways_json_404() {
    let s = server().await;
    let http = raw_http();
    let origin = format!("http://{}", s.addr());
    for path in [
        "/ex/confluence/00000000-0000-4000-8000-000000000000/wiki/rest/api/user/current"
            .to_string(),
        format!("/ex/confluence/{}/rest/api/user/current", s.cloud_id()),
        "/ex/confluence/".to_string(),
    ] {
        let resp = http
            .get(format!("{origin}{path}"))
            .basic_auth(DEMO_EMAIL, Some("demo"))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 404, "{path}");
        assert!(resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json"));
        let v: Value = resp.json().await.unwrap();
        assert_eq!(v, json!({ "code": 404, "message": "Not Found" }), "{path}");
    }
    s.stop().await;
}

#[tokio::test]
async fn the_projects_client_watches_through_the_gateway() {
    let s = server().await;
    let c = build(gateway_config(&s, false));
    let me = c.current_user(&[]).await.unwrap();
    assert_eq!(me.account_id.as_deref(), Some(DEMO_ACCOUNT_ID));
    let hr = WatchTarget::Space("HR".into());
    assert!(!c.watch_status(&hr, None).await.unwrap());
    c.add_watch(&hr, None).await.unwrap();
    assert!(c.watch_status(&hr, None).await.unwrap());
    // The same store behind both forms.
    let site = crate::client(&s, false);
    assert!(site.watch_status(&hr, None).await.unwrap());
    s.stop().await;
}
