//! Spaces: the list the watch pane shows, `confdir spaces`, and a space looked up by key, through
//! whichever generation of the API the site offers.
//!
//! Atlassian removed v1 `GET /wiki/rest/api/space` from its spec (only `POST /space` remains),
//! and Cloud answers it `410 Gone` ("This deprecated endpoint has been removed") through the API
//! gateway. Its replacement is v2 `GET /wiki/api/v2/spaces` (Atlassian's published v2 spec,
//! "The Confluence Cloud REST API v2" 2.0.0, `getSpaces`): filters `keys`, `type`, `status`,
//! `labels` (each list comma-separated, as the spec's descriptions say), `favorited-by`,
//! `description-format`, `include-icon`; `limit` 1–250 (default 25); results are `SpaceBulk`
//! objects with a string `id`; the next page is announced in `_links.next` (relative to the site:
//! `/wiki/api/v2/spaces?cursor=…`) and in the `Link` header, and read by following it.
//!
//! The first spaces call of a client asks v2. A 404 there means the site does not offer it (Data
//! Center, older sites), and v1 is used instead; either answer is remembered for the client and
//! its clones ([`SiteMemory`](super::memory::SiteMemory)), so the site is probed once. A 410 from
//! v1 (v2 answered 404 and v1 is gone) is an [`ApiError::Gone`] that says so.

use super::client::Client;
use super::error::ApiError;
use super::memory::SpacesApi;
use super::model::{Page, Space};
use super::paging::{First, Paged, Paging, Start};
use futures::FutureExt;
use url::Url;

/// The name of the v2 list in errors.
pub const V2_ENDPOINT: &str = "GET /api/v2/spaces";

/// The name of the v1 list in errors.
pub const V1_ENDPOINT: &str = "GET /space";

/// The most spaces one v2 page may hold (the spec's `limit` maximum).
pub const V2_MAX_LIMIT: u32 = 250;

/// Filters of the spaces list. Empty fields are not sent. Each maps to its v1 parameter or its v2
/// counterpart.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpaceFilter {
    /// Only these keys (v1 `spaceKey`, repeated; v2 `keys`, comma-separated).
    pub keys: Vec<String>,
    /// `global` or `personal` (v2 also `collaboration`, `knowledge_base`).
    pub kind: Option<String>,
    /// `current` or `archived`.
    pub status: Option<String>,
    /// Spaces with this label (v1 `label`, v2 `labels`).
    pub label: Option<String>,
    /// Only your favourites, or only the others (v1 `favourite`; v2 `favorited-by` or
    /// `not-favorited-by` with your account id, which costs one `GET /user/current`).
    pub favourite: Option<bool>,
    /// v1 `expand` values, e.g. `description.plain`, `icon`. On v2, `icon` becomes
    /// `include-icon=true` and `description.plain`/`description.view` become
    /// `description-format`; any other value cannot be asked of v2 and is refused.
    pub expand: Vec<String>,
}

impl Client {
    /// The site's spaces, page by page (`getSpaces`, v2 where offered, else v1; see the module).
    ///
    /// v2 pages by cursor, so on v2 only `paging.start == 0` can be asked (later pages come from
    /// the `next` links: [`Paged::pages`], or [`Client::spaces_after`]); `paging.limit` is capped at
    /// [`V2_MAX_LIMIT`] there.
    pub fn spaces(&self, filter: &SpaceFilter, paging: Paging) -> Paged<Space> {
        let client = self.clone();
        let filter = filter.clone();
        self.paged_from(First::Lazy(
            async move { client.spaces_start(&filter, paging).await }.boxed(),
        ))
    }

    /// The page of spaces a previous page's `next` link names (`_links.next`, or the `Link`
    /// header's): how a list read a page at a time goes on, on either generation.
    pub fn spaces_after(&self, next: &str) -> Paged<Space> {
        let endpoint = if next.contains("/api/v2/") {
            V2_ENDPOINT
        } else {
            V1_ENDPOINT
        };
        let url = self.resolve_next(next).ok_or_else(|| {
            ApiError::InvalidInput(format!(
                "`{}` is not a link to a page of spaces",
                crate::sanitize::cap(next, 80)
            ))
        });
        self.paged(endpoint, url)
    }

    /// The space with this key, or `None` when the site has none (or hides it from you): one
    /// call with the `keys` filter (v1 `spaceKey`).
    pub async fn space_by_key(&self, key: &str) -> Result<Option<Space>, ApiError> {
        let filter = SpaceFilter {
            keys: vec![key.to_string()],
            ..SpaceFilter::default()
        };
        let page = self.spaces(&filter, Paging::first(1)).first().await?;
        Ok(page.results.into_iter().find(|s| s.key == key))
    }

    /// Where the list starts: v2 unless the site is known not to offer it, asking it once when
    /// nobody has yet (that answer is the first page, kept).
    async fn spaces_start(
        &self,
        filter: &SpaceFilter,
        paging: Paging,
    ) -> Result<Start<Space>, ApiError> {
        let mut probed = None;
        let api = self
            .site_memory()
            .spaces
            .get_or_try_init(|| async {
                let url = self.v2_spaces_url(filter, paging).await?;
                match self.fetch_page::<Space>(V2_ENDPOINT, url.clone()).await {
                    Ok(page) => {
                        probed = Some(Start {
                            endpoint: V2_ENDPOINT.to_string(),
                            url,
                            page: Some(page),
                        });
                        Ok(SpacesApi::V2)
                    }
                    Err(e) if e.status() == Some(404) => {
                        tracing::info!("the site has no v2 spaces API (404): using v1");
                        Ok(SpacesApi::V1)
                    }
                    Err(e) => Err(e),
                }
            })
            .await?;
        if let Some(start) = probed {
            return Ok(start);
        }
        match api {
            SpacesApi::V2 => Ok(Start {
                endpoint: V2_ENDPOINT.to_string(),
                url: self.v2_spaces_url(filter, paging).await?,
                page: None,
            }),
            SpacesApi::V1 => {
                let url = self.v1_spaces_url(filter, paging)?;
                let page: Page<Space> = self
                    .fetch_page(V1_ENDPOINT, url.clone())
                    .await
                    .map_err(v1_gone)?;
                Ok(Start {
                    endpoint: V1_ENDPOINT.to_string(),
                    url,
                    page: Some(page),
                })
            }
        }
    }

    /// `{context}api/v2/spaces` with the filter in v2's terms.
    async fn v2_spaces_url(&self, filter: &SpaceFilter, paging: Paging) -> Result<Url, ApiError> {
        if paging.start > 0 {
            return Err(ApiError::InvalidInput(format!(
                "this site lists spaces by cursor (v2), so a list cannot start at {}: follow the previous page's next link",
                paging.start
            )));
        }
        let mut icon = false;
        let mut description = None;
        for e in &filter.expand {
            match e.as_str() {
                "icon" => icon = true,
                "description" | "description.plain" => description = Some("plain"),
                "description.view" => description = Some("view"),
                other => {
                    return Err(ApiError::InvalidInput(format!(
                        "`{}` cannot be asked of this site's spaces (v2 has no such expand)",
                        crate::sanitize::cap(other, 40)
                    )))
                }
            }
        }
        let favourite = match filter.favourite {
            Some(fav) => {
                let me = self.current_user(&[]).await?;
                let id = me.account_id.ok_or_else(|| {
                    ApiError::InvalidInput(
                        "favourite spaces need an account: the credentials name none".into(),
                    )
                })?;
                Some((
                    if fav {
                        "favorited-by"
                    } else {
                        "not-favorited-by"
                    },
                    id,
                ))
            }
            None => None,
        };
        let mut url = self.v2_url(&["spaces"])?;
        {
            let mut q = url.query_pairs_mut();
            if !filter.keys.is_empty() {
                q.append_pair("keys", &filter.keys.join(","));
            }
            if let Some(kind) = &filter.kind {
                q.append_pair("type", kind);
            }
            if let Some(status) = &filter.status {
                q.append_pair("status", status);
            }
            if let Some(label) = &filter.label {
                q.append_pair("labels", label);
            }
            if let Some((name, id)) = &favourite {
                q.append_pair(name, id);
            }
            if let Some(format) = description {
                q.append_pair("description-format", format);
            }
            if icon {
                q.append_pair("include-icon", "true");
            }
            q.append_pair("limit", &paging.limit.clamp(1, V2_MAX_LIMIT).to_string());
            // In key order: team spaces A–Z, then personal ones (their keys start with `~`).
            // v2's default is by id, which interleaves the two.
            q.append_pair("sort", "key");
        }
        Ok(url)
    }

    /// `{context}rest/api/space` with the filter in v1's terms.
    fn v1_spaces_url(&self, filter: &SpaceFilter, paging: Paging) -> Result<Url, ApiError> {
        let mut url = self.url(&["space"])?;
        {
            let mut q = url.query_pairs_mut();
            for key in &filter.keys {
                q.append_pair("spaceKey", key);
            }
            if let Some(kind) = &filter.kind {
                q.append_pair("type", kind);
            }
            if let Some(status) = &filter.status {
                q.append_pair("status", status);
            }
            if let Some(label) = &filter.label {
                q.append_pair("label", label);
            }
            if let Some(fav) = filter.favourite {
                q.append_pair("favourite", if fav { "true" } else { "false" });
            }
            if !filter.expand.is_empty() {
                q.append_pair("expand", &filter.expand.join(","));
            }
            q.append_pair("start", &paging.start.to_string())
                .append_pair("limit", &paging.limit.to_string());
        }
        Ok(url)
    }

    /// A URL below `{context}api/v2/`, each segment percent-encoded and checked by the same rule
    /// as the v1 paths (no empty, `.` or `..` segment).
    fn v2_url(&self, segments: &[&str]) -> Result<Url, ApiError> {
        self.url(segments)?;
        let mut url = self
            .context_url()
            .join("api/v2/")
            .map_err(|e| ApiError::InvalidInput(format!("bad base URL: {e}")))?;
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        Ok(url)
    }
}

/// A 410 from v1 once v2 answered 404: neither generation lists spaces on this site.
fn v1_gone(e: ApiError) -> ApiError {
    match e {
        ApiError::Gone { endpoint, message } => ApiError::Gone {
            endpoint,
            message: format!(
                "{}{}this site answered 404 for its replacement, GET /wiki/api/v2/spaces, so confdir cannot list its spaces",
                message.trim_end_matches('.'),
                if message.is_empty() { "" } else { "; " }
            ),
        },
        other => other,
    }
}
