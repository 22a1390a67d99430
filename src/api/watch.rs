//! Watches of content, labels and spaces: status, add, remove (nine operations as three methods
//! over [`WatchTarget`]). Writes carry `X-Atlassian-Token: no-check` (added by the client core).
//! Watch endpoints answer 403, not 404, when the target does not exist or is hidden, and when a
//! non-administrator names another user.

use super::client::Client;
use super::error::ApiError;
use super::model::UserWatch;
use reqwest::Method;
use serde::{Deserialize, Serialize};

/// Something a user can watch.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "lowercase")]
pub enum WatchTarget {
    /// A page or blog post, by content id.
    Content(String),
    /// A label, by name.
    Label(String),
    /// A space, by key.
    Space(String),
}

impl WatchTarget {
    fn segments(&self) -> [&str; 2] {
        match self {
            WatchTarget::Content(id) => ["content", id],
            WatchTarget::Label(name) => ["label", name],
            WatchTarget::Space(key) => ["space", key],
        }
    }

    /// `content`, `label` or `space`.
    pub fn kind(&self) -> &'static str {
        match self {
            WatchTarget::Content(_) => "content",
            WatchTarget::Label(_) => "label",
            WatchTarget::Space(_) => "space",
        }
    }

    /// The id, name or key.
    pub fn id(&self) -> &str {
        match self {
            WatchTarget::Content(s) | WatchTarget::Label(s) | WatchTarget::Space(s) => s,
        }
    }

    fn check(&self) -> Result<(), ApiError> {
        if self.id().trim().is_empty() {
            return Err(ApiError::InvalidInput(format!(
                "a {} to watch needs a non-empty {}",
                self.kind(),
                match self {
                    WatchTarget::Content(_) => "id",
                    WatchTarget::Label(_) => "name",
                    WatchTarget::Space(_) => "key",
                }
            )));
        }
        Ok(())
    }
}

impl Client {
    fn watch_url(
        &self,
        target: &WatchTarget,
        user: Option<&str>,
    ) -> Result<reqwest::Url, ApiError> {
        let [kind, id] = target.segments();
        let mut url = self.url(&["user", "watch", kind, id])?;
        if let Some(account_id) = user {
            url.query_pairs_mut().append_pair("accountId", account_id);
        }
        Ok(url)
    }

    /// `getContentWatchStatus`, `isWatchingLabel`, `isWatchingSpace`: whether `user` (default:
    /// you) watches the target.
    pub async fn watch_status(
        &self,
        target: &WatchTarget,
        user: Option<&str>,
    ) -> Result<bool, ApiError> {
        target.check()?;
        let endpoint = format!("GET /user/watch/{}", target.kind());
        let watch: UserWatch = self
            .get_url(&endpoint, self.watch_url(target, user)?)
            .await?;
        Ok(watch.watching)
    }

    /// `addContentWatcher`, `addLabelWatcher`, `addSpaceWatcher`.
    pub async fn add_watch(
        &self,
        target: &WatchTarget,
        user: Option<&str>,
    ) -> Result<(), ApiError> {
        target.check()?;
        let endpoint = format!("POST /user/watch/{}", target.kind());
        self.send(Method::POST, &endpoint, self.watch_url(target, user)?, None)
            .await
            .map(drop)
    }

    /// `removeContentWatcher`, `removeLabelWatcher`, `removeSpaceWatch`.
    pub async fn remove_watch(
        &self,
        target: &WatchTarget,
        user: Option<&str>,
    ) -> Result<(), ApiError> {
        target.check()?;
        let endpoint = format!("DELETE /user/watch/{}", target.kind());
        self.send(
            Method::DELETE,
            &endpoint,
            self.watch_url(target, user)?,
            None,
        )
        .await
        .map(drop)
    }
}
