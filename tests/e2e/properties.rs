//! Writing user properties from the Profile pane: `e` opens `$EDITOR` (a script written by the
//! test) on the value and the site then serves what was saved, a save that is not JSON reopens
//! the editor with the reason on top, and `d` asks before deleting. After the editor the UI has
//! the terminal again, drawn in full.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::support::demo::Demo;
use crate::support::pty::{key, selected_in, Spawn, Tui, TIMEOUT};
use crate::GROUPS_KEYS;
use confdir::api::{ApiError, Client, Paging};
use confdir::demo::{ADMIN_ACCOUNT_ID, DEMO_ACCOUNT_ID, DEMO_EMAIL, DEMO_TOKEN};
use serde_json::{json, Value};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// The Profile pane's footer, once it has the focus.
const PROFILE_KEYS: &str = r"e edit the property in \$EDITOR";

/// A demo server, `confdir` on it as Ada Lovelace with `editor` as `$EDITOR`, and the directory
/// the editor script keeps its notes in.
struct Editing {
    demo: Demo,
    client: Client,
    tui: Tui,
    dir: tempfile::TempDir,
}

/// Writes the editor script `body` (run by `sh` with the file to edit as `$1` and the test's
/// directory as `$DIR`), starts the server and the UI, and opens Ada's profile with the focus on
/// it. Returns the session and the key highlighted (her first property).
fn start(body: &str) -> (Editing, String) {
    start_on(body, &|_| {}, ("lovelace", "Ada Lovelace", DEMO_ACCOUNT_ID))
}

/// As [`start`], on the person `who` (the search text, the name, the account id), after
/// `prepare` has readied the server.
fn start_on(body: &str, prepare: &dyn Fn(&Demo), who: (&str, &str, &str)) -> (Editing, String) {
    let (query, name, account_id) = who;
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("editor.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\nDIR='{}'\n{body}\n", dir.path().display()),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let demo = Demo::start();
    prepare(&demo);
    let client = demo.client(false);
    let base = demo.base_url();
    let editor = script.to_str().unwrap();
    let mut tui = Tui::spawn_with(Spawn {
        args: &["--base-url", &base],
        env: &[
            ("CONFLUENCE_BASE_URL", &base),
            ("CONFLUENCE_EMAIL", DEMO_EMAIL),
            ("CONFLUENCE_API_TOKEN", DEMO_TOKEN),
            ("EDITOR", editor),
        ],
        ..Spawn::default()
    });
    tui.wait_for(r"confdir · 127\.0\.0\.1:\d+ · Ada Lovelace");
    let keys = keys_of(&demo, &client, account_id);
    assert!(!keys.is_empty(), "{name} has properties");
    tui.type_text(query);
    // The whole query typed and ranked, not the start screen's "you" row.
    let typed = format!("> {query}");
    tui.wait_until("the person found", TIMEOUT, |screen| {
        screen.contents().contains(&typed)
            && selected_in(screen)
                .first()
                .is_some_and(|row| row.contains(name))
    });
    tui.send(key::ENTER);
    tui.wait_for(&regex::escape(account_id));
    // Enter leaves the focus on their groups; `2` is the Profile pane.
    tui.wait_for(GROUPS_KEYS);
    tui.send("2");
    tui.wait_for(PROFILE_KEYS);
    tui.wait_for(&format!(r"props\s+{} · Enter shows a value", keys.len()));
    let first = keys[0].clone();
    (
        Editing {
            demo,
            client,
            tui,
            dir,
        },
        first,
    )
}

fn property_keys(demo: &Demo, client: &Client) -> Vec<String> {
    keys_of(demo, client, DEMO_ACCOUNT_ID)
}

fn keys_of(demo: &Demo, client: &Client, account_id: &str) -> Vec<String> {
    demo.block_on(client.user_properties(account_id, Paging::first(25)).all())
        .unwrap()
        .into_iter()
        .map(|k| k.key)
        .collect()
}

impl Editing {
    /// The value the server has for Ada's `key`, or `None` when it has none.
    fn served(&self, key: &str) -> Option<Value> {
        self.served_of(DEMO_ACCOUNT_ID, key)
    }

    /// The value the server has for `account_id`'s `key`, or `None` when it has none.
    fn served_of(&self, account_id: &str, key: &str) -> Option<Value> {
        match self
            .demo
            .block_on(self.client.user_property(account_id, key))
        {
            Ok(prop) => Some(prop.value),
            Err(ApiError::NotFound { .. }) => None,
            Err(e) => panic!("the server answers: {e}"),
        }
    }

    fn note(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// After the editor: the UI owns the terminal again (raw mode, the alternate screen, which
    /// starts blank when entered again) and every pane is drawn, not only what changed; nothing
    /// the editor wrote is left on it.
    fn assert_redrawn(&self) {
        self.tui
            .wait_until("every pane drawn again", TIMEOUT, |screen| {
                let text = screen.contents();
                screen.alternate_screen()
                    && text.contains("confdir · 127.0.0.1")
                    && text.contains("1 Search")
                    && text.contains("2 Profile")
                    && text.contains("Company Hub")
                    && text.contains("e edit the property in $EDITOR")
                    && !text.contains("THE EDITOR RAN")
            });
        self.tui
            .wait_modes("raw after the editor", |m| !m.contains("ICANON"));
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

#[test]
fn e_edits_a_value_in_the_editor_and_the_site_then_serves_it() {
    // The editor keeps what it was given, then writes the new value.
    let (mut s, key) = start(
        r#"echo "THE EDITOR RAN"
cp "$1" "$DIR/given"
printf '{"e2e": "edited by the script", "n": 7}\n' > "$1""#,
    );
    let before = s.served(&key).unwrap();
    s.tui.send("e");
    // The value the site answered, shown in the property's window.
    s.tui.wait_for(r#""e2e": "edited by the script""#);
    s.tui.wait_for(&format!("Saved `{key}` of Ada Lovelace"));
    s.assert_redrawn();
    assert_eq!(
        s.served(&key),
        Some(json!({"e2e": "edited by the script", "n": 7}))
    );
    // The editor was given the site's value under comment lines, in a private file.
    let given = read(&s.note("given"));
    assert!(
        given.starts_with(&format!("# Property `{key}` of Ada Lovelace")),
        "{given}"
    );
    let body: String = given.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap(), before);
    s.tui.send("q");
}

#[test]
fn invalid_json_reopens_the_editor_with_the_error_and_nothing_is_sent_until_fixed() {
    // First call: invalid JSON. Second call: a valid value. Each call's input is kept.
    let (mut s, key) = start(
        r#"n=$(cat "$DIR/count" 2>/dev/null || echo 0)
n=$((n + 1))
echo "$n" > "$DIR/count"
cp "$1" "$DIR/given-$n"
echo "$n" > "$DIR/sent-$n"
if [ "$n" -eq 1 ]; then
  printf '{"broken": \n' > "$1"
  exit 0
fi
printf '{"fixed": true}\n' > "$1""#,
    );
    let before = s.served(&key).unwrap();
    s.tui.send("e");
    s.tui.wait_for(r#""fixed": true"#);
    s.tui.wait_for(&format!("Saved `{key}`"));
    s.assert_redrawn();
    assert_eq!(
        read(&s.note("count")).trim(),
        "2",
        "the editor opened twice"
    );
    let second = read(&s.note("given-2"));
    assert!(
        second.starts_with("# ERROR: not valid JSON"),
        "the reason is on top: {second}"
    );
    assert!(
        second.contains("{\"broken\":"),
        "the text is kept: {second}"
    );
    assert_ne!(before, json!({"fixed": true}));
    assert_eq!(s.served(&key), Some(json!({"fixed": true})));
    s.tui.send("q");
}

#[test]
fn d_asks_then_deletes_and_a_failing_editor_sends_nothing() {
    let (mut s, key) = start("exit 3");
    let before = s.served(&key).unwrap();
    // An editor that fails: nothing sent, the message line says why.
    s.tui.send("e");
    s.tui.wait_for(r"exited with status 3");
    s.assert_redrawn();
    assert_eq!(s.served(&key), Some(before));

    s.tui.send("d");
    s.tui
        .wait_for(&format!(r"Delete property `{key}` of Ada Lovelace\? y / n"));
    s.tui.send("n");
    s.tui.wait_for(&format!("Kept `{key}`"));
    assert!(s.served(&key).is_some());
    s.tui.send("d");
    s.tui.wait_for(r"\? y / n");
    s.tui.send("y");
    s.tui.wait_for(&format!("Deleted `{key}` of Ada Lovelace"));
    assert_eq!(s.served(&key), None);
    let left = property_keys(&s.demo, &s.client).len();
    s.tui
        .wait_for(&format!(r"props\s+{left} · Enter shows a value"));
    s.tui.send("q");
}

#[test]
fn the_editor_gets_every_key_typed_while_it_runs() {
    // An editor that reads a line from the terminal and saves it: if confdir still read the
    // terminal, it would take the keys meant for the editor.
    let (mut s, key) = start(
        r#"printf 'EDITOR READY> \033[?25h' > /dev/tty
read line < /dev/tty
printf '{"typed": "%s"}\n' "$line" > "$1""#,
    );
    s.tui.send("e");
    s.tui.wait_for("EDITOR READY>");
    s.tui.send("hello editor\r");
    s.tui.wait_for(r#""typed": "hello editor""#);
    s.assert_redrawn();
    assert_eq!(s.served(&key), Some(json!({"typed": "hello editor"})));
    s.tui.send("q");
}

#[test]
fn n_checks_the_key_then_creates_the_property_from_the_editor() {
    let (mut s, _) = start(r#"printf '{"floor": 3, "desk": "B12"}\n' > "$1""#);
    let before = property_keys(&s.demo, &s.client).len();
    s.tui.send("n");
    s.tui.wait_for("new key");
    s.tui.type_text("my desk");
    s.tui.send(key::ENTER);
    s.tui.wait_for("`my desk` is not a valid property key");
    assert_eq!(
        property_keys(&s.demo, &s.client).len(),
        before,
        "nothing sent"
    );
    // The box keeps the text: make it a valid key.
    for _ in 0.."my desk".len() {
        s.tui.send(key::BACKSPACE);
    }
    s.tui.type_text("desk-e2e");
    s.tui.send(key::ENTER);
    s.tui.wait_for(r#""desk": "B12""#);
    s.tui.wait_for("Saved `desk-e2e` of Ada Lovelace");
    s.tui
        .wait_for(&format!(r"props\s+{} · Enter shows a value", before + 1));
    s.assert_redrawn();
    assert_eq!(
        s.served("desk-e2e"),
        Some(json!({"floor": 3, "desk": "B12"}))
    );
    s.tui.send("q");
}

#[test]
fn a_colleagues_property_is_refused_with_a_message_and_left_as_it_was() {
    // Grace has a property (set by an administrator); Ada may not change it (403).
    let prepare = |demo: &Demo| {
        demo.block_on(demo.client(true).create_user_property(
            ADMIN_ACCOUNT_ID,
            "aaa-e2e",
            &json!({"room": "4.01"}),
        ))
        .unwrap();
    };
    let (mut s, key) = start_on(
        r#"printf '{"room": "taken over"}\n' > "$1""#,
        &prepare,
        ("hopper", "Grace Hopper", ADMIN_ACCOUNT_ID),
    );
    assert_eq!(key, "aaa-e2e", "listed first");
    s.tui.send("e");
    s.tui
        .wait_for("Not allowed to change Grace Hopper's properties");
    s.assert_redrawn();
    // The value shown is the one the site still has.
    s.tui.wait_for(r#""room": "4.01""#);
    assert_eq!(
        s.served_of(ADMIN_ACCOUNT_ID, "aaa-e2e"),
        Some(json!({"room": "4.01"}))
    );
    s.tui.send("q");
}
