//! A page's title, for the watch list's pinned pages: v2 `GET /wiki/api/v2/pages/{id}`
//! (`getPageById`, answering a `PageSingle` with `id`, `status`, `title` and `spaceId`; the v2
//! replacement of v1 `GET /content/{id}`, as Atlassian's v2 API lists it).

use super::client::Client;
use super::error::ApiError;
use serde::Deserialize;

/// The name of the endpoint in errors.
pub const PAGE_ENDPOINT: &str = "GET /api/v2/pages/{id}";

/// The fields of `PageSingle` confdir reads.
#[derive(Debug, Deserialize)]
struct PageSingle {
    /// The page's title.
    #[serde(default)]
    title: String,
}

impl Client {
    /// The title of page `id` (digits: a content id).
    pub async fn page_title(&self, id: &str) -> Result<String, ApiError> {
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_digit()) {
            return Err(ApiError::InvalidInput(format!(
                "`{}` is not a page id (digits only)",
                crate::sanitize::cap(id, 40)
            )));
        }
        self.url(&["content", id])?;
        let mut url = self
            .context_url()
            .join("api/v2/")
            .map_err(|e| ApiError::InvalidInput(format!("bad base URL: {e}")))?;
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(["pages", id]);
        }
        let page: PageSingle = self.get_url(PAGE_ENDPOINT, url).await?;
        Ok(page.title)
    }
}
