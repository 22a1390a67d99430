//! Which redirects the client follows: none for a write, and for a read only hops that keep the
//! base-URL rule (https, or plain http to a loopback host).
//!
//! reqwest turns a POST answered with 301, 302 or 303 into a GET of the new address, and re-sends
//! a 307/308 write's body wherever it points: a write would then "succeed" without having been
//! made, or travel in cleartext. So writes go through a client that follows nothing, and
//! `client.rs` turns their 3xx into an error naming the redirect. Reads follow redirects, each hop
//! checked here before any connection is made to it. This module decides and names what it
//! refused; it sends nothing.

use super::base_url::is_loopback_host;
use super::client::clean;
use super::error::ApiError;
use reqwest::header::LOCATION;
use reqwest::redirect::{Attempt, Policy};
use reqwest::Method;
use std::fmt;
use url::Url;

/// The most redirects one read follows (reqwest's own default).
pub(crate) const MAX_REDIRECTS: usize = 10;

/// Why a write's redirect is not followed, for the error that names it.
pub(crate) const WRITE_REASON: &str = "confdir never sends a write on to another address, so the change was not confirmed. Check the base URL (https, and the site's /wiki path)";

/// A read's redirect refused by [`read_policy`]: carried inside reqwest's error and read back by
/// the client to build its own.
#[derive(Debug)]
pub(crate) struct Refused {
    /// The redirect's 3xx status.
    pub status: u16,
    /// The address it pointed at, resolved against the request's.
    pub location: String,
    /// Why it was refused.
    pub reason: &'static str,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "redirect (HTTP {}) to {} refused: {}",
            self.status, self.location, self.reason
        )
    }
}

impl std::error::Error for Refused {}

/// The redirect policy of reads: follow at most [`MAX_REDIRECTS`] hops, each to https or to plain
/// http on a loopback host, the rule a base URL must meet ([`is_loopback_host`]).
pub(crate) fn read_policy() -> Policy {
    Policy::custom(check)
}

fn check(attempt: Attempt<'_>) -> reqwest::redirect::Action {
    let url = attempt.url();
    let reason = if attempt.previous().len() > MAX_REDIRECTS {
        Some("more than 10 redirects in a row")
    } else {
        match url.scheme() {
            "https" => None,
            "http" if is_loopback_host(url) => None,
            "http" => Some(
                "plain http is allowed only for loopback hosts (127.0.0.1, ::1, localhost), so the request was not sent there",
            ),
            _ => Some("only https addresses are followed"),
        }
    };
    match reason {
        None => attempt.follow(),
        Some(reason) => {
            let refused = Refused {
                status: attempt.status().as_u16(),
                location: url.to_string(),
                reason,
            };
            attempt.error(refused)
        }
    }
}

/// True for the methods that change something on the server: they never follow a redirect.
pub(crate) fn is_write(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The error for a write answered with a redirect (`resp`, to the request for `url`): it names the
/// status and where it pointed, resolved against `url`, with `secrets` scrubbed.
pub(crate) fn of_write(
    endpoint: &str,
    url: &Url,
    resp: &reqwest::Response,
    secrets: &[String],
) -> ApiError {
    let location = resp
        .headers()
        .get(LOCATION)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .map(|l| url.join(&l).map(String::from).unwrap_or(l));
    ApiError::Redirect {
        endpoint: endpoint.to_string(),
        status: resp.status().as_u16(),
        location: shown(location.as_deref(), secrets),
        reason: WRITE_REASON.to_string(),
    }
}

/// A redirect's target as an error shows it: untrusted text from the server, so scrubbed of
/// `secrets`, cleaned and capped; `(nowhere)` when there was none.
pub(crate) fn shown(location: Option<&str>, secrets: &[String]) -> String {
    match location.filter(|l| !l.trim().is_empty()) {
        Some(l) => clean(l, 200, secrets),
        None => "(nowhere)".to_string(),
    }
}

/// The refused redirect inside a reqwest error, if that is what ended the request.
pub(crate) fn refused(e: &reqwest::Error) -> Option<&Refused> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if let Some(found) = s.downcast_ref::<Refused>() {
            return Some(found);
        }
        source = s.source();
    }
    None
}
