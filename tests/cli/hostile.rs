//! The binary against servers that misbehave on purpose: an endless or huge body, a list whose
//! `next` never stops, a write answered with a redirect, a write whose answer never comes (exit 5),
//! groups named `..` or `team/ops`, and a search text too long to send. Each run ends within seconds, exits non-zero with one sentence
//! that says what happened, and never prints a success that did not happen.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::support;
use crate::{Run, CANARY};
use serde_json::{json, Value};
use std::io::Read;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};
use support::home::Home;
use support::mock::{requests, Hostile, Misbehaviour, API};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The longest a run may take before the test kills it and fails.
const HUNG: Duration = Duration::from_secs(20);

/// An account id in Cloud's `NNNNNN:uuid` form (used as is, without a lookup).
const ACCOUNT: &str = "598058:5c617f13-29ad-4667-a874-4371dba57509";

/// Runs `confdir ARGS --base-url BASE` with a token, in a fresh home; kills it and fails the test
/// if it runs past [`HUNG`]. Returns the run and how long it took.
fn run_against(base: &str, args: &[&str]) -> (Run, Duration) {
    let home = Home::new();
    let mut cmd = home.command(args);
    cmd.args(["--base-url", base])
        .env("CONFLUENCE_API_TOKEN", CANARY)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = cmd.spawn().unwrap();
    let out = reader(&mut child, true);
    let err = reader(&mut child, false);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > HUNG {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`confdir {}` still running after {HUNG:?}", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let took = started.elapsed();
    let run = Run {
        code: status.code().unwrap_or(-1),
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    };
    (run, took)
}

/// A thread that reads the child's stdout (or stderr) to the end, so a full pipe never blocks it.
fn reader(child: &mut Child, stdout: bool) -> std::thread::JoinHandle<String> {
    let mut pipe: Box<dyn Read + Send> = if stdout {
        Box::new(child.stdout.take().unwrap())
    } else {
        Box::new(child.stderr.take().unwrap())
    };
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = pipe.read_to_string(&mut text);
        text
    })
}

#[test]
fn an_endless_or_huge_body_ends_the_command_with_the_size_limit() {
    let rt = support::demo::runtime();
    for how in [Misbehaviour::Endless, Misbehaviour::Huge(200 * 1024 * 1024)] {
        let server = rt.block_on(Hostile::start(how));

        let (run, took) = run_against(&server.uri(), &["users", "search", "x"]);

        assert_eq!(run.code, 1, "{how:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{how:?}: {}", run.stdout);
        assert_eq!(
            run.stderr.trim(),
            "confdir: GET /search/user: the server sent more than 8 MiB, far more than any Confluence answer, so confdir stopped reading. The server may not be Confluence, or a proxy answered instead.",
            "{how:?}"
        );
        assert!(took < Duration::from_secs(10), "{how:?}: took {took:?}");
    }
}

/// A search page of one user, claiming to start at `start`, always with a `next`.
fn search_page(start: usize, next_start: usize) -> Value {
    json!({
        "results": [{"user": {
            "type": "known",
            "accountId": format!("5b10ac8d82e05b22cc7d{start:04}"),
            "displayName": format!("User {start}")
        }}],
        "start": start,
        "limit": 25,
        "size": 1,
        "_links": {"next": format!("/rest/api/search/user?cql=x&start={next_start}&limit=25")}
    })
}

/// The `start` a request asked for.
fn start_of(req: &Request) -> usize {
    req.url
        .query_pairs()
        .find(|(k, _)| k == "start")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0)
}

#[test]
fn lists_whose_next_never_ends_end_the_command_with_an_error() {
    let rt = support::demo::runtime();
    let server = rt.block_on(async {
        let server = MockServer::start().await;
        // Search: the same first page whatever is asked, `next` always one further.
        Mock::given(method("GET"))
            .and(path(format!("{API}/search/user")))
            .respond_with(|req: &Request| {
                ResponseTemplate::new(200).set_body_json(search_page(0, start_of(req) + 25))
            })
            .mount(&server)
            .await;
        // Memberships: pages going 0 → 200 → 0 → 200 …
        Mock::given(method("GET"))
            .and(path(format!("{API}/user/memberof")))
            .respond_with(|req: &Request| {
                let start = start_of(req);
                ResponseTemplate::new(200).set_body_json(json!({
                    "results": [{"type": "group", "name": format!("g{start}"), "id": format!("id{start}")}],
                    "size": 1,
                    "_links": {"next": format!("/rest/api/user/memberof?accountId={ACCOUNT}&start={}&limit=200", (start + 200) % 400)}
                }))
            })
            .mount(&server)
            .await;
        server
    });

    let (search, took) = run_against(&server.uri(), &["users", "search", "x", "--all"]);
    assert_eq!(search.code, 1, "{}", search.stderr);
    // `--all` prints pages as they arrive: the pages read before the list went wrong are out
    // already, and the exit code and stderr say the list is not whole.
    assert_eq!(
        search
            .stdout
            .lines()
            .filter(|l| l.starts_with("User 0"))
            .count(),
        2,
        "{}",
        search.stdout
    );
    assert_eq!(
        search.stderr.trim(),
        "confdir: GET /search/user: the list did not end: the server sent the page at start 0 twice (after 2 pages). The server may be misbehaving, so confdir stopped reading it."
    );
    assert!(took < Duration::from_secs(10), "took {took:?}");

    let (groups, _) = run_against(&server.uri(), &["groups", "of", ACCOUNT]);
    assert_eq!(groups.code, 1, "{}", groups.stderr);
    assert!(groups.stdout.is_empty(), "{}", groups.stdout);
    assert!(
        groups.stderr.contains(
            "GET /user/memberof: the list did not end: the server's next page points back at start 0"
        ),
        "{}",
        groups.stderr
    );
    assert_eq!(rt.block_on(requests(&server)).len(), 4);
}

#[test]
fn a_write_answered_with_a_redirect_fails_and_says_so() {
    let rt = support::demo::runtime();
    for status in [301u16, 302, 303, 307, 308] {
        let server = rt.block_on(async {
            let server = MockServer::start().await;
            Mock::given(method("POST"))
                .and(path(format!("{API}/user/watch/space/HR")))
                .respond_with(
                    ResponseTemplate::new(status).insert_header("Location", "/wiki/login"),
                )
                .mount(&server)
                .await;
            // What a POST turned into a GET would find: a page that answers 200.
            Mock::given(wiremock::matchers::any())
                .respond_with(ResponseTemplate::new(200).set_body_json(json!({"watching": true})))
                .mount(&server)
                .await;
            server
        });

        let (run, _) = run_against(&server.uri(), &["watch", "add", "space", "HR"]);

        assert_eq!(run.code, 1, "{status}: {}", run.stderr);
        assert!(!run.stdout.contains("watching"), "{status}: {}", run.stdout);
        assert!(
            run.stderr.starts_with(&format!(
                "confdir: POST /user/watch/space: the server answered with a redirect (HTTP {status}) to {}/wiki/login; confdir never sends a write on to another address, so the change was not confirmed.",
                server.uri()
            )),
            "{status}: {}",
            run.stderr
        );
        assert_eq!(rt.block_on(requests(&server)).len(), 1, "{status}");
    }
}

#[test]
fn groups_named_dot_dot_or_with_a_slash_are_found_by_name_and_by_id() {
    let rt = support::demo::runtime();
    let member = |name: &str| {
        json!({
            "results": [{"type": "known", "accountId": "5b10ac8d82e05b22cc7d4ef5", "displayName": name}],
            "size": 1,
            "_links": {}
        })
    };
    let server = rt.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(format!("{API}/group/picker")))
            .and(query_param("query", ".."))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "results": [{"type": "group", "name": "..", "id": "0c8e-dotdot"}],
                "size": 1,
                "_links": {}
            })))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(format!("{API}/group/picker")))
            .and(query_param("query", "team/ops"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "results": [{"type": "group", "name": "team/ops", "id": "team/ops"}],
                "size": 1,
                "_links": {}
            })))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(format!("{API}/group/picker")))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"results": [], "size": 0, "_links": {}})),
            )
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(format!("{API}/group/0c8e-dotdot/membersByGroupId")))
            .respond_with(ResponseTemplate::new(200).set_body_json(member("Dot Dot")))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(format!("{API}/group/team%2Fops/membersByGroupId")))
            .respond_with(ResponseTemplate::new(200).set_body_json(member("Team Ops")))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(format!("{API}/group/ops%2F42/membersByGroupId")))
            .respond_with(ResponseTemplate::new(200).set_body_json(member("Ops 42")))
            .mount(&server)
            .await;
        server
    });

    for (group, who) in [
        ("..", "Dot Dot"),
        ("0c8e-dotdot", "Dot Dot"),
        ("team/ops", "Team Ops"),
        // An id the picker does not know as a name travels escaped in its one segment.
        ("ops/42", "Ops 42"),
    ] {
        let (run, _) = run_against(&server.uri(), &["groups", "members", group, "--json"]);
        assert_eq!(run.code, 0, "{group}: {}", run.stderr);
        assert_eq!(run.json()[0]["displayName"], who, "{group}");
    }

    // `..` that names no group cannot be an id either: not found, nothing sent in a path.
    rt.block_on(server.reset());
    rt.block_on(
        Mock::given(method("GET"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"results": [], "size": 0, "_links": {}})),
            )
            .mount(&server),
    );
    let (run, _) = run_against(&server.uri(), &["groups", "members", ".."]);
    assert_eq!(run.code, 4, "{}", run.stderr);
    assert_eq!(run.stderr.trim(), "confdir: no group is named `..`");
    let reqs = rt.block_on(requests(&server));
    assert!(
        reqs.iter()
            .all(|r| r.url.path() == format!("{API}/group/picker")),
        "{reqs:?}"
    );
}

#[test]
fn a_search_text_too_long_to_send_is_a_usage_error_and_nothing_is_sent() {
    let rt = support::demo::runtime();
    let server = rt.block_on(MockServer::start());
    let long = "x".repeat(100 * 1024);

    let (run, _) = run_against(&server.uri(), &["users", "search", &long]);

    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with("confdir: GET /search/user: query too long ("),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("builder error"), "{}", run.stderr);
    assert!(rt.block_on(requests(&server)).is_empty());
}

#[test]
fn a_read_redirected_to_plain_http_elsewhere_is_refused() {
    let rt = support::demo::runtime();
    let server = rt.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(format!("{API}/search/user")))
            .respond_with(ResponseTemplate::new(302).insert_header(
                "Location",
                "http://example.invalid/wiki/rest/api/search/user",
            ))
            .mount(&server)
            .await;
        server
    });

    let (run, _) = run_against(&server.uri(), &["users", "search", "x"]);

    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stderr.trim(),
        "confdir: GET /search/user: the server answered with a redirect (HTTP 302) to http://example.invalid/wiki/rest/api/search/user; plain http is allowed only for loopback hosts (127.0.0.1, ::1, localhost), so the request was not sent there."
    );
    assert_eq!(rt.block_on(requests(&server)).len(), 1);
}

/// A server on 127.0.0.1 that reads each request whole, records its request line as applied, and
/// closes the connection without answering. Returns its URI and the record.
async fn silent_server() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use tokio::io::AsyncReadExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    let applied = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = applied.clone();
    tokio::spawn(async move {
        // Bounded: each run makes one connection.
        for _ in 0..16 {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            let mut want = usize::MAX;
            while buf.len() < want && buf.len() < 1024 * 1024 {
                let read = tokio::time::timeout(HUNG, stream.read(&mut chunk)).await;
                let Ok(Ok(n @ 1..)) = read else { break };
                buf.extend_from_slice(&chunk[..n]);
                if want == usize::MAX {
                    if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&buf[..i]).to_lowercase();
                        let length = head
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .and_then(|v| v.trim().parse::<usize>().ok())
                            .unwrap_or(0);
                        want = i + 4 + length;
                    }
                }
            }
            if buf.len() >= want {
                let head = String::from_utf8_lossy(&buf);
                let line = head.lines().next().unwrap_or_default().to_string();
                log.lock().unwrap().push(line);
            }
            drop(stream);
        }
    });
    (uri, applied)
}

#[test]
fn a_write_whose_answer_never_comes_exits_5_and_says_the_outcome_is_unknown() {
    let rt = support::demo::runtime();
    for args in [
        &["watch", "add", "space", "ENG"][..],
        &["watch", "remove", "label", "runbook"],
        &["props", "set", ACCOUNT, "prefs", r#"{"theme":"dark"}"#],
        &["props", "delete", ACCOUNT, "prefs"],
    ] {
        let (uri, applied) = rt.block_on(silent_server());

        let (run, _) = run_against(&uri, args);

        assert_eq!(run.code, 5, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr
                .contains("may or may not have applied the change"),
            "{args:?}: {}",
            run.stderr
        );
        assert_eq!(run.stderr.lines().count(), 1, "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
        let applied = applied.lock().unwrap().clone();
        assert_eq!(applied.len(), 1, "{args:?}: sent once: {applied:?}");
    }
}

/// A server on 127.0.0.1 that accepts connections and never answers, holding each open until
/// the test ends (at most [`HUNG`]).
async fn hanging_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let mut held = Vec::new();
        // Bounded: each run makes one or two connections.
        for _ in 0..8 {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            held.push(stream);
        }
    });
    uri
}

/// A site that takes the request and sends nothing back: within seconds the command says on
/// stderr what it is waiting for and for how long more, instead of sitting silent through its
/// whole timeout. Nothing is printed on stdout.
#[test]
fn a_command_whose_answer_is_slow_says_on_stderr_that_it_waits() {
    use std::io::BufRead;
    let rt = support::demo::runtime();
    let uri = rt.block_on(hanging_server());
    let home = Home::new();
    let mut cmd = home.command(&["users", "search", "ada"]);
    cmd.args(["--base-url", &uri])
        .env("CONFLUENCE_API_TOKEN", CANARY)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let stderr = child.stderr.take().unwrap();
    let out = reader(&mut child, true);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr).lines() {
            if tx.send(line).is_err() {
                return;
            }
        }
    });

    let line = rx.recv_timeout(HUNG);
    let _ = child.kill();
    let _ = child.wait();

    let line = line
        .expect("a line on stderr while the command waits")
        .unwrap();
    assert!(
        line.starts_with("confdir: GET /search/user: no answer yet after "),
        "{line}"
    );
    assert!(line.ends_with(" s more…"), "{line}");
    assert!(out.join().unwrap().is_empty());
}
