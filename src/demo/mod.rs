//! The embedded demo directory: a Confluence-compatible HTTP server on loopback.
//!
//! `confdir --demo` starts it in-process on an ephemeral port and points the UI at it;
//! `confdir demo serve` runs it alone for curl and for other tools (`serve.rs`, which takes plain
//! options: this module never sees clap); the end-to-end tests use it as their backend. It serves
//! every operation the client in `api/` implements, on the same paths and with the same JSON
//! shapes and error semantics as Confluence Cloud (Basic auth, XSRF checks, 403 for other users'
//! watches, 409 for existing properties, paging with `_links.next`), over a directory generated
//! from a seed (`seed/`), with watches and properties that change in memory and optionally
//! persist in a state file (`store.rs`), and a CQL subset for user search (`cql/`). The HTTP side
//! is `server/`.
//!
//! It binds to 127.0.0.1 only, uses no TLS and needs no network. It never logs credentials: the
//! token is compared and dropped.

#![warn(missing_docs)]

pub mod cql;
pub mod seed;
pub mod serve;
pub mod server;
pub mod store;

use crate::api::{Auth, ClientConfig, Secret};
use server::{Faults, Shared};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use seed::{ADMIN_ACCOUNT_ID, DEMO_ACCOUNT_ID};
pub use serve::{parse_latency, serve_command, ServeOptions};

/// Email of the demo credentials. Any email is accepted; the token decides the role.
pub const DEMO_EMAIL: &str = "demo@confdir.example";
/// Token of an ordinary user (Ada Lovelace).
pub const DEMO_TOKEN: &str = "demo";
/// Token of a Confluence administrator (Grace Hopper), who may read and change others' watches.
pub const DEMO_ADMIN_TOKEN: &str = "demo-admin";

/// How to run the demo server. Tests build it with struct update syntax over `default()`.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoOptions {
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Each response waits a random time in `[min, max]`.
    pub latency: Option<(Duration, Duration)>,
    /// Share of requests (0.0–1.0) answered with 500, or 429 plus `Retry-After`.
    pub fail_rate: f64,
    /// Number of accounts in the directory.
    pub users: usize,
    /// Seed of the directory.
    pub seed: u64,
    /// Where watches and properties persist across restarts, if anywhere.
    pub state_file: Option<PathBuf>,
}

impl Default for DemoOptions {
    /// An ephemeral port, no faults, 1,500 users, seed 42, nothing persisted.
    fn default() -> Self {
        DemoOptions {
            port: 0,
            latency: None,
            fail_rate: 0.0,
            users: 1500,
            seed: 42,
            state_file: None,
        }
    }
}

/// A running demo server. Stop it with [`DemoServer::stop`]; dropping it also asks it to stop.
pub struct DemoServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for DemoServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl DemoServer {
    /// Generates the directory, loads the state file, binds 127.0.0.1:`port` and starts serving.
    /// Fails if the port is taken or the state file exists but cannot be read.
    pub async fn start(opts: DemoOptions) -> std::io::Result<DemoServer> {
        let (users, seed) = (opts.users, opts.seed);
        // Generating 100,000 people is CPU work: keep it off the async workers.
        let dir = tokio::task::spawn_blocking(move || seed::SeededDirectory::generate(users, seed))
            .await
            .map_err(std::io::Error::other)?;
        let store = store::Store::open(Arc::new(dir), opts.state_file.clone())?;
        let listener =
            tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, opts.port)))
                .await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            store,
            base: format!("http://{addr}/wiki"),
            faults: Mutex::new(Faults {
                latency: opts.latency,
                fail_rate: opts.fail_rate.clamp(0.0, 1.0),
            }),
        });
        let app = server::router(shared.clone());
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let served = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
            if let Err(e) = served {
                tracing::warn!(error = %e, "the demo server stopped with an error");
            }
        });
        tracing::info!(%addr, users, seed, "demo server started");
        Ok(DemoServer {
            addr,
            shared,
            shutdown: Some(tx),
            task: Some(task),
        })
    }

    /// The bound address (127.0.0.1 and the actual port).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT/wiki`: what a client takes as its base URL.
    pub fn base_url(&self) -> String {
        self.shared.base.clone()
    }

    /// A client configuration with the demo credentials: the ordinary user, or the administrator.
    pub fn client_config(&self, admin: bool) -> ClientConfig {
        ClientConfig::new(
            self.base_url(),
            Auth::Basic {
                email: DEMO_EMAIL.to_string(),
                token: Secret::new(if admin { DEMO_ADMIN_TOKEN } else { DEMO_TOKEN }),
            },
        )
    }

    /// The generated directory, read-only: tests and the UI's demo mode pick people, groups and
    /// watchable pages from it (page ids appear nowhere in the user API).
    pub fn directory(&self) -> &seed::SeededDirectory {
        self.shared.store.directory()
    }

    /// Changes the injected latency from now on.
    pub fn set_latency(&self, latency: Option<(Duration, Duration)>) {
        self.faults().latency = latency;
    }

    /// Changes the share of failed requests from now on (clamped to 0.0–1.0).
    pub fn set_fail_rate(&self, rate: f64) {
        self.faults().fail_rate = if rate.is_nan() {
            0.0
        } else {
            rate.clamp(0.0, 1.0)
        };
    }

    fn faults(&self) -> std::sync::MutexGuard<'_, Faults> {
        self.shared.faults.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Stops accepting, lets requests in flight finish (at most a few seconds), and releases the
    /// port.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(mut task) = self.task.take() {
            if tokio::time::timeout(Duration::from_secs(5), &mut task)
                .await
                .is_err()
            {
                task.abort();
                let _ = task.await;
            }
        }
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
