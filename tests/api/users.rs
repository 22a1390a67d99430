//! Users: the current and the anonymous user, one user, bulk lookups, and the user search.
//!
//! Rows of the serve/call/assert shape (see `call`), and the bulk lookup that splits a long list
//! of ids into calls of at most `BULK_MAX`.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::call::Call;
use crate::support::mock::{fixture_json, header, ok_json, query, requests, API};
use crate::{basic_header, client, fast_retry, ids, ACCOUNT};
use confdir::api::model::{EmailState, User};
use confdir::api::{fullname_cql, ApiError, Paging, SitePermissionFilter, UserExpand, BULK_MAX};
use pretty_assertions::assert_eq;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The CQL `fullname_cql` makes of `Ada "The Countess"`: the quotes inside are escaped.
const COUNTESS_CQL: &str = r#"user.fullname~"Ada \"The Countess\"""#;

calls! {
    /// Without an expand: the profile decodes, time zone and account type included.
    current_user_without_expand_decodes_the_profile => Call::get("/user/current")
        .answers(ok_json("user-current-with-timezone.constructed.json"))
        .then(|c| async move {
            let plain = c.current_user(&[]).await.expect("current user");
            assert_eq!(plain.display_name.as_deref(), Some("Administrator"));
            assert_eq!(plain.time_zone.as_deref(), Some("Australia/Sydney"));
            assert_eq!(plain.account_type.as_deref(), Some("atlassian"));
            assert!(!plain.is_guest());
        });
    /// Every expand, in the order given, in one comma-joined parameter.
    current_user_sends_every_expand => Call::get("/user/current")
        .query(&[("expand", "operations,personalSpace,isExternalCollaborator")])
        .answers(ok_json("user-current-with-timezone.constructed.json"))
        .then(|c| async move {
            let all = [
                UserExpand::Operations,
                UserExpand::PersonalSpace,
                UserExpand::IsExternalCollaborator,
            ];
            c.current_user(&all).await.expect("expanded");
        });
    current_user_sends_one_expand => Call::get("/user/current")
        .query(&[("expand", "personalSpace")])
        .answers(ok_json("user-current-with-timezone.constructed.json"))
        .then(|c| async move {
            c.current_user(&[UserExpand::PersonalSpace]).await.expect("one expand");
        });
    /// Basic credentials travel as `Basic base64(email:token)`.
    auth_basic_sends_the_basic_header => Call::get("/user/current")
        .retry(fast_retry(0))
        .answers(ok_json("user-current.mcp-atlassian.json"))
        .then(|c| async move {
            c.current_user(&[]).await.expect("current user");
        });
    auth_bearer_sends_the_bearer_header => Call::get("/user/current")
        .bearer()
        .retry(fast_retry(0))
        .answers(ok_json("user-current.mcp-atlassian.json"))
        .then(|c| async move {
            c.current_user(&[]).await.expect("current user");
        });
    auth_anonymous_sends_no_header => Call::get("/user/current")
        .anonymous()
        .retry(fast_retry(0))
        .answers(ok_json("user-current.mcp-atlassian.json"))
        .then(|c| async move {
            c.current_user(&[]).await.expect("current user");
        });
    anonymous_user_without_operations_decodes => Call::get("/user/anonymous")
        .anonymous()
        .retry(fast_retry(0))
        .answers(ok_json("user-anonymous.constructed.json"))
        .then(|c| async move {
            let anon = c.anonymous_user(false).await.expect("anonymous");
            assert_eq!(anon.kind, "anonymous");
            assert_eq!(anon.display_name, "Anonymous");
            assert_eq!(anon.profile_picture.map(|p| p.is_default), Some(Some(true)));
        });
    anonymous_user_with_operations => Call::get("/user/anonymous")
        .anonymous()
        .retry(fast_retry(0))
        .query(&[("expand", "operations")])
        .answers(ok_json("user-anonymous.constructed.json"))
        .then(|c| async move {
            c.anonymous_user(true).await.expect("with operations");
        });
    get_user_sends_the_account_id_and_decodes => Call::get("/user")
        .query(&[("accountId", ACCOUNT)])
        .answers(ok_json("user-captured.cloudplaydev.json"))
        .then(|c| async move {
            let user = c.user(ACCOUNT, &[]).await.expect("user");
            assert_eq!(user.account_id.as_deref(), Some(ACCOUNT));
            assert_eq!(user.public_name.as_deref(), Some("myusername"));
            assert_eq!(user.name(), "Artem Stepin");
            assert_eq!(user.email_state(), EmailState::Visible("somemail@gmail.com"));
        });
    get_user_sends_two_expands => Call::get("/user")
        .query(&[("accountId", ACCOUNT), ("expand", "operations,personalSpace")])
        .answers(ok_json("user-captured.cloudplaydev.json"))
        .then(|c| async move {
            c.user(ACCOUNT, &[UserExpand::Operations, UserExpand::PersonalSpace])
                .await
                .expect("expanded user");
        });
    get_user_sends_the_deprecated_expand => Call::get("/user")
        .query(&[("accountId", ACCOUNT), ("expand", "isExternalCollaborator")])
        .answers(ok_json("user-captured.cloudplaydev.json"))
        .then(|c| async move {
            c.user(ACCOUNT, &[UserExpand::IsExternalCollaborator])
                .await
                .expect("deprecated expand");
        });
    get_user_hidden_by_privacy_settings_decodes_as_hidden_not_empty => Call::get("/user")
        .query(&[("accountId", "5b10ac8d82e05b22cc7d4ef5")])
        .answers(ok_json("user-privacy-hidden.constructed.json"))
        .then(|c| async move {
            let user = c.user("5b10ac8d82e05b22cc7d4ef5", &[]).await.expect("user");
            assert_eq!(user.email_state(), EmailState::Hidden);
            assert_eq!(user.time_zone, None);
            assert_eq!(user.profile_picture, None);
            assert_eq!(user.name(), "jsmith");
        });
    get_unknown_user_is_not_found_with_confluences_message => Call::get("/user")
        .query(&[("accountId", "nobody")])
        .answers(
            ResponseTemplate::new(404)
                .set_body_json(fixture_json("error-404.atlassian-spec-narrative.json")),
        )
        .then(|c| async move {
            let err = c.user("nobody", &[]).await.unwrap_err();
            assert!(
                matches!(&err, ApiError::NotFound { message, .. } if message == "This is an example error message."),
                "{err:?}"
            );
            assert_eq!(
                err.to_string(),
                "GET /user: not found (404): This is an example error message."
            );
        });
    bulk_lookup_of_a_few_ids_is_one_call_and_decodes_the_fixture => Call::get("/user/bulk")
        .query(&[
            ("accountId", ACCOUNT),
            ("accountId", "some-atlassian-uuid"),
            ("expand", "personalSpace,operations"),
        ])
        .answers(ok_json("bulk-user-lookup-array.constructed.json"))
        .then(|c| async move {
            let wanted = vec![ACCOUNT.to_string(), "some-atlassian-uuid".to_string()];
            let users = c
                .bulk_users(&wanted, &[UserExpand::PersonalSpace, UserExpand::Operations])
                .await
                .expect("bulk lookup");
            let names: Vec<&str> = users.iter().map(User::name).collect();
            assert_eq!(names, vec!["Artem Stepin", "John Doe"]);
        });
    /// A fullname search: the CQL (quotes escaped), paging, no permission filter, no expand.
    search_users_sends_the_cql_and_paging_and_decodes => Call::get("/search/user")
        .query(&[("cql", COUNTESS_CQL), ("start", "0"), ("limit", "25")])
        .answers(ok_json("search-user.marked-space.json"))
        .then(|c| async move {
            let cql = fullname_cql(r#"Ada "The Countess""#);
            assert_eq!(cql, COUNTESS_CQL);
            let page = c
                .search_users(&cql, Paging::first(25), SitePermissionFilter::None, &[])
                .first()
                .await
                .expect("search");
            assert_eq!(page.total_size, Some(1));
            let user = page.results[0].user.as_ref().expect("a user hit");
            assert_eq!(user.name(), "John Doe");
            assert_eq!(page.results[0].entity_type, "user");
        });
    /// The expand values Atlassian documents for `/search/user`, without a `user.` prefix.
    search_users_sends_the_permission_filter_and_expand => Call::get("/search/user")
        .query(&[
            ("cql", COUNTESS_CQL),
            ("start", "25"),
            ("limit", "10"),
            ("sitePermissionTypeFilter", "all"),
            ("expand", "operations,personalSpace"),
        ])
        .answers(ok_json("search-user.marked-space.json"))
        .then(|c| async move {
            c.search_users(
                COUNTESS_CQL,
                Paging { start: 25, limit: 10 },
                SitePermissionFilter::All,
                &[UserExpand::Operations, UserExpand::PersonalSpace],
            )
            .first()
            .await
            .expect("search all");
        });
    search_users_sends_the_guest_filter => Call::get("/search/user")
        .query(&[
            ("cql", "type=user"),
            ("start", "0"),
            ("limit", "5"),
            ("sitePermissionTypeFilter", "externalCollaborator"),
        ])
        .answers(ok_json("search-user.marked-space.json"))
        .then(|c| async move {
            c.search_users(
                "type=user",
                Paging::first(5),
                SitePermissionFilter::ExternalCollaborator,
                &[],
            )
            .first()
            .await
            .expect("search guests");
        });
    /// No match: an empty page, and no request for a next one.
    search_users_with_no_match_is_an_empty_page => Call::get("/search/user")
        .query(&[("cql", r#"user.fullname~"dave""#), ("start", "0"), ("limit", "25")])
        .answers(ok_json("search-user-empty.marked-space.json"))
        .then(|c| async move {
            let all = c
                .search_users(
                    &fullname_cql("dave"),
                    Paging::first(25),
                    SitePermissionFilter::None,
                    &[],
                )
                .all()
                .await
                .expect("search");
            assert!(all.is_empty());
        });
}

#[tokio::test]
async fn bulk_lookup_of_250_ids_makes_3_calls_of_at_most_100_repeated_params() {
    let server = MockServer::start().await;
    // Answers with one user per `accountId` it was sent, in the order sent.
    let echo = |req: &Request| {
        let results: Vec<Value> = req
            .url
            .query_pairs()
            .filter(|(k, _)| k == "accountId")
            .map(|(_, id)| json!({"type": "known", "accountId": id, "publicName": format!("p-{id}")}))
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({
            "results": results, "start": 0, "limit": 100, "size": results.len(), "_links": {}
        }))
    };
    Mock::given(method("GET"))
        .and(path(format!("{API}/user/bulk")))
        .respond_with(echo)
        .expect(3)
        .mount(&server)
        .await;
    let wanted = ids(250);

    let users = client(&server)
        .bulk_users(&wanted, &[UserExpand::Operations])
        .await
        .expect("bulk lookup");

    let got: Vec<String> = users.iter().filter_map(|u| u.account_id.clone()).collect();
    assert_eq!(got, wanted, "every user, in the order asked");
    let reqs = requests(&server).await;
    let mut sizes = Vec::new();
    let mut sent = Vec::new();
    for req in &reqs {
        assert_eq!(req.url.path(), format!("{API}/user/bulk"));
        assert_eq!(header(req, "authorization"), Some(basic_header().as_str()));
        let q = query(req);
        let chunk: Vec<String> = q
            .iter()
            .filter(|(k, _)| k == "accountId")
            .map(|(_, v)| v.clone())
            .collect();
        assert!(chunk.len() <= BULK_MAX);
        assert!(
            chunk.iter().all(|id| !id.contains(',')),
            "ids are repeated params, not comma-joined"
        );
        assert_eq!(
            q.iter().filter(|(k, _)| k == "expand").collect::<Vec<_>>(),
            vec![&("expand".to_string(), "operations".to_string())]
        );
        sizes.push(chunk.len());
        sent.extend(chunk);
    }
    sizes.sort_unstable();
    assert_eq!(sizes, vec![50, 100, 100]);
    sent.sort();
    assert_eq!(sent, wanted, "each id sent exactly once");
}
