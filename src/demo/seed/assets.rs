//! The lists in `assets/demo/`, compiled in and parsed: name cultures, group rules, apps, spaces,
//! labels and pages.
//!
//! Parsing is forgiving (a line it cannot read is skipped, a number it cannot read takes its
//! default) because the lists are ours and fixed at build time; the tests on the generated
//! directory catch a list that lost its content. Nothing here draws random numbers: choosing
//! among what these lists offer is the job of `people.rs` and `groups.rs`.

use super::rng::hash_str;
use super::{SeedPage, SeedSpace};
use crate::demo::cql::match_key;

const NAMES: &str = include_str!("../../../assets/demo/names.txt");
const GROUPS: &str = include_str!("../../../assets/demo/groups.txt");
const SPACES: &str = include_str!("../../../assets/demo/spaces.txt");
const LABELS: &str = include_str!("../../../assets/demo/labels.txt");
const PAGES: &str = include_str!("../../../assets/demo/pages.txt");
const APPS: &str = include_str!("../../../assets/demo/apps.txt");

/// A person's name parts from one culture.
pub(super) struct NamePart {
    /// As written in the culture, e.g. `Łukasz`.
    pub(super) name: String,
    /// ASCII for email addresses, e.g. `lukasz`.
    pub(super) ascii: String,
}

/// One `[section]` of `names.txt`: how people of one culture are named and where they work.
pub(super) struct Culture {
    /// Relative share of the directory.
    pub(super) weight: u64,
    /// Family name first (`order = family-given`).
    pub(super) family_first: bool,
    /// Between the two names: a space, or nothing (`join = none`).
    pub(super) join: &'static str,
    /// IANA time zones people of this culture work in.
    pub(super) zones: Vec<String>,
    /// Given names.
    pub(super) given: Vec<NamePart>,
    /// Family names.
    pub(super) family: Vec<NamePart>,
}

/// How `groups.txt` says a group's members are chosen.
pub(super) enum GroupRule {
    /// Every account.
    Everyone,
    /// A few staff (site administrators).
    Admins,
    /// Every guest.
    Guests,
    /// Every app account.
    Apps,
    /// This percentage of people (a quarter of it for guests).
    Share(u64),
    /// A department, with this relative size; each staff member is in exactly one.
    Department(u64),
    /// A team of the named department.
    Team(String),
    /// Staff whose time zone starts with this region, e.g. `Europe`.
    Office(String),
}

/// The lines of a list that carry content: trimmed, no blanks, no `#` comments.
fn content_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Letters, digits and `-` of a name's match key: the ASCII an email address can carry.
pub(super) fn ascii_of(text: &str) -> String {
    match_key(text)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

fn parse_names(list: &str) -> Vec<NamePart> {
    list.split_whitespace()
        .map(|token| {
            let (name, ascii) = match token.split_once('/') {
                Some((n, a)) => (n.replace('_', " "), a.to_string()),
                None => {
                    let n = token.replace('_', " ");
                    let a = ascii_of(&n);
                    (n, a)
                }
            };
            NamePart { name, ascii }
        })
        .collect()
}

/// The cultures of `names.txt` that can name someone (given and family names and a zone).
pub(super) fn cultures() -> Vec<Culture> {
    let mut out: Vec<Culture> = Vec::new();
    for line in content_lines(NAMES) {
        if line.starts_with('[') {
            out.push(Culture {
                weight: 1,
                family_first: false,
                join: " ",
                zones: Vec::new(),
                given: Vec::new(),
                family: Vec::new(),
            });
            continue;
        }
        let (Some(c), Some((key, value))) = (out.last_mut(), line.split_once('=')) else {
            continue;
        };
        let value = value.trim();
        match key.trim() {
            "weight" => c.weight = value.parse().unwrap_or(1),
            "order" => c.family_first = value == "family-given",
            "join" => c.join = if value == "none" { "" } else { " " },
            "zones" => c.zones = value.split_whitespace().map(str::to_string).collect(),
            "given" => c.given = parse_names(value),
            "family" => c.family = parse_names(value),
            _ => {}
        }
    }
    out.retain(|c| !c.given.is_empty() && !c.family.is_empty() && !c.zones.is_empty());
    out
}

/// The groups of `groups.txt`, in file order, each with its membership rule.
pub(super) fn group_rules() -> Vec<(String, GroupRule)> {
    content_lines(GROUPS)
        .filter_map(|line| {
            let mut parts = line.split_whitespace();
            let name = parts.next()?.to_string();
            let kind = parts.next()?;
            let arg = parts.next().unwrap_or_default();
            let rule = match kind {
                "everyone" => GroupRule::Everyone,
                "admins" => GroupRule::Admins,
                "guests" => GroupRule::Guests,
                "apps" => GroupRule::Apps,
                "share" => GroupRule::Share(arg.parse().unwrap_or(1)),
                "department" => GroupRule::Department(arg.parse().unwrap_or(1)),
                "team" => GroupRule::Team(arg.to_string()),
                "office" => GroupRule::Office(arg.to_string()),
                _ => return None,
            };
            Some((name, rule))
        })
        .collect()
}

/// The installed apps of `apps.txt`: display name and email local part.
pub(super) fn apps() -> Vec<(String, String)> {
    content_lines(APPS)
        .filter_map(|l| l.split_once('|'))
        .map(|(n, e)| (n.to_string(), e.to_string()))
        .collect()
}

/// A comma-separated field of a list line: trimmed, no empties.
fn comma_list(field: Option<&str>) -> Vec<String> {
    field
        .unwrap_or_default()
        .split(',')
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// A space's numeric id, stable for its key.
pub(super) fn space_id(key: &str) -> i64 {
    (hash_str(key) % 900_000_000) as i64 + 100_000_000
}

/// The global spaces of `spaces.txt` (`KEY|Name|Description|label,label`), in file order.
pub(super) fn global_spaces() -> Vec<SeedSpace> {
    content_lines(SPACES)
        .filter_map(|line| {
            let mut parts = line.split('|');
            let key = parts.next()?.trim().to_string();
            let name = parts.next()?.trim().to_string();
            let description = parts.next().unwrap_or_default().trim().to_string();
            let labels = comma_list(parts.next());
            Some(SeedSpace {
                id: space_id(&key),
                archived: labels.iter().any(|l| l == "archive"),
                key,
                name,
                description,
                personal: false,
                labels,
            })
        })
        .collect()
}

/// The labels of `labels.txt`, lower-case.
pub(super) fn labels() -> Vec<String> {
    content_lines(LABELS).map(str::to_lowercase).collect()
}

/// The watchable pages of `pages.txt` (`SPACE|Title|label,label`), with ids stable for their
/// space and title.
pub(super) fn pages() -> Vec<SeedPage> {
    content_lines(PAGES)
        .filter_map(|line| {
            let mut parts = line.split('|');
            let space_key = parts.next()?.trim().to_string();
            let title = parts.next()?.trim().to_string();
            let labels = comma_list(parts.next());
            let id = (hash_str(&format!("{space_key}/{title}")) % 9_000_000_000 + 1_000_000_000)
                .to_string();
            Some(SeedPage {
                id,
                space_key,
                title,
                labels,
            })
        })
        .collect()
}
