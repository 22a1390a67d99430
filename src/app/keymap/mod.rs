//! Keys → intents, as one table. The footer hints and the help overlay are generated from the
//! same table (the text box's keys included), so what the screen says is what the keys do. A key
//! only ever means an [`Intent`]: answers and runtime events never come from here.
//!
//! The table is `table.rs`; this file resolves a key against it and writes the footer and help.

use super::action::Intent;
use super::state::{ActiveInput, Focus, Mode, Overlay, State};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every pane, in normal mode.
    Global,
    /// One pane, in normal mode.
    Pane(Focus),
    /// Any text box while it is being edited (the search box, a filter, the pin prompt).
    Editing,
}

/// One row of the keymap.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    /// The keys, as (code, modifiers).
    pub keys: &'static [(KeyCode, KeyModifiers)],
    /// How the keys are written in the footer (help writes every key, see [`key_name`]).
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

mod table;

pub use table::{BINDINGS, TEXT_KEYS};

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

/// The key's intent while a group-wide run asks a question: `y` / `n` on the plan, Esc to go
/// back from it or to close the column. `None` for every other key and moment.
fn group_watch_question(state: &State, key: &KeyEvent) -> Option<Intent> {
    use super::watch_many::GroupPhase;
    let run = state.watch.group.as_ref()?;
    if key.modifiers != KeyModifiers::NONE {
        return None;
    }
    match (run.phase, key.code) {
        (GroupPhase::Confirm, KeyCode::Char('y')) => Some(Intent::GroupWatchKey('y')),
        (GroupPhase::Confirm, KeyCode::Char('n') | KeyCode::Esc) => {
            Some(Intent::GroupWatchKey('n'))
        }
        (GroupPhase::Ready, KeyCode::Esc) if state.focus == Focus::Groups => {
            Some(Intent::GroupWatchKey('n'))
        }
        _ => None,
    }
}

/// The intent of a key press.
pub fn key_intent(state: &State, key: &KeyEvent) -> Option<Intent> {
    if key.code == KeyCode::Char('c') && key.modifiers == KeyModifiers::CONTROL {
        return Some(Intent::Quit);
    }
    if state.mode == Mode::Editing {
        return editing_intent(state, key);
    }
    // The question after unpinning something still watched: `y` unwatches it too, `n` keeps it.
    if state.lists.confirm_unwatch.is_some() && key.modifiers == KeyModifiers::NONE {
        match key.code {
            KeyCode::Char('y') => return Some(Intent::ConfirmUnwatch(true)),
            KeyCode::Char('n') | KeyCode::Esc => return Some(Intent::ConfirmUnwatch(false)),
            _ => {}
        }
    }
    // The question before deleting a property: `y` deletes it, `n` (or Esc) keeps it.
    if state.prop_edit.confirm_delete.is_some() && key.modifiers == KeyModifiers::NONE {
        match key.code {
            KeyCode::Char('y') => return Some(Intent::ConfirmPropertyDelete(true)),
            KeyCode::Char('n') | KeyCode::Esc => return Some(Intent::ConfirmPropertyDelete(false)),
            _ => {}
        }
    }
    // A group-wide watch's plan: `y` writes, `n` or Esc goes back; Esc closes its column.
    if let Some(intent) = group_watch_question(state, key) {
        return Some(intent);
    }
    if state.overlay == Overlay::Errors {
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('E') => {
                return Some(Intent::ToggleErrorLog)
            }
            _ => {}
        }
    }
    in_scopes(&[Scope::Pane(state.focus), Scope::Global], key)
        .or_else(|| (key.code == KeyCode::Esc).then_some(Intent::Back))
}

/// Events that arrived in one read, as a terminal without bracketed paste types a paste: keys,
/// all at once. While a text box is edited, a line break (Enter, or Ctrl-J for a bare LF) or a
/// Tab with text on both sides of it in the burst is part of the pasted text, not a key to act
/// on: it becomes a space, as it does in a bracketed paste (`Ada⏎Lovelace` is `Ada Lovelace`,
/// and does not open Ada and run the rest as commands). A trailing Enter stays Enter: a name and
/// Enter typed faster than the program reads them still open the person. Other events pass as
/// they are.
pub fn unburst(state: &State, mut events: Vec<Event>) -> Vec<Event> {
    if state.mode != Mode::Editing || events.len() < 3 {
        return events;
    }
    let text = |e: &Event| {
        matches!(e, Event::Key(k) if k.kind != KeyEventKind::Release
            && matches!(k.code, KeyCode::Char(_))
            && (k.modifiers - KeyModifiers::SHIFT).is_empty())
    };
    let splits = |key: &KeyEvent| {
        key.kind != KeyEventKind::Release
            && matches!(
                (key.code, key.modifiers),
                (KeyCode::Enter | KeyCode::Tab, KeyModifiers::NONE)
                    | (KeyCode::Char('j'), KeyModifiers::CONTROL)
            )
    };
    let first_text = events.iter().position(text);
    let last_text = events.iter().rposition(text);
    if let (Some(first), Some(last)) = (first_text, last_text) {
        for event in &mut events[first..last] {
            if let Event::Key(key) = event {
                if splits(key) {
                    *key =
                        KeyEvent::new_with_kind(KeyCode::Char(' '), KeyModifiers::NONE, key.kind);
                }
            }
        }
    }
    events
}

/// The first binding of `scopes` (in that order) that `key` matches.
fn in_scopes(scopes: &[Scope], key: &KeyEvent) -> Option<Intent> {
    scopes
        .iter()
        .flat_map(|scope| BINDINGS.iter().filter(move |b| b.scope == *scope))
        .find(|b| matches(b, key))
        .map(|b| (b.intent)())
}

/// Keys while a text input is active: the [`Scope::Editing`] bindings (leave, move, next pane),
/// else line editing. The search box is where the Search pane types: its own bindings come first
/// (Enter opens, Esc clears, Alt-1…4 leave, history), and every printable key is text there, `?`,
/// `/`, `q` and the digits included (F1 is help, Ctrl-C quits).
fn editing_intent(state: &State, key: &KeyEvent) -> Option<Intent> {
    let in_search = state.active_input() == ActiveInput::Query && state.focus == Focus::Search;
    let scopes: &[Scope] = if in_search {
        &[Scope::Pane(Focus::Search), Scope::Editing]
    } else {
        &[Scope::Editing]
    };
    in_scopes(scopes, key).or_else(|| {
        tui_input::backend::crossterm::to_input_request(&Event::Key(*key)).map(Intent::Edit)
    })
}

/// The bindings of `scopes`, in order, less those whose keys an earlier scope already took.
fn shadowed(scopes: &[Scope]) -> Vec<&'static Binding> {
    let mut taken: Vec<(KeyCode, KeyModifiers)> = Vec::new();
    let mut out = Vec::new();
    for scope in scopes {
        let rows: Vec<&'static Binding> = BINDINGS.iter().filter(|b| b.scope == *scope).collect();
        out.extend(
            rows.iter()
                .filter(|b| !b.keys.iter().all(|k| taken.contains(k)))
                .copied(),
        );
        taken.extend(rows.iter().flat_map(|b| b.keys.iter().copied()));
    }
    out
}

/// One hint of the footer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hint {
    /// The key, as written.
    pub key: &'static str,
    /// What it does.
    pub help: &'static str,
    /// Kept when the footer is too narrow for every hint (others are dropped first): the way to
    /// help, and the way out.
    pub keep: bool,
}

/// The footer's hints, in order: in a text box, the text box's keys; else the focused pane's,
/// then the global ones. Help (`?`, or F1 in a text box) and quit are marked to keep.
pub fn footer_hints(focus: Focus, mode: Mode) -> Vec<Hint> {
    let scopes: &[Scope] = match (mode, focus) {
        (Mode::Editing, Focus::Search) => &[Scope::Pane(Focus::Search), Scope::Editing],
        (Mode::Editing, _) => &[Scope::Editing],
        _ => &[Scope::Pane(focus), Scope::Global],
    };
    shadowed(scopes)
        .into_iter()
        .filter(|b| b.footer)
        .map(|b| {
            let intent = (b.intent)();
            Hint {
                key: b.label,
                help: b.help,
                keep: matches!(intent, Intent::ToggleHelp | Intent::Quit),
            }
        })
        .collect()
}

/// One row of the help overlay: a section heading, or keys and what they do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpRow {
    /// Every key of the binding, as written (`Enter, l`); empty for a heading.
    pub keys: String,
    /// What they do, or the heading's text.
    pub help: &'static str,
    /// A section heading (`Groups pane`, `Everywhere`, `In a text box`).
    pub heading: bool,
}

/// The help overlay's rows for the focused pane: its bindings, the global ones (less any key the
/// pane gives another meaning; for the Search pane, where every printable key is text, they are
/// headed as the other panes' keys), and a text box's (its bindings and the line-editing keys), each
/// under a heading. `filter` (case-insensitive, on keys or description) keeps matching rows and
/// the headings of sections that still have some.
pub fn help_rows(focus: Focus, filter: &str) -> Vec<HelpRow> {
    let needle = filter.trim().to_lowercase();
    let keep = |keys: &str, help: &str| {
        needle.is_empty()
            || help.to_lowercase().contains(&needle)
            || keys.to_lowercase().contains(&needle)
    };
    let pane_keys: Vec<_> = BINDINGS
        .iter()
        .filter(|b| b.scope == Scope::Pane(focus))
        .flat_map(|b| b.keys.iter().copied())
        .collect();
    let rows_of = |scope: Scope| -> Vec<HelpRow> {
        BINDINGS
            .iter()
            .filter(|b| b.scope == scope)
            .filter_map(|b| {
                // A global key the pane takes over is listed under the pane; so is a text
                // box's key the search box takes over (Enter, Esc) while searching.
                let taken =
                    scope == Scope::Global || (scope == Scope::Editing && focus == Focus::Search);
                let shown: Vec<_> = b
                    .keys
                    .iter()
                    .filter(|k| !taken || !pane_keys.contains(k))
                    .copied()
                    .collect();
                let keys = key_names(&shown);
                (!keys.is_empty()).then_some(HelpRow {
                    keys,
                    help: b.help,
                    heading: false,
                })
            })
            .collect()
    };
    let mut text = rows_of(Scope::Editing);
    text.extend(TEXT_KEYS.iter().map(|(keys, help)| HelpRow {
        keys: keys.to_string(),
        help,
        heading: false,
    }));
    let sections = [
        (focus.help_heading(), rows_of(Scope::Pane(focus))),
        (
            // The search box types every printable key: the global keys are the other panes'.
            if focus == Focus::Search {
                "In the other panes"
            } else {
                "Everywhere"
            },
            rows_of(Scope::Global),
        ),
        ("In a text box", text),
    ];
    let mut rows = Vec::new();
    for (heading, section) in sections {
        let section: Vec<_> = section
            .into_iter()
            .filter(|r| keep(&r.keys, r.help))
            .collect();
        if !section.is_empty() {
            rows.push(HelpRow {
                keys: String::new(),
                help: heading,
                heading: true,
            });
            rows.extend(section);
        }
    }
    rows
}

/// Keys as help writes them, each once: `Enter, l`, `PgUp, C-u, C-b`.
fn key_names(keys: &[(KeyCode, KeyModifiers)]) -> String {
    let mut names: Vec<String> = Vec::new();
    for key in keys {
        let name = key_name(*key);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names.join(", ")
}

/// One key as a person writes it: `Enter`, `Space`, `C-u`, `S-Tab`, `G`, `F1`.
pub fn key_name((code, mods): (KeyCode, KeyModifiers)) -> String {
    let base = match code {
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => return "S-Tab".into(),
        KeyCode::Backspace => "Backspace".into(),
        KeyCode::Delete => "Del".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    };
    if mods.contains(KeyModifiers::CONTROL) {
        format!("C-{base}")
    } else if mods.contains(KeyModifiers::ALT) {
        format!("M-{base}")
    } else {
        // Shift is in the character itself (`G`, `?`).
        base
    }
}

#[cfg(test)]
mod tests;
