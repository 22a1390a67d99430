//! Export tests: `X` opens a path prompt with a default name, the extension (or Tab) picks CSV or
//! JSON, an existing file is asked about, a failed write is logged and the prompt reopened, the
//! status line counts the rows (filtered, or only the pages loaded); `C` copies the rows as TSV
//! and refuses what OSC 52 cannot carry.

use super::*;
use crate::app::export::{ExportFailure, COPY_MAX_BYTES};
use crate::app::keymap::key_intent;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use pretty_assertions::assert_eq;

/// Alice's groups, then the members of `team-platform` (complete unless `more` says the site
/// has `more` members in all), with the groups pane focused.
fn members(s: &mut State, users: Vec<User>, more: Option<i64>) {
    let cmds = open_profile(s, "alice", "Alice");
    update(
        s,
        Loaded::Groups {
            id: groups_id(&cmds),
            account_id: "alice".into(),
            result: Ok(vec![group("g1", "team-platform")]),
        },
    );
    update(s, Intent::FocusPane(Focus::Groups));
    let cmds = update(s, Intent::Open);
    let id = match &cmds[..] {
        [Command::FetchMembers { id, .. }] => *id,
        other => panic!("{other:?}"),
    };
    let mut page = page(users, more.is_some());
    page.total_size = more;
    update(
        s,
        Loaded::Members {
            id,
            start: 0,
            result: Ok(page),
        },
    );
}

fn three() -> Vec<User> {
    let mut grace = user("grace", "Grace Hopper");
    grace.email = Some("grace@acme.example".into());
    vec![
        grace,
        user("bob", "Bob Stone"),
        user("formula", "=HYPERLINK(\"x\")"),
    ]
}

fn prompt_path(s: &State) -> String {
    s.export
        .prompt
        .as_ref()
        .expect("the prompt")
        .input
        .value()
        .to_string()
}

/// The one write command among `cmds`: path, text, overwrite.
fn written(cmds: &[Command]) -> (String, String, bool) {
    match cmds {
        [Command::WriteExport {
            path,
            text,
            overwrite,
        }] => (path.clone(), text.clone(), *overwrite),
        other => panic!("{other:?}"),
    }
}

#[test]
fn x_prompts_with_a_default_path_and_writes_csv_through_the_worker() {
    let mut s = state();
    members(&mut s, three(), None);
    let x = KeyEvent::new(KeyCode::Char('X'), KeyModifiers::SHIFT);
    assert_eq!(key_intent(&s, &x), Some(Intent::Export));
    assert!(update(&mut s, Intent::Export).is_empty());
    assert_eq!(prompt_path(&s), "./confdir-members-team-platform.csv");
    assert_eq!(s.mode, Mode::Editing, "the path is typed");

    let (path, text, overwrite) = written(&update(&mut s, Intent::Submit));
    assert_eq!(path, "./confdir-members-team-platform.csv");
    assert!(!overwrite, "an existing file is asked about first");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "accountId,displayName,publicName,email,accountType,isGuest,timeZone"
    );
    assert_eq!(lines.len(), 4);
    assert!(lines[1].starts_with("grace,Grace Hopper,grace hopper,grace@acme.example,"));
    assert!(
        lines[3].starts_with("formula,\"'=HYPERLINK(\"\"x\"\")\""),
        "a formula is neutralised: {}",
        lines[3]
    );
    assert!(s.export.prompt.is_none());
    assert_eq!(s.mode, Mode::Normal);

    update(
        &mut s,
        Done::Exported {
            path: path.clone(),
            result: Ok(()),
        },
    );
    assert_eq!(
        s.notice.as_deref(),
        Some("Exported 3 members to ./confdir-members-team-platform.csv")
    );
}

#[test]
fn the_extension_or_tab_chooses_json() {
    let mut s = state();
    members(&mut s, three(), None);
    update(&mut s, Intent::Export);
    update(&mut s, Intent::FocusNext);
    assert_eq!(prompt_path(&s), "./confdir-members-team-platform.json");
    update(&mut s, Intent::FocusNext);
    assert_eq!(prompt_path(&s), "./confdir-members-team-platform.csv");

    update(&mut s, Intent::Edit(InputRequest::DeleteLine));
    type_text(&mut s, "out/people.JSON");
    let (path, text, _) = written(&update(&mut s, Intent::Submit));
    assert_eq!(path, "out/people.JSON");
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 3);
    assert_eq!(json[0]["email"], "grace@acme.example");
    assert_eq!(json[1]["displayName"], "Bob Stone");
}

#[test]
fn an_existing_file_is_overwritten_only_when_the_user_says_so() {
    let mut s = state();
    members(&mut s, three(), None);
    update(&mut s, Intent::Export);
    let (path, _, _) = written(&update(&mut s, Intent::Submit));
    let exists = |s: &mut State| {
        update(
            s,
            Done::Exported {
                path: "./confdir-members-team-platform.csv".into(),
                result: Err(ExportFailure::Exists),
            },
        )
    };
    exists(&mut s);
    assert!(s.export.prompt.as_ref().unwrap().confirm_overwrite);
    assert_eq!(s.mode, Mode::Editing);

    // `n` goes back to the path, nothing written; Enter asks again.
    let cmds = update(&mut s, Intent::Edit(InputRequest::InsertChar('n')));
    assert!(cmds.is_empty());
    assert!(!s.export.prompt.as_ref().unwrap().confirm_overwrite);
    assert_eq!(prompt_path(&s), path, "the path is kept");
    let (_, _, overwrite) = written(&update(&mut s, Intent::Submit));
    assert!(!overwrite);
    exists(&mut s);

    // `y` overwrites.
    let (again, _, overwrite) =
        written(&update(&mut s, Intent::Edit(InputRequest::InsertChar('y'))));
    assert_eq!(again, path);
    assert!(overwrite);
    update(
        &mut s,
        Done::Exported {
            path,
            result: Ok(()),
        },
    );
    assert!(s.notice.unwrap().starts_with("Exported 3 members"));
}

#[test]
fn a_filtered_list_exports_the_rows_shown_and_says_so() {
    let mut s = state();
    members(&mut s, three(), None);
    update(&mut s, Intent::Filter);
    type_text(&mut s, "bob");
    update(&mut s, Intent::Submit);
    update(&mut s, Intent::Export);
    let (path, text, _) = written(&update(&mut s, Intent::Submit));
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.lines().nth(1).unwrap().starts_with("bob,Bob Stone,"));
    update(
        &mut s,
        Done::Exported {
            path,
            result: Ok(()),
        },
    );
    assert_eq!(
        s.notice.as_deref(),
        Some("Exported 1 of 3 members (filtered) to ./confdir-members-team-platform.csv")
    );
}

#[test]
fn x_on_a_list_with_more_pages_loads_them_all_first() {
    let mut s = state();
    members(&mut s, three(), Some(5));
    let (id, start) = members_page(&update(&mut s, Intent::Export));
    assert_eq!(start, 3, "the next page is asked for");
    assert!(s.export.prompt.is_none(), "no prompt before the last page");
    assert_eq!(
        s.notice.as_deref(),
        Some("Loading every page before exporting: 3 members so far… (Esc stops)")
    );
    let mut last = page(vec![user("cy", "Cy Last"), user("di", "Di Last")], false);
    last.total_size = Some(5);
    update(
        &mut s,
        Loaded::Members {
            id,
            start: 3,
            result: Ok(last),
        },
    );
    assert_eq!(prompt_path(&s), "./confdir-members-team-platform.csv");
    let (path, text, _) = written(&update(&mut s, Intent::Submit));
    assert_eq!(text.lines().count(), 6, "every member: {text}");
    update(
        &mut s,
        Done::Exported {
            path,
            result: Ok(()),
        },
    );
    assert_eq!(
        s.notice.as_deref(),
        Some("Exported 5 members to ./confdir-members-team-platform.csv")
    );
}

#[test]
fn a_page_that_fails_exports_what_was_loaded_and_says_so_and_esc_stops_the_loading() {
    let mut s = state();
    members(&mut s, three(), Some(1543));
    let (id, _) = members_page(&update(&mut s, Intent::Export));
    update(
        &mut s,
        Loaded::Members {
            id,
            start: 3,
            result: Err(ApiError::InvalidInput("boom".into())),
        },
    );
    let (path, _, _) = written(&update(&mut s, Intent::Submit));
    update(
        &mut s,
        Done::Exported {
            path,
            result: Ok(()),
        },
    );
    assert_eq!(
        s.notice.as_deref(),
        Some(
            "Exported 3 members (first 3 of 1,543 loaded: G loads all) to ./confdir-members-team-platform.csv"
        )
    );

    // Esc while the pages load: nothing is exported and the groups path stays.
    let mut s = state();
    members(&mut s, three(), Some(1543));
    let (id, _) = members_page(&update(&mut s, Intent::Export));
    assert!(update(&mut s, Intent::Back).is_empty());
    assert_eq!(
        s.notice.as_deref(),
        Some("Export stopped: not every page was loaded")
    );
    assert!(matches!(s.groups.last(), Some(GroupView::Members { .. })));
    let mut next = page(vec![user("cy", "Cy Last")], true);
    next.total_size = Some(1543);
    update(
        &mut s,
        Loaded::Members {
            id,
            start: 3,
            result: Ok(next),
        },
    );
    assert!(s.export.prompt.is_none());
}

#[test]
fn a_failed_write_is_logged_and_the_prompt_reopens_on_the_same_path() {
    let mut s = state();
    members(&mut s, three(), None);
    update(&mut s, Intent::Export);
    update(&mut s, Intent::Edit(InputRequest::DeleteLine));
    type_text(&mut s, "/nope/x.csv");
    let (path, _, _) = written(&update(&mut s, Intent::Submit));
    update(
        &mut s,
        Done::Exported {
            path,
            result: Err(ExportFailure::Io("Permission denied (os error 13)".into())),
        },
    );
    assert_eq!(
        s.last_error.as_deref(),
        Some("Could not export to /nope/x.csv: Permission denied (os error 13)")
    );
    assert_eq!(s.errors.len(), 1);
    assert_eq!(prompt_path(&s), "/nope/x.csv");
    assert_eq!(s.mode, Mode::Editing);
    // Esc gives up: nothing is written.
    assert!(update(&mut s, Intent::Cancel).is_empty());
    assert!(s.export.prompt.is_none());
    assert_eq!(s.notice.as_deref(), Some("Export cancelled"));
}

#[test]
fn c_copies_the_rows_as_tsv_and_refuses_more_than_osc52_carries() {
    let mut s = state();
    members(&mut s, three(), None);
    let c = KeyEvent::new(KeyCode::Char('C'), KeyModifiers::SHIFT);
    assert_eq!(key_intent(&s, &c), Some(Intent::CopyList));
    let cmds = update(&mut s, Intent::CopyList);
    match &cmds[..] {
        [Command::Copy { text }] => {
            assert!(text.starts_with("accountId\tdisplayName\t"));
            assert_eq!(text.lines().count(), 4);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        s.notice.as_deref(),
        Some("Copied 3 members to the clipboard (tab-separated)")
    );

    let mut big = state();
    let many: Vec<User> = (0..1500)
        .map(|i| user(&format!("id-{i:040}"), &format!("Person Number {i:040}")))
        .collect();
    members(&mut big, many, None);
    let cmds = update(&mut big, Intent::CopyList);
    assert!(cmds.is_empty(), "nothing goes to the clipboard: {cmds:?}");
    let notice = big.notice.unwrap();
    assert!(notice.starts_with("1,500 members are "), "{notice}");
    assert!(
        notice.ends_with(&format!(
            "more than a terminal's clipboard takes ({} kB by OSC 52): export them with X",
            COPY_MAX_BYTES / 1000
        )),
        "{notice}"
    );
}

#[test]
fn the_search_box_exports_its_results_with_alt_x() {
    let mut s = state();
    loaded_me(&mut s);
    update(&mut s, Intent::StartSearch);
    let cmds = type_text(&mut s, "lee");
    update(
        &mut s,
        Loaded::Search {
            id: search_id(&cmds),
            query: "lee".into(),
            start: 0,
            result: Ok(hits(vec![user("a", "Ann Lee"), user("b", "Bo Lee")])),
        },
    );
    let alt_x = KeyEvent::new(KeyCode::Char('x'), KeyModifiers::ALT);
    assert_eq!(key_intent(&s, &alt_x), Some(Intent::Export));
    let plain_x = KeyEvent::new(KeyCode::Char('X'), KeyModifiers::SHIFT);
    assert!(
        matches!(key_intent(&s, &plain_x), Some(Intent::Edit(_))),
        "X types in the search box"
    );
    update(&mut s, Intent::Export);
    assert_eq!(prompt_path(&s), "./confdir-search-lee.csv");
    // Enter writes (in the search box Enter is `Open`).
    let shown = names(&s);
    assert!(shown.contains(&"Ann Lee".to_string()), "{shown:?}");
    let (_, text, _) = written(&update(&mut s, Intent::Open));
    let exported: Vec<&str> = text.lines().skip(1).collect();
    assert_eq!(exported.len(), shown.len(), "every result shown, none else");
    for (line, name) in exported.iter().zip(&shown) {
        assert!(line.contains(name.as_str()), "{line} / {name}");
    }
    assert_eq!(s.mode, Mode::Editing, "back in the search box");
    assert_eq!(s.search.input.value(), "lee", "the query is untouched");
}

/// Signs in as `me`, an administrator when `admin`, then shows the members of team-platform.
fn members_as(s: &mut State, admin: bool) {
    let cmds = init(s);
    let id = cmds
        .iter()
        .find_map(|c| match c {
            Command::FetchMe { id } => Some(*id),
            _ => None,
        })
        .unwrap();
    let mut me = user("me", "Grace Hopper");
    if admin {
        me.operations = Some(vec![crate::api::model::OperationCheck {
            operation: "administer".into(),
            target_type: "application".into(),
        }]);
    }
    update(s, Loaded::Me { id, result: Ok(me) });
    members(s, three(), None);
}

fn emails_id(cmds: &[Command]) -> RequestId {
    match cmds {
        [Command::FetchGroupEmails { id, group_id }] => {
            assert_eq!(group_id, "g1");
            *id
        }
        other => panic!("{other:?}"),
    }
}

fn email(id: &str, name: &str, email: Option<&str>) -> crate::api::email::MemberEmail {
    crate::api::email::MemberEmail {
        account_id: id.into(),
        display_name: name.into(),
        email: email.map(str::to_string),
        hidden: email.is_none(),
    }
}

#[test]
fn at_fetches_a_groups_emails_with_progress_then_offers_them_hidden_rows_kept() {
    let mut s = state();
    members_as(&mut s, true);
    let at = KeyEvent::new(KeyCode::Char('@'), KeyModifiers::NONE);
    assert_eq!(key_intent(&s, &at), Some(Intent::GroupEmails));
    let id = emails_id(&update(&mut s, Intent::GroupEmails));
    update(
        &mut s,
        Done::GroupEmailsProgress {
            id,
            members: 250,
            asked: 100,
        },
    );
    assert_eq!(
        s.notice.as_deref(),
        Some("Email addresses: 100 of 250 members asked… (Esc stops)")
    );
    update(
        &mut s,
        Loaded::GroupEmails {
            id,
            result: Ok(vec![
                email("grace", "Grace Hopper", Some("grace@acme.example")),
                email("bob", "Bob Stone", None),
                email("formula", "x", Some("f@acme.example")),
            ]),
        },
    );
    // The rows open the export prompt at once.
    assert_eq!(prompt_path(&s), "./confdir-emails-team-platform.csv");
    let (path, text, _) = written(&update(&mut s, Intent::Submit));
    assert_eq!(
        text,
        "accountId,displayName,email,hidden\n\
         grace,Grace Hopper,grace@acme.example,false\n\
         bob,Bob Stone,,true\n\
         formula,x,f@acme.example,false\n"
    );
    update(
        &mut s,
        Done::Exported {
            path,
            result: Ok(()),
        },
    );
    assert_eq!(
        s.notice.as_deref(),
        Some("Exported 3 members (2 emails, 1 hidden) to ./confdir-emails-team-platform.csv")
    );
    // C on the same members list copies the addresses too.
    match &update(&mut s, Intent::CopyList)[..] {
        [Command::Copy { text }] => {
            assert!(text.starts_with("accountId\tdisplayName\temail\thidden\n"));
            assert!(text.contains("bob\tBob Stone\t\ttrue\n"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn at_is_refused_to_a_non_administrator_before_anything_is_sent() {
    let mut s = state();
    members_as(&mut s, false);
    assert!(update(&mut s, Intent::GroupEmails).is_empty());
    assert_eq!(
        s.notice.as_deref(),
        Some(
            "Only Confluence administrators can list a group's email addresses; nothing was sent."
        )
    );
}

#[test]
fn a_site_without_the_email_api_is_said_in_a_sentence() {
    let mut s = state();
    members_as(&mut s, true);
    let id = emails_id(&update(&mut s, Intent::GroupEmails));
    update(
        &mut s,
        Loaded::GroupEmails {
            id,
            result: Err(ApiError::NotImplemented {
                endpoint: "GET /user/email/bulk".into(),
                message: "This API is not enabled for this site.".into(),
            }),
        },
    );
    let error = s.last_error.clone().unwrap();
    assert!(
        error.starts_with("This site does not give confdir email addresses"),
        "{error}"
    );
    assert!(error.contains("(501)"), "{error}");
    assert!(s.export.prompt.is_none());
}

#[test]
fn esc_stops_fetching_emails_and_a_late_answer_is_dropped() {
    let mut s = state();
    members_as(&mut s, true);
    let id = emails_id(&update(&mut s, Intent::GroupEmails));
    let cmds = update(&mut s, Intent::Back);
    assert_eq!(
        cmds,
        vec![Command::Abort {
            slot: crate::app::request::Slot::GroupEmails
        }]
    );
    assert!(
        matches!(s.groups.last(), Some(GroupView::Members { .. })),
        "Esc stopped the fetch, it did not walk back"
    );
    assert_eq!(
        s.notice.as_deref(),
        Some("Stopped fetching the email addresses")
    );
    update(
        &mut s,
        Loaded::GroupEmails {
            id,
            result: Ok(vec![email("grace", "Grace Hopper", None)]),
        },
    );
    assert!(s.export.prompt.is_none());
    // The next Esc walks back as usual.
    update(&mut s, Intent::Back);
    assert!(matches!(
        s.groups.last(),
        Some(GroupView::Memberships { .. })
    ));
}
