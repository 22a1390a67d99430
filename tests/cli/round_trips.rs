//! Round trips of the CLI, counted on a wiremock site: a plain word is searched as a name without
//! first being tried as an account id, a group id is used without a name lookup, a group's pages
//! after the first all go out at once, `--all` asks for the largest pages the endpoint serves, and
//! its output streams: the first rows are printed while a later page is still on its way; a
//! group's addresses are asked for in bulk requests sent together.

use crate::support;
use crate::CANARY;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use support::home::Home;
use support::mock::{query, requests, API};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The longest a run (or a wait for one of its effects) may take before the test fails.
const PATIENCE: Duration = Duration::from_secs(20);

/// A group id as the contract shows them (a UUID).
const GROUP: &str = "e50e7fe6-7961-4775-9bbf-99e4b50f8701";

fn param(req: &Request, name: &str) -> Option<String> {
    query(req)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

fn start_of(req: &Request) -> usize {
    param(req, "start")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// `confdir ARGS --base-url BASE` with a token in a fresh home, stdout and stderr piped.
fn spawn(base: &str, args: &[&str]) -> (Child, Home) {
    let home = Home::new();
    let mut cmd = home.command(args);
    cmd.args(["--base-url", base])
        .env("CONFLUENCE_API_TOKEN", CANARY)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    (cmd.spawn().unwrap(), home)
}

/// Runs to the end (at most [`PATIENCE`]): exit code, stdout, stderr.
fn run(base: &str, args: &[&str]) -> (i32, String, String) {
    let (mut child, _home) = spawn(base, args);
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > PATIENCE {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "`confdir {}` still running after {PATIENCE:?}",
                args.join(" ")
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    (
        status.code().unwrap_or(-1),
        out.join().unwrap(),
        err.join().unwrap(),
    )
}

fn member(i: usize) -> Value {
    json!({
        "type": "known",
        "accountId": format!("5b10ac8d82e05b22cc7d{i:04}"),
        "accountType": "atlassian",
        "displayName": format!("Member {i:04}"),
    })
}

/// A group of `total` members served 200 a page, `totalSize` when asked; pages after the first
/// are answered only after `hold`.
async fn group_site(total: usize, hold: Duration) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{API}/group/{GROUP}/membersByGroupId")))
        .respond_with(move |req: &Request| {
            let start = start_of(req);
            let limit: usize = param(req, "limit")
                .and_then(|v| v.parse().ok())
                .unwrap_or(200);
            if limit > 200 {
                return ResponseTemplate::new(400);
            }
            let end = (start + limit).min(total);
            let mut page = json!({
                "results": (start..end).map(member).collect::<Vec<_>>(),
                "start": start, "limit": limit, "size": end.saturating_sub(start),
                "_links": {}
            });
            if end < total {
                page["_links"]["next"] = json!(format!(
                    "/rest/api/group/{GROUP}/membersByGroupId?start={end}&limit={limit}"
                ));
            }
            if param(req, "shouldReturnTotalSize").as_deref() == Some("true") {
                page["totalSize"] = json!(total);
            }
            let answer = ResponseTemplate::new(200).set_body_json(page);
            if start > 0 {
                answer.set_delay(hold)
            } else {
                answer
            }
        })
        .mount(&server)
        .await;
    server
}

fn member_requests(all: &[Request]) -> Vec<&Request> {
    all.iter()
        .filter(|r| r.url.path().ends_with("/membersByGroupId"))
        .collect()
}

#[test]
fn a_plain_word_is_searched_as_a_name_without_a_wasted_id_lookup() {
    let rt = support::demo::runtime();
    let server = rt.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(format!("{API}/search/user")))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "results": [{"user": {"type": "known", "accountId": "5b10ac8d82e05b22cc7d4ef5",
                                      "displayName": "Alice Nguyen", "publicName": "alice"}}],
                "start": 0, "limit": 50, "size": 1, "_links": {}
            })))
            .mount(&server)
            .await;
        server
    });
    let (code, stdout, stderr) = run(&server.uri(), &["users", "show", "alice", "--json"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        serde_json::from_str::<Value>(&stdout).unwrap()["displayName"],
        "Alice Nguyen"
    );
    let all = rt.block_on(requests(&server));
    let paths: Vec<&str> = all.iter().map(|r| r.url.path()).collect();
    assert_eq!(paths, [format!("{API}/search/user")], "one round trip");
}

#[test]
fn a_group_id_is_used_as_is_and_later_pages_go_out_at_once_while_the_first_rows_print() {
    let rt = support::demo::runtime();
    // Pages after the first are held far longer than the test: only requests sent together can
    // all arrive, and only a streamed output can show rows.
    let server = rt.block_on(group_site(1000, Duration::from_secs(120)));
    let (mut child, _home) = spawn(
        &server.uri(),
        &["groups", "members", GROUP, "--all", "--jsonl"],
    );
    let stdout = child.stdout.take().unwrap();
    let (line_tx, line_rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if line_tx.send(line.unwrap()).is_err() {
                return;
            }
        }
    });
    let first: Value = serde_json::from_str(&line_rx.recv_timeout(PATIENCE).unwrap()).unwrap();
    assert_eq!(first["displayName"], "Member 0000");
    let started = Instant::now();
    let all = loop {
        let all = rt.block_on(requests(&server));
        if member_requests(&all).len() >= 5 || started.elapsed() > PATIENCE {
            break all;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        all.iter().all(|r| !r.url.path().contains("/group/picker")),
        "no name lookup for an id"
    );
    let members = member_requests(&all);
    let mut starts: Vec<usize> = members.iter().map(|r| start_of(r)).collect();
    starts.sort();
    assert_eq!(
        starts,
        [0, 200, 400, 600, 800],
        "every page asked for at once"
    );
    assert_eq!(param(members[0], "limit").as_deref(), Some("200"));
    assert_eq!(
        param(members[0], "shouldReturnTotalSize").as_deref(),
        Some("true")
    );
}

#[test]
fn streamed_members_in_every_format_are_the_whole_list_in_order() {
    let rt = support::demo::runtime();
    let server = rt.block_on(group_site(450, Duration::ZERO));
    let uri = server.uri();
    let members = |format: &str| {
        let mut args = vec!["groups", "members", GROUP, "--all"];
        args.extend(Some(format).filter(|f| !f.is_empty()));
        let (code, stdout, stderr) = run(&uri, &args);
        assert_eq!(code, 0, "{format}: {stderr}");
        stdout
    };
    let json: Vec<Value> = serde_json::from_str(&members("--json")).unwrap();
    let ids: Vec<&str> = json
        .iter()
        .map(|u| u["accountId"].as_str().unwrap())
        .collect();
    let expected: Vec<String> = (0..450)
        .map(|i| format!("5b10ac8d82e05b22cc7d{i:04}"))
        .collect();
    assert_eq!(ids, expected);
    let jsonl: Vec<Value> = members("--jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(jsonl, json);
    let csv = members("--csv");
    assert_eq!(csv.lines().count(), 451);
    assert!(csv.starts_with("accountId,displayName,"));
    let human = members("");
    let rows: Vec<&str> = human.lines().skip(1).collect();
    assert_eq!(rows.len(), 450);
    assert!(rows[0].starts_with("Member 0000  5b10ac8d82e05b22cc7d0000"));
}

#[test]
fn all_asks_for_the_largest_pages_the_endpoints_serve() {
    let rt = support::demo::runtime();
    let server = rt.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(format!("{API}/search/user")))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "results": [], "start": 0, "limit": 1000, "size": 0, "_links": {}
            })))
            .mount(&server)
            .await;
        server
    });
    let (code, _, stderr) = run(&server.uri(), &["users", "search", "x", "--all"]);
    assert_eq!(code, 0, "{stderr}");
    let all = rt.block_on(requests(&server));
    assert_eq!(param(&all[0], "limit").as_deref(), Some("1000"));
}

#[test]
fn a_groups_addresses_are_asked_for_together_not_one_hundred_at_a_time_in_turn() {
    let rt = support::demo::runtime();
    // 1,000 members: ten bulk email requests of 100 ids. Their answers are held far longer than
    // the test, so only requests sent together can all arrive.
    let server = rt.block_on(async {
        let server = group_site(1000, Duration::ZERO).await;
        Mock::given(method("GET"))
            .and(path(format!("{API}/user/current")))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "type": "known",
                "accountId": "5b10ac8d82e05b22cc7d4ef5",
                "displayName": "Mia Krystof",
                "operations": [{"operation": "administer", "targetType": "application"}],
                "_links": {}
            })))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(format!("{API}/user/email/bulk")))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!([]))
                    .set_delay(Duration::from_secs(120)),
            )
            .mount(&server)
            .await;
        server
    });
    let (mut child, _home) = spawn(&server.uri(), &["groups", "emails", GROUP, "--json"]);
    let bulk = |all: &[Request]| {
        all.iter()
            .filter(|r| r.url.path().ends_with("/user/email/bulk"))
            .count()
    };
    let started = Instant::now();
    let asked = loop {
        let asked = bulk(&rt.block_on(requests(&server)));
        if asked >= 10 || started.elapsed() > PATIENCE {
            break asked;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(asked, 10, "every bulk request out at once");
}
