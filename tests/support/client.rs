//! The one way tests build a `confdir::api::Client`: a base URL, an [`Auth`], and a
//! [`RetryPolicy`]; everything else (timeouts) as `ClientConfig::new` sets it unless a test
//! changes the [`config`] before [`build`]ing it. Clients that must fail to build (a refused base
//! URL) are the tests' own business and do not come through here.

use confdir::api::{Auth, Client, ClientConfig, RetryPolicy, Secret};
use confdir::demo::DemoServer;

/// Cloud-style Basic credentials: an email and an API token.
pub fn basic(email: &str, token: &str) -> Auth {
    Auth::Basic {
        email: email.into(),
        token: Secret::new(token),
    }
}

/// The configuration of a client for `base` with `auth` and `retry`, to adjust before [`build`].
pub fn config(base: &str, auth: Auth, retry: RetryPolicy) -> ClientConfig {
    let mut config = ClientConfig::new(base, auth);
    config.retry = retry;
    config
}

/// Builds the client `config` describes; fails the test if it does not build.
pub fn build(config: ClientConfig) -> Client {
    Client::new(config).expect("a test client builds")
}

/// A client for `base` with `auth` and `retry`.
pub fn client(base: &str, auth: Auth, retry: RetryPolicy) -> Client {
    build(config(base, auth, retry))
}

/// A client of the demo `server` with the ordinary demo user's credentials, or the
/// administrator's when `admin`, and `retry`.
pub fn demo_client(server: &DemoServer, admin: bool, retry: RetryPolicy) -> Client {
    let mut config = server.client_config(admin);
    config.retry = retry;
    build(config)
}

/// A bare reqwest client, for tests that talk to a local server directly (no confdir client in
/// between). confdir ships rustls with the ring provider and installs it when it builds its own
/// client; a test that builds reqwest's first must install it too, or reqwest panics.
pub fn raw_http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}
