//! Taking a list away: a group's members exported with `X` to a file in the program's working
//! directory (a temp dir), the file's rows checked against the server, the status line's count,
//! and the question before an existing file is overwritten, as JSON this time (Tab); and `@`,
//! an administrator's export of a group's email addresses.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::support::pty::{key, selected_in, Spawn, Tui, TIMEOUT};
use crate::{quit_and_check_restored, select_row, Session, GROUPS_KEYS};
use confdir::api::Paging;
use confdir::demo::{ADMIN_ACCOUNT_ID, DEMO_ADMIN_TOKEN};
use regex::escape;

#[test]
fn x_exports_a_groups_members_to_a_file_and_asks_before_overwriting() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Session::start_in(Some(dir.path()));
    let groups = s
        .demo
        .block_on(
            s.client
                .group_memberships(ADMIN_ACCOUNT_ID, Paging::first(200))
                .all(),
        )
        .unwrap();
    let admins = groups.iter().find(|g| g.name == "site-admins").unwrap();
    let members = s
        .demo
        .block_on(
            s.client
                .group_members(&admins.id, Paging::first(200), &[])
                .all(),
        )
        .unwrap();
    let n = members.len();

    // Grace's groups, then the members of site-admins.
    s.tui.type_text("hopp");
    s.tui
        .wait_until("Grace Hopper highlighted", TIMEOUT, |screen| {
            selected_in(screen) == ["Grace Hopper"]
        });
    s.tui.send(key::ENTER);
    s.tui.wait_for(GROUPS_KEYS);
    select_row(&mut s.tui, "^site-admins$", groups.len());
    s.tui.send(key::ENTER);
    s.tui.wait_for(&format!(r"3 Members · {n} of {n}\b"));

    // X: the prompt with the default name; Enter writes it.
    let file = "./confdir-members-site-admins.csv";
    s.tui.send("X");
    s.tui
        .wait_for(&format!(r"Export {n} members as CSV to: {}", escape(file)));
    s.tui.send(key::ENTER);
    s.tui
        .wait_for(&format!(r"Exported {n} members to {}", escape(file)));
    let text = std::fs::read_to_string(dir.path().join("confdir-members-site-admins.csv")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "accountId,displayName,publicName,email,accountType,isGuest,timeZone"
    );
    assert_eq!(lines.len(), n + 1, "{text}");
    for member in &members {
        let id = member.account_id.as_deref().unwrap();
        assert!(
            lines.iter().any(|l| l.starts_with(&format!("{id},"))),
            "{id} missing:\n{text}"
        );
    }

    // Again, as JSON (Tab), to a file that exists: asked, then overwritten with `y`.
    std::fs::write(dir.path().join("confdir-members-site-admins.json"), "old").unwrap();
    s.tui.send("X");
    s.tui.wait_for(r"Export \d+ members as CSV");
    s.tui.send(key::TAB);
    s.tui
        .wait_for(r"as JSON to: \./confdir-members-site-admins\.json");
    s.tui.send(key::ENTER);
    s.tui
        .wait_for(r"confdir-members-site-admins\.json exists: overwrite it\?");
    s.tui.send("y");
    s.tui.wait_for(&format!(
        r"Exported {n} members to \./confdir-members-site-admins\.json"
    ));
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("confdir-members-site-admins.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(json.as_array().unwrap().len(), n);

    quit_and_check_restored(&mut s.tui, "q");
}

#[test]
fn at_fetches_a_groups_emails_for_an_administrator_and_exports_them() {
    let dir = tempfile::tempdir().unwrap();
    let demo = crate::support::demo::Demo::start();
    let client = demo.client(false);
    let groups = demo
        .block_on(
            client
                .group_memberships(ADMIN_ACCOUNT_ID, Paging::first(200))
                .all(),
        )
        .unwrap();
    let admins = groups.iter().find(|g| g.name == "site-admins").unwrap();
    let n = demo
        .block_on(
            client
                .group_members(&admins.id, Paging::first(200), &[])
                .all(),
        )
        .unwrap()
        .len();
    let base = demo.base_url();
    let mut tui = Tui::spawn_with(Spawn {
        args: &["--base-url", &base],
        env: &[
            ("CONFLUENCE_BASE_URL", &base),
            ("CONFLUENCE_EMAIL", "admin@confdir.example"),
            ("CONFLUENCE_API_TOKEN", DEMO_ADMIN_TOKEN),
        ],
        home: Some(dir.path()),
        ..Spawn::default()
    });
    tui.wait_for(r"confdir · 127\.0\.0\.1:\d+ · Grace Hopper");
    tui.type_text("hopp");
    // Grace is the one signed in: her row is marked "you".
    tui.wait_until("Grace Hopper highlighted", TIMEOUT, |screen| {
        selected_in(screen)
            .first()
            .is_some_and(|row| row.starts_with("Grace Hopper"))
    });
    tui.send(key::ENTER);
    tui.wait_for(GROUPS_KEYS);
    select_row(&mut tui, "^site-admins$", groups.len());
    tui.send(key::ENTER);
    tui.wait_for(&format!(r"3 Members · {n} of {n}\b"));

    tui.send("@");
    tui.wait_for(&format!(
        r"Export {n} members \({n} emails, 0 hidden\) as CSV to: \./confdir-emails-site-admins\.csv"
    ));
    tui.send(key::ENTER);
    tui.wait_for(
        r"Exported \d+ members \(\d+ emails, 0 hidden\) to \./confdir-emails-site-admins\.csv",
    );
    let text = std::fs::read_to_string(dir.path().join("confdir-emails-site-admins.csv")).unwrap();
    assert_eq!(
        text.lines().next(),
        Some("accountId,displayName,email,hidden")
    );
    assert_eq!(text.lines().count(), n + 1, "{text}");
    assert!(
        text.contains(&format!(
            "{ADMIN_ACCOUNT_ID},Grace Hopper,admin@confdir.example,false"
        )),
        "{text}"
    );
    quit_and_check_restored(&mut tui, "q");
}

#[test]
fn x_on_a_group_with_more_pages_loads_them_all_then_exports_every_member() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Session::start_in(Some(dir.path()));
    let groups = s
        .demo
        .block_on(
            s.client
                .group_memberships(confdir::demo::DEMO_ACCOUNT_ID, Paging::first(200))
                .all(),
        )
        .unwrap();
    let everyone = groups
        .iter()
        .find(|g| g.name == "confluence-users")
        .unwrap();
    let n = s
        .demo
        .block_on(
            s.client
                .group_members(&everyone.id, Paging::first(200), &[])
                .all(),
        )
        .unwrap()
        .len();
    assert!(n > 500, "a group of many pages: {n}");

    // Ada's own groups, then confluence-users: its first page only.
    s.tui.type_text("lovelace");
    s.tui
        .wait_until("Ada Lovelace highlighted", TIMEOUT, |screen| {
            selected_in(screen)
                .first()
                .is_some_and(|row| row.starts_with("Ada Lovelace"))
        });
    s.tui.send(key::ENTER);
    s.tui.wait_for(GROUPS_KEYS);
    select_row(&mut s.tui, "^confluence-users$", groups.len());
    s.tui.send(key::ENTER);
    s.tui.wait_for(&format!(
        r"3 Members · \d+ of {}",
        escape(&confdir::ui::thousands(n))
    ));

    // X loads every page first; the prompt then counts them all.
    s.tui.send("X");
    let counted = escape(&confdir::ui::thousands(n));
    s.tui.wait_for(&format!(
        r"Export {counted} members as CSV to: \./confdir-members-confluence-users\.csv"
    ));
    s.tui.send(key::ENTER);
    s.tui.wait_for(&format!(
        r"Exported {counted} members to \./confdir-members-confluence-users\.csv"
    ));
    let text =
        std::fs::read_to_string(dir.path().join("confdir-members-confluence-users.csv")).unwrap();
    assert_eq!(text.lines().count(), n + 1);
    quit_and_check_restored(&mut s.tui, "q");
}
