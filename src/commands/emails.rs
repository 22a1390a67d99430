//! `confdir groups emails GROUP`: the email addresses of a group's members, for administrators.
//!
//! Order of work: who am I (`/user/current?expand=operations`) — a non-administrator is refused
//! before anything else is sent; the group (id or exact name); every member page; then the bulk
//! email endpoint, 100 account ids a request. A member the site leaves out of the bulk answer is
//! printed, marked hidden, never dropped; the human output ends with "143 emails, 5 hidden".
//!
//! Exit codes: a non-administrator gets 1 (a refusal is not a credentials problem, so not 3); a
//! site whose email API answers 400 (caller not approved) or 501 (not enabled) gets 1 with a
//! sentence saying so; an unknown group 4.

use super::output::{clean, Format, Out};
use super::{resolve, Ctx, Failure, EXIT_API};
use crate::api::email::{email_api_refusal, is_administrator, MemberEmail, NOT_ADMINISTRATOR};
use crate::api::UserExpand;

/// Runs `groups emails GROUP`.
pub async fn run(ctx: &Ctx, group: &str, format: Format, out: &mut Out) -> Result<(), Failure> {
    let me = ctx.client.current_user(&[UserExpand::Operations]).await?;
    if !is_administrator(&me) {
        return Err(Failure::new(EXIT_API, NOT_ADMINISTRATOR));
    }
    let id = resolve::group_id(&ctx.client, group).await?;
    let rows =
        ctx.client
            .group_emails(&id, |_, _| {})
            .await
            .map_err(|e| match email_api_refusal(&e) {
                Some(sentence) => Failure::new(EXIT_API, clean(&sentence)),
                None => e.into(),
            })?;
    print(out, &rows, format);
    Ok(())
}

/// The count line: `143 emails, 5 hidden`.
pub fn summary(rows: &[MemberEmail]) -> String {
    let hidden = rows.iter().filter(|r| r.hidden).count();
    format!("{} emails, {hidden} hidden", rows.len() - hidden)
}

/// Prints the rows: a table with a count line, CSV (`accountId,displayName,email,hidden`), a
/// JSON array (`email` null where hidden), or one JSON object a line.
fn print(out: &mut Out, rows: &[MemberEmail], format: Format) {
    match format {
        Format::Json => out.json(rows),
        Format::Jsonl => {
            for row in rows {
                out.json_line(row);
            }
        }
        Format::Csv => {
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    vec![
                        r.account_id.clone(),
                        r.display_name.clone(),
                        r.email.clone().unwrap_or_default(),
                        r.hidden.to_string(),
                    ]
                })
                .collect();
            out.csv(&["accountId", "displayName", "email", "hidden"], &cells);
        }
        Format::Human if rows.is_empty() => {
            let note = out.dim("no members");
            out.line(note);
        }
        Format::Human => {
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    vec![
                        r.display_name.clone(),
                        r.account_id.clone(),
                        r.email.clone().unwrap_or_else(|| "hidden".into()),
                    ]
                })
                .collect();
            out.table(&["NAME", "ACCOUNT ID", "EMAIL"], &cells);
            let note = out.dim(&summary(rows));
            out.line(note);
        }
    }
}
