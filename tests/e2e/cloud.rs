//! The three faces of a Cloud site the demo can show: spaces through v2 only (v1 `GET /space`
//! answers 410, the default, as on Cloud), the old v1 endpoint kept (`--v1-spaces`, where the
//! client falls back), and the API gateway form a scoped token must use. In each, the watch list
//! shows the site's spaces and toggles a watch the server then reports, and `confdir spaces` and
//! `confdir watch status space KEY` answer.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::support::demo::{v1_spaces, Demo};
use crate::support::home::Home;
use crate::support::pty::{selected_in, Spawn, Tui, TIMEOUT};
use crate::{leave_search_line, open_tui, quit_and_check_restored, select_row, WATCH_KEYS};
use confdir::api::WatchTarget;
use confdir::demo::{DemoOptions, DEMO_EMAIL, DEMO_TOKEN};
use std::io::Write;
use std::process::{Command, Stdio};

/// The watch list shows the site's spaces: select HR, toggle it, and check the server followed.
fn toggle_hr_in_the_watch_list(tui: &mut Tui, demo: &Demo) {
    let hr = WatchTarget::Space("HR".into());
    let before = demo
        .block_on(demo.client(false).watch_status(&hr, None))
        .unwrap();
    leave_search_line(tui);
    tui.send("4");
    tui.wait_for(WATCH_KEYS);
    // In the site's order (v2 lists spaces by id): Down until HR, loading pages as needed.
    select_row(tui, r"HR People Ops", 120);
    // A toggle waits for the row's status (it says "still waiting" otherwise).
    let mark = if before { "●" } else { "○" };
    tui.wait_until("HR's status on the highlighted row", TIMEOUT, |screen| {
        selected_in(screen) == [format!("{mark} HR People Ops")]
    });
    tui.send("w");
    let done = if before {
        "Stopped watching"
    } else {
        "Watching"
    };
    tui.wait_for(&format!("{done} space HR"));
    let after = demo
        .block_on(demo.client(false).watch_status(&hr, None))
        .unwrap();
    assert_eq!(after, !before, "the server did not follow");
}

/// `confdir spaces --all --json` lists ENG, and `watch status space ENG` answers, with `cmd`'s
/// credentials and site.
fn spaces_and_a_status_answer(cmd: impl Fn(&[&str]) -> Command) {
    let out = cmd(&["spaces", "--all", "--json"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let spaces: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let keys: Vec<&str> = spaces
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["key"].as_str())
        .collect();
    assert!(keys.contains(&"ENG"), "{keys:?}");
    let status = cmd(&["watch", "status", "space", "ENG"]).output().unwrap();
    let text = String::from_utf8_lossy(&status.stdout);
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    assert!(text.contains("space ENG"), "{text}");
}

/// A command against `base` with the demo user's credentials in the environment.
fn with_env(home: &Home, base: &str, args: &[&str]) -> Command {
    let mut cmd = home.command(args);
    cmd.env("CONFLUENCE_BASE_URL", base)
        .env("CONFLUENCE_EMAIL", DEMO_EMAIL)
        .env("CONFLUENCE_API_TOKEN", DEMO_TOKEN);
    cmd
}

#[test]
fn spaces_through_v2_when_v1_is_gone() {
    let demo = Demo::start_with(DemoOptions::default());
    let home = Home::new();
    spaces_and_a_status_answer(|args| with_env(&home, &demo.base_url(), args));
    let mut tui = open_tui(&demo.base_url(), None);
    toggle_hr_in_the_watch_list(&mut tui, &demo);
    quit_and_check_restored(&mut tui, "q");
}

#[test]
fn spaces_through_v1_where_the_site_still_has_it() {
    let demo = Demo::start_with(v1_spaces());
    let home = Home::new();
    spaces_and_a_status_answer(|args| with_env(&home, &demo.base_url(), args));
    let mut tui = open_tui(&demo.base_url(), None);
    toggle_hr_in_the_watch_list(&mut tui, &demo);
    quit_and_check_restored(&mut tui, "q");
}

/// `confdir login --scoped` against the demo's site: it finds the cloud id, stores it, and from
/// then on every command and the UI go through the gateway form (the config says so, and so does
/// `doctor`).
fn scoped_login(home: &Home, demo: &Demo) {
    let token_file = home.join("demo.token");
    let mut login = home.command(&[
        "login",
        "--url",
        &demo.base_url(),
        "--email",
        DEMO_EMAIL,
        "--scoped",
        "--token-file",
        token_file.to_str().unwrap(),
    ]);
    let mut child = login
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "{DEMO_TOKEN}").unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let config = std::fs::read_to_string(home.config_file()).unwrap();
    let cloud_id = demo.server().cloud_id();
    assert!(
        config.contains(&format!("cloud_id = \"{cloud_id}\"")),
        "{config}"
    );
    let doctor = home.command(&["doctor", "--json"]).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&doctor.stdout).unwrap();
    let text = report.to_string();
    assert!(text.contains("\"form\":\"gateway\""), "{text}");
    assert!(
        text.contains(&format!("/ex/confluence/{cloud_id}")),
        "{text}"
    );
}

#[test]
fn login_with_a_scoped_token_then_the_ui_toggles_a_watch_through_the_gateway() {
    let demo = Demo::start_with(DemoOptions::default());
    let home = Home::new();
    scoped_login(&home, &demo);
    spaces_and_a_status_answer(|args| home.command(args));
    let mut tui = Tui::spawn_with(Spawn {
        home: Some(home.path()),
        ..Spawn::default()
    });
    tui.wait_for(r"Ada Lovelace");
    toggle_hr_in_the_watch_list(&mut tui, &demo);
    quit_and_check_restored(&mut tui, "q");
}
