//! Retries, rate limits and timeouts: what is retried (reads after 5xx, anything after 429) and
//! what is not (writes after 5xx), how long the client waits and how it says so, and what a slow
//! server or a closed port become.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::support;
use crate::support::mock::{
    assert_json_body, error_response, fixture_json, ok_json, requests, serve, API,
};
use crate::{assert_request, basic, client, client_with, config_for, fast_retry, PROP_USER};
use confdir::api::{ApiError, Paging, RetryPolicy, SpaceFilter, WatchTarget};
use pretty_assertions::assert_eq;
use serde_json::json;
use std::time::{Duration, Instant};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Mounts `first` for one request, then `then` for the rest, each expected exactly as given.
async fn first_then(
    server: &MockServer,
    verb: &str,
    endpoint_path: &str,
    first: ResponseTemplate,
    first_times: u64,
    then: ResponseTemplate,
    then_times: u64,
) {
    Mock::given(method(verb))
        .and(path(format!("{API}{endpoint_path}")))
        .respond_with(first)
        .up_to_n_times(first_times)
        .expect(first_times)
        .named("first answer")
        .mount(server)
        .await;
    Mock::given(method(verb))
        .and(path(format!("{API}{endpoint_path}")))
        .respond_with(then)
        .expect(then_times)
        .named("later answer")
        .mount(server)
        .await;
}

#[tokio::test]
async fn get_429_then_200_succeeds() {
    let server = MockServer::start().await;
    first_then(
        &server,
        "GET",
        "/user/current",
        ResponseTemplate::new(429).insert_header("Retry-After", "0"),
        1,
        ok_json("user-current.aws-docs.json"),
        1,
    )
    .await;

    let user = client(&server).current_user(&[]).await.expect("retried");

    assert_eq!(user.name(), "Administrator");
    server.verify().await;
}

#[tokio::test]
async fn post_429_then_204_succeeds() {
    let server = MockServer::start().await;
    first_then(
        &server,
        "POST",
        "/user/watch/content/98765",
        ResponseTemplate::new(429),
        1,
        ResponseTemplate::new(204),
        1,
    )
    .await;

    client(&server)
        .add_watch(&WatchTarget::Content("98765".into()), None)
        .await
        .expect("a rate-limited POST was not processed, so it is retried");

    server.verify().await;
    for req in requests(&server).await {
        assert_request(&req, "POST", "/user/watch/content/98765", &[]);
    }
}

#[tokio::test]
async fn idempotent_requests_are_retried_after_500() {
    let server = MockServer::start().await;
    let prop = format!("/user/{PROP_USER}/property/team");
    first_then(
        &server,
        "GET",
        &prop,
        ResponseTemplate::new(500),
        1,
        ok_json("user-property.constructed.json"),
        1,
    )
    .await;
    first_then(
        &server,
        "PUT",
        &prop,
        ResponseTemplate::new(500),
        1,
        ResponseTemplate::new(204),
        1,
    )
    .await;
    first_then(
        &server,
        "DELETE",
        &prop,
        ResponseTemplate::new(500),
        1,
        ResponseTemplate::new(204),
        1,
    )
    .await;
    let client = client(&server);

    client
        .user_property(PROP_USER, "team")
        .await
        .expect("GET retried");
    client
        .update_user_property(PROP_USER, "team", &json!({"a": 1}))
        .await
        .expect("PUT retried");
    client
        .delete_user_property(PROP_USER, "team")
        .await
        .expect("DELETE retried");

    server.verify().await;
    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 6);
    assert_json_body(&reqs[3], &json!({"value": {"a": 1}}));
}

#[tokio::test]
async fn post_is_not_retried_after_500() {
    let server = MockServer::start().await;
    let prop = format!("/user/{PROP_USER}/property/team");
    first_then(
        &server,
        "POST",
        &prop,
        error_response(500, "Internal failure"),
        1,
        ResponseTemplate::new(201),
        0,
    )
    .await;
    first_then(
        &server,
        "POST",
        "/user/watch/label/news",
        ResponseTemplate::new(503),
        1,
        ResponseTemplate::new(204),
        0,
    )
    .await;
    let client = client(&server);

    let create = client
        .create_user_property(PROP_USER, "team", &json!({"a": 1}))
        .await
        .unwrap_err();
    let watch = client
        .add_watch(&WatchTarget::Label("news".into()), None)
        .await
        .unwrap_err();

    assert!(
        matches!(create, ApiError::Server { status: 500, .. }),
        "{create:?}"
    );
    assert_eq!(create.server_message(), Some("Internal failure"));
    assert!(
        matches!(watch, ApiError::Server { status: 503, .. }),
        "{watch:?}"
    );
    server.verify().await;
}

#[tokio::test]
async fn get_503_with_retry_after_is_retried() {
    let server = MockServer::start().await;
    first_then(
        &server,
        "GET",
        "/space",
        ResponseTemplate::new(503).insert_header("Retry-After", "0"),
        2,
        ok_json("space-list.go-atlassian.json"),
        1,
    )
    .await;
    let client = client(&server);
    let mut limits = client.waits();

    let page = client
        .spaces(&SpaceFilter::default(), Paging::first(25))
        .first()
        .await
        .expect("retried after 503");

    assert_eq!(page.results.len(), 2);
    assert!(
        limits.has_changed().unwrap_or(false),
        "503 + Retry-After is shown as a rate limit"
    );
    assert!(
        limits.borrow_and_update().is_empty(),
        "and cleared once done"
    );
    server.verify().await;
}

/// A server asking for a longer wait than the policy sits out is not waited for in silence: the
/// request ends at once, and the error says the server's real wait, not the policy's cap.
#[tokio::test]
async fn a_retry_after_longer_than_the_policy_allows_ends_the_request_at_once() {
    let cases = [
        ("3600", Duration::from_secs(3600), "retry in 1 h."),
        (
            "9223372036854775807",
            confdir::api::retry::MAX_SERVER_WAIT,
            "retry in more than a day.",
        ),
    ];
    for (header, wait, says) in cases {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(format!("{API}/user/current")))
            .respond_with(
                ResponseTemplate::new(429)
                    .insert_header("Retry-After", header)
                    .insert_header("X-RateLimit-Limit", "0")
                    .insert_header("X-RateLimit-FillRate", "0"),
            )
            .expect(1)
            .mount(&server)
            .await;
        // The default policy: five retries, waits of up to 60 s.
        let client = client_with(&server, basic(), RetryPolicy::default());
        let waits = client.waits();

        let err = client.current_user(&[]).await.unwrap_err();

        assert_eq!(
            err,
            ApiError::RateLimited {
                endpoint: "GET /user/current".into(),
                retry_after: wait
            }
        );
        assert!(err.to_string().ends_with(says), "{err}");
        assert!(
            !waits.has_changed().unwrap_or(true),
            "nothing was waited for"
        );
        server.verify().await;
    }
}

/// Without `Retry-After`, `X-RateLimit-Reset` says how long: a reset minutes away is past what
/// the policy sits out, so the error names it at once.
#[tokio::test]
async fn the_reset_time_is_the_wait_when_retry_after_is_missing() {
    let server = MockServer::start().await;
    let reset = (chrono::Utc::now() + chrono::Duration::minutes(10))
        .format("%Y-%m-%dT%H:%MZ")
        .to_string();
    Mock::given(method("GET"))
        .and(path(format!("{API}/user/current")))
        .respond_with(ResponseTemplate::new(429).insert_header("X-RateLimit-Reset", reset.as_str()))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_with(&server, basic(), RetryPolicy::default());

    let err = client.current_user(&[]).await.unwrap_err();

    match &err {
        // The header has minute precision: between 9 and 10 minutes are left.
        ApiError::RateLimited { retry_after, .. } => assert!(
            *retry_after > Duration::from_secs(8 * 60) && *retry_after <= Duration::from_secs(600),
            "{retry_after:?}"
        ),
        other => panic!("{other:?}"),
    }
    assert!(
        err.to_string().contains("retry in 9 min") || err.to_string().contains("retry in 10 min"),
        "{err}"
    );
    server.verify().await;
}

#[tokio::test]
async fn retries_are_bounded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{API}/user/current")))
        .respond_with(error_response(500, "still down"))
        .expect(4)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{API}/user/watch/space/ENG")))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .expect(4)
        .mount(&server)
        .await;
    let client = client(&server);

    let get = client.current_user(&[]).await.unwrap_err();
    let post = client
        .add_watch(&WatchTarget::Space("ENG".into()), None)
        .await
        .unwrap_err();

    assert_eq!(
        get,
        ApiError::Server {
            endpoint: "GET /user/current".into(),
            status: 500,
            message: "still down".into()
        }
    );
    assert!(matches!(post, ApiError::RateLimited { .. }), "{post:?}");
    server.verify().await;
}

#[tokio::test]
async fn rate_limit_is_published_while_waiting_and_cleared_after() {
    let server = MockServer::start().await;
    first_then(
        &server,
        "GET",
        "/user/current",
        ResponseTemplate::new(429).insert_header("Retry-After", "1"),
        1,
        ok_json("user-current.aws-docs.json"),
        1,
    )
    .await;
    let wait = Duration::from_secs(1);
    let client = client_with(
        &server,
        basic(),
        RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_secs(2),
        },
    );
    let mut limits = client.waits();
    assert!(limits.borrow().is_empty());
    let before = Instant::now();

    let call = tokio::spawn({
        let client = client.clone();
        async move { client.current_user(&[]).await }
    });
    tokio::time::timeout(Duration::from_secs(2), limits.changed())
        .await
        .expect("published in time")
        .expect("sender alive");
    let limit = limits
        .borrow_and_update()
        .first()
        .cloned()
        .expect("rate limited until T");
    let seen_at = Instant::now();

    assert!(!call.is_finished(), "observed while the call waits");
    assert_eq!(limit.endpoint, "GET /user/current");
    assert_eq!(limit.kind, confdir::api::WaitKind::RateLimited);
    // T is the 429's arrival plus the server's wait (Retry-After 1 s).
    assert!(limit.until >= before + wait, "{:?}", limit.until - before);
    assert!(limit.until <= seen_at + wait, "{:?}", limit.until - before);
    let user = call.await.expect("task").expect("retried after the wait");
    assert_eq!(user.name(), "Administrator");
    assert!(client.waits().borrow().is_empty(), "cleared after the wait");
}

#[tokio::test]
async fn a_cancelled_wait_clears_the_rate_limit() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/user/current",
        ResponseTemplate::new(429).insert_header("Retry-After", "30"),
    )
    .await;
    let client = client_with(
        &server,
        basic(),
        RetryPolicy {
            max_retries: 3,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_secs(30),
        },
    );
    let mut limits = client.waits();

    let call = tokio::spawn({
        let client = client.clone();
        async move { client.current_user(&[]).await }
    });
    tokio::time::timeout(Duration::from_secs(2), limits.changed())
        .await
        .expect("published in time")
        .expect("sender alive");
    assert!(!limits.borrow_and_update().is_empty());
    call.abort();
    assert!(call.await.expect_err("aborted").is_cancelled());

    assert!(
        limits.borrow().is_empty(),
        "nobody waits any more, so no countdown"
    );
}

#[tokio::test]
async fn a_slow_server_is_a_timeout_and_only_reads_are_retried() {
    let server = MockServer::start().await;
    let slow = || ResponseTemplate::new(200).set_delay(Duration::from_secs(3));
    Mock::given(method("GET"))
        .and(path(format!("{API}/user/current")))
        .respond_with(slow().set_body_json(fixture_json("user-current.aws-docs.json")))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{API}/user/watch/space/ENG")))
        .respond_with(slow())
        .expect(1)
        .mount(&server)
        .await;
    let mut config = config_for(&server.uri(), basic());
    config.timeout = Duration::from_millis(150);
    config.retry = fast_retry(1);
    let client = support::client::build(config);
    let started = Instant::now();

    let get = client.current_user(&[]).await.unwrap_err();
    let post = client
        .add_watch(&WatchTarget::Space("ENG".into()), None)
        .await
        .unwrap_err();

    assert_eq!(
        get,
        ApiError::Timeout {
            endpoint: "GET /user/current".into(),
            waiting_for: confdir::api::Waited::Answer,
            after: Duration::from_millis(150),
            attempts: 2,
        }
    );
    assert_eq!(
        get.to_string(),
        "GET /user/current: no answer within 150 ms (tried twice): the server took the request but said nothing. It may be overloaded, or a proxy is holding the request; try again later."
    );
    // A write that timed out waiting for its answer may have been applied: its outcome is
    // unknown (it was a plain `Timeout` before that distinction existed).
    assert!(matches!(post, ApiError::OutcomeUnknown { .. }), "{post:?}");
    assert!(
        started.elapsed() < Duration::from_millis(2500),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        requests(&server).await.len(),
        3,
        "GET tried twice, POST once"
    );
}

#[tokio::test]
async fn a_closed_port_is_a_network_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let client = support::client::build(config_for(&format!("http://127.0.0.1:{port}"), basic()));

    let err = client.current_user(&[]).await.unwrap_err();

    assert!(matches!(err, ApiError::Network { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.starts_with("GET /user/current: could not reach the server: "),
        "{text}"
    );
    assert!(
        text.ends_with("Check the base URL and the network."),
        "{text}"
    );
}
