//! The background directory sync as the UI sees it: where it stands ([`SyncView`], kept in
//! `State::sync`), the status bar's line for it, and how it ended ([`SyncOutcome`]).
//!
//! `:sync` starts it, `:sync stop` stops it (its progress is kept: `:sync` or `confdir
//! directory sync` resumes). The engine is [`crate::directory_sync`], run by the worker; its
//! pages arrive as `Done::SyncProgress` with the people they found, merged into the directory
//! as they come, so they are searchable at once. Pure data and formatting: no clock is read here,
//! the state's `now` is passed in.

use super::request::RequestId;
use crate::directory_sync::Progress;
use chrono::{DateTime, Utc};

/// A sync under way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncView {
    /// The sync's id: progress of an older (stopped) sync is ignored.
    pub id: RequestId,
    /// When this run started (the rate counts from here).
    pub started: DateTime<Utc>,
    /// The engine's last progress.
    pub progress: Progress,
}

/// How a finished sync changed the cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncOutcome {
    /// People the sync found.
    pub people: usize,
    /// People the cache did not have.
    pub new: usize,
    /// People whose record changed.
    pub updated: usize,
}

/// A count as [`crate::app::thousands`] writes it, from the sync's 64-bit counters.
fn thousands(n: u64) -> String {
    crate::app::thousands(usize::try_from(n).unwrap_or(usize::MAX))
}

impl SyncView {
    /// People per second in this run (those of an earlier, resumed run not counted), once a
    /// second has passed.
    pub fn rate(&self, now: DateTime<Utc>) -> Option<f64> {
        let secs = (now - self.started).num_milliseconds() as f64 / 1000.0;
        let found = self.progress.people.saturating_sub(self.progress.resumed) as f64;
        (secs >= 1.0 && found > 0.0).then(|| found / secs)
    }

    /// The status bar's words: `sync 61,200 / ~150,000 · 1,900/s · 40 s left` (the parts not
    /// known yet left out).
    pub fn status_text(&self, now: DateTime<Utc>) -> String {
        let p = &self.progress;
        let mut text = format!("sync {}", thousands(p.people as u64));
        if let Some(estimate) = p.estimate {
            text.push_str(&format!(" / ~{}", thousands(estimate)));
        }
        if let Some(rate) = self.rate(now) {
            text.push_str(&format!(" · {}/s", thousands(rate.round() as u64)));
            // Past the estimate (the largest groups came first and held nearly everyone; the
            // small ones are still walked) the time left is not known: none is said, rather
            // than "0 s left" for a sync that goes on.
            if let Some(estimate) = p.estimate.filter(|&e| e > p.people as u64) {
                let left = (estimate - p.people as u64) as f64 / rate;
                text.push_str(&format!(" · {} left", duration_words(left)));
            }
        }
        text
    }
}

/// `40 s`, `12 min`, `2 h 5 min`.
fn duration_words(secs: f64) -> String {
    let secs = secs.ceil().max(0.0) as u64;
    match secs {
        0..=89 => format!("{secs} s"),
        90..=5399 => format!("{} min", (secs + 30) / 60),
        _ => format!("{} h {} min", secs / 3600, (secs % 3600) / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_line_says_count_estimate_rate_and_time_left() {
        let started = DateTime::from_timestamp(1_000_000, 0).unwrap();
        let view = SyncView {
            id: RequestId(1),
            started,
            progress: Progress {
                people: 61_200,
                resumed: 1_200,
                estimate: Some(150_000),
                ..Progress::default()
            },
        };
        assert_eq!(view.status_text(started), "sync 61,200 / ~150,000");
        let later = started + chrono::Duration::seconds(30);
        assert_eq!(
            view.status_text(later),
            "sync 61,200 / ~150,000 · 2,000/s · 45 s left"
        );
        let unknown = SyncView {
            progress: Progress {
                people: 999,
                ..Progress::default()
            },
            ..view
        };
        assert_eq!(unknown.status_text(later), "sync 999 · 33/s");
        let past = SyncView {
            progress: Progress {
                people: 150_300,
                resumed: 0,
                estimate: Some(150_000),
                ..Progress::default()
            },
            ..view
        };
        assert_eq!(past.status_text(later), "sync 150,300 / ~150,000 · 5,010/s");
    }
}
