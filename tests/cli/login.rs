//! `login`: the token verified, stored and replaced; no keyring; no echo on a terminal.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::{support, Run, Site, CANARY};
use confdir::demo::{ADMIN_ACCOUNT_ID, DEMO_ACCOUNT_ID, DEMO_ADMIN_TOKEN, DEMO_EMAIL, DEMO_TOKEN};
use std::process::Stdio;

#[test]
fn login_verifies_stores_and_replaces_the_token() {
    let demo = Site::start();
    let token_file = demo.path("secrets/demo.token");
    let login = |token: &str| -> Run {
        let mut child = demo
            .bare(&[
                "login",
                "--url",
                &demo.url(),
                "--email",
                DEMO_EMAIL,
                "--name",
                "demo",
                "--token-file",
                token_file.to_str().unwrap(),
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(format!("{token}\n").as_bytes())
            .unwrap();
        child.wait_with_output().unwrap().into()
    };

    // A wrong token is refused and nothing is written.
    let refused = login(CANARY);
    assert_eq!(refused.code, 3, "{}", refused.stderr);
    assert!(refused.stderr.contains("Nothing was saved"));
    assert!(!refused.stderr.contains(CANARY) && !refused.stdout.contains(CANARY));
    assert!(!demo.home.config_file().exists());
    assert!(!token_file.exists());

    let ok = login(DEMO_TOKEN).ok();
    assert!(
        ok.stdout.contains("Logged in to 127.0.0.1"),
        "{}",
        ok.stdout
    );
    assert!(ok.stdout.contains("Ada Lovelace"));
    let config = std::fs::read_to_string(demo.home.config_file()).unwrap();
    assert!(config.contains("default_site = \"demo\""), "{config}");
    assert!(config.contains("[sites.demo]"), "{config}");
    assert!(
        config
            .lines()
            .all(|l| !l.trim_start().starts_with("token =")),
        "the token itself never goes in the config: {config}"
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&token_file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let whoami: Run = demo.bare(&["whoami", "--json"]).output().unwrap().into();
    assert_eq!(whoami.ok().json()["accountId"], DEMO_ACCOUNT_ID);

    // Again, as the administrator: the token is replaced, the site entry too, and the
    // user's own comments and other sites stay.
    let mut text = std::fs::read_to_string(demo.home.config_file()).unwrap();
    text.push_str("\n# my other site\n[sites.other]\nurl = \"other.atlassian.net\"\n");
    std::fs::write(demo.home.config_file(), text).unwrap();
    login(DEMO_ADMIN_TOKEN).ok();
    assert_eq!(
        std::fs::read_to_string(&token_file).unwrap().trim(),
        DEMO_ADMIN_TOKEN
    );
    let config = std::fs::read_to_string(demo.home.config_file()).unwrap();
    assert_eq!(config.matches("[sites.demo]").count(), 1, "{config}");
    assert!(config.contains("# my other site") && config.contains("[sites.other]"));
    let whoami: Run = demo.bare(&["whoami", "--json"]).output().unwrap().into();
    assert_eq!(whoami.ok().json()["accountId"], ADMIN_ACCOUNT_ID);
}

/// Where no keyring runs (the tests' clean environment has no session D-Bus, so no Secret
/// Service), `login` keeps the token in a 0600 file beside the config, as the first run does,
/// says so, and the next command signs in with it: no loop back to "run `confdir login`".
#[test]
fn login_without_a_usable_keyring_falls_back_to_a_private_token_file() {
    let demo = Site::start();
    let mut child = demo
        .bare(&["login"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{}\n{DEMO_EMAIL}\n{DEMO_TOKEN}\n", demo.url()).as_bytes())
        .unwrap();
    let run: Run = child.wait_with_output().unwrap().into();
    let run = run.ok();
    // The site is saved under the name derived from the URL.
    let config = std::fs::read_to_string(demo.home.config_file()).unwrap();
    assert!(config.contains("[sites.local]"), "{config}");
    if run.stdout.contains("OS keyring (entry") {
        // A developer's machine with a Secret Service: the keyring took it.
        return;
    }
    let token_file = demo.home.config_file().with_file_name("local.token");
    assert!(
        run.stdout
            .contains(&format!("Token stored in {}", token_file.display()))
            && run.stdout.contains("mode 0600")
            && run.stdout.contains("keyring cannot be used"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("Use CONFLUENCE_API_TOKEN"),
        "{}",
        run.stdout
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&token_file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert_eq!(
        std::fs::read_to_string(&token_file).unwrap().trim(),
        DEMO_TOKEN
    );
    assert!(
        config.contains("token_file = ") && config.contains("keyring = false"),
        "{config}"
    );
    // The next command signs in from the file alone.
    let whoami: Run = demo.bare(&["whoami", "--json"]).output().unwrap().into();
    assert_eq!(whoami.ok().json()["accountId"], DEMO_ACCOUNT_ID);
}

/// On a terminal, `login` reads the token without echoing it. The binary runs in a
/// pseudo-terminal of its own; the token is typed once the prompt is there and the terminal's
/// echo is off (the prompt is printed just before echo is turned off).
#[cfg(unix)]
#[test]
fn login_on_a_terminal_does_not_echo_the_token() {
    use support::pty::{has_mode, Spawn, Tui, TIMEOUT};
    let demo = Site::start();
    let token_file = demo.path("t.token");
    let url = demo.url();
    let token_path = token_file.to_str().unwrap();
    let mut tui = Tui::spawn_with(Spawn {
        args: &[
            "login",
            "--url",
            &url,
            "--email",
            DEMO_EMAIL,
            "--token-file",
            token_path,
        ],
        home: Some(demo.home.path()),
        whole_frames: false,
        ..Spawn::default()
    });
    tui.wait_for(r"\(input hidden\):");
    tui.wait_modes("the terminal's echo off", |modes| !has_mode(modes, "ECHO"));
    tui.send(&format!("{DEMO_TOKEN}\r"));
    let status = tui.wait_exit(TIMEOUT);
    let text = String::from_utf8_lossy(&tui.output()).into_owned();
    assert!(status.success(), "{text}");
    let after_prompt = text.split("(input hidden): ").nth(1).unwrap();
    // DEMO_TOKEN ("demo") also appears in the site name and email, so look at what follows the
    // prompt up to the confirmation: no echo of the typed token there.
    let echoed = after_prompt.split("Logged in").next().unwrap();
    assert!(!echoed.contains(DEMO_TOKEN), "echoed: {echoed:?}");
    assert!(text.contains("Logged in to 127.0.0.1"), "{text}");
    assert_eq!(
        std::fs::read_to_string(&token_file).unwrap().trim(),
        DEMO_TOKEN
    );
}
