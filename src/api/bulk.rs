//! Many users by account id (`getBulkUserLookup`, `GET /user/bulk`), with no one silently
//! missing.
//!
//! The contract (`confluence-user-api.yml`) declares `accountId` as a form-style, exploded array:
//! `accountId=a&accountId=b`, the form sent first. Atlassian's own description of the parameter
//! reads as one string ("a list of accountIds"), and clients in the wild send either form; which
//! one a site honours cannot be verified from here. A site that reads only one form answers the
//! other with some of the users left out, and nothing says so. So:
//!
//! - ids absent from an answer are asked for again: first, once, in the other form (comma-joined)
//!   when the site's form is not known yet, then one by one (`GET /user?accountId=`), at most
//!   [`ONE_BY_ONE_CONCURRENCY`] at a time;
//! - what the site was seen to honour (repeated, comma, or neither: one by one from the start) is
//!   remembered for the client and its clones ([`SiteMemory`](super::memory::SiteMemory)), so the
//!   extra round trips of finding out happen once;
//! - an id the site does not know (404 on its own) is reported in [`BulkUsers::missing`], not as
//!   an error of the whole lookup.
//!
//! A form counts as honoured when one answer to it returned two or more of the ids it carried;
//! until an answer shows that (a lookup of one id cannot), nothing is remembered.

use super::client::Client;
use super::error::ApiError;
use super::memory::BulkForm;
use super::model::{Page, User};
use super::users::{expand_query, UserExpand, BULK_MAX};
use futures::stream::{self, StreamExt, TryStreamExt};
use std::collections::{HashMap, HashSet};

/// Bulk calls of more than [`BULK_MAX`] ids run this many chunks at once.
const BULK_CONCURRENCY: usize = 4;

/// Ids the bulk answers left out are asked for one by one, this many at a time.
pub const ONE_BY_ONE_CONCURRENCY: usize = 8;

/// What a bulk lookup found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BulkUsers {
    /// The users found, in the order their ids were asked for (each once).
    pub users: Vec<User>,
    /// The ids the site does not know (or hides from you): each answered 404 on its own.
    pub missing: Vec<String>,
}

impl Client {
    /// `getBulkUserLookup`: many users by account id, none left out silently (see the module).
    /// More than [`BULK_MAX`] ids are split into several calls (a few at a time).
    pub async fn bulk_lookup(
        &self,
        account_ids: &[String],
        expand: &[UserExpand],
    ) -> Result<BulkUsers, ApiError> {
        let mut seen = HashSet::new();
        let wanted: Vec<String> = account_ids
            .iter()
            .filter(|id| seen.insert(id.as_str()))
            .cloned()
            .collect();
        let mut chunks = wanted.chunks(BULK_MAX).map(<[_]>::to_vec);
        let mut found = Vec::new();
        // Until the site's form is known, the first chunk finds it out alone.
        if self.site_memory().bulk().is_none() {
            if let Some(first) = chunks.next() {
                found.extend(self.bulk_chunk(&first, expand).await?);
            }
        }
        let rest: Vec<Vec<User>> = stream::iter(chunks)
            .map(|chunk| async move { self.bulk_chunk(&chunk, expand).await })
            .buffered(BULK_CONCURRENCY)
            .try_collect()
            .await?;
        found.extend(rest.into_iter().flatten());

        let have: HashSet<&str> = found
            .iter()
            .filter_map(|u| u.account_id.as_deref())
            .collect();
        let absent: Vec<String> = wanted
            .iter()
            .filter(|id| !have.contains(id.as_str()))
            .cloned()
            .collect();
        let singles: Vec<(String, Option<User>)> = stream::iter(absent)
            .map(|id| async move {
                match self.user(&id, expand).await {
                    Ok(user) => Ok((id, Some(user))),
                    Err(e) if e.status() == Some(404) => Ok((id, None)),
                    Err(e) => Err(e),
                }
            })
            .buffer_unordered(ONE_BY_ONE_CONCURRENCY)
            .try_collect()
            .await?;
        let mut missing = HashSet::new();
        for (id, user) in singles {
            match user {
                Some(user) => found.push(user),
                None => {
                    missing.insert(id);
                }
            }
        }
        Ok(BulkUsers {
            users: in_order(&wanted, found),
            missing: wanted
                .iter()
                .filter(|id| missing.contains(*id))
                .cloned()
                .collect(),
        })
    }

    /// `getBulkUserLookup` without the report of missing ids: the users found, in the order
    /// asked ([`Client::bulk_lookup`]).
    pub async fn bulk_users(
        &self,
        account_ids: &[String],
        expand: &[UserExpand],
    ) -> Result<Vec<User>, ApiError> {
        Ok(self.bulk_lookup(account_ids, expand).await?.users)
    }

    /// The users of one chunk that the bulk endpoint returns, in the form the site honours,
    /// finding that form out when it is not known yet.
    async fn bulk_chunk(
        &self,
        ids: &[String],
        expand: &[UserExpand],
    ) -> Result<Vec<User>, ApiError> {
        let memory = self.site_memory();
        match memory.bulk() {
            Some(BulkForm::OneByOne) => Ok(Vec::new()),
            Some(form) => self.bulk_call(ids, form, expand).await,
            None => {
                let mut found =
                    refused_as_none(self.bulk_call(ids, BulkForm::Repeated, expand).await)?;
                let left = left_out(ids, &found);
                if found.len() >= 2 || (left.is_empty() && ids.len() >= 2) {
                    memory.set_bulk(BulkForm::Repeated);
                } else if left.len() >= 2 {
                    let more =
                        refused_as_none(self.bulk_call(&left, BulkForm::Comma, expand).await)?;
                    let form = if more.len() >= 2 {
                        BulkForm::Comma
                    } else {
                        BulkForm::OneByOne
                    };
                    tracing::info!(?form, "bulk user lookup: the site's form");
                    memory.set_bulk(form);
                    found.extend(more);
                }
                Ok(found)
            }
        }
    }

    /// One `/user/bulk` call in `form`.
    async fn bulk_call(
        &self,
        ids: &[String],
        form: BulkForm,
        expand: &[UserExpand],
    ) -> Result<Vec<User>, ApiError> {
        let mut url = self.url(&["user", "bulk"])?;
        {
            let mut q = url.query_pairs_mut();
            if form == BulkForm::Comma {
                q.append_pair("accountId", &ids.join(","));
            } else {
                for id in ids {
                    q.append_pair("accountId", id);
                }
            }
            q.extend_pairs(expand_query(expand));
        }
        let page: Page<User> = self.get_url("GET /user/bulk", url).await?;
        Ok(page.results)
    }
}

/// While the form is being found out, a form the site refuses outright (400, 404: it took the ids
/// for one malformed id) found no one; the ids are asked for in other ways. Any other error is
/// the lookup's.
fn refused_as_none(answer: Result<Vec<User>, ApiError>) -> Result<Vec<User>, ApiError> {
    match answer {
        Err(e) if matches!(e.status(), Some(400 | 404)) => Ok(Vec::new()),
        other => other,
    }
}

/// The ids of `ids` that no user in `found` has.
fn left_out(ids: &[String], found: &[User]) -> Vec<String> {
    let have: HashSet<&str> = found
        .iter()
        .filter_map(|u| u.account_id.as_deref())
        .collect();
    ids.iter()
        .filter(|id| !have.contains(id.as_str()))
        .cloned()
        .collect()
}

/// `found` in the order of `wanted`, each account once; users whose id was not asked for (a
/// server's quirk) come last, as they came.
fn in_order(wanted: &[String], found: Vec<User>) -> Vec<User> {
    let mut by_id: HashMap<String, User> = HashMap::new();
    let mut others = Vec::new();
    for user in found {
        match user.account_id.clone() {
            Some(id) if wanted.contains(&id) => {
                by_id.entry(id).or_insert(user);
            }
            _ => others.push(user),
        }
    }
    let mut out: Vec<User> = wanted.iter().filter_map(|id| by_id.remove(id)).collect();
    out.extend(others);
    out
}
