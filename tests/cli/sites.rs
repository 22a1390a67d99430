//! Where a command finds its site: the config file with a token file, `--demo`, and the exit
//! codes that tell scripts what went wrong.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::support::home::Home;
use crate::{Run, Site, CANARY};
use confdir::demo::{DEMO_ACCOUNT_ID, DEMO_EMAIL, DEMO_TOKEN};

#[test]
fn a_config_file_site_with_a_token_file_drives_every_command() {
    let demo = Site::start();
    let token = demo.path("demo.token");
    std::fs::write(&token, format!("{DEMO_TOKEN}\n")).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&token, std::fs::Permissions::from_mode(0o600)).unwrap();
    demo.write_config(&format!(
        "default_site = \"demo\"\n[sites.demo]\nurl = \"{}\"\nemail = \"{DEMO_EMAIL}\"\nkeyring = false\ntoken_file = \"{}\"\n[sites.other]\nurl = \"other.atlassian.net\"\n",
        demo.url(),
        token.display()
    ));
    let run: Run = demo.bare(&["whoami", "--json"]).output().unwrap().into();
    assert_eq!(run.ok().json()["accountId"], DEMO_ACCOUNT_ID);
    let by_env: Run = demo
        .bare(&["spaces", "--json"])
        .env("CONFDIR_SITE", "demo")
        .output()
        .unwrap()
        .into();
    assert!(by_env.ok().json().as_array().unwrap().len() > 1);

    // Loose permissions are refused, with the fix.
    std::fs::set_permissions(&token, std::fs::Permissions::from_mode(0o644)).unwrap();
    let refused: Run = demo.bare(&["whoami"]).output().unwrap().into();
    assert_eq!(refused.code, 3);
    assert!(refused.stderr.contains("chmod 600"), "{}", refused.stderr);

    // A broken file names the file, the line and the key.
    let path = demo.write_config("[sites.demo]\nurl = \"x\"\ncolour = true\n");
    let broken: Run = demo.bare(&["whoami"]).output().unwrap().into();
    assert_eq!(broken.code, 2);
    assert_eq!(
        broken.stderr.lines().next().unwrap(),
        format!(
            "confdir: {}:3: `sites.demo.colour`: {}",
            path.display(),
            broken
                .stderr
                .split("`sites.demo.colour`: ")
                .nth(1)
                .unwrap()
                .trim_end()
        )
    );
    assert!(broken.stderr.contains("unknown field"));
}

#[test]
fn demo_flag_runs_a_command_against_the_embedded_directory() {
    let home = Home::new();
    let run: Run = home
        .command(&["--demo", "users", "show", "me", "--json"])
        .output()
        .unwrap()
        .into();
    assert_eq!(run.ok().json()["accountId"], DEMO_ACCOUNT_ID);
}

#[test]
fn exit_codes_tell_scripts_what_happened() {
    let demo = Site::start();
    assert_eq!(demo.run(&["whoami"]).code, 0);

    let bad_token: Run = demo
        .with_token(CANARY, &["whoami"])
        .output()
        .unwrap()
        .into();
    assert_eq!(bad_token.code, 3, "{}", bad_token.stderr);
    assert_eq!(bad_token.stderr.lines().count(), 1);
    assert!(bad_token.stderr.contains("401"));

    let no_token: Run = demo
        .bare(&["whoami", "--base-url", &demo.url(), "--email", DEMO_EMAIL])
        .output()
        .unwrap()
        .into();
    assert_eq!(no_token.code, 3, "{}", no_token.stderr);
    assert!(no_token.stderr.contains("confdir login"));

    let not_found = demo.run(&["users", "show", "0000000000000000deadbeef"]);
    assert_eq!(not_found.code, 4, "{}", not_found.stderr);

    let api_error = demo.run(&["watch", "add", "label", "no-such-label-xyz"]);
    assert_eq!(api_error.code, 1, "{}", api_error.stderr);

    let usage = demo.run(&["users", "search"]);
    assert_eq!(usage.code, 2);
    let no_site: Run = demo.bare(&["whoami"]).output().unwrap().into();
    assert_eq!(no_site.code, 2, "{}", no_site.stderr);
    assert!(no_site.stderr.contains("no site is configured"));

    let http: Run = demo
        .bare(&["whoami", "--base-url", "http://confluence.example.com"])
        .output()
        .unwrap()
        .into();
    assert_eq!(http.code, 2);
    assert!(http.stderr.contains("https"), "{}", http.stderr);

    let unreachable: Run = demo
        .with_token(
            DEMO_TOKEN,
            &["whoami", "--base-url", "http://127.0.0.1:1/wiki"],
        )
        .output()
        .unwrap()
        .into();
    assert_eq!(unreachable.code, 1, "{}", unreachable.stderr);
}
