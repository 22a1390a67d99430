//! `confdir watch status|add|remove (space KEY | label NAME | content ID | page ID) [--user USER]`.
//!
//! The TUI's vocabulary works here too: `page` is accepted wherever `content` is (the API's
//! name for a page or blog post). A space key that is not on the site, but is one the site has in
//! another case or one letter off (Damerau–Levenshtein distance 1, from `strsim`), gets "did you
//! mean ENG?". With `--user`, the answer names the person as well as the account id, so an
//! administrator sees whose watch was read or changed.

use super::output::{clean, Out};
use super::{resolve, Ctx, Failure, EXIT_NOT_FOUND};
use crate::api::model::User;
use crate::api::{ApiError, Paging, SpaceFilter, WatchTarget};
use crate::cli::{WatchAction, WatchArgs};
use serde::Serialize;

/// Spaces per page when the site's keys are read for a suggestion.
const SPACE_PAGE: u32 = 250;

/// Runs `watch`: one target as before (a sentence, or one JSON object), several (or
/// `--all-spaces`) at once as a table (`watch_many`), every member of a group with `--group`
/// (`watch_group`).
pub async fn run(ctx: &Ctx, args: &WatchArgs, out: &mut Out) -> Result<(), Failure> {
    if args.group.is_some() {
        return super::watch_group::run(ctx, args, out).await;
    }
    let user = match &args.user {
        Some(u) => Some(whose(ctx, u).await?),
        None => None,
    };
    let target = match args.targets.as_slice() {
        [one] if !args.all_spaces && !args.format.csv => {
            super::watch_many::target_of(args.kind, one)
        }
        _ => {
            let targets = super::watch_many::targets(ctx, args).await?;
            return super::watch_many::run(ctx, args, targets, user.as_ref(), out).await;
        }
    };
    let account = user.as_ref().map(|w| w.account_id.as_str());
    if let (WatchAction::Status, WatchTarget::Space(key)) = (args.action, &target) {
        // A status of a space that does not exist would read as "not watching": look the key up
        // first (v2 `keys=` or v1 `spaceKey=`, whichever the site offers).
        if ctx.client.space_by_key(key).await?.is_none() {
            let mut failure = Failure::new(
                EXIT_NOT_FOUND,
                format!(
                    "no space with key {} on this site (or it is hidden from you)",
                    clean(key)
                ),
            );
            if let Some(hint) = did_you_mean(ctx, key).await {
                failure.message = format!("{}; {hint}", failure.message);
            }
            return Err(failure);
        }
    }
    let watching = match args.action {
        WatchAction::Status => ctx.client.watch_status(&target, account).await,
        WatchAction::Add => ctx.client.add_watch(&target, account).await.map(|_| true),
        WatchAction::Remove => ctx
            .client
            .remove_watch(&target, account)
            .await
            .map(|_| false),
    };
    let watching = match (watching, &target) {
        (Ok(watching), _) => watching,
        // Watches answer 403 for a target that does not exist: a mistyped key is the likely
        // cause, so suggest the key the site has (the exit code stays the API error's).
        (Err(e @ ApiError::Forbidden { .. }), WatchTarget::Space(key)) => {
            let mut failure = Failure::from(e);
            if let Some(hint) = did_you_mean(ctx, key).await {
                failure
                    .details
                    .push(format!("No space has key {}: {hint}", clean(key)));
            }
            return Err(failure);
        }
        (Err(e), _) => return Err(e.into()),
    };
    print_watch(
        out,
        &target,
        user.as_ref(),
        args.action,
        watching,
        args.format.json,
    );
    Ok(())
}

/// Whose watch: the account id, and the person's name when the site tells it.
pub struct Whose {
    /// The account id sent as `accountId`.
    pub account_id: String,
    /// The person's display name, when the site told it.
    pub name: Option<String>,
}

impl Whose {
    /// "Ada Lovelace (5b10…)", or the account id alone.
    pub fn describe(&self) -> String {
        match &self.name {
            Some(name) => format!("{} ({})", clean(name), self.account_id),
            None => self.account_id.clone(),
        }
    }
}

/// Resolves `--user`: a name or `me` through the usual lookup; an account id as given, with the
/// person's name looked up for the answer (an id the site does not know is still sent as is,
/// for the watch API to judge).
async fn whose(ctx: &Ctx, input: &str) -> Result<Whose, Failure> {
    if resolve::looks_like_account_id(input.trim()) {
        let name = ctx
            .client
            .user(input.trim(), &[])
            .await
            .ok()
            .map(|u: User| u.name().to_string());
        return Ok(Whose {
            account_id: input.trim().to_string(),
            name,
        });
    }
    let user = resolve::user(&ctx.client, input).await?;
    let account_id = user.account_id.clone().ok_or_else(|| {
        Failure::new(
            EXIT_NOT_FOUND,
            format!("`{}` has no account id", clean(input)),
        )
    })?;
    Ok(Whose {
        account_id,
        name: Some(user.name().to_string()),
    })
}

/// "did you mean ENG?" when the site has a space whose key is `key` in another case or one edit
/// away; `None` when there is no such key, or the spaces cannot be read.
async fn did_you_mean(ctx: &Ctx, key: &str) -> Option<String> {
    let spaces = ctx
        .client
        .spaces(&SpaceFilter::default(), Paging::first(SPACE_PAGE))
        .all()
        .await
        .ok()?;
    let keys: Vec<&str> = spaces.iter().map(|s| s.key.as_str()).collect();
    suggest_key(key, &keys).map(|k| format!("did you mean {}?", clean(k)))
}

/// The key a person most likely meant: the same letters in another case first, else the one key
/// at Damerau–Levenshtein distance 1 ignoring case (a swap, a letter more, less or changed).
/// `None` when no key, or more than one, is that close.
fn suggest_key<'a>(typed: &str, keys: &[&'a str]) -> Option<&'a str> {
    if let Some(same) = keys
        .iter()
        .find(|k| k.eq_ignore_ascii_case(typed) && **k != typed)
    {
        return Some(same);
    }
    let typed = typed.to_uppercase();
    let mut close = keys
        .iter()
        .filter(|k| strsim::damerau_levenshtein(&k.to_uppercase(), &typed) == 1);
    match (close.next(), close.next()) {
        (Some(one), None) => Some(one),
        _ => None,
    }
}

/// `--json` of `watch`: the API answers `{"watching": bool}` for status and nothing for writes.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WatchReport<'a> {
    kind: &'a str,
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    account_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    display_name: Option<&'a str>,
    watching: bool,
}

fn print_watch(
    out: &mut Out,
    target: &WatchTarget,
    user: Option<&Whose>,
    action: WatchAction,
    watching: bool,
    json: bool,
) {
    if json {
        out.json(&WatchReport {
            kind: target.kind(),
            id: target.id(),
            account_id: user.map(|w| w.account_id.as_str()),
            display_name: user.and_then(|w| w.name.as_deref()),
            watching,
        });
        return;
    }
    let who = match user {
        Some(Whose {
            account_id,
            name: Some(name),
        }) => format!("{} ({account_id}) is", clean(name)),
        Some(Whose { account_id, .. }) => format!("{account_id} is"),
        None => "you are".into(),
    };
    let what = format!("{} {}", target.kind(), clean(target.id()));
    out.line(match (action, watching) {
        (WatchAction::Status, true) => format!("{who} watching {what}"),
        (WatchAction::Status, false) => format!("{who} not watching {what}"),
        (WatchAction::Add, _) => format!("{who} now watching {what}"),
        (WatchAction::Remove, _) => format!("{who} no longer watching {what}"),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_in_another_case_or_one_letter_off_is_suggested() {
        let keys = ["ENG", "HR", "MOB", "SRE", "~5d3f8a2b"];
        assert_eq!(suggest_key("eng", &keys), Some("ENG"));
        assert_eq!(suggest_key("ENGG", &keys), Some("ENG"));
        assert_eq!(suggest_key("EGN", &keys), Some("ENG"));
        assert_eq!(suggest_key("sre", &keys), Some("SRE"));
        // Too far, or two keys equally close: no guess.
        assert_eq!(suggest_key("MARKETING", &keys), None);
        assert_eq!(suggest_key("HB", &["HR", "HQ"]), None);
    }
}
