//! The `:` command line's words and completion, as in k9s and vim: `:space KEY`, `:group NAME`,
//! `:user NAME`, `:site NAME` and `:q`. Completion draws on what confdir already knows (the
//! spaces loaded, the groups seen or found by an earlier `:group`, the people in the directory,
//! the configured sites); nothing here asks the site.
//!
//! `:site NAME` ends this site's UI and the runtime opens the other one in the same process (its
//! own client, caches and pins are built for it, as at start).

use super::directory::fold;
use super::state::{GroupView, State};
use crate::api::model::Group;

/// The commands, as completed.
pub const COMMANDS: &[&str] = &["space", "group", "user", "site", "sync", "q"];

/// The most candidates completion considers (and the line shows).
const CANDIDATES_MAX: usize = 50;

/// A command as typed: its word (lowercased) and its argument (trimmed).
pub fn parse(text: &str) -> (String, String) {
    let text = text.trim_start();
    let (word, arg) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
    (word.to_lowercase(), arg.trim().to_string())
}

/// The groups confdir has seen: every person's groups fetched so far, those in the groups path
/// and those the last `:group` found on the site, each name once, sorted.
pub fn known_groups(state: &State) -> Vec<Group> {
    let mut groups: Vec<Group> = state
        .groups_cache
        .values()
        .flatten()
        .chain(&state.lists.found_groups)
        .cloned()
        .chain(state.groups.iter().flat_map(|view| {
            match view {
                GroupView::Memberships { groups, .. } => {
                    groups.loaded().cloned().unwrap_or_default()
                }
                GroupView::Members { group, .. } => vec![group.clone()],
                GroupView::Compare(c) => c
                    .diff
                    .iter()
                    .flat_map(|d| d.rows())
                    .map(|(_, g)| g.clone())
                    .collect(),
            }
        }))
        .collect();
    groups.sort_by(|a, b| a.name.cmp(&b.name));
    groups.dedup_by(|a, b| a.name == b.name);
    groups
}

/// What the argument of `word` completes to: values whose folded form starts with the folded
/// `arg` (for people, any word of the name does), sorted, at most [`CANDIDATES_MAX`].
fn arguments(state: &State, word: &str, arg: &str) -> Vec<String> {
    let needle = fold(arg);
    let starts = |text: &str| fold(text).starts_with(&needle);
    let mut found: Vec<String> = match word {
        "space" => state
            .watch
            .spaces
            .iter()
            .filter(|s| starts(&s.key) || starts(&s.name))
            .map(|s| s.key.clone())
            .collect(),
        "group" => known_groups(state)
            .into_iter()
            .map(|g| g.name)
            .filter(|name| starts(name))
            .collect(),
        "site" => state
            .lists
            .sites
            .iter()
            .filter(|name| starts(name))
            .cloned()
            .collect(),
        "user" => state
            .directory
            .users()
            .map(|u| u.name().to_string())
            .filter(|name| starts(name) || name.split_whitespace().any(starts))
            .take(CANDIDATES_MAX * 4)
            .collect(),
        _ => Vec::new(),
    };
    found.sort_by_key(|s| fold(s));
    found.dedup();
    found.truncate(CANDIDATES_MAX);
    found
}

/// The line's completions: the part kept (the command word and a space, or nothing) and what
/// the rest may become.
pub fn candidates(state: &State, text: &str) -> (String, Vec<String>) {
    let trimmed = text.trim_start();
    match trimmed.split_once(char::is_whitespace) {
        None => {
            let word = trimmed.to_lowercase();
            let found = COMMANDS
                .iter()
                .filter(|c| c.starts_with(&word))
                .map(|c| c.to_string())
                .collect();
            (String::new(), found)
        }
        Some((word, arg)) => {
            let word = word.to_lowercase();
            let found = arguments(state, &word, arg.trim_start());
            (format!("{word} "), found)
        }
    }
}

/// Tab: the line completed one step. One candidate completes; several complete to their common
/// beginning, and once there, Tab steps through them. `base` is the line as typed before the
/// first Tab (the candidates come from it), `text` the line now. `None` when nothing completes.
pub fn complete(state: &State, base: &str, text: &str) -> Option<String> {
    let (head, found) = candidates(state, base);
    let typed = parse(text);
    let arg = if head.is_empty() { typed.0 } else { typed.1 };
    let first = found.first()?;
    let pick = if found.len() == 1 {
        first.clone()
    } else if let Some(i) = found.iter().position(|c| fold(c) == fold(&arg)) {
        found[(i + 1) % found.len()].clone()
    } else {
        let common = common_prefix(&found);
        if common.chars().count() > arg.chars().count() {
            common
        } else {
            first.clone()
        }
    };
    let done = found.len() == 1 && head.is_empty() && pick != "q";
    Some(format!("{head}{pick}{}", if done { " " } else { "" }))
}

/// The longest beginning every string shares.
fn common_prefix(all: &[String]) -> String {
    let Some(first) = all.first() else {
        return String::new();
    };
    let mut end = first.len();
    for other in &all[1..] {
        end = first
            .char_indices()
            .zip(other.chars())
            .find(|((_, a), b)| a != b)
            .map_or(end.min(other.len().min(first.len())), |((i, _), _)| i)
            .min(end);
    }
    first[..end].to_string()
}
