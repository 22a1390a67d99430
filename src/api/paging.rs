//! Paged lists: the paging parameters a caller gives, and the [`Paged`] request that reads the
//! pages back one at a time, as a stream, or whole.
//!
//! This module owns how a list walks from page to page, for offset lists (v1: `start`) and cursor
//! lists (v2: `cursor`) alike: it follows `_links.next`, or the `Link` header's `rel="next"` when
//! the body has none (v2 announces the next page in both; Atlassian's v2 spec names the header),
//! always resolved against our own context (never another host), and stops on a page without
//! `next`, an empty page, or an offset `next` that repeats the page just read. A server that never
//! stops sending `next` is caught too, with an [`ApiError::Paging`] rather than a silently cut
//! list: a page whose `start` or `cursor` repeats an earlier page's (in the answer or in the
//! `next` link), more items than the server's own `totalSize`, or more than [`MAX_PAGES`] pages
//! or [`MAX_ITEMS`] items. It builds no query strings (each endpoint puts `start`, `cursor` and
//! `limit` where its contract wants them) and sends nothing itself: every page goes through
//! `Client::get_url`. Where a list starts may be found out only when it is read (which spaces API
//! the site offers): such a list starts from a future that says where, and may have read the
//! first page already.

use super::client::Client;
use super::error::ApiError;
use super::model::Page;
use futures::future::BoxFuture;
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
    first: First<T>,
    /// The most pages read before the list is called endless ([`MAX_PAGES`] unless lowered).
    max_pages: u32,
    _item: PhantomData<fn() -> T>,
}

/// Where a list starts.
pub(crate) enum First<T> {
    /// A known request. An id that cannot be put in a path is reported when the list is read, not
    /// when it is built.
    Url {
        /// The request's name in errors, e.g. `GET /space`.
        endpoint: String,
        /// The first page's URL.
        url: Result<Url, ApiError>,
    },
    /// Found out by a call when the list is read.
    Lazy(BoxFuture<'static, Result<Start<T>, ApiError>>),
}

/// The first page of a list whose start was found out by a call.
pub(crate) struct Start<T> {
    /// The request's name in errors, e.g. `GET /api/v2/spaces`.
    pub endpoint: String,
    /// The first page's URL.
    pub url: Url,
    /// The first page, when finding out read it already.
    pub page: Option<Page<T>>,
}

impl<T> First<T> {
    async fn resolve(self) -> Result<Start<T>, ApiError> {
        match self {
            First::Url { endpoint, url } => Ok(Start {
                endpoint,
                url: url?,
                page: None,
            }),
            First::Lazy(start) => start.await,
        }
    }
}

/// Where a walk through the pages stands between two pages.
enum Step<T> {
    /// Find out where the list starts, and read its first page.
    Begin(First<T>),
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
    /// The `start` or `cursor` parameter of every page requested.
    requested: HashSet<Position>,
}

impl Walk {
    fn new(max_pages: u32) -> Self {
        Walk {
            endpoint: String::new(),
            max_pages,
            pages: 0,
            items: 0,
            starts: HashSet::new(),
            requested: HashSet::new(),
        }
    }

    /// Counts `page`, read from `url`, and decides what comes after it: `next` (already resolved
    /// against our context), the end, or the error that says why the list does not end.
    fn after<T>(&mut self, url: &Url, page: &Page<T>, next: Option<Url>) -> Step<T> {
        self.pages += 1;
        self.items = self.items.saturating_add(page.results.len());
        let repeated_start = page.start.is_some_and(|s| !self.starts.insert(s));
        if let Some(position) = Position::of(url) {
            self.requested.insert(position);
        }
        // An offset `next` naming the page just read ends the list; a cursor is never reused,
        // so a cursor `next` naming it is a repeat (below).
        let Some(next) = next.filter(|n| {
            let cursor = matches!(Position::of(n), Some(Position::Cursor(_)));
            cursor || !same_request(n, url)
        }) else {
            return Step::Done;
        };
        let total = page.total_size.and_then(|t| usize::try_from(t).ok());
        let detail = if repeated_start {
            format!(
                "the server sent the page at start {} twice (after {} pages)",
                page.start.unwrap_or_default(),
                self.pages
            )
        } else if let Some(position) = Position::of(&next).filter(|p| self.requested.contains(p)) {
            format!(
                "the server's next page points back at {position} (after {} pages)",
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

/// Where in its list a `next` link (as a server sent it, relative or not) points: `cursor=…` or
/// `start=…`, by the same rule the walk uses to catch a list that repeats a page; the whole link
/// when it has neither. For callers that read a list a page at a time (the watch list).
pub fn link_position(next: &str) -> String {
    Url::parse("http://x.invalid/")
        .and_then(|base| base.join(next))
        .ok()
        .and_then(|url| Position::of(&url))
        .map_or_else(|| next.to_string(), |p| p.key())
}

/// Where in a list a request asks to be: its `cursor` (v2) or, without one, its `start` (v1).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Position {
    Start(String),
    Cursor(String),
}

impl Position {
    fn of(url: &Url) -> Option<Position> {
        let param = |name: &str| {
            url.query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
        };
        param("cursor")
            .map(Position::Cursor)
            .or_else(|| param("start").map(Position::Start))
    }

    /// `cursor=…` or `start=…`.
    fn key(&self) -> String {
        match self {
            Position::Start(s) => format!("start={s}"),
            Position::Cursor(c) => format!("cursor={c}"),
        }
    }
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Position::Start(s) => write!(f, "start {}", crate::sanitize::cap(s, 40)),
            // A cursor is opaque server text: shown cleaned and short.
            Position::Cursor(c) => write!(f, "cursor `{}`", crate::sanitize::cap(c, 40)),
        }
    }
}

impl<T: DeserializeOwned + Send + 'static> Paged<T> {
    /// The first page only.
    pub async fn first(self) -> Result<Page<T>, ApiError> {
        let start = self.first.resolve().await?;
        match start.page {
            Some(page) => Ok(page),
            None => self.client.fetch_page(&start.endpoint, start.url).await,
        }
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
            first,
            max_pages,
            ..
        } = self;
        let walk = Walk::new(max_pages);
        stream::unfold((Step::Begin(first), walk), move |(step, mut walk)| {
            let client = client.clone();
            async move {
                let (url, read) = match step {
                    Step::Begin(first) => match first.resolve().await {
                        Ok(start) => {
                            walk.endpoint = start.endpoint;
                            (start.url, start.page)
                        }
                        Err(e) => return Some((Err(e), (Step::Done, walk))),
                    },
                    Step::Next(url) => (url, None),
                    Step::Fail(e) => return Some((Err(e), (Step::Done, walk))),
                    Step::Done => return None,
                };
                let page = match read {
                    Some(page) => Ok(page),
                    None => client.fetch_page::<T>(&walk.endpoint, url.clone()).await,
                };
                match page {
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
        self.paged_from(First::Url {
            endpoint: endpoint.to_string(),
            url,
        })
    }

    /// Builds a [`Paged`] list request that starts where `first` says.
    pub(crate) fn paged_from<T>(&self, first: First<T>) -> Paged<T> {
        Paged {
            client: self.clone(),
            first,
            max_pages: MAX_PAGES,
            _item: PhantomData,
        }
    }

    /// One page: GET and decode, with the `Link` header's `rel="next"` standing in for a
    /// `_links.next` the body does not have.
    pub(crate) async fn fetch_page<T: DeserializeOwned>(
        &self,
        endpoint: &str,
        url: Url,
    ) -> Result<Page<T>, ApiError> {
        let (page, link) = super::link::capture(self.get_url::<Page<T>>(endpoint, url)).await;
        let mut page = page?;
        if page.links.next.is_none() {
            page.links.next = link;
        }
        Ok(page)
    }

    /// `_links.next` is relative to `_links.base` (which includes the context path) in v1, and to
    /// the site (it starts with the context, `/wiki/api/v2/…`) in v2. We always resolve it
    /// against *our* context, so the gateway form keeps working (its `base` names the site) and a
    /// hostile `next` can never send the credentials to another host.
    pub(crate) fn resolve_next(&self, next: &str) -> Option<Url> {
        let rel = match next.find("/rest/api/").or_else(|| next.find("/api/v2/")) {
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
        for v2 in [
            "/wiki/api/v2/spaces?cursor=abc",
            "https://evil.example/wiki/api/v2/spaces?cursor=abc",
        ] {
            assert_eq!(
                client.resolve_next(v2).unwrap().as_str(),
                "https://api.atlassian.com/ex/confluence/abc/wiki/api/v2/spaces?cursor=abc"
            );
        }
    }
}
