//! Users over real HTTP: the server on loopback, credentials, the current, anonymous and bulk
//! users, email addresses, and the kinds of people the directory holds.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::support::demo::start;
use crate::{client, server, support};
use confdir::api::{ApiError, Auth, Paging, RetryPolicy, Secret, SitePermissionFilter, UserExpand};
use confdir::demo::{DemoOptions, ADMIN_ACCOUNT_ID, DEMO_ACCOUNT_ID, DEMO_EMAIL};
use pretty_assertions::assert_eq;

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
    let resp = crate::support::client::raw_http()
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
    let body: serde_json::Value = crate::support::client::raw_http()
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
async fn the_directory_has_guests_apps_and_privacy_restricted_people() {
    let s = server().await;
    let c = client(&s, false);
    // `all`: licensed users and guests alike.
    let everyone: Vec<confdir::api::model::User> = c
        .search_users(
            "type=user",
            Paging::first(1000),
            SitePermissionFilter::All,
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
async fn bulk_takes_repeated_account_ids_and_a_comma_joined_value_is_one_id() {
    let s = server().await;
    let bulk = |query: String| {
        let url = format!("{}/rest/api/user/bulk?{query}", s.base_url());
        async move {
            let page: serde_json::Value = crate::support::client::raw_http()
                .get(url)
                .basic_auth(DEMO_EMAIL, Some("demo"))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            page["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| u["accountId"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        bulk(format!(
            "accountId={DEMO_ACCOUNT_ID}&accountId={ADMIN_ACCOUNT_ID}"
        ))
        .await,
        [DEMO_ACCOUNT_ID, ADMIN_ACCOUNT_ID]
    );
    assert!(
        bulk(format!("accountId={DEMO_ACCOUNT_ID},{ADMIN_ACCOUNT_ID}"))
            .await
            .is_empty()
    );
    s.stop().await;
}
