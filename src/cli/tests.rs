//! The command line's shape: which options each `--help` lists, and that every earlier
//! invocation still parses to the same settings.

use super::*;
use clap::CommandFactory;

/// `confdir PATH… --help`, as printed.
fn help(path: &[&str]) -> String {
    let mut cmd = Cli::command();
    cmd.build();
    let mut sub = &mut cmd;
    for name in path {
        sub = sub.find_subcommand_mut(name).unwrap();
    }
    sub.render_long_help().to_string()
}

fn parse(args: &[&str]) -> Cli {
    let mut argv = vec!["confdir"];
    argv.extend_from_slice(args);
    Cli::try_parse_from(argv).unwrap_or_else(|e| panic!("{args:?}: {e}"))
}

#[test]
fn each_help_lists_only_the_options_that_apply() {
    let serve = help(&["demo", "serve"]);
    for flag in ["--demo", "--site", "--email", "--config", "--base-url"] {
        assert!(!serve.contains(flag), "demo serve offers {flag}:\n{serve}");
    }
    assert!(serve.contains("--port"), "{serve}");
    let login = help(&["login"]);
    assert!(!login.contains("--base-url"), "{login}");
    assert!(!login.contains("--demo"), "{login}");
    assert!(!login.contains("--site "), "{login}");
    for flag in ["--url", "--email", "--name", "--config", "--token-file"] {
        assert!(login.contains(flag), "login lacks {flag}:\n{login}");
    }
    let completions = help(&["completions"]);
    assert!(!completions.contains("--site"), "{completions}");
    let doctor = help(&["doctor"]);
    assert!(
        doctor.contains("--site") && !doctor.contains("--demo"),
        "{doctor}"
    );
    for path in [
        &["users", "search"][..],
        &["groups", "members"],
        &["props", "get"],
        &["watch"],
        &["spaces"],
        &["whoami"],
    ] {
        let text = help(path);
        for flag in ["--demo", "--site", "--email", "--config", "--base-url"] {
            assert!(text.contains(flag), "{path:?} lacks {flag}:\n{text}");
        }
    }
    let top = help(&[]);
    assert!(
        top.contains("--demo") && top.contains("--base-url"),
        "{top}"
    );
}

#[test]
fn every_earlier_invocation_still_parses_the_same() {
    // Before the subcommand, as README's Scripting section shows.
    let cli = parse(&["--demo", "users", "search", "ada"]);
    assert!(cli.wants_demo());
    let cli = parse(&["--site", "acme", "--config", "/c.toml", "whoami"]);
    assert_eq!(cli.overrides().site.as_deref(), Some("acme"));
    assert_eq!(
        cli.overrides().config_file,
        Some(std::path::PathBuf::from("/c.toml"))
    );
    // After it, at any depth.
    let cli = parse(&["users", "search", "mal", "--base-url", "http://x", "--demo"]);
    assert_eq!(cli.overrides().base_url.as_deref(), Some("http://x"));
    assert!(cli.wants_demo());
    let cli = parse(&["users", "--site", "acme", "show", "me"]);
    assert_eq!(cli.overrides().site.as_deref(), Some("acme"));
    let cli = parse(&["whoami", "--base-url", "http://x", "--email", "a@b"]);
    assert_eq!(cli.overrides().email.as_deref(), Some("a@b"));
    let cli = parse(&["doctor", "--json", "--base-url", "http://x"]);
    assert_eq!(cli.overrides().base_url.as_deref(), Some("http://x"));
    let cli = parse(&["watch", "status", "space", "ENG", "--site", "acme"]);
    assert_eq!(cli.overrides().site.as_deref(), Some("acme"));
    let cli = parse(&["spaces", "--all", "--demo"]);
    assert!(cli.wants_demo());
    // `login`: `--base-url` and `--site` are still understood, as `--url` and `--name`.
    let cli = parse(&[
        "login",
        "--base-url",
        "acme",
        "--site",
        "work",
        "--email",
        "a@b",
    ]);
    match &cli.command {
        Some(Command::Login(args)) => {
            assert_eq!(args.url.as_deref(), Some("acme"));
            assert_eq!(args.name.as_deref(), Some("work"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(cli.overrides().email.as_deref(), Some("a@b"));
    let cli = parse(&["--base-url", "acme", "login"]);
    assert_eq!(cli.overrides().base_url.as_deref(), Some("acme"));
    // The demo server and completions take no site flags after them.
    assert!(Cli::try_parse_from(["confdir", "demo", "serve", "--site", "x"]).is_err());
    parse(&["demo", "serve", "--port", "0"]);
    parse(&["completions", "bash"]);
}
