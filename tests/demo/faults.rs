//! Fault injection and state: injected 500s and 429s, the client retrying through them, latency,
//! and the state file across restarts.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::support::client::demo_client;
use crate::support::demo::start;
use crate::{client, no_retry, server};
use confdir::api::{ApiError, Paging, RetryPolicy, WatchTarget};
use confdir::demo::{DemoOptions, DEMO_ACCOUNT_ID};
use pretty_assertions::assert_eq;
use serde_json::json;
use std::time::{Duration, Instant};

#[tokio::test]
async fn injected_failures_are_500s_and_429s_with_retry_after() {
    let s = server().await;
    s.set_fail_rate(1.0);
    let c = no_retry(&s);
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..40 {
        match c.current_user(&[]).await.unwrap_err() {
            ApiError::RateLimited { retry_after, .. } => {
                assert_eq!(retry_after, Duration::from_secs(1));
                seen.insert(429);
            }
            ApiError::Server { status, .. } => {
                seen.insert(status);
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(seen.into_iter().collect::<Vec<_>>(), [429, 500]);
    s.set_fail_rate(0.0);
    assert!(c.current_user(&[]).await.is_ok());
    s.stop().await;
}

#[tokio::test]
async fn the_client_retries_through_a_partly_failing_server() {
    let s = start(DemoOptions {
        fail_rate: 0.3,
        ..DemoOptions::default()
    })
    .await;
    let c = demo_client(
        &s,
        false,
        // The injected 429s ask for 1 s (`Retry-After: 1`): a policy that sits out less would
        // end those requests at once with the server's wait, as it should.
        RetryPolicy {
            max_retries: 12,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_secs(1),
        },
    );
    for _ in 0..5 {
        assert!(c
            .group_memberships(DEMO_ACCOUNT_ID, Paging::first(5))
            .all()
            .await
            .is_ok());
    }
    s.stop().await;
}

#[tokio::test]
async fn latency_delays_each_response() {
    let s = server().await;
    let c = client(&s, false);
    s.set_latency(Some((
        Duration::from_millis(300),
        Duration::from_millis(350),
    )));
    let t = Instant::now();
    c.current_user(&[]).await.unwrap();
    let took = t.elapsed();
    assert!(took >= Duration::from_millis(300), "{took:?}");
    // Switched off, no request waits for it. A long latency switched off makes that visible
    // whatever the machine's load: a request that still waited would take 20 s.
    s.set_latency(Some((Duration::from_secs(20), Duration::from_secs(20))));
    s.set_latency(None);
    let t = Instant::now();
    c.current_user(&[]).await.unwrap();
    let took = t.elapsed();
    assert!(took < Duration::from_secs(20), "{took:?}");
    s.stop().await;
}

#[tokio::test]
async fn state_file_keeps_watches_and_properties_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo-state.json");
    let opts = DemoOptions {
        state_file: Some(path.clone()),
        users: 200,
        ..DemoOptions::default()
    };
    let s = start(opts.clone()).await;
    let c = client(&s, false);
    c.add_watch(&WatchTarget::Space("HR".into()), None)
        .await
        .unwrap();
    c.create_user_property(DEMO_ACCOUNT_ID, "kept", &json!({"n": 1}))
        .await
        .unwrap();
    s.stop().await;
    assert!(path.exists());

    let s = start(opts).await;
    let c = client(&s, false);
    assert!(c
        .watch_status(&WatchTarget::Space("HR".into()), None)
        .await
        .unwrap());
    assert_eq!(
        c.user_property(DEMO_ACCOUNT_ID, "kept")
            .await
            .unwrap()
            .value,
        json!({"n": 1})
    );
    s.stop().await;

    // Without the file, a fresh server has the seeded state again.
    let s = server().await;
    let c = client(&s, false);
    assert!(!c
        .watch_status(&WatchTarget::Space("HR".into()), None)
        .await
        .unwrap());
    s.stop().await;
}
