//! Statuses and error texts: each status becomes its `ApiError` variant, whose text is a sentence
//! with Confluence's message; bodies that cannot be read, HTML error pages, and hostile server
//! text.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::support;
use crate::support::mock::{error_response, requests, serve};
use crate::{basic, client, config_for, no_retry_client};
use confdir::api::{ApiError, Paging, RetryPolicy, WatchTarget};
use pretty_assertions::assert_eq;
use serde_json::json;
use std::time::Duration;
use wiremock::{MockServer, ResponseTemplate};

/// Recognises one `ApiError` variant.
type IsVariant = fn(&ApiError) -> bool;

#[tokio::test]
async fn statuses_map_to_variants_whose_display_is_a_sentence_with_the_message() {
    let cases: [(u16, IsVariant, &str); 9] = [
        (
            400,
            |e| matches!(e, ApiError::BadRequest { .. }),
            "rejected the request (400)",
        ),
        (
            401,
            |e| matches!(e, ApiError::Unauthorized { .. }),
            "refused the credentials (401)",
        ),
        (
            403,
            |e| matches!(e, ApiError::Forbidden { .. }),
            "not permitted (403)",
        ),
        (
            404,
            |e| matches!(e, ApiError::NotFound { .. }),
            "not found (404)",
        ),
        (
            409,
            |e| matches!(e, ApiError::Conflict { .. }),
            "conflict (409)",
        ),
        (
            418,
            |e| matches!(e, ApiError::Http { status: 418, .. }),
            "unexpected HTTP 418",
        ),
        (
            500,
            |e| matches!(e, ApiError::Server { status: 500, .. }),
            "failed with HTTP 500",
        ),
        (
            501,
            |e| matches!(e, ApiError::NotImplemented { .. }),
            "does not offer this API (501)",
        ),
        (
            502,
            |e| matches!(e, ApiError::Server { status: 502, .. }),
            "failed with HTTP 502",
        ),
    ];
    for (status, is_variant, phrase) in cases {
        let server = MockServer::start().await;
        let message = format!("Message number {status} from Confluence.");
        serve(
            &server,
            "GET",
            "/user/current",
            error_response(status, &message),
        )
        .await;

        let err = no_retry_client(&server)
            .current_user(&[])
            .await
            .unwrap_err();

        assert!(is_variant(&err), "{status}: {err:?}");
        assert_eq!(err.status(), Some(status));
        assert_eq!(err.server_message(), Some(message.as_str()));
        let text = err.to_string();
        assert!(text.starts_with("GET /user/current: "), "{text}");
        assert!(text.contains(phrase), "{text}");
        assert!(
            text.contains(&format!(": Message number {status} from Confluence")),
            "{text}"
        );
        assert!(text.ends_with('.') && !text.contains(".."), "{text}");
    }
}

#[tokio::test]
async fn rate_limited_after_the_last_retry_says_when_to_retry() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/user/current",
        ResponseTemplate::new(429)
            .insert_header("Retry-After", "7")
            .insert_header("X-RateLimit-Reset", "2026-01-01T00:00Z"),
    )
    .await;
    let mut config = config_for(&server.uri(), basic());
    config.retry = RetryPolicy::none();
    let client = support::client::build(config);

    let err = client.current_user(&[]).await.unwrap_err();

    assert_eq!(
        err,
        ApiError::RateLimited {
            endpoint: "GET /user/current".into(),
            retry_after: Duration::from_secs(7)
        }
    );
    assert_eq!(err.status(), Some(429));
    assert_eq!(
        err.to_string(),
        "GET /user/current: rate limited by Confluence; retry in 7 s."
    );
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn malformed_json_and_html_bodies_are_decode_errors() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/user/current",
        ResponseTemplate::new(200).set_body_raw("{\"type\": \"known\", ", "application/json"),
    )
    .await;
    serve(
        &server,
        "GET",
        "/user/anonymous",
        ResponseTemplate::new(200).set_body_raw("<html><body>Log in</body></html>", "text/html"),
    )
    .await;
    let client = client(&server);

    for err in [
        client.current_user(&[]).await.unwrap_err(),
        client.anonymous_user(false).await.unwrap_err(),
    ] {
        assert!(matches!(err, ApiError::Decode { .. }), "{err:?}");
        let text = err.to_string();
        assert!(text.contains("could not be read"), "{text}");
        assert!(text.contains("a proxy answered instead"), "{text}");
    }
    assert_eq!(
        requests(&server).await.len(),
        2,
        "a bad body is not retried"
    );
}

#[tokio::test]
async fn decode_errors_name_the_failing_field() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/user",
        ResponseTemplate::new(200).set_body_json(json!({"type": "known", "accountId": 42})),
    )
    .await;
    serve(
        &server,
        "GET",
        "/group",
        ResponseTemplate::new(200).set_body_json(json!({
            "results": [{"type": "group", "name": "ok", "id": "1"}, {"type": "group", "name": 5}],
            "_links": {}
        })),
    )
    .await;
    serve(
        &server,
        "GET",
        "/user/watch/space/ENG",
        ResponseTemplate::new(200).set_body_json(json!({"watching": "yes"})),
    )
    .await;
    let client = client(&server);

    let user = client.user("x", &[]).await.unwrap_err();
    let groups = client
        .groups(Paging::first(5), None)
        .first()
        .await
        .unwrap_err();
    let watch = client
        .watch_status(&WatchTarget::Space("ENG".into()), None)
        .await
        .unwrap_err();

    for (err, field) in [
        (user, "accountId"),
        (groups, "results[1].name"),
        (watch, "watching"),
    ] {
        match &err {
            ApiError::Decode { field: f, .. } => assert_eq!(f, field),
            other => panic!("expected a decode error, got {other:?}"),
        }
        assert!(
            err.to_string().contains(&format!("(at `{field}`)")),
            "{err}"
        );
    }
}

#[tokio::test]
async fn html_error_pages_are_not_shown_as_the_message() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/user/current",
        ResponseTemplate::new(502)
            .set_body_raw("<html><h1>502 Bad Gateway</h1></html>", "text/html"),
    )
    .await;

    let err = no_retry_client(&server)
        .current_user(&[])
        .await
        .unwrap_err();

    assert_eq!(
        err.to_string(),
        "GET /user/current: Confluence failed with HTTP 502. Try again later."
    );
}

#[tokio::test]
async fn server_text_loses_control_characters_and_is_capped() {
    let server = MockServer::start().await;
    let hostile = format!("\u{1b}[31mred\u{7}\r\nline {}", "x".repeat(2000));
    serve(
        &server,
        "GET",
        "/user/current",
        error_response(403, &hostile),
    )
    .await;

    let err = client(&server).current_user(&[]).await.unwrap_err();

    let message = err.server_message().expect("a message").to_string();
    assert!(!message.chars().any(char::is_control), "{message:?}");
    // The one sanitizer's rule: ESC and BEL become `�`, the line break a space each.
    assert!(
        message.starts_with("\u{FFFD}[31mred\u{FFFD}  line xxx"),
        "{message:?}"
    );
    assert_eq!(
        message.chars().count(),
        301,
        "300 characters and an ellipsis"
    );
    assert!(message.ends_with('…'));
    assert!(!err.to_string().chars().any(char::is_control));
}
