//! `confdir directory sync`: the cache then holds every person of the site, through search or,
//! where the site caps search depth, through its groups; an interrupted sync resumes without
//! asking again for the pages it had; rate limits are sat out.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::support::demo::{runtime, Demo};
use crate::support::home::Home;
use crate::{Run, Site};
use confdir::demo::{DemoOptions, DEMO_EMAIL, DEMO_TOKEN};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The one `directory.json` under the home's cache folder.
fn cache_file(home: &Path) -> PathBuf {
    fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                walk(&p, found);
            } else if p.file_name().is_some_and(|n| n == "directory.json") {
                found.push(p);
            }
        }
    }
    let mut found = Vec::new();
    walk(home, &mut found);
    assert_eq!(found.len(), 1, "{found:?}");
    found.remove(0)
}

/// Account ids in the cache.
fn cached_ids(home: &Path) -> HashSet<String> {
    let cache = confdir::runtime::cache::load(&cache_file(home)).unwrap();
    cache
        .users
        .into_iter()
        .filter_map(|u| u.account_id)
        .collect()
}

fn demo_ids(demo: &Demo) -> HashSet<String> {
    demo.server()
        .directory()
        .users
        .iter()
        .map(|p| p.account_id.clone())
        .collect()
}

#[test]
fn the_cache_then_holds_every_person_of_the_site() {
    let site = Site {
        demo: Demo::start_with(DemoOptions {
            users: 3_000,
            ..DemoOptions::default()
        }),
        home: Home::new(),
    };
    let summary = site.run(&["directory", "sync", "--json"]).ok().json();
    let everyone = demo_ids(&site.demo);
    assert_eq!(summary["people"], everyone.len());
    assert_eq!(summary["new"], everyone.len());
    assert_eq!(summary["strategy"], "search");
    // 3,000 people in pages of 1,000.
    assert_eq!(summary["requests"], 3);
    assert_eq!(cached_ids(site.home.path()), everyone);
    assert!(
        !cache_file(site.home.path())
            .with_file_name("sync.json")
            .exists(),
        "a finished sync leaves no state file"
    );

    // Again: nobody new, nothing changed; the human summary says so.
    let again = site.run(&["directory", "sync"]).ok();
    assert!(
        again
            .stdout
            .starts_with("synced 3,000 people (0 new, 0 updated)"),
        "{}",
        again.stdout
    );
}

#[test]
fn a_second_sync_of_the_same_site_is_refused_while_one_runs() {
    let site = Site {
        demo: Demo::start_with(DemoOptions {
            users: 300,
            ..DemoOptions::default()
        }),
        home: Home::new(),
    };
    site.run(&["directory", "sync"]).ok();
    let cache = cache_file(site.home.path());
    // Another sync of this site (the UI's, say) holds its lock.
    let mut running = confdir::directory_sync::checkpoint::Checkpoint::beside(&cache);
    running.lock().unwrap();
    let refused = site.run(&["directory", "sync"]);
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(
        refused
            .stderr
            .contains("another directory sync of this site is running"),
        "{}",
        refused.stderr
    );
    assert!(
        !cache.with_file_name("sync.json").exists(),
        "nothing started"
    );
    // It ended: the next sync runs.
    drop(running);
    site.run(&["directory", "sync"]).ok();
}

#[test]
fn where_search_is_capped_the_groups_reach_everyone() {
    // The demo caps search as Cloud does ("up to 10k users"), here at 200 of 600 people.
    let site = Site {
        demo: Demo::start_with(DemoOptions {
            users: 600,
            search_cap: 200,
            ..DemoOptions::default()
        }),
        home: Home::new(),
    };
    // Its answers do not say more people exist: the client knows where search stops (10,000 on
    // Cloud, told 200 here).
    let run = site
        .run(&["directory", "sync", "--search-depth", "200"])
        .ok();
    let everyone = demo_ids(&site.demo);
    assert!(
        run.stdout.starts_with("synced 600 people (600 new"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("search on this site stopped at 200 people: the other 400 were found"),
        "{}",
        run.stdout
    );
    assert_eq!(cached_ids(site.home.path()), everyone);
}

/// A site of `people` people whose search sends `page` at a time, as wiremock answers.
fn search_page(req: &Request, people: usize, page: usize, base: &str) -> ResponseTemplate {
    let start: usize = req
        .url
        .query_pairs()
        .find(|(k, _)| k == "start")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let end = (start + page).min(people);
    let results: Vec<Value> = (start..end)
        .map(|i| {
            json!({
                "user": {"type": "known", "accountId": format!("acct-{i}"),
                         "accountType": "atlassian", "displayName": format!("Person {i}"),
                         "publicName": format!("p{i}")},
                "title": format!("Person {i}"), "entityType": "user"
            })
        })
        .collect();
    let mut links = json!({"base": format!("{base}/wiki"), "context": "/wiki"});
    if end < people {
        links["next"] = json!(format!(
            "/rest/api/search/user?cql=type%3Duser&sitePermissionTypeFilter=all&start={end}&limit={page}"
        ));
    }
    ResponseTemplate::new(200).set_body_json(json!({
        "results": results, "start": start, "limit": page, "size": end - start,
        "totalSize": people, "_links": links
    }))
}

/// A wiremock site of 10 people, 2 per search page, with `extra` mocks mounted first.
fn mock_site(rt: &tokio::runtime::Runtime, extra: Vec<Mock>) -> MockServer {
    rt.block_on(async {
        let server = MockServer::start().await;
        for mock in extra {
            mock.mount(&server).await;
        }
        let base = server.uri();
        Mock::given(method("GET"))
            .and(path("/wiki/rest/api/search/user"))
            .respond_with(move |req: &Request| search_page(req, 10, 2, &base))
            .mount(&server)
            .await;
        server
    })
}

fn sync_against(home: &Home, server: &MockServer, args: &[&str]) -> Run {
    let mut all = vec!["directory", "sync"];
    all.extend_from_slice(args);
    home.command(&all)
        .env("CONFLUENCE_BASE_URL", format!("{}/wiki", server.uri()))
        .env("CONFLUENCE_EMAIL", DEMO_EMAIL)
        .env("CONFLUENCE_API_TOKEN", DEMO_TOKEN)
        .output()
        .unwrap()
        .into()
}

/// How many search requests asked for `start`.
fn asked(rt: &tokio::runtime::Runtime, server: &MockServer, start: &str) -> usize {
    rt.block_on(server.received_requests())
        .unwrap_or_default()
        .iter()
        .filter(|r| r.url.path().ends_with("/search/user"))
        .filter(|r| r.url.query_pairs().any(|(k, v)| k == "start" && v == start))
        .count()
}

#[test]
fn an_interrupted_sync_resumes_without_asking_again_for_its_pages() {
    let rt = runtime();
    // The third page fails once (403: not retried), as a site failing mid-sync would.
    let fail_once = Mock::given(method("GET"))
        .and(path("/wiki/rest/api/search/user"))
        .and(query_param("start", "4"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({
            "statusCode": 403, "message": "Not now"
        })))
        .up_to_n_times(1)
        .with_priority(1);
    let server = mock_site(&rt, vec![fail_once]);
    let home = Home::new();
    let first = sync_against(&home, &server, &[]);
    assert_ne!(first.code, 0);
    assert!(
        first.stderr.contains("sync stopped with 4 people so far"),
        "{}",
        first.stderr
    );
    let state = cache_file_dir(&home).join("sync.json");
    assert!(state.exists(), "the progress is kept");

    let second = sync_against(&home, &server, &["--json"]).ok();
    assert!(
        second.stderr.contains("resuming: 4 people so far"),
        "{}",
        second.stderr
    );
    assert_eq!(second.json()["people"], 10);
    assert_eq!(second.json()["resumed"], 4);
    // The pages the first run had were not asked for again.
    assert_eq!(asked(&rt, &server, "0"), 1);
    assert_eq!(asked(&rt, &server, "2"), 1);
    assert_eq!(asked(&rt, &server, "4"), 2);
    assert_eq!(cached_ids(home.path()).len(), 10);
    assert!(!state.exists(), "a finished sync removes its progress");
}

/// The site's cache folder (where the state file lives while a sync is unfinished).
fn cache_file_dir(home: &Home) -> PathBuf {
    let root = home.cache_dir().join("confdir");
    std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.is_dir())
        .unwrap_or_else(|| panic!("no site folder in {}", root.display()))
}

#[test]
fn restart_starts_over_and_rate_limits_are_sat_out() {
    let rt = runtime();
    let limited = Mock::given(method("GET"))
        .and(path("/wiki/rest/api/search/user"))
        .and(query_param("start", "2"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .with_priority(1);
    let server = mock_site(&rt, vec![limited]);
    let home = Home::new();
    let run = sync_against(&home, &server, &["--json", "--restart"]).ok();
    assert_eq!(run.json()["people"], 10);
    assert_eq!(asked(&rt, &server, "2"), 2, "the 429 was retried once");
    assert_eq!(cached_ids(home.path()).len(), 10);
}

#[test]
fn the_ui_sync_task_reports_every_page_and_saves_the_cache() {
    use confdir::app::action::Done;
    use confdir::app::{Action, RequestId};
    let demo = Demo::start_with(DemoOptions {
        users: 2_500,
        ..DemoOptions::default()
    });
    let home = Home::new();
    let cache = home.cache_dir().join("confdir/demo/directory.json");
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Action>();
    let end = demo.block_on(confdir::runtime::sync::run(
        demo.client(false),
        RequestId(7),
        Some(cache.clone()),
        tx,
    ));
    let mut merged = HashSet::new();
    let mut pages = 0;
    while let Ok(action) = rx.try_recv() {
        if let Action::Done(Done::SyncProgress {
            id,
            batch,
            progress,
        }) = action
        {
            assert_eq!(id, RequestId(7));
            assert!(batch.len() <= 1_000, "a page at a time");
            merged.extend(batch.into_iter().filter_map(|u| u.account_id));
            assert_eq!(progress.people, merged.len());
            pages += 1;
        }
    }
    let everyone = demo_ids(&demo);
    assert_eq!(merged, everyone);
    assert!(pages >= 3, "{pages} progress reports");
    match end {
        Action::Done(Done::SyncFinished { id, result }) => {
            assert_eq!(id, RequestId(7));
            assert_eq!(result.unwrap().new, everyone.len());
        }
        other => panic!("{other:?}"),
    }
    let cached = confdir::runtime::cache::load(&cache).unwrap();
    assert_eq!(cached.users.len(), everyone.len());
}

#[test]
fn ctrl_c_keeps_the_progress_and_the_next_run_resumes() {
    let rt = runtime();
    // After the first page, pages are slow until the interruption, so it comes mid-sync.
    let slow = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let server = rt.block_on(async {
        let server = MockServer::start().await;
        let base = server.uri();
        let slow = slow.clone();
        Mock::given(method("GET"))
            .and(path("/wiki/rest/api/search/user"))
            .respond_with(move |req: &Request| {
                let page = search_page(req, 10, 2, &base);
                let first = req.url.query_pairs().any(|(k, v)| k == "start" && v == "0");
                if !first && slow.load(std::sync::atomic::Ordering::SeqCst) {
                    page.set_delay(std::time::Duration::from_secs(3))
                } else {
                    page
                }
            })
            .mount(&server)
            .await;
        server
    });
    let home = Home::new();
    let child = home
        .command(&["directory", "sync"])
        .env("CONFLUENCE_BASE_URL", format!("{}/wiki", server.uri()))
        .env("CONFLUENCE_EMAIL", DEMO_EMAIL)
        .env("CONFLUENCE_API_TOKEN", DEMO_TOKEN)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until a page has been recorded, then press Ctrl-C.
    let log = home.cache_dir().join("confdir");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let recorded = || {
        std::fs::read_dir(&log)
            .into_iter()
            .flatten()
            .flatten()
            .any(|e| {
                std::fs::metadata(e.path().join("sync-people.jsonl")).is_ok_and(|m| m.len() > 0)
            })
    };
    while !recorded() {
        assert!(std::time::Instant::now() < deadline, "no page recorded");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out: Run = child.wait_with_output().unwrap().into();
    slow.store(false, std::sync::atomic::Ordering::SeqCst);
    assert_eq!(out.code, 130, "{}", out.stderr);
    assert!(
        out.stderr.contains("sync interrupted with"),
        "{}",
        out.stderr
    );
    let before = asked(&rt, &server, "0");
    assert_eq!(before, 1);

    let second = sync_against(&home, &server, &["--json"]).ok();
    assert!(
        second.stderr.contains("resuming: 2 people so far"),
        "{}",
        second.stderr
    );
    assert_eq!(second.json()["people"], 10);
    assert_eq!(
        asked(&rt, &server, "0"),
        1,
        "the first page was not asked again"
    );
    assert_eq!(cached_ids(home.path()).len(), 10);
}
