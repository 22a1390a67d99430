//! Reading a response body within a size limit and a deadline.
//!
//! A server (or whatever answers in its place) decides how much it sends and how fast. This module
//! reads a body chunk by chunk, never more than a limit and never for longer than a deadline, so
//! an endless, a huge or a slow-drip body costs a bounded amount of memory and time. It reads and
//! reports how the reading ended; turning that into an [`ApiError`](super::ApiError) is
//! `client.rs`'s business.

use std::time::{Duration, Instant};

/// The most a 2xx answer may hold: 8 MiB. A page of 1,000 users with every expansion is a few
/// hundred KB, so this is far above any real Confluence answer, yet small enough that a server
/// sending without end costs little memory before confdir stops reading.
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// The most of an error answer (non-2xx) that is read: 64 KiB. Only its message is used (a few
/// hundred characters at most), so a longer error page is cut here rather than refused.
pub(crate) const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;

/// The most space reserved up front for a body, whatever `Content-Length` says: a claimed length
/// costs nothing until the bytes arrive.
const INITIAL_CAPACITY: usize = 64 * 1024;

/// How reading a body ended.
#[derive(Debug)]
pub(crate) enum End {
    /// The whole body arrived within the limit and the deadline.
    Complete,
    /// The server sent, or announced in `Content-Length`, more than the limit; reading stopped at
    /// the limit.
    TooLarge,
    /// The deadline passed before the body was complete.
    TooSlow {
        /// How long the body was waited for.
        after: Duration,
    },
    /// The connection failed while the body was read.
    Failed(reqwest::Error),
}

/// A body as far as it was read, and how the reading ended.
#[derive(Debug)]
pub(crate) struct Body {
    /// The bytes that arrived, never more than the limit.
    pub bytes: Vec<u8>,
    /// Why reading stopped.
    pub end: End,
}

/// Reads `resp`'s body, at most `limit` bytes and for at most `deadline` from now. A
/// `Content-Length` above the limit is refused before anything is read; a body that grows past it
/// is cut at the limit; a transport timeout while reading (reqwest's whole-request timeout) counts
/// as too slow, like the deadline itself.
pub(crate) async fn read(mut resp: reqwest::Response, limit: usize, deadline: Duration) -> Body {
    let started = Instant::now();
    let announced = resp.content_length().unwrap_or(0);
    if announced > limit as u64 {
        return Body {
            bytes: Vec::new(),
            end: End::TooLarge,
        };
    }
    let capacity = usize::try_from(announced)
        .unwrap_or(usize::MAX)
        .min(INITIAL_CAPACITY);
    let mut bytes = Vec::with_capacity(capacity);
    let until = tokio::time::Instant::now() + deadline;
    loop {
        let end = match tokio::time::timeout_at(until, resp.chunk()).await {
            Err(_) => End::TooSlow {
                after: started.elapsed(),
            },
            Ok(Ok(Some(chunk))) => {
                let room = limit - bytes.len();
                if chunk.len() > room {
                    bytes.extend_from_slice(&chunk[..room]);
                    End::TooLarge
                } else {
                    bytes.extend_from_slice(&chunk);
                    continue;
                }
            }
            Ok(Ok(None)) => End::Complete,
            Ok(Err(e)) if e.is_timeout() => End::TooSlow {
                after: started.elapsed(),
            },
            Ok(Err(e)) => End::Failed(e),
        };
        return Body { bytes, end };
    }
}
