//! Spaces as Cloud serves them today: v2 `GET /wiki/api/v2/spaces` with its cursor, `keys` and
//! `Link` header; v1 `GET /space` gone (410) unless `v1_spaces`; and every `_links.self` the
//! demo emits for groups and spaces answering.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::support::client::raw_http;
use crate::{server, v1_server};
use confdir::demo::{DemoServer, DEMO_ACCOUNT_ID, DEMO_EMAIL};
use pretty_assertions::assert_eq;
use serde_json::Value;

async fn get(s: &DemoServer, url: &str) -> (u16, Option<String>, Value) {
    let resp = raw_http()
        .get(url)
        .basic_auth(DEMO_EMAIL, Some("demo"))
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let link = resp
        .headers()
        .get("link")
        .map(|v| v.to_str().unwrap().to_string());
    let _ = s;
    (status, link, resp.json().await.unwrap())
}

fn keys(v: &Value) -> Vec<String> {
    v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn v1_space_list_is_gone_unless_the_demo_keeps_it() {
    let s = server().await;
    for path in ["space", "space?limit=5", "space/ENG"] {
        let (status, _, v) = get(&s, &format!("{}/rest/api/{path}", s.base_url())).await;
        assert_eq!(status, 410, "{path}");
        assert_eq!(v["statusCode"], 410);
        assert_eq!(
            v["message"],
            "com.atlassian.confluence.api.service.exceptions.GoneException: This deprecated endpoint has been removed."
        );
    }
    s.stop().await;
    let s = v1_server().await;
    let (status, _, v) = get(&s, &format!("{}/rest/api/space?limit=5", s.base_url())).await;
    assert_eq!(status, 200);
    assert_eq!(v["results"].as_array().unwrap().len(), 5);
    let (status, _, v) = get(&s, &format!("{}/rest/api/space/ENG", s.base_url())).await;
    assert_eq!(status, 200);
    assert_eq!(v["key"], "ENG");
    s.stop().await;
}

#[tokio::test]
async fn v2_pages_by_an_opaque_cursor_in_links_next_and_the_link_header() {
    let s = server().await;
    let origin = format!("http://{}", s.addr());
    let (status, link, first) = get(&s, &format!("{origin}/wiki/api/v2/spaces?limit=10")).await;
    assert_eq!(status, 200);
    assert_eq!(first["results"].as_array().unwrap().len(), 10);
    assert!(first["results"][0]["id"].is_string());
    assert_eq!(first["_links"]["base"], Value::String(s.base_url()));
    let next = first["_links"]["next"].as_str().unwrap().to_string();
    assert!(next.starts_with("/wiki/api/v2/spaces?"), "{next}");
    assert_eq!(
        link.as_deref(),
        Some(format!("<{next}>; rel=\"next\", <{}>; rel=\"base\"", s.base_url()).as_str())
    );
    // The cursor does not give the position away.
    let cursor = url::Url::parse(&format!("{origin}{next}"))
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "cursor")
        .unwrap()
        .1
        .to_string();
    assert!(cursor.parse::<u64>().is_err(), "{cursor}");
    assert!(!cursor.contains("10"), "{cursor}");
    let (_, _, second) = get(&s, &format!("{origin}{next}")).await;
    let (_, _, all) = get(&s, &format!("{origin}/wiki/api/v2/spaces?limit=20")).await;
    let both: Vec<String> = keys(&first).into_iter().chain(keys(&second)).collect();
    assert_eq!(both, keys(&all));
    // A cursor a client made up is a 400 with a JSON body.
    for bad in ["10", "abc", "c3BhY2VzOjEw"] {
        let (status, _, v) = get(&s, &format!("{origin}/wiki/api/v2/spaces?cursor={bad}")).await;
        assert_eq!(status, 400, "{bad}");
        assert_eq!(v["errors"][0]["status"], 400, "{v}");
    }
    // The last page has no next link and no Link header.
    let (_, link, last) = get(&s, &format!("{origin}/wiki/api/v2/spaces?limit=250")).await;
    assert!(last["_links"]["next"].is_null());
    assert_eq!(link, None);
    s.stop().await;
}

#[tokio::test]
async fn v2_keys_take_a_comma_separated_list_or_repeated_parameters() {
    let s = server().await;
    let origin = format!("http://{}/wiki/api/v2/spaces", s.addr());
    let (_, _, comma) = get(&s, &format!("{origin}?keys=HR,ENG")).await;
    let (_, _, repeated) = get(&s, &format!("{origin}?keys=HR&keys=ENG")).await;
    let mut found = keys(&comma);
    found.sort();
    assert_eq!(found, ["ENG", "HR"]);
    assert_eq!(keys(&comma), keys(&repeated));
    let (_, _, none) = get(&s, &format!("{origin}?keys=NOPE")).await;
    assert!(keys(&none).is_empty());
    let (_, _, personal) = get(&s, &format!("{origin}?type=personal&limit=250")).await;
    assert!(!keys(&personal).is_empty());
    assert!(keys(&personal).iter().all(|k| k.starts_with('~')));
    s.stop().await;
}

#[tokio::test]
async fn every_self_link_of_groups_and_spaces_is_served() {
    let s = v1_server().await;
    let base = s.base_url();
    let group = s.directory().groups[0].id.clone();
    let mut links = Vec::new();
    for path in [
        "group?limit=200".to_string(),
        "group/picker?query=e".to_string(),
        format!("user/memberof?accountId={DEMO_ACCOUNT_ID}"),
        "space?limit=250".to_string(),
        format!("group/{group}/membersByGroupId?expand=personalSpace&limit=50"),
    ] {
        let (status, _, v) = get(&s, &format!("{base}/rest/api/{path}")).await;
        assert_eq!(status, 200, "{path}");
        for r in v["results"].as_array().unwrap() {
            links.extend(r["_links"]["self"].as_str().map(str::to_string));
            links.extend(
                r["personalSpace"]["_links"]["self"]
                    .as_str()
                    .map(str::to_string),
            );
        }
    }
    assert!(links.iter().any(|l| l.contains("/group/")));
    assert!(links.iter().any(|l| l.contains("/space/~")));
    for link in &links {
        assert!(link.starts_with(&base), "{link}");
        let (status, _, v) = get(&s, link).await;
        assert_eq!(status, 200, "{link}: {v}");
        assert_eq!(v["_links"]["self"].as_str(), Some(link.as_str()));
    }
    s.stop().await;
}
