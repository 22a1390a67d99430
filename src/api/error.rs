//! The one error type of the Confluence client.
//!
//! Every variant reads as a sentence a person can act on: what happened, Confluence's own message
//! when it sent one, and what to try. Nothing here ever holds the token: errors are built from
//! status codes, response bodies and request paths, and the auth header is never among them.

use super::model::ErrorBody;
use reqwest::StatusCode;
use std::time::Duration;
use thiserror::Error;

/// What can go wrong talking to Confluence.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ApiError {
    /// 401: the credentials were refused.
    #[error("{endpoint}: Confluence refused the credentials (401){}. Check the email and API token; a scoped token must use the api.atlassian.com gateway URL, and API tokens expire.", suffix(.message))]
    Unauthorized {
        /// The request that failed, as method and path template (`GET /user/{id}/property`), never
        /// the full URL.
        endpoint: String,
        /// What the server said: Confluence's error message, else the body's text unless it is
        /// HTML; scrubbed of secrets, capped, and empty when there was nothing.
        message: String,
    },

    /// 403: authenticated, but not allowed (or, for watches, the target does not exist).
    #[error("{endpoint}: not permitted (403){}. You may lack the permission, the target may not exist or be hidden from you, or only an administrator may do this for another user.", suffix(.message))]
    Forbidden {
        /// The request that failed, as method and path template (`GET /user/{id}/property`), never
        /// the full URL.
        endpoint: String,
        /// What the server said: Confluence's error message, else the body's text unless it is
        /// HTML; scrubbed of secrets, capped, and empty when there was nothing.
        message: String,
    },

    /// 404: the user, group, property or path does not exist.
    #[error("{endpoint}: not found (404){}.", suffix(.message))]
    NotFound {
        /// The request that failed, as method and path template (`GET /user/{id}/property`), never
        /// the full URL.
        endpoint: String,
        /// What the server said: Confluence's error message, else the body's text unless it is
        /// HTML; scrubbed of secrets, capped, and empty when there was nothing.
        message: String,
    },

    /// 410: Confluence has removed the endpoint (Cloud's "This deprecated endpoint has been
    /// removed", e.g. v1 `GET /space`).
    #[error("{endpoint}: Confluence has removed this endpoint (410 Gone){}.", suffix(.message))]
    Gone {
        /// The request that failed, as method and path template (`GET /user/{id}/property`), never
        /// the full URL.
        endpoint: String,
        /// What the server said, and what it means for the request.
        message: String,
    },

    /// 409: e.g. creating a user property whose key exists.
    #[error("{endpoint}: conflict (409){}. It already exists: update it instead.", suffix(.message))]
    Conflict {
        /// The request that failed, as method and path template (`GET /user/{id}/property`), never
        /// the full URL.
        endpoint: String,
        /// What the server said: Confluence's error message, else the body's text unless it is
        /// HTML; scrubbed of secrets, capped, and empty when there was nothing.
        message: String,
    },

    /// 400: Confluence rejected the request (bad CQL, bad property value, an unapproved app …).
    #[error("{endpoint}: Confluence rejected the request (400){}.", suffix(.message))]
    BadRequest {
        /// The request that failed, as method and path template (`GET /user/{id}/property`), never
        /// the full URL.
        endpoint: String,
        /// What the server said: Confluence's error message, else the body's text unless it is
        /// HTML; scrubbed of secrets, capped, and empty when there was nothing.
        message: String,
    },

    /// 501: the site does not offer this API (e.g. the email API is not enabled).
    #[error("{endpoint}: this site does not offer this API (501){}.", suffix(.message))]
    NotImplemented {
        /// The request that failed, as method and path template (`GET /user/{id}/property`), never
        /// the full URL.
        endpoint: String,
        /// What the server said: Confluence's error message, else the body's text unless it is
        /// HTML; scrubbed of secrets, capped, and empty when there was nothing.
        message: String,
    },

    /// 429 after every retry was spent, or at once when the server asked for a longer wait than
    /// the retry policy sits out. (A 503 with `Retry-After` is waited out the same way while
    /// retries last, but ends as [`ApiError::Server`].)
    #[error("{endpoint}: rate limited by Confluence; retry in {}.", long_wait(*.retry_after))]
    RateLimited {
        /// The request that failed, as method and path template (`GET /user/{id}/property`), never
        /// the full URL.
        endpoint: String,
        /// How long to wait: what the server asked for (`Retry-After`, else the time left until
        /// `X-RateLimit-Reset`), or the policy's first back-off when it said nothing usable.
        retry_after: Duration,
    },

    /// 5xx after the retries that were safe to make.
    #[error("{endpoint}: Confluence failed with HTTP {status}{}. Try again later.", suffix(.message))]
    Server {
        /// The request that failed, as method and path template (`GET /user/{id}/property`), never
        /// the full URL.
        endpoint: String,
        /// The 5xx status (never 501, which is [`ApiError::NotImplemented`]).
        status: u16,
        /// What the server said: Confluence's error message, else the body's text unless it is
        /// HTML; scrubbed of secrets, capped, and empty when there was nothing.
        message: String,
    },

    /// Any other unexpected status.
    #[error("{endpoint}: unexpected HTTP {status}{}.", suffix(.message))]
    Http {
        /// The request that failed, as method and path template (`GET /user/{id}/property`), never
        /// the full URL.
        endpoint: String,
        /// The status, one no other variant covers (e.g. 405 or 422).
        status: u16,
        /// What the server said: Confluence's error message, else the body's text unless it is
        /// HTML; scrubbed of secrets, capped, and empty when there was nothing.
        message: String,
    },

    /// The body did not have the shape the contract promises.
    #[error("{endpoint}: the response could not be read: {detail} (at `{field}`). The server may not be Confluence, or a proxy answered instead.")]
    Decode {
        /// The request that failed, as method and path template (`GET /user/{id}/property`), never
        /// the full URL.
        endpoint: String,
        /// The JSON path where decoding failed, e.g. `results[3].accountId`; `.` for the document
        /// itself.
        field: String,
        /// What serde found wrong there (e.g. `invalid type: null, expected a string`), scrubbed
        /// of secrets and capped.
        detail: String,
    },

    /// Connection refused, DNS failure, TLS failure and the like.
    #[error(
        "{endpoint}: could not reach the server: {detail}. Check the base URL and the network."
    )]
    Network {
        /// The request that failed, as method and path template (`GET /user/{id}/property`), never
        /// the full URL.
        endpoint: String,
        /// The transport error and its chain of causes, without the URL.
        detail: String,
    },

    /// No connection, or no answer, within its timeout, after the one retry transport failures
    /// get (reads only: a write is never sent twice).
    #[error("{endpoint}: {}", timeout_text(*.waiting_for, *.after, *.attempts))]
    Timeout {
        /// The request that failed, as method and path template (`GET /user/{id}/property`), never
        /// the full URL.
        endpoint: String,
        /// What did not come in time.
        waiting_for: Waited,
        /// The timeout that ran out on each attempt (`ClientConfig::connect_timeout` or
        /// `ClientConfig::timeout`).
        after: Duration,
        /// How many times the request was tried.
        attempts: u32,
    },

    /// A write (POST, PUT, DELETE) was sent but its answer never came: the connection closed, the
    /// wait for the answer timed out, or its body broke off. The server may or may not have
    /// applied it, so it is not retried; look at the current state before trying again.
    #[error("{endpoint}: the request was sent but no answer came back ({detail}), so the server may or may not have applied the change. Check the current state before trying again.")]
    OutcomeUnknown {
        /// The request that failed, as method and path template (`GET /user/{id}/property`), never
        /// the full URL.
        endpoint: String,
        /// What went wrong after the request was sent, without the URL.
        detail: String,
    },

    /// The answer's body was larger than confdir reads (`api::body::MAX_BODY_BYTES`); reading
    /// stopped there, so the memory it costs is bounded.
    #[error("{endpoint}: the server sent more than {} MiB, far more than any Confluence answer, so confdir stopped reading. The server may not be Confluence, or a proxy answered instead.", .limit / (1024 * 1024))]
    TooLarge {
        /// The request that failed, as method and path template (`GET /user/{id}/property`), never
        /// the full URL.
        endpoint: String,
        /// The limit that was passed, in bytes.
        limit: usize,
    },

    /// The answer's body did not arrive in time: the server (or a proxy) sent it too slowly.
    #[error("{endpoint}: the server sent its answer too slowly ({received} bytes in {}), so confdir stopped waiting. Try again, or check the network.", human(*.after))]
    TooSlow {
        /// The request that failed, as method and path template (`GET /user/{id}/property`), never
        /// the full URL.
        endpoint: String,
        /// How long the body was waited for, from the moment the answer's headers arrived.
        after: Duration,
        /// How many bytes of the body had arrived by then.
        received: usize,
    },

    /// A redirect that confdir does not follow: any redirect of a write (POST, PUT, DELETE), and a
    /// read's redirect to an address the base-URL rule refuses (plain http to a host that is not
    /// loopback, another scheme, too many hops).
    #[error(
        "{endpoint}: the server answered with a redirect (HTTP {status}) to {location}; {reason}."
    )]
    Redirect {
        /// The request that failed, as method and path template (`GET /user/{id}/property`), never
        /// the full URL.
        endpoint: String,
        /// The 3xx status of the redirect.
        status: u16,
        /// Where it pointed (`Location`), scrubbed of secrets, cleaned and capped; `(nowhere)`
        /// when the header was missing.
        location: String,
        /// Why it was not followed, and what that means for the request.
        reason: String,
    },

    /// A list whose pages did not end: the server repeated a page, sent more items than its own
    /// `totalSize`, or went past the most pages or items confdir reads of one list. Nothing is
    /// returned rather than a silently cut list.
    #[error("{endpoint}: the list did not end: {detail}. The server may be misbehaving, so confdir stopped reading it.")]
    Paging {
        /// The request that failed, as method and path template (`GET /user/{id}/property`), never
        /// the full URL.
        endpoint: String,
        /// What went wrong, with the counts read so far.
        detail: String,
    },

    /// The request was refused before sending: bad property key, bad base URL, too many ids, a
    /// query too long to send, a token that cannot travel in a header …
    #[error("{0}")]
    InvalidInput(String),
}

/// What a request waited for in vain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waited {
    /// A connection to the server (DNS, TCP and TLS).
    Connection,
    /// The answer's status and headers, once the request was sent.
    Answer,
}

/// The sentence of a [`ApiError::Timeout`]: what was waited for, how long, how many times.
fn timeout_text(waiting_for: Waited, after: Duration, attempts: u32) -> String {
    let tries = match attempts {
        0 | 1 => String::new(),
        2 => " (tried twice)".to_string(),
        n => format!(" (tried {n} times)"),
    };
    match waiting_for {
        Waited::Connection => format!(
            "no connection to the server within {}{tries}. Check the base URL, the network and any proxy.",
            human(after)
        ),
        Waited::Answer => format!(
            "no answer within {}{tries}: the server took the request but said nothing. It may be overloaded, or a proxy is holding the request; try again later.",
            human(after)
        ),
    }
}

/// `12 s`, `5 min`, `2 h 5 min`, `more than a day`: a wait the server asked for, as a person
/// would say it (seconds are rounded up, so "0 s" is never asked for).
pub(crate) fn long_wait(d: Duration) -> String {
    let secs = d.as_secs() + u64::from(d.subsec_nanos() > 0);
    match secs.max(1) {
        s if s < 120 => format!("{s} s"),
        s if s < 3600 => format!("{} min", s.div_ceil(60)),
        s if s <= 24 * 3600 => match (s / 3600, (s % 3600).div_ceil(60)) {
            (h, 0) => format!("{h} h"),
            (h, 60) => format!("{} h", h + 1),
            (h, m) => format!("{h} h {m} min"),
        },
        _ => "more than a day".to_string(),
    }
}

/// `250 ms`, `30 s`, `1.5 s`: a timeout as a person would say it.
pub(crate) fn human(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{} ms", d.as_millis())
    } else if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// `: message`, without its final full stop: the sentence around it supplies one.
fn suffix(message: &str) -> String {
    let message = message.trim_end_matches('.').trim_end();
    if message.is_empty() {
        String::new()
    } else {
        format!(": {message}")
    }
}

impl ApiError {
    /// Maps a non-2xx answer to an error, with Confluence's own message when the body has one.
    pub(super) fn from_status(
        endpoint: &str,
        status: StatusCode,
        body: &[u8],
        secrets: &[String],
    ) -> ApiError {
        let message = serde_json::from_slice::<ErrorBody>(body)
            .ok()
            .and_then(|b| b.best_message())
            .or_else(|| {
                let text = String::from_utf8_lossy(body);
                let text = text.trim();
                // An HTML error page from a proxy says nothing useful in a terminal.
                (!text.is_empty() && !text.starts_with('<')).then(|| text.to_string())
            })
            .map(|m| super::client::clean(&m, 300, secrets))
            .unwrap_or_default();
        let endpoint = endpoint.to_string();
        match status.as_u16() {
            400 => ApiError::BadRequest { endpoint, message },
            401 => ApiError::Unauthorized { endpoint, message },
            403 => ApiError::Forbidden { endpoint, message },
            404 => ApiError::NotFound { endpoint, message },
            409 => ApiError::Conflict { endpoint, message },
            410 => ApiError::Gone { endpoint, message },
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

    /// The HTTP status behind the error, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Unauthorized { .. } => Some(401),
            ApiError::Forbidden { .. } => Some(403),
            ApiError::NotFound { .. } => Some(404),
            ApiError::Conflict { .. } => Some(409),
            ApiError::Gone { .. } => Some(410),
            ApiError::BadRequest { .. } => Some(400),
            ApiError::NotImplemented { .. } => Some(501),
            ApiError::RateLimited { .. } => Some(429),
            ApiError::Server { status, .. }
            | ApiError::Http { status, .. }
            | ApiError::Redirect { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Confluence's own message, if the server sent one.
    pub fn server_message(&self) -> Option<&str> {
        match self {
            ApiError::Unauthorized { message, .. }
            | ApiError::Forbidden { message, .. }
            | ApiError::NotFound { message, .. }
            | ApiError::Conflict { message, .. }
            | ApiError::Gone { message, .. }
            | ApiError::BadRequest { message, .. }
            | ApiError::NotImplemented { message, .. }
            | ApiError::Server { message, .. }
            | ApiError::Http { message, .. } => Some(message.as_str()).filter(|m| !m.is_empty()),
            _ => None,
        }
    }
}
