//! The keymap table itself: every binding of every pane, the global ones, and those of a text
//! box, in the order help lists them. Data only: resolving a key and generating the footer and
//! help from this table is `mod.rs`'s.

use super::{Binding, Scope};
use crate::app::action::Intent;
use crate::app::state::Focus;
use crossterm::event::{KeyCode, KeyModifiers};

const NONE: KeyModifiers = KeyModifiers::NONE;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;
const ALT: KeyModifiers = KeyModifiers::ALT;

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

use KeyCode::{
    BackTab, Backspace, Char, Down, End, Enter, Esc, Home, Left, PageDown, PageUp, Right, Tab, Up,
    F,
};
use Scope::{Editing, Global, Pane};

/// The keymap, in help order.
pub static BINDINGS: &[Binding] = &[
    bind!(Editing, true, "Enter", "done", [(Enter, NONE)], || {
        Intent::Submit
    }),
    bind!(Editing, true, "Esc", "leave the box", [(Esc, NONE)], || {
        Intent::Cancel
    }),
    bind!(
        Editing,
        false,
        "↑",
        "up in the list",
        [(Up, NONE), (Char('p'), CTRL)],
        || Intent::Up
    ),
    bind!(
        Editing,
        false,
        "↓",
        "down in the list",
        [(Down, NONE), (Char('n'), CTRL)],
        || Intent::Down
    ),
    bind!(
        Editing,
        false,
        "PgUp",
        "page up in the list",
        [(PageUp, NONE)],
        || Intent::PageUp
    ),
    bind!(
        Editing,
        false,
        "PgDn",
        "page down in the list",
        [(PageDown, NONE)],
        || Intent::PageDown
    ),
    bind!(Editing, true, "Tab", "next pane", [(Tab, NONE)], || {
        Intent::FocusNext
    }),
    bind!(
        Editing,
        false,
        "S-Tab",
        "previous pane",
        [(BackTab, SHIFT), (BackTab, NONE)],
        || Intent::FocusPrev
    ),
    bind!(Editing, true, "F1", "help", [(F(1), NONE)], || {
        Intent::ToggleHelp
    }),
    bind!(Editing, true, "C-c", "quit", [(Char('c'), CTRL)], || {
        Intent::Quit
    }),
    bind!(
        Editing,
        false,
        "C-z",
        "suspend to the shell (fg returns)",
        [(Char('z'), CTRL)],
        || Intent::Suspend
    ),
    bind!(
        Pane(Focus::Search),
        true,
        "Enter",
        "open",
        [(Enter, NONE)],
        || Intent::Open
    ),
    bind!(
        Pane(Focus::Search),
        true,
        "Esc",
        "clear the query",
        [(Esc, NONE)],
        || Intent::Cancel
    ),
    bind!(
        Pane(Focus::Search),
        false,
        "M-1",
        "search pane",
        [(Char('1'), ALT)],
        || Intent::FocusPane(Focus::Search)
    ),
    bind!(
        Pane(Focus::Search),
        false,
        "M-2",
        "profile pane",
        [(Char('2'), ALT)],
        || Intent::FocusPane(Focus::Profile)
    ),
    bind!(
        Pane(Focus::Search),
        false,
        "M-3",
        "groups pane",
        [(Char('3'), ALT)],
        || Intent::FocusPane(Focus::Groups)
    ),
    bind!(
        Pane(Focus::Search),
        false,
        "M-4",
        "watch list pane",
        [(Char('4'), ALT)],
        || Intent::FocusPane(Focus::Watchlist)
    ),
    bind!(
        Pane(Focus::Search),
        false,
        "C-o",
        "back to the person before",
        [(Char('o'), CTRL), (Left, ALT)],
        || Intent::HistoryBack
    ),
    bind!(
        Pane(Focus::Search),
        false,
        "M-→",
        "forward again",
        [(Right, ALT), (Char('i'), CTRL)],
        || Intent::HistoryForward
    ),
    bind!(
        Pane(Focus::Search),
        false,
        "M-x",
        "export the results to a file (CSV or JSON)",
        [(Char('x'), ALT)],
        || Intent::Export
    ),
    bind!(
        Pane(Focus::Search),
        false,
        "M-c",
        "copy the results (tab-separated)",
        [(Char('c'), ALT)],
        || Intent::CopyList
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
        Pane(Focus::Profile),
        false,
        "m",
        "mark this person to compare (again: unmark)",
        [(Char('m'), NONE)],
        || Intent::Mark
    ),
    bind!(
        Pane(Focus::Profile),
        true,
        "e",
        "edit the property in $EDITOR",
        [(Char('e'), NONE)],
        || Intent::EditProperty
    ),
    bind!(
        Pane(Focus::Profile),
        true,
        "n",
        "new property",
        [(Char('n'), NONE)],
        || Intent::NewProperty
    ),
    bind!(
        Pane(Focus::Profile),
        false,
        "d",
        "delete the property (asks first)",
        [(Char('d'), NONE), (KeyCode::Delete, NONE)],
        || Intent::DeleteProperty
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
        Pane(Focus::Groups),
        false,
        "S",
        "sort members (site, name, type)",
        [(Char('S'), SHIFT), (Char('S'), NONE)],
        || Intent::CycleSort
    ),
    bind!(
        Pane(Focus::Groups),
        false,
        "m",
        "mark the member (or this person) to compare",
        [(Char('m'), NONE)],
        || Intent::Mark
    ),
    bind!(
        Pane(Focus::Groups),
        false,
        "c",
        "compare with the marked person / back",
        [(Char('c'), NONE)],
        || Intent::Compare
    ),
    bind!(
        Pane(Focus::Groups),
        false,
        "@",
        "members' email addresses, to export or copy (admins)",
        [(Char('@'), NONE), (Char('@'), SHIFT)],
        || Intent::GroupEmails
    ),
    bind!(
        Pane(Focus::Groups),
        false,
        "W",
        "members' watch of the watch list's highlighted row (admins)",
        [(Char('W'), SHIFT), (Char('W'), NONE)],
        || Intent::GroupWatch
    ),
    bind!(
        Pane(Focus::Groups),
        false,
        "+",
        "after W: make every member watch it",
        [(Char('+'), NONE), (Char('+'), SHIFT)],
        || Intent::GroupWatchKey('+')
    ),
    bind!(
        Pane(Focus::Groups),
        false,
        "-",
        "after W: make every member stop watching it",
        [(Char('-'), NONE)],
        || Intent::GroupWatchKey('-')
    ),
    bind!(
        Pane(Focus::Watchlist),
        true,
        "w",
        "toggle watch",
        [(Char('w'), NONE), (Enter, NONE)],
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
        "clear the marks, then the filter",
        [(Esc, NONE)],
        || Intent::Back
    ),
    bind!(
        Pane(Focus::Watchlist),
        true,
        "Space",
        "mark / unmark",
        [(Char(' '), NONE), (Char('v'), NONE)],
        || Intent::ToggleMark
    ),
    bind!(
        Pane(Focus::Watchlist),
        false,
        "V",
        "mark all shown (again: unmark)",
        [
            (Char('V'), SHIFT),
            (Char('V'), NONE),
            (Char('*'), NONE),
            (Char('*'), SHIFT)
        ],
        || Intent::MarkAllVisible
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
    bind!(
        Global,
        false,
        "/",
        "filter the list",
        [(Char('/'), NONE)],
        || Intent::Filter
    ),
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
    bind!(Global, false, "s", "search", [(Char('s'), NONE)], || {
        Intent::StartSearch
    }),
    bind!(
        Global,
        false,
        ":",
        "command line (:space, :group, :user, :sync, :q; Tab completes)",
        [(Char(':'), NONE), (Char(':'), SHIFT)],
        || Intent::StartCommand
    ),
    bind!(
        Global,
        false,
        "C-o",
        "back to the person before",
        [(Char('o'), CTRL), (Left, ALT)],
        || Intent::HistoryBack
    ),
    bind!(
        Global,
        false,
        "M-→",
        "forward again",
        [(Right, ALT), (Char('i'), CTRL)],
        || Intent::HistoryForward
    ),
    bind!(
        Global,
        false,
        "C-z",
        "suspend to the shell (fg returns)",
        [(Char('z'), CTRL)],
        || Intent::Suspend
    ),
    bind!(
        Global,
        false,
        "X",
        "export the list to a file (CSV or JSON)",
        [(Char('X'), SHIFT), (Char('X'), NONE)],
        || Intent::Export
    ),
    bind!(
        Global,
        false,
        "C",
        "copy the list (tab-separated)",
        [(Char('C'), SHIFT), (Char('C'), NONE)],
        || Intent::CopyList
    ),
];

/// The text box's own line-editing keys (tui-input's, which `keymap` hands every key no
/// [`Scope::Editing`](super::Scope::Editing) binding takes), for help: written here because they
/// are not bindings of ours, and checked against tui-input by a test.
pub static TEXT_KEYS: &[(&str, &str)] = &[
    ("←, →, C-b, C-f", "move the cursor"),
    ("C-←, C-→, M-b, M-f", "a word left, right"),
    ("Home, End, C-a, C-e", "start, end of the text"),
    ("Backspace, Del", "delete a character"),
    ("C-w, M-Backspace", "delete the word before"),
    ("C-u", "delete the whole text"),
    ("C-k", "delete to the end"),
    ("C-y", "put back what was deleted"),
];
