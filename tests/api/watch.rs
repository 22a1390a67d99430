//! Watches: status, watch and unwatch for content, labels and spaces, for you and for another
//! user; the reason a hidden target is refused; and ids that cannot leave their path segment.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::call::Call;
use crate::support::mock::{fixture_json, requests, serve, the_request, API};
use crate::{assert_request, client, ACCOUNT};
use confdir::api::{ApiError, Paging, WatchTarget};
use pretty_assertions::assert_eq;
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The three kinds of watch target, each with the path it is watched at.
fn watch_targets() -> [(WatchTarget, &'static str); 3] {
    [
        (
            WatchTarget::Content("98765".into()),
            "/user/watch/content/98765",
        ),
        (
            WatchTarget::Label("release-notes".into()),
            "/user/watch/label/release-notes",
        ),
        (
            WatchTarget::Space("~alice".into()),
            "/user/watch/space/~alice",
        ),
    ]
}

#[tokio::test]
async fn watch_status_of_content_label_space_for_you_and_for_another_user() {
    let server = MockServer::start().await;
    for (i, (_, p)) in watch_targets().iter().enumerate() {
        serve(
            &server,
            "GET",
            p,
            ResponseTemplate::new(200).set_body_json(json!({ "watching": i % 2 == 0 })),
        )
        .await;
    }
    let client = client(&server);

    let mut answers = Vec::new();
    for (target, _) in watch_targets() {
        answers.push(client.watch_status(&target, None).await.expect("status"));
        answers.push(
            client
                .watch_status(&target, Some(ACCOUNT))
                .await
                .expect("status for a user"),
        );
    }

    assert_eq!(answers, vec![true, true, false, false, true, true]);
    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 6);
    for (i, (_, p)) in watch_targets().iter().enumerate() {
        assert_request(&reqs[2 * i], "GET", p, &[]);
        assert_request(&reqs[2 * i + 1], "GET", p, &[("accountId", ACCOUNT)]);
    }
}

#[tokio::test]
async fn add_watch_posts_with_xsrf_header_for_each_target_and_user() {
    let server = MockServer::start().await;
    for (_, p) in watch_targets() {
        serve(&server, "POST", p, ResponseTemplate::new(204)).await;
    }
    let client = client(&server);

    for (target, _) in watch_targets() {
        client.add_watch(&target, None).await.expect("watch");
        client
            .add_watch(&target, Some(ACCOUNT))
            .await
            .expect("watch for a user");
    }

    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 6);
    for (i, (_, p)) in watch_targets().iter().enumerate() {
        assert_request(&reqs[2 * i], "POST", p, &[]);
        assert_request(&reqs[2 * i + 1], "POST", p, &[("accountId", ACCOUNT)]);
        assert!(reqs[2 * i].body.is_empty(), "a watch POST has no body");
    }
}

#[tokio::test]
async fn remove_watch_deletes_with_xsrf_header_for_each_target_and_user() {
    let server = MockServer::start().await;
    for (_, p) in watch_targets() {
        serve(&server, "DELETE", p, ResponseTemplate::new(204)).await;
    }
    let client = client(&server);

    for (target, _) in watch_targets() {
        client.remove_watch(&target, None).await.expect("unwatch");
        client
            .remove_watch(&target, Some(ACCOUNT))
            .await
            .expect("unwatch for a user");
    }

    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 6);
    for (i, (_, p)) in watch_targets().iter().enumerate() {
        assert_request(&reqs[2 * i], "DELETE", p, &[]);
        assert_request(&reqs[2 * i + 1], "DELETE", p, &[("accountId", ACCOUNT)]);
    }
}

calls! {
    /// Not retried: exactly one request.
    watching_a_hidden_target_is_forbidden_with_the_reason => Call::post("/user/watch/space/SECRET")
        .answers(
            ResponseTemplate::new(403)
                .set_body_json(fixture_json("error-403-permission.captured.json")),
        )
        .then(|c| async move {
            let err = c
                .add_watch(&WatchTarget::Space("SECRET".into()), None)
                .await
                .unwrap_err();
            assert!(matches!(err, ApiError::Forbidden { .. }), "{err:?}");
            let text = err.to_string();
            assert!(
                text.starts_with("POST /user/watch/space: not permitted (403): Could not create content with type page. "),
                "{text}"
            );
        });
}

#[tokio::test]
async fn path_ids_cannot_escape_their_segment() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"watching": false})))
        .mount(&server)
        .await;
    let client = client(&server);

    // `/` inside a name is encoded and stays one segment.
    client
        .watch_status(&WatchTarget::Label("a/b?c".into()), None)
        .await
        .expect("status");
    assert_eq!(
        the_request(&server).await.url.path(),
        format!("{API}/user/watch/label/a%2Fb%3Fc")
    );

    // Empty, `.` and `..` would silently call another endpoint: refused before sending.
    for bad in ["", ".", ".."] {
        for target in [
            WatchTarget::Content(bad.into()),
            WatchTarget::Label(bad.into()),
            WatchTarget::Space(bad.into()),
        ] {
            let err = client.watch_status(&target, None).await.unwrap_err();
            assert!(
                matches!(err, ApiError::InvalidInput(_)),
                "{target:?}: {err:?}"
            );
            let err = client.add_watch(&target, None).await.unwrap_err();
            assert!(
                matches!(err, ApiError::InvalidInput(_)),
                "{target:?}: {err:?}"
            );
            let err = client.remove_watch(&target, None).await.unwrap_err();
            assert!(
                matches!(err, ApiError::InvalidInput(_)),
                "{target:?}: {err:?}"
            );
        }
        let err = client
            .user_properties(bad, Paging::first(5))
            .first()
            .await
            .unwrap_err();
        assert!(matches!(err, ApiError::InvalidInput(_)), "{err:?}");
        let err = client
            .group_members(bad, Paging::first(5), &[])
            .all()
            .await
            .unwrap_err();
        assert!(matches!(err, ApiError::InvalidInput(_)), "{err:?}");
        let err = client.user_property(bad, "team").await.unwrap_err();
        assert!(matches!(err, ApiError::InvalidInput(_)), "{err:?}");
    }
    assert_eq!(requests(&server).await.len(), 1, "nothing else was sent");
}
