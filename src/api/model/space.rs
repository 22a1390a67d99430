//! A space as either generation of the API sends it: v1's `Space` schema
//! (`GET /wiki/rest/api/space`) and v2's `SpaceBulk` (`GET /wiki/api/v2/spaces`, Atlassian's
//! published v2 spec, "The Confluence Cloud REST API v2" 2.0.0). The two share `key`, `name`,
//! `type`, `status`, `icon`, `description` and `_links.webui`; v2 sends `id` as a string where v1
//! sends a number, and adds `authorId`, `createdAt` and `homepageId`.

use super::{Icon, Links};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

/// A space's id: a number in v1, a string in v2 (`SpaceBulk.id` is `type: string`). Kept as it
/// came, so a `--json` dump shows what the server sent; compare with [`SpaceId::as_text`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SpaceId {
    /// v1: an integer.
    Number(i64),
    /// v2: a string (digits in every sample seen, but the spec promises only a string).
    Text(String),
}

impl SpaceId {
    /// The id as text, whichever generation sent it: `98306` for both `98306` and `"98306"`.
    pub fn as_text(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for SpaceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SpaceId::Number(n) => write!(f, "{n}"),
            SpaceId::Text(s) => f.write_str(s),
        }
    }
}

impl From<i64> for SpaceId {
    fn from(n: i64) -> Self {
        SpaceId::Number(n)
    }
}

impl From<String> for SpaceId {
    fn from(s: String) -> Self {
        SpaceId::Text(s)
    }
}

/// A space (v1 `Space`, v2 `SpaceBulk`). `homepage` and `description` are recursive or rich in
/// the spec and are kept as raw JSON: confdir only shows them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Space {
    /// The space's id: a number from v1, a string from v2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<SpaceId>,
    /// The space key, e.g. `ENG` or `~user1` for a personal space: the handle the watch calls and
    /// the web UI use.
    #[serde(default)]
    pub key: String,
    /// The space's alias (v1); equal to the key in every sample seen. confdir does not read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// The space's title, shown beside its key.
    #[serde(default)]
    pub name: String,
    /// `global` or `personal` (v2 adds `collaboration` and `knowledge_base`).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// `current` or `archived`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The space's icon; v1 with `expand=icon`, v2 with `include-icon=true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<Icon>,
    /// The `description` object (`plain` and `view` forms, each only when asked for), as raw JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Value>,
    /// v1: the space's home page, a full `Content` object in the spec, kept as raw JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub homepage: Option<Value>,
    /// v2: the id of the space's home page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub homepage_id: Option<String>,
    /// v2: the account id of the person who created the space.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_id: Option<String>,
    /// v2: when the space was created (`YYYY-MM-DDTHH:mm:ss.sssZ`), kept as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// v1: the `metadata` object (its `labels`), only when expanded, as raw JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
    /// v1: `_expandable`, members `expand` could add, as path strings or `""`.
    #[serde(
        default,
        rename = "_expandable",
        skip_serializing_if = "Option::is_none"
    )]
    pub expandable: Option<Value>,
    /// `_links` of the space: `webui` (its page in the web UI) and, in v1, `self`.
    #[serde(default, rename = "_links")]
    pub links: Links,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_decodes_from_either_generation_and_is_written_back_as_it_came() {
        let v1: Space = serde_json::from_str(r#"{"id":98306,"key":"DS","name":"D"}"#).unwrap();
        let v2: Space = serde_json::from_str(r#"{"id":"98306","key":"DS","name":"D"}"#).unwrap();
        assert_eq!(v1.id, Some(SpaceId::Number(98306)));
        assert_eq!(v2.id, Some(SpaceId::Text("98306".into())));
        assert_eq!(
            v1.id.as_ref().map(SpaceId::as_text),
            v2.id.as_ref().map(SpaceId::as_text)
        );
        assert_eq!(serde_json::to_value(&v1).unwrap()["id"], 98306);
        assert_eq!(serde_json::to_value(&v2).unwrap()["id"], "98306");
    }
}
