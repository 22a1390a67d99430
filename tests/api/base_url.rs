//! Base URLs: every form a user may give reaches the right REST root, Data Center context paths
//! survive paging, plain http is refused for remote hosts, and Cloud and gateway bases build their
//! context URLs.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::support;
use crate::support::mock::{ok_json, query, requests};
use crate::{basic, bearer, config_for};
use confdir::api::{ApiError, Client, ClientConfig, Paging, SpaceFilter};
use pretty_assertions::assert_eq;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

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
    let client = support::client::build(config_for(
        &format!("{}/confluence", server.uri()),
        bearer(),
    ));

    let spaces = client
        .spaces(&SpaceFilter::default(), Paging::first(2))
        .all()
        .await
        .expect("spaces");

    let keys: Vec<&str> = spaces.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(keys, vec!["A", "B", "C"]);
    // The v2 list is asked first, once: this mock has none (404), so v1 is read.
    let all = requests(&server).await;
    let v2 = all
        .iter()
        .filter(|r| r.url.path() == "/confluence/api/v2/spaces");
    assert_eq!(v2.count(), 1);
    let reqs: Vec<_> = all
        .iter()
        .filter(|r| r.url.path() == "/confluence/rest/api/space")
        .collect();
    assert_eq!(reqs.len(), 2);
    assert_eq!(
        query(reqs[1]),
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
