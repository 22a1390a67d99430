//! An adaptive ceiling on requests in flight: additive increase, multiplicative decrease (AIMD),
//! as TCP's congestion window and Netflix's `concurrency-limits` do it.
//!
//! Atlassian publishes no numeric limits (the rate-limiting page says "computation logic is
//! evolving continuously"), but it does say what pressure looks like: a 429 with `Retry-After`,
//! and `X-RateLimit-NearLimit: true` on answers while less than a fifth of the budget is left
//! (<https://developer.atlassian.com/cloud/confluence/rate-limiting/>), and it recommends backing
//! off on pressure. So the ceiling starts high (every visible row at once, up to [`START`]),
//! halves on pressure, and grows back by one after a whole window of answers without any.
//!
//! Pressure seen by several requests of the same window halves the ceiling once, not once per
//! request: each [`Permit`] remembers the window it was taken in, and only a permit of the current
//! window can halve it (which opens a new window). Nothing here sends or sleeps: callers take a
//! permit, send, and report how it went. The TUI's watch statuses use it; so can any fan-out
//! (the CLI's multi-key watch status, a group-wide watch).

use super::{ApiError, Client};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::Notify;

/// The ceiling a new limiter starts at: a tall terminal's visible watch rows all go at once.
pub const START: usize = 32;
/// The ceiling never grows past this.
pub const CEILING: usize = 64;

/// A shared, adaptive limit on requests in flight. Clones share the limit.
#[derive(Clone)]
pub struct AdaptiveLimit {
    inner: Arc<Inner>,
}

struct Inner {
    state: Mutex<LimitState>,
    /// Woken whenever a permit is returned or the ceiling grows.
    freed: Notify,
}

struct LimitState {
    limit: usize,
    ceiling: usize,
    in_flight: usize,
    /// Answers without pressure since the ceiling last changed.
    calm: usize,
    /// Which window permits are taken in; it changes whenever the ceiling is halved.
    window: u64,
}

/// One request's right to be in flight. Report how it went with [`Permit::calm`] or
/// [`Permit::pressure`]; dropping it unreported (a cancelled request) just frees its place.
pub struct Permit {
    inner: Arc<Inner>,
    window: u64,
}

impl Default for AdaptiveLimit {
    fn default() -> Self {
        Self::new(START, CEILING)
    }
}

impl AdaptiveLimit {
    /// A limiter starting at `start` requests in flight, never above `ceiling` nor below one.
    pub fn new(start: usize, ceiling: usize) -> Self {
        let ceiling = ceiling.max(1);
        AdaptiveLimit {
            inner: Arc::new(Inner {
                state: Mutex::new(LimitState {
                    limit: start.clamp(1, ceiling),
                    ceiling,
                    in_flight: 0,
                    calm: 0,
                    window: 0,
                }),
                freed: Notify::new(),
            }),
        }
    }

    /// Waits until a request may go out.
    pub async fn acquire(&self) -> Permit {
        loop {
            let freed = self.inner.freed.notified();
            tokio::pin!(freed);
            // Registered before the check, so a permit returned in between still wakes us.
            freed.as_mut().enable();
            {
                let mut state = self.inner.lock();
                if state.in_flight < state.limit {
                    state.in_flight += 1;
                    return Permit {
                        inner: self.inner.clone(),
                        window: state.window,
                    };
                }
            }
            freed.await;
        }
    }

    /// Sends `request` once a place under the ceiling is free, and reports how it went: pressure
    /// when it ended in a 429, or when `client` saw a sign of the rate limit (a 429 retried, a
    /// `NearLimit`) while it was in flight; calm otherwise. The one way every fan-out (the TUI's
    /// watch statuses, a group's member pages, the CLI's many targets and group-wide writes) goes
    /// through the ceiling.
    pub async fn within<T>(
        &self,
        client: &Client,
        request: impl std::future::Future<Output = Result<T, ApiError>>,
    ) -> Result<T, ApiError> {
        let permit = self.acquire().await;
        let before = client.pressure_seen();
        let result = request.await;
        let limited = matches!(result, Err(ApiError::RateLimited { .. }));
        permit.finish(limited || client.pressure_seen() != before);
        result
    }

    /// The current ceiling.
    pub fn limit(&self) -> usize {
        self.inner.lock().limit
    }

    /// Requests holding a permit right now.
    pub fn in_flight(&self) -> usize {
        self.inner.lock().in_flight
    }
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, LimitState> {
        // The state stays consistent at every step, so a panic elsewhere leaves it usable.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Permit {
    /// The request was answered without pressure: after a whole window of such answers the
    /// ceiling grows by one.
    pub fn calm(self) {
        let grew = {
            let mut state = self.inner.lock();
            state.calm += 1;
            if state.calm >= state.limit && state.limit < state.ceiling {
                state.limit += 1;
                state.calm = 0;
                true
            } else {
                false
            }
        };
        if grew {
            self.inner.freed.notify_waiters();
        }
    }

    /// The request met pressure (a 429, `X-RateLimit-NearLimit: true`): the ceiling halves, once
    /// per window.
    pub fn pressure(self) {
        let mut state = self.inner.lock();
        if state.window == self.window {
            state.limit = (state.limit / 2).max(1);
            state.calm = 0;
            state.window += 1;
        }
    }

    /// Reports pressure when `pressure` is true, calm otherwise.
    pub fn finish(self, pressure: bool) {
        if pressure {
            self.pressure()
        } else {
            self.calm()
        }
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        self.inner.lock().in_flight -= 1;
        self.inner.freed.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn pressure_in_one_window_halves_once_and_calm_grows_back_by_one_per_window() {
        let limit = AdaptiveLimit::new(8, 16);
        let permits: Vec<Permit> = futures::future::join_all((0..8).map(|_| limit.acquire())).await;
        assert_eq!(limit.in_flight(), 8);
        for p in permits {
            p.pressure();
        }
        assert_eq!(limit.limit(), 4, "eight 429s of one window halve once");
        assert_eq!(limit.in_flight(), 0);
        // A new window's pressure halves again.
        limit.acquire().await.pressure();
        assert_eq!(limit.limit(), 2);
        // Two calm answers (a window of 2) grow it by one, three more (a window of 3) by one.
        for _ in 0..2 {
            limit.acquire().await.calm();
        }
        assert_eq!(limit.limit(), 3);
        for _ in 0..3 {
            limit.acquire().await.calm();
        }
        assert_eq!(limit.limit(), 4);
    }

    #[tokio::test]
    async fn never_below_one_nor_above_the_ceiling() {
        let limit = AdaptiveLimit::new(2, 2);
        for _ in 0..5 {
            limit.acquire().await.pressure();
        }
        assert_eq!(limit.limit(), 1);
        for _ in 0..10 {
            limit.acquire().await.calm();
        }
        assert_eq!(limit.limit(), 2);
    }

    #[tokio::test]
    async fn a_full_limiter_waits_until_a_permit_is_returned() {
        let limit = AdaptiveLimit::new(1, 4);
        let first = limit.acquire().await;
        let second = limit.acquire();
        tokio::pin!(second);
        assert!(
            futures::poll!(second.as_mut()).is_pending(),
            "the ceiling is one"
        );
        drop(first);
        let second = second.await;
        assert_eq!(limit.in_flight(), 1);
        drop(second);
        assert_eq!(limit.in_flight(), 0);
    }
}
