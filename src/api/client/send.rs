//! Sending one request: the attempts, what is retried and how long is waited, and how an answer
//! (or its absence) becomes a body or an [`ApiError`].
//!
//! A child of `client.rs`, so it reads the client's private state; it owns the retry loop, the
//! answer timeout and the wait board entries of each attempt, and the errors of transport
//! failures. The rules it applies live in `retry.rs`, `redirect.rs`, `body.rs` and `waits.rs`.

use super::{clean, Client};
use crate::api::body::{self, MAX_BODY_BYTES, MAX_ERROR_BODY_BYTES};
use crate::api::error::{human, ApiError, Waited};
use crate::api::redirect::{self, is_write};
use crate::api::retry::{self, TRANSPORT_RETRIES};
use crate::api::waits::WaitKind;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::time::{Duration, Instant};
use url::Url;

/// How one attempt ended when no answer came.
enum Unanswered {
    /// The transport failed (connect, DNS, TLS, a dropped connection, a redirect refused).
    Failed(reqwest::Error),
    /// No answer within the answer timeout.
    NoAnswer,
}

impl Client {
    /// Sends a request with retries, returning a 2xx answer's raw body and mapping non-2xx
    /// answers to [`ApiError`]. Text the server sent back has the token scrubbed from it (a
    /// server or proxy may echo the credentials).
    ///
    /// A URL longer than [`MAX_URL_BYTES`] is refused before anything is sent; a write answered
    /// with a redirect is an error naming it; a body is read within [`MAX_BODY_BYTES`] and the
    /// body timeout. 429s and 5xx are retried as the policy says, but a transport failure (no
    /// connection, no answer) only [`TRANSPORT_RETRIES`] times, and a rate limit longer than the
    /// policy sits out ends the request at once with the server's wait. Every wait a person could
    /// notice is on the wait board while it lasts.
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
        let mut transport_retries = 0u32;
        // Set once an attempt got no answer: the next attempt's wait is shown at once, counted
        // from the first, so the screen never goes quiet between the two.
        let mut unanswered_since = None;
        loop {
            let can_retry = attempt < policy.max_retries;
            let can_resend = can_retry && transport_retries < TRANSPORT_RETRIES;
            let sent = Instant::now();
            let answer = self
                .attempt(&method, endpoint, &url, body, unanswered_since)
                .await;
            let failure = match answer {
                Ok(resp) => {
                    let status = resp.status();
                    if retry::near_limit(resp.headers()) {
                        self.inner.waits.near_limit(Instant::now());
                    }
                    let server_wait = retry::server_wait(resp.headers(), chrono::Utc::now());
                    let limited = retry::is_rate_limited(status, server_wait);
                    // A server asking for longer than the policy sits out is not waited for.
                    let too_long = limited && server_wait.is_some_and(|w| !policy.allows(w));
                    if retry::is_retryable(status, idempotent) && can_retry && !too_long {
                        let wait = server_wait.unwrap_or_else(|| policy.backoff(attempt));
                        let kind = if limited {
                            WaitKind::RateLimited
                        } else {
                            WaitKind::Retry
                        };
                        tracing::debug!(%status, ?wait, endpoint, "retrying");
                        self.pause(endpoint, kind, wait, format!("HTTP {}", status.as_u16()))
                            .await;
                        attempt += 1;
                        continue;
                    }
                    if status == StatusCode::TOO_MANY_REQUESTS {
                        return Err(ApiError::RateLimited {
                            endpoint: endpoint.to_string(),
                            retry_after: server_wait.unwrap_or(policy.initial_backoff),
                        });
                    }
                    if status.is_redirection() && is_write(&method) {
                        let secrets = &self.inner.secrets;
                        return Err(redirect::of_write(endpoint, &url, &resp, secrets));
                    }
                    return self.answer(&method, endpoint, resp).await;
                }
                Err(failure) => failure,
            };
            let resend = match &failure {
                // A write is tried again only when it cannot have reached the server.
                Unanswered::Failed(e) => {
                    can_resend && idempotent && retry::is_safe_to_resend(&method, e)
                }
                Unanswered::NoAnswer => can_resend && !is_write(&method),
            };
            if resend {
                unanswered_since.get_or_insert(sent);
                let wait = policy.backoff(attempt);
                let detail = self.what_failed(&failure);
                tracing::debug!(?wait, endpoint, detail, "transport error, retrying");
                self.pause(endpoint, WaitKind::Retry, wait, detail).await;
                attempt += 1;
                transport_retries += 1;
                continue;
            }
            return Err(self.unanswered(&method, endpoint, failure, attempt + 1));
        }
    }

    /// One attempt: sends the request and waits for its answer's status and headers, at most the
    /// answer timeout. Past [`ClientConfig::show_waits_after`] the wait is on the board; at once,
    /// when an earlier attempt got no answer (`waiting_since`, from which the wait then counts).
    async fn attempt(
        &self,
        method: &Method,
        endpoint: &str,
        url: &Url,
        body: Option<&Value>,
        waiting_since: Option<Instant>,
    ) -> Result<reqwest::Response, Unanswered> {
        let now = Instant::now();
        let deadline = now + self.inner.timeout;
        let (since, show_at) = match waiting_since {
            Some(first) => (first, now),
            None => (now, now + self.inner.show_waits_after),
        };
        let send = self.request(method, url, body).send();
        tokio::pin!(send);
        let mut shown = None;
        loop {
            tokio::select! {
                answer = &mut send => return answer.map_err(Unanswered::Failed),
                _ = tokio::time::sleep_until(show_at.into()),
                    if shown.is_none() && show_at < deadline =>
                {
                    shown = Some(self.inner.waits.begin(
                        endpoint,
                        WaitKind::Answer,
                        since,
                        deadline,
                        String::new(),
                    ));
                }
                _ = tokio::time::sleep_until(deadline.into()) => return Err(Unanswered::NoAnswer),
            }
        }
    }

    /// Sleeps `wait` with it on the wait board.
    async fn pause(&self, endpoint: &str, kind: WaitKind, wait: Duration, detail: String) {
        let since = Instant::now();
        let _shown = self
            .inner
            .waits
            .begin(endpoint, kind, since, since + wait, detail);
        tokio::time::sleep(wait).await;
    }

    /// A few words on why an attempt got no answer, for the wait board.
    fn what_failed(&self, failure: &Unanswered) -> String {
        match failure {
            Unanswered::NoAnswer => self.no_answer(),
            Unanswered::Failed(e) if e.is_connect() && e.is_timeout() => {
                format!("no connection within {}", human(self.inner.connect_timeout))
            }
            Unanswered::Failed(e) if e.is_connect() => "could not connect".to_string(),
            Unanswered::Failed(_) => "the connection failed".to_string(),
        }
    }

    /// The error for an attempt that got no answer and is not tried again: for a write that may
    /// have reached the server, "outcome unknown"; else a timeout or a network error.
    fn unanswered(
        &self,
        method: &Method,
        endpoint: &str,
        failure: Unanswered,
        attempts: u32,
    ) -> ApiError {
        match failure {
            Unanswered::NoAnswer if is_write(method) => ApiError::OutcomeUnknown {
                endpoint: endpoint.to_string(),
                detail: self.no_answer(),
            },
            Unanswered::NoAnswer => ApiError::Timeout {
                endpoint: endpoint.to_string(),
                waiting_for: Waited::Answer,
                after: self.inner.timeout,
                attempts,
            },
            Unanswered::Failed(e)
                if is_write(method) && redirect::refused(&e).is_none() && !e.is_connect() =>
            {
                self.unknown_outcome(endpoint, e)
            }
            Unanswered::Failed(e) => self.transport(endpoint, e, attempts),
        }
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
        if status.is_success() {
            crate::api::link::record(resp.headers());
        }
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
            body::End::Failed(e) => return Err(self.transport(endpoint, e, 1)),
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

    /// "no answer within 20 s": the one wording of an answer timeout, for the wait board and for
    /// a write whose outcome it leaves unknown.
    fn no_answer(&self) -> String {
        format!("no answer within {}", human(self.inner.timeout))
    }

    /// A write that failed after it could have reached the server (not a connect, DNS or TLS
    /// failure): its outcome is unknown.
    fn unknown_outcome(&self, endpoint: &str, e: reqwest::Error) -> ApiError {
        let detail = if e.is_timeout() {
            self.no_answer()
        } else {
            causes(e)
        };
        ApiError::OutcomeUnknown {
            endpoint: endpoint.to_string(),
            detail: clean(&detail, 300, &self.inner.secrets),
        }
    }

    /// The error for a transport failure after `attempts` tries: a refused redirect, a timeout
    /// (of the connection, or the backstop), or a network error with its causes.
    pub(super) fn transport(&self, endpoint: &str, e: reqwest::Error, attempts: u32) -> ApiError {
        if let Some(refused) = redirect::refused(&e) {
            return ApiError::Redirect {
                endpoint: endpoint.to_string(),
                status: refused.status,
                location: redirect::shown(Some(refused.location.as_str()), &self.inner.secrets),
                reason: refused.reason.to_string(),
            };
        }
        if e.is_connect() && e.is_timeout() {
            return ApiError::Timeout {
                endpoint: endpoint.to_string(),
                waiting_for: Waited::Connection,
                after: self.inner.connect_timeout,
                attempts,
            };
        }
        if e.is_timeout() {
            return ApiError::Timeout {
                endpoint: endpoint.to_string(),
                waiting_for: Waited::Answer,
                after: self.inner.timeout,
                attempts,
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
