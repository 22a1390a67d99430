//! Paging: `next` links followed relative to `_links.base` and never to another host, the end of
//! a list (no `next`, an empty page, a `next` pointing back), and a failing later page.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::support::mock::{error_response, header, query, requests, API};
use crate::{basic_header, client, ACCOUNT};
use confdir::api::{ApiError, Paging};
use futures::StreamExt;
use pretty_assertions::assert_eq;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A group named `name` as the server lists it.
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

/// The `start` each request asked for, in order.
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
