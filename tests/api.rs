//! The Confluence client against a local mock Confluence (wiremock on 127.0.0.1).
//!
//! Every operation of the contract is called through the public `Client` API. Each test checks
//! what reached the server (method, path, the exact query, auth and `X-Atlassian-Token` headers,
//! the body) and what came back (the decoded value or the `ApiError`). Response bodies are the
//! fixtures in `tests/fixtures/`: real or documented Confluence answers. Retries use millisecond
//! back-offs and timeouts a fraction of a second, so the whole file runs in a few seconds.

use base64::Engine;
use confdir::api::model::{
    AccountIdEmailRecord, AnonymousUser, EmailState, ErrorBody, Group, Page, PropertyKey,
    SearchResult, Space, User, UserProperty, UserPropertyWrite, UserWatch,
};
use confdir::api::{
    fullname_cql, ApiError, Auth, Client, ClientConfig, GroupAccess, Paging, RetryPolicy, Secret,
    SitePermissionFilter, SpaceFilter, UserExpand, WatchTarget, BULK_MAX,
};
use futures::StreamExt;
use pretty_assertions::assert_eq;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const EMAIL: &str = "ada@example.com";
const TOKEN: &str = "tok-SECRET-123";
const API: &str = "/wiki/rest/api";
const ACCOUNT: &str = "598058:5c617f13-29ad-4667-a874-4371dba57509";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn basic() -> Auth {
    Auth::Basic {
        email: EMAIL.into(),
        token: Secret::new(TOKEN),
    }
}

fn bearer() -> Auth {
    Auth::Bearer {
        token: Secret::new(TOKEN),
    }
}

/// `Basic base64(email:token)`, as Confluence Cloud expects it.
fn basic_header() -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{EMAIL}:{TOKEN}"));
    format!("Basic {encoded}")
}

/// The token in the form it travels in a Basic header.
fn basic_b64() -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{EMAIL}:{TOKEN}"))
}

fn fast_retry(max_retries: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(50),
    }
}

fn config_for(base: &str, auth: Auth) -> ClientConfig {
    let mut config = ClientConfig::new(base, auth);
    config.retry = fast_retry(3);
    config.timeout = Duration::from_secs(5);
    config.connect_timeout = Duration::from_secs(2);
    config
}

fn client_with(server: &MockServer, auth: Auth, retry: RetryPolicy) -> Client {
    let mut config = config_for(&server.uri(), auth);
    config.retry = retry;
    Client::new(config).expect("a loopback client builds")
}

/// A Basic-auth client with three fast retries.
fn client(server: &MockServer) -> Client {
    client_with(server, basic(), fast_retry(3))
}

/// A Basic-auth client that never retries: for tests about the first answer.
fn no_retry_client(server: &MockServer) -> Client {
    client_with(server, basic(), fast_retry(0))
}

fn fixture(name: &str) -> String {
    let file = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn fixture_json(name: &str) -> Value {
    serde_json::from_str(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn decode_fixture<T: DeserializeOwned>(name: &str) -> T {
    serde_json::from_str(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn ok_json(name: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(fixture_json(name))
}

/// Answers every `verb` request to `API + endpoint_path` with `response`.
async fn serve(server: &MockServer, verb: &str, endpoint_path: &str, response: ResponseTemplate) {
    Mock::given(method(verb))
        .and(path(format!("{API}{endpoint_path}")))
        .respond_with(response)
        .mount(server)
        .await;
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

/// The one request the server received.
async fn the_request(server: &MockServer) -> Request {
    let mut all = requests(server).await;
    assert_eq!(all.len(), 1, "expected exactly one request: {all:?}");
    all.remove(0)
}

fn query(req: &Request) -> Vec<(String, String)> {
    req.url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn header<'a>(req: &'a Request, name: &str) -> Option<&'a str> {
    req.headers.get(name).and_then(|v| v.to_str().ok())
}

/// Method, path, the exact query (order included), `Accept`, the auth header, and
/// `X-Atlassian-Token: no-check` on every write.
fn assert_request(req: &Request, verb: &str, endpoint_path: &str, q: &[(&str, &str)]) {
    assert_request_auth(req, verb, endpoint_path, q, Some(basic_header().as_str()));
}

fn assert_request_auth(
    req: &Request,
    verb: &str,
    endpoint_path: &str,
    q: &[(&str, &str)],
    auth: Option<&str>,
) {
    assert_eq!(req.method.as_str(), verb, "method of {}", req.url);
    assert_eq!(req.url.path(), format!("{API}{endpoint_path}"));
    let want: Vec<(String, String)> = q
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(query(req), want, "query of {}", req.url);
    assert_eq!(header(req, "accept"), Some("application/json"));
    assert_eq!(header(req, "authorization"), auth, "auth of {}", req.url);
    if verb != "GET" {
        assert_eq!(
            header(req, "x-atlassian-token"),
            Some("no-check"),
            "XSRF header on {verb} {}",
            req.url
        );
    }
}

fn assert_json_body(req: &Request, want: &Value) {
    assert_eq!(header(req, "content-type"), Some("application/json"));
    let got: Value = serde_json::from_slice(&req.body).expect("the body is JSON");
    assert_eq!(&got, want);
}

fn error_response(status: u16, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(ErrorBody::new(status, message))
}

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("557058:{i:04}")).collect()
}

// ---------------------------------------------------------------------------------------------
// Users
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_current_user_sends_each_expand_and_decodes_the_profile() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/user/current",
        ok_json("user-current-with-timezone.constructed.json"),
    )
    .await;
    let client = client(&server);

    let plain = client.current_user(&[]).await.expect("current user");
    let all = [
        UserExpand::Operations,
        UserExpand::PersonalSpace,
        UserExpand::IsExternalCollaborator,
    ];
    client.current_user(&all).await.expect("expanded");
    client
        .current_user(&[UserExpand::PersonalSpace])
        .await
        .expect("one expand");

    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 3);
    assert_request(&reqs[0], "GET", "/user/current", &[]);
    assert_request(
        &reqs[1],
        "GET",
        "/user/current",
        &[("expand", "operations,personalSpace,isExternalCollaborator")],
    );
    assert_request(
        &reqs[2],
        "GET",
        "/user/current",
        &[("expand", "personalSpace")],
    );
    assert_eq!(plain.display_name.as_deref(), Some("Administrator"));
    assert_eq!(plain.time_zone.as_deref(), Some("Australia/Sydney"));
    assert_eq!(plain.account_type.as_deref(), Some("atlassian"));
    assert!(!plain.is_guest());
}

#[tokio::test]
async fn auth_is_basic_bearer_or_absent() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/user/current",
        ok_json("user-current.mcp-atlassian.json"),
    )
    .await;

    for auth in [basic(), bearer(), Auth::Anonymous] {
        client_with(&server, auth, fast_retry(0))
            .current_user(&[])
            .await
            .expect("current user");
    }
    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 3);
    let bearer_header = format!("Bearer {TOKEN}");
    assert_request_auth(
        &reqs[0],
        "GET",
        "/user/current",
        &[],
        Some(basic_header().as_str()),
    );
    assert_request_auth(
        &reqs[1],
        "GET",
        "/user/current",
        &[],
        Some(bearer_header.as_str()),
    );
    assert_request_auth(&reqs[2], "GET", "/user/current", &[], None);
}

#[tokio::test]
async fn get_anonymous_user_with_and_without_operations() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/user/anonymous",
        ok_json("user-anonymous.constructed.json"),
    )
    .await;
    let client = client_with(&server, Auth::Anonymous, fast_retry(0));

    let anon = client.anonymous_user(false).await.expect("anonymous");
    client.anonymous_user(true).await.expect("with operations");

    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 2);
    assert_request_auth(&reqs[0], "GET", "/user/anonymous", &[], None);
    assert_request_auth(
        &reqs[1],
        "GET",
        "/user/anonymous",
        &[("expand", "operations")],
        None,
    );
    assert_eq!(anon.kind, "anonymous");
    assert_eq!(anon.display_name, "Anonymous");
    assert_eq!(anon.profile_picture.map(|p| p.is_default), Some(Some(true)));
}

#[tokio::test]
async fn get_user_sends_the_account_id_and_expand() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/user",
        ok_json("user-captured.cloudplaydev.json"),
    )
    .await;
    let client = client(&server);

    let user = client.user(ACCOUNT, &[]).await.expect("user");
    client
        .user(
            ACCOUNT,
            &[UserExpand::Operations, UserExpand::PersonalSpace],
        )
        .await
        .expect("expanded user");
    client
        .user(ACCOUNT, &[UserExpand::IsExternalCollaborator])
        .await
        .expect("deprecated expand");

    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 3);
    assert_request(&reqs[0], "GET", "/user", &[("accountId", ACCOUNT)]);
    assert_request(
        &reqs[1],
        "GET",
        "/user",
        &[
            ("accountId", ACCOUNT),
            ("expand", "operations,personalSpace"),
        ],
    );
    assert_request(
        &reqs[2],
        "GET",
        "/user",
        &[("accountId", ACCOUNT), ("expand", "isExternalCollaborator")],
    );
    assert_eq!(user.account_id.as_deref(), Some(ACCOUNT));
    assert_eq!(user.public_name.as_deref(), Some("myusername"));
    assert_eq!(user.name(), "Artem Stepin");
    assert_eq!(
        user.email_state(),
        EmailState::Visible("somemail@gmail.com")
    );
}

#[tokio::test]
async fn get_user_hidden_by_privacy_settings_decodes_as_hidden_not_empty() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/user",
        ok_json("user-privacy-hidden.constructed.json"),
    )
    .await;

    let user = client(&server)
        .user("5b10ac8d82e05b22cc7d4ef5", &[])
        .await
        .expect("user");

    assert_eq!(user.email_state(), EmailState::Hidden);
    assert_eq!(user.time_zone, None);
    assert_eq!(user.profile_picture, None);
    assert_eq!(user.name(), "jsmith");
}

#[tokio::test]
async fn get_unknown_user_is_not_found_with_confluences_message() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/user",
        ResponseTemplate::new(404)
            .set_body_json(fixture_json("error-404.atlassian-spec-narrative.json")),
    )
    .await;

    let err = client(&server).user("nobody", &[]).await.unwrap_err();

    assert!(
        matches!(&err, ApiError::NotFound { message, .. } if message == "This is an example error message."),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "GET /user: not found (404): This is an example error message."
    );
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

#[tokio::test]
async fn bulk_lookup_of_a_few_ids_is_one_call_and_decodes_the_fixture() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/user/bulk",
        ok_json("bulk-user-lookup-array.constructed.json"),
    )
    .await;
    let wanted = vec![ACCOUNT.to_string(), "some-atlassian-uuid".to_string()];

    let users = client(&server)
        .bulk_users(
            &wanted,
            &[UserExpand::PersonalSpace, UserExpand::Operations],
        )
        .await
        .expect("bulk lookup");

    assert_request(
        &the_request(&server).await,
        "GET",
        "/user/bulk",
        &[
            ("accountId", ACCOUNT),
            ("accountId", "some-atlassian-uuid"),
            ("expand", "personalSpace,operations"),
        ],
    );
    let names: Vec<&str> = users.iter().map(User::name).collect();
    assert_eq!(names, vec!["Artem Stepin", "John Doe"]);
}

#[tokio::test]
async fn group_memberships_send_account_and_paging_and_decode_groups() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/user/memberof",
        ok_json("group-array-with-links.page1.constructed.json"),
    )
    .await;

    let page = client(&server)
        .group_memberships(ACCOUNT, Paging { start: 4, limit: 2 })
        .first()
        .await
        .expect("memberships");

    assert_request(
        &the_request(&server).await,
        "GET",
        "/user/memberof",
        &[("accountId", ACCOUNT), ("start", "4"), ("limit", "2")],
    );
    let names: Vec<&str> = page.results.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, vec!["confluence-users", "site-admins"]);
    assert_eq!(page.results[0].id, "e50e7fe6-7961-4775-9bbf-99e4b50f8701");
    assert_eq!(page.results[1].managed_by.as_deref(), Some("ADMINS"));
    assert!(page.has_next(), "the fixture announces a next page");
}

// ---------------------------------------------------------------------------------------------
// Email
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn user_email_sends_the_account_id_and_decodes_the_record() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/user/email",
        ok_json("account-id-email-record.api-evangelist.json"),
    )
    .await;

    let record = client(&server).user_email("500123").await.expect("email");

    assert_request(
        &the_request(&server).await,
        "GET",
        "/user/email",
        &[("accountId", "500123")],
    );
    assert_eq!(
        record,
        AccountIdEmailRecord {
            account_id: "500123".into(),
            email: "user@example.com".into()
        }
    );
}

#[tokio::test]
async fn user_emails_bulk_sends_comma_joined_ids_100_per_call() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/user/email/bulk",
        ok_json("account-id-email-record-array.constructed.json"),
    )
    .await;
    let client = client(&server);

    let two = vec![ACCOUNT.to_string(), "5b10ac8d82e05b22cc7d4ef5".to_string()];
    let records = client.user_emails(&two).await.expect("emails");
    assert_request(
        &the_request(&server).await,
        "GET",
        "/user/email/bulk",
        &[(
            "accountId",
            format!("{ACCOUNT},5b10ac8d82e05b22cc7d4ef5").as_str(),
        )],
    );
    assert_eq!(records.len(), 2);
    assert_eq!(records[1].email, "jsmith@example.com");

    let many = ids(150);
    client.user_emails(&many).await.expect("150 emails");
    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 3, "one call for two ids, then two for 150");
    assert_eq!(
        query(&reqs[1]),
        vec![("accountId".into(), many[..100].join(","))]
    );
    assert_eq!(
        query(&reqs[2]),
        vec![("accountId".into(), many[100..].join(","))]
    );
}

#[tokio::test]
async fn email_api_unapproved_is_bad_request_and_disabled_is_not_implemented() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/user/email",
        error_response(400, "The app is not approved to access email addresses"),
    )
    .await;
    serve(
        &server,
        "GET",
        "/user/email/bulk",
        error_response(501, "This API is not enabled for this site"),
    )
    .await;
    let client = client(&server);

    let one = client.user_email(ACCOUNT).await.unwrap_err();
    let bulk = client.user_emails(&ids(2)).await.unwrap_err();

    assert!(matches!(one, ApiError::BadRequest { .. }), "{one:?}");
    assert_eq!(
        one.server_message(),
        Some("The app is not approved to access email addresses")
    );
    assert!(matches!(bulk, ApiError::NotImplemented { .. }), "{bulk:?}");
    assert_eq!(
        bulk.to_string(),
        "GET /user/email/bulk: this site does not offer this API (501): This API is not enabled for this site."
    );
    assert_eq!(
        requests(&server).await.len(),
        2,
        "4xx and 501 are not retried"
    );
}

// ---------------------------------------------------------------------------------------------
// Watches
// ---------------------------------------------------------------------------------------------

fn watch_targets() -> [(WatchTarget, &'static str); 3] {
    [
        (
            WatchTarget::Content("98765".into()),
            "/user/watch/content/98765",
        ),
        (
            WatchTarget::Label("release-notes".into()),
            "/user/watch/label/release-notes",
        ),
        (
            WatchTarget::Space("~alice".into()),
            "/user/watch/space/~alice",
        ),
    ]
}

#[tokio::test]
async fn watch_status_of_content_label_space_for_you_and_for_another_user() {
    let server = MockServer::start().await;
    for (i, (_, p)) in watch_targets().iter().enumerate() {
        serve(
            &server,
            "GET",
            p,
            ResponseTemplate::new(200).set_body_json(json!({ "watching": i % 2 == 0 })),
        )
        .await;
    }
    let client = client(&server);

    let mut answers = Vec::new();
    for (target, _) in watch_targets() {
        answers.push(client.watch_status(&target, None).await.expect("status"));
        answers.push(
            client
                .watch_status(&target, Some(ACCOUNT))
                .await
                .expect("status for a user"),
        );
    }

    assert_eq!(answers, vec![true, true, false, false, true, true]);
    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 6);
    for (i, (_, p)) in watch_targets().iter().enumerate() {
        assert_request(&reqs[2 * i], "GET", p, &[]);
        assert_request(&reqs[2 * i + 1], "GET", p, &[("accountId", ACCOUNT)]);
    }
}

#[tokio::test]
async fn add_watch_posts_with_xsrf_header_for_each_target_and_user() {
    let server = MockServer::start().await;
    for (_, p) in watch_targets() {
        serve(&server, "POST", p, ResponseTemplate::new(204)).await;
    }
    let client = client(&server);

    for (target, _) in watch_targets() {
        client.add_watch(&target, None).await.expect("watch");
        client
            .add_watch(&target, Some(ACCOUNT))
            .await
            .expect("watch for a user");
    }

    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 6);
    for (i, (_, p)) in watch_targets().iter().enumerate() {
        assert_request(&reqs[2 * i], "POST", p, &[]);
        assert_request(&reqs[2 * i + 1], "POST", p, &[("accountId", ACCOUNT)]);
        assert!(reqs[2 * i].body.is_empty(), "a watch POST has no body");
    }
}

#[tokio::test]
async fn remove_watch_deletes_with_xsrf_header_for_each_target_and_user() {
    let server = MockServer::start().await;
    for (_, p) in watch_targets() {
        serve(&server, "DELETE", p, ResponseTemplate::new(204)).await;
    }
    let client = client(&server);

    for (target, _) in watch_targets() {
        client.remove_watch(&target, None).await.expect("unwatch");
        client
            .remove_watch(&target, Some(ACCOUNT))
            .await
            .expect("unwatch for a user");
    }

    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 6);
    for (i, (_, p)) in watch_targets().iter().enumerate() {
        assert_request(&reqs[2 * i], "DELETE", p, &[]);
        assert_request(&reqs[2 * i + 1], "DELETE", p, &[("accountId", ACCOUNT)]);
    }
}

#[tokio::test]
async fn watching_a_hidden_target_is_forbidden_with_the_reason() {
    let server = MockServer::start().await;
    serve(
        &server,
        "POST",
        "/user/watch/space/SECRET",
        ResponseTemplate::new(403)
            .set_body_json(fixture_json("error-403-permission.captured.json")),
    )
    .await;

    let err = client(&server)
        .add_watch(&WatchTarget::Space("SECRET".into()), None)
        .await
        .unwrap_err();

    assert!(matches!(err, ApiError::Forbidden { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.starts_with("POST /user/watch/space: not permitted (403): Could not create content with type page. "),
        "{text}"
    );
}

#[tokio::test]
async fn path_ids_cannot_escape_their_segment() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"watching": false})))
        .mount(&server)
        .await;
    let client = client(&server);

    // `/` inside a name is encoded and stays one segment.
    client
        .watch_status(&WatchTarget::Label("a/b?c".into()), None)
        .await
        .expect("status");
    assert_eq!(
        the_request(&server).await.url.path(),
        format!("{API}/user/watch/label/a%2Fb%3Fc")
    );

    // Empty, `.` and `..` would silently call another endpoint: refused before sending.
    for bad in ["", ".", ".."] {
        for target in [
            WatchTarget::Content(bad.into()),
            WatchTarget::Label(bad.into()),
            WatchTarget::Space(bad.into()),
        ] {
            let err = client.watch_status(&target, None).await.unwrap_err();
            assert!(
                matches!(err, ApiError::InvalidInput(_)),
                "{target:?}: {err:?}"
            );
            let err = client.add_watch(&target, None).await.unwrap_err();
            assert!(
                matches!(err, ApiError::InvalidInput(_)),
                "{target:?}: {err:?}"
            );
            let err = client.remove_watch(&target, None).await.unwrap_err();
            assert!(
                matches!(err, ApiError::InvalidInput(_)),
                "{target:?}: {err:?}"
            );
        }
        let err = client
            .user_properties(bad, Paging::first(5))
            .first()
            .await
            .unwrap_err();
        assert!(matches!(err, ApiError::InvalidInput(_)), "{err:?}");
        let err = client
            .group_members(bad, Paging::first(5), &[])
            .all()
            .await
            .unwrap_err();
        assert!(matches!(err, ApiError::InvalidInput(_)), "{err:?}");
        let err = client.user_property(bad, "team").await.unwrap_err();
        assert!(matches!(err, ApiError::InvalidInput(_)), "{err:?}");
    }
    assert_eq!(requests(&server).await.len(), 1, "nothing else was sent");
}

// ---------------------------------------------------------------------------------------------
// User properties
// ---------------------------------------------------------------------------------------------

const PROP_USER: &str = "5b10ac8d82e05b22cc7d4ef5";

#[tokio::test]
async fn user_properties_list_clamps_limit_to_25() {
    let server = MockServer::start().await;
    let list_path = format!("/user/{PROP_USER}/property");
    serve(
        &server,
        "GET",
        &list_path,
        ok_json("user-property-key-array.constructed.json"),
    )
    .await;
    let client = client(&server);

    let page = client
        .user_properties(
            PROP_USER,
            Paging {
                start: 5,
                limit: 100,
            },
        )
        .first()
        .await
        .expect("keys");
    client
        .user_properties(PROP_USER, Paging::first(10))
        .first()
        .await
        .expect("keys");

    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 2);
    assert_request(
        &reqs[0],
        "GET",
        &list_path,
        &[("start", "5"), ("limit", "25")],
    );
    assert_request(
        &reqs[1],
        "GET",
        &list_path,
        &[("start", "0"), ("limit", "10")],
    );
    let keys: Vec<&str> = page.results.iter().map(|k| k.key.as_str()).collect();
    assert_eq!(keys, vec!["onboarding-state", "preferred-editor"]);
}

#[tokio::test]
async fn user_property_get_decodes_the_value() {
    let server = MockServer::start().await;
    let prop_path = format!("/user/{PROP_USER}/property/onboarding-state");
    serve(
        &server,
        "GET",
        &prop_path,
        ok_json("user-property.constructed.json"),
    )
    .await;

    let prop = client(&server)
        .user_property(PROP_USER, "onboarding-state")
        .await
        .expect("property");

    assert_request(&the_request(&server).await, "GET", &prop_path, &[]);
    assert_eq!(prop.key, "onboarding-state");
    assert_eq!(
        prop.value,
        json!({"completed": true, "steps": ["intro", "first-page"]})
    );
    assert_eq!(
        prop.created_date.as_deref(),
        Some("2022-01-01T12:00:00.111Z")
    );
}

#[tokio::test]
async fn create_user_property_posts_the_value_and_reads_the_201() {
    let server = MockServer::start().await;
    let prop_path = format!("/user/{PROP_USER}/property/onboarding-state");
    Mock::given(method("POST"))
        .and(path(format!("{API}{prop_path}")))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(fixture_json("user-property.constructed.json")),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    serve(&server, "POST", &prop_path, ResponseTemplate::new(201)).await;
    let client = client(&server);
    let request_body = fixture_json("user-property-create.request.json");
    let value = request_body["value"].clone();

    let created = client
        .create_user_property(PROP_USER, "onboarding-state", &value)
        .await
        .expect("created");
    let created_empty = client
        .create_user_property(PROP_USER, "onboarding-state", &value)
        .await
        .expect("created, empty 201");

    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 2);
    for req in &reqs {
        assert_request(req, "POST", &prop_path, &[]);
        assert_json_body(req, &request_body);
    }
    assert_eq!(created.map(|p| p.id), Some("1734803457".to_string()));
    assert_eq!(
        created_empty, None,
        "an empty 201 is success without a body"
    );
}

#[tokio::test]
async fn creating_an_existing_property_is_a_conflict() {
    let server = MockServer::start().await;
    serve(
        &server,
        "POST",
        &format!("/user/{PROP_USER}/property/team"),
        error_response(409, "A property with key 'team' already exists"),
    )
    .await;

    let err = client(&server)
        .create_user_property(PROP_USER, "team", &json!({"name": "core"}))
        .await
        .unwrap_err();

    assert!(matches!(err, ApiError::Conflict { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "POST /user/{id}/property/{key}: conflict (409): A property with key 'team' already exists. It already exists: update it instead."
    );
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn update_user_property_puts_the_value_and_accepts_204() {
    let server = MockServer::start().await;
    let prop_path = format!("/user/{PROP_USER}/property/team");
    serve(&server, "PUT", &prop_path, ResponseTemplate::new(204)).await;

    client(&server)
        .update_user_property(PROP_USER, "team", &json!({"name": "core", "size": 4}))
        .await
        .expect("updated");

    let req = the_request(&server).await;
    assert_request(&req, "PUT", &prop_path, &[]);
    assert_json_body(&req, &json!({"value": {"name": "core", "size": 4}}));
}

#[tokio::test]
async fn delete_user_property_sends_delete_and_accepts_204() {
    let server = MockServer::start().await;
    let prop_path = format!("/user/{PROP_USER}/property/team");
    serve(&server, "DELETE", &prop_path, ResponseTemplate::new(204)).await;

    client(&server)
        .delete_user_property(PROP_USER, "team")
        .await
        .expect("deleted");

    let req = the_request(&server).await;
    assert_request(&req, "DELETE", &prop_path, &[]);
    assert!(req.body.is_empty());
}

#[tokio::test]
async fn bad_property_keys_and_values_never_reach_the_server() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(204))
        .expect(0)
        .mount(&server)
        .await;
    let client = client(&server);
    let value = json!({"ok": true});

    for key in ["", "a b", "a/b", "a.b", "é", "../x", "key?x=1", "a\u{1b}b"] {
        let errors = [
            client.user_property(PROP_USER, key).await.err(),
            client
                .create_user_property(PROP_USER, key, &value)
                .await
                .err(),
            client
                .update_user_property(PROP_USER, key, &value)
                .await
                .err(),
            client.delete_user_property(PROP_USER, key).await.err(),
        ];
        for err in errors {
            assert!(
                matches!(&err, Some(ApiError::InvalidInput(m)) if m.contains("not a valid property key")),
                "{key:?}: {err:?}"
            );
        }
    }
    for bad_value in [
        json!("text"),
        json!([1, 2]),
        json!(3),
        json!({}),
        Value::Null,
    ] {
        let err = client
            .create_user_property(PROP_USER, "team", &bad_value)
            .await
            .unwrap_err();
        assert!(
            matches!(err, ApiError::InvalidInput(_)),
            "{bad_value}: {err:?}"
        );
        let err = client
            .update_user_property(PROP_USER, "team", &bad_value)
            .await
            .unwrap_err();
        assert!(
            matches!(err, ApiError::InvalidInput(_)),
            "{bad_value}: {err:?}"
        );
    }
    assert!(requests(&server).await.is_empty(), "no request was sent");
}

// ---------------------------------------------------------------------------------------------
// Search, groups, spaces
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn search_users_sends_cql_permission_filter_and_expand() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/search/user",
        ok_json("search-user.marked-space.json"),
    )
    .await;
    let client = client(&server);
    let cql = fullname_cql(r#"Ada "The Countess""#);
    assert_eq!(cql, r#"user.fullname~"Ada \"The Countess\"""#);

    let page = client
        .search_users(&cql, Paging::first(25), SitePermissionFilter::None, &[])
        .first()
        .await
        .expect("search");
    client
        .search_users(
            &cql,
            Paging {
                start: 25,
                limit: 10,
            },
            SitePermissionFilter::All,
            &[UserExpand::Operations, UserExpand::PersonalSpace],
        )
        .first()
        .await
        .expect("search all");
    client
        .search_users(
            "type=user",
            Paging::first(5),
            SitePermissionFilter::ExternalCollaborator,
            &[],
        )
        .first()
        .await
        .expect("search guests");

    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 3);
    assert_request(
        &reqs[0],
        "GET",
        "/search/user",
        &[("cql", cql.as_str()), ("start", "0"), ("limit", "25")],
    );
    assert_request(
        &reqs[1],
        "GET",
        "/search/user",
        &[
            ("cql", cql.as_str()),
            ("start", "25"),
            ("limit", "10"),
            ("sitePermissionTypeFilter", "all"),
            ("expand", "user.operations,user.personalSpace"),
        ],
    );
    assert_request(
        &reqs[2],
        "GET",
        "/search/user",
        &[
            ("cql", "type=user"),
            ("start", "0"),
            ("limit", "5"),
            ("sitePermissionTypeFilter", "externalCollaborator"),
        ],
    );
    assert_eq!(page.total_size, Some(1));
    let user = page.results[0].user.as_ref().expect("a user hit");
    assert_eq!(user.name(), "John Doe");
    assert_eq!(page.results[0].entity_type, "user");
}

#[tokio::test]
async fn search_users_with_no_match_is_an_empty_page() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/search/user",
        ok_json("search-user-empty.marked-space.json"),
    )
    .await;

    let all = client(&server)
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
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn groups_list_sends_paging_and_access_type() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/group",
        ok_json("group-array-with-links.atlassian-docs-sample.json"),
    )
    .await;
    let client = client(&server);

    let page = client
        .groups(Paging::first(200), None)
        .first()
        .await
        .expect("groups");
    for access in [
        GroupAccess::User,
        GroupAccess::Admin,
        GroupAccess::SiteAdmin,
    ] {
        client
            .groups(
                Paging {
                    start: 10,
                    limit: 5,
                },
                Some(access),
            )
            .first()
            .await
            .expect("groups by access");
    }

    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 4);
    assert_request(
        &reqs[0],
        "GET",
        "/group",
        &[("start", "0"), ("limit", "200")],
    );
    for (req, access) in reqs[1..].iter().zip(["user", "admin", "site-admin"]) {
        assert_request(
            req,
            "GET",
            "/group",
            &[("start", "10"), ("limit", "5"), ("accessType", access)],
        );
    }
    assert_eq!(
        page.results[0].usage_type.as_deref(),
        Some("USERBASE_GROUP")
    );
    assert_eq!(page.total_size, Some(150));
}

#[tokio::test]
async fn group_picker_sends_the_query() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/group/picker",
        ok_json("group-array-with-links.page1.constructed.json"),
    )
    .await;

    let page = client(&server)
        .search_groups("conf users", Paging::first(50))
        .first()
        .await
        .expect("picker");

    assert_request(
        &the_request(&server).await,
        "GET",
        "/group/picker",
        &[("query", "conf users"), ("start", "0"), ("limit", "50")],
    );
    assert_eq!(page.results[0].name, "confluence-users");
}

#[tokio::test]
async fn group_members_by_id_ask_for_total_size_and_expand() {
    let server = MockServer::start().await;
    let group = "e50e7fe6-7961-4775-9bbf-99e4b50f8701";
    let members_path = format!("/group/{group}/membersByGroupId");
    serve(
        &server,
        "GET",
        &members_path,
        ok_json("user-array-members.constructed.json"),
    )
    .await;
    let client = client(&server);

    let page = client
        .group_members(group, Paging::first(200), &[])
        .first()
        .await
        .expect("members");
    client
        .group_members(
            group,
            Paging {
                start: 200,
                limit: 50,
            },
            &[UserExpand::PersonalSpace],
        )
        .first()
        .await
        .expect("members expanded");

    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 2);
    assert_request(
        &reqs[0],
        "GET",
        &members_path,
        &[
            ("start", "0"),
            ("limit", "200"),
            ("shouldReturnTotalSize", "true"),
        ],
    );
    assert_request(
        &reqs[1],
        "GET",
        &members_path,
        &[
            ("start", "200"),
            ("limit", "50"),
            ("shouldReturnTotalSize", "true"),
            ("expand", "personalSpace"),
        ],
    );
    assert_eq!(page.total_size, Some(2));
    let names: Vec<&str> = page.results.iter().map(User::name).collect();
    assert_eq!(names, vec!["Artem Stepin", "John Doe"]);
}

#[tokio::test]
async fn spaces_send_every_filter_and_decode() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/space",
        ok_json("space-list.go-atlassian.json"),
    )
    .await;
    let client = client(&server);

    let page = client
        .spaces(&SpaceFilter::default(), Paging::first(25))
        .first()
        .await
        .expect("spaces");
    let filter = SpaceFilter {
        keys: vec!["ENG".into(), "~alice".into()],
        kind: Some("global".into()),
        status: Some("current".into()),
        label: Some("team".into()),
        favourite: Some(true),
        expand: vec!["icon".into(), "description.plain".into()],
    };
    client
        .spaces(
            &filter,
            Paging {
                start: 25,
                limit: 25,
            },
        )
        .first()
        .await
        .expect("filtered spaces");

    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 2);
    assert_request(
        &reqs[0],
        "GET",
        "/space",
        &[("start", "0"), ("limit", "25")],
    );
    assert_request(
        &reqs[1],
        "GET",
        "/space",
        &[
            ("spaceKey", "ENG"),
            ("spaceKey", "~alice"),
            ("type", "global"),
            ("status", "current"),
            ("label", "team"),
            ("favourite", "true"),
            ("expand", "icon,description.plain"),
            ("start", "25"),
            ("limit", "25"),
        ],
    );
    let keys: Vec<&str> = page.results.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(keys, vec!["DS", "DUMMY"]);
    assert_eq!(page.results[0].links.webui.as_deref(), Some("/spaces/DS"));
}

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

#[test]
fn every_fixture_decodes_into_its_type() {
    let dir = format!("{}/tests/fixtures", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures directory")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 25, "{names:?}");

    for name in &names {
        let n = name.as_str();
        match n {
            "user-current.aws-docs.json" => {
                let u: User = decode_fixture(n);
                assert_eq!(u.links.base.as_deref(), Some("https://<host_url>/wiki"));
                assert_eq!(u.time_zone, None);
            }
            "user-current.mcp-atlassian.json" => {
                let u: User = decode_fixture(n);
                assert_eq!(u.locale.as_deref(), Some("en_US"));
                assert_eq!(u.account_status.as_deref(), Some("active"));
                assert_eq!(u.is_guest, Some(false));
            }
            "user-captured.cloudplaydev.json" => {
                let u: User = decode_fixture(n);
                assert_ne!(u.public_name, u.display_name);
                assert_eq!(u.name(), "Artem Stepin");
            }
            "user-current-with-timezone.constructed.json" => {
                let u: User = decode_fixture(n);
                assert_eq!(u.time_zone.as_deref(), Some("Australia/Sydney"));
            }
            "user-privacy-hidden.constructed.json" => {
                let u: User = decode_fixture(n);
                assert_eq!(u.email_state(), EmailState::Hidden);
                assert_eq!(u.profile_picture, None);
            }
            "user-anonymous.constructed.json" => {
                let u: AnonymousUser = decode_fixture(n);
                assert_eq!(u.kind, "anonymous");
            }
            "search-user.marked-space.json" => {
                let p: Page<SearchResult> = decode_fixture(n);
                assert_eq!(p.cql_query.as_deref(), Some("user.publicName = John Doe"));
                assert_eq!(p.results[0].score, Some(0.0));
            }
            "search-user-empty.marked-space.json" => {
                let p: Page<SearchResult> = decode_fixture(n);
                assert!(p.results.is_empty() && !p.has_next());
                assert_eq!(p.search_duration, Some(76));
            }
            "space-list.go-atlassian.json" => {
                let p: Page<Space> = decode_fixture(n);
                assert_eq!(p.results.len(), 2);
                assert_eq!(p.results[0].id, Some(80838666));
            }
            "space-list-next.mcp-atlassian.json" => {
                let p: Page<Space> = decode_fixture(n);
                assert_eq!(
                    p.links.next.as_deref(),
                    Some("/rest/api/space?next=true&limit=5&start=5")
                );
                assert_eq!(p.results[0].status.as_deref(), Some("archived"));
                assert_eq!(p.results[0].alias.as_deref(), Some("~user1"));
            }
            "group-array-with-links.page1.constructed.json" => {
                let p: Page<Group> = decode_fixture(n);
                assert!(p.has_next());
                assert_eq!(p.results.len(), 2);
            }
            "group-array-with-links.atlassian-docs-sample.json" => {
                let p: Page<Group> = decode_fixture(n);
                assert_eq!(p.results[0].managed_by.as_deref(), Some("ADMINS"));
            }
            "bulk-user-lookup-array.constructed.json" | "user-array-members.constructed.json" => {
                let p: Page<User> = decode_fixture(n);
                assert_eq!(p.results.len(), 2);
                assert_eq!(
                    p.results[1].account_id.as_deref(),
                    Some("some-atlassian-uuid")
                );
            }
            "user-watch.json" => {
                let w: UserWatch = decode_fixture(n);
                assert!(w.watching);
            }
            "account-id-email-record.api-evangelist.json" => {
                let r: AccountIdEmailRecord = decode_fixture(n);
                assert_eq!(r.email, "user@example.com");
            }
            "account-id-email-record-array.constructed.json" => {
                let r: Vec<AccountIdEmailRecord> = decode_fixture(n);
                assert_eq!(r.len(), 2);
            }
            "user-property-key-array.constructed.json" => {
                let p: Page<PropertyKey> = decode_fixture(n);
                assert_eq!(p.results[1].key, "preferred-editor");
            }
            "user-property.constructed.json" => {
                let p: UserProperty = decode_fixture(n);
                assert!(p.value.is_object());
            }
            "user-property-create.request.json" => {
                let w: UserPropertyWrite = decode_fixture(n);
                assert_eq!(w.value, json!({"completed": false}));
            }
            n if n.starts_with("error-") => {
                let e: ErrorBody = decode_fixture(n);
                assert!(e.status_code.is_some(), "{n}");
                assert!(e.best_message().is_some(), "{n}");
            }
            other => panic!("fixture {other} has no decode check: add one"),
        }
    }
}

#[tokio::test]
async fn error_fixtures_served_with_their_status_carry_confluences_message() {
    let cases = [
        ("error-400-cql.captured.json", "Could not parse cql :"),
        (
            "error-400-no-data.go-atlassian.json",
            "Instantiation of [simple type, class com.atlassian.confluence.api.model.content.id.ContentId] value failed",
        ),
        (
            "error-403-permission.captured.json",
            "Could not create content with type page",
        ),
        ("error-404-datacenter.captured.json", "No space with key : x"),
        (
            "error-404.atlassian-spec-narrative.json",
            "This is an example error message.",
        ),
    ];
    for (name, message) in cases {
        let server = MockServer::start().await;
        let body = fixture_json(name);
        let status = body["statusCode"].as_u64().expect("statusCode") as u16;
        serve(
            &server,
            "GET",
            "/user",
            ResponseTemplate::new(status).set_body_json(body),
        )
        .await;

        let err = client(&server).user(ACCOUNT, &[]).await.unwrap_err();

        assert_eq!(err.status(), Some(status), "{name}: {err:?}");
        let expected_variant = match status {
            400 => matches!(err, ApiError::BadRequest { .. }),
            403 => matches!(err, ApiError::Forbidden { .. }),
            404 => matches!(err, ApiError::NotFound { .. }),
            _ => false,
        };
        assert!(expected_variant, "{name}: {err:?}");
        let got = err.server_message().unwrap_or_default();
        assert!(got.starts_with(message), "{name}: {got:?}");
        assert!(
            !got.contains("Exception:"),
            "{name}: class name cut: {got:?}"
        );
        assert!(
            err.to_string().contains(message.trim_end_matches('.')),
            "{name}: {err}"
        );
        assert_eq!(
            requests(&server).await.len(),
            1,
            "{name}: 4xx is not retried"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Statuses and error texts
// ---------------------------------------------------------------------------------------------

/// Recognises one `ApiError` variant.
type IsVariant = fn(&ApiError) -> bool;

#[tokio::test]
async fn statuses_map_to_variants_whose_display_is_a_sentence_with_the_message() {
    let cases: [(u16, IsVariant, &str); 9] = [
        (
            400,
            |e| matches!(e, ApiError::BadRequest { .. }),
            "rejected the request (400)",
        ),
        (
            401,
            |e| matches!(e, ApiError::Unauthorized { .. }),
            "refused the credentials (401)",
        ),
        (
            403,
            |e| matches!(e, ApiError::Forbidden { .. }),
            "not permitted (403)",
        ),
        (
            404,
            |e| matches!(e, ApiError::NotFound { .. }),
            "not found (404)",
        ),
        (
            409,
            |e| matches!(e, ApiError::Conflict { .. }),
            "conflict (409)",
        ),
        (
            418,
            |e| matches!(e, ApiError::Http { status: 418, .. }),
            "unexpected HTTP 418",
        ),
        (
            500,
            |e| matches!(e, ApiError::Server { status: 500, .. }),
            "failed with HTTP 500",
        ),
        (
            501,
            |e| matches!(e, ApiError::NotImplemented { .. }),
            "does not offer this API (501)",
        ),
        (
            502,
            |e| matches!(e, ApiError::Server { status: 502, .. }),
            "failed with HTTP 502",
        ),
    ];
    for (status, is_variant, phrase) in cases {
        let server = MockServer::start().await;
        let message = format!("Message number {status} from Confluence.");
        serve(
            &server,
            "GET",
            "/user/current",
            error_response(status, &message),
        )
        .await;

        let err = no_retry_client(&server)
            .current_user(&[])
            .await
            .unwrap_err();

        assert!(is_variant(&err), "{status}: {err:?}");
        assert_eq!(err.status(), Some(status));
        assert_eq!(err.server_message(), Some(message.as_str()));
        let text = err.to_string();
        assert!(text.starts_with("GET /user/current: "), "{text}");
        assert!(text.contains(phrase), "{text}");
        assert!(
            text.contains(&format!(": Message number {status} from Confluence")),
            "{text}"
        );
        assert!(text.ends_with('.') && !text.contains(".."), "{text}");
    }
}

#[tokio::test]
async fn rate_limited_after_the_last_retry_says_when_to_retry() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/user/current",
        ResponseTemplate::new(429)
            .insert_header("Retry-After", "7")
            .insert_header("X-RateLimit-Reset", "2026-01-01T00:00Z"),
    )
    .await;
    let mut config = config_for(&server.uri(), basic());
    config.retry = RetryPolicy::none();
    let client = Client::new(config).expect("client");

    let err = client.current_user(&[]).await.unwrap_err();

    assert_eq!(
        err,
        ApiError::RateLimited {
            endpoint: "GET /user/current".into(),
            retry_after: Duration::from_secs(7)
        }
    );
    assert_eq!(err.status(), Some(429));
    assert_eq!(
        err.to_string(),
        "GET /user/current: rate limited by Confluence; retry in 7 s."
    );
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn malformed_json_and_html_bodies_are_decode_errors() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/user/current",
        ResponseTemplate::new(200).set_body_raw("{\"type\": \"known\", ", "application/json"),
    )
    .await;
    serve(
        &server,
        "GET",
        "/user/anonymous",
        ResponseTemplate::new(200).set_body_raw("<html><body>Log in</body></html>", "text/html"),
    )
    .await;
    let client = client(&server);

    for err in [
        client.current_user(&[]).await.unwrap_err(),
        client.anonymous_user(false).await.unwrap_err(),
    ] {
        assert!(matches!(err, ApiError::Decode { .. }), "{err:?}");
        let text = err.to_string();
        assert!(text.contains("could not be read"), "{text}");
        assert!(text.contains("a proxy answered instead"), "{text}");
    }
    assert_eq!(
        requests(&server).await.len(),
        2,
        "a bad body is not retried"
    );
}

#[tokio::test]
async fn decode_errors_name_the_failing_field() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/user",
        ResponseTemplate::new(200).set_body_json(json!({"type": "known", "accountId": 42})),
    )
    .await;
    serve(
        &server,
        "GET",
        "/group",
        ResponseTemplate::new(200).set_body_json(json!({
            "results": [{"type": "group", "name": "ok", "id": "1"}, {"type": "group", "name": 5}],
            "_links": {}
        })),
    )
    .await;
    serve(
        &server,
        "GET",
        "/user/watch/space/ENG",
        ResponseTemplate::new(200).set_body_json(json!({"watching": "yes"})),
    )
    .await;
    let client = client(&server);

    let user = client.user("x", &[]).await.unwrap_err();
    let groups = client
        .groups(Paging::first(5), None)
        .first()
        .await
        .unwrap_err();
    let watch = client
        .watch_status(&WatchTarget::Space("ENG".into()), None)
        .await
        .unwrap_err();

    for (err, field) in [
        (user, "accountId"),
        (groups, "results[1].name"),
        (watch, "watching"),
    ] {
        match &err {
            ApiError::Decode { field: f, .. } => assert_eq!(f, field),
            other => panic!("expected a decode error, got {other:?}"),
        }
        assert!(
            err.to_string().contains(&format!("(at `{field}`)")),
            "{err}"
        );
    }
}

#[tokio::test]
async fn html_error_pages_are_not_shown_as_the_message() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/user/current",
        ResponseTemplate::new(502)
            .set_body_raw("<html><h1>502 Bad Gateway</h1></html>", "text/html"),
    )
    .await;

    let err = no_retry_client(&server)
        .current_user(&[])
        .await
        .unwrap_err();

    assert_eq!(
        err.to_string(),
        "GET /user/current: Confluence failed with HTTP 502. Try again later."
    );
}

#[tokio::test]
async fn server_text_loses_control_characters_and_is_capped() {
    let server = MockServer::start().await;
    let hostile = format!("\u{1b}[31mred\u{7}\r\nline {}", "x".repeat(2000));
    serve(
        &server,
        "GET",
        "/user/current",
        error_response(403, &hostile),
    )
    .await;

    let err = client(&server).current_user(&[]).await.unwrap_err();

    let message = err.server_message().expect("a message").to_string();
    assert!(!message.chars().any(char::is_control), "{message:?}");
    assert!(message.starts_with(" [31mred"), "{message:?}");
    assert_eq!(
        message.chars().count(),
        301,
        "300 characters and an ellipsis"
    );
    assert!(message.ends_with('…'));
    assert!(!err.to_string().chars().any(char::is_control));
}

// ---------------------------------------------------------------------------------------------
// Retries, rate limits, timeouts
// ---------------------------------------------------------------------------------------------

/// Mounts `first` for one request, then `then` for the rest, each expected exactly as given.
async fn first_then(
    server: &MockServer,
    verb: &str,
    endpoint_path: &str,
    first: ResponseTemplate,
    first_times: u64,
    then: ResponseTemplate,
    then_times: u64,
) {
    Mock::given(method(verb))
        .and(path(format!("{API}{endpoint_path}")))
        .respond_with(first)
        .up_to_n_times(first_times)
        .expect(first_times)
        .named("first answer")
        .mount(server)
        .await;
    Mock::given(method(verb))
        .and(path(format!("{API}{endpoint_path}")))
        .respond_with(then)
        .expect(then_times)
        .named("later answer")
        .mount(server)
        .await;
}

#[tokio::test]
async fn get_429_then_200_succeeds() {
    let server = MockServer::start().await;
    first_then(
        &server,
        "GET",
        "/user/current",
        ResponseTemplate::new(429).insert_header("Retry-After", "1"),
        1,
        ok_json("user-current.aws-docs.json"),
        1,
    )
    .await;

    let user = client(&server).current_user(&[]).await.expect("retried");

    assert_eq!(user.name(), "Administrator");
    server.verify().await;
}

#[tokio::test]
async fn post_429_then_204_succeeds() {
    let server = MockServer::start().await;
    first_then(
        &server,
        "POST",
        "/user/watch/content/98765",
        ResponseTemplate::new(429),
        1,
        ResponseTemplate::new(204),
        1,
    )
    .await;

    client(&server)
        .add_watch(&WatchTarget::Content("98765".into()), None)
        .await
        .expect("a rate-limited POST was not processed, so it is retried");

    server.verify().await;
    for req in requests(&server).await {
        assert_request(&req, "POST", "/user/watch/content/98765", &[]);
    }
}

#[tokio::test]
async fn idempotent_requests_are_retried_after_500() {
    let server = MockServer::start().await;
    let prop = format!("/user/{PROP_USER}/property/team");
    first_then(
        &server,
        "GET",
        &prop,
        ResponseTemplate::new(500),
        1,
        ok_json("user-property.constructed.json"),
        1,
    )
    .await;
    first_then(
        &server,
        "PUT",
        &prop,
        ResponseTemplate::new(500),
        1,
        ResponseTemplate::new(204),
        1,
    )
    .await;
    first_then(
        &server,
        "DELETE",
        &prop,
        ResponseTemplate::new(500),
        1,
        ResponseTemplate::new(204),
        1,
    )
    .await;
    let client = client(&server);

    client
        .user_property(PROP_USER, "team")
        .await
        .expect("GET retried");
    client
        .update_user_property(PROP_USER, "team", &json!({"a": 1}))
        .await
        .expect("PUT retried");
    client
        .delete_user_property(PROP_USER, "team")
        .await
        .expect("DELETE retried");

    server.verify().await;
    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 6);
    assert_json_body(&reqs[3], &json!({"value": {"a": 1}}));
}

#[tokio::test]
async fn post_is_not_retried_after_500() {
    let server = MockServer::start().await;
    let prop = format!("/user/{PROP_USER}/property/team");
    first_then(
        &server,
        "POST",
        &prop,
        error_response(500, "Internal failure"),
        1,
        ResponseTemplate::new(201),
        0,
    )
    .await;
    first_then(
        &server,
        "POST",
        "/user/watch/label/news",
        ResponseTemplate::new(503),
        1,
        ResponseTemplate::new(204),
        0,
    )
    .await;
    let client = client(&server);

    let create = client
        .create_user_property(PROP_USER, "team", &json!({"a": 1}))
        .await
        .unwrap_err();
    let watch = client
        .add_watch(&WatchTarget::Label("news".into()), None)
        .await
        .unwrap_err();

    assert!(
        matches!(create, ApiError::Server { status: 500, .. }),
        "{create:?}"
    );
    assert_eq!(create.server_message(), Some("Internal failure"));
    assert!(
        matches!(watch, ApiError::Server { status: 503, .. }),
        "{watch:?}"
    );
    server.verify().await;
}

#[tokio::test]
async fn get_503_with_retry_after_is_retried() {
    let server = MockServer::start().await;
    first_then(
        &server,
        "GET",
        "/space",
        ResponseTemplate::new(503).insert_header("Retry-After", "2"),
        2,
        ok_json("space-list.go-atlassian.json"),
        1,
    )
    .await;
    let client = client(&server);
    let mut limits = client.rate_limits();

    let page = client
        .spaces(&SpaceFilter::default(), Paging::first(25))
        .first()
        .await
        .expect("retried after 503");

    assert_eq!(page.results.len(), 2);
    assert!(
        limits.has_changed().unwrap_or(false),
        "503 + Retry-After is shown as a rate limit"
    );
    assert_eq!(*limits.borrow_and_update(), None, "and cleared once done");
    server.verify().await;
}

#[tokio::test]
async fn a_huge_retry_after_is_clamped_to_the_policys_maximum() {
    let server = MockServer::start().await;
    let huge = "9223372036854775807";
    first_then(
        &server,
        "GET",
        "/user/current",
        ResponseTemplate::new(429)
            .insert_header("Retry-After", huge)
            .insert_header("X-RateLimit-Limit", "0")
            .insert_header("X-RateLimit-FillRate", "0"),
        1,
        ok_json("user-current.aws-docs.json"),
        1,
    )
    .await;
    let started = Instant::now();

    client(&server).current_user(&[]).await.expect("retried");

    assert!(
        started.elapsed() < Duration::from_millis(2500),
        "{:?}",
        started.elapsed()
    );
    server.verify().await;

    // With no retries left, the error reports the clamped wait, not 292 billion years.
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/user/current",
        ResponseTemplate::new(429).insert_header("Retry-After", huge),
    )
    .await;
    let err = no_retry_client(&server)
        .current_user(&[])
        .await
        .unwrap_err();
    assert_eq!(
        err,
        ApiError::RateLimited {
            endpoint: "GET /user/current".into(),
            retry_after: Duration::from_millis(50)
        }
    );
}

#[tokio::test]
async fn retries_are_bounded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{API}/user/current")))
        .respond_with(error_response(500, "still down"))
        .expect(4)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{API}/user/watch/space/ENG")))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .expect(4)
        .mount(&server)
        .await;
    let client = client(&server);

    let get = client.current_user(&[]).await.unwrap_err();
    let post = client
        .add_watch(&WatchTarget::Space("ENG".into()), None)
        .await
        .unwrap_err();

    assert_eq!(
        get,
        ApiError::Server {
            endpoint: "GET /user/current".into(),
            status: 500,
            message: "still down".into()
        }
    );
    assert!(matches!(post, ApiError::RateLimited { .. }), "{post:?}");
    server.verify().await;
}

#[tokio::test]
async fn rate_limit_is_published_while_waiting_and_cleared_after() {
    let server = MockServer::start().await;
    first_then(
        &server,
        "GET",
        "/user/current",
        ResponseTemplate::new(429).insert_header("Retry-After", "1"),
        1,
        ok_json("user-current.aws-docs.json"),
        1,
    )
    .await;
    let wait = Duration::from_millis(300);
    let client = client_with(
        &server,
        basic(),
        RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(5),
            max_backoff: wait,
        },
    );
    let mut limits = client.rate_limits();
    assert_eq!(*limits.borrow(), None);
    let before = Instant::now();

    let call = tokio::spawn({
        let client = client.clone();
        async move { client.current_user(&[]).await }
    });
    tokio::time::timeout(Duration::from_secs(2), limits.changed())
        .await
        .expect("published in time")
        .expect("sender alive");
    let limit = limits
        .borrow_and_update()
        .clone()
        .expect("rate limited until T");
    let seen_at = Instant::now();

    assert!(!call.is_finished(), "observed while the call waits");
    assert_eq!(limit.endpoint, "GET /user/current");
    // T is the 429's arrival plus the clamped wait (Retry-After 1 s, capped at 300 ms).
    assert!(limit.until >= before + wait, "{:?}", limit.until - before);
    assert!(limit.until <= seen_at + wait, "{:?}", limit.until - before);
    let user = call.await.expect("task").expect("retried after the wait");
    assert_eq!(user.name(), "Administrator");
    assert_eq!(
        *client.rate_limits().borrow(),
        None,
        "cleared after the wait"
    );
}

#[tokio::test]
async fn a_cancelled_wait_clears_the_rate_limit() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/user/current",
        ResponseTemplate::new(429).insert_header("Retry-After", "30"),
    )
    .await;
    let client = client_with(
        &server,
        basic(),
        RetryPolicy {
            max_retries: 3,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_secs(30),
        },
    );
    let mut limits = client.rate_limits();

    let call = tokio::spawn({
        let client = client.clone();
        async move { client.current_user(&[]).await }
    });
    tokio::time::timeout(Duration::from_secs(2), limits.changed())
        .await
        .expect("published in time")
        .expect("sender alive");
    assert!(limits.borrow_and_update().is_some());
    call.abort();
    assert!(call.await.expect_err("aborted").is_cancelled());

    assert_eq!(
        *limits.borrow(),
        None,
        "nobody waits any more, so no countdown"
    );
}

#[tokio::test]
async fn a_slow_server_is_a_timeout_and_only_reads_are_retried() {
    let server = MockServer::start().await;
    let slow = || ResponseTemplate::new(200).set_delay(Duration::from_secs(3));
    Mock::given(method("GET"))
        .and(path(format!("{API}/user/current")))
        .respond_with(slow().set_body_json(fixture_json("user-current.aws-docs.json")))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{API}/user/watch/space/ENG")))
        .respond_with(slow())
        .expect(1)
        .mount(&server)
        .await;
    let mut config = config_for(&server.uri(), basic());
    config.timeout = Duration::from_millis(150);
    config.retry = fast_retry(1);
    let client = Client::new(config).expect("client");
    let started = Instant::now();

    let get = client.current_user(&[]).await.unwrap_err();
    let post = client
        .add_watch(&WatchTarget::Space("ENG".into()), None)
        .await
        .unwrap_err();

    assert_eq!(
        get,
        ApiError::Timeout {
            endpoint: "GET /user/current".into(),
            after: Duration::from_millis(150)
        }
    );
    assert_eq!(
        get.to_string(),
        "GET /user/current: the server did not answer within 150 ms. Try again, or check the network."
    );
    assert!(matches!(post, ApiError::Timeout { .. }), "{post:?}");
    assert!(
        started.elapsed() < Duration::from_millis(2500),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        requests(&server).await.len(),
        3,
        "GET tried twice, POST once"
    );
}

#[tokio::test]
async fn a_closed_port_is_a_network_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let client =
        Client::new(config_for(&format!("http://127.0.0.1:{port}"), basic())).expect("client");

    let err = client.current_user(&[]).await.unwrap_err();

    assert!(matches!(err, ApiError::Network { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.starts_with("GET /user/current: could not reach the server: "),
        "{text}"
    );
    assert!(
        text.ends_with("Check the base URL and the network."),
        "{text}"
    );
}

// ---------------------------------------------------------------------------------------------
// Pagination
// ---------------------------------------------------------------------------------------------

fn group(name: &str) -> Value {
    json!({"type": "group", "name": name, "id": format!("id-{name}")})
}

/// A memberof page: `results`, and `_links` with the given `base` and optional `next`.
fn memberof_page(names: &[&str], base: &str, next: Option<&str>) -> Value {
    let mut links = json!({"base": base, "context": "/wiki"});
    if let Some(next) = next {
        links["next"] = json!(next);
    }
    json!({
        "results": names.iter().map(|n| group(n)).collect::<Vec<_>>(),
        "size": names.len(),
        "_links": links
    })
}

/// Serves `pages[i]` for the request whose `start` is `2 * i`.
async fn serve_pages(server: &MockServer, pages: Vec<Value>) {
    let responder = move |req: &Request| {
        let start: usize = req
            .url
            .query_pairs()
            .find(|(k, _)| k == "start")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        match pages.get(start / 2) {
            Some(page) => ResponseTemplate::new(200).set_body_json(page),
            None => error_response(404, "no such page"),
        }
    };
    Mock::given(method("GET"))
        .and(path(format!("{API}/user/memberof")))
        .respond_with(responder)
        .mount(server)
        .await;
}

fn starts(reqs: &[Request]) -> Vec<String> {
    reqs.iter()
        .map(|r| {
            query(r)
                .into_iter()
                .find(|(k, _)| k == "start")
                .map(|(_, v)| v)
                .unwrap_or_default()
        })
        .collect()
}

#[tokio::test]
async fn pages_follow_next_relative_to_base_and_stay_on_our_host() {
    let server = MockServer::start().await;
    serve_pages(
        &server,
        vec![
            // `base` names the site while we talk to another host (as through the gateway).
            memberof_page(
                &["a", "b"],
                "https://your-domain.atlassian.net/wiki",
                Some(&format!("/rest/api/user/memberof?accountId={ACCOUNT}&limit=2&start=2")),
            ),
            // An absolute `next` on a foreign host must not receive our credentials.
            memberof_page(
                &["c", "d"],
                "https://evil.example/wiki",
                Some(&format!(
                    "https://evil.example/wiki/rest/api/user/memberof?accountId={ACCOUNT}&limit=2&start=4"
                )),
            ),
            // No `next`: the end.
            memberof_page(&["e"], "https://your-domain.atlassian.net/wiki", None),
        ],
    )
    .await;
    let client = client(&server);

    let mut pages = client.group_memberships(ACCOUNT, Paging::first(2)).pages();
    let first = pages.next().await.expect("a first page").expect("ok");
    assert_eq!(first.results.len(), 2);
    assert_eq!(
        requests(&server).await.len(),
        1,
        "the first page is yielded before the second is requested"
    );
    let mut names: Vec<String> = first.results.into_iter().map(|g| g.name).collect();
    while let Some(page) = pages.next().await {
        names.extend(page.expect("ok").results.into_iter().map(|g| g.name));
    }

    assert_eq!(names, vec!["a", "b", "c", "d", "e"]);
    let reqs = requests(&server).await;
    assert_eq!(starts(&reqs), vec!["0", "2", "4"]);
    for req in &reqs {
        assert_eq!(req.url.path(), format!("{API}/user/memberof"));
        assert_eq!(header(req, "authorization"), Some(basic_header().as_str()));
        assert!(query(req).contains(&("accountId".into(), ACCOUNT.into())));
    }
}

#[tokio::test]
async fn paging_stops_on_an_empty_page_even_if_next_is_set() {
    let server = MockServer::start().await;
    let base = "https://your-domain.atlassian.net/wiki";
    serve_pages(
        &server,
        vec![
            memberof_page(
                &["a", "b"],
                base,
                Some("/rest/api/user/memberof?start=2&limit=2"),
            ),
            memberof_page(
                &["c", "d"],
                base,
                Some("/rest/api/user/memberof?start=4&limit=2"),
            ),
            // Data Center keeps sending `next` past the end.
            memberof_page(&[], base, Some("/rest/api/user/memberof?start=6&limit=2")),
            memberof_page(&["never"], base, None),
        ],
    )
    .await;

    let all = client(&server)
        .group_memberships(ACCOUNT, Paging::first(2))
        .all()
        .await
        .expect("all groups");

    let names: Vec<&str> = all.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, vec!["a", "b", "c", "d"]);
    assert_eq!(starts(&requests(&server).await), vec!["0", "2", "4"]);
}

#[tokio::test]
async fn paging_stops_when_next_points_back_at_the_same_page() {
    let server = MockServer::start().await;
    serve_pages(
        &server,
        vec![memberof_page(
            &["a"],
            "https://your-domain.atlassian.net/wiki",
            Some(&format!(
                "/rest/api/user/memberof?accountId={ACCOUNT}&start=0&limit=2"
            )),
        )],
    )
    .await;

    let all = client(&server)
        .group_memberships(ACCOUNT, Paging::first(2))
        .all()
        .await
        .expect("groups");

    assert_eq!(all.len(), 1);
    assert_eq!(requests(&server).await.len(), 1, "no endless loop");
}

#[tokio::test]
async fn a_failing_later_page_fails_the_whole_list_after_the_good_pages() {
    let server = MockServer::start().await;
    let base = "https://your-domain.atlassian.net/wiki";
    serve_pages(
        &server,
        vec![
            memberof_page(
                &["a", "b"],
                base,
                Some("/rest/api/user/memberof?start=2&limit=2"),
            ),
            memberof_page(
                &["c", "d"],
                base,
                Some("/rest/api/user/memberof?start=8&limit=2"),
            ),
        ],
    )
    .await;
    let client = client(&server);

    let results: Vec<_> = client
        .group_memberships(ACCOUNT, Paging::first(2))
        .pages()
        .collect()
        .await;
    let all = client
        .group_memberships(ACCOUNT, Paging::first(2))
        .all()
        .await;

    assert_eq!(results.len(), 3, "two pages, then the error, then the end");
    assert!(results[0].is_ok() && results[1].is_ok());
    assert!(
        matches!(results[2], Err(ApiError::NotFound { .. })),
        "{:?}",
        results[2]
    );
    assert!(matches!(all, Err(ApiError::NotFound { .. })), "{all:?}");
}

// ---------------------------------------------------------------------------------------------
// Base URLs
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn base_url_forms_reach_the_right_rest_root() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ok_json("user-current.aws-docs.json"))
        .mount(&server)
        .await;
    let uri = server.uri();
    let cases = [
        (uri.clone(), "/wiki/rest/api/user/current"),
        (format!("{uri}/"), "/wiki/rest/api/user/current"),
        (format!("{uri}/wiki"), "/wiki/rest/api/user/current"),
        (
            format!("{uri}/wiki/rest/api/"),
            "/wiki/rest/api/user/current",
        ),
        // A Data Center context path is kept as given.
        (
            format!("{uri}/confluence"),
            "/confluence/rest/api/user/current",
        ),
        (
            format!("{uri}/confluence/rest/api"),
            "/confluence/rest/api/user/current",
        ),
    ];

    for (base, _) in &cases {
        let client = Client::new(config_for(base, bearer())).expect(base);
        client.current_user(&[]).await.expect(base);
    }

    let reqs = requests(&server).await;
    let paths: Vec<&str> = reqs.iter().map(|r| r.url.path()).collect();
    let want: Vec<&str> = cases.iter().map(|(_, p)| *p).collect();
    assert_eq!(paths, want);
}

#[tokio::test]
async fn data_center_next_links_keep_the_context_path() {
    let server = MockServer::start().await;
    let page = |keys: &[&str], next: Option<&str>| {
        let mut links =
            json!({"base": "https://wiki.corp.example/confluence", "context": "/confluence"});
        if let Some(next) = next {
            links["next"] = json!(next);
        }
        let results: Vec<Value> = keys.iter().map(|k| json!({"key": k, "name": k})).collect();
        json!({"results": results, "_links": links})
    };
    let first = page(&["A", "B"], Some("/rest/api/space?limit=2&start=2"));
    let second = page(&["C"], None);
    let responder = move |req: &Request| {
        let later = req.url.query_pairs().any(|(k, v)| k == "start" && v == "2");
        ResponseTemplate::new(200).set_body_json(if later { &second } else { &first })
    };
    Mock::given(method("GET"))
        .and(path("/confluence/rest/api/space"))
        .respond_with(responder)
        .mount(&server)
        .await;
    let client = Client::new(config_for(
        &format!("{}/confluence", server.uri()),
        bearer(),
    ))
    .expect("client");

    let spaces = client
        .spaces(&SpaceFilter::default(), Paging::first(2))
        .all()
        .await
        .expect("spaces");

    let keys: Vec<&str> = spaces.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(keys, vec!["A", "B", "C"]);
    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 2);
    assert_eq!(
        query(&reqs[1]),
        vec![("limit".into(), "2".into()), ("start".into(), "2".into())]
    );
}

#[test]
fn plain_http_to_a_remote_host_is_refused_with_a_clear_message() {
    for base in [
        "http://acme.atlassian.net",
        "http://10.0.0.1/wiki",
        "http://wiki.corp.example/confluence",
    ] {
        let err = Client::new(ClientConfig::new(base, basic())).unwrap_err();
        assert!(matches!(err, ApiError::InvalidInput(_)), "{base}: {err:?}");
        let text = err.to_string();
        assert!(
            text.contains("plain http is allowed only for loopback hosts")
                && text.contains("use https"),
            "{base}: {text}"
        );
    }
}

#[test]
fn cloud_and_gateway_bases_build_their_context_urls() {
    let context = |base: &str| {
        Client::new(ClientConfig::new(base, basic()))
            .expect(base)
            .context_url()
            .to_string()
    };
    assert_eq!(context("acme"), "https://acme.atlassian.net/wiki/");
    assert_eq!(
        context("https://api.atlassian.com/ex/confluence/1a2b-3c"),
        "https://api.atlassian.com/ex/confluence/1a2b-3c/wiki/"
    );
    assert_eq!(
        context("https://wiki.corp.example/confluence"),
        "https://wiki.corp.example/confluence/"
    );
}

// ---------------------------------------------------------------------------------------------
// The token never prints
// ---------------------------------------------------------------------------------------------

/// Every `ApiError` variant, produced by a real request (or a refused one).
async fn one_error_of_each_kind(server: &MockServer, client: &Client) -> Vec<ApiError> {
    let echo_auth = |status: u16| {
        move |req: &Request| {
            let auth = req
                .headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("none")
                .to_string();
            error_response(status, &format!("you sent {auth}"))
        }
    };
    for (i, status) in [400u16, 401, 403, 404, 409, 418, 500, 501]
        .into_iter()
        .enumerate()
    {
        Mock::given(method("GET"))
            .and(path(format!("{API}/user/watch/content/{i}")))
            .respond_with(echo_auth(status))
            .mount(server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path(format!("{API}/user/watch/label/limited")))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .mount(server)
        .await;
    // A body that quotes the credentials where a bool belongs: serde quotes the value.
    Mock::given(method("GET"))
        .and(path(format!("{API}/user/watch/label/decode")))
        .respond_with(|req: &Request| {
            let auth = req
                .headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("none")
                .to_string();
            ResponseTemplate::new(200).set_body_json(json!({ "watching": auth }))
        })
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{API}/user/watch/label/slow")))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)))
        .mount(server)
        .await;

    let mut errors = Vec::new();
    for i in 0..8 {
        let target = WatchTarget::Content(i.to_string());
        errors.push(client.watch_status(&target, None).await.unwrap_err());
    }
    for label in ["limited", "decode", "slow"] {
        let target = WatchTarget::Label(label.into());
        errors.push(client.watch_status(&target, None).await.unwrap_err());
    }
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let mut closed = config_for(&format!("http://127.0.0.1:{port}"), basic());
    closed.retry = RetryPolicy::none();
    let closed = Client::new(closed).expect("client");
    errors.push(closed.current_user(&[]).await.unwrap_err());
    errors.push(
        client
            .user_property(PROP_USER, "bad key")
            .await
            .unwrap_err(),
    );
    errors
}

#[tokio::test]
async fn no_error_or_debug_output_shows_the_token() {
    let b64 = basic_b64();
    let leaks = |text: &str| text.contains(TOKEN) || text.contains(&b64) || text.contains("SECRET");

    for auth in [basic(), bearer()] {
        let server = MockServer::start().await;
        let mut config = config_for(&server.uri(), auth.clone());
        config.retry = RetryPolicy::none();
        config.timeout = Duration::from_millis(150);
        let client = Client::new(config.clone()).expect("client");

        let errors = one_error_of_each_kind(&server, &client).await;

        let kinds: Vec<&str> = errors
            .iter()
            .map(|e| match e {
                ApiError::BadRequest { .. } => "BadRequest",
                ApiError::Unauthorized { .. } => "Unauthorized",
                ApiError::Forbidden { .. } => "Forbidden",
                ApiError::NotFound { .. } => "NotFound",
                ApiError::Conflict { .. } => "Conflict",
                ApiError::Http { .. } => "Http",
                ApiError::Server { .. } => "Server",
                ApiError::NotImplemented { .. } => "NotImplemented",
                ApiError::RateLimited { .. } => "RateLimited",
                ApiError::Decode { .. } => "Decode",
                ApiError::Timeout { .. } => "Timeout",
                ApiError::Network { .. } => "Network",
                ApiError::InvalidInput(_) => "InvalidInput",
            })
            .collect();
        assert_eq!(
            kinds,
            vec![
                "BadRequest",
                "Unauthorized",
                "Forbidden",
                "NotFound",
                "Conflict",
                "Http",
                "Server",
                "NotImplemented",
                "RateLimited",
                "Decode",
                "Timeout",
                "Network",
                "InvalidInput"
            ]
        );
        // The server really did echo the credentials; the client scrubbed them.
        let echoed = errors[1].server_message().expect("a message");
        assert!(
            echoed.starts_with("you sent ") && echoed.contains("***"),
            "{echoed}"
        );
        for err in &errors {
            let shown = format!("{err}");
            let debug = format!("{err:?}");
            assert!(!leaks(&shown), "Display leaks: {shown}");
            assert!(!leaks(&debug), "Debug leaks: {debug}");
        }
        for debug in [
            format!("{client:?}"),
            format!("{config:?}"),
            format!("{auth:?}"),
            format!("{config:#?}"),
        ] {
            assert!(!leaks(&debug), "Debug leaks: {debug}");
        }
        assert!(
            format!("{auth:?}").contains("***"),
            "the token is shown as ***"
        );
    }
}
