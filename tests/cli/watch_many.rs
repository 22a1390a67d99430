//! `watch status|add|remove` of many targets at once (`--all-spaces` too), and group-wide
//! watches (`--group`): the plan, the refusal for a non-administrator, `--dry-run`, `--yes`,
//! the report, and a resumed run that skips the members already done.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::{Run, Site};
use confdir::api::WatchTarget;
use serde_json::Value;
use std::time::{Duration, Instant};

/// The account ids of a group's members, as the demo administrator lists them.
fn members(site: &Site, group: &str) -> Vec<String> {
    let run = site
        .admin(&["groups", "members", group, "--all", "--json"])
        .ok();
    run.json()
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["accountId"].as_str().unwrap().to_string())
        .collect()
}

/// Who among `ids` watches `target`, read straight from the server as the administrator.
fn watching(site: &Site, target: &WatchTarget, ids: &[String]) -> Vec<String> {
    let client = site.demo.client(true);
    site.demo.block_on(async {
        let mut on = Vec::new();
        for id in ids {
            if client.watch_status(target, Some(id)).await.unwrap() {
                on.push(id.clone());
            }
        }
        on
    })
}

/// Makes `ids` watch `target` (as the administrator), straight on the server.
fn make_watch(site: &Site, target: &WatchTarget, ids: &[String]) {
    let client = site.demo.client(true);
    site.demo.block_on(async {
        for id in ids {
            client.add_watch(target, Some(id)).await.unwrap();
        }
    });
}

/// Makes sure none of `ids` watches `target` (the demo seeds some watches), straight on the
/// server.
fn clear_watch(site: &Site, target: &WatchTarget, ids: &[String]) {
    let client = site.demo.client(true);
    site.demo.block_on(async {
        for id in ids {
            client.remove_watch(target, Some(id)).await.unwrap();
        }
    });
}

fn ids_of(list: &Value) -> Vec<String> {
    let mut ids: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["accountId"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn several_spaces_are_added_checked_and_removed_in_one_run_in_every_form() {
    let site = Site::start();
    let added = site
        .run(&["watch", "add", "space", "MOB", "WEB", "SRE"])
        .ok();
    let lines: Vec<&str> = added.stdout.lines().collect();
    assert_eq!(
        lines[0].split_whitespace().collect::<Vec<_>>(),
        ["SPACE", "STATUS"]
    );
    assert_eq!(lines.len(), 4, "{}", added.stdout);
    for (line, key) in lines[1..].iter().zip(["MOB", "WEB", "SRE"]) {
        assert!(
            line.starts_with(key) && line.ends_with("now watching"),
            "{line}"
        );
    }

    // One missing space among four: every row printed, the failure said, exit 1.
    let status = site.run(&[
        "watch", "status", "space", "MOB", "WEB", "NOPE", "HR", "--json",
    ]);
    assert_eq!(status.code, 1, "{}", status.stderr);
    assert!(status.stderr.contains("1 of 4 failed"), "{}", status.stderr);
    let rows = status.json();
    let rows = rows.as_array().unwrap();
    let summary: Vec<(&str, Option<bool>)> = rows
        .iter()
        .map(|r| (r["id"].as_str().unwrap(), r["watching"].as_bool()))
        .collect();
    assert_eq!(
        summary,
        [
            ("MOB", Some(true)),
            ("WEB", Some(true)),
            ("NOPE", None),
            ("HR", Some(false))
        ]
    );
    assert!(
        rows[2]["error"].as_str().unwrap().contains("403"),
        "{rows:?}"
    );

    let csv = site
        .run(&["watch", "remove", "space", "MOB", "WEB", "--csv"])
        .ok();
    assert_eq!(
        csv.csv(),
        [
            vec!["kind", "id", "watching", "error"],
            vec!["space", "MOB", "false", ""],
            vec!["space", "WEB", "false", ""],
        ]
    );
    let human = site.run(&["watch", "status", "space", "MOB", "SRE"]).ok();
    assert!(human.stdout.contains("MOB") && human.stdout.contains("not watching"));
    assert!(human
        .stdout
        .lines()
        .any(|l| l.starts_with("SRE") && l.ends_with(" watching") && !l.ends_with("not watching")));
}

/// One target keeps the one-line answer and the JSON object it always had; several give a table.
#[test]
fn labels_and_pages_take_several_targets_too() {
    let site = Site::start();
    let run = site
        .run(&[
            "watch",
            "add",
            "label",
            "runbook",
            "release-notes",
            "--json",
        ])
        .ok();
    let rows = run.json();
    assert_eq!(rows.as_array().unwrap().len(), 2);
    assert!(rows
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["watching"] == true && r["kind"] == "label"));
    let one = site
        .run(&["watch", "status", "label", "runbook", "--json"])
        .ok();
    assert_eq!(one.json()["watching"], true, "one target: still one object");
}

#[test]
fn all_spaces_lists_every_space_of_the_site() {
    let site = Site::start();
    let spaces = site.run(&["spaces", "--all", "--json"]).ok().json();
    let mut keys: Vec<String> = spaces
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap().to_string())
        .collect();
    site.run(&["watch", "add", "space", "ENG"]).ok();
    let status = site
        .run(&["watch", "status", "space", "--all-spaces", "--json"])
        .ok()
        .json();
    let mut got: Vec<String> = status
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    keys.sort();
    got.sort();
    assert_eq!(got, keys);
    assert!(status
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["id"] == "ENG" && r["watching"] == true));
    let csv = site
        .run(&["watch", "status", "space", "--all-spaces", "--csv"])
        .ok();
    assert_eq!(csv.csv().len(), keys.len() + 1);
    let wrong = site.run(&["watch", "add", "space", "--all-spaces"]);
    assert_eq!(
        wrong.code, 2,
        "--all-spaces is for status: {}",
        wrong.stderr
    );
}

/// 40 statuses at 400 ms a round trip: one after another they would take 16 s, in waves of 6
/// about 3 s; all at once they take about one round trip (plus the process and connections).
#[test]
fn forty_statuses_go_out_at_once() {
    let site = Site::start();
    let spaces = site.run(&["spaces", "--all", "--json"]).ok().json();
    let keys: Vec<String> = spaces
        .as_array()
        .unwrap()
        .iter()
        .take(40)
        .map(|s| s["key"].as_str().unwrap().to_string())
        .collect();
    assert!(keys.len() >= 30, "the demo has about 40 spaces");
    let rtt = Duration::from_millis(400);
    site.demo.server().set_latency(Some((rtt, rtt)));
    let mut args = vec!["watch", "status", "space"];
    args.extend(keys.iter().map(String::as_str));
    let started = Instant::now();
    let run = site.run(&args).ok();
    let took = started.elapsed();
    assert_eq!(run.stdout.lines().count(), keys.len() + 1);
    assert!(took < rtt * 6, "{} statuses took {took:?}", keys.len());
}

#[test]
fn a_non_administrator_is_refused_before_anything_is_sent() {
    let site = Site::start();
    let target = WatchTarget::Space("PLAT".into());
    let ids = members(&site, "team-platform");
    assert!(ids.len() > 5, "{ids:?}");
    let before = watching(&site, &target, &ids);
    for args in [
        &[
            "watch",
            "add",
            "space",
            "PLAT",
            "--group",
            "team-platform",
            "--yes",
        ][..],
        &[
            "watch",
            "status",
            "space",
            "PLAT",
            "--group",
            "team-platform",
        ][..],
    ] {
        let run = site.run(args);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(
            run.stderr.contains("only Confluence administrators"),
            "{}",
            run.stderr
        );
        assert!(run.stdout.is_empty(), "{}", run.stdout);
    }
    assert_eq!(
        watching(&site, &target, &ids),
        before,
        "no write reached the server"
    );
}

#[test]
fn a_group_watch_plans_asks_and_a_second_run_skips_the_members_done() {
    let site = Site::start();
    let target = WatchTarget::Space("PLAT".into());
    let ids = members(&site, "team-platform");
    clear_watch(&site, &target, &ids);
    let done_before: Vec<String> = ids.iter().take(3).cloned().collect();
    make_watch(&site, &target, &done_before);

    // The plan alone: nothing written.
    let plan = site
        .admin(&[
            "watch",
            "add",
            "space",
            "PLAT",
            "--group",
            "team-platform",
            "--dry-run",
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(plan["dryRun"], true);
    assert_eq!(plan["members"], ids.len());
    assert_eq!(plan["already"].as_array().unwrap().len(), 3);
    assert_eq!(plan["changed"].as_array().unwrap().len(), ids.len() - 3);
    assert_eq!(
        watching(&site, &target, &ids).len(),
        3,
        "--dry-run writes nothing"
    );
    let plan_line = site.admin(&[
        "watch",
        "add",
        "space",
        "PLAT",
        "--group",
        "team-platform",
        "--dry-run",
    ]);
    assert!(
        plan_line.stderr.contains(&format!(
            "3 already watching space PLAT, {} to add",
            ids.len() - 3
        )),
        "{}",
        plan_line.stderr
    );

    // Without a terminal and without --yes: refused, nothing written.
    let unasked = site.admin(&["watch", "add", "space", "PLAT", "--group", "team-platform"]);
    assert_eq!(unasked.code, 2, "{}", unasked.stderr);
    assert!(unasked.stderr.contains("--yes"), "{}", unasked.stderr);
    assert_eq!(watching(&site, &target, &ids).len(), 3);

    // The run: only the rest are written.
    let report = site
        .admin(&[
            "watch",
            "add",
            "space",
            "PLAT",
            "--group",
            "team-platform",
            "--yes",
            "--json",
        ])
        .ok()
        .json();
    let mut rest: Vec<String> = ids[3..].to_vec();
    rest.sort();
    assert_eq!(ids_of(&report["changed"]), rest);
    let mut first: Vec<String> = done_before.clone();
    first.sort();
    assert_eq!(ids_of(&report["already"]), first);
    assert!(report["failed"].as_array().unwrap().is_empty());
    assert_eq!(watching(&site, &target, &ids).len(), ids.len());

    // Again: everyone is done, nothing is written.
    let again: Run = site.admin(&[
        "watch",
        "add",
        "space",
        "PLAT",
        "--group",
        "team-platform",
        "--yes",
    ]);
    let again = again.ok();
    assert!(
        again.stdout.contains(&format!(
            "0 now watching space PLAT, {} already watching, 0 failed",
            ids.len()
        )),
        "{}",
        again.stdout
    );
}

/// A run where some writes fail (the server answers 500 to about half of them) reports each
/// failure with why; the next run writes exactly those members and skips the rest.
#[test]
fn a_run_with_failed_writes_is_resumed_by_running_it_again() {
    let site = Site::start();
    let target = WatchTarget::Label("runbook".into());
    let ids = members(&site, "team-platform");
    clear_watch(&site, &target, &ids);
    site.demo.server().set_write_fail_rate(0.5);
    let first = site.admin(&[
        "watch",
        "add",
        "label",
        "runbook",
        "--group",
        "team-platform",
        "--yes",
        "--json",
    ]);
    site.demo.server().set_write_fail_rate(0.0);
    let report = first.json();
    let failed = ids_of(&report["failed"]);
    let changed = ids_of(&report["changed"]);
    assert_eq!(failed.len() + changed.len(), ids.len(), "{report}");
    if failed.is_empty() {
        // Every write passed the coin flips (about 1 in 2^members): nothing to resume.
        assert_eq!(first.code, 0);
        return;
    }
    assert_eq!(first.code, 1, "{}", first.stderr);
    assert!(
        first.stderr.contains("run the same command again"),
        "{}",
        first.stderr
    );
    assert!(
        report["failed"][0]["error"]
            .as_str()
            .unwrap()
            .contains("500"),
        "{report}"
    );
    let mut on = watching(&site, &target, &ids);
    on.sort();
    assert_eq!(on, changed, "exactly the reported members were written");

    let again = site
        .admin(&[
            "watch",
            "add",
            "label",
            "runbook",
            "--group",
            "team-platform",
            "--yes",
            "--csv",
        ])
        .ok();
    let rows = again.csv();
    assert_eq!(rows[0], ["accountId", "outcome", "displayName", "error"]);
    let with = |outcome: &str| {
        let mut ids: Vec<String> = rows
            .iter()
            .filter(|r| r.get(1).map(String::as_str) == Some(outcome))
            .map(|r| r[0].clone())
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(
        with("changed"),
        failed,
        "the second run writes only the failed ones"
    );
    assert_eq!(with("already"), changed);
    assert_eq!(watching(&site, &target, &ids).len(), ids.len());
}

#[test]
fn who_in_a_group_watches_a_space_in_every_form() {
    let site = Site::start();
    let target = WatchTarget::Space("PLAT".into());
    let ids = members(&site, "team-platform");
    clear_watch(&site, &target, &ids);
    make_watch(&site, &target, &ids[..2]);
    let human = site
        .admin(&[
            "watch",
            "status",
            "space",
            "PLAT",
            "--group",
            "team-platform",
        ])
        .ok();
    let first = human.stdout.lines().next().unwrap();
    assert_eq!(
        first,
        format!(
            "2 of {} members of team-platform watch space PLAT",
            ids.len()
        )
    );
    assert_eq!(
        human
            .stdout
            .lines()
            .filter(|l| l.ends_with(" watching") && !l.ends_with("not watching"))
            .count(),
        2
    );
    let json = site
        .admin(&[
            "watch",
            "status",
            "space",
            "PLAT",
            "--group",
            "team-platform",
            "--json",
        ])
        .ok()
        .json();
    let rows = json.as_array().unwrap();
    assert_eq!(rows.len(), ids.len());
    assert_eq!(rows.iter().filter(|r| r["watching"] == true).count(), 2);
    // `--jsonl`: the same objects, one a line.
    let jsonl = site
        .admin(&[
            "watch",
            "status",
            "space",
            "PLAT",
            "--group",
            "team-platform",
            "--jsonl",
        ])
        .ok();
    let lines: Vec<Value> = jsonl
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(&lines, rows);
    let csv = site
        .admin(&[
            "watch",
            "status",
            "space",
            "PLAT",
            "--group",
            "team-platform",
            "--csv",
        ])
        .ok();
    let rows = csv.csv();
    assert_eq!(rows[0], ["accountId", "watching", "displayName", "error"]);
    assert_eq!(rows.len(), ids.len() + 1);
    assert_eq!(rows.iter().filter(|r| r[1] == "true").count(), 2);
}

/// On a terminal the plan is asked about: `n` writes nothing, `y` writes (with a progress bar
/// on the terminal's stderr) and reports.
#[test]
fn on_a_terminal_the_plan_is_asked_y_or_n() {
    use crate::support::pty::{Spawn, Tui, TIMEOUT};
    use confdir::demo::{DEMO_ADMIN_TOKEN, DEMO_EMAIL};
    let site = Site::start();
    let target = WatchTarget::Space("PLAT".into());
    let ids = members(&site, "team-platform");
    clear_watch(&site, &target, &ids);
    let url = site.url();
    let env = [
        ("CONFLUENCE_BASE_URL", url.as_str()),
        ("CONFLUENCE_EMAIL", DEMO_EMAIL),
        ("CONFLUENCE_API_TOKEN", DEMO_ADMIN_TOKEN),
    ];
    let prompt = format!(
        r"Add {} watches of space PLAT for members of team-platform\? \[y/N\]",
        ids.len()
    );
    for (answer, written) in [("n", 0), ("y", ids.len())] {
        let mut tui = Tui::spawn_with(Spawn {
            args: &["watch", "add", "space", "PLAT", "--group", "team-platform"],
            env: &env,
            home: Some(site.home.path()),
            whole_frames: false,
            ..Spawn::default()
        });
        tui.wait_for(&prompt);
        tui.send(&format!("{answer}\r"));
        let status = tui.wait_exit(TIMEOUT);
        let text = String::from_utf8_lossy(&tui.output()).into_owned();
        assert_eq!(status.success(), written > 0, "{answer}: {text}");
        assert_eq!(
            watching(&site, &target, &ids).len(),
            written,
            "{answer}: {text}"
        );
        if written > 0 {
            assert!(
                text.contains(&format!(
                    "{written} now watching space PLAT, 0 already watching, 0 failed"
                )),
                "{text}"
            );
        } else {
            assert!(text.contains("nothing changed"), "{text}");
        }
    }
}
