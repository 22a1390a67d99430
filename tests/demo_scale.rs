//! The directory at performance-work size: 100,000 accounts generate quickly, stay
//! deterministic, and every list still pages correctly through the client.

// Tests unwrap: a panic is a failed test that says where (the crate denies it elsewhere).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use confdir::api::{Paging, RetryPolicy, SitePermissionFilter};
use confdir::demo::seed::SeededDirectory;
use confdir::demo::DemoOptions;
use std::time::{Duration, Instant};

/// The budget is 1 s in release builds; unoptimised test builds get a generous multiple.
fn budget(release: Duration) -> Duration {
    if cfg!(debug_assertions) {
        release * 10
    } else {
        release
    }
}

#[test]
fn generation_meets_its_time_budget() {
    let t = Instant::now();
    let small = SeededDirectory::generate(1_500, 42);
    let small_took = t.elapsed();
    let t = Instant::now();
    let big = SeededDirectory::generate(100_000, 42);
    let big_took = t.elapsed();
    eprintln!("1,500 users: {small_took:?}; 100,000 users: {big_took:?}");
    assert_eq!(small.users.len(), 1_500);
    assert_eq!(big.users.len(), 100_000);
    assert!(
        small_took < budget(Duration::from_millis(100)),
        "{small_took:?}"
    );
    assert!(big_took < budget(Duration::from_secs(1)), "{big_took:?}");
    // The first people are the same whatever the size: growing the directory appends.
    assert_eq!(small.users[1_499].account_id, big.users[1_499].account_id);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_directory_serves_search_and_paging() {
    let server = support::demo::start(DemoOptions {
        users: 100_000,
        ..DemoOptions::default()
    })
    .await;
    let client = support::client::demo_client(&server, false, RetryPolicy::default());
    let t = Instant::now();
    let page = client
        .search_users(
            r#"user.fullname~"mar""#,
            Paging::first(50),
            SitePermissionFilter::None,
            &[],
        )
        .first()
        .await
        .unwrap();
    let took = t.elapsed();
    eprintln!("search over 100,000 users: {took:?}");
    assert!(page.total_size.unwrap() > 1_000, "{:?}", page.total_size);
    assert_eq!(page.results.len(), 50);
    assert!(took < budget(Duration::from_millis(300)), "{took:?}");

    // "type=user will return up to 10k users".
    let all = client
        .search_users(
            "type=user",
            Paging::first(10),
            SitePermissionFilter::None,
            &[],
        )
        .first()
        .await
        .unwrap();
    assert_eq!(all.total_size, Some(10_000));

    let everyone = &server.directory().groups[0];
    assert_eq!(everyone.name, "confluence-users");
    let last = client
        .group_members(
            &everyone.id,
            Paging {
                start: 99_950,
                limit: 200,
            },
            &[],
        )
        .first()
        .await
        .unwrap();
    assert_eq!(last.results.len(), 50);
    assert_eq!(last.total_size, Some(100_000));
    assert!(last.links.next.is_none());
    server.stop().await;
}

/// The query of the report that one request could stall the server: a flat chain of `OR`
/// clauses over 100,000 people. It is refused at once, and other requests are answered meanwhile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flat_chain_of_clauses_is_refused_at_once() {
    let server = support::demo::start(DemoOptions {
        users: 100_000,
        ..DemoOptions::default()
    })
    .await;
    let cql = (0..1_500)
        .map(|i| format!("user=n{i}"))
        .collect::<Vec<_>>()
        .join(" OR ");
    let http = support::client::raw_http();
    let t = Instant::now();
    let resp = http
        .get(format!("{}/rest/api/search/user", server.base_url()))
        .query(&[("cql", cql)])
        .basic_auth(confdir::demo::DEMO_EMAIL, Some("demo"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("CQL too complex"),
        "{body}"
    );
    assert!(
        t.elapsed() < budget(Duration::from_millis(100)),
        "{:?}",
        t.elapsed()
    );
    server.stop().await;
}
