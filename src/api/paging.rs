//! Paged lists: the paging parameters a caller gives, and the [`Paged`] request that reads the
//! pages back one at a time, as a stream, or whole.
//!
//! This module owns how a list walks from page to page: it follows `_links.next`, always resolved
//! against our own context (never another host), and stops on a page without `next`, an empty
//! page, or a `next` that repeats the page just read. A server that never stops sending `next` is
//! caught too, with an [`ApiError::Paging`] rather than a silently cut list: a page whose `start`
//! repeats an earlier page's (in the answer or in the `next` link), more items than the server's
//! own `totalSize`, or more than [`MAX_PAGES`] pages or [`MAX_ITEMS`] items. It builds no query
//! strings (each endpoint puts `start` and `limit` where its contract wants them) and sends
//! nothing itself: every page goes through `Client::get_url`.

use super::client::Client;
use super::error::ApiError;
use super::model::Page;
use futures::stream::{self, BoxStream, StreamExt};
use serde::de::DeserializeOwned;
use std::collections::HashSet;
use std::marker::PhantomData;
use url::Url;

/// The most pages one list reads: 10,000. The largest Cloud sites have about 150,000 people, 6,000
/// pages of 25; a server still sending `next` after this many is not going to stop.
pub const MAX_PAGES: u32 = 10_000;

/// The most items one list reads: 500,000, over three times the people of the largest Cloud site,
/// and a few hundred MB at most, so a list that never ends cannot take the machine's memory.
pub const MAX_ITEMS: usize = 500_000;

/// Paging parameters of a list request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paging {
    /// The offset of the first item to return (0 for the first page).
    pub start: u32,
    /// How many items to ask for; the server may return fewer, and caps it per endpoint.
    pub limit: u32,
}

impl Paging {
    /// The first page of `limit` items.
    pub fn first(limit: u32) -> Self {
        Paging { start: 0, limit }
    }
}

/// A list request that can be read one page at a time, as a stream of pages, or whole.
pub struct Paged<T> {
    client: Client,
    /// An id that cannot be put in a path is reported when the list is read, not when it is built.
    url: Result<Url, ApiError>,
    endpoint: String,
    /// The most pages read before the list is called endless ([`MAX_PAGES`] unless lowered).
    max_pages: u32,
    _item: PhantomData<fn() -> T>,
}

/// Where a walk through the pages stands between two pages.
enum Step {
    /// Read this page next.
    Next(Url),
    /// The list did not end: report this, then stop.
    Fail(ApiError),
    /// Nothing more to read.
    Done,
}

/// What a walk has seen so far: enough to tell a list that ends from one that never does.
struct Walk {
    endpoint: String,
    max_pages: u32,
    pages: u32,
    items: usize,
    /// The `start` of every page, as the answers reported it.
    starts: HashSet<i64>,
    /// The `start` parameter of every page requested.
    requested: HashSet<String>,
}

impl Walk {
    fn new(endpoint: String, max_pages: u32) -> Self {
        Walk {
            endpoint,
            max_pages,
            pages: 0,
            items: 0,
            starts: HashSet::new(),
            requested: HashSet::new(),
        }
    }

    /// Counts `page`, read from `url`, and decides what comes after it: `next` (already resolved
    /// against our context), the end, or the error that says why the list does not end.
    fn after<T>(&mut self, url: &Url, page: &Page<T>, next: Option<Url>) -> Step {
        self.pages += 1;
        self.items = self.items.saturating_add(page.results.len());
        let repeated_start = page.start.is_some_and(|s| !self.starts.insert(s));
        if let Some(start) = start_param(url) {
            self.requested.insert(start);
        }
        let Some(next) = next.filter(|n| !same_request(n, url)) else {
            return Step::Done;
        };
        let total = page.total_size.and_then(|t| usize::try_from(t).ok());
        let detail = if repeated_start {
            format!(
                "the server sent the page at start {} twice (after {} pages)",
                page.start.unwrap_or_default(),
                self.pages
            )
        } else if start_param(&next).is_some_and(|s| self.requested.contains(&s)) {
            format!(
                "the server's next page points back at start {} (after {} pages)",
                start_param(&next).unwrap_or_default(),
                self.pages
            )
        } else if total.is_some_and(|t| self.items > t) {
            format!(
                "the server said there are {} items in all, sent {} and still announced more",
                total.unwrap_or_default(),
                self.items
            )
        } else if total == Some(self.items) {
            // Everything the server says exists has arrived; a `next` past the end is not followed.
            return Step::Done;
        } else if self.pages >= self.max_pages || self.items >= MAX_ITEMS {
            format!(
                "still more after {} pages and {} items, the most confdir reads of one list",
                self.pages, self.items
            )
        } else {
            return Step::Next(next);
        };
        Step::Fail(ApiError::Paging {
            endpoint: self.endpoint.clone(),
            detail,
        })
    }
}

/// The `start` query parameter of `url`, if it has one.
fn start_param(url: &Url) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == "start")
        .map(|(_, v)| v.into_owned())
}

impl<T: DeserializeOwned + Send + 'static> Paged<T> {
    /// The first page only.
    pub async fn first(self) -> Result<Page<T>, ApiError> {
        self.client.get_url(&self.endpoint, self.url?).await
    }

    /// Lowers the most pages this list reads before it is called endless (never above
    /// [`MAX_PAGES`]): for callers that want fewer, and tests of the cap.
    pub fn max_pages(mut self, pages: u32) -> Self {
        self.max_pages = pages.clamp(1, MAX_PAGES);
        self
    }

    /// Every page in order, following `_links.next`; ends after a page without `next`, after an
    /// empty page, or if the server points `next` at the page just read. A list that does not end
    /// (see the module's rules) yields its pages so far and then an [`ApiError::Paging`]. The
    /// first page is yielded as soon as it arrives.
    pub fn pages(self) -> BoxStream<'static, Result<Page<T>, ApiError>> {
        let Paged {
            client,
            url,
            endpoint,
            max_pages,
            ..
        } = self;
        let url = match url {
            Ok(url) => url,
            Err(e) => return stream::once(async { Err(e) }).boxed(),
        };
        let walk = Walk::new(endpoint, max_pages);
        stream::unfold((Step::Next(url), walk), move |(step, mut walk)| {
            let client = client.clone();
            async move {
                let url = match step {
                    Step::Next(url) => url,
                    Step::Fail(e) => return Some((Err(e), (Step::Done, walk))),
                    Step::Done => return None,
                };
                match client.get_url::<Page<T>>(&walk.endpoint, url.clone()).await {
                    Ok(page) => {
                        let next = if page.has_next() {
                            page.links
                                .next
                                .as_deref()
                                .and_then(|n| client.resolve_next(n))
                        } else {
                            None
                        };
                        let step = walk.after(&url, &page, next);
                        Some((Ok(page), (step, walk)))
                    }
                    Err(e) => Some((Err(e), (Step::Done, walk))),
                }
            }
        })
        .boxed()
    }

    /// Every item of every page; an error (a failed page, a list that does not end) fails the
    /// whole list.
    pub async fn all(self) -> Result<Vec<T>, ApiError> {
        let mut out = Vec::new();
        let mut pages = self.pages();
        while let Some(page) = pages.next().await {
            out.extend(page?.results);
        }
        Ok(out)
    }
}

/// Whether two URLs ask for the same thing: same path and the same decoded query pairs, in any
/// order and however they were percent-encoded (a `next` link may spell `:` where we sent `%3A`).
fn same_request(a: &Url, b: &Url) -> bool {
    let pairs = |u: &Url| {
        let mut p: Vec<(String, String)> =
            u.query_pairs().map(|(k, v)| (k.into(), v.into())).collect();
        p.sort();
        p
    };
    a.path() == b.path() && pairs(a) == pairs(b)
}

impl Client {
    /// Builds a [`Paged`] list request; a bad URL surfaces when the list is read.
    pub(crate) fn paged<T>(&self, endpoint: &str, url: Result<Url, ApiError>) -> Paged<T> {
        Paged {
            client: self.clone(),
            url,
            endpoint: endpoint.to_string(),
            max_pages: MAX_PAGES,
            _item: PhantomData,
        }
    }

    /// `_links.next` is relative to `_links.base` (which includes the context path). We always
    /// resolve it against *our* context, so the gateway form keeps working (its `base` names the
    /// site) and a hostile `next` can never send the credentials to another host.
    fn resolve_next(&self, next: &str) -> Option<Url> {
        let rel = match next.find("/rest/api/") {
            Some(i) => &next[i..],
            None => next,
        };
        self.context_url().join(rel.trim_start_matches('/')).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Auth, ClientConfig};

    #[test]
    fn next_links_stay_on_our_host() {
        let client = Client::new(ClientConfig::new(
            "https://api.atlassian.com/ex/confluence/abc",
            Auth::Anonymous,
        ))
        .unwrap();
        assert_eq!(
            client
                .resolve_next("/rest/api/space?start=5")
                .unwrap()
                .as_str(),
            "https://api.atlassian.com/ex/confluence/abc/wiki/rest/api/space?start=5"
        );
        assert_eq!(
            client
                .resolve_next("https://evil.example/wiki/rest/api/space?start=5")
                .unwrap()
                .as_str(),
            "https://api.atlassian.com/ex/confluence/abc/wiki/rest/api/space?start=5"
        );
    }
}
