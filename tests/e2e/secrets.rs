//! Credentials stay out of the screen and the log file, even with trace logging.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::support::demo::Demo;
use crate::support::home::Home;
use crate::support::pty::{key, selected_in, Spawn, Tui, TIMEOUT};
use crate::{quit_and_check_restored, support};
use base64::Engine;
use confdir::demo::{DEMO_ACCOUNT_ID, DEMO_ADMIN_TOKEN, DEMO_EMAIL};

#[test]
fn credentials_stay_out_of_the_screen_and_the_log_file() {
    let home = Home::new();
    let mut demo = Demo::start();
    let base = demo.base_url();
    let mut tui = Tui::spawn_with(Spawn {
        args: &["--base-url", &base],
        env: &[
            ("CONFLUENCE_BASE_URL", &base),
            ("CONFLUENCE_EMAIL", DEMO_EMAIL),
            ("CONFLUENCE_API_TOKEN", DEMO_ADMIN_TOKEN),
            ("CONFDIR_LOG", "trace"),
        ],
        home: Some(home.path()),
        ..Spawn::default()
    });
    // Signed in as the administrator, and some traffic: a search and a profile.
    tui.wait_for(r"confdir · 127\.0\.0\.1:\d+ · Grace Hopper");
    tui.type_text("lovel");
    tui.wait_until("Ada Lovelace highlighted", TIMEOUT, |screen| {
        selected_in(screen) == ["Ada Lovelace"]
    });
    tui.send(key::ENTER);
    tui.wait_for(&format!(r"account\s+{DEMO_ACCOUNT_ID}"));
    quit_and_check_restored(&mut tui, "q");
    demo.stop();

    let basic = base64::engine::general_purpose::STANDARD
        .encode(format!("{DEMO_EMAIL}:{DEMO_ADMIN_TOKEN}"));
    let log = std::fs::read_to_string(support::home::log_file(home.path()))
        .expect("trace logging writes the log file");
    assert!(!log.is_empty(), "trace logging wrote nothing");
    let out = String::from_utf8_lossy(&tui.output()).into_owned();
    for (what, text) in [("the log", &log), ("the terminal", &out)] {
        assert!(!text.contains(DEMO_ADMIN_TOKEN), "the token is in {what}");
        assert!(
            !text.contains(&basic),
            "the Basic credentials are in {what}"
        );
    }
}
