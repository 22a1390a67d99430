//! Groups: list, picker search, and members by group id.

use super::client::Client;
use super::model::{Group, User};
use super::paging::{Paged, Paging};
use super::users::{expand_query, UserExpand};

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
}
