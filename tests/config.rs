//! Configuration and credentials: precedence of flags, environment and file; partial and broken
//! files; the credential chain (environment, keyring, token_command, 0600 token file); and that
//! the token never shows in any message or Debug output.
//!
//! Every test builds its own `Environment` and temp directory, so none depends on (or changes)
//! the process environment or the real config.

// Tests unwrap: a panic is a failed test that says where (the crate denies it elsewhere).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use clap::Parser;
use confdir::api::Auth;
use confdir::cli::Cli;
use confdir::config::{
    self, choose_site, find_token, load, resolve_in, AuthKind, ConfigError, Credentials,
    Environment, Overrides, TokenSource,
};
use std::path::{Path, PathBuf};

mod support;

const CANARY: &str = "tok-CANARY-7f3a9c";

/// The overrides `main` would hand to `config` for these arguments (parsed by the real `Cli`).
fn cli(args: &[&str]) -> Overrides {
    let mut argv = vec!["confdir"];
    argv.extend_from_slice(args);
    Cli::try_parse_from(argv)
        .expect("arguments parse")
        .overrides()
}

/// The shared temporary home, with an optional config file, seen as the `Environment` a
/// process in it would get (without touching this process's environment).
struct Home {
    home: support::home::Home,
}

impl Home {
    fn new(config: Option<&str>) -> Self {
        let home = support::home::Home::new();
        if let Some(text) = config {
            let path = home.config_file();
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        Home { home }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.home.join(rel)
    }

    fn config_path(&self) -> PathBuf {
        self.home.config_file()
    }

    /// The home's clean environment (less `PATH`, which no config rule reads) plus `extra`.
    fn env(&self, extra: &[(&str, &str)]) -> Environment {
        let mut pairs: Vec<(String, String)> = support::home::clean_env(self.home.path())
            .into_iter()
            .filter(|(name, _)| *name != "PATH")
            .map(|(name, value)| (name.to_string(), value.to_string_lossy().into_owned()))
            .collect();
        pairs.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        Environment::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    fn token_file(&self, name: &str, content: &str, mode: u32) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let path = self.path(name);
        std::fs::write(&path, content).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        path
    }
}

fn load_in(home: &Home) -> Result<config::LoadedConfig, ConfigError> {
    load(Some(&home.config_path()))
}

fn invalid(err: ConfigError) -> (PathBuf, usize, String, String) {
    match err {
        ConfigError::Invalid {
            path,
            line,
            key,
            message,
        } => (path, line, key, message),
        other => panic!("expected Invalid, got {other}"),
    }
}

const TWO_SITES: &str = r#"
default_site = "acme"

[sites.acme]
url = "acme"
email = "ada@acme.example"
keyring = false

[sites.globex]
url = "https://globex.atlassian.net/wiki"
email = "hank@globex.example"
keyring = false
"#;

#[test]
fn the_site_comes_from_flag_then_env_then_default_then_the_only_one() {
    let home = Home::new(Some(TWO_SITES));
    let cfg = load_in(&home).unwrap();

    let by_default = choose_site(&cli(&[]), &home.env(&[]), &cfg).unwrap();
    assert_eq!(by_default.name, "acme");
    assert_eq!(by_default.url.as_str(), "https://acme.atlassian.net/wiki/");
    assert!(by_default.chosen_by.contains("default_site"));

    let by_env = choose_site(&cli(&[]), &home.env(&[("CONFDIR_SITE", "globex")]), &cfg).unwrap();
    assert_eq!(by_env.name, "globex");
    assert_eq!(by_env.chosen_by, "CONFDIR_SITE");

    let by_flag = choose_site(
        &cli(&["--site", "acme"]),
        &home.env(&[("CONFDIR_SITE", "globex")]),
        &cfg,
    )
    .unwrap();
    assert_eq!(by_flag.name, "acme");
    assert_eq!(by_flag.chosen_by, "--site");

    let only = Home::new(Some(
        "[sites.solo]\nurl = \"solo.atlassian.net\"\nemail = \"a@b.c\"\n",
    ));
    let solo = choose_site(&cli(&[]), &only.env(&[]), &load_in(&only).unwrap()).unwrap();
    assert_eq!(solo.name, "solo");
    assert!(solo.chosen_by.contains("only site"));
}

#[test]
fn flags_override_the_file_for_url_and_email() {
    let home = Home::new(Some(TWO_SITES));
    let cfg = load_in(&home).unwrap();
    let choice = choose_site(
        &cli(&[
            "--site",
            "acme",
            "--base-url",
            "http://127.0.0.1:9/wiki",
            "--email",
            "other@x.example",
        ]),
        &home.env(&[]),
        &cfg,
    )
    .unwrap();
    assert_eq!(choice.name, "acme");
    assert_eq!(choice.url.as_str(), "http://127.0.0.1:9/wiki/");
    assert_eq!(choice.email.as_deref(), Some("other@x.example"));
    assert_eq!(choice.auth, AuthKind::Basic);
}

#[test]
fn a_base_url_alone_uses_nothing_from_the_file() {
    // The default site's token file must never be sent to a server named on the command line.
    let home = Home::new(None);
    let file = home.token_file("acme.token", CANARY, 0o600);
    let text = format!(
        "default_site = \"acme\"\n[sites.acme]\nurl = \"acme\"\nemail = \"a@acme.example\"\nkeyring = false\ntoken_file = \"{}\"\n",
        file.display()
    );
    let home2 = Home::new(Some(&text));
    let env = home2.env(&[]);
    let c = cli(&["--base-url", "http://127.0.0.1:9"]);
    let err = resolve_in(&c, &env, Credentials::Required).unwrap_err();
    assert!(matches!(err, ConfigError::NoToken { .. }), "{err}");
    let exported = home2.env(&[("CONFDIR_SITE", "acme")]);
    let err = resolve_in(&c, &exported, Credentials::Required).unwrap_err();
    assert!(
        matches!(err, ConfigError::NoToken { .. }),
        "CONFDIR_SITE is ignored: {err}"
    );
    let anon = resolve_in(&c, &env, Credentials::Optional).unwrap();
    assert_eq!(anon.auth, Auth::Anonymous);
    assert_eq!(anon.site_label(), "127.0.0.1:9");
}

#[test]
fn env_only_works_with_no_config_file_and_paths_follow_xdg() {
    let home = Home::new(None);
    let env = home.env(&[
        ("CONFLUENCE_API_TOKEN", CANARY),
        ("CONFLUENCE_BASE_URL", "ignored-by-this-test"),
    ]);
    // clap reads CONFLUENCE_BASE_URL/EMAIL itself; here they arrive as flags.
    let c = cli(&[
        "--base-url",
        "https://acme.atlassian.net",
        "--email",
        "ada@acme.example",
    ]);
    let s = resolve_in(&c, &env, Credentials::Required).unwrap();
    assert_eq!(s.token_source, Some(TokenSource::Environment));
    assert_eq!(s.site_label(), "acme.atlassian.net");
    assert_eq!(
        s.client_config().base_url,
        "https://acme.atlassian.net/wiki/"
    );
    assert!(matches!(&s.auth, Auth::Basic { email, token }
        if email == "ada@acme.example" && token.expose() == CANARY));
    assert_eq!(
        s.data_dir().unwrap(),
        home.path("data/confdir/acme.atlassian.net")
    );
    assert_eq!(
        s.cache_dir().unwrap(),
        home.path("cache/confdir/acme.atlassian.net")
    );
    assert_eq!(s.config_path.unwrap(), home.config_path());
    assert!(!s.ui.mouse, "mouse defaults to off");
}

#[test]
fn no_site_at_all_is_its_own_error() {
    let home = Home::new(Some("[ui]\nmouse = false\n"));
    let err = resolve_in(&cli(&[]), &home.env(&[]), Credentials::Required).unwrap_err();
    assert!(matches!(err, ConfigError::NoSiteConfigured));
    assert!(err.to_string().contains("confdir login"));
    let empty = Home::new(None);
    let err = resolve_in(&cli(&[]), &empty.env(&[]), Credentials::Required).unwrap_err();
    assert!(matches!(err, ConfigError::NoSiteConfigured));

    // What the TUI asks before offering "explore the demo" or "set up a site".
    assert!(config::no_site_configured_in(&cli(&[]), &empty.env(&[])));
    assert!(config::no_site_configured_in(&cli(&[]), &home.env(&[])));
    assert!(!config::no_site_configured_in(
        &cli(&["--base-url", "acme"]),
        &empty.env(&[])
    ));
    let one = Home::new(Some("[sites.a]\nurl = \"a\"\n"));
    assert!(!config::no_site_configured_in(&cli(&[]), &one.env(&[])));
    let broken = Home::new(Some("[sites.a]\nurl = 3\n"));
    assert!(!config::no_site_configured_in(&cli(&[]), &broken.env(&[])));
}

#[test]
fn partial_files_work_and_keep_defaults() {
    let home = Home::new(Some(
        "[sites.acme]\nurl = \"acme.atlassian.net\"\nkeyring = false\n",
    ));
    let env = home.env(&[("CONFLUENCE_API_TOKEN", CANARY)]);
    let s = resolve_in(&cli(&[]), &env, Credentials::Required).unwrap();
    // No email: the token is a Bearer token.
    assert!(matches!(s.auth, Auth::Bearer { .. }));
    assert!(!s.ui.mouse);
    let ui_only = Home::new(Some("[ui]\nmouse = true\n[sites.a]\nurl = \"a\"\n"));
    let s = resolve_in(
        &cli(&[]),
        &ui_only.env(&[("CONFLUENCE_API_TOKEN", CANARY)]),
        Credentials::Required,
    )
    .unwrap();
    assert!(s.ui.mouse);
}

#[test]
fn unknown_keys_name_the_file_the_line_and_the_key() {
    let home = Home::new(Some(
        "default_site = \"a\"\n\n[sites.a]\nurl = \"a\"\ntoken_comand = [\"pass\"]\n",
    ));
    let err = load_in(&home).unwrap_err();
    let text = err.to_string();
    let (path, line, key, message) = invalid(err);
    assert_eq!(path, home.config_path());
    assert_eq!(line, 5);
    assert_eq!(key, "sites.a.token_comand");
    assert!(message.contains("unknown field"), "{message}");
    assert!(text.starts_with(&format!("{}:5: `sites.a.token_comand`", path.display())));

    let top = Home::new(Some("mouse = true\n"));
    let (_, line, key, _) = invalid(load_in(&top).unwrap_err());
    assert_eq!((line, key.as_str()), (1, "mouse"));
}

#[test]
fn bad_values_name_the_line_and_the_key() {
    let bad_auth = Home::new(Some("[sites.a]\nurl = \"a\"\nauth = \"oauth\"\n"));
    let (_, line, key, message) = invalid(load_in(&bad_auth).unwrap_err());
    assert_eq!((line, key.as_str()), (3, "sites.a.auth"));
    assert!(message.contains("basic"), "{message}");

    let bad_type = Home::new(Some("[ui]\nmouse = \"yes\"\n"));
    let (_, line, key, _) = invalid(load_in(&bad_type).unwrap_err());
    assert_eq!((line, key.as_str()), (2, "ui.mouse"));

    let plain_http = Home::new(Some(
        "[sites.a]\nemail = \"x@y.z\"\nurl = \"http://acme.example/wiki\"\n",
    ));
    let (_, line, key, message) = invalid(load_in(&plain_http).unwrap_err());
    assert_eq!((line, key.as_str()), (3, "sites.a.url"));
    assert!(message.contains("https"), "{message}");

    let dangling = Home::new(Some("default_site = \"nope\"\n[sites.a]\nurl = \"a\"\n"));
    let (_, line, key, message) = invalid(load_in(&dangling).unwrap_err());
    assert_eq!((line, key.as_str()), (1, "default_site"));
    assert!(message.contains("nope") && message.contains("known sites: a"));

    let syntax = Home::new(Some("[sites.a\nurl = 1\n"));
    let (_, line, _, _) = invalid(load_in(&syntax).unwrap_err());
    assert_eq!(line, 1);

    let empty_cmd = Home::new(Some("[sites.a]\nurl = \"a\"\ntoken_command = []\n"));
    let (_, line, key, _) = invalid(load_in(&empty_cmd).unwrap_err());
    assert_eq!((line, key.as_str()), (3, "sites.a.token_command"));

    let no_url = Home::new(Some("[sites.a]\nemail = \"x@y.z\"\n"));
    let cfg = load_in(&no_url).unwrap();
    let (_, line, key, _) = invalid(choose_site(&cli(&[]), &no_url.env(&[]), &cfg).unwrap_err());
    assert_eq!((line, key.as_str()), (1, "sites.a.url"));
}

#[test]
fn unknown_or_unchosen_sites_list_the_known_ones() {
    let home = Home::new(Some("[sites.a]\nurl = \"a\"\n[sites.b]\nurl = \"b\"\n"));
    let cfg = load_in(&home).unwrap();
    let err = choose_site(&cli(&["--site", "c"]), &home.env(&[]), &cfg).unwrap_err();
    assert!(err.to_string().contains("known sites: a, b"), "{err}");
    let err = choose_site(&cli(&[]), &home.env(&[]), &cfg).unwrap_err();
    assert!(matches!(err, ConfigError::SiteNotChosen { .. }), "{err}");
    assert_eq!(err.exit_code(), 2);
}

fn site_with(extra: &str) -> String {
    format!("[sites.a]\nurl = \"http://127.0.0.1:9\"\nemail = \"a@b.c\"\nkeyring = false\n{extra}")
}

#[test]
fn the_environment_token_wins_over_every_configured_source() {
    let home = Home::new(None);
    let file = home.token_file("t", "from-file", 0o600);
    let text = site_with(&format!(
        "token_command = [\"echo\", \"from-command\"]\ntoken_file = \"{}\"\n",
        file.display()
    ));
    std::fs::create_dir_all(home.path("config/confdir")).unwrap();
    std::fs::write(home.config_path(), text).unwrap();
    let env = home.env(&[("CONFLUENCE_API_TOKEN", "from-env")]);
    let s = resolve_in(&cli(&[]), &env, Credentials::Required).unwrap();
    assert_eq!(s.token_source, Some(TokenSource::Environment));

    // Without the environment, the command comes before the file.
    let s = resolve_in(&cli(&[]), &home.env(&[]), Credentials::Required).unwrap();
    assert_eq!(s.token_source, Some(TokenSource::TokenCommand));
    assert!(matches!(&s.auth, Auth::Basic { token, .. } if token.expose() == "from-command"));
}

#[test]
fn each_skipped_source_says_why() {
    let home = Home::new(Some(&site_with("")));
    let cfg = load_in(&home).unwrap();
    let env = home.env(&[]);
    let choice = choose_site(&cli(&[]), &env, &cfg).unwrap();
    let report = find_token(&choice, &env).unwrap();
    assert!(report.token.is_none());
    let reasons: Vec<(TokenSource, &str)> = report
        .attempts
        .iter()
        .map(|a| (a.source, a.detail.as_str()))
        .collect();
    assert_eq!(
        reasons,
        vec![
            (TokenSource::Environment, "CONFLUENCE_API_TOKEN is not set"),
            (TokenSource::Keyring, "disabled by `keyring = false`"),
            (
                TokenSource::TokenCommand,
                "no `token_command` for this site"
            ),
            (TokenSource::TokenFile, "no `token_file` for this site"),
        ]
    );
    let err = resolve_in(&cli(&[]), &env, Credentials::Required).unwrap_err();
    assert_eq!(err.exit_code(), 3);
    assert!(err.to_string().contains("keyring = false"), "{err}");
}

#[test]
fn the_keyring_is_asked_and_its_absence_is_explained() {
    let home = Home::new(Some(
        "[sites.a]\nurl = \"http://127.0.0.1:9\"\nemail = \"nobody@confdir.invalid\"\n",
    ));
    let cfg = load_in(&home).unwrap();
    let env = home.env(&[]);
    let choice = choose_site(&cli(&[]), &env, &cfg).unwrap();
    let report = find_token(&choice, &env).unwrap();
    let keyring = &report.attempts[1];
    assert_eq!(keyring.source, TokenSource::Keyring);
    assert!(!keyring.used);
    // Either the keyring works and has no such entry, or it is unavailable and says what to do.
    assert!(
        keyring
            .detail
            .contains("no entry `127.0.0.1:9 nobody@confdir.invalid`")
            || (keyring.detail.contains("not available")
                && keyring.detail.contains("token_command")
                && keyring.detail.contains("token_file")),
        "{}",
        keyring.detail
    );
}

#[test]
fn token_files_must_be_private() {
    let home = Home::new(None);
    let loose = home.token_file("loose.token", &format!("{CANARY}\n"), 0o644);
    let tight = home.token_file("tight.token", &format!("  {CANARY}\n"), 0o600);
    for (path, ok) in [(&loose, false), (&tight, true)] {
        let text = site_with(&format!("token_file = \"{}\"\n", path.display()));
        std::fs::create_dir_all(home.path("config/confdir")).unwrap();
        std::fs::write(home.config_path(), text).unwrap();
        let result = resolve_in(&cli(&[]), &home.env(&[]), Credentials::Required);
        if ok {
            let s = result.unwrap();
            assert_eq!(s.token_source, Some(TokenSource::TokenFile));
            assert!(matches!(&s.auth, Auth::Basic { token, .. } if token.expose() == CANARY));
        } else {
            let err = result.unwrap_err();
            let text = err.to_string();
            assert_eq!(err.exit_code(), 3);
            assert!(
                text.contains("0644") && text.contains("chmod 600"),
                "{text}"
            );
            assert!(!text.contains(CANARY));
        }
    }
}

#[test]
fn token_files_under_home_are_expanded() {
    let home = Home::new(None);
    home.token_file("secret.token", CANARY, 0o600);
    std::fs::create_dir_all(home.path("config/confdir")).unwrap();
    std::fs::write(
        home.config_path(),
        site_with("token_file = \"~/secret.token\"\n"),
    )
    .unwrap();
    let s = resolve_in(&cli(&[]), &home.env(&[]), Credentials::Required).unwrap();
    assert_eq!(s.token_source, Some(TokenSource::TokenFile));
}

fn script(home: &Home, name: &str, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = home.path(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o700)).unwrap();
    path
}

fn with_command(home: &Home, argv: &[&str]) -> Result<config::Settings, ConfigError> {
    let list: Vec<String> = argv.iter().map(|a| format!("{a:?}")).collect();
    std::fs::create_dir_all(home.path("config/confdir")).unwrap();
    std::fs::write(
        home.config_path(),
        site_with(&format!("token_command = [{}]\n", list.join(", "))),
    )
    .unwrap();
    resolve_in(&cli(&[]), &home.env(&[]), Credentials::Required)
}

#[test]
fn token_commands_run_without_a_shell_and_are_trimmed() {
    let home = Home::new(None);
    let ok = script(&home, "ok.sh", "printf '  %s\\n\\n' \"$1\"");
    let s = with_command(&home, &[ok.to_str().unwrap(), CANARY]).unwrap();
    assert!(matches!(&s.auth, Auth::Basic { token, .. } if token.expose() == CANARY));

    // No shell: `$HOME` and `;` reach the program as they are.
    let echo = script(&home, "echo.sh", "printf '%s' \"$1\"");
    let s = with_command(&home, &[echo.to_str().unwrap(), "$HOME;x"]).unwrap();
    assert!(matches!(&s.auth, Auth::Basic { token, .. } if token.expose() == "$HOME;x"));
}

#[test]
fn failing_token_commands_show_their_stderr_but_not_their_stdout() {
    let home = Home::new(None);
    let fail = script(
        &home,
        "fail.sh",
        &format!("echo '{CANARY}'; echo 'gpg: decryption failed: No secret key' >&2; exit 2"),
    );
    let err = with_command(&home, &[fail.to_str().unwrap()]).unwrap_err();
    let text = err.to_string();
    assert_eq!(err.exit_code(), 3);
    assert!(text.contains("exit status 2"), "{text}");
    assert!(text.contains("gpg: decryption failed"), "{text}");
    assert!(!text.contains(CANARY), "{text}");

    let silent = script(&home, "silent.sh", "exit 0");
    let err = with_command(&home, &[silent.to_str().unwrap()]).unwrap_err();
    assert!(err.to_string().contains("printed nothing"), "{err}");

    let err = with_command(&home, &["/nonexistent/confdir-pass"]).unwrap_err();
    assert!(err.to_string().contains("could not be started"), "{err}");
}

#[test]
fn the_token_never_shows_in_debug_output_or_errors() {
    let home = Home::new(None);
    let file = home.token_file("t", CANARY, 0o600);
    std::fs::create_dir_all(home.path("config/confdir")).unwrap();
    std::fs::write(
        home.config_path(),
        site_with(&format!("token_file = \"{}\"\n", file.display())),
    )
    .unwrap();
    let s = resolve_in(&cli(&[]), &home.env(&[]), Credentials::Required).unwrap();
    let debug = format!("{s:?} {:?}", s.client_config());
    assert!(!debug.contains(CANARY), "{debug}");
    let env_err = resolve_in(
        &cli(&["--site", "zzz"]),
        &home.env(&[("CONFLUENCE_API_TOKEN", CANARY)]),
        Credentials::Required,
    )
    .unwrap_err();
    assert!(!format!("{env_err} {env_err:?}").contains(CANARY));
}

#[test]
fn basic_auth_without_an_email_is_explained() {
    let home = Home::new(Some(
        "[sites.a]\nurl = \"http://127.0.0.1:9\"\nauth = \"basic\"\nkeyring = false\n",
    ));
    let err = resolve_in(
        &cli(&[]),
        &home.env(&[("CONFLUENCE_API_TOKEN", CANARY)]),
        Credentials::Required,
    )
    .unwrap_err();
    assert!(matches!(err, ConfigError::MissingEmail { .. }));
    assert!(err.to_string().contains("CONFLUENCE_EMAIL"));
}

#[test]
fn confdir_config_points_at_another_file() {
    let home = Home::new(None);
    let other = home.path("elsewhere.toml");
    std::fs::write(&other, "[sites.x]\nurl = \"x\"\n").unwrap();
    let env = home.env(&[("CONFDIR_CONFIG", other.to_str().unwrap())]);
    assert_eq!(env.config_path().unwrap(), other);
    let cfg = load(env.config_path().as_deref()).unwrap();
    assert_eq!(cfg.site_names(), vec!["x".to_string()]);
    assert!(Path::new(&other).exists());
}

/// Runs `f` on a thread and waits at most `limit` for its answer: a call that hangs fails the
/// test instead of hanging it.
fn within<T: Send + 'static>(
    limit: std::time::Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(limit).expect("the call finished in time")
}

#[test]
fn a_token_command_that_never_exits_is_stopped_and_named() {
    let home = Home::new(None);
    // `exec`: the sleeping process is the child itself, so stopping it leaves nothing behind.
    let slow = script(&home, "slow.sh", "echo partial; exec sleep 30");
    let argv = vec![slow.to_str().unwrap().to_string()];
    let started = std::time::Instant::now();
    let err = within(std::time::Duration::from_secs(10), move || {
        config::run_token_command_within(&argv, std::time::Duration::from_secs(1)).unwrap_err()
    });
    let text = err.to_string();
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert_eq!(err.exit_code(), 3);
    assert!(text.contains("slow.sh"), "{text}");
    assert!(text.contains("did not finish within 1 s"), "{text}");
    assert!(!text.contains("partial"), "{text}");
    assert_eq!(
        config::TOKEN_COMMAND_TIMEOUT,
        std::time::Duration::from_secs(30)
    );
}

#[test]
fn a_token_command_that_prints_a_megabyte_is_refused() {
    let home = Home::new(None);
    let big = script(&home, "big.sh", "head -c 1048576 /dev/zero | tr '\\000' a");
    let path = big.to_str().unwrap().to_string();
    let err = within(std::time::Duration::from_secs(10), move || {
        with_command(&home, &[&path]).unwrap_err()
    });
    let text = err.to_string();
    assert_eq!(err.exit_code(), 3);
    assert!(
        text.contains(&format!(
            "printed more than {} bytes",
            config::MAX_TOKEN_BYTES
        )),
        "{text}"
    );
    assert!(text.len() < 2000, "{text}");
}

#[test]
fn a_token_file_that_is_not_a_regular_file_is_refused_without_opening_it() {
    use std::os::unix::fs::PermissionsExt;
    let home = Home::new(None);
    let fifo = home.path("token.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    // Private, so only its type can be the reason to refuse it.
    std::fs::set_permissions(&fifo, std::fs::Permissions::from_mode(0o600)).unwrap();
    let dir = home.path("token.dir");
    std::fs::create_dir(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    for (path, kind) in [(fifo, "a FIFO"), (dir, "a directory")] {
        let text = site_with(&format!("token_file = \"{}\"\n", path.display()));
        std::fs::create_dir_all(home.path("config/confdir")).unwrap();
        std::fs::write(home.config_path(), text).unwrap();
        let env = home.env(&[]);
        let err = within(std::time::Duration::from_secs(5), move || {
            resolve_in(&cli(&[]), &env, Credentials::Required).unwrap_err()
        });
        let text = err.to_string();
        assert_eq!(err.exit_code(), 3);
        assert!(text.contains("is not a regular file"), "{text}");
        assert!(text.contains(kind), "{text}");
    }
}

const CLOUD_ID: &str = "1324a887-45db-1bf4-1e99-ef0ff456d421";

/// A site with a cloud id: API calls go through the gateway, web links open on the site, and the
/// site (not the gateway) still names the keyring entry and the folders.
#[test]
fn a_site_with_a_cloud_id_calls_the_gateway_and_links_to_the_site() {
    let home = Home::new(Some(&format!(
        "[sites.acme]\nurl = \"acme\"\nemail = \"ada@acme.example\"\ncloud_id = \"{CLOUD_ID}\"\nkeyring = false\n"
    )));
    let env = home.env(&[("CONFLUENCE_API_TOKEN", CANARY)]);
    let settings = resolve_in(&cli(&[]), &env, Credentials::Required).unwrap();
    assert_eq!(
        settings.choice.api_url.as_str(),
        format!("https://api.atlassian.com/ex/confluence/{CLOUD_ID}/wiki/")
    );
    assert_eq!(settings.site_label(), "acme.atlassian.net");
    assert_eq!(
        settings.choice.keyring_account(),
        "acme.atlassian.net ada@acme.example"
    );
    // The client built from it: a loopback site and gateway (no CA store needed), same rules.
    let local = Home::new(Some(&format!(
        "[sites.local]\nurl = \"http://127.0.0.1:9\"\nemail = \"ada@acme.example\"\ncloud_id = \"{CLOUD_ID}\"\ngateway = \"http://127.0.0.1:8\"\nkeyring = false\n"
    )));
    let local_env = local.env(&[("CONFLUENCE_API_TOKEN", CANARY)]);
    let settings = resolve_in(&cli(&[]), &local_env, Credentials::Required).unwrap();
    let client = confdir::api::Client::new(settings.client_config()).unwrap();
    assert_eq!(
        client.context_url().as_str(),
        format!("http://127.0.0.1:8/ex/confluence/{CLOUD_ID}/wiki/")
    );
    assert_eq!(
        client
            .web_url("people/5b10ac8d82e05b22cc7d4ef5")
            .unwrap()
            .as_str(),
        "http://127.0.0.1:9/wiki/people/5b10ac8d82e05b22cc7d4ef5"
    );

    // A --base-url replaces the site, so the file's cloud id does not follow it.
    let adhoc = resolve_in(
        &cli(&[
            "--site",
            "acme",
            "--base-url",
            "https://globex.atlassian.net",
        ]),
        &env,
        Credentials::Required,
    )
    .unwrap();
    assert_eq!(
        adhoc.choice.api_url.as_str(),
        "https://globex.atlassian.net/wiki/"
    );
}

/// A gateway URL given on its own knows no site: no web link is made rather than one on the
/// gateway host, where a person gets no page.
#[test]
fn a_bare_gateway_url_makes_no_links_on_the_gateway() {
    let home = Home::new(None);
    let gateway = format!("http://127.0.0.1:8/ex/confluence/{CLOUD_ID}");
    let env = home.env(&[
        ("CONFLUENCE_BASE_URL", gateway.as_str()),
        ("CONFLUENCE_EMAIL", "ada@acme.example"),
        ("CONFLUENCE_API_TOKEN", CANARY),
    ]);
    let settings =
        resolve_in(&cli(&["--base-url", &gateway]), &env, Credentials::Required).unwrap();
    assert_eq!(settings.choice.cloud_id.as_deref(), Some(CLOUD_ID));
    assert!(settings.choice.web_url.is_none());
    let client = confdir::api::Client::new(settings.client_config()).unwrap();
    assert_eq!(client.web_url("people/x"), None);
    // A site URL links to itself, as always.
    let site = confdir::api::Client::new(confdir::api::ClientConfig::new(
        "http://127.0.0.1:9",
        Auth::Anonymous,
    ))
    .unwrap();
    assert_eq!(
        site.web_url("spaces/ENG").unwrap().as_str(),
        "http://127.0.0.1:9/wiki/spaces/ENG"
    );
}

/// A cloud id that is not UUID-shaped, a gateway that is not a bare https host, or a gateway URL
/// beside a cloud id are refused with the file, line and key.
#[test]
fn bad_cloud_ids_and_gateways_in_the_file_are_refused_with_their_line() {
    for (table, key, needle) in [
        ("cloud_id = \"../../admin\"", "sites.acme.cloud_id", "not a cloud id"),
        (
            "cloud_id = \"1324a887-45db-1bf4-1e99-ef0ff456d421\"\ngateway = \"http://gw.example\"",
            "sites.acme.gateway",
            "https",
        ),
        (
            "cloud_id = \"1324a887-45db-1bf4-1e99-ef0ff456d421\"\ngateway = \"https://api.atlassian.com/ex\"",
            "sites.acme.gateway",
            "host only",
        ),
    ] {
        let home = Home::new(Some(&format!(
            "[sites.acme]\nurl = \"acme\"\nemail = \"ada@acme.example\"\n{table}\n"
        )));
        let (path, line, got_key, message) = invalid(load_in(&home).unwrap_err());
        assert_eq!(path, home.config_path());
        // The key's own line: the table's keys start on line 4.
        let own = key.rsplit('.').next().unwrap();
        let want = 4 + table.lines().position(|l| l.starts_with(own)).unwrap();
        assert_eq!(line, want, "{table}");
        assert_eq!(got_key, key);
        assert!(message.contains(needle), "{table}: {message}");
    }
    let home = Home::new(Some(&format!(
        "[sites.acme]\nurl = \"https://api.atlassian.com/ex/confluence/{CLOUD_ID}\"\ncloud_id = \"{CLOUD_ID}\"\n"
    )));
    let (_, line, key, message) = invalid(load_in(&home).unwrap_err());
    assert_eq!((line, key.as_str()), (2, "sites.acme.url"));
    assert!(message.contains("the site"), "{message}");
}
