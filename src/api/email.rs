//! Email addresses: the "privacy unsafe" endpoints. Sites answer 400 when the calling app is not
//! approved and 501 when the API is not enabled; both come back as ordinary errors
//! (`BadRequest`, `NotImplemented`) for the UI to show as "not available on this site".

use super::client::Client;
use super::error::ApiError;
use super::model::AccountIdEmailRecord;
use super::users::BULK_MAX;

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
}
