//! What guards every request: the XSRF check of every write, Confluence's JSON error body for
//! every error status, the URI limit, the header read timeout of idle connections, the CQL cost
//! limit, searches that do not hold other requests, and the bound on `users`.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::server;
use crate::support::client::raw_http;
use crate::support::demo::start;
use confdir::demo::{DemoOptions, DemoServer, DEMO_ACCOUNT_ID, DEMO_EMAIL, MAX_USERS};
use pretty_assertions::assert_eq;
use reqwest::Method;
use serde_json::{json, Value};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Sends `method` to `path` (below the site's origin) as the demo user, with or without the
/// XSRF header and with `body`; the status and the JSON body (`Null` when there is none).
async fn send(
    s: &DemoServer,
    method: Method,
    path: &str,
    xsrf: bool,
    body: Option<Vec<u8>>,
) -> (u16, Value) {
    let mut req = raw_http()
        .request(method, format!("http://{}{path}", s.addr()))
        .basic_auth(DEMO_EMAIL, Some("demo"));
    if xsrf {
        req = req.header("X-Atlassian-Token", "no-check");
    }
    if let Some(body) = body {
        req = req.header("content-type", "application/json").body(body);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let json = resp
        .headers()
        .get("content-type")
        .is_some_and(|v| v.to_str().unwrap().starts_with("application/json"));
    let bytes = resp.bytes().await.unwrap();
    let value = if bytes.is_empty() {
        Value::Null
    } else {
        assert!(
            json,
            "{status} {path}: not JSON: {}",
            String::from_utf8_lossy(&bytes)
        );
        serde_json::from_slice(&bytes).unwrap()
    };
    (status, value)
}

#[tokio::test]
async fn every_write_without_the_xsrf_header_is_refused_and_changes_nothing() {
    let s = server().await;
    let prop = format!("/wiki/rest/api/user/{DEMO_ACCOUNT_ID}/property/xsrf-probe");
    let body = || Some(br#"{"value":{"a":1}}"#.to_vec());
    let writes = [
        (Method::POST, prop.clone(), body()),
        (
            Method::PUT,
            format!("/wiki/rest/api/user/{DEMO_ACCOUNT_ID}/property/team"),
            body(),
        ),
        (
            Method::DELETE,
            format!("/wiki/rest/api/user/{DEMO_ACCOUNT_ID}/property/team"),
            None,
        ),
        (
            Method::POST,
            "/wiki/rest/api/user/watch/space/HR".into(),
            None,
        ),
        (
            Method::DELETE,
            "/wiki/rest/api/user/watch/label/runbook".into(),
            None,
        ),
        (
            Method::POST,
            format!(
                "/wiki/rest/api/user/watch/content/{}",
                s.directory().pages[0].id
            ),
            None,
        ),
    ];
    for (method, path, body) in writes {
        let (status, v) = send(&s, method.clone(), &path, false, body).await;
        assert_eq!(status, 403, "{method} {path}");
        assert_eq!(v["statusCode"], 403);
        assert_eq!(v["message"], "XSRF check failed", "{method} {path}");
    }
    // Nothing was written.
    let (status, _) = send(&s, Method::GET, &prop, false, None).await;
    assert_eq!(status, 404);
    let (_, team) = send(
        &s,
        Method::GET,
        &format!("/wiki/rest/api/user/{DEMO_ACCOUNT_ID}/property/team"),
        false,
        None,
    )
    .await;
    assert_eq!(team["key"], "team");
    let (_, watch) = send(
        &s,
        Method::GET,
        "/wiki/rest/api/user/watch/space/HR",
        false,
        None,
    )
    .await;
    assert_eq!(watch, json!({ "watching": false }));
    // With the header the same write goes through.
    let (status, _) = send(&s, Method::POST, &prop, true, body()).await;
    assert_eq!(status, 201);
    s.stop().await;
}

/// A request (method, path, XSRF header, body) and the status it must get.
type Case = (Method, String, bool, Option<Vec<u8>>, u16);

#[tokio::test]
async fn every_error_status_has_confluences_json_body() {
    let s = server().await;
    let long_query = format!("/wiki/rest/api/user/current?q={}", "x".repeat(40_000));
    let cases: Vec<Case> = vec![
        (
            Method::GET,
            "/wiki/rest/api/no/such/thing".into(),
            false,
            None,
            404,
        ),
        (Method::GET, "/nothing-here".into(), false, None, 404),
        // A path segment that is not UTF-8: axum's extractor rejects it.
        (
            Method::GET,
            "/wiki/rest/api/user/%FF/property".into(),
            false,
            None,
            400,
        ),
        (
            Method::GET,
            "/wiki/rest/api/user?accountId=x&limit=9999999999".into(),
            false,
            None,
            404,
        ),
        (
            Method::PATCH,
            "/wiki/rest/api/search/user".into(),
            true,
            None,
            405,
        ),
        (Method::PUT, "/wiki/rest/api/group".into(), true, None, 405),
        (
            Method::POST,
            format!("/wiki/rest/api/user/{DEMO_ACCOUNT_ID}/property/big"),
            true,
            Some(vec![b' '; 3 * 1024 * 1024]),
            413,
        ),
        (Method::GET, long_query, false, None, 414),
    ];
    for (method, path, xsrf, body, expected) in cases {
        let shown = &path[..path.len().min(80)];
        let (status, v) = send(&s, method.clone(), &path, xsrf, body).await;
        assert_eq!(status, expected, "{method} {shown}: {v}");
        assert_eq!(v["statusCode"], expected, "{method} {shown}: {v}");
        let message = v["message"].as_str().unwrap_or_default();
        assert!(!message.is_empty(), "{method} {shown}: {v}");
    }
    s.stop().await;
}

#[tokio::test]
async fn idle_connections_are_closed_after_the_header_timeout() {
    let s = start(DemoOptions {
        users: 20,
        header_timeout: Duration::from_millis(200),
        ..DemoOptions::default()
    })
    .await;
    // One connection says nothing; one starts a request head and never finishes it.
    for opening in [
        &b""[..],
        b"GET /wiki/rest/api/user/current HTTP/1.1\r\nHost: x\r\n",
    ] {
        let mut conn = tokio::net::TcpStream::connect(s.addr()).await.unwrap();
        conn.write_all(opening).await.unwrap();
        let mut rest = Vec::new();
        let closed =
            tokio::time::timeout(Duration::from_secs(5), conn.read_to_end(&mut rest)).await;
        assert!(closed.is_ok(), "the server kept an idle connection open");
    }
    // The server still answers.
    let (status, _) = send(&s, Method::GET, "/wiki/rest/api/user/current", false, None).await;
    assert_eq!(status, 200);
    s.stop().await;
}

/// A CQL chain of `n` account clauses, none of which matches anyone.
fn chain(n: usize) -> String {
    (0..n)
        .map(|i| format!("user=n{i}"))
        .collect::<Vec<_>>()
        .join(" OR ")
}

#[tokio::test]
async fn a_query_over_the_term_limit_is_a_400() {
    let s = server().await;
    let search = |cql: String| {
        let url = format!("http://{}/wiki/rest/api/search/user", s.addr());
        async move {
            let resp = raw_http()
                .get(url)
                .query(&[("cql", cql)])
                .basic_auth(DEMO_EMAIL, Some("demo"))
                .send()
                .await
                .unwrap();
            (resp.status().as_u16(), resp.json::<Value>().await.unwrap())
        }
    };
    let (status, v) = search(chain(confdir::demo::cql::MAX_TERMS)).await;
    assert_eq!(status, 200, "{v}");
    let (status, v) = search(chain(confdir::demo::cql::MAX_TERMS + 1)).await;
    assert_eq!(status, 400);
    let message = v["message"].as_str().unwrap();
    assert!(message.contains("CQL too complex"), "{message}");
    // An IN list counts each of its values.
    let ids: Vec<String> = (0..=confdir::demo::cql::MAX_TERMS)
        .map(|i| format!("n{i}"))
        .collect();
    let (status, _) = search(format!("user IN ({})", ids.join(","))).await;
    assert_eq!(status, 400);
    s.stop().await;
}

/// On a single-threaded runtime, a slow search must not hold the one thread that answers every
/// other request: a cheap request sent while the search runs is answered before it.
#[tokio::test(flavor = "current_thread")]
async fn a_slow_search_does_not_hold_other_requests() {
    let s = start(DemoOptions {
        users: 8_000,
        ..DemoOptions::default()
    })
    .await;
    let http = raw_http();
    let cql: String = (0..confdir::demo::cql::MAX_TERMS)
        .map(|i| format!("user.fullname~\"zq{i}\""))
        .collect::<Vec<_>>()
        .join(" OR ");
    let slow = http
        .get(format!("http://{}/wiki/rest/api/search/user", s.addr()))
        .query(&[("cql", cql)])
        .basic_auth(DEMO_EMAIL, Some("demo"))
        .send();
    let fast = async {
        // Let the search's request go out first: yield until its connection is accepted.
        tokio::task::yield_now().await;
        http.get(format!("{}/rest/api/user/current", s.base_url()))
            .basic_auth(DEMO_EMAIL, Some("demo"))
            .send()
            .await
            .unwrap()
            .status()
    };
    tokio::pin!(slow);
    let first = tokio::select! {
        biased;
        r = &mut slow => ("search", r.unwrap().status()),
        status = fast => ("current user", status),
    };
    assert_eq!(first, ("current user", reqwest::StatusCode::OK));
    assert_eq!(slow.await.unwrap().status(), 200);
    s.stop().await;
}

#[tokio::test]
async fn a_directory_above_the_maximum_is_refused() {
    let err = DemoServer::start(DemoOptions {
        users: MAX_USERS + 1,
        ..DemoOptions::default()
    })
    .await
    .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    assert!(err.to_string().contains("at most 1000000"), "{err}");
}
