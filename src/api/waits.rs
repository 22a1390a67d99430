//! What the client is waiting for right now, for people to see: a request with no answer yet
//! after a few seconds, a rate limit being waited out, a retry's back-off.
//!
//! Every [`Client`](super::Client) owns one board of [`Wait`]s, published on a `watch` channel:
//! the TUI turns it into its title bar, the CLI into a line on stderr. A wait is put on the board
//! by [`WaitBoard::begin`] and taken off when the returned guard drops, which also happens when
//! the request is cancelled, so the board never shows a wait nobody is in. The board also keeps
//! the site's "near the limit" signal (`X-RateLimit-NearLimit`), which background work reads to
//! slow down before a 429. This module only records; it never sleeps or sends.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// A request waits this long for its answer before the wait is shown to the user.
pub const SHOW_AFTER: Duration = Duration::from_secs(3);

/// How long one `X-RateLimit-NearLimit: true` keeps background work slowed down.
pub const NEAR_LIMIT_FOR: Duration = Duration::from_secs(30);

/// Why a request is waiting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitKind {
    /// Sent, and no answer has come yet.
    Answer,
    /// The server said "slow down" (429, or 503 with `Retry-After`); waiting as long as it asked.
    RateLimited,
    /// The last attempt failed (no answer, a dropped connection, a 5xx); waiting to try again.
    Retry,
}

/// One request's wait, as shown to the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wait {
    /// The request, as method and path template (`GET /search/user`), never the full URL.
    pub endpoint: String,
    /// Why it waits.
    pub kind: WaitKind,
    /// When the wait began (for an answer: when the request was sent).
    pub since: Instant,
    /// When the wait ends: the time the server asked for, the back-off's end, or the moment the
    /// client gives up on an answer.
    pub until: Instant,
    /// Why, in a few words, for a retry: what went wrong with the last attempt (`HTTP 503`, `no
    /// answer within 20 s`). Empty for the other kinds.
    pub detail: String,
    id: u64,
}

impl Wait {
    /// Tells waits apart (a new wait has a new id), e.g. to print each one once.
    pub fn id(&self) -> u64 {
        self.id
    }
}

/// The board of waits one client (and all its clones) publishes.
pub(crate) struct WaitBoard {
    tx: watch::Sender<Vec<Wait>>,
    next_id: AtomicU64,
    near_limit_until: Mutex<Option<Instant>>,
    /// How many times the site pushed back (a rate-limit wait began, or `NearLimit` was said).
    pressure: AtomicU64,
}

impl WaitBoard {
    /// An empty board.
    pub(crate) fn new() -> Self {
        WaitBoard {
            tx: watch::channel(Vec::new()).0,
            next_id: AtomicU64::new(0),
            near_limit_until: Mutex::new(None),
            pressure: AtomicU64::new(0),
        }
    }

    /// A receiver of the board: the current waits, oldest first.
    pub(crate) fn subscribe(&self) -> watch::Receiver<Vec<Wait>> {
        self.tx.subscribe()
    }

    /// Puts a wait on the board until the guard drops.
    pub(crate) fn begin(
        &self,
        endpoint: &str,
        kind: WaitKind,
        since: Instant,
        until: Instant,
        detail: String,
    ) -> WaitGuard<'_> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        if kind == WaitKind::RateLimited {
            self.pressure.fetch_add(1, Ordering::Relaxed);
        }
        self.tx.send_modify(|waits| {
            waits.push(Wait {
                endpoint: endpoint.to_string(),
                kind,
                since,
                until,
                detail,
                id,
            })
        });
        WaitGuard { board: self, id }
    }

    /// Records that the site said it is near its limit (`X-RateLimit-NearLimit: true`).
    pub(crate) fn near_limit(&self, now: Instant) {
        self.pressure.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut until) = self.near_limit_until.lock() {
            *until = Some(now + NEAR_LIMIT_FOR);
        }
    }

    /// How many times the site has pushed back so far (rate-limit waits begun, `NearLimit`
    /// answers): a request that sees this change while in flight met pressure.
    pub(crate) fn pressure(&self) -> u64 {
        self.pressure.load(Ordering::Relaxed)
    }

    /// Whether background work should slow down: the site said it is near its limit within
    /// [`NEAR_LIMIT_FOR`], or a request is waiting out a rate limit right now.
    pub(crate) fn is_near_limit(&self, now: Instant) -> bool {
        let said = self
            .near_limit_until
            .lock()
            .map(|until| until.is_some_and(|until| now < until))
            .unwrap_or(false);
        said || self
            .tx
            .borrow()
            .iter()
            .any(|wait| wait.kind == WaitKind::RateLimited)
    }
}

/// Takes its wait off the board when dropped.
pub(crate) struct WaitGuard<'a> {
    board: &'a WaitBoard,
    id: u64,
}

impl Drop for WaitGuard<'_> {
    fn drop(&mut self) {
        let id = self.id;
        self.board.tx.send_if_modified(|waits| {
            let before = waits.len();
            waits.retain(|wait| wait.id != id);
            waits.len() != before
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wait_is_on_the_board_while_its_guard_lives() {
        let board = WaitBoard::new();
        let rx = board.subscribe();
        let now = Instant::now();
        let first = board.begin(
            "GET /a",
            WaitKind::Answer,
            now,
            now + SHOW_AFTER,
            String::new(),
        );
        {
            let _second = board.begin("GET /b", WaitKind::RateLimited, now, now, String::new());
            let endpoints: Vec<_> = rx.borrow().iter().map(|w| w.endpoint.clone()).collect();
            assert_eq!(endpoints, ["GET /a", "GET /b"]);
            assert!(board.is_near_limit(now), "a rate-limit wait slows others");
        }
        assert_eq!(rx.borrow().len(), 1);
        assert!(!board.is_near_limit(now));
        drop(first);
        assert!(rx.borrow().is_empty());
    }

    #[test]
    fn near_limit_lasts_a_while_then_ends() {
        let board = WaitBoard::new();
        let now = Instant::now();
        board.near_limit(now);
        assert!(board.is_near_limit(now + NEAR_LIMIT_FOR / 2));
        assert!(!board.is_near_limit(now + NEAR_LIMIT_FOR));
    }
}
