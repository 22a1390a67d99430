//! The HTTP core of the Confluence client: base URLs, auth, retries, error mapping, paging.
//!
//! One [`Client`] is built per site and cloned into tasks (it is an `Arc` inside, and reqwest pools
//! connections). The endpoint groups (`users.rs`, `watch.rs`, …) add one method per operation on
//! top of the helpers here. Dropping a call's future cancels the request, including any
//! back-off sleep in progress.
//!
//! The token lives only in [`Secret`] and in a header value marked sensitive: no `Debug`, error or
//! log line built here can contain it.

use super::error::ApiError;
use super::model::{ErrorBody, Page};
use futures::stream::{self, BoxStream, StreamExt};
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::fmt;
use std::marker::PhantomData;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::watch;
use url::Url;

/// A string that must never be printed: `Debug` and `Display` show `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a token.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    /// The raw value, for building the auth header and nothing else.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// How requests authenticate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Auth {
    /// Cloud API tokens (classic or scoped): `Basic base64(email:token)`.
    Basic { email: String, token: Secret },
    /// OAuth 2.0 access tokens and Data Center personal access tokens.
    Bearer { token: Secret },
    /// No credentials: only `/user/anonymous` and public content will answer.
    Anonymous,
}

impl Auth {
    fn header(&self) -> Option<HeaderValue> {
        use base64::Engine;
        let raw = match self {
            Auth::Basic { email, token } => format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD
                    .encode(format!("{email}:{}", token.expose()))
            ),
            Auth::Bearer { token } => format!("Bearer {}", token.expose()),
            Auth::Anonymous => return None,
        };
        let mut value = HeaderValue::from_str(&raw).ok()?;
        value.set_sensitive(true);
        Some(value)
    }

    /// Every form in which the token could travel back in a response: raw, and for Basic the
    /// base64 of `email:token`. Very short values are left out: scrubbing them would mangle
    /// ordinary words, and no real token is that short.
    fn secret_forms(&self) -> Vec<String> {
        use base64::Engine;
        let forms = match self {
            Auth::Basic { email, token } => vec![
                token.expose().to_string(),
                base64::engine::general_purpose::STANDARD
                    .encode(format!("{email}:{}", token.expose())),
            ],
            Auth::Bearer { token } => vec![token.expose().to_string()],
            Auth::Anonymous => Vec::new(),
        };
        forms.into_iter().filter(|f| f.len() >= 6).collect()
    }

    /// `basic`, `bearer` or `anonymous`: safe to show.
    pub fn kind(&self) -> &'static str {
        match self {
            Auth::Basic { .. } => "basic",
            Auth::Bearer { .. } => "bearer",
            Auth::Anonymous => "anonymous",
        }
    }
}

/// How hard to retry rate-limited and failed requests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// First back-off window; doubled per consecutive failure.
    pub initial_backoff: Duration,
    /// Cap on any single wait, including a server's `Retry-After`.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    /// Atlassian's advice: prefer `Retry-After`, double with jitter, cap the wait (60 s).
    fn default() -> Self {
        RetryPolicy {
            max_retries: 5,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries at all: for scripts that want to see the first answer.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// The wait before retry number `attempt` (0-based): the exponential window, jittered into
    /// `[0.5, 1.0]` of itself so clients do not retry in lockstep.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let window = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(attempt.min(20)))
            .min(self.max_backoff);
        window.mul_f64(rand::random_range(0.5..=1.0))
    }

    /// The server's `Retry-After` in seconds, clamped to `max_backoff`. Cloud has been seen sending
    /// `9223372036854775807`; an unparseable value is treated as "as long as allowed".
    pub fn retry_after(&self, headers: &HeaderMap) -> Option<Duration> {
        let raw = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
        let wait = match raw.parse::<u64>() {
            Ok(secs) => Duration::from_secs(secs.min(self.max_backoff.as_secs().max(1))),
            Err(_) if raw.chars().all(|c| c.is_ascii_digit()) => self.max_backoff,
            // The HTTP-date form is not used by Confluence; fall back to our own back-off.
            Err(_) => return None,
        };
        Some(wait.min(self.max_backoff))
    }
}

/// Everything needed to build a [`Client`].
#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// A site (`https://acme.atlassian.net`), the API gateway
    /// (`https://api.atlassian.com/ex/confluence/{cloudId}`), or a Data Center base URL.
    pub base_url: String,
    pub auth: Auth,
    /// Whole-request timeout.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub retry: RetryPolicy,
}

impl ClientConfig {
    /// Defaults: 30 s requests, 10 s connects, the default retry policy.
    pub fn new(base_url: impl Into<String>, auth: Auth) -> Self {
        ClientConfig {
            base_url: base_url.into(),
            auth,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
        }
    }
}

/// "Rate limited until T", published while a request waits out a 429 so the UI can count down.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateLimit {
    pub until: Instant,
    pub endpoint: String,
}

/// The Confluence client. Cheap to clone; all clones share one connection pool and one
/// rate-limit signal.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    /// The site's context, always ending in `/`: `https://acme.atlassian.net/wiki/`.
    context: Url,
    /// `context` + `rest/api/`.
    api_root: Url,
    auth: Auth,
    auth_header: Option<HeaderValue>,
    /// The token and its encodings, scrubbed from every error text (a server may echo them).
    secrets: Vec<String>,
    retry: RetryPolicy,
    timeout: Duration,
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

/// True for 127.0.0.0/8, ::1 and `localhost`: the only hosts allowed plain http.
pub fn is_loopback_host(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// Turns what a person types into the site's context URL (ending in `/`).
///
/// - `acme` → `https://acme.atlassian.net/wiki/`; `acme.atlassian.net` → the same.
/// - Cloud hosts (`*.atlassian.net`, the `api.atlassian.com/ex/confluence/{cloudId}` gateway) get
///   `/wiki` when it is missing; so does a bare loopback host (the demo server, tests).
/// - Anything else, including a loopback URL with a path, is a Data Center base URL and is used as
///   given (its context path, if any).
/// - A trailing `/rest/api` is accepted and removed.
/// - `http` is refused except for loopback hosts; credentials, queries and fragments are refused.
pub fn parse_base_url(input: &str) -> Result<Url, ApiError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(ApiError::InvalidInput("the base URL is empty".into()));
    }
    let with_scheme = if input.contains("://") {
        input.to_string()
    } else if !input.contains('.') && !input.contains(':') && !input.contains('/') {
        format!("https://{input}.atlassian.net")
    } else {
        format!("https://{input}")
    };
    let mut url = Url::parse(&with_scheme)
        .map_err(|e| ApiError::InvalidInput(format!("`{input}` is not a valid URL: {e}")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ApiError::InvalidInput(
            "the base URL must not contain a user name or password; put credentials in the config or environment".into(),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(ApiError::InvalidInput(format!(
            "`{input}`: the base URL must not have a query or fragment"
        )));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback_host(&url) => {}
        "http" => {
            return Err(ApiError::InvalidInput(format!(
                "`{input}`: plain http is allowed only for loopback hosts (127.0.0.1, ::1, localhost); use https"
            )))
        }
        other => {
            return Err(ApiError::InvalidInput(format!(
                "`{input}`: unsupported scheme `{other}`; use https"
            )))
        }
    }
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    let mut path = url.path().trim_end_matches('/').to_string();
    if let Some(stripped) = path.strip_suffix("/rest/api") {
        path = stripped.to_string();
    }
    let cloud = host.ends_with(".atlassian.net")
        || (host == "api.atlassian.com" && path.starts_with("/ex/confluence/"));
    if host == "api.atlassian.com" && !path.starts_with("/ex/confluence/") {
        return Err(ApiError::InvalidInput(
            "the API gateway URL must look like https://api.atlassian.com/ex/confluence/{cloudId}"
                .into(),
        ));
    }
    let bare_loopback = is_loopback_host(&url) && path.is_empty();
    if (cloud && !path.ends_with("/wiki")) || bare_loopback {
        path.push_str("/wiki");
    }
    path.push('/');
    url.set_path(&path);
    Ok(url)
}

/// Paging parameters of a list request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paging {
    pub start: u32,
    pub limit: u32,
}

impl Paging {
    /// The first page of `limit` items.
    pub fn first(limit: u32) -> Self {
        Paging { start: 0, limit }
    }
}

/// A list request that can be read one page at a time, as a stream of pages, or whole.
pub struct Paged<T> {
    client: Client,
    /// An id that cannot be put in a path is reported when the list is read, not when it is built.
    url: Result<Url, ApiError>,
    endpoint: String,
    _item: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned + Send + 'static> Paged<T> {
    /// The first page only.
    pub async fn first(self) -> Result<Page<T>, ApiError> {
        self.client.get_url(&self.endpoint, self.url?).await
    }

    /// Every page in order, following `_links.next`; ends after a page without `next`, after an
    /// empty page, or if the server points `next` at the page just read. The first page is
    /// yielded as soon as it arrives.
    pub fn pages(self) -> BoxStream<'static, Result<Page<T>, ApiError>> {
        let Paged {
            client,
            url,
            endpoint,
            ..
        } = self;
        let url = match url {
            Ok(url) => url,
            Err(e) => return stream::once(async { Err(e) }).boxed(),
        };
        stream::unfold(Some(url), move |next| {
            let client = client.clone();
            let endpoint = endpoint.clone();
            async move {
                let url = next?;
                match client.get_url::<Page<T>>(&endpoint, url.clone()).await {
                    Ok(page) => {
                        let following = if page.has_next() {
                            page.links
                                .next
                                .as_deref()
                                .and_then(|n| client.resolve_next(n))
                                .filter(|n| !same_request(n, &url))
                        } else {
                            None
                        };
                        Some((Ok(page), following))
                    }
                    Err(e) => Some((Err(e), None)),
                }
            }
        })
        .boxed()
    }

    /// Every item of every page.
    pub async fn all(self) -> Result<Vec<T>, ApiError> {
        let mut out = Vec::new();
        let mut pages = self.pages();
        while let Some(page) = pages.next().await {
            out.extend(page?.results);
        }
        Ok(out)
    }
}

/// Whether two URLs ask for the same thing: same path and the same decoded query pairs, in any
/// order and however they were percent-encoded (a `next` link may spell `:` where we sent `%3A`).
fn same_request(a: &Url, b: &Url) -> bool {
    let pairs = |u: &Url| {
        let mut p: Vec<(String, String)> =
            u.query_pairs().map(|(k, v)| (k.into(), v.into())).collect();
        p.sort();
        p
    };
    a.path() == b.path() && pairs(a) == pairs(b)
}

impl Client {
    /// Builds a client. Fails on a bad base URL, or when TLS cannot be set up for a non-loopback
    /// site (e.g. a machine with no CA certificates).
    pub fn new(config: ClientConfig) -> Result<Self, ApiError> {
        let context = parse_base_url(&config.base_url)?;
        let api_root = context
            .join("rest/api/")
            .map_err(|e| ApiError::InvalidInput(format!("bad base URL: {e}")))?;
        let loopback = is_loopback_host(&context);
        let builder = || {
            let b = reqwest::Client::builder()
                .timeout(config.timeout)
                .connect_timeout(config.connect_timeout)
                .user_agent(concat!("confdir/", env!("CARGO_PKG_VERSION")));
            if loopback {
                b.no_proxy()
            } else {
                b
            }
        };
        let http = match builder().build() {
            Ok(http) => http,
            // The platform verifier needs CA certificates even for plain http; a loopback
            // client (demo, tests) never verifies a public certificate, so it can do without.
            Err(_) if loopback => builder().tls_certs_only(Vec::new()).build().map_err(|e| {
                ApiError::InvalidInput(format!("cannot build the HTTP client: {e}"))
            })?,
            Err(e) => {
                return Err(ApiError::InvalidInput(format!(
                "cannot set up TLS for {}: {e}. Is the system's CA certificate store installed?",
                context.host_str().unwrap_or_default()
            )))
            }
        };
        let (rate_tx, _) = watch::channel(None);
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                auth_header: config.auth.header(),
                secrets: config.auth.secret_forms(),
                auth: config.auth,
                context,
                api_root,
                retry: config.retry,
                timeout: config.timeout,
                rate_tx,
            }),
        })
    }

    /// The site's context URL (e.g. `https://acme.atlassian.net/wiki/`), for web links.
    pub fn context_url(&self) -> &Url {
        &self.inner.context
    }

    /// A web UI link for a path relative to the context, e.g. `spaces/ENG` or
    /// `people/<accountId>`.
    pub fn web_url(&self, relative: &str) -> Option<Url> {
        self.inner
            .context
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

    /// Builds a [`Paged`] list request; a bad URL surfaces when the list is read.
    pub(crate) fn paged<T>(&self, endpoint: &str, url: Result<Url, ApiError>) -> Paged<T> {
        Paged {
            client: self.clone(),
            url,
            endpoint: endpoint.to_string(),
            _item: PhantomData,
        }
    }

    /// `_links.next` is relative to `_links.base` (which includes the context path). We always
    /// resolve it against *our* context, so the gateway form keeps working (its `base` names the
    /// site) and a hostile `next` can never send the credentials to another host.
    fn resolve_next(&self, next: &str) -> Option<Url> {
        let rel = match next.find("/rest/api/") {
            Some(i) => &next[i..],
            None => next,
        };
        self.inner.context.join(rel.trim_start_matches('/')).ok()
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

    /// Sends a request with retries, returning a 2xx answer's raw body and mapping non-2xx
    /// answers to [`ApiError`]. Text the server
    /// sent back has the token scrubbed from it (a server or proxy may echo the credentials).
    pub(crate) async fn send(
        &self,
        method: Method,
        endpoint: &str,
        url: Url,
        body: Option<&Value>,
    ) -> Result<Vec<u8>, ApiError> {
        let retry = &self.inner.retry;
        let idempotent = method != Method::POST;
        let mut attempt = 0u32;
        loop {
            let mut req = self
                .inner
                .http
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
            let can_retry = attempt < retry.max_retries;
            match req.send().await {
                Ok(resp) => {
                    let status = resp.status();
                    let retry_after = retry.retry_after(resp.headers());
                    let limited = status == StatusCode::TOO_MANY_REQUESTS
                        || (status == StatusCode::SERVICE_UNAVAILABLE && retry_after.is_some());
                    // 501 is a permanent answer ("this API is not enabled"), not a hiccup.
                    let retryable = status == StatusCode::TOO_MANY_REQUESTS
                        || (idempotent
                            && status.is_server_error()
                            && status != StatusCode::NOT_IMPLEMENTED);
                    if retryable && can_retry {
                        let wait = retry_after.unwrap_or_else(|| retry.backoff(attempt));
                        tracing::debug!(%status, ?wait, endpoint, "retrying");
                        if limited {
                            self.wait_rate_limited(endpoint, wait).await;
                        } else {
                            tokio::time::sleep(wait).await;
                        }
                        attempt += 1;
                        continue;
                    }
                    if status == StatusCode::TOO_MANY_REQUESTS {
                        return Err(ApiError::RateLimited {
                            endpoint: endpoint.to_string(),
                            retry_after: retry_after.unwrap_or(retry.initial_backoff),
                        });
                    }
                    let bytes = resp
                        .bytes()
                        .await
                        .map_err(|e| self.transport(endpoint, e))?;
                    if status.is_success() {
                        return Ok(bytes.to_vec());
                    }
                    return Err(status_error(endpoint, status, &bytes, &self.inner.secrets));
                }
                Err(e) if can_retry && idempotent && (e.is_timeout() || e.is_connect()) => {
                    let wait = retry.backoff(attempt);
                    tracing::debug!(?wait, endpoint, "transport error, retrying");
                    tokio::time::sleep(wait).await;
                    attempt += 1;
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

    /// Publishes the rate limit for the UI while sleeping it out, then clears it unless a later
    /// limit (from another request) is still running. The clearing also happens when the call is
    /// cancelled mid-wait, so the UI never shows a countdown nobody is waiting for.
    async fn wait_rate_limited(&self, endpoint: &str, wait: Duration) {
        let until = Instant::now() + wait;
        self.inner.rate_tx.send_modify(|current| {
            if current.as_ref().is_none_or(|c| c.until < until) {
                *current = Some(RateLimit {
                    until,
                    endpoint: endpoint.to_string(),
                });
            }
        });
        let _clear = ClearRateLimit {
            tx: &self.inner.rate_tx,
            until,
        };
        tokio::time::sleep(wait).await;
    }

    fn transport(&self, endpoint: &str, e: reqwest::Error) -> ApiError {
        if e.is_timeout() {
            return ApiError::Timeout {
                endpoint: endpoint.to_string(),
                after: self.inner.timeout,
            };
        }
        // reqwest's Display names the URL (never the headers); walk the sources for the cause.
        let e = e.without_url();
        let mut detail = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            detail = format!("{detail}: {s}");
            source = s.source();
        }
        ApiError::Network {
            endpoint: endpoint.to_string(),
            detail,
        }
    }
}

/// Clears the published rate limit when its waiter finishes or is dropped, unless another
/// request has since published a later one.
struct ClearRateLimit<'a> {
    tx: &'a watch::Sender<Option<RateLimit>>,
    until: Instant,
}

impl Drop for ClearRateLimit<'_> {
    fn drop(&mut self) {
        self.tx.send_if_modified(|current| {
            if current.as_ref().is_some_and(|c| c.until <= self.until) {
                *current = None;
                true
            } else {
                false
            }
        });
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

/// Maps a non-2xx answer to an error, with Confluence's own message when the body has one.
fn status_error(endpoint: &str, status: StatusCode, body: &[u8], secrets: &[String]) -> ApiError {
    let message = serde_json::from_slice::<ErrorBody>(body)
        .ok()
        .and_then(|b| b.best_message())
        .or_else(|| {
            let text = String::from_utf8_lossy(body);
            let text = text.trim();
            // An HTML error page from a proxy says nothing useful in a terminal.
            (!text.is_empty() && !text.starts_with('<')).then(|| text.to_string())
        })
        .map(|m| clean(&m, 300, secrets))
        .unwrap_or_default();
    let endpoint = endpoint.to_string();
    match status.as_u16() {
        400 => ApiError::BadRequest { endpoint, message },
        401 => ApiError::Unauthorized { endpoint, message },
        403 => ApiError::Forbidden { endpoint, message },
        404 => ApiError::NotFound { endpoint, message },
        409 => ApiError::Conflict { endpoint, message },
        501 => ApiError::NotImplemented { endpoint, message },
        s if status.is_server_error() => ApiError::Server {
            endpoint,
            status: s,
            message,
        },
        s => ApiError::Http {
            endpoint,
            status: s,
            message,
        },
    }
}

/// Server text is untrusted: scrub the secrets (before cutting, so no prefix of one survives),
/// then the one sanitizer neutralises control characters and caps the length.
fn clean(text: &str, max_chars: usize, secrets: &[String]) -> String {
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

    #[test]
    fn base_urls_normalise() {
        let ok = |s: &str| parse_base_url(s).unwrap().to_string();
        assert_eq!(ok("acme"), "https://acme.atlassian.net/wiki/");
        assert_eq!(ok("acme.atlassian.net"), "https://acme.atlassian.net/wiki/");
        assert_eq!(
            ok("https://acme.atlassian.net/"),
            "https://acme.atlassian.net/wiki/"
        );
        assert_eq!(
            ok("https://acme.atlassian.net/wiki"),
            "https://acme.atlassian.net/wiki/"
        );
        assert_eq!(
            ok("https://acme.atlassian.net/wiki/rest/api/"),
            "https://acme.atlassian.net/wiki/"
        );
        assert_eq!(
            ok("https://api.atlassian.com/ex/confluence/abc-123"),
            "https://api.atlassian.com/ex/confluence/abc-123/wiki/"
        );
        assert_eq!(
            ok("https://wiki.corp.example/confluence"),
            "https://wiki.corp.example/confluence/"
        );
        assert_eq!(
            ok("https://wiki.corp.example"),
            "https://wiki.corp.example/"
        );
        assert_eq!(ok("http://127.0.0.1:8080"), "http://127.0.0.1:8080/wiki/");
        assert_eq!(ok("http://localhost:1/wiki"), "http://localhost:1/wiki/");
        assert_eq!(ok("http://[::1]:9/wiki"), "http://[::1]:9/wiki/");
        assert_eq!(
            ok("http://127.0.0.1:8090/confluence"),
            "http://127.0.0.1:8090/confluence/"
        );
    }

    #[test]
    fn bad_base_urls_are_refused_with_a_reason() {
        for (input, needle) in [
            ("http://acme.atlassian.net", "loopback"),
            ("http://10.0.0.1/wiki", "loopback"),
            ("ftp://x.example", "scheme"),
            ("https://me:pw@acme.atlassian.net", "user name"),
            ("https://acme.atlassian.net/wiki?x=1", "query"),
            ("https://api.atlassian.com/other", "gateway"),
            ("", "empty"),
        ] {
            let err = parse_base_url(input).unwrap_err().to_string();
            assert!(err.contains(needle), "{input}: {err}");
        }
    }

    #[test]
    fn retry_after_is_clamped() {
        let policy = RetryPolicy::default();
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, HeaderValue::from_static("9223372036854775807"));
        assert_eq!(policy.retry_after(&h), Some(Duration::from_secs(60)));
        h.insert(
            RETRY_AFTER,
            HeaderValue::from_static("99999999999999999999999"),
        );
        assert_eq!(policy.retry_after(&h), Some(Duration::from_secs(60)));
        h.insert(RETRY_AFTER, HeaderValue::from_static("3"));
        assert_eq!(policy.retry_after(&h), Some(Duration::from_secs(3)));
        h.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(policy.retry_after(&h), None);
    }

    #[test]
    fn backoff_grows_with_jitter_and_is_capped() {
        let policy = RetryPolicy::default();
        for attempt in 0..30 {
            let w = policy.backoff(attempt);
            let window = Duration::from_millis(500)
                .saturating_mul(2u32.saturating_pow(attempt.min(20)))
                .min(Duration::from_secs(60));
            assert!(
                w >= window.mul_f64(0.5) && w <= window,
                "attempt {attempt}: {w:?}"
            );
        }
    }

    #[test]
    fn next_links_stay_on_our_host() {
        let client = Client::new(ClientConfig::new(
            "https://api.atlassian.com/ex/confluence/abc",
            Auth::Anonymous,
        ))
        .unwrap();
        assert_eq!(
            client
                .resolve_next("/rest/api/space?start=5")
                .unwrap()
                .as_str(),
            "https://api.atlassian.com/ex/confluence/abc/wiki/rest/api/space?start=5"
        );
        assert_eq!(
            client
                .resolve_next("https://evil.example/wiki/rest/api/space?start=5")
                .unwrap()
                .as_str(),
            "https://api.atlassian.com/ex/confluence/abc/wiki/rest/api/space?start=5"
        );
    }

    #[test]
    fn secrets_do_not_print() {
        let s = Secret::new("hunter2");
        assert!(!format!("{s:?} {s}").contains("hunter2"));
    }
}
