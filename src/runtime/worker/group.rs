//! The worker's part of a group-wide watch: every member of a group, all pages, in one task.

use crate::api::{Client, Paging};
use crate::app::action::{Action, Done};
use crate::app::request::RequestId;

/// Members per page: the most `membersByGroupId` returns in one page.
const MEMBERS_PAGE: u32 = 200;

/// Every member of `group_id` (every page), answered as [`Done::AllMembers`].
pub(super) async fn fetch_all_members(client: Client, id: RequestId, group_id: String) -> Action {
    let result = client
        .group_members(&group_id, Paging::first(MEMBERS_PAGE), &[])
        .all()
        .await;
    Done::AllMembers { id, result }.into()
}
