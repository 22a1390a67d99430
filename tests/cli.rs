//! The real `confdir` binary against the embedded demo server: every command in human, `--json`
//! and `--csv` form, every exit code, colour rules, and the token never leaking.
//!
//! Each test starts its own demo server (watches and properties change in memory) on an
//! ephemeral loopback port, and runs the binary with a clean environment: temp XDG directories,
//! the server's URL, and the demo credentials.

mod support;

use confdir::demo::{ADMIN_ACCOUNT_ID, DEMO_ACCOUNT_ID, DEMO_ADMIN_TOKEN, DEMO_EMAIL, DEMO_TOKEN};
use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use support::demo::Demo;
use support::home::Home;

const CANARY: &str = "tok-CANARY-5e8d21";

/// A demo server, and a private home to run the binary in.
struct Site {
    demo: Demo,
    home: Home,
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }
    fn csv(&self) -> Vec<Vec<String>> {
        self.stdout
            .lines()
            .map(|l| l.split(',').map(str::to_string).collect())
            .collect()
    }
    fn ok(self) -> Self {
        assert_eq!(
            self.code, 0,
            "stderr: {}\nstdout: {}",
            self.stderr, self.stdout
        );
        self
    }
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Site {
    fn start() -> Self {
        Site {
            demo: Demo::start(),
            home: Home::new(),
        }
    }

    fn url(&self) -> String {
        self.demo.base_url()
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.home.join(rel)
    }

    /// A command with a clean environment: temp XDG dirs, no credentials.
    fn bare(&self, args: &[&str]) -> Command {
        self.home.command(args)
    }

    /// A command pointed at the demo server with a token.
    fn with_token(&self, token: &str, args: &[&str]) -> Command {
        let mut cmd = self.bare(args);
        cmd.env("CONFLUENCE_BASE_URL", self.url())
            .env("CONFLUENCE_EMAIL", DEMO_EMAIL)
            .env("CONFLUENCE_API_TOKEN", token);
        cmd
    }

    fn run(&self, args: &[&str]) -> Run {
        self.with_token(DEMO_TOKEN, args).output().unwrap().into()
    }

    fn admin(&self, args: &[&str]) -> Run {
        self.with_token(DEMO_ADMIN_TOKEN, args)
            .output()
            .unwrap()
            .into()
    }

    fn write_config(&self, text: &str) -> PathBuf {
        let path = self.home.config_file();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }
}

/// The content id the demo gives the "Engineering handbook" page.
fn handbook_id() -> String {
    (confdir::demo::directory::hash_str("ENG/Engineering handbook") % 9_000_000_000 + 1_000_000_000)
        .to_string()
}

#[test]
fn the_command_line_definition_is_consistent() {
    use clap::CommandFactory;
    confdir::cli::Cli::command().debug_assert();
}

#[test]
fn whoami_in_every_form() {
    let demo = Site::start();
    let human = demo.run(&["whoami"]).ok();
    assert!(
        human.stdout.starts_with("Ada Lovelace\n"),
        "{}",
        human.stdout
    );
    assert!(human.stdout.contains(DEMO_ACCOUNT_ID));
    assert!(human.stdout.contains("Europe/London"));
    let json = demo.run(&["whoami", "--json"]).ok().json();
    assert_eq!(json["accountId"], DEMO_ACCOUNT_ID);
    assert_eq!(json["displayName"], "Ada Lovelace");
    let admin = demo.admin(&["whoami", "--json"]).ok().json();
    assert_eq!(admin["accountId"], ADMIN_ACCOUNT_ID);
}

#[test]
fn anonymous_needs_no_token() {
    let demo = Site::start();
    let run: Run = demo
        .bare(&["anonymous", "--base-url", &demo.url()])
        .output()
        .unwrap()
        .into();
    let run = run.ok();
    assert!(run.stdout.contains("(anonymous)"), "{}", run.stdout);
    let json = demo.run(&["anonymous", "--json"]).ok().json();
    assert_eq!(json["type"], "anonymous");
}

#[test]
fn users_search_in_every_form_with_limit_and_all() {
    let demo = Site::start();
    let human = demo.run(&["users", "search", "Lee"]).ok();
    let lines: Vec<&str> = human.stdout.lines().collect();
    assert!(lines[0].starts_with("NAME") && lines[0].contains("ACCOUNT ID"));
    assert!(
        lines.iter().skip(1).all(|l| l.contains("Lee")),
        "{}",
        human.stdout
    );

    let json = demo.run(&["users", "search", "Lee", "--json"]).ok().json();
    let all = json.as_array().unwrap();
    assert!(all.len() >= 3, "{json}");
    assert!(all.iter().all(|u| u["accountId"].is_string()));

    let two = demo
        .run(&["users", "search", "Lee", "--limit", "2", "--json"])
        .ok()
        .json();
    assert_eq!(two.as_array().unwrap().len(), 2);
    let paged = demo
        .run(&["users", "search", "Lee", "--limit", "2", "--all", "--json"])
        .ok()
        .json();
    assert_eq!(paged, json, "--all follows every page to the same set");

    let csv = demo.run(&["users", "search", "Lee", "--csv"]).ok().csv();
    assert_eq!(
        csv[0],
        [
            "accountId",
            "displayName",
            "publicName",
            "email",
            "accountType",
            "isGuest",
            "timeZone"
        ]
    );
    assert_eq!(csv.len(), all.len() + 1);

    let none = demo.run(&["users", "search", "zzzqqqxxx"]).ok();
    assert_eq!(none.stdout.trim(), "no users");
    let cql = demo
        .run(&[
            "users",
            "search",
            "--cql",
            "user.fullname~\"Ada Lovelace\"",
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(cql[0]["accountId"], DEMO_ACCOUNT_ID);
}

#[test]
fn users_show_by_id_me_and_name() {
    let demo = Site::start();
    for who in [DEMO_ACCOUNT_ID, "me", "Ada Lovelace", "ada lovelace"] {
        let json = demo.run(&["users", "show", who, "--json"]).ok().json();
        assert_eq!(json["accountId"], DEMO_ACCOUNT_ID, "{who}");
    }
    let by_id = demo.run(&["users", "show", ADMIN_ACCOUNT_ID]).ok();
    assert!(by_id.stdout.starts_with("Grace Hopper\n"));

    let ambiguous = demo.run(&["users", "show", "Lee"]);
    assert_eq!(ambiguous.code, 2, "{}", ambiguous.stderr);
    assert!(ambiguous.stderr.contains("matches"), "{}", ambiguous.stderr);
    assert!(
        ambiguous.stderr.lines().count() >= 3,
        "lists the candidates"
    );
    assert!(ambiguous.stdout.is_empty());

    let missing = demo.run(&["users", "show", "Nobody Atall Xyz"]);
    assert_eq!(missing.code, 4, "{}", missing.stderr);
    assert!(missing.stderr.contains("no user matches"));
}

#[test]
fn users_bulk_and_email_in_every_form() {
    let demo = Site::start();
    let ids = [DEMO_ACCOUNT_ID, ADMIN_ACCOUNT_ID];
    let human = demo.run(&["users", "bulk", ids[0], ids[1]]).ok();
    assert!(human.stdout.contains("Ada Lovelace") && human.stdout.contains("Grace Hopper"));
    let json = demo
        .run(&["users", "bulk", ids[0], ids[1], "--json"])
        .ok()
        .json();
    assert_eq!(json.as_array().unwrap().len(), 2);
    let csv = demo
        .run(&["users", "bulk", ids[0], ids[1], "--csv"])
        .ok()
        .csv();
    assert_eq!(csv.len(), 3);
    assert_eq!(csv[1][0], DEMO_ACCOUNT_ID);

    let one = demo.run(&["users", "email", ids[0], "--json"]).ok().json();
    assert_eq!(one[0]["email"], "demo@confdir.example");
    let both = demo.run(&["users", "email", ids[0], ids[1], "--csv"]).ok();
    assert_eq!(
        both.stdout,
        format!(
            "accountId,email\n{DEMO_ACCOUNT_ID},demo@confdir.example\n{ADMIN_ACCOUNT_ID},admin@confdir.example\n"
        )
    );
    let human = demo.run(&["users", "email", ids[1]]).ok();
    assert!(human.stdout.contains("admin@confdir.example"));

    let usage = demo.run(&["users", "bulk"]);
    assert_eq!(usage.code, 2, "ids are required");
}

#[test]
fn groups_of_members_and_list_in_every_form() {
    let demo = Site::start();
    let human = demo.run(&["groups", "of", "me"]).ok();
    assert!(human.stdout.lines().next().unwrap().starts_with("NAME"));
    assert!(human.stdout.contains("guild-rust"));
    let json = demo
        .run(&["groups", "of", "Ada Lovelace", "--json"])
        .ok()
        .json();
    assert_eq!(json.as_array().unwrap().len(), 12);
    let csv = demo
        .run(&["groups", "of", DEMO_ACCOUNT_ID, "--csv"])
        .ok()
        .csv();
    assert_eq!(csv[0], ["name", "id"]);
    assert_eq!(csv.len(), 13);

    // A group by exact name, and by its id.
    let admins = demo
        .run(&["groups", "members", "site-admins", "--json"])
        .ok()
        .json();
    assert!(admins
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u["accountId"] == ADMIN_ACCOUNT_ID));
    let site_admins_id = json_group_id(&demo, "site-admins");
    let by_id = demo
        .run(&["groups", "members", &site_admins_id, "--csv"])
        .ok()
        .csv();
    assert_eq!(by_id.len(), admins.as_array().unwrap().len() + 1);
    let human = demo.run(&["groups", "members", "site-admins"]).ok();
    assert!(human.stdout.contains("Grace Hopper"));

    // Everyone is in confluence-users: --all reads past the first page.
    let first = demo
        .run(&["groups", "members", "confluence-users", "--json"])
        .ok()
        .json();
    let every = demo
        .run(&["groups", "members", "confluence-users", "--all", "--json"])
        .ok()
        .json();
    assert_eq!(first.as_array().unwrap().len(), 200);
    assert!(every.as_array().unwrap().len() > 1000);

    let list = demo.run(&["groups", "list", "--json"]).ok().json();
    assert!(list.as_array().unwrap().len() > 20);
    let teams = demo
        .run(&["groups", "list", "--filter", "team-", "--csv"])
        .ok()
        .csv();
    assert!(teams.len() > 2);
    assert!(
        teams.iter().skip(1).all(|r| r[0].contains("team-")),
        "{teams:?}"
    );
    let human = demo.run(&["groups", "list"]).ok();
    assert!(human.stdout.contains("confluence-users"));

    let missing = demo.run(&["groups", "members", "no-such-group"]);
    assert_eq!(missing.code, 4, "{}", missing.stderr);
}

fn json_group_id(demo: &Site, name: &str) -> String {
    let list = demo.run(&["groups", "list", "--json"]).ok().json();
    list.as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == name)
        .and_then(|g| g["id"].as_str())
        .unwrap()
        .to_string()
}

#[test]
fn watch_status_add_remove_for_spaces_labels_and_content() {
    let demo = Site::start();
    let content = handbook_id();
    for (kind, id) in [
        ("space", "MOB"),
        ("label", "runbook"),
        ("content", content.as_str()),
    ] {
        demo.run(&["watch", "remove", kind, id]).ok();
        let off = demo
            .run(&["watch", "status", kind, id, "--json"])
            .ok()
            .json();
        assert_eq!(off["watching"], false, "{kind}");
        assert_eq!(off["kind"], kind);
        let added = demo.run(&["watch", "add", kind, id]).ok();
        assert_eq!(
            added.stdout.trim(),
            format!("you are now watching {kind} {id}")
        );
        let on = demo.run(&["watch", "status", kind, id]).ok();
        assert_eq!(on.stdout.trim(), format!("you are watching {kind} {id}"));
        let removed = demo
            .run(&["watch", "remove", kind, id, "--json"])
            .ok()
            .json();
        assert_eq!(removed["watching"], false);
        let off = demo.run(&["watch", "status", kind, id]).ok();
        assert_eq!(
            off.stdout.trim(),
            format!("you are not watching {kind} {id}")
        );
    }
}

#[test]
fn watches_of_other_users_need_an_administrator() {
    let demo = Site::start();
    let refused = demo.run(&[
        "watch",
        "status",
        "space",
        "ENG",
        "--user",
        ADMIN_ACCOUNT_ID,
    ]);
    assert_eq!(refused.code, 1, "403 is an API error: {}", refused.stderr);
    assert_eq!(refused.stderr.lines().count(), 1, "{}", refused.stderr);
    assert!(refused.stderr.contains("403"));

    demo.admin(&["watch", "add", "space", "HR", "--user", "Ada Lovelace"])
        .ok();
    let as_admin = demo
        .admin(&[
            "watch",
            "status",
            "space",
            "HR",
            "--user",
            DEMO_ACCOUNT_ID,
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(as_admin["watching"], true);
    assert_eq!(as_admin["accountId"], DEMO_ACCOUNT_ID);
    let mine = demo
        .run(&["watch", "status", "space", "HR", "--json"])
        .ok()
        .json();
    assert_eq!(mine["watching"], true, "the admin changed Ada's watch");

    let unknown = demo.run(&["watch", "add", "space", "NOSUCHSPACE"]);
    assert_eq!(unknown.code, 1, "watches answer 403 for missing targets");
    let usage = demo.run(&["watch", "toggle", "space", "ENG"]);
    assert_eq!(usage.code, 2);
}

#[test]
fn props_list_get_set_delete() {
    let demo = Site::start();
    let created = demo
        .run(&[
            "props",
            "set",
            "me",
            "confdir-test",
            r#"{"a": 1}"#,
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(created["action"], "created");
    let updated = demo
        .run(&["props", "set", "me", "confdir-test", r#"{"a": 2}"#])
        .ok();
    assert_eq!(
        updated.stdout.trim(),
        format!("updated property confdir-test of {DEMO_ACCOUNT_ID}")
    );
    let value = demo
        .run(&["props", "get", "me", "confdir-test"])
        .ok()
        .json();
    assert_eq!(value, serde_json::json!({"a": 2}));
    let full = demo
        .run(&["props", "get", "Ada Lovelace", "confdir-test", "--json"])
        .ok()
        .json();
    assert_eq!(full["key"], "confdir-test");
    assert_eq!(full["value"]["a"], 2);

    let keys = demo.run(&["props", "list", "me", "--json"]).ok().json();
    assert!(keys
        .as_array()
        .unwrap()
        .iter()
        .any(|k| k["key"] == "confdir-test"));
    let csv = demo.run(&["props", "list", "me", "--csv"]).ok();
    assert!(csv.stdout.starts_with("key\n") && csv.stdout.contains("\nconfdir-test\n"));
    let human = demo.run(&["props", "list", DEMO_ACCOUNT_ID]).ok();
    assert!(human.stdout.contains("confdir-test"));

    let deleted = demo
        .run(&["props", "delete", "me", "confdir-test", "--json"])
        .ok()
        .json();
    assert_eq!(deleted["action"], "deleted");
    let gone = demo.run(&["props", "get", "me", "confdir-test"]);
    assert_eq!(gone.code, 4, "{}", gone.stderr);
    assert_eq!(gone.stderr.lines().count(), 1);

    let bad_json = demo.run(&["props", "set", "me", "k", "{not json"]);
    assert_eq!(bad_json.code, 2, "{}", bad_json.stderr);
    let not_object = demo.run(&["props", "set", "me", "k", "[1, 2]"]);
    assert_eq!(not_object.code, 2, "{}", not_object.stderr);
    let bad_key = demo.run(&["props", "get", "me", "bad key"]);
    assert_eq!(bad_key.code, 2, "{}", bad_key.stderr);
}

#[test]
fn spaces_in_every_form_with_all() {
    let demo = Site::start();
    let human = demo.run(&["spaces"]).ok();
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
fn doctor_explains_each_step() {
    let demo = Site::start();
    let human = demo.run(&["doctor"]).ok();
    for needle in [
        "config file",
        "not found",
        "from CONFLUENCE_API_TOKEN",
        "reachable",
        "Ada Lovelace",
        "email API",
        "administrator",
        "all checks passed",
    ] {
        assert!(human.stdout.contains(needle), "{needle}: {}", human.stdout);
    }
    let json = demo.run(&["doctor", "--json"]).ok().json();
    assert_eq!(json["ok"], true);
    assert_eq!(json["token"]["source"], "environment");
    assert_eq!(json["identity"]["accountId"], DEMO_ACCOUNT_ID);
    assert_eq!(json["email_api"]["available"], true);
    assert_eq!(json["administrator"]["available"], false);
    let admin = demo.admin(&["doctor", "--json"]).ok().json();
    assert_eq!(admin["administrator"]["available"], true);

    // A site from the file with no token: every source says why it was skipped; exit 3.
    demo.write_config(&format!(
        "[sites.demo]\nurl = \"{}\"\nemail = \"{DEMO_EMAIL}\"\nkeyring = false\n",
        demo.url()
    ));
    let run: Run = demo.bare(&["doctor", "--json"]).output().unwrap().into();
    assert_eq!(run.code, 3, "{}", run.stdout);
    let json = run.json();
    assert_eq!(json["ok"], false);
    assert_eq!(json["site"]["name"], "demo");
    assert_eq!(json["config"]["found"], true);
    let reasons: Vec<&str> = json["token"]["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["detail"].as_str().unwrap())
        .collect();
    assert_eq!(
        reasons,
        [
            "CONFLUENCE_API_TOKEN is not set",
            "disabled by `keyring = false`",
            "no `token_command` for this site",
            "no `token_file` for this site"
        ]
    );
    let human: Run = demo.bare(&["doctor"]).output().unwrap().into();
    assert_eq!(human.code, 3);
    assert!(
        human.stdout.contains("skipped CONFLUENCE_API_TOKEN"),
        "{}",
        human.stdout
    );

    // Bad credentials: reachable, but the identity step fails.
    let bad: Run = demo
        .with_token(CANARY, &["doctor", "--json"])
        .output()
        .unwrap()
        .into();
    assert_eq!(bad.code, 3);
    let json = bad.json();
    assert_eq!(json["reachable"]["ok"], true);
    assert_eq!(json["identity"]["ok"], false);

    // A broken file: exit 2, and the error names the line.
    demo.write_config("default_site = 3\n");
    let broken: Run = demo.bare(&["doctor", "--json"]).output().unwrap().into();
    assert_eq!(broken.code, 2);
    let json = broken.json();
    assert_eq!(json["config"]["valid"], false);
    assert!(json["config"]["error"]
        .as_str()
        .unwrap()
        .contains(":1: `default_site`"));
}

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

#[test]
fn login_without_a_usable_keyring_explains_the_other_sources() {
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
    // With a Secret Service the token lands in the keyring; without one (CI) login says what to
    // do instead. Either way the site is saved under the name derived from the URL.
    let config = std::fs::read_to_string(demo.home.config_file()).unwrap();
    assert!(config.contains("[sites.local]"), "{config}");
    if run.code == 0 {
        assert!(run.stdout.contains("OS keyring"), "{}", run.stdout);
    } else {
        assert_eq!(run.code, 1, "{}", run.stderr);
        for needle in [
            "not stored",
            "CONFLUENCE_API_TOKEN",
            "token_command",
            "--token-file",
        ] {
            assert!(run.stderr.contains(needle), "{needle}: {}", run.stderr);
        }
    }
}

#[test]
fn the_token_never_appears_in_any_output() {
    let demo = Site::start();
    let commands: Vec<Vec<&str>> = vec![
        vec!["whoami"],
        vec!["whoami", "--json"],
        vec!["anonymous", "--json"],
        vec!["users", "search", "Lee", "--json"],
        vec!["users", "show", "me"],
        vec!["users", "bulk", DEMO_ACCOUNT_ID],
        vec!["users", "email", DEMO_ACCOUNT_ID],
        vec!["groups", "of", "me"],
        vec!["groups", "members", "site-admins"],
        vec!["groups", "list"],
        vec!["watch", "status", "space", "ENG"],
        vec!["props", "list", "me"],
        vec!["props", "get", "me", "team"],
        vec!["props", "set", "me", "team", "{\"a\":1}"],
        vec!["props", "delete", "me", "team"],
        vec!["spaces"],
        vec!["doctor"],
        vec!["doctor", "--json"],
    ];
    for args in &commands {
        let run: Run = demo
            .with_token(CANARY, args)
            .env("RUST_LOG", "trace")
            .env("RUST_BACKTRACE", "1")
            .output()
            .unwrap()
            .into();
        assert_ne!(run.code, 0, "{args:?} must fail with a wrong token");
        assert!(
            !run.stdout.contains(CANARY) && !run.stderr.contains(CANARY),
            "{args:?} leaked the token:\n{}\n{}",
            run.stdout,
            run.stderr
        );
    }
    // Nothing confdir wrote under its directories holds the token either.
    for dir in [
        demo.home.config_dir(),
        demo.home.data_dir(),
        demo.home.cache_dir(),
    ] {
        for entry in walk(&dir) {
            let text = std::fs::read_to_string(&entry).unwrap_or_default();
            assert!(!text.contains(CANARY), "{}", entry.display());
        }
    }
}

fn walk(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn doctor_reports_rate_limit_headers_and_a_missing_email_api() {
    use support::mock::serve;
    use wiremock::{MockServer, ResponseTemplate};
    let rt = support::demo::runtime();
    let server = rt.block_on(async {
        let server = MockServer::start().await;
        serve(
            &server,
            "GET",
            "/user/anonymous",
            ResponseTemplate::new(200).set_body_json(
                serde_json::json!({"type": "anonymous", "displayName": "Anonymous"}),
            ),
        )
        .await;
        serve(
            &server,
            "GET",
            "/user/current",
            ResponseTemplate::new(200)
                .insert_header("X-RateLimit-Limit", "100")
                .insert_header("X-RateLimit-Remaining", "7")
                .set_body_json(serde_json::json!({
                    "type": "known",
                    "accountId": "5b10ac8d82e05b22cc7d4ef5",
                    "displayName": "Mia Krystof",
                    "_links": {}
                })),
        )
        .await;
        serve(
            &server,
            "GET",
            "/user/email",
            ResponseTemplate::new(501).set_body_json(serde_json::json!({
                "statusCode": 501,
                "message": "The email API is not enabled"
            })),
        )
        .await;
        server
    });
    let home = Home::new();
    let out: Run = home
        .command(&["doctor", "--json", "--base-url", &server.uri()])
        .env("CONFLUENCE_EMAIL", "mia@example.com")
        .env("CONFLUENCE_API_TOKEN", CANARY)
        .output()
        .unwrap()
        .into();
    let json = out.ok().json();
    assert_eq!(json["rate_limit_headers"]["x-ratelimit-remaining"], "7");
    assert_eq!(json["rate_limit_headers"]["x-ratelimit-limit"], "100");
    assert_eq!(json["identity"]["displayName"], "Mia Krystof");
    assert_eq!(json["email_api"]["available"], false);
    assert!(json["email_api"]["detail"]
        .as_str()
        .unwrap()
        .contains("not enabled"));
    assert!(
        json["administrator"]["available"].is_null(),
        "no operations sent"
    );
    drop(server);
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
