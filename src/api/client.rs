//! The HTTP core of the Confluence client: building a [`Client`], sending a request, decoding the
//! answer and mapping a non-2xx status to an [`ApiError`].
//!
//! One [`Client`] is built per site and cloned into tasks (it is an `Arc` inside, and reqwest pools
//! connections). The endpoint groups (`users.rs`, `watch.rs`, …) add one method per operation on
//! top of the helpers here. Dropping a call's future cancels the request, including any
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
use super::body::{self, MAX_BODY_BYTES, MAX_ERROR_BODY_BYTES};
use super::error::ApiError;
use super::redirect::{self, is_write};
use super::retry::{self, RateLimit, RetryPolicy};
use reqwest::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use reqwest::redirect::Policy;
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
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
    /// Whole-request timeout.
    pub timeout: Duration,
    /// How long to wait for a connection before giving up on one attempt (a dead host should fail
    /// well before the whole-request timeout).
    pub connect_timeout: Duration,
    /// How long an answer's body may take to arrive once its headers have: a server that drips
    /// its answer is given up on after this, whatever the other timeouts say.
    pub body_timeout: Duration,
    /// How hard to retry rate-limited and failed requests.
    pub retry: RetryPolicy,
    /// The site whose web UI links open on, when `base_url` is not it (the API gateway form
    /// with a stored site). `None`: links open on `base_url`, unless that is the gateway.
    pub web_base: Option<String>,
}

impl ClientConfig {
    /// Defaults: 30 s requests, 10 s connects, 30 s for a body, the default retry policy.
    pub fn new(base_url: impl Into<String>, auth: Auth) -> Self {
        ClientConfig {
            base_url: base_url.into(),
            auth,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
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
    body_timeout: Duration,
    rate_tx: watch::Sender<Option<RateLimit>>,
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
        // reqwest's TLS takes the process's rustls provider: ring. Installing it again (every
        // client after the first) changes nothing, so the error is ignored.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let builder = |policy: fn() -> Policy, idle: usize| {
            let b = reqwest::Client::builder()
                .timeout(config.timeout)
                .connect_timeout(config.connect_timeout)
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
        let (rate_tx, _) = watch::channel(None);
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
                body_timeout: config.body_timeout,
                rate_tx,
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

    /// Which kind of credentials this client sends.
    pub fn auth_kind(&self) -> &'static str {
        self.inner.auth.kind()
    }

    /// Subscribe to "rate limited until T" (None when not waiting).
    pub fn rate_limits(&self) -> watch::Receiver<Option<RateLimit>> {
        self.inner.rate_tx.subscribe()
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
        }
        req
    }

    /// Sends a request with retries, returning a 2xx answer's raw body and mapping non-2xx
    /// answers to [`ApiError`]. Text the server
    /// sent back has the token scrubbed from it (a server or proxy may echo the credentials).
    ///
    /// A URL longer than [`MAX_URL_BYTES`] is refused before anything is sent; a write answered
    /// with a redirect is an error naming it; a body is read within [`MAX_BODY_BYTES`] and the
    /// body timeout.
    pub(crate) async fn send(
        &self,
        method: Method,
        endpoint: &str,
        url: Url,
        body: Option<&Value>,
    ) -> Result<Vec<u8>, ApiError> {
        check_length(endpoint, &url)?;
        let policy = &self.inner.retry;
        let idempotent = method != Method::POST;
        let mut attempt = 0u32;
        loop {
            let req = self.request(&method, &url, body);
            let can_retry = attempt < policy.max_retries;
            match req.send().await {
                Ok(resp) => {
                    let status = resp.status();
                    let retry_after = policy.retry_after(resp.headers());
                    if retry::is_retryable(status, idempotent) && can_retry {
                        let wait = retry_after.unwrap_or_else(|| policy.backoff(attempt));
                        tracing::debug!(%status, ?wait, endpoint, "retrying");
                        if retry::is_rate_limited(status, retry_after) {
                            retry::wait_rate_limited(&self.inner.rate_tx, endpoint, wait).await;
                        } else {
                            tokio::time::sleep(wait).await;
                        }
                        attempt += 1;
                        continue;
                    }
                    if status == StatusCode::TOO_MANY_REQUESTS {
                        return Err(ApiError::RateLimited {
                            endpoint: endpoint.to_string(),
                            retry_after: retry_after.unwrap_or(policy.initial_backoff),
                        });
                    }
                    if status.is_redirection() && is_write(&method) {
                        let secrets = &self.inner.secrets;
                        return Err(redirect::of_write(endpoint, &url, &resp, secrets));
                    }
                    return self.answer(&method, endpoint, resp).await;
                }
                // A write is tried again only when it cannot have reached the server.
                Err(e) if can_retry && idempotent && retry::is_safe_to_resend(&method, &e) => {
                    let wait = policy.backoff(attempt);
                    tracing::debug!(?wait, endpoint, "transport error, retrying");
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                Err(e)
                    if is_write(&method) && redirect::refused(&e).is_none() && !e.is_connect() =>
                {
                    return Err(self.unknown_outcome(endpoint, e))
                }
                Err(e) => return Err(self.transport(endpoint, e)),
            }
        }
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
        let resp = req.send().await.map_err(|e| self.transport(endpoint, e))?;
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

    /// The body of an answer that was not retried: a 2xx's bytes, read within the limit and the
    /// body timeout, or the error a non-2xx status maps to (its body read only as far as its
    /// message needs).
    async fn answer(
        &self,
        method: &Method,
        endpoint: &str,
        resp: reqwest::Response,
    ) -> Result<Vec<u8>, ApiError> {
        let status = resp.status();
        let limit = if status.is_success() {
            MAX_BODY_BYTES
        } else {
            MAX_ERROR_BODY_BYTES
        };
        let read = body::read(resp, limit, self.inner.body_timeout).await;
        match read.end {
            body::End::Failed(e) if is_write(method) => {
                return Err(self.unknown_outcome(endpoint, e))
            }
            body::End::Failed(e) => return Err(self.transport(endpoint, e)),
            _ if !status.is_success() => {}
            body::End::Complete => return Ok(read.bytes),
            body::End::TooLarge => {
                return Err(ApiError::TooLarge {
                    endpoint: endpoint.to_string(),
                    limit,
                })
            }
            body::End::TooSlow { after } => {
                return Err(ApiError::TooSlow {
                    endpoint: endpoint.to_string(),
                    after,
                    received: read.bytes.len(),
                })
            }
        }
        // An error answer cut short still has its status, and whatever message arrived.
        Err(ApiError::from_status(
            endpoint,
            status,
            &read.bytes,
            &self.inner.secrets,
        ))
    }

    /// A write that failed after it could have reached the server (not a connect, DNS or TLS
    /// failure): its outcome is unknown.
    fn unknown_outcome(&self, endpoint: &str, e: reqwest::Error) -> ApiError {
        let detail = if e.is_timeout() {
            format!(
                "no answer within {}",
                super::error::human(self.inner.timeout)
            )
        } else {
            causes(e)
        };
        ApiError::OutcomeUnknown {
            endpoint: endpoint.to_string(),
            detail: clean(&detail, 300, &self.inner.secrets),
        }
    }

    fn transport(&self, endpoint: &str, e: reqwest::Error) -> ApiError {
        if let Some(refused) = redirect::refused(&e) {
            return ApiError::Redirect {
                endpoint: endpoint.to_string(),
                status: refused.status,
                location: redirect::shown(Some(refused.location.as_str()), &self.inner.secrets),
                reason: refused.reason.to_string(),
            };
        }
        if e.is_timeout() {
            return ApiError::Timeout {
                endpoint: endpoint.to_string(),
                after: self.inner.timeout,
            };
        }
        ApiError::Network {
            endpoint: endpoint.to_string(),
            detail: causes(e),
        }
    }
}

/// A transport error and its chain of causes. reqwest's Display names the URL (never the
/// headers), so the URL is dropped first.
fn causes(e: reqwest::Error) -> String {
    let e = e.without_url();
    let mut detail = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        detail = format!("{detail}: {s}");
        source = s.source();
    }
    detail
}

/// The longest URL confdir sends: 16 KiB. A bulk call of 100 account ids is about 6 KB; past
/// this, proxies and servers start refusing (many at 8 KB), and the HTTP stack itself refuses
/// 64 KiB with an unhelpful "builder error".
pub const MAX_URL_BYTES: usize = 16 * 1024;

/// Refuses a URL longer than [`MAX_URL_BYTES`] before anything is sent.
fn check_length(endpoint: &str, url: &Url) -> Result<(), ApiError> {
    let len = url.as_str().len();
    if len > MAX_URL_BYTES {
        return Err(ApiError::InvalidInput(format!(
            "{endpoint}: query too long ({} KB once encoded; at most {} KB can be sent). Shorten the search text or the list of ids.",
            len.div_ceil(1024),
            MAX_URL_BYTES / 1024
        )));
    }
    Ok(())
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
