//! Worker tests: a superseded request in a slot is aborted and never answers, and every task
//! sends exactly one action, for success and failure alike.
//!
//! Nothing here waits on a clock standing in for a condition: the results channel closes once
//! the workers are dropped and every task has ended (an aborted task ends at once), so "all
//! answers are in" is the channel closing, within a generous timeout.

use super::*;
use crate::api::{Auth, ClientConfig, RetryPolicy};
use crate::app::state::Pin;
use crate::demo::{DemoOptions, DemoServer, DEMO_ACCOUNT_ID};
use crate::runtime::cache::{self, DirectoryCache};
use pretty_assertions::assert_eq;
use std::collections::BTreeMap;
use std::sync::Arc;
use tokio::sync::mpsc::{self, UnboundedReceiver};
use wiremock::matchers::{method, path, query_param_contains};
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

/// How long the channel may stay open before the test calls a task stuck.
const PATIENCE: Duration = Duration::from_secs(30);

/// Every action sent until the results channel closes (all senders gone: the workers dropped
/// and every task ended).
async fn all_actions(mut results_rx: UnboundedReceiver<Action>) -> Vec<Action> {
    let mut all = Vec::new();
    loop {
        match tokio::time::timeout(PATIENCE, results_rx.recv()).await {
            Ok(Some(action)) => all.push(action),
            Ok(None) => return all,
            Err(_) => panic!("a task never ended (the channel stayed open); so far: {all:#?}"),
        }
    }
}

/// A short, comparable name for an action: kind, request id, and whether it succeeded.
fn label(action: &Action) -> String {
    fn ok<T, E>(result: &Result<T, E>) -> &'static str {
        if result.is_ok() {
            "ok"
        } else {
            "err"
        }
    }
    match action {
        Action::Loaded(loaded) => {
            let (slot, id) = loaded.request();
            let outcome = match loaded {
                Loaded::Me { result, .. } | Loaded::Profile { result, .. } => ok(result),
                Loaded::Search { result, .. } => ok(result),
                Loaded::Email { result, .. } => ok(result),
                Loaded::PropertyKeys { result, .. } => ok(result),
                Loaded::Property { result, .. } => ok(result),
                Loaded::Groups { result, .. } => ok(result),
                Loaded::Members { result, .. } => ok(result),
                Loaded::Spaces { result, .. } => ok(result),
                Loaded::CompareGroups { result, .. } => ok(result),
                Loaded::GroupEmails { result, .. } => ok(result),
                Loaded::FoundGroups { result, .. } => ok(result),
            };
            format!("{slot:?}#{} {outcome}", id.0)
        }
        Action::Done(Done::WatchStatusLoaded { id, result, .. }) => {
            format!("WatchStatus#{} {}", id.0, ok(result))
        }
        Action::Done(Done::WatchSet { id, result, .. }) => {
            format!("WatchSet#{} {}", id.0, ok(result))
        }
        Action::Done(Done::PinsSaved { result }) => format!("PinsSaved {}", ok(result)),
        Action::Done(Done::DirectoryCached { .. }) => "DirectoryCached ok".into(),
        Action::Done(Done::DirectoryCacheFailed { .. }) => "DirectoryCached err".into(),
        other => format!("unexpected {other:?}"),
    }
}

/// Answers a search and reports that the request arrived, before waiting `delay` to answer.
struct Arrival {
    arrived_tx: mpsc::UnboundedSender<()>,
    delay: Duration,
}

impl Respond for Arrival {
    fn respond(&self, _: &wiremock::Request) -> ResponseTemplate {
        let _ = self.arrived_tx.send(());
        ResponseTemplate::new(200)
            .set_body_json(serde_json::json!({"results": [], "size": 0, "_links": {}}))
            .set_delay(self.delay)
    }
}

fn search(id: u64, query: &str) -> Command {
    Command::SearchUsers {
        id: RequestId(id),
        query: query.into(),
        start: 0,
        limit: 25,
        debounce: false,
    }
}

#[tokio::test]
async fn a_superseded_request_is_aborted_and_its_answer_never_arrives() {
    let server = MockServer::start().await;
    let (slow_tx, mut slow_rx) = mpsc::unbounded_channel();
    let (fast_tx, _fast_rx) = mpsc::unbounded_channel();
    // The first search is answered only after two minutes: far longer than the test waits.
    Mock::given(method("GET"))
        .and(path("/wiki/rest/api/search/user"))
        .and(query_param_contains("cql", "slowpoke"))
        .respond_with(Arrival {
            arrived_tx: slow_tx,
            delay: Duration::from_secs(120),
        })
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/wiki/rest/api/search/user"))
        .and(query_param_contains("cql", "quick"))
        .respond_with(Arrival {
            arrived_tx: fast_tx,
            delay: Duration::ZERO,
        })
        .mount(&server)
        .await;
    let mut config = ClientConfig::new(server.uri(), Auth::Anonymous);
    config.retry = RetryPolicy::none();
    let (results_tx, results_rx) = mpsc::unbounded_channel();
    let mut worker = Worker::new(Client::new(config).unwrap(), results_tx, None, None);

    worker.execute(search(1, "slowpoke"));
    // The first request is on the server, waiting for its answer …
    tokio::time::timeout(PATIENCE, slow_rx.recv())
        .await
        .expect("the first search reaches the server")
        .expect("the server is up");
    // … when a newer search takes the slot.
    worker.execute(search(2, "quick"));
    drop(worker);

    let answers: Vec<String> = all_actions(results_rx).await.iter().map(label).collect();
    assert_eq!(answers, vec!["Search#2 ok".to_string()]);
}

/// One command of every kind the worker runs, ids 1 to 12 (6 and 8 fail on the demo server).
fn one_of_each() -> Vec<Command> {
    let me = DEMO_ACCOUNT_ID.to_string();
    let id = RequestId;
    vec![
        Command::FetchMe { id: id(1) },
        search(2, "a"),
        Command::FetchProfile {
            id: id(3),
            account_id: me.clone(),
            settle: true,
        },
        Command::FetchEmail {
            id: id(4),
            account_id: me.clone(),
        },
        Command::FetchPropertyKeys {
            id: id(5),
            account_id: me.clone(),
            settle: true,
        },
        Command::FetchProperty {
            id: id(6),
            account_id: me.clone(),
            key: "no-such-property".into(),
        },
        Command::FetchGroups {
            id: id(7),
            account_id: me.clone(),
            settle: true,
        },
        Command::FetchMembers {
            id: id(8),
            group_id: "no-such-group".into(),
            start: 0,
            limit: 10,
        },
        Command::FetchSpaces {
            id: id(9),
            after: None,
            limit: 10,
        },
        Command::FetchWatchStatuses {
            user: None,
            targets: vec![
                (id(10), WatchTarget::Label("release-notes".into())),
                (id(11), WatchTarget::Space("NO-SUCH-SPACE".into())),
            ],
        },
        Command::SetWatch {
            id: id(12),
            user: None,
            target: WatchTarget::Label("release-notes".into()),
            watch: true,
        },
        Command::SavePins {
            pins: vec![Pin {
                target: WatchTarget::Label("release-notes".into()),
            }],
        },
        Command::LoadDirectoryCache,
    ]
}

/// What each answer counts as: requests by id whatever their outcome (each must come once),
/// file jobs by outcome.
fn counted(label: &str) -> String {
    match label.split_once(' ') {
        Some((request, _)) if request.contains('#') => request.to_string(),
        _ => label.to_string(),
    }
}

#[tokio::test]
async fn every_task_sends_exactly_one_action_on_success_and_on_failure() {
    let server = DemoServer::start(DemoOptions::default()).await.unwrap();
    let client = Client::new(server.client_config(false)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let good_cache = dir.path().join("good").join("directory.json");
    cache::save(
        &good_cache,
        &DirectoryCache {
            version: cache::VERSION,
            ..DirectoryCache::default()
        },
    )
    .unwrap();
    let bad_cache = dir.path().join("bad.json");
    // The header of the current format, then nothing that decodes.
    let mut damaged = b"confdir\0".to_vec();
    damaged.extend_from_slice(&cache::VERSION.to_le_bytes());
    damaged.extend_from_slice(&[0xff; 3]);
    std::fs::write(&bad_cache, damaged).unwrap();

    let (results_tx, results_rx) = mpsc::unbounded_channel();
    // One worker with somewhere to keep pins and a readable cache, one with neither and a
    // damaged cache, one with nothing at all.
    let mut kept = Worker::new(
        client.clone(),
        results_tx.clone(),
        Some(dir.path().join("pins.json")),
        Some(good_cache),
    );
    let mut homeless = Worker::new(client.clone(), results_tx.clone(), None, Some(bad_cache));
    let mut bare = Worker::new(client, results_tx, None, None);

    for command in one_of_each() {
        kept.execute(command);
    }
    homeless.execute(Command::SavePins { pins: Vec::new() });
    homeless.execute(Command::LoadDirectoryCache);
    // No cache to read and the local effects: nothing to answer.
    bare.execute(Command::LoadDirectoryCache);
    bare.execute(Command::Copy { text: "x".into() });
    bare.execute(Command::OpenUrl { path: "x".into() });
    drop((kept, homeless, bare));

    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for action in all_actions(results_rx).await {
        // Ok or err aside, each request is answered once.
        let key = label(&action);
        *counts.entry(counted(&key)).or_default() += 1;
        let sure = [
            ("Me#1", "ok"),
            ("Search#2", "ok"),
            ("Property#6", "err"),
            ("Members#8", "err"),
            ("Spaces#9", "ok"),
        ];
        for (what, outcome) in sure {
            if key.starts_with(&format!("{what} ")) {
                assert_eq!(key, format!("{what} {outcome}"));
            }
        }
    }
    let mut want: BTreeMap<String, usize> = [
        "Me#1",
        "Search#2",
        "Profile#3",
        "Email#4",
        "PropertyKeys#5",
        "Property#6",
        "Groups#7",
        "Members#8",
        "Spaces#9",
        "WatchStatus#10",
        "WatchStatus#11",
        "WatchSet#12",
    ]
    .into_iter()
    .map(|k| (k.to_string(), 1))
    .collect();
    // Pins written, and pins with nowhere to go; a cache read, and a damaged one.
    for file_job in [
        "PinsSaved ok",
        "PinsSaved err",
        "DirectoryCached ok",
        "DirectoryCached err",
    ] {
        want.insert(file_job.into(), 1);
    }
    assert_eq!(counts, want);
    server.stop().await;
}

/// The spaces of one page: their keys, and the page's `next` link.
fn spaces_page(action: Option<Action>) -> (Vec<String>, Option<String>) {
    match action {
        Some(Action::Loaded(Loaded::Spaces {
            result: Ok(page), ..
        })) => (
            page.results.into_iter().map(|s| s.key).collect(),
            page.links.next,
        ),
        other => panic!("not a page of spaces: {other:?}"),
    }
}

#[tokio::test]
async fn spaces_are_read_by_the_next_link_of_the_page_before_on_v2() {
    let server = MockServer::start().await;
    // Page 2 is announced only in the `Link` header, as v2 may.
    Mock::given(method("GET"))
        .and(path("/wiki/api/v2/spaces"))
        .and(query_param_contains("cursor", "p2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            serde_json::json!({"results": [{"id": "3", "key": "OPS", "name": "Ops"}], "_links": {}}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/wiki/api/v2/spaces"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"results": [{"id": "1", "key": "ENG", "name": "Eng"}], "_links": {}}))
                .insert_header("Link", "</wiki/api/v2/spaces?cursor=p2&limit=1>; rel=\"next\""),
        )
        .mount(&server)
        .await;
    let mut config = ClientConfig::new(server.uri(), Auth::Anonymous);
    config.retry = RetryPolicy::none();
    let (results_tx, mut results_rx) = mpsc::unbounded_channel();
    let mut worker = Worker::new(Client::new(config).unwrap(), results_tx, None, None);

    worker.execute(Command::FetchSpaces {
        id: RequestId(1),
        after: None,
        limit: 1,
    });
    let first = tokio::time::timeout(PATIENCE, results_rx.recv())
        .await
        .unwrap();
    let (keys, next) = spaces_page(first);
    assert_eq!(keys, vec!["ENG"]);
    assert_eq!(
        next.as_deref(),
        Some("/wiki/api/v2/spaces?cursor=p2&limit=1")
    );
    worker.execute(Command::FetchSpaces {
        id: RequestId(2),
        after: next,
        limit: 1,
    });
    let second = tokio::time::timeout(PATIENCE, results_rx.recv())
        .await
        .unwrap();
    assert_eq!(spaces_page(second), (vec!["OPS".to_string()], None));
}

/// Watch statuses: 429 for the first `limited` requests (`Retry-After: 0`, so the client's retry
/// comes at once), then `watching: true`, with `X-RateLimit-NearLimit: true` while `near` is set.
struct Pushback {
    seen: Arc<std::sync::atomic::AtomicUsize>,
    limited: usize,
    near: Arc<std::sync::atomic::AtomicBool>,
}

impl Respond for Pushback {
    fn respond(&self, _: &wiremock::Request) -> ResponseTemplate {
        use std::sync::atomic::Ordering;
        if self.seen.fetch_add(1, Ordering::SeqCst) < self.limited {
            return ResponseTemplate::new(429).insert_header("Retry-After", "0");
        }
        let answer =
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"watching": true}));
        if self.near.load(Ordering::SeqCst) {
            answer.insert_header("X-RateLimit-NearLimit", "true")
        } else {
            answer
        }
    }
}

fn spaces(from: u64, n: u64) -> Command {
    Command::FetchWatchStatuses {
        user: None,
        targets: (from..from + n)
            .map(|i| (RequestId(i), WatchTarget::Space(format!("S{i}"))))
            .collect(),
    }
}

/// Waits for `n` watch statuses and says how many were ok.
async fn statuses(results_rx: &mut UnboundedReceiver<Action>, n: usize) -> usize {
    let mut ok = 0;
    for _ in 0..n {
        match tokio::time::timeout(PATIENCE, results_rx.recv()).await {
            Ok(Some(Action::Done(Done::WatchStatusLoaded { result, .. }))) => {
                ok += usize::from(result.is_ok())
            }
            other => panic!("expected a watch status, got {other:?}"),
        }
    }
    ok
}

#[tokio::test]
async fn the_watch_ceiling_halves_on_429_and_near_limit_and_grows_back_when_calm() {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let server = MockServer::start().await;
    let near = Arc::new(AtomicBool::new(false));
    Mock::given(method("GET"))
        .respond_with(Pushback {
            seen: Arc::new(AtomicUsize::new(0)),
            limited: 20,
            near: near.clone(),
        })
        .mount(&server)
        .await;
    let mut config = ClientConfig::new(server.uri(), Auth::Anonymous);
    config.retry.max_retries = 30;
    let (results_tx, mut results_rx) = mpsc::unbounded_channel();
    let mut worker = Worker::new(Client::new(config).unwrap(), results_tx, None, None);
    assert_eq!(worker.watch_limit.limit(), WATCH_CONCURRENCY);

    // Twenty rows at once, all answered 429 first: the ceiling halves (at least once).
    worker.execute(spaces(1, 20));
    assert_eq!(
        statuses(&mut results_rx, 20).await,
        20,
        "retried to success"
    );
    let pressed = worker.watch_limit.limit();
    assert!((1..=WATCH_CONCURRENCY / 2).contains(&pressed), "{pressed}");
    assert_eq!(worker.watch_limit.in_flight(), 0);

    // Calm answers: it grows back, slowly.
    worker.execute(spaces(100, 60));
    assert_eq!(statuses(&mut results_rx, 60).await, 60);
    let recovered = worker.watch_limit.limit();
    assert!(recovered > pressed, "{pressed} -> {recovered}");
    assert!(recovered < WATCH_CONCURRENCY, "grows by one per window");

    // `X-RateLimit-NearLimit: true` on a success is pressure too.
    near.store(true, Ordering::SeqCst);
    worker.execute(spaces(200, 1));
    assert_eq!(statuses(&mut results_rx, 1).await, 1);
    assert_eq!(worker.watch_limit.limit(), (recovered / 2).max(1));
}

#[tokio::test]
async fn every_visible_rows_watch_status_goes_out_at_once() {
    let server = MockServer::start().await;
    let (arrived_tx, mut arrived_rx) = mpsc::unbounded_channel();
    // No answer within the test: only requests sent at once can all arrive.
    Mock::given(method("GET"))
        .respond_with(Arrival {
            arrived_tx,
            delay: Duration::from_secs(120),
        })
        .mount(&server)
        .await;
    let (results_tx, _results_rx) = mpsc::unbounded_channel();
    let config = ClientConfig::new(server.uri(), Auth::Anonymous);
    let mut worker = Worker::new(Client::new(config).unwrap(), results_tx, None, None);
    worker.execute(spaces(1, 24));
    for n in 0..24 {
        tokio::time::timeout(PATIENCE, arrived_rx.recv())
            .await
            .unwrap_or_else(|_| panic!("only {n} of 24 requests went out before any answer"))
            .expect("the server is up");
    }
    assert_eq!(worker.watch_limit.in_flight(), 24);
}

#[tokio::test]
async fn start_up_asks_for_you_once_then_for_your_groups_at_once() {
    use crate::app::state::State;
    use crate::app::update::{init, update};
    let server = MockServer::start().await;
    let empty =
        serde_json::json!({"results": [], "start": 0, "limit": 25, "size": 0, "_links": {}});
    Mock::given(method("GET"))
        .and(path("/wiki/rest/api/user/current"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "type": "known", "accountId": DEMO_ACCOUNT_ID, "accountType": "atlassian",
            "displayName": "Ada Lovelace", "email": "ada@example.com",
            "personalSpace": {"key": "~ada", "name": "Ada Lovelace"}
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(empty))
        .mount(&server)
        .await;
    let (results_tx, mut results_rx) = mpsc::unbounded_channel();
    let client = Client::new(ClientConfig::new(server.uri(), Auth::Anonymous)).unwrap();
    let mut worker = Worker::new(client, results_tx, None, None);
    let mut state = State::new("acme", Vec::new(), chrono::Utc::now());
    for command in init(&mut state) {
        worker.execute(command);
    }
    // The loop, without a terminal: every answer goes through `update`, every command it
    // returns to the worker, until nothing is in flight.
    while state.in_flight() > 0 {
        let action = tokio::time::timeout(PATIENCE, results_rx.recv())
            .await
            .expect("an answer")
            .expect("the worker is alive");
        for command in update(&mut state, action) {
            worker.execute(command);
        }
    }
    assert_eq!(state.profile_id(), Some(DEMO_ACCOUNT_ID));
    let requests = server.received_requests().await.unwrap();
    let count = |p: &str| requests.iter().filter(|r| r.url.path() == p).count();
    assert_eq!(count("/wiki/rest/api/user/current"), 1);
    assert_eq!(
        count("/wiki/rest/api/user"),
        0,
        "you are not asked for twice"
    );
    assert_eq!(count("/wiki/rest/api/user/memberof"), 1);
    let current = requests
        .iter()
        .find(|r| r.url.path() == "/wiki/rest/api/user/current")
        .unwrap();
    assert!(
        current
            .url
            .query()
            .unwrap_or_default()
            .contains("personalSpace"),
        "{}",
        current.url
    );
}
