//! The worker's part of a group-wide watch: every member of a group, all pages, in one task.

use crate::api::Client;
use crate::app::action::{Action, Done};
use crate::app::request::RequestId;

/// Every member of `group_id` (every page), answered as [`Done::AllMembers`].
pub(super) async fn fetch_all_members(client: Client, id: RequestId, group_id: String) -> Action {
    let result = client.all_group_members(&group_id).await;
    Done::AllMembers { id, result }.into()
}
