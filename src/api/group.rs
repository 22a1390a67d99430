//! Groups: list, picker search, and members by group id (page by page, or every page with the
//! later ones read in parallel once the first has said how many there are).

use super::client::Client;
use super::concurrency::AdaptiveLimit;
use super::error::ApiError;
use super::model::{Group, Page, User};
use super::paging::{Paged, Paging, MAX_ITEMS, MAX_PAGES};
use super::users::{expand_query, UserExpand};
use futures::stream::{self, BoxStream, StreamExt};

/// The largest page of `getGroupMembersByGroupId`: the contract answers 400 "if given limit is
/// greater than 200" (its default is 200 too).
pub const MEMBERS_PAGE_MAX: u32 = 200;

/// Pages of a group's members read at once after the first (their answers are printed in order,
/// so at most this many pages wait in memory); the [`AdaptiveLimit`] lowers it under pressure.
pub const MEMBERS_PARALLEL: usize = 16;

/// `accessType` of `getGroups`: the group permission level to filter the list by. The spec names
/// the three levels without defining them further.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupAccess {
    /// Sent as `accessType=user`: the user level.
    User,
    /// Sent as `accessType=admin`: the admin level.
    Admin,
    /// Sent as `accessType=site-admin`: the site-admin level.
    SiteAdmin,
}

impl GroupAccess {
    fn as_str(self) -> &'static str {
        match self {
            GroupAccess::User => "user",
            GroupAccess::Admin => "admin",
            GroupAccess::SiteAdmin => "site-admin",
        }
    }
}

impl Client {
    /// `getGroups`: every group of the site.
    pub fn groups(&self, paging: Paging, access: Option<GroupAccess>) -> Paged<Group> {
        let url = self.url(&["group"]).map(|mut url| {
            let mut q = url.query_pairs_mut();
            q.append_pair("start", &paging.start.to_string())
                .append_pair("limit", &paging.limit.to_string());
            if let Some(a) = access {
                q.append_pair("accessType", a.as_str());
            }
            drop(q);
            url
        });
        self.paged("GET /group", url)
    }

    /// `searchGroups`: the group picker, by partial name.
    pub fn search_groups(&self, query: &str, paging: Paging) -> Paged<Group> {
        let url = self.url(&["group", "picker"]).map(|mut url| {
            url.query_pairs_mut()
                .append_pair("query", query)
                .append_pair("start", &paging.start.to_string())
                .append_pair("limit", &paging.limit.to_string());
            url
        });
        self.paged("GET /group/picker", url)
    }

    /// `getGroupMembersByGroupId`: a group's members. Asks for `totalSize` so the UI can show a
    /// count before every page has arrived.
    pub fn group_members(
        &self,
        group_id: &str,
        paging: Paging,
        expand: &[UserExpand],
    ) -> Paged<User> {
        let url = self
            .url(&["group", group_id, "membersByGroupId"])
            .map(|mut url| {
                url.query_pairs_mut()
                    .append_pair("start", &paging.start.to_string())
                    .append_pair("limit", &paging.limit.to_string())
                    .append_pair("shouldReturnTotalSize", "true")
                    .extend_pairs(expand_query(expand));
                url
            });
        self.paged("GET /group/{id}/membersByGroupId", url)
    }

    /// Every member of a group, as pages in order. The first page asks for `totalSize`; with it,
    /// the later pages (offsets the contract defines: `start` counts members) are all asked for
    /// at once, at most [`MEMBERS_PARALLEL`] in flight and under `limit`, so a group of any size
    /// takes about two round trips plus the transfer. Without a total the pages follow
    /// `_links.next` one after another. A failed page ends the stream with its error.
    ///
    /// The offsets are computed, not read from `_links.next` (which only a sequential walk can
    /// follow): the page size is the first page's length, the size the server applied. Members
    /// added or removed while the pages are read can be missed or seen twice, as in any offset
    /// walk.
    pub fn group_members_pages(
        &self,
        group_id: &str,
        limit: &AdaptiveLimit,
    ) -> BoxStream<'static, Result<Page<User>, ApiError>> {
        let client = self.clone();
        let group_id = group_id.to_string();
        let limit = limit.clone();
        let first = self
            .group_members(&group_id, Paging::first(MEMBERS_PAGE_MAX), &[])
            .first();
        stream::once(first)
            .flat_map(move |first| match first {
                Err(e) => stream::iter([Err(e)]).boxed(),
                Ok(page) => rest_of_members(&client, &group_id, &limit, page),
            })
            .boxed()
    }

    /// Every member of a group in one list: [`Client::group_members_pages`] gathered, so the
    /// later pages go out in parallel under a fresh [`AdaptiveLimit`].
    pub async fn all_group_members(&self, group_id: &str) -> Result<Vec<User>, ApiError> {
        let mut pages = self.group_members_pages(group_id, &AdaptiveLimit::default());
        let mut members = Vec::new();
        while let Some(page) = pages.next().await {
            members.extend(page?.results);
        }
        Ok(members)
    }
}

/// The first page of members, then the others: in parallel when the first page gave the total,
/// else by `_links.next`.
fn rest_of_members(
    client: &Client,
    group_id: &str,
    limit: &AdaptiveLimit,
    page: Page<User>,
) -> BoxStream<'static, Result<Page<User>, ApiError>> {
    let step = page.results.len();
    if !page.has_next() || step == 0 {
        return stream::iter([Ok(page)]).boxed();
    }
    let Some(total) = page.total_size.and_then(|t| usize::try_from(t).ok()) else {
        let next = page
            .links
            .next
            .as_deref()
            .and_then(|n| client.resolve_next(n));
        let rest = match next {
            Some(url) => client
                .paged::<User>("GET /group/{id}/membersByGroupId", Ok(url))
                .pages(),
            None => stream::empty().boxed(),
        };
        return stream::iter([Ok(page)]).chain(rest).boxed();
    };
    let (client, group_id, limit) = (client.clone(), group_id.to_string(), limit.clone());
    let starts = (step..total.min(MAX_ITEMS))
        .step_by(step)
        .take(MAX_PAGES as usize);
    let rest = stream::iter(starts)
        .map(move |start| {
            let (client, group_id, limit) = (client.clone(), group_id.clone(), limit.clone());
            async move {
                let paging = Paging {
                    start: u32::try_from(start).unwrap_or(u32::MAX),
                    limit: u32::try_from(step).unwrap_or(MEMBERS_PAGE_MAX),
                };
                let page = client.group_members(&group_id, paging, &[]).first();
                limit.within(&client, page).await
            }
        })
        .buffered(MEMBERS_PARALLEL);
    stream::iter([Ok(page)]).chain(rest).boxed()
}
