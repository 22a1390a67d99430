//! When and how long to wait before trying a request again, and the "rate limited until T" signal.
//!
//! This module owns the retry policy (exponential back-off with jitter, `Retry-After` parsing and
//! clamping), the rule for which answers are worth retrying, and the watch channel value the UI
//! counts down from while a request sleeps out a 429. It decides and waits; it never sends a
//! request or builds an error (that is `client.rs`).

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use std::time::{Duration, Instant};
use tokio::sync::watch;

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

/// Whether an answer says "slow down": a 429, or a 503 that names its own wait. Such waits are
/// published on the rate-limit signal; other retries sleep quietly.
pub(crate) fn is_rate_limited(status: StatusCode, retry_after: Option<Duration>) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS
        || (status == StatusCode::SERVICE_UNAVAILABLE && retry_after.is_some())
}

/// Whether an answer is worth another attempt: always a 429, and a 5xx only when repeating the
/// request is safe (`idempotent`). 501 is a permanent answer ("this API is not enabled"), not a
/// hiccup.
pub(crate) fn is_retryable(status: StatusCode, idempotent: bool) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS
        || (idempotent && status.is_server_error() && status != StatusCode::NOT_IMPLEMENTED)
}

/// Whether a request that failed in transport may be sent again: a read after a timeout or a
/// connect failure, a write (POST, PUT, DELETE) only after a connect failure (DNS, refused, TLS),
/// which it cannot have got past. A write that timed out or lost its connection may have been
/// applied, so sending it again could apply it twice.
pub(crate) fn is_safe_to_resend(method: &Method, e: &reqwest::Error) -> bool {
    if e.is_connect() {
        return true;
    }
    !super::redirect::is_write(method) && e.is_timeout()
}

/// "Rate limited until T", published while a request waits out a 429 so the UI can count down.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// When the wait ends (the latest one, if several requests are waiting).
    pub until: Instant,
    /// The operation that was limited (`GET /search/user`), for the status line.
    pub endpoint: String,
}

/// Publishes the rate limit on `tx` while sleeping it out, then clears it unless a later limit
/// (from another request) is still running. The clearing also happens when the call is cancelled
/// mid-wait, so the UI never shows a countdown nobody is waiting for.
pub(crate) async fn wait_rate_limited(
    tx: &watch::Sender<Option<RateLimit>>,
    endpoint: &str,
    wait: Duration,
) {
    let until = Instant::now() + wait;
    tx.send_modify(|current| {
        if current.as_ref().is_none_or(|c| c.until < until) {
            *current = Some(RateLimit {
                until,
                endpoint: endpoint.to_string(),
            });
        }
    });
    let _clear = ClearRateLimit { tx, until };
    tokio::time::sleep(wait).await;
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

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

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
}
