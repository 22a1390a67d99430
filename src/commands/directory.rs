//! The directory commands: one per API operation (users, groups, watches, properties, spaces).
//!
//! `--json` prints the API's own objects (lists as one JSON array, every page merged, single
//! objects as they came), so scripts see a stable shape whatever the human output looks like;
//! `--jsonl` the same objects one per line. Human output is a table or a short block; `--csv`
//! gives fixed columns per kind of list. A list read whole (`--all`) is printed page by page as
//! the pages arrive ([`ListStream`]), in pages as large as the endpoint serves.

use super::output::{clean, Format, ListStream, Out};
use super::{resolve, Ctx, Failure, EXIT_NOT_FOUND, EXIT_USAGE};
use crate::api::model::Page;
use crate::api::model::{AccountIdEmailRecord, Group, PropertyKey, Space, User};
use crate::api::{
    fullname_cql, AdaptiveLimit, ApiError, Paging, SitePermissionFilter, SpaceFilter,
    PROPERTY_LIST_MAX,
};
use crate::cli::{Cli, Command, GroupsCommand, PropsCommand, UsersCommand};
use crate::config::Credentials;
use futures::stream::{BoxStream, StreamExt};
use serde::Serialize;
use serde_json::Value;

/// Page size for lists that are always read whole (memberships, groups, property keys).
const WHOLE_LIST_PAGE: u32 = 200;
/// The largest page of user search with `--all`: CQL search serves up to 1,000 results a page
/// when nothing is expanded (Atlassian KB "Searching for content with the REST API and CQL always
/// limits results to 50"; the demo caps `limit` the same way).
const SEARCH_PAGE_MAX: u32 = 1000;

/// Runs a directory command.
pub async fn run(cli: &Cli, command: &Command, out: &mut Out) -> Result<(), Failure> {
    let credentials = if matches!(command, Command::Anonymous(_)) {
        Credentials::Optional
    } else {
        Credentials::Required
    };
    let ctx = Ctx::new(cli, credentials).await?;
    let result = dispatch(&ctx, command, out).await;
    ctx.finish().await;
    result
}

async fn dispatch(ctx: &Ctx, command: &Command, out: &mut Out) -> Result<(), Failure> {
    match command {
        Command::Whoami(args) => {
            let user = ctx.client.current_user(&[]).await?;
            print_user(out, &user, args.json);
        }
        Command::Anonymous(args) => {
            let anon = ctx.client.anonymous_user(false).await?;
            if args.json {
                out.json(&anon);
            } else {
                out.line(format!(
                    "{} {}",
                    out.bold(&clean(&anon.display_name)),
                    out.dim(&format!("({})", clean(&anon.kind)))
                ));
            }
        }
        Command::Users(args) => users(ctx, &args.command, out).await?,
        Command::Groups(args) => groups(ctx, &args.command, out).await?,
        Command::Watch(args) => super::watch::run(ctx, args, out).await?,
        Command::Props(args) => props(ctx, &args.command, out).await?,
        Command::Spaces(args) => {
            let format = Format::of_list(&args.format);
            let columns = [
                ("KEY", "key"),
                ("NAME", "name"),
                ("TYPE", "type"),
                ("STATUS", "status"),
            ];
            let row = |s: &Space| {
                vec![
                    s.key.clone(),
                    s.name.clone(),
                    s.kind.clone().unwrap_or_default(),
                    s.status.clone().unwrap_or_default(),
                ]
            };
            if args.all {
                let pages = ctx.client.spaces(
                    &SpaceFilter::default(),
                    Paging::first(args.limit.max(crate::api::space::V2_MAX_LIMIT)),
                );
                let (header, csv_header) = split(&columns);
                let list = ListStream::new(format, &header, &csv_header, "no spaces");
                stream_list(out, list, pages.pages(), |p| p.results, row, row).await?;
            } else {
                let paged = ctx
                    .client
                    .spaces(&SpaceFilter::default(), Paging::first(args.limit));
                let spaces = paged.first().await?.results;
                out.list(format, &spaces, &columns, row, "no spaces");
            }
        }
        Command::Directory(args) => super::sync::run(ctx, args, out).await?,
        _ => return Err(Failure::new(EXIT_USAGE, "not a directory command")),
    }
    Ok(())
}

async fn users(ctx: &Ctx, cmd: &UsersCommand, out: &mut Out) -> Result<(), Failure> {
    match cmd {
        UsersCommand::Search {
            query,
            cql,
            limit,
            all,
            format,
        } => {
            let cql = if *cql {
                query.clone()
            } else {
                fullname_cql(query)
            };
            let format = Format::of_list(format);
            let page = if *all {
                (*limit).max(SEARCH_PAGE_MAX)
            } else {
                *limit
            };
            let paged = ctx.client.search_users(
                &cql,
                Paging::first(page),
                // Guests too, as in the UI (Cloud's default, `none`, leaves them out).
                SitePermissionFilter::All,
                &[],
            );
            if *all {
                let users = |p: Page<crate::api::model::SearchResult>| {
                    p.results.into_iter().filter_map(|r| r.user).collect()
                };
                stream_users(out, format, paged.pages(), users).await?;
            } else {
                let results = paged.first().await?.results;
                let users: Vec<User> = results.into_iter().filter_map(|r| r.user).collect();
                print_users(out, &users, format);
            }
        }
        UsersCommand::Show { user, format } => {
            let user = resolve::user(&ctx.client, user).await?;
            print_user(out, &user, format.json);
        }
        UsersCommand::Bulk { ids, format } => {
            let found = ctx.client.bulk_lookup(ids, &[]).await?;
            print_users(out, &found.users, Format::of_list(format));
            if !found.missing.is_empty() {
                // The users found are printed; the ones the site does not know are named, and the
                // exit code says the list is not whole.
                let names: Vec<String> = found.missing.iter().map(|id| clean(id)).collect();
                return Err(Failure::new(
                    EXIT_NOT_FOUND,
                    format!(
                        "{} of {} accounts not found: {}",
                        names.len(),
                        found.users.len() + names.len(),
                        names.join(", ")
                    ),
                ));
            }
        }
        UsersCommand::Email { ids, format } => {
            let records = if let [one] = ids.as_slice() {
                vec![ctx.client.user_email(one).await?]
            } else {
                ctx.client.user_emails(ids).await?
            };
            out.list(
                Format::of_list(format),
                &records,
                &[("ACCOUNT ID", "accountId"), ("EMAIL", "email")],
                |r: &AccountIdEmailRecord| vec![r.account_id.clone(), r.email.clone()],
                "no addresses (the site left these accounts out)",
            );
        }
    }
    Ok(())
}

async fn groups(ctx: &Ctx, cmd: &GroupsCommand, out: &mut Out) -> Result<(), Failure> {
    let group_rows = |g: &Group| vec![g.name.clone(), g.id.clone()];
    match cmd {
        GroupsCommand::Of { user, format } => {
            let id = resolve::user_id(&ctx.client, user).await?;
            let groups = ctx
                .client
                .group_memberships(&id, Paging::first(WHOLE_LIST_PAGE))
                .all()
                .await?;
            out.list(
                Format::of_list(format),
                &groups,
                &[("NAME", "name"), ("ID", "id")],
                group_rows,
                "in no groups",
            );
        }
        GroupsCommand::Members { group, all, format } => {
            let id = resolve::group_id(&ctx.client, group).await?;
            let format = Format::of_list(format);
            if *all {
                let limit = AdaptiveLimit::default();
                let pages = ctx.client.group_members_pages(&id, &limit);
                stream_users(out, format, pages, |p| p.results).await?;
            } else {
                let members = ctx
                    .client
                    .group_members(&id, Paging::first(WHOLE_LIST_PAGE), &[])
                    .first()
                    .await?
                    .results;
                print_users(out, &members, format);
            }
        }
        GroupsCommand::List { filter, format } => {
            let paging = Paging::first(WHOLE_LIST_PAGE);
            let groups = match filter {
                Some(text) => ctx.client.search_groups(text, paging).all().await?,
                None => ctx.client.groups(paging, None).all().await?,
            };
            out.list(
                Format::of_list(format),
                &groups,
                &[("NAME", "name"), ("ID", "id")],
                group_rows,
                "no groups",
            );
        }
        GroupsCommand::Diff {
            first,
            second,
            json,
            csv,
        } => {
            let format = Format::from_flags(*json, *csv);
            super::diff::run(ctx, first, second, format, out).await?
        }
        GroupsCommand::Emails { group, format } => {
            super::emails::run(ctx, group, Format::of_list(format), out).await?
        }
    }
    Ok(())
}

async fn props(ctx: &Ctx, cmd: &PropsCommand, out: &mut Out) -> Result<(), Failure> {
    match cmd {
        PropsCommand::List { user, format } => {
            let id = resolve::user_id(&ctx.client, user).await?;
            let keys = ctx
                .client
                .user_properties(&id, Paging::first(PROPERTY_LIST_MAX))
                .all()
                .await?;
            out.list(
                Format::of_list(format),
                &keys,
                &[("KEY", "key")],
                |k: &PropertyKey| vec![k.key.clone()],
                "no properties",
            );
        }
        PropsCommand::Get { user, key, format } => {
            let id = resolve::user_id(&ctx.client, user).await?;
            let prop = ctx.client.user_property(&id, key).await?;
            if format.json {
                out.json(&prop);
            } else {
                out.json(&prop.value);
            }
        }
        PropsCommand::Set {
            user,
            key,
            value,
            format,
        } => {
            let value: Value = serde_json::from_str(value)
                .map_err(|e| Failure::new(EXIT_USAGE, format!("JSON is not valid JSON: {e}")))?;
            let id = resolve::user_id(&ctx.client, user).await?;
            let created = match ctx.client.create_user_property(&id, key, &value).await {
                Ok(_) => true,
                Err(ApiError::Conflict { .. }) => {
                    ctx.client.update_user_property(&id, key, &value).await?;
                    false
                }
                Err(e) => return Err(e.into()),
            };
            let action = if created { "created" } else { "updated" };
            if format.json {
                out.json(&PropChange {
                    account_id: &id,
                    key,
                    action,
                    value: Some(&value),
                });
            } else {
                out.line(format!("{action} property {} of {id}", clean(key)));
            }
        }
        PropsCommand::Delete { user, key, format } => {
            let id = resolve::user_id(&ctx.client, user).await?;
            ctx.client.delete_user_property(&id, key).await?;
            if format.json {
                out.json(&PropChange {
                    account_id: &id,
                    key,
                    action: "deleted",
                    value: None,
                });
            } else {
                out.line(format!("deleted property {} of {id}", clean(key)));
            }
        }
    }
    Ok(())
}

/// `--json` of `props set`/`props delete`: the API answers with no body, so say what happened.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PropChange<'a> {
    account_id: &'a str,
    key: &'a str,
    action: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<&'a Value>,
}

fn user_row(u: &User) -> Vec<String> {
    vec![
        u.name().to_string(),
        u.account_id.clone().unwrap_or_default(),
        match u.email.as_deref() {
            Some(e) => e.to_string(),
            None => String::new(),
        },
        kind_tags(u),
    ]
}

fn kind_tags(u: &User) -> String {
    let mut tags = Vec::new();
    if u.is_app() {
        tags.push("app");
    }
    if u.is_guest() {
        tags.push("guest");
    }
    tags.join(",")
}

/// The table columns of a list of people (header, API field).
const USER_COLUMNS: [(&str, &str); 4] = [
    ("NAME", "displayName"),
    ("ACCOUNT ID", "accountId"),
    ("EMAIL", "email"),
    ("KIND", "kind"),
];

/// The CSV columns of a list of people: the API's field names (the TUI's exports use the same).
const USER_CSV: [&str; 7] = crate::app::export::PEOPLE_COLUMNS;

fn user_csv_row(u: &User) -> Vec<String> {
    crate::app::export::person_cells(u.account_id.as_deref().unwrap_or_default(), Some(u))
}

fn print_users(out: &mut Out, users: &[User], format: Format) {
    if format == Format::Csv {
        let rows: Vec<Vec<String>> = users.iter().map(user_csv_row).collect();
        out.csv(&USER_CSV, &rows);
        return;
    }
    out.list(format, users, &USER_COLUMNS, user_row, "no users");
}

/// People read page by page, printed as each page arrives (as [`print_users`] prints them).
async fn stream_users<P>(
    out: &mut Out,
    format: Format,
    pages: BoxStream<'static, Result<Page<P>, ApiError>>,
    users: impl Fn(Page<P>) -> Vec<User>,
) -> Result<(), Failure> {
    let (header, _) = split(&USER_COLUMNS);
    let list = ListStream::new(format, &header, &USER_CSV, "no users");
    stream_list(out, list, pages, users, user_row, user_csv_row).await
}

/// Prints each page of `pages` as it arrives; a failed page ends the list (closed, so JSON stays
/// valid) and fails the command. Stops early when stdout is closed (`| head`).
async fn stream_list<P, T: Serialize>(
    out: &mut Out,
    mut list: ListStream<'_>,
    mut pages: BoxStream<'static, Result<Page<P>, ApiError>>,
    items: impl Fn(Page<P>) -> Vec<T>,
    human: impl Fn(&T) -> Vec<String>,
    csv: impl Fn(&T) -> Vec<String>,
) -> Result<(), Failure> {
    let mut failed = None;
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => list.page(out, &items(page), &human, &csv),
            Err(e) => {
                failed = Some(e);
                break;
            }
        }
        if out.is_closed() {
            break;
        }
    }
    list.finish(out);
    match failed {
        Some(e) => Err(e.into()),
        None => Ok(()),
    }
}

/// A list's table headers and CSV headers, from its columns.
fn split<'a>(columns: &[(&'a str, &'a str)]) -> (Vec<&'a str>, Vec<&'a str>) {
    columns.iter().map(|&(h, c)| (h, c)).unzip()
}

fn print_user(out: &mut Out, user: &User, json: bool) {
    if json {
        out.json(user);
        return;
    }
    let name = out.bold(&clean(user.name()));
    out.line(name);
    let mut rows: Vec<(&str, String)> = Vec::new();
    if let Some(id) = &user.account_id {
        rows.push(("account id", clean(id)));
    }
    if let Some(p) = user.public_name.as_deref().filter(|p| !p.is_empty()) {
        rows.push(("public name", clean(p)));
    }
    rows.push((
        "email",
        match user.email.as_deref() {
            Some("") => out.dim("(hidden by privacy settings)"),
            Some(e) => clean(e),
            None => out.dim("(not sent)"),
        },
    ));
    rows.push((
        "time zone",
        match user.time_zone.as_deref() {
            Some(tz) if !tz.is_empty() => clean(tz),
            _ => out.dim("(hidden or unset)"),
        },
    ));
    let mut kind = user.account_type.clone().unwrap_or_default();
    if user.is_guest() {
        kind.push_str(if kind.is_empty() { "guest" } else { ", guest" });
    }
    if !kind.is_empty() {
        rows.push(("type", clean(&kind)));
    }
    if let Some(status) = &user.account_status {
        rows.push(("status", clean(status)));
    }
    for (label, value) in rows {
        out.line(format!("  {label:<12} {value}"));
    }
}
