//! User properties: create, read, update and delete with their errors, and validation the server
//! enforces too.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::{client, server};
use confdir::api::Paging;
use confdir::demo::{ADMIN_ACCOUNT_ID, DEMO_ACCOUNT_ID, DEMO_EMAIL};
use pretty_assertions::assert_eq;
use serde_json::json;

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
    let http = crate::support::client::raw_http();
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
