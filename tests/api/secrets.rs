//! The token never prints: every `ApiError` variant, made by a real request whose server echoes
//! the credentials back, shows neither the token nor the Basic credentials in its `Display` or
//! `Debug`, and neither do the client, its configuration or the credentials themselves.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::support;
use crate::support::mock::{error_response, API};
use crate::{basic, basic_b64, bearer, config_for, PROP_USER, TOKEN};
use confdir::api::{ApiError, Client, RetryPolicy, WatchTarget};
use pretty_assertions::assert_eq;
use serde_json::json;
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Every `ApiError` variant, produced by a real request (or a refused one).
async fn one_error_of_each_kind(server: &MockServer, client: &Client) -> Vec<ApiError> {
    let echo_auth = |status: u16| {
        move |req: &Request| {
            let auth = req
                .headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("none")
                .to_string();
            error_response(status, &format!("you sent {auth}"))
        }
    };
    for (i, status) in [400u16, 401, 403, 404, 409, 410, 418, 500, 501]
        .into_iter()
        .enumerate()
    {
        Mock::given(method("GET"))
            .and(path(format!("{API}/user/watch/content/{i}")))
            .respond_with(echo_auth(status))
            .mount(server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path(format!("{API}/user/watch/label/limited")))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .mount(server)
        .await;
    // A body that quotes the credentials where a bool belongs: serde quotes the value.
    Mock::given(method("GET"))
        .and(path(format!("{API}/user/watch/label/decode")))
        .respond_with(|req: &Request| {
            let auth = req
                .headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("none")
                .to_string();
            ResponseTemplate::new(200).set_body_json(json!({ "watching": auth }))
        })
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{API}/user/watch/label/slow")))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)))
        .mount(server)
        .await;

    let mut errors = Vec::new();
    for i in 0..9 {
        let target = WatchTarget::Content(i.to_string());
        errors.push(client.watch_status(&target, None).await.unwrap_err());
    }
    for label in ["limited", "decode", "slow"] {
        let target = WatchTarget::Label(label.into());
        errors.push(client.watch_status(&target, None).await.unwrap_err());
    }
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let mut closed = config_for(&format!("http://127.0.0.1:{port}"), basic());
    closed.retry = RetryPolicy::none();
    let closed = support::client::build(closed);
    errors.push(closed.current_user(&[]).await.unwrap_err());
    errors.push(
        client
            .user_property(PROP_USER, "bad key")
            .await
            .unwrap_err(),
    );
    errors.extend(hostile_errors(server, client).await);
    errors
}

/// The variants only a hostile server causes: a body too large or too slow, a redirect (whose
/// `Location` echoes the credentials), and a list that does not end.
async fn hostile_errors(server: &MockServer, client: &Client) -> Vec<ApiError> {
    Mock::given(method("GET"))
        .and(path(format!("{API}/user/watch/label/huge")))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![
            b' ';
            confdir::api::MAX_BODY_BYTES
                + 1
        ]))
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{API}/user/watch/label/moved")))
        .respond_with(|req: &Request| {
            let auth = req
                .headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("none")
                .replace(' ', "+");
            ResponseTemplate::new(302).insert_header("Location", format!("/login?sent={auth}"))
        })
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{API}/user/memberof")))
        .respond_with(|req: &Request| {
            let start = req
                .url
                .query_pairs()
                .find(|(k, _)| k == "start")
                .map(|(_, v)| v.parse::<u32>().unwrap_or(0))
                .unwrap_or(0);
            ResponseTemplate::new(200).set_body_json(json!({
                "results": [{"type": "group", "name": "g", "id": "g"}],
                "start": 0,
                "_links": {"next": format!("/rest/api/user/memberof?start={}", start + 1)}
            }))
        })
        .mount(server)
        .await;
    let mut errors = Vec::new();
    let huge = WatchTarget::Label("huge".into());
    errors.push(client.watch_status(&huge, None).await.unwrap_err());
    let drip =
        support::mock::Hostile::start(support::mock::Misbehaviour::Drip(Duration::from_millis(20)))
            .await;
    let mut slow = config_for(&drip.uri(), basic());
    slow.retry = RetryPolicy::none();
    slow.body_timeout = Duration::from_millis(100);
    let slow = support::client::build(slow);
    errors.push(slow.current_user(&[]).await.unwrap_err());
    let moved = WatchTarget::Label("moved".into());
    errors.push(client.add_watch(&moved, None).await.unwrap_err());
    errors.push(
        client
            .group_memberships(PROP_USER, confdir::api::Paging::first(1))
            .all()
            .await
            .unwrap_err(),
    );
    errors
}

#[tokio::test]
async fn no_error_or_debug_output_shows_the_token() {
    let b64 = basic_b64();
    let leaks = |text: &str| text.contains(TOKEN) || text.contains(&b64) || text.contains("SECRET");

    for auth in [basic(), bearer()] {
        let server = MockServer::start().await;
        let mut config = config_for(&server.uri(), auth.clone());
        config.retry = RetryPolicy::none();
        config.timeout = Duration::from_millis(150);
        let client = support::client::build(config.clone());

        let errors = one_error_of_each_kind(&server, &client).await;

        let kinds: Vec<&str> = errors
            .iter()
            .map(|e| match e {
                ApiError::BadRequest { .. } => "BadRequest",
                ApiError::Unauthorized { .. } => "Unauthorized",
                ApiError::Forbidden { .. } => "Forbidden",
                ApiError::NotFound { .. } => "NotFound",
                ApiError::Conflict { .. } => "Conflict",
                ApiError::Gone { .. } => "Gone",
                ApiError::Http { .. } => "Http",
                ApiError::Server { .. } => "Server",
                ApiError::NotImplemented { .. } => "NotImplemented",
                ApiError::RateLimited { .. } => "RateLimited",
                ApiError::Decode { .. } => "Decode",
                ApiError::Timeout { .. } => "Timeout",
                ApiError::Network { .. } => "Network",
                ApiError::InvalidInput(_) => "InvalidInput",
                ApiError::TooLarge { .. } => "TooLarge",
                ApiError::TooSlow { .. } => "TooSlow",
                ApiError::Redirect { .. } => "Redirect",
                ApiError::Paging { .. } => "Paging",
                ApiError::OutcomeUnknown { .. } => "OutcomeUnknown",
            })
            .collect();
        assert_eq!(
            kinds,
            vec![
                "BadRequest",
                "Unauthorized",
                "Forbidden",
                "NotFound",
                "Conflict",
                "Gone",
                "Http",
                "Server",
                "NotImplemented",
                "RateLimited",
                "Decode",
                "Timeout",
                "Network",
                "InvalidInput",
                "TooLarge",
                "TooSlow",
                "Redirect",
                "Paging"
            ]
        );
        // The server really did echo the credentials; the client scrubbed them.
        let echoed = errors[1].server_message().expect("a message");
        assert!(
            echoed.starts_with("you sent ") && echoed.contains("***"),
            "{echoed}"
        );
        for err in &errors {
            let shown = format!("{err}");
            let debug = format!("{err:?}");
            assert!(!leaks(&shown), "Display leaks: {shown}");
            assert!(!leaks(&debug), "Debug leaks: {debug}");
        }
        for debug in [
            format!("{client:?}"),
            format!("{config:?}"),
            format!("{auth:?}"),
            format!("{config:#?}"),
        ] {
            assert!(!leaks(&debug), "Debug leaks: {debug}");
        }
        assert!(
            format!("{auth:?}").contains("***"),
            "the token is shown as ***"
        );
    }
}
