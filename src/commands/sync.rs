//! `confdir directory sync`: every person of the site into the directory cache the UI reads at
//! start (the engine is [`crate::directory_sync`], shared with the UI's `:sync`).
//!
//! Progress goes to stderr: a bar with the count, the rate and the time left when stderr is a
//! terminal (indicatif), otherwise one quiet line every [`QUIET_EVERY`] at most (a fast sync
//! prints only its summary). Rate-limit waits are said on stderr as for every command. Ctrl-C
//! stops at once and keeps the progress; the next run resumes ("resuming: 61,200 people so
//! far"), `--restart` starts over. The summary (people, new, updated, time, requests) goes to
//! stdout, as JSON with `--json`. Exit codes: those of the API error that stopped the sync, or
//! 130 after Ctrl-C, as shells report an interrupt.

use super::output::Out;
use super::progress::{self, Shown};
use super::{api_exit_code, Ctx, Failure, EXIT_API, EXIT_USAGE};
use crate::app::request::RequestId;
use crate::app::sync::SyncView;
use crate::app::thousands;
use crate::cli::{DirectoryCommand, DirectoryCommandArgs};
use crate::directory_sync::checkpoint::Checkpoint;
use crate::directory_sync::{Progress, Strategy, Sync, SyncError};
use crate::runtime::cache;
use chrono::Utc;
use serde::Serialize;
use std::time::{Duration, Instant};

/// Without a terminal, a progress line at most this often.
pub const QUIET_EVERY: Duration = Duration::from_secs(10);

/// Exit code after Ctrl-C (128 + SIGINT, as shells report it).
pub const EXIT_INTERRUPTED: i32 = 130;

/// What a finished sync did, as `--json` prints it.
#[derive(Debug, Serialize)]
pub struct Summary {
    /// People the sync found.
    pub people: usize,
    /// Of those, people the cache did not have.
    pub new: usize,
    /// Of those, people whose record changed.
    pub updated: usize,
    /// People in the cache now (those found before and not seen this time are kept).
    pub cached: usize,
    /// Requests sent, over every run of this sync.
    pub requests: u64,
    /// Wall time of this run, in seconds.
    pub seconds: f64,
    /// `search`, or `groups` when the site caps search and groups were read too.
    pub strategy: Strategy,
    /// People found by an earlier, interrupted run.
    pub resumed: usize,
    /// The cache file written.
    pub cache: String,
    /// People search returned before it ended or reached the site's cap (at most
    /// [`crate::directory_sync::SEARCH_DEPTH`] on Cloud).
    pub by_search: u64,
}

/// Runs `confdir directory sync`.
pub async fn run(ctx: &Ctx, args: &DirectoryCommandArgs, out: &mut Out) -> Result<(), Failure> {
    let DirectoryCommand::Sync(opts) = &args.command;
    let cache_path = ctx
        .cache_dir
        .as_ref()
        .map(|d| crate::runtime::cache::path_in(d))
        .ok_or_else(|| {
            Failure::new(
                EXIT_USAGE,
                "no cache folder: set XDG_CACHE_HOME or HOME so the directory can be kept",
            )
        })?;
    let checkpoint = Checkpoint::beside(&cache_path);
    let mut sync = Sync::open(ctx.client.clone(), Some(checkpoint), opts.restart)
        .map_err(|e| failure(&e, 0))?
        .with_search_depth(opts.search_depth);
    let began = Instant::now();
    if sync.resumed() > 0 {
        eprintln!(
            "confdir: resuming: {} people so far (--restart starts over)",
            thousands(sync.resumed())
        );
    }
    let mut report = Report::new(&sync.progress());
    let result = tokio::select! {
        r = sync.run(|p, _| report.page(p)) => r.map_err(|e| failure(&e, sync_people(&report))),
        _ = tokio::signal::ctrl_c() => Err(Failure::new(
            EXIT_INTERRUPTED,
            format!(
                "sync interrupted with {} people so far; run it again to resume",
                thousands(sync_people(&report))
            ),
        )),
    };
    report.finish();
    result?;
    let progress = sync.progress();
    let strategy = progress.strategy;
    let by_search = sync.search_reached();
    let people = sync.take_people();
    let found = people.len();
    let path = cache_path.clone();
    let merged = tokio::task::spawn_blocking(move || cache::merge(&path, people))
        .await
        .map_err(|e| Failure::new(EXIT_API, format!("saving the cache failed: {e}")))?
        .map_err(|e| Failure::new(EXIT_API, e))?;
    sync.forget();
    let summary = Summary {
        people: found,
        new: merged.new,
        updated: merged.updated,
        cached: merged.total,
        requests: progress.requests,
        seconds: (began.elapsed().as_secs_f64() * 10.0).round() / 10.0,
        strategy,
        resumed: progress.resumed,
        cache: cache_path.display().to_string(),
        by_search,
    };
    print_summary(out, &summary, opts.json);
    Ok(())
}

/// People found so far, as the last progress said.
fn sync_people(report: &Report) -> usize {
    report.people
}

fn failure(e: &SyncError, people: usize) -> Failure {
    let (code, what) = match e {
        SyncError::Api(e) => (api_exit_code(e), e.to_string()),
        SyncError::Files(e) => (EXIT_API, e.clone()),
        // Nothing of this run started: nothing to resume.
        SyncError::Busy(_) => return Failure::new(EXIT_API, super::output::clean(&e.to_string())),
    };
    Failure::new(
        code,
        super::output::clean(&format!(
            "sync stopped with {} people so far: {what}; run it again to resume",
            thousands(people)
        )),
    )
}

fn print_summary(out: &mut Out, s: &Summary, json: bool) {
    if json {
        out.json(s);
        return;
    }
    out.line(format!(
        "synced {} people ({} new, {} updated) in {:.1} s with {} requests; the cache holds {}",
        thousands(s.people),
        thousands(s.new),
        thousands(s.updated),
        s.seconds,
        thousands(s.requests as usize),
        thousands(s.cached),
    ));
    if s.strategy == Strategy::Groups {
        out.line(format!(
            "search on this site stopped at {} people: the other {} were found through its groups",
            thousands(s.by_search as usize),
            thousands(s.people.saturating_sub(s.by_search as usize)),
        ));
    }
}

/// Progress on stderr: a bar on a terminal, otherwise a quiet line now and then.
struct Report {
    bar: Shown,
    /// The words of the bar, as the UI's status line says them.
    view: SyncView,
    people: usize,
    began: Instant,
    last_line: Instant,
}

impl Report {
    fn new(start: &Progress) -> Report {
        // The words are the UI's status line (count / estimate, rate, time left), so the two
        // read alike; indicatif draws the bar and the spinner.
        let bar = progress::bar(start.estimate, "{spinner} [{bar:24}] {msg}");
        bar.set_position(start.people as u64);
        bar.enable_steady_tick(Duration::from_millis(250));
        let mut report = Report {
            bar,
            people: start.people,
            began: Instant::now(),
            last_line: Instant::now(),
            view: SyncView {
                id: RequestId(0),
                started: Utc::now(),
                progress: start.clone(),
            },
        };
        report.page(start);
        report
    }

    fn page(&mut self, p: &Progress) {
        self.people = p.people;
        self.view.progress = p.clone();
        if !self.bar.is_hidden() {
            let bar = &self.bar;
            if let Some(estimate) = p.estimate {
                bar.set_length(estimate);
            }
            bar.set_position(p.people as u64);
            let mut text = self.view.status_text(Utc::now());
            match p.groups {
                Some((done, all)) => text.push_str(&format!(" · groups {done}/{all}")),
                None => text.push_str(" · search"),
            }
            bar.set_message(text);
        } else if self.last_line.elapsed() >= QUIET_EVERY {
            self.last_line = Instant::now();
            let secs = self.began.elapsed().as_secs_f64().max(0.001);
            let rate = (p.people - p.resumed) as f64 / secs;
            let of = p
                .estimate
                .map(|e| format!(" of ~{}", thousands(e as usize)))
                .unwrap_or_default();
            progress::say(&format!(
                "confdir: sync: {}{of} people, {}/s",
                thousands(p.people),
                thousands(rate as usize)
            ));
        }
    }

    fn finish(&self) {
        self.bar.finish();
    }
}
