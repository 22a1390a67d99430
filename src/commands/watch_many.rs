//! `confdir watch status|add|remove KIND ID [ID…]` and `watch status space --all-spaces`: many
//! targets in one process, all asked at once (up to [`MANY_AT_ONCE`] requests in flight), so 40
//! spaces cost about one round trip instead of 40 processes.
//!
//! Each target succeeds or fails on its own: the table (or `--json` array, or `--csv`) has a row
//! per target in the order given, and a failed row says why. When some fail, stdout still holds
//! every row and the exit code is that of the failures (1, or 5 when a write's outcome is unknown,
//! 3 when the credentials were refused), with "N of M failed" on stderr; 0 only when all succeeded.
//! A target that does not exist fails with the watch API's 403 (Confluence answers 403, not 404,
//! for a missing or hidden target), so no separate lookup is spent on it.

use super::output::{clean, Format, Out};
use super::watch::Whose;
use super::{api_exit_code, Ctx, Failure, EXIT_AUTH, EXIT_OUTCOME_UNKNOWN, EXIT_USAGE};
use crate::api::{AdaptiveLimit, ApiError, Client, Paging, SpaceFilter, WatchTarget};
use crate::cli::{WatchAction, WatchArgs, WatchKind};
use futures::StreamExt;
use serde::Serialize;

/// Requests in flight at once for many targets, at most: enough that a screenful (or the 40
/// spaces of a typical site) goes out in one wave; an [`AdaptiveLimit`] halves it under pressure.
pub const MANY_AT_ONCE: usize = 64;

/// One target's outcome: `--json` gives an array of these.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TargetOutcome {
    /// `space`, `label` or `content`.
    pub kind: &'static str,
    /// The key, name or id, as given.
    pub id: String,
    /// Whose watch, when it is not yours.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// Watching after the command (None: unknown, see `error`).
    pub watching: Option<bool>,
    /// Why this target failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The exit code this row's failure calls for (not printed).
    #[serde(skip)]
    pub code: Option<i32>,
}

/// The targets named on the command line, or every space of the site with `--all-spaces`.
pub async fn targets(ctx: &Ctx, args: &WatchArgs) -> Result<Vec<WatchTarget>, Failure> {
    if args.all_spaces {
        if args.action != WatchAction::Status || args.kind != WatchKind::Space {
            return Err(Failure::new(
                EXIT_USAGE,
                "--all-spaces works with `watch status space` only",
            ));
        }
        let spaces = ctx
            .client
            .spaces(
                &SpaceFilter::default(),
                Paging::first(crate::api::space::V2_MAX_LIMIT),
            )
            .all()
            .await?;
        return Ok(spaces
            .into_iter()
            .map(|s| WatchTarget::Space(s.key))
            .collect());
    }
    let mut seen = std::collections::HashSet::new();
    Ok(args
        .targets
        .iter()
        .filter(|t| seen.insert(t.as_str()))
        .map(|t| target_of(args.kind, t))
        .collect())
}

/// A command-line argument as a target of `kind`.
pub fn target_of(kind: WatchKind, id: &str) -> WatchTarget {
    match kind {
        WatchKind::Space => WatchTarget::Space(id.to_string()),
        WatchKind::Label => WatchTarget::Label(id.to_string()),
        WatchKind::Content => WatchTarget::Content(id.to_string()),
    }
}

/// Reads or changes `user`'s watch of one target.
pub async fn apply(
    client: &Client,
    action: WatchAction,
    target: &WatchTarget,
    user: Option<&str>,
) -> Result<bool, ApiError> {
    match action {
        WatchAction::Status => client.watch_status(target, user).await,
        WatchAction::Add => client.add_watch(target, user).await.map(|_| true),
        WatchAction::Remove => client.remove_watch(target, user).await.map(|_| false),
    }
}

/// Runs `watch ACTION KIND ID…` for every target at once and prints one row per target.
pub async fn run(
    ctx: &Ctx,
    args: &WatchArgs,
    targets: Vec<WatchTarget>,
    user: Option<&Whose>,
    out: &mut Out,
) -> Result<(), Failure> {
    let account = user.map(|w| w.account_id.as_str());
    let client = &ctx.client;
    // All at once, halving on a 429 or `NearLimit` (the ceiling the TUI's statuses use).
    let limit = &AdaptiveLimit::new(MANY_AT_ONCE, MANY_AT_ONCE);
    let outcomes: Vec<TargetOutcome> = futures::stream::iter(targets)
        .map(|target| async move {
            let result = limit
                .within(client, apply(client, args.action, &target, account))
                .await;
            outcome(target, account, result)
        })
        .buffered(MANY_AT_ONCE)
        .collect()
        .await;
    let format = Format::of_list(&args.format);
    print(out, format, args, user, &outcomes);
    finish(&outcomes)
}

fn outcome(
    target: WatchTarget,
    account: Option<&str>,
    result: Result<bool, ApiError>,
) -> TargetOutcome {
    let (watching, error, code) = match result {
        Ok(w) => (Some(w), None, None),
        Err(e) => (None, Some(clean(&e.to_string())), Some(api_exit_code(&e))),
    };
    TargetOutcome {
        kind: target.kind(),
        id: target.id().to_string(),
        account_id: account.map(str::to_string),
        watching,
        error,
        code,
    }
}

/// The status column's words for one row.
fn status_words(action: WatchAction, o: &TargetOutcome) -> String {
    match (action, o.watching, &o.error) {
        (_, _, Some(e)) => format!("failed: {}", short_reason(e)),
        (WatchAction::Status, Some(true), _) => "watching".into(),
        (WatchAction::Status, _, _) => "not watching".into(),
        (WatchAction::Add, _, _) => "now watching".into(),
        (WatchAction::Remove, _, _) => "no longer watching".into(),
    }
}

/// The first sentence of an error (the endpoint and status), short enough for a table cell.
pub fn short_reason(error: &str) -> String {
    let first = error.split(". ").next().unwrap_or(error);
    crate::sanitize::fit(first, 100)
}

fn print(
    out: &mut Out,
    format: Format,
    args: &WatchArgs,
    user: Option<&Whose>,
    outcomes: &[TargetOutcome],
) {
    let kind = match args.kind {
        WatchKind::Space => "SPACE",
        WatchKind::Label => "LABEL",
        WatchKind::Content => "CONTENT",
    };
    if format == Format::Human {
        if let Some(who) = user {
            let line = out.dim(&format!("watches of {}", who.describe()));
            out.line(line);
        }
    }
    let empty = "no targets (the site has no spaces you can see)";
    if format == Format::Csv {
        let columns = [
            ("KIND", "kind"),
            ("ID", "id"),
            ("WATCHING", "watching"),
            ("ERROR", "error"),
        ];
        out.list(format, outcomes, &columns, csv_row, empty);
    } else {
        let columns = [(kind, "id"), ("STATUS", "status")];
        let row = |o: &TargetOutcome| vec![o.id.clone(), status_words(args.action, o)];
        out.list(format, outcomes, &columns, row, empty);
    }
}

/// A CSV row: `watching` is `true`, `false` or empty when the row failed.
fn csv_row(o: &TargetOutcome) -> Vec<String> {
    vec![
        o.kind.to_string(),
        o.id.clone(),
        o.watching.map(|w| w.to_string()).unwrap_or_default(),
        o.error.clone().unwrap_or_default(),
    ]
}

/// `Ok` when every row succeeded; else the failures' exit code and "N of M failed".
pub fn finish(outcomes: &[TargetOutcome]) -> Result<(), Failure> {
    let codes: Vec<i32> = outcomes.iter().filter_map(|o| o.code).collect();
    if codes.is_empty() {
        return Ok(());
    }
    Err(Failure::new(
        partial_code(&codes),
        format!("{} of {} failed", codes.len(), outcomes.len()),
    ))
}

/// The exit code for a run where these failures happened among successes: an unknown outcome
/// first (it needs checking), then refused credentials, else an API error.
pub fn partial_code(codes: &[i32]) -> i32 {
    [EXIT_OUTCOME_UNKNOWN, EXIT_AUTH]
        .into_iter()
        .find(|c| codes.contains(c))
        .unwrap_or(super::EXIT_API)
}
