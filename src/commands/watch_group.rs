//! `confdir watch status|add|remove KIND ID --group GROUP [--dry-run] [--yes]`: every member of
//! a group at once, for administrators.
//!
//! The order is fixed so that nothing is written by someone who may not, or before a person has
//! seen what will change:
//! 1. the caller must be a Confluence administrator: `GET /user/current?expand=operations` must
//!    include `administer` on `application` (or `site`), as `doctor` reads it (the contract's
//!    watch endpoints need the "Confluence Administrator" global permission to name another user).
//!    A site that sends no `operations` is judged by the first member's status instead: a 403
//!    for every member is the same refusal. Either way, nothing has been written;
//! 2. the target must exist: your own status of it is read (403 means missing or hidden);
//! 3. every member is fetched (all pages, the later ones in parallel) and each one's status read
//!    at once, so the plan can say "12 already watching, 31 to add";
//! 4. the plan is shown; `--dry-run` stops there; otherwise it asks y/N on a terminal, and needs
//!    `--yes` when stdin is not one;
//! 5. the writes go out [`GROUP_WRITES_AT_ONCE`] at a time with a progress bar on stderr (only
//!    when stderr is a terminal; a rate limit's wait is said there too, and sat out by the
//!    client); members already in the wanted state are never written, which is how a run that
//!    was stopped (Ctrl-C) or partly failed is resumed: run it again;
//! 6. the report: changed, already so, failed (each with why). A member whose status could not
//!    be read is counted as failed and not written.

use super::output::{clean, Format, Out};
use super::watch_many::{apply, short_reason, target_of, MANY_AT_ONCE};
use super::{api_exit_code, resolve, Ctx, Failure, EXIT_API, EXIT_USAGE};
use crate::api::model::User;
use crate::api::{AdaptiveLimit, ApiError, Client, UserExpand, WatchTarget};
use crate::cli::{WatchAction, WatchArgs};
use futures::StreamExt;
use serde::Serialize;
use std::io::IsTerminal;

/// Watch writes in flight at once for a group, at most (the TUI's bound too); halved on a 429 or
/// `NearLimit` (an [`AdaptiveLimit`]).
pub use crate::app::update::GROUP_WRITES_AT_ONCE;

/// One member's line of a report or a status list.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberRow {
    /// The member's account id.
    pub account_id: String,
    /// The member's display name.
    pub display_name: String,
    /// Watching (after the run, for a report), or `None` when unknown.
    pub watching: Option<bool>,
    /// `changed`, `already`, `failed` or `planned` (a report), or empty (a status list).
    #[serde(skip_serializing_if = "str::is_empty")]
    pub outcome: &'static str,
    /// Why the member failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The exit code the failure calls for (not printed).
    #[serde(skip)]
    pub code: Option<i32>,
}

/// `--json` of a group-wide add or remove: the plan (with `--dry-run`) or what was done.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupReport {
    /// The group as given.
    pub group: String,
    /// `space`, `label` or `content`.
    pub kind: &'static str,
    /// The key, name or id.
    pub id: String,
    /// `add` or `remove`.
    pub action: &'static str,
    /// Only the plan was made.
    pub dry_run: bool,
    /// Members of the group (with an account id).
    pub members: usize,
    /// Members written to (with `--dry-run`: to be written to).
    pub changed: Vec<MemberRow>,
    /// Members already in the wanted state (skipped).
    pub already: Vec<MemberRow>,
    /// Members that failed, each with why.
    pub failed: Vec<MemberRow>,
}

/// Runs `watch ACTION KIND ID --group GROUP`.
pub async fn run(ctx: &Ctx, args: &WatchArgs, out: &mut Out) -> Result<(), Failure> {
    let group = args.group.clone().unwrap_or_default();
    let [one] = args.targets.as_slice() else {
        return Err(Failure::new(
            EXIT_USAGE,
            "--group takes one space, label or page at a time",
        ));
    };
    let target = target_of(args.kind, one);
    let client = &ctx.client;
    ensure_admin(client).await?;
    check_target(client, &target).await?;
    let group_id = resolve::group_id(client, &group).await?;
    let members: Vec<(String, String)> = client
        .all_group_members(&group_id)
        .await?
        .iter()
        .filter_map(|u: &User| Some((u.account_id.clone()?, u.name().to_string())))
        .collect();
    let statuses = read_statuses(client, &target, &members).await;
    if !statuses.is_empty() && statuses.iter().all(|s| s.error_status == Some(403)) {
        return Err(not_admin());
    }
    let format = Format::of_list(&args.format);
    let what = format!("{} {}", target.kind(), clean(target.id()));
    if args.action == WatchAction::Status {
        print_statuses(out, format, &group, &what, &statuses);
        return finish_statuses(&statuses);
    }
    let wanted = args.action == WatchAction::Add;
    let mut report = plan(&group, &target, args, &statuses, wanted);
    let to_write: Vec<MemberRow> = std::mem::take(&mut report.changed);
    eprintln!("confdir: {}", plan_line(&report, &to_write, &what, wanted));
    if args.dry_run || to_write.is_empty() {
        report.changed = to_write;
        print_report(out, format, &report, &what);
        return finish_report(&report);
    }
    if !confirm(args, to_write.len(), &what, &group).await? {
        return Err(Failure::new(EXIT_USAGE, "nothing changed"));
    }
    let written = write_all(client, &target, wanted, to_write).await;
    for row in written {
        if row.error.is_some() {
            report.failed.push(row);
        } else {
            report.changed.push(row);
        }
    }
    print_report(out, format, &report, &what);
    finish_report(&report)
}

/// Refuses a caller whose `operations` do not include administering the site.
async fn ensure_admin(client: &Client) -> Result<(), Failure> {
    let me = client.current_user(&[UserExpand::Operations]).await?;
    // No operations sent: judged by the members' statuses instead.
    match me.administers_site() {
        Some(false) => Err(not_admin()),
        Some(true) | None => Ok(()),
    }
}

fn not_admin() -> Failure {
    Failure::new(
        EXIT_API,
        "only Confluence administrators can read or change the watches of a group's members, and \
         this account is not one on this site; nothing was changed",
    )
}

/// Your own status of the target: a 403 means it does not exist or is hidden from you.
async fn check_target(client: &Client, target: &WatchTarget) -> Result<(), Failure> {
    match client.watch_status(target, None).await {
        Ok(_) => Ok(()),
        Err(ApiError::Forbidden { .. }) => Err(Failure::new(
            EXIT_API,
            format!(
                "no {} {} that you can see on this site; nothing was changed",
                target.kind(),
                clean(target.id())
            ),
        )),
        Err(e) => Err(e.into()),
    }
}

/// A member's status, as read before any write.
struct Status {
    account_id: String,
    name: String,
    watching: Result<bool, String>,
    error_status: Option<u16>,
    code: Option<i32>,
}

impl Status {
    fn row(&self, outcome: &'static str) -> MemberRow {
        MemberRow {
            account_id: self.account_id.clone(),
            display_name: self.name.clone(),
            watching: self.watching.as_ref().ok().copied(),
            outcome,
            error: self.watching.as_ref().err().cloned(),
            code: self.code,
        }
    }
}

/// Every member's status of `target`, all asked at once, in the group's order.
async fn read_statuses(
    client: &Client,
    target: &WatchTarget,
    members: &[(String, String)],
) -> Vec<Status> {
    let limit = &AdaptiveLimit::new(MANY_AT_ONCE, MANY_AT_ONCE);
    futures::stream::iter(members)
        .map(|(id, name)| async move {
            let result = limit
                .within(client, client.watch_status(target, Some(id)))
                .await;
            Status {
                account_id: id.clone(),
                name: name.clone(),
                error_status: result.as_ref().err().and_then(ApiError::status),
                code: result.as_ref().err().map(api_exit_code),
                watching: result.map_err(|e| clean(&e.to_string())),
            }
        })
        .buffered(MANY_AT_ONCE)
        .collect()
        .await
}

/// Sorts the members into already so, to change (in `changed`, until written) and unreadable.
fn plan(
    group: &str,
    target: &WatchTarget,
    args: &WatchArgs,
    statuses: &[Status],
    wanted: bool,
) -> GroupReport {
    let mut report = GroupReport {
        group: group.to_string(),
        kind: target.kind(),
        id: target.id().to_string(),
        action: if wanted { "add" } else { "remove" },
        dry_run: args.dry_run,
        members: statuses.len(),
        changed: Vec::new(),
        already: Vec::new(),
        failed: Vec::new(),
    };
    for s in statuses {
        match &s.watching {
            Ok(w) if *w == wanted => report.already.push(s.row("already")),
            Ok(_) => report.changed.push(s.row("planned")),
            Err(_) => report.failed.push(s.row("failed")),
        }
    }
    report
}

/// "team-platform: 43 members; 12 already watching space PLAT, 31 to add, 0 unreadable".
fn plan_line(report: &GroupReport, to_write: &[MemberRow], what: &str, wanted: bool) -> String {
    format!(
        "{}: {} members; {} already {} {what}, {} to {}{}",
        clean(&report.group),
        report.members,
        report.already.len(),
        if wanted { "watching" } else { "not watching" },
        to_write.len(),
        if wanted { "add" } else { "remove" },
        match report.failed.len() {
            0 => String::new(),
            n => format!(", {n} whose status could not be read"),
        }
    )
}

/// Asks y/N on a terminal; without one, `--yes` is the answer (and its absence a usage error).
async fn confirm(args: &WatchArgs, count: usize, what: &str, group: &str) -> Result<bool, Failure> {
    if args.yes {
        return Ok(true);
    }
    if !std::io::stdin().is_terminal() {
        return Err(Failure::new(
            EXIT_USAGE,
            "stdin is not a terminal: add --yes to make these changes (or --dry-run to see them only); nothing was changed",
        ));
    }
    let verb = if args.action == WatchAction::Add {
        "Add"
    } else {
        "Remove"
    };
    eprint!(
        "{verb} {count} watches of {what} for members of {}? [y/N] ",
        clean(group)
    );
    let answer = tokio::task::spawn_blocking(|| {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).map(|_| line)
    })
    .await
    .ok()
    .and_then(Result::ok)
    .unwrap_or_default();
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes"))
}

/// Writes every planned member's watch, a few at a time, with a progress bar on a terminal.
async fn write_all(
    client: &Client,
    target: &WatchTarget,
    wanted: bool,
    rows: Vec<MemberRow>,
) -> Vec<MemberRow> {
    let bar = super::progress::bar(
        Some(rows.len() as u64),
        "{bar:30} {pos}/{len} written {msg} ({eta} left)",
    );
    let waits = show_waits(client, indicatif::ProgressBar::clone(&bar));
    let bar_ref = &bar;
    // At most GROUP_WRITES_AT_ONCE, halved on a 429 or `NearLimit` and grown back when calm.
    let limit = &AdaptiveLimit::new(GROUP_WRITES_AT_ONCE, GROUP_WRITES_AT_ONCE);
    let done = futures::stream::iter(rows)
        .map(|mut row| async move {
            let action = if wanted {
                WatchAction::Add
            } else {
                WatchAction::Remove
            };
            let write = apply(client, action, target, Some(&row.account_id));
            match limit.within(client, write).await {
                Ok(_) => {
                    row.watching = Some(wanted);
                    row.outcome = "changed";
                }
                Err(e) => {
                    row.outcome = "failed";
                    row.error = Some(clean(&e.to_string()));
                    row.code = Some(api_exit_code(&e));
                }
            }
            bar_ref.inc(1);
            row
        })
        .buffer_unordered(GROUP_WRITES_AT_ONCE)
        .collect()
        .await;
    waits.abort();
    bar.finish();
    done
}

/// Shows the client's rate-limit waits in the progress bar's message while it runs.
fn show_waits(client: &Client, bar: indicatif::ProgressBar) -> tokio::task::JoinHandle<()> {
    let mut waits = client.waits();
    tokio::spawn(async move {
        while waits.changed().await.is_ok() {
            let now = std::time::Instant::now();
            let message = waits
                .borrow_and_update()
                .iter()
                .filter(|w| w.kind == crate::api::WaitKind::RateLimited)
                .map(|w| w.until.saturating_duration_since(now).as_secs())
                .max()
                .map(|s| format!("· rate limited: waiting {s} s"))
                .unwrap_or_default();
            bar.set_message(message);
        }
    })
}

fn print_report(out: &mut Out, format: Format, report: &GroupReport, what: &str) {
    match format {
        Format::Json => out.json(report),
        Format::Jsonl => out.json_line(report),
        Format::Csv => {
            let rows: Vec<Vec<String>> = [&report.changed, &report.already, &report.failed]
                .into_iter()
                .flatten()
                .map(|r| {
                    vec![
                        r.account_id.clone(),
                        r.outcome.to_string(),
                        r.display_name.clone(),
                        r.error.clone().unwrap_or_default(),
                    ]
                })
                .collect();
            out.csv(&["accountId", "outcome", "displayName", "error"], &rows);
        }
        Format::Human => {
            let verb = match (report.dry_run, report.action) {
                (true, "add") => "would start watching",
                (true, _) => "would stop watching",
                (false, "add") => "now watching",
                (false, _) => "stopped watching",
            };
            out.line(format!(
                "{} of {} members of {}: {} {verb} {what}, {} already {}, {} failed",
                report.changed.len() + report.already.len(),
                report.members,
                clean(&report.group),
                report.changed.len(),
                report.already.len(),
                if report.action == "add" {
                    "watching"
                } else {
                    "not watching"
                },
                report.failed.len()
            ));
            if !report.failed.is_empty() {
                let rows: Vec<Vec<String>> = report
                    .failed
                    .iter()
                    .map(|r| {
                        let why = r.error.as_deref().map(short_reason).unwrap_or_default();
                        vec![r.display_name.clone(), r.account_id.clone(), why]
                    })
                    .collect();
                out.table(&["FAILED", "ACCOUNT ID", "WHY"], &rows);
            }
        }
    }
}

fn finish_report(report: &GroupReport) -> Result<(), Failure> {
    if report.failed.is_empty() {
        return Ok(());
    }
    let codes: Vec<i32> = report.failed.iter().filter_map(|r| r.code).collect();
    Err(Failure::new(
        super::watch_many::partial_code(&codes),
        format!(
            "{} of {} members failed; run the same command again to retry them (members already done are skipped)",
            report.failed.len(),
            report.members
        ),
    ))
}

fn print_statuses(out: &mut Out, format: Format, group: &str, what: &str, statuses: &[Status]) {
    let rows: Vec<MemberRow> = statuses.iter().map(|s| s.row("")).collect();
    if format == Format::Human {
        let watching = rows.iter().filter(|r| r.watching == Some(true)).count();
        out.line(format!(
            "{watching} of {} members of {} watch {what}",
            rows.len(),
            clean(group)
        ));
    }
    if format == Format::Csv {
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                vec![
                    r.account_id.clone(),
                    r.watching.map(|w| w.to_string()).unwrap_or_default(),
                    r.display_name.clone(),
                    r.error.clone().unwrap_or_default(),
                ]
            })
            .collect();
        out.csv(&["accountId", "watching", "displayName", "error"], &rows);
        return;
    }
    let columns = [
        ("NAME", "displayName"),
        ("ACCOUNT ID", "accountId"),
        ("STATUS", "watching"),
    ];
    out.list(
        format,
        &rows,
        &columns,
        |r| {
            let status = match (r.watching, &r.error) {
                (Some(true), _) => "watching".into(),
                (Some(false), _) => "not watching".into(),
                (None, e) => format!("failed: {}", short_reason(e.as_deref().unwrap_or(""))),
            };
            vec![r.display_name.clone(), r.account_id.clone(), status]
        },
        "the group has no members",
    );
}

fn finish_statuses(statuses: &[Status]) -> Result<(), Failure> {
    let codes: Vec<i32> = statuses.iter().filter_map(|s| s.code).collect();
    if codes.is_empty() {
        return Ok(());
    }
    Err(Failure::new(
        super::watch_many::partial_code(&codes),
        format!(
            "{} of {} statuses could not be read",
            codes.len(),
            statuses.len()
        ),
    ))
}
