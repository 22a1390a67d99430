//! The keymap: keys per pane and mode, and the footer and help generated from the table.

use super::*;
use chrono::Utc;
use crossterm::event::KeyCode::{BackTab, Char, Enter, Esc, Tab};

const NONE: KeyModifiers = KeyModifiers::NONE;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;

fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
    KeyEvent::new(code, mods)
}

fn normal(focus: Focus) -> State {
    let mut s = State::new("test", Vec::new(), Utc::now());
    s.focus = focus;
    s.mode = Mode::Normal;
    s
}

#[test]
fn table_maps_keys_per_pane() {
    let cases: Vec<(Focus, KeyEvent, Option<&str>)> = vec![
        (Focus::Search, key(Char('j'), NONE), Some("Down")),
        (Focus::Groups, key(Enter, NONE), Some("Open")),
        (Focus::Groups, key(Esc, NONE), Some("Back")),
        (Focus::Watchlist, key(Char('w'), NONE), Some("ToggleWatch")),
        (Focus::Watchlist, key(Char('p'), NONE), Some("StartPin")),
        (Focus::Profile, key(Char('w'), NONE), None),
        (
            Focus::Profile,
            key(Char('3'), NONE),
            Some("FocusPane(Groups)"),
        ),
        (Focus::Search, key(Tab, NONE), Some("FocusNext")),
        (Focus::Search, key(BackTab, SHIFT), Some("FocusPrev")),
        (Focus::Watchlist, key(Char('q'), NONE), Some("Quit")),
        (Focus::Search, key(Char('?'), NONE), Some("ToggleHelp")),
        (Focus::Search, key(Char('G'), SHIFT), Some("Bottom")),
    ];
    for (focus, k, want) in cases {
        let got = key_intent(&normal(focus), &k).map(|a| format!("{a:?}"));
        assert_eq!(got.as_deref(), want, "{focus:?} {k:?}");
    }
}

#[test]
fn editing_sends_letters_to_the_input_but_ctrl_c_still_quits() {
    let mut s = normal(Focus::Search);
    s.mode = Mode::Editing;
    assert!(matches!(
        key_intent(&s, &key(Char('q'), NONE)),
        Some(Intent::Edit(tui_input::InputRequest::InsertChar('q')))
    ));
    assert!(matches!(
        key_intent(&s, &key(Char('w'), CTRL)),
        Some(Intent::Edit(tui_input::InputRequest::DeletePrevWord))
    ));
    assert!(matches!(
        key_intent(&s, &key(Char('c'), CTRL)),
        Some(Intent::Quit)
    ));
    assert!(matches!(
        key_intent(&s, &key(Esc, NONE)),
        Some(Intent::Cancel)
    ));
}

#[test]
fn footer_and_help_come_from_the_table() {
    let footer = footer_hints(Focus::Watchlist, Mode::Normal);
    let has = |key: &str, help: &str| footer.iter().any(|h| h.key == key && h.help == help);
    assert!(has("w", "toggle watch"));
    assert!(has("q", "quit"));
    let help = help_rows(Focus::Watchlist, "pin");
    assert!(help.iter().any(|r| r.keys == "p"));
    assert!(help
        .iter()
        .all(|r| r.heading || r.help.contains("pin") || r.keys.contains("pin")));
}

/// Help and quit are the hints the footer keeps when it is narrow.
#[test]
fn help_and_quit_are_the_footer_hints_kept() {
    for focus in Focus::ALL {
        let kept: Vec<_> = footer_hints(focus, Mode::Normal)
            .into_iter()
            .filter(|h| h.keep)
            .map(|h| h.key)
            .collect();
        assert_eq!(kept, ["?", "q"], "{focus:?}");
    }
    let kept: Vec<_> = footer_hints(Focus::Search, Mode::Editing)
        .into_iter()
        .filter(|h| h.keep)
        .map(|h| h.key)
        .collect();
    assert_eq!(kept, ["F1", "C-c"]);
}

/// Every key that does something in a pane is in that pane's help: its own keys, the global
/// ones it does not take over, and a text box's (each written once: `/` is not listed twice).
#[test]
fn every_bound_key_appears_in_help() {
    for focus in Focus::ALL {
        let rows = help_rows(focus, "");
        let listed: Vec<String> = rows
            .iter()
            .filter(|r| !r.heading)
            .flat_map(|r| r.keys.split(", ").map(str::to_string).collect::<Vec<_>>())
            .collect();
        let mut s = normal(focus);
        for b in BINDINGS {
            for &(code, mods) in b.keys {
                let name = key_name((code, mods));
                let applies = match b.scope {
                    Scope::Pane(p) => p == focus,
                    Scope::Global => {
                        s.mode = Mode::Normal;
                        // Listed under the pane instead when the pane takes the key over.
                        key_intent(&s, &KeyEvent::new(code, mods)) == Some((b.intent)())
                    }
                    Scope::Editing => true,
                };
                if applies {
                    assert!(
                        listed.contains(&name),
                        "{focus:?}: {name} ({}) is not in help: {listed:?}",
                        b.help
                    );
                }
            }
        }
        for name in ["l", "h", "Backspace", "Space", "C-w", "C-u"] {
            let in_pane = match name {
                "l" | "h" | "Backspace" => focus == Focus::Groups,
                "Space" => focus == Focus::Watchlist,
                _ => true,
            };
            if in_pane {
                assert!(listed.iter().any(|k| k == name), "{focus:?}: {name}");
            }
        }
        let slashes = listed.iter().filter(|k| *k == "/").count();
        assert!(slashes <= 1, "{focus:?}: / listed {slashes} times");
    }
}

/// The line-editing keys help lists are the ones the text box really has.
#[test]
fn the_text_keys_in_help_are_the_text_boxs() {
    use tui_input::backend::crossterm::to_input_request;
    let alt = KeyModifiers::ALT;
    let meta = KeyModifiers::META;
    let keys = [
        (KeyCode::Left, NONE),
        (KeyCode::Right, NONE),
        (Char('b'), CTRL),
        (Char('f'), CTRL),
        (KeyCode::Left, CTRL),
        (KeyCode::Right, CTRL),
        (Char('b'), meta),
        (Char('f'), meta),
        (KeyCode::Home, NONE),
        (KeyCode::End, NONE),
        (Char('a'), CTRL),
        (Char('e'), CTRL),
        (KeyCode::Backspace, NONE),
        (KeyCode::Delete, NONE),
        (Char('w'), CTRL),
        (KeyCode::Backspace, alt),
        (Char('u'), CTRL),
        (Char('k'), CTRL),
        (Char('y'), CTRL),
    ];
    let mut s = normal(Focus::Search);
    s.mode = Mode::Editing;
    s.search.input = tui_input::Input::new("ada".into());
    for (code, mods) in keys {
        let event = Event::Key(KeyEvent::new(code, mods));
        assert!(to_input_request(&event).is_some(), "{code:?} {mods:?}");
        assert!(
            matches!(
                key_intent(&s, &KeyEvent::new(code, mods)),
                Some(Intent::Edit(_))
            ),
            "{code:?} {mods:?} reaches the text box"
        );
    }
    let documented: Vec<&str> = TEXT_KEYS
        .iter()
        .flat_map(|(keys, _)| keys.split(", "))
        .collect();
    for name in [
        "←", "→", "C-b", "C-f", "Home", "End", "C-w", "C-u", "C-k", "C-y",
    ] {
        assert!(documented.contains(&name), "{name}");
    }
}

/// The search box types every printable key (`q`, `o`, `r`, `/`, `?`, digits); its own keys open,
/// clear, leave with Alt and a pane number, and walk the history.
#[test]
fn the_search_box_types_printable_keys_and_keeps_its_own_keys() {
    let mut s = normal(Focus::Search);
    s.mode = Mode::Editing;
    for c in ['q', 'o', 'r', '/', '?', '1', '4', 'j', 's', 'E', 'x'] {
        assert_eq!(
            key_intent(&s, &key(Char(c), NONE)),
            Some(Intent::Edit(tui_input::InputRequest::InsertChar(c))),
            "{c}"
        );
    }
    let alt = KeyModifiers::ALT;
    let cases = [
        (key(Enter, NONE), Intent::Open),
        (key(Esc, NONE), Intent::Cancel),
        (key(Char('2'), alt), Intent::FocusPane(Focus::Profile)),
        (key(Char('4'), alt), Intent::FocusPane(Focus::Watchlist)),
        (key(Tab, NONE), Intent::FocusNext),
        (key(KeyCode::Down, NONE), Intent::Down),
        (key(Char('n'), CTRL), Intent::Down),
        (key(Char('p'), CTRL), Intent::Up),
        (key(KeyCode::PageDown, NONE), Intent::PageDown),
        (key(KeyCode::F(1), NONE), Intent::ToggleHelp),
        (key(Char('o'), CTRL), Intent::HistoryBack),
        (key(KeyCode::Left, alt), Intent::HistoryBack),
        (key(KeyCode::Right, alt), Intent::HistoryForward),
        (key(Char('c'), CTRL), Intent::Quit),
    ];
    for (k, want) in cases {
        assert_eq!(key_intent(&s, &k), Some(want), "{k:?}");
    }
    // The other panes reach the history with the same keys.
    let g = normal(Focus::Groups);
    assert_eq!(
        key_intent(&g, &key(Char('o'), CTRL)),
        Some(Intent::HistoryBack)
    );
    assert_eq!(
        key_intent(&g, &key(KeyCode::Right, alt)),
        Some(Intent::HistoryForward)
    );
}

/// The Search pane's footer says what its Enter and Esc do (once each), keeps F1 help and
/// Ctrl-C quit, and its help lists its keys under the pane and the global ones as the other
/// panes'.
#[test]
fn the_search_panes_footer_and_help_say_what_its_keys_do() {
    let footer = footer_hints(Focus::Search, Mode::Editing);
    let keys: Vec<_> = footer.iter().map(|h| (h.key, h.help)).collect();
    assert!(keys.contains(&("Enter", "open")), "{keys:?}");
    assert!(keys.contains(&("Esc", "clear the query")), "{keys:?}");
    assert_eq!(footer.iter().filter(|h| h.key == "Enter").count(), 1);
    assert_eq!(footer.iter().filter(|h| h.key == "Esc").count(), 1);
    let kept: Vec<_> = footer.iter().filter(|h| h.keep).map(|h| h.key).collect();
    assert_eq!(kept, ["F1", "C-c"]);
    let help = help_rows(Focus::Search, "");
    let headings: Vec<_> = help.iter().filter(|r| r.heading).map(|r| r.help).collect();
    assert_eq!(
        headings,
        ["Search pane", "In the other panes", "In a text box"]
    );
    assert!(help
        .iter()
        .any(|r| r.keys == "M-2" && r.help == "profile pane"));
    assert!(help.iter().any(|r| r.keys == "C-o, M-←"));
    assert!(!help
        .iter()
        .any(|r| r.help == "leave the box" && r.keys == "Esc"));
}

fn keys_of(text: &str) -> Vec<Event> {
    text.chars()
        .map(|c| {
            let (code, mods) = match c {
                '\r' => (Enter, NONE),
                '\n' => (Char('j'), CTRL),
                '\t' => (Tab, NONE),
                c => (Char(c), NONE),
            };
            Event::Key(KeyEvent::new(code, mods))
        })
        .collect()
}

/// Defect 11, without bracketed paste: a pasted line break arrives as Enter (or Ctrl-J) among the
/// keys of one read; inside the text it becomes a space, and a trailing Enter still opens.
#[test]
fn a_line_break_inside_a_burst_of_keys_is_a_space() {
    let mut s = normal(Focus::Search);
    s.mode = Mode::Editing;
    for (pasted, typed) in [
        ("Ada\rLovelace", "Ada Lovelace"),
        ("Ada\nLovelace", "Ada Lovelace"),
        ("Ada\r\nLovelace", "Ada  Lovelace"),
        ("Ada\tLovelace\r", "Ada Lovelace\r"),
    ] {
        assert_eq!(unburst(&s, keys_of(pasted)), keys_of(typed), "{pasted:?}");
    }
    // Outside a text box, keys keep their meaning.
    let g = normal(Focus::Groups);
    assert_eq!(unburst(&g, keys_of("j\rj")), keys_of("j\rj"));
}
