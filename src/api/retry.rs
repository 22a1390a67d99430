//! When and how long to wait before trying a request again.
//!
//! This module owns the retry policy (exponential back-off with jitter, and how long a wait the
//! server asks for is sat out), reading the rate-limit headers Atlassian documents
//! (`Retry-After`, `X-RateLimit-Reset`, `X-RateLimit-NearLimit`), and the rules for which answers
//! and which transport failures are worth another attempt. It decides; it never sleeps, sends a
//! request or builds an error (that is `client.rs`), and shows nothing (that is `waits.rs`).

use chrono::{DateTime, NaiveDateTime, Utc};
use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use std::time::Duration;

/// How hard to retry rate-limited and failed requests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// First back-off window; doubled per consecutive failure.
    pub initial_backoff: Duration,
    /// Cap on any single wait. A server that asks for longer (`Retry-After`) is not waited for:
    /// the request ends at once with the server's wait in its error.
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

    /// Whether a wait the server asked for is one this policy sits out; a longer one ends the
    /// request at once with the server's wait in the error, so nobody stares at a silent screen.
    pub fn allows(&self, wait: Duration) -> bool {
        wait <= self.max_backoff
    }
}

/// The longest wait a server's headers are taken at their word for: anything longer is read
/// as this (a year), so adding it to a clock can never overflow. Cloud has been seen sending
/// `Retry-After: 9223372036854775807`.
pub const MAX_SERVER_WAIT: Duration = Duration::from_secs(365 * 24 * 3600);

/// The wait the server asks for, as Atlassian documents its rate-limit headers: `Retry-After` in
/// seconds first; else `X-RateLimit-Reset`, the moment the limit resets (ISO 8601,
/// `yyyy-MM-ddTHH:mmZ`), minus `now`. Never more than [`MAX_SERVER_WAIT`]; `None` when neither
/// header says anything usable (the HTTP-date form of `Retry-After` is not used by Confluence).
pub fn server_wait(headers: &HeaderMap, now: DateTime<Utc>) -> Option<Duration> {
    if let Some(raw) = headers.get(RETRY_AFTER).and_then(|v| v.to_str().ok()) {
        let raw = raw.trim();
        if !raw.is_empty() && raw.chars().all(|c| c.is_ascii_digit()) {
            // All digits but too long for a u64: as long as anything can be.
            let secs = raw.parse::<u64>().unwrap_or(u64::MAX);
            return Some(Duration::from_secs(secs).min(MAX_SERVER_WAIT));
        }
    }
    let reset = headers.get("X-RateLimit-Reset")?.to_str().ok()?.trim();
    let at = parse_reset(reset)?;
    let left = (at - now).to_std().unwrap_or(Duration::ZERO);
    Some(left.min(MAX_SERVER_WAIT))
}

/// `2026-01-01T00:00Z` (Atlassian's minute form) or a full RFC 3339 time.
fn parse_reset(raw: &str) -> Option<DateTime<Utc>> {
    if let Ok(at) = DateTime::parse_from_rfc3339(raw) {
        return Some(at.with_timezone(&Utc));
    }
    let minute = raw.strip_suffix('Z')?;
    NaiveDateTime::parse_from_str(minute, "%Y-%m-%dT%H:%M")
        .ok()
        .map(|at| at.and_utc())
}

/// Whether the answer says the site is close to its limit (`X-RateLimit-NearLimit: true`, sent
/// when less than a fifth of the budget is left).
pub fn near_limit(headers: &HeaderMap) -> bool {
    headers
        .get("X-RateLimit-NearLimit")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// Whether an answer says "slow down": a 429, or a 503 that names its own wait. Such waits are
/// shown as rate limits; other retries as a retry.
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

/// Transport failures (no connection, no answer) are retried at most this many times, however
/// many retries the policy allows for 5xx and 429: a server that did not answer twice will not
/// answer a third time soon, and each try costs a whole timeout of silence.
pub const TRANSPORT_RETRIES: u32 = 1;

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

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn the_servers_wait_is_taken_as_sent_up_to_a_year() {
        let now = at("2026-12-01T10:00:00Z");
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, HeaderValue::from_static("3"));
        assert_eq!(server_wait(&h, now), Some(Duration::from_secs(3)));
        h.insert(RETRY_AFTER, HeaderValue::from_static("3600"));
        assert_eq!(server_wait(&h, now), Some(Duration::from_secs(3600)));
        for huge in ["9223372036854775807", "99999999999999999999999"] {
            h.insert(RETRY_AFTER, HeaderValue::from_static(huge));
            assert_eq!(server_wait(&h, now), Some(MAX_SERVER_WAIT));
        }
        h.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(server_wait(&h, now), None);
    }

    #[test]
    fn without_retry_after_the_reset_time_says_how_long() {
        let now = at("2026-12-01T10:00:30Z");
        let mut h = HeaderMap::new();
        h.insert(
            "X-RateLimit-Reset",
            HeaderValue::from_static("2026-12-01T10:05Z"),
        );
        assert_eq!(server_wait(&h, now), Some(Duration::from_secs(270)));
        h.insert(
            "X-RateLimit-Reset",
            HeaderValue::from_static("2026-12-01T10:01:00+00:00"),
        );
        assert_eq!(server_wait(&h, now), Some(Duration::from_secs(30)));
        // A reset in the past: no wait at all.
        h.insert(
            "X-RateLimit-Reset",
            HeaderValue::from_static("2026-12-01T09:00Z"),
        );
        assert_eq!(server_wait(&h, now), Some(Duration::ZERO));
        // Retry-After wins over the reset time.
        h.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(server_wait(&h, now), Some(Duration::from_secs(7)));
        h.remove(RETRY_AFTER);
        h.insert("X-RateLimit-Reset", HeaderValue::from_static("soon"));
        assert_eq!(server_wait(&h, now), None);
    }

    #[test]
    fn near_limit_is_read_from_its_header() {
        let mut h = HeaderMap::new();
        assert!(!near_limit(&h));
        h.insert("X-RateLimit-NearLimit", HeaderValue::from_static("true"));
        assert!(near_limit(&h));
        h.insert("X-RateLimit-NearLimit", HeaderValue::from_static("false"));
        assert!(!near_limit(&h));
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
