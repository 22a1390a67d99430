//! Paged lists: the paging parameters a caller gives, and the [`Paged`] request that reads the
//! pages back one at a time, as a stream, or whole.
//!
//! This module owns how a list walks from page to page: it follows `_links.next`, always resolved
//! against our own context (never another host), and stops on a page without `next`, an empty
//! page, or a `next` that repeats the page just read. It builds no query strings (each endpoint
//! puts `start` and `limit` where its contract wants them) and sends nothing itself: every page
//! goes through `Client::get_url`.

use super::client::Client;
use super::error::ApiError;
use super::model::Page;
use futures::stream::{self, BoxStream, StreamExt};
use serde::de::DeserializeOwned;
use std::marker::PhantomData;
use url::Url;

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
    _item: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned + Send + 'static> Paged<T> {
    /// The first page only.
    pub async fn first(self) -> Result<Page<T>, ApiError> {
        self.client.get_url(&self.endpoint, self.url?).await
    }

    /// Every page in order, following `_links.next`; ends after a page without `next`, after an
    /// empty page, or if the server points `next` at the page just read. The first page is
    /// yielded as soon as it arrives.
    pub fn pages(self) -> BoxStream<'static, Result<Page<T>, ApiError>> {
        let Paged {
            client,
            url,
            endpoint,
            ..
        } = self;
        let url = match url {
            Ok(url) => url,
            Err(e) => return stream::once(async { Err(e) }).boxed(),
        };
        stream::unfold(Some(url), move |next| {
            let client = client.clone();
            let endpoint = endpoint.clone();
            async move {
                let url = next?;
                match client.get_url::<Page<T>>(&endpoint, url.clone()).await {
                    Ok(page) => {
                        let following = if page.has_next() {
                            page.links
                                .next
                                .as_deref()
                                .and_then(|n| client.resolve_next(n))
                                .filter(|n| !same_request(n, &url))
                        } else {
                            None
                        };
                        Some((Ok(page), following))
                    }
                    Err(e) => Some((Err(e), None)),
                }
            }
        })
        .boxed()
    }

    /// Every item of every page.
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
