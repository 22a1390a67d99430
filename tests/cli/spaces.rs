//! `spaces` and `watch status space KEY` on a site that offers only v2 spaces (v1 `GET /space`
//! answers Cloud's 410), and on the demo, which serves v1 only, so the client falls back to it.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::support;
use crate::{Run, Site, CANARY};
use serde_json::{json, Value};
use support::home::Home;
use support::mock::API;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Runs `confdir ARGS --base-url BASE` with a token, in a fresh home.
fn run_against(base: &str, args: &[&str]) -> Run {
    let home = Home::new();
    let mut cmd = home.command(args);
    cmd.args(["--base-url", base])
        .env("CONFLUENCE_API_TOKEN", CANARY);
    cmd.output().unwrap().into()
}

/// A Cloud site of today: v2 spaces over two cursor pages (or those of `keys=`), v1 gone, and a
/// watch on ENG.
async fn v2_site() -> MockServer {
    let server = MockServer::start().await;
    let all = [
        ("ENG", "Engineering"),
        ("HR", "People"),
        ("OPS", "Operations"),
    ];
    let spaces = move |req: &Request| {
        let param = |name: &str| {
            req.url
                .query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
        };
        let space = |(key, name): &(&str, &str)| json!({"id": format!("{}", key.len() * 1000), "key": key, "name": name, "type": "global", "status": "current"});
        let (results, next): (Vec<Value>, Option<&str>) = match (param("keys"), param("cursor")) {
            (Some(keys), _) => (
                all.iter()
                    .filter(|(k, _)| keys.split(',').any(|w| w == *k))
                    .map(space)
                    .collect(),
                None,
            ),
            (None, None) => (
                all[..2].iter().map(space).collect(),
                Some("/wiki/api/v2/spaces?cursor=p2&limit=2"),
            ),
            (None, Some(_)) => (all[2..].iter().map(space).collect(), None),
        };
        let mut links = json!({"base": "https://site.atlassian.net/wiki"});
        if let Some(next) = next {
            links["next"] = json!(next);
        }
        ResponseTemplate::new(200).set_body_json(json!({"results": results, "_links": links}))
    };
    Mock::given(method("GET"))
        .and(path("/wiki/api/v2/spaces"))
        .respond_with(spaces)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{API}/space")))
        .respond_with(ResponseTemplate::new(410).set_body_json(
            json!({"statusCode": 410, "message": "This deprecated endpoint has been removed"}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{API}/user/watch/space/ENG")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"watching": true})))
        .mount(&server)
        .await;
    server
}

#[test]
fn spaces_and_a_space_watch_status_work_where_only_v2_is_offered() {
    let rt = support::demo::runtime();
    let server = rt.block_on(v2_site());
    let base = server.uri();

    let json = run_against(&base, &["spaces", "--limit", "2", "--all", "--json"])
        .ok()
        .json();
    let keys: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, vec!["ENG", "HR", "OPS"], "both cursor pages");
    assert_eq!(json[0]["id"], "3000", "v2's string id, as sent");
    let csv = run_against(&base, &["spaces", "--limit", "2", "--csv"])
        .ok()
        .csv();
    assert_eq!(csv[0], vec!["key", "name", "type", "status"]);
    assert_eq!(csv.len(), 3, "the first page only");
    let table = run_against(&base, &["spaces", "--limit", "2"]).ok();
    assert!(table.stdout.contains("Engineering"), "{}", table.stdout);

    let on = run_against(&base, &["watch", "status", "space", "ENG"]).ok();
    assert_eq!(on.stdout.trim(), "you are watching space ENG");
    let none = run_against(&base, &["watch", "status", "space", "NOPE"]);
    assert_eq!(none.code, 4, "{}", none.stderr);
    assert!(
        none.stderr.contains("no space with key NOPE"),
        "{}",
        none.stderr
    );
    let reqs = rt.block_on(support::mock::requests(&server));
    assert!(
        reqs.iter().all(|r| r.url.path() != format!("{API}/space")),
        "v1 is never asked where v2 answers"
    );
    assert!(reqs.iter().any(|r| r.url.path() == "/wiki/api/v2/spaces"
        && r.url.query() == Some("keys=NOPE&limit=1&sort=key")));
}

#[test]
fn on_a_v1_only_site_an_unknown_space_has_no_watch_status() {
    let demo = Site::start();
    let none = demo.run(&["watch", "status", "space", "NOSUCHSPACE"]);
    assert_eq!(none.code, 4, "{}", none.stderr);
    assert!(
        none.stderr.contains("no space with key NOSUCHSPACE"),
        "{}",
        none.stderr
    );
    demo.run(&["watch", "status", "space", "ENG"]).ok();
}
