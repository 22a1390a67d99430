//! The Profile pane's property requests, for the worker: read a value before editing it; create
//! or replace it and read back what the site stored (PUT answers 204 without a body, and a
//! POST's 201 may have none); delete it. Each ends in one [`Done::PropertyDone`].

use crate::api::Client;
use crate::app::action::Done;
use crate::app::property_edit::{PropertyAnswer, PropertyOp};
use crate::app::{Action, RequestId};

/// Runs `op` on `account_id`'s property `key`.
pub async fn run(
    client: Client,
    id: RequestId,
    account_id: String,
    key: String,
    op: PropertyOp,
) -> Action {
    let result = match op {
        PropertyOp::Read => client
            .user_property(&account_id, &key)
            .await
            .map(PropertyAnswer::Value),
        PropertyOp::Create(value) => {
            match client.create_user_property(&account_id, &key, &value).await {
                Ok(Some(prop)) => Ok(PropertyAnswer::Value(prop)),
                Ok(None) => Ok(read_back(&client, &account_id, &key).await),
                Err(e) => Err(e),
            }
        }
        PropertyOp::Update(value) => {
            match client.update_user_property(&account_id, &key, &value).await {
                Ok(()) => Ok(read_back(&client, &account_id, &key).await),
                Err(e) => Err(e),
            }
        }
        PropertyOp::Delete => client
            .delete_user_property(&account_id, &key)
            .await
            .map(|()| PropertyAnswer::Deleted),
    };
    Done::PropertyDone { id, result }.into()
}

/// The value the site stored, after a write that succeeded.
async fn read_back(client: &Client, account_id: &str, key: &str) -> PropertyAnswer {
    match client.user_property(account_id, key).await {
        Ok(prop) => PropertyAnswer::Value(prop),
        Err(e) => PropertyAnswer::WrittenUnread(e.to_string()),
    }
}
