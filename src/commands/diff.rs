//! `confdir groups diff USER USER`: the groups two people share and those only one of them is in
//! ("why can Bob see it and Alice can't?"), every page of both people's groups read.
//!
//! The diff is `app::compare::diff`, the TUI comparison's own. Output:
//! - human: a summary line with the three counts, then the three sections with their counts, one
//!   group name per line (cleaned of control characters);
//! - `--json`: one object, `{"first": User, "second": User, "shared": [Group], "only_first":
//!   [Group], "only_second": [Group]}`, the users and groups as the API returned them;
//! - `--csv`: a `group,groupId,side` header, then one row per group in the same order, `side`
//!   being `both`, `first` or `second`.
//!
//! USER is resolved as everywhere (`commands/resolve.rs`): an unknown one exits 4 and an
//! ambiguous name 2, before any groups are read.

use super::output::{clean, Format, Out};
use super::{resolve, Ctx, Failure};
use crate::api::model::{Group, User};
use crate::api::Paging;
use crate::app::compare::{diff, short_names, Diff};
use serde::Serialize;

/// Page size of `/user/memberof` (the API's default and the demo's cap); every page is read.
const PAGE: u32 = 200;

/// `--json`: the two users and the three sections.
#[derive(Serialize)]
struct DiffJson<'a> {
    first: &'a User,
    second: &'a User,
    shared: &'a [Group],
    only_first: &'a [Group],
    only_second: &'a [Group],
}

/// Runs `groups diff FIRST SECOND`.
pub async fn run(
    ctx: &Ctx,
    first: &str,
    second: &str,
    format: Format,
    out: &mut Out,
) -> Result<(), Failure> {
    let first = resolve::user(&ctx.client, first).await?;
    let second = resolve::user(&ctx.client, second).await?;
    let groups = |user: &User| {
        let id = user.account_id.clone().unwrap_or_default();
        ctx.client.group_memberships(&id, Paging::first(PAGE)).all()
    };
    let (a, b) = futures::try_join!(groups(&first), groups(&second))?;
    let d = diff(&a, &b);
    match format {
        // `groups diff` takes no `--jsonl`: its answer is one object, not a list.
        Format::Json | Format::Jsonl => out.json(&DiffJson {
            first: &first,
            second: &second,
            shared: &d.shared,
            only_first: &d.only_first,
            only_second: &d.only_second,
        }),
        Format::Csv => {
            let rows: Vec<Vec<String>> = d
                .rows()
                .map(|(section, g)| vec![g.name.clone(), g.id.clone(), section.side().into()])
                .collect();
            out.csv(&["group", "groupId", "side"], &rows);
        }
        Format::Human => human(out, &first, &second, &d),
    }
    Ok(())
}

/// The summary line and the three sections.
fn human(out: &mut Out, first: &User, second: &User, d: &Diff) {
    let (a, b) = (clean(first.name()), clean(second.name()));
    let (short_a, short_b) = short_names(&a, &b);
    out.line(format!(
        "{} ⇄ {}: shared {} · only {short_a} {} · only {short_b} {}",
        out.bold(&a),
        out.bold(&b),
        d.shared.len(),
        d.only_first.len(),
        d.only_second.len()
    ));
    let sections = [
        ("Shared".to_string(), &d.shared),
        (format!("Only {a}"), &d.only_first),
        (format!("Only {b}"), &d.only_second),
    ];
    for (heading, groups) in sections {
        out.line("");
        let heading = out.bold(&format!("{heading} ({})", groups.len()));
        out.line(heading);
        if groups.is_empty() {
            let none = out.dim("  (none)");
            out.line(none);
        }
        for g in groups {
            out.line(format!("  {}", clean(&g.name)));
        }
    }
}
