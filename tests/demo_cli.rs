//! `confdir demo serve` as a user runs it: the real binary prints its URL, the credentials and a
//! curl line, answers on that URL, keeps state in `--state`, applies its flags, and exits cleanly
//! on SIGTERM.

// Tests unwrap: a panic is a failed test that says where (the crate denies it elsewhere).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use confdir::api::{ApiError, Client, RetryPolicy, WatchTarget};
use confdir::demo::{DEMO_ACCOUNT_ID, DEMO_EMAIL};
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::time::Duration;
use support::home::Home;

/// `confdir demo serve` running in a home of its own, and what it printed before serving.
struct Served {
    child: Child,
    base: String,
    banner: Vec<String>,
    /// Kept so the home lives as long as the server.
    _home: Home,
}

/// Starts `confdir demo serve ARGS` and reads its banner, up to the `Ctrl-C` line printed once
/// it answers.
fn serve(args: &[&str]) -> Served {
    let home = Home::new();
    let mut child = home
        .command(&["demo", "serve"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let mut banner = Vec::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        let done = line.starts_with("Ctrl-C");
        banner.push(line);
        if done {
            break;
        }
    }
    let base = banner
        .first()
        .and_then(|l| l.split_whitespace().last())
        .unwrap()
        .to_string();
    Served {
        child,
        base,
        banner,
        _home: home,
    }
}

#[cfg(unix)]
fn terminate(mut served: Served) {
    let status = std::process::Command::new("kill")
        .args(["-TERM", &served.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = served.child.wait().unwrap();
    assert!(exit.success(), "exit status {exit:?}");
}

/// A client of the served demo as `DEMO_EMAIL` with `token`, without retries.
fn client(base: &str, token: &str) -> Client {
    support::client::client(
        base,
        support::client::basic(DEMO_EMAIL, token),
        RetryPolicy::none(),
    )
}

#[cfg(unix)]
#[test]
fn serve_prints_how_to_use_it_answers_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let state_arg = state.to_str().unwrap();
    let served = serve(&["--users", "120", "--seed", "7", "--state", state_arg]);
    let text = served.banner.join("\n");
    assert!(served.base.starts_with("http://127.0.0.1:"), "{text}");
    assert!(served.base.ends_with("/wiki"), "{text}");
    assert!(text.contains("token demo "), "{text}");
    assert!(text.contains("token demo-admin"), "{text}");
    assert!(text.contains("X-Atlassian-Token: no-check"), "{text}");
    assert!(
        text.contains(&format!(
            "curl -u {DEMO_EMAIL}:demo '{}/rest/api/user/current'",
            served.base
        )),
        "{text}"
    );

    let rt = support::demo::runtime();
    rt.block_on(async {
        let c = client(&served.base, "demo");
        let me = c.current_user(&[]).await.unwrap();
        assert_eq!(me.account_id.as_deref(), Some(DEMO_ACCOUNT_ID));
        c.add_watch(&WatchTarget::Space("HR".into()), None)
            .await
            .unwrap();
    });
    terminate(served);
    assert!(state.exists());

    // Restarted on the same state file, the watch is still there.
    let served = serve(&["--users", "120", "--seed", "7", "--state", state_arg]);
    rt.block_on(async {
        let c = client(&served.base, "demo");
        assert!(c
            .watch_status(&WatchTarget::Space("HR".into()), None)
            .await
            .unwrap());
    });
    terminate(served);
}

#[cfg(unix)]
#[test]
fn serve_applies_fail_rate_and_latency_flags() {
    let served = serve(&["--users", "10", "--fail-rate", "1", "--latency", "50..60"]);
    let rt = support::demo::runtime();
    rt.block_on(async {
        let c = client(&served.base, "demo");
        let t = std::time::Instant::now();
        let err = c.current_user(&[]).await.unwrap_err();
        assert!(t.elapsed() >= Duration::from_millis(50));
        assert!(
            matches!(
                err,
                ApiError::RateLimited { .. } | ApiError::Server { status: 500, .. }
            ),
            "{err:?}"
        );
    });
    terminate(served);
}

#[test]
fn serve_refuses_bad_flags_with_a_message() {
    for (args, needle) in [
        (&["--fail-rate", "2"][..], "--fail-rate"),
        (&["--latency", "slow"][..], "--latency"),
    ] {
        let out = Home::new()
            .command(&["demo", "serve"])
            .args(args)
            .output()
            .unwrap();
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{err}");
    }
}

#[test]
fn serve_refuses_absurd_user_counts_with_exit_2() {
    for users in ["18446744073709551615", "50000000", "1000001", "lots"] {
        let out = Home::new()
            .command(&["demo", "serve", "--users", users])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "--users {users}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("--users"), "{err}");
        if users != "lots" {
            assert!(err.contains("at most 1000000 users"), "{err}");
        }
    }
}

#[cfg(unix)]
#[test]
fn serve_answers_410_on_v1_spaces_unless_told_to_keep_them() {
    let rt = support::demo::runtime();
    for (args, status) in [
        (&["--users", "20"][..], 410),
        (&["--users", "20", "--v1-spaces"][..], 200),
    ] {
        let served = serve(args);
        let got = rt.block_on(async {
            support::client::raw_http()
                .get(format!("{}/rest/api/space", served.base))
                .basic_auth(DEMO_EMAIL, Some("demo"))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        });
        assert_eq!(got, status, "{args:?}");
        let v2 = rt.block_on(async {
            support::client::raw_http()
                .get(format!("{}/api/v2/spaces", served.base))
                .basic_auth(DEMO_EMAIL, Some("demo"))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        });
        assert_eq!(v2, 200, "{args:?}");
        terminate(served);
    }
}
