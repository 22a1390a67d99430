//! The one way tests start the embedded demo server: [`start`] inside an async test, or a [`Demo`]
//! that owns its own runtime, for tests whose thread blocks (running the binary, waiting on a
//! terminal) while the server keeps answering. Each test gets its own server on an ephemeral
//! loopback port, so tests never see each other's watches or properties. Nothing here asserts
//! what the server answers.

use super::client::demo_client;
use confdir::api::{Client, RetryPolicy};
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
