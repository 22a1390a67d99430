//! The one way tests start the embedded demo server: [`start`] inside an async test, or a [`Demo`]
//! that owns its own runtime, for tests whose thread blocks (running the binary, waiting on a
//! terminal) while the server keeps answering. Each test gets its own server on an ephemeral
//! loopback port, so tests never see each other's watches or properties. Nothing here asserts
//! what the server answers.
//!
//! By default the demo answers v1 `GET /space` with Cloud's `410 Gone`; [`v1_spaces`] (or
//! [`Demo::start_v1_spaces`]) starts one that still serves it, for the client's v1 fallback. The
//! API gateway form of a server is [`DemoServer::gateway_url`]; [`gateway_config`] is a client
//! configuration that goes through it.

use super::client::demo_client;
use confdir::api::{Client, ClientConfig, RetryPolicy};
use confdir::demo::{DemoOptions, DemoServer};
use std::future::Future;

/// A tokio runtime of a test's own: servers (the demo, or a wiremock one) run on its workers
/// while the test thread blocks.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// Starts a demo server with `options` on the current runtime; fails the test if it cannot.
pub async fn start(options: DemoOptions) -> DemoServer {
    DemoServer::start(options)
        .await
        .expect("the demo server starts")
}

/// The default options with v1 `GET /space` still served (`v1_spaces`).
pub fn v1_spaces() -> DemoOptions {
    DemoOptions {
        v1_spaces: true,
        ..DemoOptions::default()
    }
}

/// The demo user's (or administrator's) client configuration through `server`'s API gateway
/// form (`…/ex/confluence/{cloudId}/wiki`) instead of the site URL.
pub fn gateway_config(server: &DemoServer, admin: bool) -> ClientConfig {
    let mut config = server.client_config(admin);
    config.base_url = format!("{}/wiki", server.gateway_url());
    config
}

/// A demo server on a runtime of its own, stopped when dropped.
pub struct Demo {
    rt: tokio::runtime::Runtime,
    server: Option<DemoServer>,
}

impl Demo {
    /// A server with the default options (the seeded directory, no faults).
    pub fn start() -> Demo {
        Demo::start_with(DemoOptions::default())
    }

    /// A server that still serves v1 `GET /space` ([`v1_spaces`]).
    pub fn start_v1_spaces() -> Demo {
        Demo::start_with(v1_spaces())
    }

    /// A server with `options`.
    pub fn start_with(options: DemoOptions) -> Demo {
        let rt = runtime();
        let server = rt.block_on(start(options));
        Demo {
            rt,
            server: Some(server),
        }
    }

    /// The running server; fails the test after [`Demo::stop`].
    pub fn server(&self) -> &DemoServer {
        self.server.as_ref().expect("the demo server is running")
    }

    /// The server's base URL (`http://127.0.0.1:PORT/wiki`).
    pub fn base_url(&self) -> String {
        self.server().base_url()
    }

    /// The server's API gateway form (`http://127.0.0.1:PORT/ex/confluence/{cloudId}`).
    pub fn gateway_url(&self) -> String {
        self.server().gateway_url()
    }

    /// A client of the server as the demo user (or the administrator), with the default retries.
    pub fn client(&self, admin: bool) -> Client {
        demo_client(self.server(), admin, RetryPolicy::default())
    }

    /// Runs `future` to completion on the server's runtime.
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.rt.block_on(future)
    }

    /// Stops the server and frees its port; later requests fail to connect.
    pub fn stop(&mut self) {
        if let Some(server) = self.server.take() {
            self.rt.block_on(server.stop());
        }
    }
}

impl Drop for Demo {
    fn drop(&mut self) {
        self.stop();
    }
}
