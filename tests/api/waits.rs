//! Waits a person can see: a request with no answer yet is on the client's wait board after a
//! few seconds and off it when it ends; the site's "near the limit" signal is read; a body-less
//! write says its length is zero.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::support::mock::API;
use crate::unknown::{Silence, Silent};
use crate::{basic, client, config_for, fast_retry, support};
use confdir::api::{ApiError, WaitKind, WatchTarget};
use std::time::Duration;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A request whose answer does not come is shown while it waits (what, since when, until when)
/// and taken off the board when the client gives up.
#[tokio::test]
async fn a_request_with_no_answer_is_on_the_wait_board_until_it_ends() {
    let server = Silent::start(Silence::Hang).await;
    let mut config = config_for(&server.uri, basic());
    config.timeout = Duration::from_secs(2);
    config.show_waits_after = Duration::from_millis(50);
    config.retry = fast_retry(0);
    let client = support::client::build(config);
    let mut waits = client.waits();

    let call = tokio::spawn({
        let client = client.clone();
        async move { client.current_user(&[]).await }
    });
    tokio::time::timeout(Duration::from_secs(2), waits.changed())
        .await
        .expect("shown in time")
        .expect("board alive");
    let shown = waits.borrow_and_update().clone();

    assert_eq!(shown.len(), 1, "{shown:?}");
    assert_eq!(shown[0].endpoint, "GET /user/current");
    assert_eq!(shown[0].kind, WaitKind::Answer);
    assert_eq!(shown[0].until - shown[0].since, Duration::from_secs(2));
    assert!(!call.is_finished(), "shown while the request waits");
    let err = call.await.expect("task").unwrap_err();
    assert!(
        matches!(err, ApiError::Timeout { attempts: 1, .. }),
        "{err:?}"
    );
    assert!(waits.borrow().is_empty(), "gone once the request ended");
}

/// A quick answer is never shown: the board stays untouched.
#[tokio::test]
async fn a_quick_answer_is_not_shown_as_a_wait() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{API}/user/current")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(crate::support::mock::fixture_json(
                "user-current.aws-docs.json",
            )),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    let waits = client.waits();

    client.current_user(&[]).await.expect("answered");

    assert!(!waits.has_changed().unwrap_or(true));
}

/// `X-RateLimit-NearLimit: true` makes the client say background work should slow down.
#[tokio::test]
async fn near_limit_is_remembered_from_an_answer() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{API}/user/current")))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-RateLimit-NearLimit", "true")
                .set_body_json(crate::support::mock::fixture_json(
                    "user-current.aws-docs.json",
                )),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    assert!(!client.is_near_limit());

    client.current_user(&[]).await.expect("answered");

    assert!(client.is_near_limit());
}

/// A POST without a body says `Content-Length: 0`: Cloud and some proxies refuse a body-less
/// POST without a length (411).
#[tokio::test]
async fn a_body_less_post_says_its_length_is_zero() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("{API}/user/watch/space/ENG")))
        .and(header("content-length", "0"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);

    client
        .add_watch(&WatchTarget::Space("ENG".into()), None)
        .await
        .expect("a POST with Content-Length: 0 is answered");
    server.verify().await;
}

/// After an attempt got no answer, the retry's wait is shown at once and counts from the first
/// attempt, so the screen never goes quiet between the two.
#[tokio::test]
async fn the_second_attempts_wait_is_shown_at_once_and_counts_from_the_first() {
    let server = Silent::start(Silence::Hang).await;
    let mut config = config_for(&server.uri, basic());
    config.timeout = Duration::from_millis(400);
    // Never reached by one attempt on its own.
    config.show_waits_after = Duration::from_secs(10);
    config.retry = fast_retry(1);
    let client = support::client::build(config);
    let mut waits = client.waits();

    let call = tokio::spawn({
        let client = client.clone();
        async move { client.current_user(&[]).await }
    });
    let answer_wait = tokio::time::timeout(Duration::from_secs(3), async {
        loop {
            waits.changed().await.expect("board alive");
            let shown = waits.borrow_and_update().clone();
            if let Some(wait) = shown.into_iter().find(|w| w.kind == WaitKind::Answer) {
                return wait;
            }
        }
    })
    .await
    .expect("the second attempt's wait is shown");

    assert!(
        answer_wait.until - answer_wait.since > Duration::from_millis(400),
        "counted from the first attempt: {:?}",
        answer_wait.until - answer_wait.since
    );
    let err = call.await.expect("task").unwrap_err();
    assert!(
        matches!(err, ApiError::Timeout { attempts: 2, .. }),
        "{err:?}"
    );
    assert_eq!(server.applied().len(), 2);
}
