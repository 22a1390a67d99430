//! Statuses and error texts: each status becomes its `ApiError` variant, whose text is a sentence
//! with Confluence's message; bodies that cannot be read, HTML error pages, and hostile server
//! text.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::call::Call;
use crate::fast_retry;
use crate::no_retry_client;
use crate::support::mock::{error_response, serve};
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

/// Checks that `err` is a decode error naming `field`, in the variant and in the text.
fn assert_decode_error_at(err: &ApiError, field: &str) {
    match err {
        ApiError::Decode { field: f, .. } => assert_eq!(f, field),
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert!(
        err.to_string().contains(&format!("(at `{field}`)")),
        "{err}"
    );
}

/// Checks that `err` is a decode error whose text says a proxy may have answered.
fn assert_unreadable(err: &ApiError) {
    assert!(matches!(err, ApiError::Decode { .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("could not be read"), "{text}");
    assert!(text.contains("a proxy answered instead"), "{text}");
}

calls! {
    /// With no retries left, a 429 says when to try again (Retry-After, not the reset time).
    rate_limited_after_the_last_retry_says_when_to_retry => Call::get("/user/current")
        .retry(RetryPolicy::none())
        .answers(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "7")
                .insert_header("X-RateLimit-Reset", "2026-01-01T00:00Z"),
        )
        .then(|c| async move {
            let err = c.current_user(&[]).await.unwrap_err();
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
        });
    /// A cut-off JSON body is a decode error, and is not retried.
    malformed_json_is_a_decode_error => Call::get("/user/current")
        .answers(
            ResponseTemplate::new(200).set_body_raw("{\"type\": \"known\", ", "application/json"),
        )
        .then(|c| async move {
            assert_unreadable(&c.current_user(&[]).await.unwrap_err());
        });
    /// A login page instead of JSON is a decode error, and is not retried.
    an_html_body_is_a_decode_error => Call::get("/user/anonymous")
        .answers(
            ResponseTemplate::new(200)
                .set_body_raw("<html><body>Log in</body></html>", "text/html"),
        )
        .then(|c| async move {
            assert_unreadable(&c.anonymous_user(false).await.unwrap_err());
        });
    decode_error_names_the_user_field => Call::get("/user")
        .query(&[("accountId", "x")])
        .answers(
            ResponseTemplate::new(200).set_body_json(json!({"type": "known", "accountId": 42})),
        )
        .then(|c| async move {
            assert_decode_error_at(&c.user("x", &[]).await.unwrap_err(), "accountId");
        });
    decode_error_names_the_list_item_field => Call::get("/group")
        .query(&[("start", "0"), ("limit", "5")])
        .answers(ResponseTemplate::new(200).set_body_json(json!({
            "results": [{"type": "group", "name": "ok", "id": "1"}, {"type": "group", "name": 5}],
            "_links": {}
        })))
        .then(|c| async move {
            let err = c.groups(Paging::first(5), None).first().await.unwrap_err();
            assert_decode_error_at(&err, "results[1].name");
        });
    decode_error_names_the_watch_field => Call::get("/user/watch/space/ENG")
        .answers(ResponseTemplate::new(200).set_body_json(json!({"watching": "yes"})))
        .then(|c| async move {
            let err = c
                .watch_status(&WatchTarget::Space("ENG".into()), None)
                .await
                .unwrap_err();
            assert_decode_error_at(&err, "watching");
        });
    html_error_pages_are_not_shown_as_the_message => Call::get("/user/current")
        .retry(fast_retry(0))
        .answers(
            ResponseTemplate::new(502)
                .set_body_raw("<html><h1>502 Bad Gateway</h1></html>", "text/html"),
        )
        .then(|c| async move {
            let err = c.current_user(&[]).await.unwrap_err();
            assert_eq!(
                err.to_string(),
                "GET /user/current: Confluence failed with HTTP 502. Try again later."
            );
        });
    server_text_loses_control_characters_and_is_capped => Call::get("/user/current")
        .answers(error_response(
            403,
            &format!("\u{1b}[31mred\u{7}\r\nline {}", "x".repeat(2000)),
        ))
        .then(|c| async move {
            let err = c.current_user(&[]).await.unwrap_err();
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
        });
}
