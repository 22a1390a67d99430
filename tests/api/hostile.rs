//! Servers that misbehave on purpose: bodies that never end, are huge or drip; lists whose `next`
//! never stops; redirects of writes and redirects to plain http; ids that need escaping and a query
//! too long to send. Each ends quickly with an error that says what happened, costs a bounded
//! amount of memory, and never reports a success that did not happen.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::support::client::build;
use crate::support::mock::{requests, Hostile, Misbehaviour, API};
use crate::{basic, config_for, fast_retry, no_retry_client, ACCOUNT, PROP_USER};
use confdir::api::{
    fullname_cql, ApiError, Client, Paging, SitePermissionFilter, WatchTarget, MAX_BODY_BYTES,
};
use serde_json::{json, Value};
use std::future::Future;
use std::time::{Duration, Instant};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The longest any of these calls may take before the test calls it hung.
const HUNG: Duration = Duration::from_secs(10);

/// What kernel socket buffers may hold beyond what the client read before it hung up.
const SOCKET_SLACK: u64 = 32 * 1024 * 1024;

/// Runs `call`, failing the test if it takes longer than [`HUNG`]; returns its result and how long
/// it took.
async fn bounded<T>(call: impl Future<Output = T>) -> (T, Duration) {
    let started = Instant::now();
    let out = tokio::time::timeout(HUNG, call)
        .await
        .unwrap_or_else(|_| panic!("still running after {HUNG:?}"));
    (out, started.elapsed())
}

/// A client of a hostile server that never retries; its whole-request timeout is kept short so
/// that a client without the body limit does not read gigabytes before the test fails.
fn hostile_client(server: &Hostile) -> Client {
    let mut config = config_for(&server.uri(), basic());
    config.retry = fast_retry(0);
    config.timeout = Duration::from_secs(2);
    build(config)
}

#[tokio::test]
async fn an_endless_body_ends_at_the_size_limit_quickly() {
    let server = Hostile::start(Misbehaviour::Endless).await;
    let client = hostile_client(&server);

    let (result, took) = bounded(client.current_user(&[])).await;

    let err = result.unwrap_err();
    assert!(
        matches!(err, ApiError::TooLarge { limit, .. } if limit == MAX_BODY_BYTES),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(
        text.starts_with("GET /user/current: the server sent more than 8 MiB"),
        "{text}"
    );
    assert!(took < Duration::from_secs(5), "took {took:?}");
    let sent = server.bytes_sent();
    assert!(
        sent <= MAX_BODY_BYTES as u64 + SOCKET_SLACK,
        "the server got to send {sent} bytes"
    );
}

#[tokio::test]
async fn a_huge_body_is_refused_by_its_length_before_it_is_read() {
    let server = Hostile::start(Misbehaviour::Huge(200 * 1024 * 1024)).await;
    let client = hostile_client(&server);

    let (result, took) = bounded(
        client
            .search_users(
                &fullname_cql("x"),
                Paging::first(25),
                SitePermissionFilter::None,
                &[],
            )
            .first(),
    )
    .await;

    let err = result.unwrap_err();
    assert!(matches!(err, ApiError::TooLarge { .. }), "{err:?}");
    assert!(err.to_string().contains("more than 8 MiB"), "{err}");
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert!(
        server.bytes_sent() <= SOCKET_SLACK,
        "{}",
        server.bytes_sent()
    );
}

#[tokio::test]
async fn a_body_that_drips_ends_at_the_body_deadline() {
    let server = Hostile::start(Misbehaviour::Drip(Duration::from_millis(20))).await;
    let mut config = config_for(&server.uri(), basic());
    config.retry = fast_retry(0);
    config.body_timeout = Duration::from_millis(300);
    let client = build(config);

    let (result, took) = bounded(client.current_user(&[])).await;

    let err = result.unwrap_err();
    assert!(
        matches!(err, ApiError::TooSlow { received, .. } if received < 1000),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(
        text.starts_with("GET /user/current: the server sent its answer too slowly ("),
        "{text}"
    );
    assert!(took < Duration::from_secs(3), "took {took:?}");
}

/// A memberof page of `names` starting at `start`, with `next` pointing at `next_start` and, when
/// given, a `totalSize`.
fn page(start: usize, names: &[String], next_start: usize, total: Option<usize>) -> Value {
    let mut page = json!({
        "results": names.iter().map(|n| json!({"type": "group", "name": n, "id": n})).collect::<Vec<_>>(),
        "start": start,
        "limit": names.len(),
        "size": names.len(),
        "_links": {
            "base": "https://your-domain.atlassian.net/wiki",
            "context": "/wiki",
            "next": format!("/rest/api/user/memberof?accountId={ACCOUNT}&start={next_start}&limit=2"),
        }
    });
    if let Some(total) = total {
        page["totalSize"] = json!(total);
    }
    page
}

/// The `start` a request asked for.
fn start_of(req: &Request) -> usize {
    req.url
        .query_pairs()
        .find(|(k, _)| k == "start")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0)
}

/// Answers every memberof request with `answer(start)`: a server whose `next` never stops.
async fn endless_memberof(
    server: &MockServer,
    answer: impl Fn(usize) -> Value + Send + Sync + 'static,
) {
    Mock::given(method("GET"))
        .and(path(format!("{API}/user/memberof")))
        .respond_with(move |req: &Request| {
            ResponseTemplate::new(200).set_body_json(answer(start_of(req)))
        })
        .mount(server)
        .await;
}

/// Two group names for the page at `start`.
fn two(start: usize) -> Vec<String> {
    vec![format!("g{start}"), format!("g{}", start + 1)]
}

#[tokio::test]
async fn a_server_that_repeats_its_page_with_a_new_next_is_an_error() {
    let server = MockServer::start().await;
    // Whatever is asked, the same first page, always with a `next` further on.
    endless_memberof(&server, |start| page(0, &two(0), start + 2, None)).await;

    let (result, _) = bounded(
        no_retry_client(&server)
            .group_memberships(ACCOUNT, Paging::first(2))
            .all(),
    )
    .await;

    let err = result.unwrap_err();
    assert!(matches!(err, ApiError::Paging { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.starts_with(
            "GET /user/memberof: the list did not end: the server sent the page at start 0 twice"
        ),
        "{text}"
    );
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn a_next_link_that_goes_back_to_an_earlier_page_is_an_error() {
    let server = MockServer::start().await;
    // 0 → 2 → 0 → 2 …, each page reporting no `start` of its own.
    endless_memberof(&server, |start| {
        let mut p = page(start, &two(start), (start + 2) % 4, None);
        p.as_object_mut().unwrap().remove("start");
        p
    })
    .await;

    let (result, _) = bounded(
        no_retry_client(&server)
            .group_memberships(ACCOUNT, Paging::first(2))
            .all(),
    )
    .await;

    let err = result.unwrap_err();
    assert!(
        err.to_string()
            .contains("the server's next page points back at start 0"),
        "{err}"
    );
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn more_items_than_the_servers_own_total_is_an_error_and_the_total_itself_ends_the_list() {
    let server = MockServer::start().await;
    // Three a page, a total of 4, and `next` forever.
    endless_memberof(&server, |start| {
        let names: Vec<String> = (start..start + 3).map(|i| format!("g{i}")).collect();
        page(start, &names, start + 3, Some(4))
    })
    .await;
    let (result, _) = bounded(
        no_retry_client(&server)
            .group_memberships(ACCOUNT, Paging::first(3))
            .all(),
    )
    .await;
    let err = result.unwrap_err();
    assert!(
        err.to_string()
            .contains("the server said there are 4 items in all, sent 6 and still announced more"),
        "{err}"
    );
    assert_eq!(requests(&server).await.len(), 2);

    // Two a page and a total of 4: the list ends after the second page, `next` or not.
    let server = MockServer::start().await;
    endless_memberof(&server, |start| {
        page(start, &two(start), start + 2, Some(4))
    })
    .await;
    let (result, _) = bounded(
        no_retry_client(&server)
            .group_memberships(ACCOUNT, Paging::first(2))
            .all(),
    )
    .await;
    assert_eq!(result.unwrap().len(), 4);
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn a_list_that_never_ends_stops_at_the_page_cap_with_an_error() {
    let server = MockServer::start().await;
    // A perfectly consistent list, except that it never ends.
    endless_memberof(&server, |start| page(start, &two(start), start + 2, None)).await;

    let (result, _) = bounded(
        no_retry_client(&server)
            .group_memberships(ACCOUNT, Paging::first(2))
            .max_pages(40)
            .all(),
    )
    .await;

    let err = result.unwrap_err();
    assert!(
        err.to_string()
            .contains("still more after 40 pages and 80 items, the most confdir reads of one list"),
        "{err}"
    );
    assert_eq!(requests(&server).await.len(), 40);
}

/// A mock that answers `verb` on `endpoint_path` with `status` and `Location: location`, and
/// anything else with 200 and `{"watching": true}` (what a write turned into a GET would see).
async fn redirecting(verb: &str, endpoint_path: &str, status: u16, location: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(verb))
        .and(path(format!("{API}{endpoint_path}")))
        .respond_with(ResponseTemplate::new(status).insert_header("Location", location))
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"watching": true})))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_write_answered_with_a_redirect_is_an_error_that_names_it() {
    for status in [301u16, 302, 303, 307, 308] {
        let server = redirecting("POST", "/user/watch/space/HR", status, "/wiki/elsewhere").await;
        let client = no_retry_client(&server);

        let err = client
            .add_watch(&WatchTarget::Space("HR".into()), None)
            .await
            .unwrap_err();

        assert!(
            matches!(&err, ApiError::Redirect { status: s, .. } if *s == status),
            "{status}: {err:?}"
        );
        assert_eq!(err.status(), Some(status));
        let text = err.to_string();
        let want = format!(
            "POST /user/watch/space: the server answered with a redirect (HTTP {status}) to {}/wiki/elsewhere; confdir never sends a write on to another address",
            server.uri()
        );
        assert!(text.starts_with(&want), "{status}: {text}");
        let reqs = requests(&server).await;
        assert_eq!(reqs.len(), 1, "{status}: the redirect was not followed");
    }

    // PUT and DELETE of a property too, the body never re-sent.
    for (verb, status) in [("PUT", 307u16), ("DELETE", 308), ("POST", 302)] {
        let server = redirecting(
            verb,
            &format!("/user/{PROP_USER}/property/team"),
            status,
            "http://example.invalid/x",
        )
        .await;
        let client = no_retry_client(&server);
        let value = json!({"name": "core"});
        let err = match verb {
            "PUT" => client.update_user_property(PROP_USER, "team", &value).await,
            "DELETE" => client.delete_user_property(PROP_USER, "team").await,
            _ => client
                .create_user_property(PROP_USER, "team", &value)
                .await
                .map(drop),
        }
        .unwrap_err();
        assert!(
            matches!(&err, ApiError::Redirect { location, .. } if location == "http://example.invalid/x"),
            "{verb}: {err:?}"
        );
        assert_eq!(requests(&server).await.len(), 1, "{verb}");
    }
}

#[tokio::test]
async fn a_read_redirected_to_plain_http_elsewhere_is_refused_before_connecting() {
    let server = redirecting(
        "GET",
        "/user/current",
        302,
        "http://example.invalid/wiki/rest/api/user/current",
    )
    .await;

    let (result, _) = bounded(no_retry_client(&server).current_user(&[])).await;

    let err = result.unwrap_err();
    assert!(
        matches!(&err, ApiError::Redirect { status: 302, location, .. }
            if location == "http://example.invalid/wiki/rest/api/user/current"),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("plain http is allowed only for loopback hosts"),
        "{err}"
    );
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn a_read_redirected_on_loopback_is_still_followed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{API}/user/current")))
        .respond_with(
            ResponseTemplate::new(301).insert_header("Location", "/wiki/rest/api/user/moved"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{API}/user/moved")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"type": "known", "accountId": ACCOUNT})),
        )
        .mount(&server)
        .await;

    let user = no_retry_client(&server).current_user(&[]).await.unwrap();

    assert_eq!(user.account_id.as_deref(), Some(ACCOUNT));
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn group_ids_with_a_slash_travel_escaped_in_one_segment() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!(
            "{API}/group/team%2Fops%20../membersByGroupId"
        )))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "results": [{"type": "known", "accountId": ACCOUNT}],
            "size": 1,
            "_links": {}
        })))
        .mount(&server)
        .await;

    let members = no_retry_client(&server)
        .group_members("team/ops ..", Paging::first(5), &[])
        .all()
        .await
        .unwrap();

    assert_eq!(members.len(), 1);
}

#[tokio::test]
async fn a_query_too_long_to_send_is_refused_before_sending() {
    let server = MockServer::start().await;
    let client = no_retry_client(&server);
    let long = "x".repeat(100 * 1024);

    let err = client
        .search_users(
            &fullname_cql(&long),
            Paging::first(25),
            SitePermissionFilter::None,
            &[],
        )
        .first()
        .await
        .unwrap_err();
    assert!(matches!(&err, ApiError::InvalidInput(_)), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("GET /search/user: query too long (101 KB once encoded; at most 16 KB"),
        "{err}"
    );
    let err = client
        .search_groups(&long, Paging::first(5))
        .all()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("query too long"), "{err}");
    let err = client.user(&long, &[]).await.unwrap_err();
    assert!(err.to_string().contains("query too long"), "{err}");
    assert!(requests(&server).await.is_empty());
}
