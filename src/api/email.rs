//! Email addresses: the "privacy unsafe" endpoints. Sites answer 400 when the calling app is not
//! approved and 501 when the API is not enabled; both come back as ordinary errors
//! (`BadRequest`, `NotImplemented`) for the UI to show as "not available on this site".
//!
//! A group's addresses ([`member_emails`]) pair every member with the bulk answer by account id:
//! an account the bulk endpoint leaves out ("Any accounts which are not available will not be
//! included in the result", contract `getPrivacyUnsafeUserEmailBulk`) is kept and marked hidden,
//! never dropped. The contract asks only the "Can use" permission of the caller; confdir offers
//! group-wide address lists to administrators only (issue 12: "An administrator can copy or
//! export the email addresses of a group's members"), checked with [`is_administrator`] before
//! anything is sent.

use super::client::Client;
use super::error::ApiError;
use super::model::{AccountIdEmailRecord, User};
use super::users::BULK_MAX;
use serde::Serialize;
use std::collections::HashMap;

impl Client {
    /// `getPrivacyUnsafeUserEmail`: one user's address, whatever their profile visibility.
    pub async fn user_email(&self, account_id: &str) -> Result<AccountIdEmailRecord, ApiError> {
        let mut url = self.url(&["user", "email"])?;
        url.query_pairs_mut().append_pair("accountId", account_id);
        self.get_url("GET /user/email", url).await
    }

    /// `getPrivacyUnsafeUserEmailBulk`: several addresses; accounts that are not available are
    /// silently left out by the server. Ids go comma-separated, [`BULK_MAX`] per call.
    pub async fn user_emails(
        &self,
        account_ids: &[String],
    ) -> Result<Vec<AccountIdEmailRecord>, ApiError> {
        let mut out = Vec::with_capacity(account_ids.len());
        for chunk in account_ids.chunks(BULK_MAX) {
            let mut url = self.url(&["user", "email", "bulk"])?;
            url.query_pairs_mut()
                .append_pair("accountId", &chunk.join(","));
            let records: Vec<AccountIdEmailRecord> =
                self.get_url("GET /user/email/bulk", url).await?;
            out.extend(records);
        }
        Ok(out)
    }

    /// A group's members with their addresses ([`member_emails`]): every member page (the later
    /// ones in parallel), then the bulk endpoint [`BULK_MAX`] ids a request, those requests in
    /// parallel too. `progress` hears
    /// (members read, addresses asked for) after each request. For `groups emails` and `@`.
    pub async fn group_emails(
        &self,
        group_id: &str,
        mut progress: impl FnMut(usize, usize),
    ) -> Result<Vec<MemberEmail>, ApiError> {
        use futures::StreamExt;
        let mut members = Vec::new();
        let limit = super::concurrency::AdaptiveLimit::default();
        let mut pages = self.group_members_pages(group_id, &limit);
        while let Some(page) = pages.next().await {
            members.extend(page?.results);
            progress(members.len(), 0);
        }
        let ids: Vec<String> = members
            .iter()
            .filter_map(|u| u.account_id.clone())
            .collect();
        // The bulk requests go together, as the member pages did, under the same ceiling
        // (halved by a 429); answers are taken as they come.
        let chunks: Vec<Vec<String>> = ids.chunks(BULK_MAX).map(<[String]>::to_vec).collect();
        let mut answers = futures::stream::iter(chunks)
            .map(|chunk| {
                let (client, limit) = (self.clone(), limit.clone());
                async move {
                    let records = limit.within(&client, client.user_emails(&chunk)).await;
                    (chunk.len(), records)
                }
            })
            .buffer_unordered(super::group::MEMBERS_PARALLEL);
        let mut records = Vec::new();
        let mut asked = 0;
        while let Some((count, answer)) = answers.next().await {
            records.extend(answer?);
            asked += count;
            progress(members.len(), asked);
        }
        Ok(member_emails(&members, &records))
    }
}

/// One member of a group with their address, if the site gave one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberEmail {
    /// The member's account id.
    pub account_id: String,
    /// Their name as the directory shows it.
    pub display_name: String,
    /// The address; `None` when the site left the account out of its answer or sent `""`.
    pub email: Option<String>,
    /// Whether the address is hidden (`email` is `None`).
    pub hidden: bool,
}

/// Every member paired with their address from `records`, in the members' order: a member the
/// records leave out (or give as `""`) is kept, hidden.
pub fn member_emails(members: &[User], records: &[AccountIdEmailRecord]) -> Vec<MemberEmail> {
    let by_id: HashMap<&str, &str> = records
        .iter()
        .map(|r| (r.account_id.as_str(), r.email.as_str()))
        .collect();
    members
        .iter()
        .filter_map(|u| {
            let id = u.account_id.as_deref()?;
            let email = by_id
                .get(id)
                .filter(|e| !e.trim().is_empty())
                .map(|e| e.to_string());
            Some(MemberEmail {
                account_id: id.to_string(),
                display_name: u.name().to_string(),
                hidden: email.is_none(),
                email,
            })
        })
        .collect()
}

/// Whether `user` (from `/user/current?expand=operations`) administers the site
/// ([`User::administers_site`]); no operations sent counts as no.
pub fn is_administrator(user: &User) -> bool {
    user.administers_site() == Some(true)
}

/// The sentence for a site whose email API refused (400: the caller is not approved; 501: not
/// enabled), or `None` for any other error.
pub fn email_api_refusal(error: &ApiError) -> Option<String> {
    matches!(
        error,
        ApiError::BadRequest { .. } | ApiError::NotImplemented { .. }
    )
    .then(|| {
        format!("This site does not give confdir email addresses (its email API refused: {error})")
    })
}

/// The sentence for a caller who is not an administrator: nothing is sent.
pub const NOT_ADMINISTRATOR: &str =
    "Only Confluence administrators can list a group's email addresses; nothing was sent";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::OperationCheck;

    fn member(id: &str, name: &str) -> User {
        User {
            account_id: Some(id.into()),
            display_name: Some(name.into()),
            ..User::default()
        }
    }

    #[test]
    fn members_left_out_or_blank_are_kept_hidden_in_the_members_order() {
        let members = [member("a", "Ann"), member("b", "Bo"), member("c", "Cy")];
        let records = [
            AccountIdEmailRecord {
                account_id: "c".into(),
                email: "cy@x.example".into(),
            },
            AccountIdEmailRecord {
                account_id: "b".into(),
                email: " ".into(),
            },
        ];
        let rows = member_emails(&members, &records);
        let shown: Vec<(&str, Option<&str>, bool)> = rows
            .iter()
            .map(|r| (r.account_id.as_str(), r.email.as_deref(), r.hidden))
            .collect();
        assert_eq!(
            shown,
            [
                ("a", None, true),
                ("b", None, true),
                ("c", Some("cy@x.example"), false)
            ]
        );
    }

    #[test]
    fn an_administrator_administers_the_application_or_site() {
        let mut me = member("a", "Ann");
        assert!(!is_administrator(&me), "no operations sent");
        me.operations = Some(vec![OperationCheck {
            operation: "administer".into(),
            target_type: "space".into(),
        }]);
        assert!(!is_administrator(&me), "a space administrator is not one");
        me.operations = Some(vec![OperationCheck {
            operation: "administer".into(),
            target_type: "application".into(),
        }]);
        assert!(is_administrator(&me));
    }
}
