//! Email addresses: one account's, and many at once (comma-joined, 100 ids per call), and the
//! two ways a site refuses them.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::call::Call;
use crate::support::mock::{error_response, ok_json, query, requests, serve};
use crate::{client, ids, ACCOUNT};
use confdir::api::model::AccountIdEmailRecord;
use confdir::api::ApiError;
use pretty_assertions::assert_eq;
use wiremock::MockServer;

calls! {
    user_email_sends_the_account_id_and_decodes_the_record => Call::get("/user/email")
        .query(&[("accountId", "500123")])
        .answers(ok_json("account-id-email-record.api-evangelist.json"))
        .then(|c| async move {
            let record = c.user_email("500123").await.expect("email");
            assert_eq!(
                record,
                AccountIdEmailRecord {
                    account_id: "500123".into(),
                    email: "user@example.com".into()
                }
            );
        });
    user_emails_bulk_sends_comma_joined_ids => Call::get("/user/email/bulk")
        .query(&[("accountId", &format!("{ACCOUNT},5b10ac8d82e05b22cc7d4ef5"))])
        .answers(ok_json("account-id-email-record-array.constructed.json"))
        .then(|c| async move {
            let two = vec![ACCOUNT.to_string(), "5b10ac8d82e05b22cc7d4ef5".to_string()];
            let records = c.user_emails(&two).await.expect("emails");
            assert_eq!(records.len(), 2);
            assert_eq!(records[1].email, "jsmith@example.com");
        });
}

#[tokio::test]
async fn user_emails_bulk_sends_100_ids_per_call() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/user/email/bulk",
        ok_json("account-id-email-record-array.constructed.json"),
    )
    .await;

    let many = ids(150);
    client(&server)
        .user_emails(&many)
        .await
        .expect("150 emails");

    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 2, "two calls for 150 ids");
    assert_eq!(
        query(&reqs[0]),
        vec![("accountId".into(), many[..100].join(","))]
    );
    assert_eq!(
        query(&reqs[1]),
        vec![("accountId".into(), many[100..].join(","))]
    );
}

calls! {
    /// An app not approved for email addresses: a 400 with the reason, not retried.
    email_api_unapproved_is_bad_request => Call::get("/user/email")
        .query(&[("accountId", ACCOUNT)])
        .answers(error_response(400, "The app is not approved to access email addresses"))
        .then(|c| async move {
            let one = c.user_email(ACCOUNT).await.unwrap_err();
            assert!(matches!(one, ApiError::BadRequest { .. }), "{one:?}");
            assert_eq!(
                one.server_message(),
                Some("The app is not approved to access email addresses")
            );
        });
    /// A site without the email API: 501, said as such, not retried.
    email_api_disabled_is_not_implemented => Call::get("/user/email/bulk")
        .query(&[("accountId", &ids(2).join(","))])
        .answers(error_response(501, "This API is not enabled for this site"))
        .then(|c| async move {
            let bulk = c.user_emails(&ids(2)).await.unwrap_err();
            assert!(matches!(bulk, ApiError::NotImplemented { .. }), "{bulk:?}");
            assert_eq!(
                bulk.to_string(),
                "GET /user/email/bulk: this site does not offer this API (501): This API is not enabled for this site."
            );
        });
}
