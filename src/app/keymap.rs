//! Keys → intents, as one table. The footer hints and the help overlay are generated from the
//! same table, so what the screen says is what the keys do. A key only ever means an [`Intent`]:
//! answers and runtime events never come from here.

use super::action::Intent;
use super::state::{Focus, Mode, Overlay, State};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every pane, in normal mode.
    Global,
    /// One pane, in normal mode.
    Pane(Focus),
}

/// One row of the keymap.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    /// The keys, as (code, modifiers).
    pub keys: &'static [(KeyCode, KeyModifiers)],
    /// How the keys are written in hints and help.
    pub label: &'static str,
    /// What it does, in a few words.
    pub help: &'static str,
    /// Where the keys mean this.
    pub scope: Scope,
    /// Shown in the footer when its scope is focused.
    pub footer: bool,
    /// What the keys ask for.
    pub intent: fn() -> Intent,
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;

macro_rules! bind {
    ($scope:expr, $footer:expr, $label:expr, $help:expr, [$($key:expr),+], $action:expr) => {
        Binding {
            keys: &[$($key),+],
            label: $label,
            help: $help,
            scope: $scope,
            footer: $footer,
            intent: $action,
        }
    };
}

use KeyCode::{BackTab, Backspace, Char, Down, End, Enter, Esc, Home, PageDown, PageUp, Tab, Up};
use Scope::{Global, Pane};

/// The keymap, in help order.
pub static BINDINGS: &[Binding] = &[
    bind!(
        Pane(Focus::Search),
        true,
        "/",
        "edit the search",
        [(Char('/'), NONE), (Char('i'), NONE)],
        || Intent::StartSearch
    ),
    bind!(
        Pane(Focus::Search),
        true,
        "Enter",
        "open the profile",
        [(Enter, NONE)],
        || Intent::Open
    ),
    bind!(
        Pane(Focus::Profile),
        true,
        "Enter",
        "show the property's value",
        [(Enter, NONE)],
        || Intent::Open
    ),
    bind!(
        Pane(Focus::Profile),
        false,
        "Esc",
        "close the property",
        [(Esc, NONE)],
        || Intent::Back
    ),
    bind!(
        Pane(Focus::Groups),
        true,
        "Enter",
        "members / open member",
        [(Enter, NONE), (Char('l'), NONE)],
        || Intent::Open
    ),
    bind!(
        Pane(Focus::Groups),
        true,
        "Esc",
        "back",
        [(Esc, NONE), (Backspace, NONE), (Char('h'), NONE)],
        || Intent::Back
    ),
    bind!(
        Pane(Focus::Watchlist),
        true,
        "w",
        "toggle watch",
        [(Char('w'), NONE), (Enter, NONE), (Char(' '), NONE)],
        || Intent::ToggleWatch
    ),
    bind!(
        Pane(Focus::Watchlist),
        true,
        "p",
        "pin label/page",
        [(Char('p'), NONE)],
        || Intent::StartPin
    ),
    bind!(
        Pane(Focus::Watchlist),
        false,
        "d",
        "unpin",
        [(Char('d'), NONE), (KeyCode::Delete, NONE)],
        || Intent::Unpin
    ),
    bind!(
        Pane(Focus::Watchlist),
        true,
        "f",
        "filter",
        [(Char('f'), NONE)],
        || Intent::StartFilter
    ),
    bind!(
        Pane(Focus::Watchlist),
        false,
        "a",
        "yours / colleague's (admins)",
        [(Char('a'), NONE)],
        || Intent::ToggleWatchSubject
    ),
    bind!(
        Pane(Focus::Watchlist),
        false,
        "Esc",
        "clear the filter",
        [(Esc, NONE)],
        || Intent::Back
    ),
    bind!(Global, true, "Tab", "next pane", [(Tab, NONE)], || {
        Intent::FocusNext
    }),
    bind!(
        Global,
        false,
        "S-Tab",
        "previous pane",
        [(BackTab, SHIFT), (BackTab, NONE)],
        || Intent::FocusPrev
    ),
    bind!(
        Global,
        false,
        "1",
        "search pane",
        [(Char('1'), NONE)],
        || Intent::FocusPane(Focus::Search)
    ),
    bind!(
        Global,
        false,
        "2",
        "profile pane",
        [(Char('2'), NONE)],
        || Intent::FocusPane(Focus::Profile)
    ),
    bind!(
        Global,
        false,
        "3",
        "groups pane",
        [(Char('3'), NONE)],
        || Intent::FocusPane(Focus::Groups)
    ),
    bind!(
        Global,
        false,
        "4",
        "watch list pane",
        [(Char('4'), NONE)],
        || Intent::FocusPane(Focus::Watchlist)
    ),
    bind!(
        Global,
        false,
        "↑/k",
        "up",
        [(Up, NONE), (Char('k'), NONE)],
        || Intent::Up
    ),
    bind!(
        Global,
        false,
        "↓/j",
        "down",
        [(Down, NONE), (Char('j'), NONE)],
        || Intent::Down
    ),
    bind!(
        Global,
        false,
        "PgUp",
        "page up",
        [(PageUp, NONE), (Char('u'), CTRL), (Char('b'), CTRL)],
        || Intent::PageUp
    ),
    bind!(
        Global,
        false,
        "PgDn",
        "page down",
        [(PageDown, NONE), (Char('d'), CTRL), (Char('f'), CTRL)],
        || Intent::PageDown
    ),
    bind!(
        Global,
        false,
        "g/Home",
        "first",
        [(Char('g'), NONE), (Home, NONE)],
        || Intent::Top
    ),
    bind!(
        Global,
        false,
        "G/End",
        "last",
        [(Char('G'), SHIFT), (Char('G'), NONE), (End, NONE)],
        || Intent::Bottom
    ),
    bind!(
        Global,
        true,
        "y",
        "copy account id",
        [(Char('y'), NONE)],
        || Intent::Copy { email: false }
    ),
    bind!(
        Global,
        false,
        "Y",
        "copy email",
        [(Char('Y'), SHIFT), (Char('Y'), NONE)],
        || Intent::Copy { email: true }
    ),
    bind!(
        Global,
        true,
        "o",
        "open in browser",
        [(Char('o'), NONE)],
        || Intent::OpenInBrowser
    ),
    bind!(
        Global,
        false,
        "r",
        "refresh the pane",
        [(Char('r'), NONE), (KeyCode::F(5), NONE)],
        || Intent::Refresh
    ),
    bind!(
        Global,
        false,
        "E",
        "error log",
        [(Char('E'), SHIFT), (Char('E'), NONE)],
        || Intent::ToggleErrorLog
    ),
    bind!(
        Global,
        false,
        "x",
        "dismiss the error",
        [(Char('x'), NONE)],
        || Intent::DismissError
    ),
    bind!(Global, false, "/", "search", [(Char('/'), NONE)], || {
        Intent::StartSearch
    }),
    bind!(
        Global,
        true,
        "?",
        "help",
        [(Char('?'), NONE), (Char('?'), SHIFT), (KeyCode::F(1), NONE)],
        || Intent::ToggleHelp
    ),
    bind!(
        Global,
        true,
        "q",
        "quit",
        [(Char('q'), NONE), (Char('c'), CTRL)],
        || Intent::Quit
    ),
];

fn matches(binding: &Binding, key: &KeyEvent) -> bool {
    binding
        .keys
        .iter()
        .any(|(code, mods)| *code == key.code && *mods == key.modifiers)
}

/// The intent of a terminal event (a key or a paste) in the current state, if any.
pub fn intent_for(state: &State, event: &Event) -> Option<Intent> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => key_intent(state, key),
        Event::Paste(text) if state.mode == Mode::Editing => Some(Intent::Paste(text.clone())),
        _ => None,
    }
}

/// The intent of a key press.
pub fn key_intent(state: &State, key: &KeyEvent) -> Option<Intent> {
    if key.code == Char('c') && key.modifiers == CTRL {
        return Some(Intent::Quit);
    }
    if state.mode == Mode::Editing {
        return editing_intent(state, key);
    }
    if state.overlay == Overlay::Errors {
        match key.code {
            Esc | Char('q') | Char('E') => return Some(Intent::ToggleErrorLog),
            _ => {}
        }
    }
    let scope = Pane(state.focus);
    BINDINGS
        .iter()
        .filter(|b| b.scope == scope)
        .chain(BINDINGS.iter().filter(|b| b.scope == Global))
        .find(|b| matches(b, key))
        .map(|b| (b.intent)())
        .or_else(|| (key.code == Esc).then_some(Intent::Back))
}

/// Keys while a text input is active: line editing, plus a few that leave or move. confdir
/// starts with the search box active so a name can be typed at once; while the query is still
/// empty, `1`–`4` and `?` keep their pane-jump and help meaning (no name starts with them).
fn editing_intent(state: &State, key: &KeyEvent) -> Option<Intent> {
    let empty_query = state.active_input() == super::state::ActiveInput::Query
        && state.search.input.value().is_empty();
    if empty_query && key.modifiers == NONE {
        match key.code {
            Char(c @ '1'..='4') => {
                return Some(Intent::FocusPane(Focus::ALL[c as usize - '1' as usize]))
            }
            Char('?') => return Some(Intent::ToggleHelp),
            _ => {}
        }
    }
    match (key.code, key.modifiers) {
        (Esc, _) => Some(Intent::Cancel),
        (Enter, _) => Some(Intent::Submit),
        (Tab, NONE) => Some(Intent::FocusNext),
        (BackTab, _) => Some(Intent::FocusPrev),
        (Up, NONE) => Some(Intent::Up),
        (Down, NONE) => Some(Intent::Down),
        (Char('p'), CTRL) => Some(Intent::Up),
        (Char('n'), CTRL) => Some(Intent::Down),
        (PageUp, _) => Some(Intent::PageUp),
        (PageDown, _) => Some(Intent::PageDown),
        _ => tui_input::backend::crossterm::to_input_request(&Event::Key(*key)).map(Intent::Edit),
    }
}

/// Bindings shown in the footer for the focused pane, then the global ones.
pub fn footer_hints(focus: Focus, mode: Mode) -> Vec<(&'static str, &'static str)> {
    if mode == Mode::Editing {
        return vec![
            ("Enter", "done"),
            ("Esc", "cancel"),
            ("↑/↓", "move"),
            ("Tab", "next pane"),
            ("C-w", "delete word"),
            ("C-c", "quit"),
        ];
    }
    BINDINGS
        .iter()
        .filter(|b| b.footer && b.scope == Pane(focus))
        .chain(BINDINGS.iter().filter(|b| b.footer && b.scope == Global))
        .map(|b| (b.label, b.help))
        .collect()
}

/// Every binding of the focused pane and the global ones, filtered by `filter` (case-insensitive,
/// on key or description), for the help overlay.
pub fn help_rows(focus: Focus, filter: &str) -> Vec<&'static Binding> {
    let needle = filter.trim().to_lowercase();
    BINDINGS
        .iter()
        .filter(|b| b.scope == Pane(focus))
        .chain(BINDINGS.iter().filter(|b| b.scope == Global))
        .filter(|b| {
            needle.is_empty()
                || b.help.to_lowercase().contains(&needle)
                || b.label.to_lowercase().contains(&needle)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

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
        assert!(footer.contains(&("w", "toggle watch")));
        assert!(footer.contains(&("q", "quit")));
        let help = help_rows(Focus::Watchlist, "pin");
        assert!(help.iter().any(|b| b.label == "p"));
        assert!(help
            .iter()
            .all(|b| b.help.contains("pin") || b.label.contains("pin")));
    }
}
