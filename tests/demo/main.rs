//! The demo server over real HTTP, driven by the project's own client: every endpoint's normal
//! answer, each Confluence error case, paging, fault injection and the state file.
//!
//! One file per area; this file holds the server and the clients they share. It must not hold
//! tests.

// Tests unwrap: a panic is a failed test that says where (the crate denies it elsewhere).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../support/mod.rs"]
mod support;

mod faults;
mod gateway;
mod guards;
mod lists;
mod properties;
mod search;
mod spaces;
mod users;
mod watch;

use confdir::api::{Client, RetryPolicy};
use confdir::demo::{DemoOptions, DemoServer};
use support::client::demo_client;
use support::demo::start;

/// A demo server with the default options, on the test's runtime.
async fn server() -> DemoServer {
    start(DemoOptions::default()).await
}

/// A demo server that also serves the v1 `GET /space` Cloud removed (`v1_spaces`).
async fn v1_server() -> DemoServer {
    start(DemoOptions {
        v1_spaces: true,
        ..DemoOptions::default()
    })
    .await
}

/// A client as the demo user (or the administrator) with the default retries.
fn client(server: &DemoServer, admin: bool) -> Client {
    demo_client(server, admin, RetryPolicy::default())
}

/// A client as the demo user that never retries: for tests about the first answer.
fn no_retry(server: &DemoServer) -> Client {
    demo_client(server, false, RetryPolicy::none())
}
