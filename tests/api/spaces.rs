//! Spaces, on both generations of the API: v2 `GET /wiki/api/v2/spaces` (cursor paging through
//! `_links.next` or the `Link` header, string ids, the `keys` filter) where the site offers it,
//! v1 `GET /wiki/rest/api/space` where v2 answers 404, the choice made once per client and
//! remembered; a 410 from v1 said plainly; a cursor that repeats is an error, not a loop.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::support::mock::{error_response, ok_json, query, requests, API};
use crate::{client, no_retry_client};
use confdir::api::model::SpaceId;
use confdir::api::{ApiError, Paging, SpaceFilter, SpacesApi};
use pretty_assertions::assert_eq;
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The v2 list's path on a Cloud site.
const V2: &str = "/wiki/api/v2/spaces";

/// The v1 list's path.
fn v1() -> String {
    format!("{API}/space")
}

/// A v2 page of spaces with these keys, `next` in the body when given.
fn v2_page(keys: &[&str], next: Option<&str>) -> Value {
    let results: Vec<Value> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| json!({"id": format!("{}", 1000 + i), "key": k, "name": format!("{k} space"), "type": "global", "status": "current", "_links": {"webui": format!("/spaces/{k}")}}))
        .collect();
    let mut links = json!({"base": "https://site.atlassian.net/wiki"});
    if let Some(next) = next {
        links["next"] = json!(next);
    }
    json!({"results": results, "_links": links})
}

/// The `cursor` a request carries, if any.
fn cursor(req: &Request) -> Option<String> {
    req.url
        .query_pairs()
        .find(|(k, _)| k == "cursor")
        .map(|(_, v)| v.into_owned())
}

/// Serves three v2 pages (cursor none → `c2` → `c3`), announcing each next page in the body
/// (`in_body`) or only in the `Link` header.
async fn three_v2_pages(server: &MockServer, in_body: bool) {
    let pages = [
        (None, vec!["A", "B"], Some("c2")),
        (Some("c2"), vec!["C", "D"], Some("c3")),
        (Some("c3"), vec!["E"], None),
    ];
    let responder = move |req: &Request| {
        let at = cursor(req);
        let (_, keys, next) = pages
            .iter()
            .find(|(c, _, _)| c.map(str::to_string) == at)
            .expect("a page for this cursor");
        let link = next.map(|c| format!("/wiki/api/v2/spaces?cursor={c}&limit=2"));
        let body = v2_page(keys, link.as_deref().filter(|_| in_body));
        let mut answer = ResponseTemplate::new(200).set_body_json(body);
        if let (Some(link), false) = (&link, in_body) {
            answer = answer.insert_header(
                "Link",
                format!("<{link}>; rel=\"next\", <https://site.atlassian.net/wiki>; rel=\"base\""),
            );
        }
        answer
    };
    Mock::given(method("GET"))
        .and(path(V2))
        .respond_with(responder)
        .mount(server)
        .await;
}

/// Every key of a whole walk, and the cursors the requests carried.
async fn walk(server: &MockServer) -> (Vec<String>, Vec<Option<String>>) {
    let c = client(server);
    let spaces = c
        .spaces(&SpaceFilter::default(), Paging::first(2))
        .all()
        .await
        .expect("every page");
    let keys = spaces.into_iter().map(|s| s.key).collect();
    let cursors = requests(server).await.iter().map(cursor).collect();
    (keys, cursors)
}

#[tokio::test]
async fn the_first_page_comes_from_v2_with_string_ids() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(V2))
        .respond_with(ok_json("v2/space-list.page1.constructed.json"))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let page = c
        .spaces(&SpaceFilter::default(), Paging::first(25))
        .first()
        .await
        .expect("v2 spaces");
    let keys: Vec<&str> = page.results.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(keys, vec!["DS", "~5b10ac8d82e05b22cc7d4ef5"]);
    assert_eq!(page.results[0].id, Some(SpaceId::Text("98306".into())));
    assert_eq!(page.results[0].links.webui.as_deref(), Some("/spaces/DS"));
    assert!(page
        .links
        .next
        .as_deref()
        .unwrap()
        .starts_with("/wiki/api/v2/spaces?cursor="));
    assert_eq!(c.site_memory().spaces(), Some(SpacesApi::V2));
    let reqs = requests(&server).await;
    // In key order (v2's default is by id, which interleaves team and personal spaces).
    assert_eq!(
        query(&reqs[0]),
        vec![("limit".into(), "25".into()), ("sort".into(), "key".into())]
    );
    server.verify().await;
}

#[tokio::test]
async fn v2_is_asked_every_filter_in_its_own_terms() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(V2))
        .respond_with(ok_json("v2/space-list.last.constructed.json"))
        .mount(&server)
        .await;
    let filter = SpaceFilter {
        keys: vec!["ENG".into(), "~alice".into()],
        kind: Some("global".into()),
        status: Some("current".into()),
        label: Some("team".into()),
        favourite: None,
        expand: vec!["icon".into(), "description.plain".into()],
    };
    client(&server)
        .spaces(&filter, Paging::first(500))
        .first()
        .await
        .expect("filtered v2 spaces");
    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 1);
    let want: Vec<(String, String)> = [
        ("keys", "ENG,~alice"),
        ("type", "global"),
        ("status", "current"),
        ("labels", "team"),
        ("description-format", "plain"),
        ("include-icon", "true"),
        // The spec's maximum page size.
        ("limit", "250"),
        ("sort", "key"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(query(&reqs[0]), want);
}

#[tokio::test]
async fn a_v2_walk_follows_the_next_link_in_the_body_over_three_pages() {
    let server = MockServer::start().await;
    three_v2_pages(&server, true).await;
    let (keys, cursors) = walk(&server).await;
    assert_eq!(keys, vec!["A", "B", "C", "D", "E"]);
    assert_eq!(cursors, vec![None, Some("c2".into()), Some("c3".into())]);
}

#[tokio::test]
async fn a_v2_walk_follows_the_link_header_when_the_body_has_no_next() {
    let server = MockServer::start().await;
    three_v2_pages(&server, false).await;
    let (keys, cursors) = walk(&server).await;
    assert_eq!(keys, vec!["A", "B", "C", "D", "E"]);
    assert_eq!(cursors, vec![None, Some("c2".into()), Some("c3".into())]);
}

#[tokio::test]
async fn a_page_read_alone_carries_the_link_headers_next_and_the_next_page_follows_it() {
    let server = MockServer::start().await;
    three_v2_pages(&server, false).await;
    let c = client(&server);
    let first = c
        .spaces(&SpaceFilter::default(), Paging::first(2))
        .first()
        .await
        .expect("first page");
    let next = first.links.next.clone().expect("the Link header's next");
    assert_eq!(next, "/wiki/api/v2/spaces?cursor=c2&limit=2");
    let second = c.spaces_after(&next).first().await.expect("second page");
    let keys: Vec<&str> = second.results.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(keys, vec!["C", "D"]);
}

#[tokio::test]
async fn a_cursor_that_repeats_is_an_error_not_a_loop() {
    let server = MockServer::start().await;
    // Page c2 points back at itself: a server that would be read for ever.
    let responder = |req: &Request| {
        let next = "/wiki/api/v2/spaces?cursor=c2&limit=2";
        let keys: &[&str] = if cursor(req).is_some() {
            &["C"]
        } else {
            &["A"]
        };
        ResponseTemplate::new(200).set_body_json(v2_page(keys, Some(next)))
    };
    Mock::given(method("GET"))
        .and(path(V2))
        .respond_with(responder)
        .mount(&server)
        .await;
    let err = client(&server)
        .spaces(&SpaceFilter::default(), Paging::first(2))
        .all()
        .await
        .unwrap_err();
    assert!(matches!(&err, ApiError::Paging { .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("cursor `c2`"), "{text}");
    assert!(
        text.starts_with("GET /api/v2/spaces: the list did not end"),
        "{text}"
    );
    assert_eq!(requests(&server).await.len(), 2, "stopped at the repeat");
}

#[tokio::test]
async fn without_v2_the_client_uses_v1_and_asks_v2_only_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(V2))
        .respond_with(error_response(404, "Not Found"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(v1()))
        .respond_with(ok_json("space-list.go-atlassian.json"))
        .expect(3)
        .mount(&server)
        .await;
    let c = client(&server);
    let clone = c.clone();
    for who in [&c, &c, &clone] {
        let page = who
            .spaces(&SpaceFilter::default(), Paging::first(25))
            .first()
            .await
            .expect("v1 spaces");
        assert_eq!(page.results[0].id, Some(SpaceId::Number(80838666)));
    }
    assert_eq!(c.site_memory().spaces(), Some(SpacesApi::V1));
    let paths: Vec<String> = requests(&server)
        .await
        .iter()
        .map(|r| r.url.path().to_string())
        .collect();
    assert_eq!(paths, vec![V2.to_string(), v1(), v1(), v1()]);
    server.verify().await;
}

#[tokio::test]
async fn a_new_client_asks_again() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(V2))
        .respond_with(error_response(404, "Not Found"))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(v1()))
        .respond_with(ok_json("space-list.go-atlassian.json"))
        .mount(&server)
        .await;
    for _ in 0..2 {
        client(&server)
            .spaces(&SpaceFilter::default(), Paging::first(25))
            .first()
            .await
            .expect("v1 spaces");
    }
    server.verify().await;
}

#[tokio::test]
async fn a_failed_probe_is_not_remembered() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(V2))
        .respond_with(error_response(403, "no"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(V2))
        .respond_with(ok_json("v2/space-list.last.constructed.json"))
        .mount(&server)
        .await;
    let c = no_retry_client(&server);
    let first = c
        .spaces(&SpaceFilter::default(), Paging::first(25))
        .first()
        .await;
    assert_eq!(first.unwrap_err().status(), Some(403));
    assert_eq!(c.site_memory().spaces(), None);
    let page = c
        .spaces(&SpaceFilter::default(), Paging::first(25))
        .first()
        .await
        .expect("v2 the second time");
    assert_eq!(page.results[0].key, "ENG");
    assert_eq!(c.site_memory().spaces(), Some(SpacesApi::V2));
}

#[tokio::test]
async fn v1_is_asked_every_filter_in_its_own_terms() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(V2))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(v1()))
        .respond_with(ok_json("space-list.go-atlassian.json"))
        .mount(&server)
        .await;
    let filter = SpaceFilter {
        keys: vec!["ENG".into(), "~alice".into()],
        kind: Some("global".into()),
        status: Some("current".into()),
        label: Some("team".into()),
        favourite: Some(true),
        expand: vec!["icon".into(), "description.plain".into()],
    };
    // Once the site is known to be v1-only, the filter goes to v1 in v1's terms.
    let c = client_on_v1(&server).await;
    c.spaces(
        &filter,
        Paging {
            start: 25,
            limit: 25,
        },
    )
    .first()
    .await
    .expect("filtered v1 spaces");
    let reqs = requests(&server).await;
    let last = reqs.last().unwrap();
    assert_eq!(last.url.path(), v1());
    let want: Vec<(String, String)> = [
        ("spaceKey", "ENG"),
        ("spaceKey", "~alice"),
        ("type", "global"),
        ("status", "current"),
        ("label", "team"),
        ("favourite", "true"),
        ("expand", "icon,description.plain"),
        ("start", "25"),
        ("limit", "25"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(query(last), want);
}

/// A client that has found out, with one unfiltered call, that the site offers only v1.
async fn client_on_v1(server: &MockServer) -> confdir::api::Client {
    let c = client(server);
    c.spaces(&SpaceFilter::default(), Paging::first(1))
        .first()
        .await
        .expect("v1 spaces");
    assert_eq!(c.site_memory().spaces(), Some(SpacesApi::V1));
    c
}

#[tokio::test]
async fn v1_answering_410_does_not_matter_where_v2_is_offered() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(v1()))
        .respond_with(error_response(
            410,
            "This deprecated endpoint has been removed",
        ))
        .expect(0)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(V2))
        .respond_with(ok_json("v2/space-list.last.constructed.json"))
        .mount(&server)
        .await;
    let c = client(&server);
    for _ in 0..2 {
        let spaces = c
            .spaces(&SpaceFilter::default(), Paging::first(25))
            .all()
            .await
            .expect("v2 spaces");
        assert_eq!(spaces[0].key, "ENG");
    }
    server.verify().await;
}

#[tokio::test]
async fn v1_gone_and_no_v2_is_said_plainly() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(V2))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(v1()))
        .respond_with(ResponseTemplate::new(410).set_body_json(
            json!({"statusCode": 410, "message": "This deprecated endpoint has been removed"}),
        ))
        .mount(&server)
        .await;
    let err = client(&server)
        .spaces(&SpaceFilter::default(), Paging::first(25))
        .first()
        .await
        .unwrap_err();
    assert!(matches!(&err, ApiError::Gone { .. }), "{err:?}");
    assert_eq!(err.status(), Some(410));
    assert_eq!(
        err.to_string(),
        "GET /space: Confluence has removed this endpoint (410 Gone): This deprecated endpoint has been removed; this site answered 404 for its replacement, GET /wiki/api/v2/spaces, so confdir cannot list its spaces."
    );
}

#[tokio::test]
async fn a_space_is_looked_up_by_key_on_either_generation() {
    // v2: the `keys` filter.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(V2))
        .and(query_param("keys", "ENG"))
        .respond_with(ok_json("v2/space-list.last.constructed.json"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(V2))
        .and(query_param("keys", "NOPE"))
        .respond_with(ResponseTemplate::new(200).set_body_json(v2_page(&[], None)))
        .mount(&server)
        .await;
    let c = client(&server);
    let eng = c.space_by_key("ENG").await.expect("lookup").expect("ENG");
    assert_eq!(eng.name, "Engineering");
    assert_eq!(c.space_by_key("NOPE").await.expect("lookup"), None);
    for req in requests(&server).await {
        assert_eq!(query(&req)[1], ("limit".into(), "1".into()));
    }

    // v1: `spaceKey`.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(V2))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(v1()))
        .and(query_param("spaceKey", "DS"))
        .respond_with(ok_json("space-list.go-atlassian.json"))
        .mount(&server)
        .await;
    let c = client(&server);
    let ds = c.space_by_key("DS").await.expect("lookup").expect("DS");
    assert_eq!(ds.id, Some(SpaceId::Number(80838666)));
    let last = requests(&server).await.pop().unwrap();
    assert_eq!(
        query(&last),
        vec![
            ("spaceKey".into(), "DS".into()),
            ("start".into(), "0".into()),
            ("limit".into(), "1".into())
        ]
    );
}

#[tokio::test]
async fn v2_cannot_start_a_list_at_an_offset() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(V2))
        .respond_with(ok_json("v2/space-list.last.constructed.json"))
        .mount(&server)
        .await;
    let c = client(&server);
    c.spaces(&SpaceFilter::default(), Paging::first(25))
        .first()
        .await
        .expect("v2");
    let err = c
        .spaces(
            &SpaceFilter::default(),
            Paging {
                start: 25,
                limit: 25,
            },
        )
        .first()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ApiError::InvalidInput(m) if m.contains("by cursor")),
        "{err:?}"
    );
    assert_eq!(requests(&server).await.len(), 1, "nothing sent for it");
}

#[tokio::test]
async fn two_first_calls_at_once_still_probe_v2_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(V2))
        .respond_with(ResponseTemplate::new(404))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(v1()))
        .respond_with(ok_json("space-list.go-atlassian.json"))
        .expect(2)
        .mount(&server)
        .await;
    let c = client(&server);
    let (a, b) = futures::join!(
        c.spaces(&SpaceFilter::default(), Paging::first(25)).first(),
        c.clone()
            .spaces(&SpaceFilter::default(), Paging::first(25))
            .first(),
    );
    assert_eq!(a.expect("first").results.len(), 2);
    assert_eq!(b.expect("second").results.len(), 2);
    server.verify().await;
}

#[tokio::test]
async fn a_cursor_list_that_never_ends_stops_at_the_page_cap_with_an_error() {
    let server = MockServer::start().await;
    // Every page names a new cursor: n → n + 1, for ever.
    let responder = |req: &Request| {
        let n: u32 = cursor(req).and_then(|c| c.parse().ok()).unwrap_or(0);
        let next = format!("/wiki/api/v2/spaces?cursor={}", n + 1);
        ResponseTemplate::new(200).set_body_json(v2_page(&["X"], Some(&next)))
    };
    Mock::given(method("GET"))
        .and(path(V2))
        .respond_with(responder)
        .mount(&server)
        .await;
    let err = client(&server)
        .spaces(&SpaceFilter::default(), Paging::first(1))
        .max_pages(3)
        .all()
        .await
        .unwrap_err();
    assert!(matches!(&err, ApiError::Paging { .. }), "{err:?}");
    assert!(
        err.to_string().contains("still more after 3 pages"),
        "{err}"
    );
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn favourites_on_v2_are_asked_by_your_account_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{API}/user/current")))
        .respond_with(ok_json("user-current.aws-docs.json"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(V2))
        .respond_with(ok_json("v2/space-list.last.constructed.json"))
        .mount(&server)
        .await;
    let me = crate::support::mock::decode_fixture::<confdir::api::model::User>(
        "user-current.aws-docs.json",
    )
    .account_id
    .unwrap();
    let c = client(&server);
    for (favourite, name) in [(true, "favorited-by"), (false, "not-favorited-by")] {
        let filter = SpaceFilter {
            favourite: Some(favourite),
            ..SpaceFilter::default()
        };
        c.spaces(&filter, Paging::first(25))
            .first()
            .await
            .expect("favourites");
        let last = requests(&server).await.pop().unwrap();
        assert_eq!(last.url.path(), V2);
        assert_eq!(
            query(&last),
            vec![
                (name.to_string(), me.clone()),
                ("limit".into(), "25".into()),
                ("sort".into(), "key".into())
            ]
        );
    }
}
