//! What every command shares: the command-line definition, `spaces` and `completions` output,
//! colour rules, and server text that cannot inject terminal escapes.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::support::home::Home;
use crate::{support, Run, Site, CANARY};
use confdir::demo::DEMO_TOKEN;

#[test]
fn the_command_line_definition_is_consistent() {
    use clap::CommandFactory;
    confdir::cli::Cli::command().debug_assert();
}

#[test]
fn spaces_in_every_form_with_all() {
    let demo = Site::start();
    // The order is the site's (v2 lists by id), so ENG is looked for in the whole list.
    let human = demo.run(&["spaces", "--all"]).ok();
    assert!(human.stdout.starts_with("KEY"));
    assert!(human.stdout.contains("ENG") && human.stdout.contains("Engineering"));
    let first = demo.run(&["spaces", "--limit", "5", "--json"]).ok().json();
    assert_eq!(first.as_array().unwrap().len(), 5);
    let all = demo
        .run(&["spaces", "--limit", "5", "--all", "--json"])
        .ok()
        .json();
    assert!(all.as_array().unwrap().len() > 5);
    let csv = demo.run(&["spaces", "--all", "--csv"]).ok().csv();
    assert_eq!(csv[0], ["key", "name", "type", "status"]);
    assert_eq!(csv.len(), all.as_array().unwrap().len() + 1);
}

#[test]
fn completions_for_each_shell() {
    let demo = Site::start();
    for (shell, needle) in [
        ("bash", "_confdir()"),
        ("zsh", "#compdef confdir"),
        ("fish", "complete -c confdir"),
    ] {
        let run: Run = demo.bare(&["completions", shell]).output().unwrap().into();
        let run = run.ok();
        assert!(run.stdout.contains(needle), "{shell}");
        assert!(run.stdout.contains("whoami"), "{shell}");
    }
}

#[test]
fn no_colour_unless_a_terminal_or_forced_and_no_color_wins() {
    let demo = Site::start();
    let piped = demo.run(&["users", "search", "Lee"]).ok();
    assert!(!piped.stdout.contains('\x1b'));
    let forced: Run = demo
        .with_token(DEMO_TOKEN, &["users", "search", "Lee"])
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap()
        .into();
    assert!(forced.stdout.contains("\x1b[1m"), "{}", forced.stdout);
    let no_color: Run = demo
        .with_token(DEMO_TOKEN, &["users", "search", "Lee"])
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
        .into();
    assert!(!no_color.stdout.contains('\x1b'));
}

#[test]
fn server_text_cannot_inject_terminal_escapes() {
    use support::mock::serve;
    use wiremock::{MockServer, ResponseTemplate};
    let rt = support::demo::runtime();
    let evil = "Mallory\u{1b}]0;pwned\u{7}\u{1b}[2J\r\nroot";
    let server = rt.block_on(async {
        let server = MockServer::start().await;
        serve(
            &server,
            "GET",
            "/search/user",
            ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "results": [{"user": {
                    "type": "known",
                    "accountId": "5b10ac8d82e05b22cc7d4ef5",
                    "displayName": evil,
                    "email": "m@x.example,\"quoted\""
                }}],
                "size": 1,
                "_links": {}
            })),
        )
        .await;
        server
    });
    let home = Home::new();
    let run = |format: Option<&str>| -> Run {
        let mut cmd = home.command(&["users", "search", "mal", "--base-url", &server.uri()]);
        cmd.env("CONFLUENCE_API_TOKEN", CANARY);
        if let Some(f) = format {
            cmd.arg(f);
        }
        cmd.output().unwrap().into()
    };
    let human = run(None).ok();
    assert!(!human.stdout.contains('\u{1b}') && !human.stdout.contains('\u{7}'));
    assert_eq!(
        human.stdout.lines().count(),
        2,
        "one header, one row: {}",
        human.stdout
    );
    let csv = run(Some("--csv")).ok();
    assert!(!csv.stdout.contains('\u{1b}') && !csv.stdout.contains('\u{7}'));
    assert!(
        csv.stdout.contains("\"m@x.example,\"\"quoted\"\"\""),
        "{}",
        csv.stdout
    );
    let json = run(Some("--json")).ok().json();
    assert_eq!(
        json[0]["displayName"], evil,
        "JSON keeps the exact text, escaped"
    );
    drop(server);
}
