//! Comparing two people's groups ("why can Bob see it and Alice can't?"): the one diff the TUI's
//! comparison view and `confdir groups diff` both use, and the comparison view's data.
//!
//! Pure: no I/O. Groups are matched by id (Atlassian: "group ids are the stable handle; names
//! can be renamed"), by name when a server sends no id. Each section is sorted by name, case
//! folded (so `Design` and `data` sit together), then by name and id, so the order never depends
//! on the order the server listed them in.

use super::request::{Loadable, Slot};
use super::state::ListView;
use crate::api::model::Group;
use std::collections::HashSet;

/// The groups of two people, in three sections.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Diff {
    /// Groups both are in (the first person's copy of each).
    pub shared: Vec<Group>,
    /// Groups only the first person is in.
    pub only_first: Vec<Group>,
    /// Groups only the second person is in.
    pub only_second: Vec<Group>,
}

/// Which section a group of a [`Diff`] is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// Both are in it.
    Shared,
    /// Only the first person.
    OnlyFirst,
    /// Only the second person.
    OnlySecond,
}

impl Section {
    /// The word the CSV's `side` column and the tags use: `both`, `first` or `second`.
    pub fn side(self) -> &'static str {
        match self {
            Section::Shared => "both",
            Section::OnlyFirst => "first",
            Section::OnlySecond => "second",
        }
    }
}

/// What a group is matched by: its id (true), or its name (false) when the server sent no id.
fn identity(group: &Group) -> (bool, String) {
    if group.id.is_empty() {
        (false, group.name.clone())
    } else {
        (true, group.id.clone())
    }
}

/// The sort key of a group: its name case-folded, then as written, then its id.
fn order(group: &Group) -> (String, String, String) {
    (
        group.name.to_lowercase(),
        group.name.clone(),
        group.id.clone(),
    )
}

/// Each group once (pages of a server may overlap), sorted.
fn sorted(mut groups: Vec<Group>) -> Vec<Group> {
    groups.sort_by_cached_key(order);
    let mut seen = HashSet::new();
    groups.retain(|g| seen.insert(identity(g)));
    groups
}

/// The diff of two people's groups: shared, only the first's, only the second's, each sorted by
/// name case-insensitively.
pub fn diff(first: &[Group], second: &[Group]) -> Diff {
    let ids =
        |groups: &[Group]| -> HashSet<(bool, String)> { groups.iter().map(identity).collect() };
    let (in_first, in_second) = (ids(first), ids(second));
    let (shared, only_first) = first
        .iter()
        .cloned()
        .partition(|g| in_second.contains(&identity(g)));
    let only_second = second
        .iter()
        .filter(|g| !in_first.contains(&identity(g)))
        .cloned()
        .collect();
    Diff {
        shared: sorted(shared),
        only_first: sorted(only_first),
        only_second: sorted(only_second),
    }
}

impl Diff {
    /// How many groups in all three sections.
    pub fn len(&self) -> usize {
        self.shared.len() + self.only_first.len() + self.only_second.len()
    }

    /// True when neither person is in any group.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `index`th group of the sections one after the other (shared, only first, only
    /// second), and its section: how the comparison view's rows are numbered.
    pub fn row(&self, index: usize) -> Option<(Section, &Group)> {
        let (a, b) = (self.shared.len(), self.only_first.len());
        if index < a {
            Some((Section::Shared, &self.shared[index]))
        } else if index < a + b {
            Some((Section::OnlyFirst, &self.only_first[index - a]))
        } else {
            self.only_second
                .get(index - a - b)
                .map(|g| (Section::OnlySecond, g))
        }
    }

    /// Every group with its section, in row order.
    pub fn rows(&self) -> impl Iterator<Item = (Section, &Group)> {
        let shared = self.shared.iter().map(|g| (Section::Shared, g));
        let first = self.only_first.iter().map(|g| (Section::OnlyFirst, g));
        let second = self.only_second.iter().map(|g| (Section::OnlySecond, g));
        shared.chain(first).chain(second)
    }
}

/// One of the two people compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The marked person.
    First,
    /// The person opened after marking.
    Second,
}

impl Side {
    /// The request slot of this side's groups: each side loads on its own, so one arriving (or
    /// failing) never waits for or cancels the other.
    pub fn slot(self) -> Slot {
        match self {
            Side::First => Slot::CompareFirst,
            Side::Second => Slot::CompareSecond,
        }
    }
}

/// A person marked with `m`, to compare with the next one opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// Their account id.
    pub account_id: String,
    /// Their name as shown when marked.
    pub name: String,
}

/// One side of a comparison: who, and their groups (every page).
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    /// Their account id.
    pub account_id: String,
    /// Their name, for the title and the path line.
    pub name: String,
    /// Their groups, on their way, here, or why not.
    pub groups: Loadable<Vec<Group>>,
}

/// The groups pane's comparison view: two people and, once both sides are here, their diff.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The marked person.
    pub first: Person,
    /// The person opened after marking.
    pub second: Person,
    /// The three sections, once both sides loaded (derived in `update`, never while drawing).
    pub diff: Option<Diff>,
    /// Selection and scroll over the rows ([`Diff::row`] numbering).
    pub list: ListView,
}

impl Comparison {
    /// The side `side`.
    pub fn side(&self, side: Side) -> &Person {
        match side {
            Side::First => &self.first,
            Side::Second => &self.second,
        }
    }

    /// The side `side`, to change.
    pub fn side_mut(&mut self, side: Side) -> &mut Person {
        match side {
            Side::First => &mut self.first,
            Side::Second => &mut self.second,
        }
    }

    /// Computes the diff when both sides are here (and drops it when one is not).
    pub fn rediff(&mut self) {
        self.diff = match (self.first.groups.loaded(), self.second.groups.loaded()) {
            (Some(a), Some(b)) => Some(diff(a, b)),
            _ => None,
        };
    }

    /// `shared 12 · only Ada 3 · only Bob 5`, with each person's first name (the whole name
    /// when both have the same first name).
    pub fn counts(&self) -> Option<String> {
        let diff = self.diff.as_ref()?;
        let (a, b) = short_names(&self.first.name, &self.second.name);
        Some(format!(
            "shared {} · only {a} {} · only {b} {}",
            diff.shared.len(),
            diff.only_first.len(),
            diff.only_second.len()
        ))
    }
}

/// The comparison's rows the groups filter keeps (`filter` already folded), as [`Diff::row`]
/// indices: matched on the group's name, as a person's groups are.
pub fn filtered_rows(view: &Comparison, filter: Option<&str>) -> Vec<usize> {
    let Some(diff) = &view.diff else {
        return Vec::new();
    };
    diff.rows()
        .enumerate()
        .filter(|(_, (_, g))| filter.is_none_or(|f| super::directory::fold(&g.name).contains(f)))
        .map(|(i, _)| i)
        .collect()
}

/// How the view calls the two people in a line: their first words, or their whole names when
/// those are the same.
pub fn short_names(first: &str, second: &str) -> (String, String) {
    let word = |n: &str| n.split_whitespace().next().unwrap_or(n).to_string();
    let (a, b) = (word(first), word(second));
    if a == b || a.is_empty() || b.is_empty() {
        (first.to_string(), second.to_string())
    } else {
        (a, b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(id: &str, name: &str) -> Group {
        Group {
            kind: "group".into(),
            name: name.into(),
            id: id.into(),
            usage_type: None,
            managed_by: None,
            links: Default::default(),
        }
    }

    fn names(groups: &[Group]) -> Vec<&str> {
        groups.iter().map(|g| g.name.as_str()).collect()
    }

    #[test]
    fn three_sections_sorted_by_name_ignoring_case() {
        let ada = [
            g("1", "engineering"),
            g("2", "Design"),
            g("3", "confluence-users"),
            g("4", "guild-rust"),
        ];
        let bob = [
            g("3", "confluence-users"),
            g("5", "data"),
            g("2", "Design"),
            g("6", "Beta-testers"),
        ];
        let d = diff(&ada, &bob);
        assert_eq!(names(&d.shared), ["confluence-users", "Design"]);
        assert_eq!(names(&d.only_first), ["engineering", "guild-rust"]);
        assert_eq!(names(&d.only_second), ["Beta-testers", "data"]);
        assert_eq!(d.len(), 6);
        let rows: Vec<(Section, &str)> = d.rows().map(|(s, g)| (s, g.name.as_str())).collect();
        assert_eq!(rows[1], (Section::Shared, "Design"));
        assert_eq!(rows[2], (Section::OnlyFirst, "engineering"));
        assert_eq!(rows[5], (Section::OnlySecond, "data"));
        assert_eq!(d.row(4).map(|(s, g)| (s, g.name.as_str())), Some(rows[4]));
        assert_eq!(d.row(6), None);
    }

    #[test]
    fn groups_match_by_id_not_by_name_and_by_name_without_an_id() {
        // Renamed between the two answers: still the same group.
        let d = diff(
            &[g("7", "old-name"), g("", "legacy")],
            &[g("7", "new-name"), g("", "legacy")],
        );
        assert_eq!(names(&d.shared), ["legacy", "old-name"]);
        assert!(d.only_first.is_empty() && d.only_second.is_empty());
        // Same name, other ids: two groups.
        let d = diff(&[g("8", "twin")], &[g("9", "twin")]);
        assert_eq!((d.only_first.len(), d.only_second.len()), (1, 1));
    }

    #[test]
    fn repeated_groups_count_once_and_empty_sides_work() {
        let d = diff(&[g("1", "a"), g("1", "a"), g("2", "b")], &[]);
        assert_eq!(names(&d.only_first), ["a", "b"]);
        assert!(diff(&[], &[]).is_empty());
        let d = diff(&[], &[g("1", "a")]);
        assert_eq!(names(&d.only_second), ["a"]);
    }

    #[test]
    fn hundreds_of_groups_split_exactly() {
        let many = |r: std::ops::Range<usize>| -> Vec<Group> {
            r.map(|n| g(&n.to_string(), &format!("project-{n:03}")))
                .rev()
                .collect()
        };
        let d = diff(&many(0..240), &many(120..300));
        assert_eq!(
            (d.shared.len(), d.only_first.len(), d.only_second.len()),
            (120, 120, 60)
        );
        assert_eq!(d.shared[0].name, "project-120");
        assert_eq!(
            d.only_second.last().map(|g| g.name.as_str()),
            Some("project-299")
        );
    }

    #[test]
    fn counts_name_each_person_briefly() {
        let person = |name: &str, groups: Vec<Group>| Person {
            account_id: name.into(),
            name: name.into(),
            groups: Loadable::Loaded(groups),
        };
        let mut c = Comparison {
            first: person("Ada Lovelace", vec![g("1", "a"), g("2", "b")]),
            second: person("Bob Smith", vec![g("2", "b"), g("3", "c"), g("4", "d")]),
            diff: None,
            list: ListView::default(),
        };
        assert_eq!(c.counts(), None);
        c.rediff();
        assert_eq!(
            c.counts().as_deref(),
            Some("shared 1 · only Ada 1 · only Bob 2")
        );
        assert_eq!(
            short_names("Ada Lovelace", "Ada King"),
            ("Ada Lovelace".to_string(), "Ada King".to_string())
        );
    }
}
