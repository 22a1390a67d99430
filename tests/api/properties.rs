//! User properties: list (limit clamped to 25), get, create (with and without a body in the
//! 201), a conflict, update, delete, and keys and values refused before anything is sent.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::call::Call;
use crate::support::mock::{error_response, fixture_json, ok_json, requests};
use crate::{client, PROP_USER};
use confdir::api::{ApiError, Paging};
use pretty_assertions::assert_eq;
use serde_json::{json, Value};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The path of `PROP_USER`'s property `key`.
fn prop_path(key: &str) -> String {
    format!("/user/{PROP_USER}/property/{key}")
}

/// The value the create rows send: the `value` of the recorded create request.
fn create_value() -> Value {
    fixture_json("user-property-create.request.json")["value"].clone()
}

calls! {
    /// A limit above 25 is sent as 25.
    user_properties_list_clamps_limit_to_25 => Call::get(format!("/user/{PROP_USER}/property"))
        .query(&[("start", "5"), ("limit", "25")])
        .answers(ok_json("user-property-key-array.constructed.json"))
        .then(|c| async move {
            let page = c
                .user_properties(PROP_USER, Paging { start: 5, limit: 100 })
                .first()
                .await
                .expect("keys");
            let keys: Vec<&str> = page.results.iter().map(|k| k.key.as_str()).collect();
            assert_eq!(keys, vec!["onboarding-state", "preferred-editor"]);
        });
    user_properties_list_keeps_a_smaller_limit => Call::get(format!("/user/{PROP_USER}/property"))
        .query(&[("start", "0"), ("limit", "10")])
        .answers(ok_json("user-property-key-array.constructed.json"))
        .then(|c| async move {
            c.user_properties(PROP_USER, Paging::first(10))
                .first()
                .await
                .expect("keys");
        });
    user_property_get_decodes_the_value => Call::get(prop_path("onboarding-state"))
        .answers(ok_json("user-property.constructed.json"))
        .then(|c| async move {
            let prop = c
                .user_property(PROP_USER, "onboarding-state")
                .await
                .expect("property");
            assert_eq!(prop.key, "onboarding-state");
            assert_eq!(
                prop.value,
                json!({"completed": true, "steps": ["intro", "first-page"]})
            );
            assert_eq!(prop.created_date.as_deref(), Some("2022-01-01T12:00:00.111Z"));
        });
    create_user_property_posts_the_value_and_reads_the_201 =>
        Call::post(prop_path("onboarding-state"))
            .json_body(fixture_json("user-property-create.request.json"))
            .answers(
                ResponseTemplate::new(201)
                    .set_body_json(fixture_json("user-property.constructed.json")),
            )
            .then(|c| async move {
                let created = c
                    .create_user_property(PROP_USER, "onboarding-state", &create_value())
                    .await
                    .expect("created");
                assert_eq!(created.map(|p| p.id), Some("1734803457".to_string()));
            });
    create_user_property_accepts_an_empty_201 => Call::post(prop_path("onboarding-state"))
        .json_body(fixture_json("user-property-create.request.json"))
        .answers(ResponseTemplate::new(201))
        .then(|c| async move {
            let created_empty = c
                .create_user_property(PROP_USER, "onboarding-state", &create_value())
                .await
                .expect("created, empty 201");
            assert_eq!(created_empty, None, "an empty 201 is success without a body");
        });
    /// Not retried: exactly one request.
    creating_an_existing_property_is_a_conflict => Call::post(prop_path("team"))
        .answers(error_response(409, "A property with key 'team' already exists"))
        .then(|c| async move {
            let err = c
                .create_user_property(PROP_USER, "team", &json!({"name": "core"}))
                .await
                .unwrap_err();
            assert!(matches!(err, ApiError::Conflict { .. }), "{err:?}");
            assert_eq!(
                err.to_string(),
                "POST /user/{id}/property/{key}: conflict (409): A property with key 'team' already exists. It already exists: update it instead."
            );
        });
    update_user_property_puts_the_value_and_accepts_204 => Call::put(prop_path("team"))
        .json_body(json!({"value": {"name": "core", "size": 4}}))
        .then(|c| async move {
            c.update_user_property(PROP_USER, "team", &json!({"name": "core", "size": 4}))
                .await
                .expect("updated");
        });
    delete_user_property_sends_delete_and_accepts_204 => Call::delete(prop_path("team"))
        .empty_body()
        .then(|c| async move {
            c.delete_user_property(PROP_USER, "team").await.expect("deleted");
        });
}

#[tokio::test]
async fn bad_property_keys_and_values_never_reach_the_server() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(204))
        .expect(0)
        .mount(&server)
        .await;
    let client = client(&server);
    let value = json!({"ok": true});

    for key in ["", "a b", "a/b", "a.b", "é", "../x", "key?x=1", "a\u{1b}b"] {
        let errors = [
            client.user_property(PROP_USER, key).await.err(),
            client
                .create_user_property(PROP_USER, key, &value)
                .await
                .err(),
            client
                .update_user_property(PROP_USER, key, &value)
                .await
                .err(),
            client.delete_user_property(PROP_USER, key).await.err(),
        ];
        for err in errors {
            assert!(
                matches!(&err, Some(ApiError::InvalidInput(m)) if m.contains("not a valid property key")),
                "{key:?}: {err:?}"
            );
        }
    }
    for bad_value in [
        json!("text"),
        json!([1, 2]),
        json!(3),
        json!({}),
        Value::Null,
    ] {
        let err = client
            .create_user_property(PROP_USER, "team", &bad_value)
            .await
            .unwrap_err();
        assert!(
            matches!(err, ApiError::InvalidInput(_)),
            "{bad_value}: {err:?}"
        );
        let err = client
            .update_user_property(PROP_USER, "team", &bad_value)
            .await
            .unwrap_err();
        assert!(
            matches!(err, ApiError::InvalidInput(_)),
            "{bad_value}: {err:?}"
        );
    }
    assert!(requests(&server).await.is_empty(), "no request was sent");
}
