//! Bulk lookups lose no one: against sites that honour only the comma-joined `accountId`, only
//! the repeated one, or neither, every known user comes back, unknown ids are reported as
//! missing (not an error), and the site's form is remembered so a second lookup makes no extra
//! round trips (counted).
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::support::mock::{error_response, requests, API};
use crate::{client, ids};
use confdir::api::{BulkForm, Client};
use pretty_assertions::assert_eq;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Which form of `accountId` a mock site reads on `/user/bulk`.
#[derive(Clone, Copy)]
enum Reads {
    /// Only the first `accountId`, split on commas.
    CommaOnly,
    /// Every `accountId`, each one id.
    RepeatedOnly,
    /// Only the first `accountId`, as one id.
    Neither,
}

/// A user as the site answers it.
fn user_json(id: &str) -> Value {
    json!({"type": "known", "accountId": id, "publicName": format!("p-{id}"), "displayName": format!("User {id}")})
}

/// A site that knows `known` and reads bulk ids as `reads` says; `/user` answers one by one (404
/// for an unknown id).
async fn site(reads: Reads, known: Vec<String>) -> MockServer {
    let server = MockServer::start().await;
    let known_bulk = known.clone();
    let bulk = move |req: &Request| {
        let values: Vec<String> = req
            .url
            .query_pairs()
            .filter(|(k, _)| k == "accountId")
            .map(|(_, v)| v.into_owned())
            .collect();
        let asked: Vec<String> = match reads {
            Reads::CommaOnly => values
                .first()
                .map(|v| v.split(',').map(str::to_string).collect())
                .unwrap_or_default(),
            Reads::RepeatedOnly => values,
            Reads::Neither => values.into_iter().take(1).collect(),
        };
        let results: Vec<Value> = asked
            .iter()
            .filter(|id| known_bulk.contains(id))
            .map(|id| user_json(id))
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({
            "results": results, "start": 0, "limit": 100, "size": results.len(), "_links": {}
        }))
    };
    let one = move |req: &Request| {
        let id = req
            .url
            .query_pairs()
            .find(|(k, _)| k == "accountId")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default();
        if known.contains(&id) {
            ResponseTemplate::new(200).set_body_json(user_json(&id))
        } else {
            error_response(404, "No user found with accountId")
        }
    };
    Mock::given(method("GET"))
        .and(path(format!("{API}/user/bulk")))
        .respond_with(bulk)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{API}/user")))
        .respond_with(one)
        .mount(&server)
        .await;
    server
}

/// How each request since `from` was sent: `bulk:repeated(n)`, `bulk:comma(n)` or `one:ID`.
async fn sent_since(server: &MockServer, from: usize) -> Vec<String> {
    requests(server)
        .await
        .iter()
        .skip(from)
        .map(|r| {
            let values: Vec<String> = r
                .url
                .query_pairs()
                .filter(|(k, _)| k == "accountId")
                .map(|(_, v)| v.into_owned())
                .collect();
            if r.url.path().ends_with("/bulk") {
                if values.len() == 1 && values[0].contains(',') {
                    format!("bulk:comma({})", values[0].split(',').count())
                } else {
                    format!("bulk:repeated({})", values.len())
                }
            } else {
                format!("one:{}", values.join(","))
            }
        })
        .collect()
}

/// Looks up `wanted` and returns the ids found and the ids missing.
async fn lookup(c: &Client, wanted: &[String]) -> (Vec<String>, Vec<String>) {
    let found = c.bulk_lookup(wanted, &[]).await.expect("bulk lookup");
    let got = found
        .users
        .iter()
        .filter_map(|u| u.account_id.clone())
        .collect();
    (got, found.missing)
}

#[tokio::test]
async fn a_site_that_reads_only_comma_joined_ids_loses_no_one_and_is_remembered() {
    let known = ids(3);
    let server = site(Reads::CommaOnly, known.clone()).await;
    let c = client(&server);

    let (got, missing) = lookup(&c, &known).await;
    assert_eq!(got, known, "every user, in the order asked");
    assert!(missing.is_empty());
    assert_eq!(
        sent_since(&server, 0).await,
        vec!["bulk:repeated(3)", "bulk:comma(2)"],
        "the contract's form first, then the other for the ids it left out"
    );
    assert_eq!(c.site_memory().bulk(), Some(BulkForm::Comma));

    // Second lookup, with an id the site does not know: one comma call, then that id alone.
    let mut wanted = known.clone();
    wanted.push("557058:nobody".into());
    let (got, missing) = lookup(&c.clone(), &wanted).await;
    assert_eq!(got, known);
    assert_eq!(missing, vec!["557058:nobody".to_string()]);
    assert_eq!(
        sent_since(&server, 2).await,
        vec!["bulk:comma(4)", "one:557058:nobody"]
    );
}

#[tokio::test]
async fn a_site_that_reads_only_repeated_ids_is_asked_once_per_chunk() {
    let known = ids(3);
    let server = site(Reads::RepeatedOnly, known.clone()).await;
    let c = client(&server);

    let (got, missing) = lookup(&c, &known).await;
    assert_eq!(got, known);
    assert!(missing.is_empty());
    assert_eq!(sent_since(&server, 0).await, vec!["bulk:repeated(3)"]);
    assert_eq!(c.site_memory().bulk(), Some(BulkForm::Repeated));

    // An unknown id is asked for alone, and reported missing; the comma form is never tried.
    let wanted = vec![
        known[2].clone(),
        "557058:nobody".to_string(),
        known[0].clone(),
    ];
    let (got, missing) = lookup(&c, &wanted).await;
    assert_eq!(got, vec![known[2].clone(), known[0].clone()]);
    assert_eq!(missing, vec!["557058:nobody".to_string()]);
    assert_eq!(
        sent_since(&server, 1).await,
        vec!["bulk:repeated(3)", "one:557058:nobody"]
    );
}

#[tokio::test]
async fn a_site_that_reads_neither_form_is_asked_one_by_one_from_then_on() {
    let known = ids(4);
    let server = site(Reads::Neither, known.clone()).await;
    let c = client(&server);

    let (got, missing) = lookup(&c, &known).await;
    assert_eq!(got, known);
    assert!(missing.is_empty());
    let mut first = sent_since(&server, 0).await;
    first[2..].sort();
    let mut want: Vec<String> = vec!["bulk:repeated(4)".into(), "bulk:comma(3)".into()];
    want.extend(known[1..].iter().map(|id| format!("one:{id}")));
    assert_eq!(first, want);
    assert_eq!(c.site_memory().bulk(), Some(BulkForm::OneByOne));

    // Second lookup: no bulk call at all.
    let (got, _) = lookup(&c, &known).await;
    assert_eq!(got, known);
    let mut second = sent_since(&server, want.len()).await;
    second.sort();
    let want: Vec<String> = known.iter().map(|id| format!("one:{id}")).collect();
    assert_eq!(second, want);
}

#[tokio::test]
async fn unknown_ids_are_missing_not_an_error_and_the_lookup_of_one_teaches_nothing() {
    let known = ids(1);
    let server = site(Reads::Neither, known.clone()).await;
    let c = client(&server);
    let (got, missing) = lookup(&c, &["557058:nobody".to_string()]).await;
    assert!(got.is_empty());
    assert_eq!(missing, vec!["557058:nobody".to_string()]);
    assert_eq!(
        c.site_memory().bulk(),
        None,
        "one id cannot tell the forms apart"
    );
    let (got, missing) = lookup(&c, &known).await;
    assert_eq!(got, known);
    assert!(missing.is_empty());
}
