//! Spaces: the list the watch pane shows.

use super::client::Client;
use super::model::Space;
use super::paging::{Paged, Paging};

/// Filters of `getSpaces`. Empty fields are not sent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpaceFilter {
    /// Only these keys.
    pub keys: Vec<String>,
    /// `global` or `personal`.
    pub kind: Option<String>,
    /// `current` or `archived`.
    pub status: Option<String>,
    /// Spaces with this label.
    pub label: Option<String>,
    /// Only your favourites.
    pub favourite: Option<bool>,
    /// `expand` values, e.g. `description.plain`, `icon`.
    pub expand: Vec<String>,
}

impl Client {
    /// `getSpaces`.
    pub fn spaces(&self, filter: &SpaceFilter, paging: Paging) -> Paged<Space> {
        let url = self.url(&["space"]).map(|mut url| {
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
            drop(q);
            url
        });
        self.paged("GET /space", url)
    }
}
