//! The Confluence client against a local mock Confluence (wiremock on 127.0.0.1).
//!
//! Every operation of the contract is called through the public `Client` API. Each test checks
//! what reached the server (method, path, the exact query, auth and `X-Atlassian-Token` headers,
//! the body) and what came back (the decoded value or the `ApiError`). Response bodies are the
//! fixtures in `tests/fixtures/`: real or documented Confluence answers. Retries use millisecond
//! back-offs and timeouts a fraction of a second, so the whole binary runs in a few seconds.
//!
//! One file per area; most endpoint tests are rows of the serve/call/assert shape in [`call`].
//! This file holds what every area shares: the credentials, the clients built with them, and the
//! request assertion. It must not hold tests.

// Tests unwrap: a panic is a failed test that says where (the crate denies it elsewhere).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../support/mod.rs"]
mod support;

#[macro_use]
mod call;

mod base_url;
mod bulk;
mod email;
mod errors;
mod fixtures;
mod groups;
mod hostile;
mod paging;
mod properties;
mod retry;
mod secrets;
mod spaces;
mod unknown;
mod users;
mod waits;
mod watch;

use base64::Engine;
use confdir::api::{Auth, Client, ClientConfig, RetryPolicy};
use pretty_assertions::assert_eq;
use std::time::Duration;
use support::mock::{header, query, API};
use wiremock::{MockServer, Request};

/// The email of the Basic credentials.
const EMAIL: &str = "ada@example.com";
/// The token of every credential; it must never show in an error or a `Debug`.
const TOKEN: &str = "tok-SECRET-123";
/// An account id in Cloud's `NNNNNN:uuid` form.
const ACCOUNT: &str = "598058:5c617f13-29ad-4667-a874-4371dba57509";
/// The account whose properties the property tests read and write.
const PROP_USER: &str = "5b10ac8d82e05b22cc7d4ef5";

/// Basic credentials: `EMAIL` and `TOKEN`.
fn basic() -> Auth {
    support::client::basic(EMAIL, TOKEN)
}

/// Bearer credentials: `TOKEN`.
fn bearer() -> Auth {
    Auth::Bearer {
        token: confdir::api::Secret::new(TOKEN),
    }
}

/// `Basic base64(email:token)`, as Confluence Cloud expects it.
fn basic_header() -> String {
    format!("Basic {}", basic_b64())
}

/// The token in the form it travels in a Basic header.
fn basic_b64() -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{EMAIL}:{TOKEN}"))
}

/// `max_retries` retries with millisecond back-offs.
fn fast_retry(max_retries: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(50),
    }
}

/// A configuration for `base` with `auth`, three fast retries and short timeouts.
fn config_for(base: &str, auth: Auth) -> ClientConfig {
    let mut config = support::client::config(base, auth, fast_retry(3));
    config.timeout = Duration::from_secs(5);
    config.connect_timeout = Duration::from_secs(2);
    config
}

/// A client of the mock `server` with `auth` and `retry`.
fn client_with(server: &MockServer, auth: Auth, retry: RetryPolicy) -> Client {
    let mut config = config_for(&server.uri(), auth);
    config.retry = retry;
    support::client::build(config)
}

/// A Basic-auth client with three fast retries.
fn client(server: &MockServer) -> Client {
    client_with(server, basic(), fast_retry(3))
}

/// A Basic-auth client that never retries: for tests about the first answer.
fn no_retry_client(server: &MockServer) -> Client {
    client_with(server, basic(), fast_retry(0))
}

/// Method, path, the exact query (order included), `Accept`, the Basic auth header, and
/// `X-Atlassian-Token: no-check` on every write.
fn assert_request(req: &Request, verb: &str, endpoint_path: &str, q: &[(&str, &str)]) {
    assert_request_auth(req, verb, endpoint_path, q, Some(basic_header().as_str()));
}

/// [`assert_request`] with the auth header `auth` (`None`: no header at all).
fn assert_request_auth(
    req: &Request,
    verb: &str,
    endpoint_path: &str,
    q: &[(&str, &str)],
    auth: Option<&str>,
) {
    assert_sent("", req, verb, endpoint_path, q, auth);
}

/// [`assert_request_auth`] whose every failure message starts with the name of `row`.
fn assert_sent(
    row: &str,
    req: &Request,
    verb: &str,
    endpoint_path: &str,
    q: &[(&str, &str)],
    auth: Option<&str>,
) {
    let at = if row.is_empty() {
        String::new()
    } else {
        format!("row `{row}`: ")
    };
    assert_eq!(req.method.as_str(), verb, "{at}method of {}", req.url);
    assert_eq!(
        req.url.path(),
        format!("{API}{endpoint_path}"),
        "{at}path of {}",
        req.url
    );
    let want: Vec<(String, String)> = q
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(query(req), want, "{at}query of {}", req.url);
    assert_eq!(
        header(req, "accept"),
        Some("application/json"),
        "{at}Accept of {}",
        req.url
    );
    assert_eq!(
        header(req, "authorization"),
        auth,
        "{at}auth of {}",
        req.url
    );
    if verb != "GET" {
        assert_eq!(
            header(req, "x-atlassian-token"),
            Some("no-check"),
            "{at}XSRF header on {verb} {}",
            req.url
        );
    }
}

/// `n` distinct account ids.
fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("557058:{i:04}")).collect()
}
