//! A site that refuses the token at start: the sign-in failure screen instead of a UI that
//! cannot load anything, and its ways on (log in again in the form, quit).
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::support::demo::Demo;
use crate::support::home::Home;
use crate::support::pty::{key, Spawn, Tui, TIMEOUT};
use crate::visible_text;
use confdir::demo::{DEMO_EMAIL, DEMO_TOKEN};

/// A wrong token, as an expired one would be: refused with Confluence's 401.
const WRONG: &str = "tok-expired-0000";

/// `confdir` on the demo server with a token the server refuses.
fn refused(demo: &Demo, home: &Home) -> Tui {
    let base = demo.base_url();
    let tui = Tui::spawn_with(Spawn {
        args: &[],
        env: &[
            ("CONFLUENCE_BASE_URL", &base),
            ("CONFLUENCE_EMAIL", DEMO_EMAIL),
            ("CONFLUENCE_API_TOKEN", WRONG),
        ],
        home: Some(home.path()),
        ..Spawn::default()
    });
    tui.wait_for(r"sign-in failed");
    tui
}

#[test]
fn a_refused_token_shows_why_and_logging_in_again_opens_the_ui() {
    let demo = Demo::start();
    let home = Home::new();
    let mut tui = refused(&demo, &home);
    let screen = tui.screen();
    assert!(
        screen.contains(&format!("refused the sign-in as {DEMO_EMAIL} (401)")),
        "{screen}"
    );
    assert!(screen.contains("wrong, expired or revoked"), "{screen}");
    for choice in ["Log in again", "Open the demo directory", "Quit"] {
        assert!(screen.contains(choice), "{choice}: {screen}");
    }
    // The half-working UI is gone: no "not signed in" panes behind the screen.
    assert!(!screen.contains("not signed in"), "{screen}");

    // Log in again: the form has the site and the email; only the token is typed.
    tui.send(key::ENTER);
    let form = tui.wait_for(r"log in again");
    assert!(form.contains(DEMO_EMAIL), "{form}");
    assert!(form.contains("127.0.0.1"), "{form}");
    tui.type_text(DEMO_TOKEN);
    tui.send(key::ENTER);
    tui.wait_for(r"confdir · 127\.0\.0\.1:\d+ · Ada Lovelace");
    crate::leave_search_line(&mut tui);
    crate::quit_and_check_restored(&mut tui, "q");

    // The new token was kept (a 0600 file where no keyring runs) for the site under the name a
    // login gives it.
    let config = std::fs::read_to_string(home.config_file()).unwrap();
    assert!(config.contains("[sites.local]"), "{config}");
    assert!(!config.contains(WRONG), "{config}");
    if config.contains("token_file") {
        let file = home.config_file().with_file_name("local.token");
        assert_eq!(std::fs::read_to_string(file).unwrap().trim(), DEMO_TOKEN);
    }
}

#[test]
fn quitting_a_refused_sign_in_says_why_and_exits_3() {
    let demo = Demo::start();
    let home = Home::new();
    let mut tui = refused(&demo, &home);
    tui.send("q");
    let status = tui.wait_exit(TIMEOUT);
    assert_eq!(status.exit_code(), 3, "{status:?}");
    let text = visible_text(&tui.output());
    assert!(text.contains("confdir login"), "{text}");
    assert!(!text.contains(WRONG), "the token is never shown: {text}");
    assert!(!tui.alternate_screen(), "still on the alternate screen");
    assert_eq!(
        tui.modes(),
        tui.initial_modes,
        "the terminal modes were restored"
    );
}
