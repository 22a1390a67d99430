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
//! token is compared and dropped. It serves connections itself (`listen.rs`) rather than through
//! `axum::serve`, so that a connection that sends no request head is closed after
//! [`DemoOptions::header_timeout`]: idle half-open connections cannot pile up until the process
//! runs out of file descriptors.

#![warn(missing_docs)]

pub mod cql;
mod listen;
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
pub use serve::{parse_latency, parse_users, serve_command, ServeOptions};

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
    /// Also serve v1 `GET /wiki/rest/api/space` (and `/space/{key}`), which Cloud has removed: by
    /// default they answer `410 Gone` as Cloud does, and spaces are served by v2 only. On, the
    /// client's v1 fallback can be tested.
    pub v1_spaces: bool,
    /// A connection that has not sent a complete request head within this time is closed.
    pub header_timeout: Duration,
    /// The most people user search returns, however deep it is paged: Cloud's documented
    /// 10,000 ([`server::SEARCH_MAX`]) unless a test lowers it to reach the cap with a small
    /// directory.
    pub search_cap: usize,
}

/// The most accounts a demo directory may have. The largest Cloud sites have about 150,000
/// users; a million leaves room for load tests and keeps the directory near 200 MB.
pub const MAX_USERS: usize = 1_000_000;

/// How long a connection may take to send its request head ([`DemoOptions::header_timeout`]'s
/// default; hyper's own default is 30 s).
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

impl Default for DemoOptions {
    /// An ephemeral port, no faults, 1,500 users, seed 42, nothing persisted, spaces through v2
    /// only (v1 `GET /space` answers 410), a 10 s header timeout.
    fn default() -> Self {
        DemoOptions {
            port: 0,
            latency: None,
            fail_rate: 0.0,
            users: 1500,
            seed: 42,
            state_file: None,
            v1_spaces: false,
            header_timeout: HEADER_TIMEOUT,
            search_cap: server::SEARCH_MAX,
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
    /// Fails if `users` is above [`MAX_USERS`], the port is taken or the state file exists but
    /// cannot be read.
    pub async fn start(opts: DemoOptions) -> std::io::Result<DemoServer> {
        let (users, seed) = (opts.users, opts.seed);
        if users > MAX_USERS {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("a demo directory has at most {MAX_USERS} users, not {users}"),
            ));
        }
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
            cloud_id: seed::cloud_id(seed),
            v1_spaces: opts.v1_spaces,
            faults: Mutex::new(Faults {
                latency: opts.latency,
                fail_rate: opts.fail_rate.clamp(0.0, 1.0),
                write_fail_rate: 0.0,
            }),
            search_cap: opts.search_cap,
        });
        let app = server::router(shared.clone());
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(listen::serve(listener, app, opts.header_timeout, rx));
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

    /// The site's cloud id: what `/_edge/tenant_info` answers and the gateway form names.
    pub fn cloud_id(&self) -> String {
        self.shared.cloud_id.clone()
    }

    /// `http://127.0.0.1:PORT/ex/confluence/{cloudId}`: the API gateway form of the site, as
    /// `https://api.atlassian.com/ex/confluence/{cloudId}` is for a real one (append `/wiki/...`).
    pub fn gateway_url(&self) -> String {
        format!(
            "http://{}/ex/confluence/{}",
            self.addr, self.shared.cloud_id
        )
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

    /// Changes the share of failed writes (500; reads untouched) from now on (clamped to
    /// 0.0–1.0).
    pub fn set_write_fail_rate(&self, rate: f64) {
        self.faults().write_fail_rate = if rate.is_nan() {
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
