//! The HTTP core of the Confluence client: building a [`Client`], sending a request, decoding the
//! answer and mapping a non-2xx status to an [`ApiError`].
//!
//! One [`Client`] is built per site and cloned into tasks (it is an `Arc` inside, and reqwest pools
//! connections). The endpoint groups (`users.rs`, `watch.rs`, …) add one method per operation on
//! top of the helpers here; `client/send.rs` sends one request (attempts, retries, timeouts, the
//! answer or its absence as an error). Dropping a call's future cancels the request, including any
//! back-off sleep in progress. The rules this core applies live beside it and are not repeated
//! here: credentials in `auth.rs`, when to retry and for how long in `retry.rs`, the accepted base
//! URLs in `base_url.rs`, which redirects are followed in `redirect.rs`, how much of a body is
//! read and for how long in `body.rs`, and walking a list page by page in `paging.rs`.
//!
//! The token lives only in [`Secret`](super::Secret) and in a header value marked sensitive: no
//! `Debug`, error or log line built here can contain it, and text a server sends back has the
//! token scrubbed from it before it reaches an error.

use super::auth::Auth;
use super::base_url::{gateway_cloud_id, is_loopback_host, parse_base_url};
use super::error::ApiError;
use super::redirect::{self, is_write};
use super::retry::RetryPolicy;
use super::waits::{Wait, WaitBoard, SHOW_AFTER};
use reqwest::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE};
use reqwest::redirect::Policy;
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::watch;
use url::Url;

/// Everything needed to build a [`Client`].
#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// A site (`https://acme.atlassian.net`), the API gateway
    /// (`https://api.atlassian.com/ex/confluence/{cloudId}`), or a Data Center base URL.
    pub base_url: String,
    /// The credentials every request carries.
    pub auth: Auth,
    /// How long one attempt waits for its answer (status and headers) once it is sent, the
    /// connection included. A read that got no answer is tried once more; a write is not.
    pub timeout: Duration,
    /// How long to wait for a connection before giving up on one attempt (never longer than
    /// `timeout`).
    pub connect_timeout: Duration,
    /// How long an answer's body may take to arrive once its headers have: a server that drips
    /// its answer is given up on after this, whatever the other timeouts say.
    pub body_timeout: Duration,
    /// How hard to retry rate-limited and failed requests.
    pub retry: RetryPolicy,
    /// A request still waiting for its answer after this long is put on the wait board
    /// ([`Client::waits`]), so the user sees what is slow.
    pub show_waits_after: Duration,
    /// The site whose web UI links open on, when `base_url` is not it (the API gateway form
    /// with a stored site). `None`: links open on `base_url`, unless that is the gateway.
    pub web_base: Option<String>,
}

impl ClientConfig {
    /// Defaults: 5 s to connect, 20 s for an answer, 30 s for its body, the default retry
    /// policy, and waits shown after 3 s. A Confluence answer normally takes well under a
    /// second; a site that is up answers a search within a few, so 20 s of silence means
    /// something is wrong, and saying so beats a longer silence.
    pub fn new(base_url: impl Into<String>, auth: Auth) -> Self {
        ClientConfig {
            base_url: base_url.into(),
            auth,
            timeout: Duration::from_secs(20),
            connect_timeout: Duration::from_secs(5),
            body_timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            show_waits_after: SHOW_AFTER,
            web_base: None,
        }
    }
}

/// The Confluence client. Cheap to clone; all clones share one connection pool and one
/// rate-limit signal.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    /// Reads (GET): follows redirects that keep the https rule ([`redirect::read_policy`]).
    http: reqwest::Client,
    /// Writes (POST, PUT, DELETE): follows no redirect at all.
    http_write: reqwest::Client,
    /// The site's context, always ending in `/`: `https://acme.atlassian.net/wiki/`.
    context: Url,
    /// `context` + `rest/api/`.
    api_root: Url,
    /// The site's web context, where browser links go: `web_base`, else `context` unless that is
    /// the API gateway (which serves no pages); `None` then.
    web: Option<Url>,
    auth: Auth,
    auth_header: Option<HeaderValue>,
    /// The token and its encodings, scrubbed from every error text (a server may echo them).
    secrets: Vec<String>,
    retry: RetryPolicy,
    timeout: Duration,
    connect_timeout: Duration,
    body_timeout: Duration,
    show_waits_after: Duration,
    waits: WaitBoard,
    /// What this client has learnt about its site (spaces API generation, bulk form).
    memory: super::memory::SiteMemory,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("api_root", &self.inner.api_root.as_str())
            .field("auth", &self.inner.auth.kind())
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Builds a client. Fails on a bad base URL, on a token that cannot be sent in a header (so no
    /// request ever leaves without the credentials the user configured), or when TLS cannot be set
    /// up for a non-loopback site (e.g. a machine with no CA certificates).
    pub fn new(config: ClientConfig) -> Result<Self, ApiError> {
        let context = parse_base_url(&config.base_url)?;
        let auth_header = config.auth.header()?;
        let api_root = context
            .join("rest/api/")
            .map_err(|e| ApiError::InvalidInput(format!("bad base URL: {e}")))?;
        let loopback = is_loopback_host(&context);
        // Connecting is part of waiting for an answer, so it never gets longer.
        let connect_timeout = config.connect_timeout.min(config.timeout);
        // A backstop only: `send` times the answer and `body::read` the body, each with its own
        // message; this catches any path that skips them (`probe`).
        let backstop = connect_timeout + config.timeout + config.body_timeout;
        // reqwest's TLS takes the process's rustls provider: ring. Installing it again (every
        // client after the first) changes nothing, so the error is ignored.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let builder = |policy: fn() -> Policy, idle: usize| {
            let b = reqwest::Client::builder()
                .timeout(backstop)
                .connect_timeout(connect_timeout)
                .pool_max_idle_per_host(idle)
                .redirect(policy())
                .user_agent(concat!("confdir/", env!("CARGO_PKG_VERSION")));
            if loopback {
                b.no_proxy()
            } else {
                b
            }
        };
        let build = |policy: fn() -> Policy, idle: usize| match builder(policy, idle).build() {
            Ok(http) => Ok(http),
            // The platform verifier needs CA certificates even for plain http; a loopback
            // client (demo, tests) never verifies a public certificate, so it can do without.
            Err(_) if loopback => builder(policy, idle)
                .tls_certs_only(Vec::new())
                .build()
                .map_err(|e| ApiError::InvalidInput(format!("cannot build the HTTP client: {e}"))),
            Err(e) => Err(ApiError::InvalidInput(format!(
                "cannot set up TLS for {}: {e}. Is the system's CA certificate store installed?",
                context.host_str().unwrap_or_default()
            ))),
        };
        let http = build(redirect::read_policy, usize::MAX)?;
        // Every write goes on a new connection: one the server had quietly closed while it sat in
        // the pool would fail after the write was sent, and read as an unknown outcome. On a new
        // connection, a server that is gone refuses the connect, before anything is sent.
        let http_write = build(Policy::none, 0)?;
        let web = match config.web_base.as_deref() {
            Some(site) => Some(parse_base_url(site)?).filter(|w| gateway_cloud_id(w).is_none()),
            None => Some(context.clone()).filter(|c| gateway_cloud_id(c).is_none()),
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                http_write,
                auth_header,
                secrets: config.auth.secret_forms(),
                auth: config.auth,
                context,
                api_root,
                web,
                retry: config.retry,
                timeout: config.timeout,
                connect_timeout,
                body_timeout: config.body_timeout,
                show_waits_after: config.show_waits_after,
                waits: WaitBoard::new(),
                memory: super::memory::SiteMemory::default(),
            }),
        })
    }

    /// The API context URL requests are built on (e.g. `https://acme.atlassian.net/wiki/`, or
    /// `https://api.atlassian.com/ex/confluence/{cloudId}/wiki/` through the gateway): `_links`
    /// paths the server sends are resolved against it. Not for web links: see [`Self::web_url`].
    pub fn context_url(&self) -> &Url {
        &self.inner.context
    }

    /// A web UI link for a path relative to the site's context, e.g. `spaces/ENG` or
    /// `people/<accountId>`: always on the site (the configured `web_base`, else the context URL),
    /// never on the API gateway, where a person gets no page. `None` when the client only knows
    /// the gateway (a gateway URL given without its site).
    pub fn web_url(&self, relative: &str) -> Option<Url> {
        self.inner
            .web
            .as_ref()?
            .join(relative.trim_start_matches('/'))
            .ok()
    }

    /// What this client (and every clone of it) has learnt about its site.
    pub fn site_memory(&self) -> &super::memory::SiteMemory {
        &self.inner.memory
    }

    /// Which kind of credentials this client sends.
    pub fn auth_kind(&self) -> &'static str {
        self.inner.auth.kind()
    }

    /// Subscribe to what this client (and every clone) is waiting for: answers slower than
    /// [`ClientConfig::show_waits_after`], rate limits being waited out, retries' back-offs.
    pub fn waits(&self) -> watch::Receiver<Vec<Wait>> {
        self.inner.waits.subscribe()
    }

    /// Whether background work should slow down: the site said it is near its rate limit
    /// (`X-RateLimit-NearLimit`) in the last half minute, or a request is waiting out a 429.
    pub fn is_near_limit(&self) -> bool {
        self.inner.waits.is_near_limit(Instant::now())
    }

    /// How many times the site has pushed back so far (429 or 503 waits begun, answers with
    /// `X-RateLimit-NearLimit: true`), for an [`AdaptiveLimit`](super::concurrency::AdaptiveLimit):
    /// a request that sees this count change while in flight met pressure.
    pub fn pressure_seen(&self) -> u64 {
        self.inner.waits.pressure()
    }

    /// The REST URL of `segments` below `/rest/api/`, each segment percent-encoded.
    ///
    /// Segments are ids, keys and names that may come from the server, so they are untrusted: an
    /// empty one, `.` or `..` would silently change which endpoint is called (the URL parser drops
    /// or resolves dot segments), and is refused instead. `/` is encoded and cannot split a segment.
    pub(crate) fn url(&self, segments: &[&str]) -> Result<Url, ApiError> {
        if let Some(bad) = segments
            .iter()
            .find(|s| s.is_empty() || **s == "." || **s == "..")
        {
            return Err(ApiError::InvalidInput(format!(
                "`{bad}` cannot be used as an id, key or name in a request path"
            )));
        }
        let mut url = self.inner.api_root.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        Ok(url)
    }

    /// GET and decode.
    pub(crate) async fn get_url<T: DeserializeOwned>(
        &self,
        endpoint: &str,
        url: Url,
    ) -> Result<T, ApiError> {
        let body = self.send(Method::GET, endpoint, url, None).await?;
        self.decode(endpoint, &body)
    }

    /// [`decode`] with this client's secrets scrubbed from the error (serde quotes the offending
    /// value, and a hostile server may echo the token into a field).
    pub(crate) fn decode<T: DeserializeOwned>(
        &self,
        endpoint: &str,
        body: &[u8],
    ) -> Result<T, ApiError> {
        decode(endpoint, body, &self.inner.secrets)
    }

    /// One attempt's request: `Accept: application/json`, the auth header, `X-Atlassian-Token:
    /// no-check` on everything but GET, and the JSON body if there is one.
    fn request(&self, method: &Method, url: &Url, body: Option<&Value>) -> reqwest::RequestBuilder {
        let http = if is_write(method) {
            &self.inner.http_write
        } else {
            &self.inner.http
        };
        let mut req = http
            .request(method.clone(), url.clone())
            .header(ACCEPT, "application/json");
        if let Some(auth) = &self.inner.auth_header {
            req = req.header(AUTHORIZATION, auth.clone());
        }
        if method != Method::GET {
            req = req.header("X-Atlassian-Token", "no-check");
        }
        if let Some(body) = body {
            req = req
                .header(CONTENT_TYPE, "application/json")
                .body(body.to_string());
        } else if *method == Method::POST || *method == Method::PUT {
            // Cloud refuses a body-less POST without a length (411), as some proxies do.
            req = req.header(CONTENT_LENGTH, "0").body(Vec::new());
        }
        req
    }

    /// One GET of `user/current` (or `user/anonymous` without credentials), never retried, for
    /// diagnostics: the HTTP status, whatever it is, and every response header (values that are
    /// not text are skipped). `doctor` reads the rate-limit headers from it.
    pub async fn probe(&self) -> Result<(u16, Vec<(String, String)>), ApiError> {
        let (endpoint, segments): (&str, &[&str]) = match self.inner.auth {
            Auth::Anonymous => ("GET /user/anonymous", &["user", "anonymous"]),
            _ => ("GET /user/current", &["user", "current"]),
        };
        let mut req = self
            .inner
            .http
            .get(self.url(segments)?)
            .header(ACCEPT, "application/json");
        if let Some(auth) = &self.inner.auth_header {
            req = req.header(AUTHORIZATION, auth.clone());
        }
        let resp = req
            .send()
            .await
            .map_err(|e| self.transport(endpoint, e, 1))?;
        let headers = resp
            .headers()
            .iter()
            .filter_map(|(name, value)| {
                value.to_str().ok().map(|v| {
                    (
                        name.as_str().to_string(),
                        clean(v, 200, &self.inner.secrets),
                    )
                })
            })
            .collect();
        Ok((resp.status().as_u16(), headers))
    }
}

/// Decodes a body, naming the JSON path that failed; `secrets` never appear in the error.
fn decode<T: DeserializeOwned>(
    endpoint: &str,
    body: &[u8],
    secrets: &[String],
) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let field = e.path().to_string();
        ApiError::Decode {
            endpoint: endpoint.to_string(),
            field: if field.is_empty() {
                ".".into()
            } else {
                clean(&field, 200, secrets)
            },
            detail: clean(&e.inner().to_string(), 200, secrets),
        }
    })
}

/// Server text is untrusted: scrub the secrets (before cutting, so no prefix of one survives),
/// then the one sanitizer ([`crate::sanitize::cap`]) neutralises control characters and bidi
/// controls and caps the length, by the same rule the panes and the CLI use.
pub(super) fn clean(text: &str, max_chars: usize, secrets: &[String]) -> String {
    let mut text = text.to_string();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        if text.contains(secret.as_str()) {
            text = text.replace(secret.as_str(), "***");
        }
    }
    crate::sanitize::cap(&text, max_chars)
}

mod send;

pub use send::MAX_URL_BYTES;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Secret;
    use wiremock::MockServer;

    #[test]
    fn server_text_loses_control_characters_and_secrets_then_is_capped() {
        let secrets = ["tok-SECRET-123".to_string()];
        assert_eq!(
            clean(
                "\u{1b}[31mred\u{7}\r\n\u{202e}tok-SECRET-123",
                100,
                &secrets
            ),
            "\u{FFFD}[31mred\u{FFFD}  ***"
        );
        assert_eq!(clean("abcdef", 3, &secrets), "abc…");
    }

    /// TLS is set up with the crypto provider confdir ships (ring): a client for a real site
    /// builds, where the machine has CA certificates, without touching the network.
    #[test]
    fn a_client_for_an_https_site_builds_with_the_shipped_tls_provider() {
        let auth = Auth::Bearer {
            token: Secret::new("token"),
        };
        match Client::new(ClientConfig::new("https://acme.atlassian.net", auth)) {
            Ok(_) => {}
            // A machine without a CA store says so; anything else (a missing provider panics
            // inside reqwest) is a failure.
            Err(ApiError::InvalidInput(message)) => {
                assert!(message.contains("CA certificate"), "{message}")
            }
            Err(e) => panic!("{e}"),
        }
    }

    /// A token with a line break or control character used to lose its header silently and earn
    /// a misleading 401; now the client refuses to exist, so nothing is sent at all.
    #[tokio::test]
    async fn a_token_that_cannot_be_sent_builds_no_client_and_sends_nothing() {
        let server = MockServer::start().await;
        let bad = [
            Auth::Basic {
                email: "ada@example.com".into(),
                token: Secret::new("Zq7vSECRET\n"),
            },
            Auth::Bearer {
                token: Secret::new("Zq7vSECRET\n"),
            },
            Auth::Bearer {
                token: Secret::new("Zq7v\u{1}SECRET"),
            },
        ];
        for auth in bad {
            let kind = auth.kind();
            let err = Client::new(ClientConfig::new(server.uri(), auth)).unwrap_err();
            assert!(matches!(err, ApiError::InvalidInput(_)), "{kind}: {err:?}");
            let text = format!("{err} {err:?}");
            assert!(
                text.contains("cannot be sent in an HTTP header"),
                "{kind}: {text}"
            );
            assert!(
                !text.contains("Zq7v") && !text.contains("SECRET"),
                "{kind}: {text}"
            );
        }
        let received = server.received_requests().await.unwrap_or_default();
        assert!(
            received.is_empty(),
            "{} requests reached the server",
            received.len()
        );
    }
}
