//! Taking a list away: the rows a list shows, as a table (header + cells), and that table as
//! CSV, JSON or TSV. The TUI exports and copies through here, and the CLI's `--csv` is written by
//! [`csv_text`], so there is one CSV implementation.
//!
//! Each list says what its rows are through one [`ExportList`] impl: search results, a person's
//! groups, a group's members and the watch list. A new list (the comparison of two people, say)
//! is one more impl and one more arm in [`focused_rows`]. The rows are exactly what the list
//! shows: after its `/` filter and in its sort order, with the count before the filter kept so
//! the status line can say "12 of 143, filtered".
//!
//! Cells are untrusted server strings. Every format cleans them with the one sanitizer (no
//! control character, no bidi override reaches a file or the clipboard), and CSV and TSV also
//! neutralise what a spreadsheet would run as a formula: a cell starting with `=`, `+`, `-`, `@`,
//! tab or CR gets a `'` before it (OWASP, "CSV Injection"). JSON keeps values as text, cleaned.
//!
//! Pure: nothing here touches a file or the terminal (the worker writes, the event loop copies).

use super::lists::group_rows;
use super::state::{Focus, GroupView, State};
use super::thousands;
use crate::api::model::User;
use crate::sanitize::clean;
use tui_input::Input;

/// The most bytes of text `C` puts on the clipboard. OSC 52 carries the text base64-encoded
/// (4 bytes for every 3), and terminals cap the sequence (many around 100 kB; tmux and some
/// emulators drop longer ones silently), so text past this is refused with a pointer to `X`.
/// Decision: 74,000 bytes of text is at most 98,668 bytes of base64.
pub const COPY_MAX_BYTES: usize = 74_000;

/// The columns of a list of people: the CLI's `--csv` columns for users.
pub const PEOPLE_COLUMNS: [&str; 7] = [
    "accountId",
    "displayName",
    "publicName",
    "email",
    "accountType",
    "isGuest",
    "timeZone",
];

/// One list's rows as shown, ready to write.
#[derive(Debug, Clone, PartialEq)]
pub struct ListRows {
    /// What the rows are, plural, for messages ("members", "groups", "people", "watches").
    pub noun: &'static str,
    /// The list's name for a file name, before it is made safe (`members team-platform`).
    pub name: String,
    /// Column names (the API's field names where there is one).
    pub header: Vec<&'static str>,
    /// The cells, row by row, in shown order.
    pub rows: Vec<Vec<String>>,
    /// How many rows the list has loaded before its filter.
    pub loaded: usize,
    /// A filter is in force (so `rows` may be fewer than `loaded`).
    pub filtered: bool,
    /// The server has more pages than are loaded: its total, when it said.
    pub more: Option<Option<i64>>,
    /// A few words more for the count (`143 emails, 5 hidden`).
    pub detail: Option<String>,
}

impl ListRows {
    /// What the rows are, counted, for the status line: `143 members`, `12 of 143 members
    /// (filtered)`, `200 members (first 200 of 1,543 loaded: G loads all)`.
    pub fn counted(&self) -> String {
        let n = thousands(self.rows.len());
        let loaded = thousands(self.loaded);
        let mut text = if self.filtered {
            format!("{n} of {loaded} {} (filtered)", self.noun)
        } else {
            format!("{n} {}", self.noun)
        };
        if let Some(detail) = &self.detail {
            text.push_str(&format!(" ({detail})"));
        }
        if let Some(total) = self.more {
            let of = total.map_or_else(|| "more".to_string(), |t| thousands(t.max(0) as usize));
            text.push_str(&format!(" (first {loaded} of {of} loaded: G loads all)"));
        }
        text
    }

    /// The default file name in the current directory: `./confdir-members-team-platform.csv`.
    pub fn default_path(&self, format: ExportFormat) -> String {
        format!(
            "./confdir-{}.{}",
            safe_file_stem(&self.name),
            format.extension()
        )
    }
}

/// A list that can be taken away: its rows as shown, if it is the one on screen.
pub trait ExportList {
    /// The rows, or `None` when this list is not what the focused pane shows.
    fn rows(state: &State) -> Option<ListRows>;
}

/// The search results.
pub struct SearchResults;
/// A person's groups, in the groups pane.
pub struct Memberships;
/// A group's members, in the groups pane.
pub struct Members;
/// The watch list.
pub struct WatchList;
/// A group's members with their email addresses, once `@` fetched them for the group shown.
pub struct GroupEmails;
/// Two people's groups compared (`m`, then `c`): shared, only the first's, only the second's.
pub struct Comparison;

/// The rows of the list the focused pane shows, if it shows one.
pub fn focused_rows(state: &State) -> Option<ListRows> {
    match state.focus {
        Focus::Search => SearchResults::rows(state),
        Focus::Groups => Comparison::rows(state)
            .or_else(|| Memberships::rows(state))
            .or_else(|| GroupEmails::rows(state))
            .or_else(|| Members::rows(state)),
        Focus::Watchlist => WatchList::rows(state),
        Focus::Profile => None,
    }
}

/// One person's cells in [`PEOPLE_COLUMNS`] order; an account confdir has no details for yet is
/// its id alone.
pub fn person_cells(account_id: &str, user: Option<&User>) -> Vec<String> {
    let Some(u) = user else {
        let mut cells = vec![account_id.to_string()];
        cells.resize(PEOPLE_COLUMNS.len(), String::new());
        return cells;
    };
    vec![
        account_id.to_string(),
        u.display_name.clone().unwrap_or_default(),
        u.public_name.clone().unwrap_or_default(),
        u.email.clone().unwrap_or_default(),
        u.account_type.clone().unwrap_or_default(),
        u.is_guest().to_string(),
        u.time_zone.clone().unwrap_or_default(),
    ]
}

impl ExportList for SearchResults {
    fn rows(state: &State) -> Option<ListRows> {
        let query = state.search.input.value().trim();
        let rows: Vec<Vec<String>> = state
            .search
            .rows
            .iter()
            .filter_map(|&i| state.directory.get(i))
            .filter_map(|p| {
                let id = p.account_id?;
                Some(person_cells(id, Some(&p.to_user())))
            })
            .collect();
        Some(ListRows {
            noun: "people",
            name: if query.is_empty() {
                "people".into()
            } else {
                format!("search {query}")
            },
            header: PEOPLE_COLUMNS.to_vec(),
            loaded: rows.len(),
            rows,
            filtered: false,
            more: state.search.next_start.map(|_| state.search.server_total),
            detail: None,
        })
    }
}

impl ExportList for Memberships {
    fn rows(state: &State) -> Option<ListRows> {
        let Some(GroupView::Memberships { name, groups, .. }) = state.groups.last() else {
            return None;
        };
        let all = groups.loaded()?;
        let rows = group_rows(state)
            .into_iter()
            .filter_map(|i| all.get(i))
            .map(|g| vec![g.name.clone(), g.id.clone()])
            .collect();
        Some(ListRows {
            noun: "groups",
            name: format!("groups {name}"),
            header: vec!["name", "id"],
            rows,
            loaded: all.len(),
            filtered: super::lists::groups_filter(state).is_some(),
            more: None,
            detail: None,
        })
    }
}

impl ExportList for Comparison {
    fn rows(state: &State) -> Option<ListRows> {
        let Some(GroupView::Compare(view)) = state.groups.last() else {
            return None;
        };
        let diff = view.diff.as_ref()?;
        let rows = group_rows(state)
            .into_iter()
            .filter_map(|i| diff.row(i))
            // `side` as `groups diff --csv` writes it: both, first or second.
            .map(|(section, g)| vec![g.name.clone(), g.id.clone(), section.side().into()])
            .collect();
        Some(ListRows {
            noun: "groups",
            name: format!("compare {} {}", view.first.name, view.second.name),
            header: vec!["group", "groupId", "side"],
            rows,
            loaded: diff.len(),
            filtered: super::lists::groups_filter(state).is_some(),
            more: None,
            detail: None,
        })
    }
}

impl ExportList for Members {
    fn rows(state: &State) -> Option<ListRows> {
        let Some(GroupView::Members {
            group,
            members,
            next_start,
            total,
            ..
        }) = state.groups.last()
        else {
            return None;
        };
        let rows = group_rows(state)
            .into_iter()
            .filter_map(|i| members.get(i))
            .map(|id| person_cells(id, state.directory.user(id).map(|u| u.to_user()).as_ref()))
            .collect();
        Some(ListRows {
            noun: "members",
            name: format!("members {}", group.name),
            header: PEOPLE_COLUMNS.to_vec(),
            rows,
            loaded: members.len(),
            filtered: super::lists::groups_filter(state).is_some(),
            more: next_start.map(|_| *total),
            detail: None,
        })
    }
}

impl ExportList for WatchList {
    fn rows(state: &State) -> Option<ListRows> {
        let subject = state.watch_subject();
        let rows = state
            .watch
            .rows
            .iter()
            .map(|row| {
                let watching = state
                    .watch
                    .statuses
                    .get(&(subject.clone(), row.target.clone()))
                    .and_then(|s| s.shown())
                    .map_or_else(String::new, |b| b.to_string());
                vec![
                    row.target.kind().to_string(),
                    row.target.id().to_string(),
                    row.title.clone(),
                    row.pinned.to_string(),
                    watching,
                ]
            })
            .collect();
        let loaded = state.watch.pins.len() + state.watch.spaces.len();
        Some(ListRows {
            noun: "watches",
            name: match &state.watch.subject {
                Some((_, name)) => format!("watches {name}"),
                None => "watches".into(),
            },
            header: vec!["type", "id", "title", "pinned", "watching"],
            rows,
            loaded,
            filtered: !state.watch.filter.value().trim().is_empty(),
            more: state.watch.spaces_next.as_ref().map(|_| None),
            detail: None,
        })
    }
}

impl ExportList for GroupEmails {
    /// The email rows of the group shown: all of them, or with a filter in force the members it
    /// shows, in its order.
    fn rows(state: &State) -> Option<ListRows> {
        let (key, all) = state.export.emails.as_ref()?;
        let view = state.groups.last()?;
        if super::lists::view_key(view) != *key {
            return None;
        }
        let members = Members::rows(state)?;
        if !members.filtered {
            return Some(all.clone());
        }
        let by_id: std::collections::HashMap<&str, &Vec<String>> = all
            .rows
            .iter()
            .filter_map(|r| Some((r.first()?.as_str(), r)))
            .collect();
        let rows = members
            .rows
            .iter()
            .filter_map(|m| by_id.get(m.first()?.as_str()).map(|r| (*r).clone()))
            .collect();
        Some(ListRows {
            rows,
            filtered: true,
            ..all.clone()
        })
    }
}

/// The rows of a group's emails (`accountId, displayName, email, hidden`), counted as "143
/// emails, 5 hidden".
pub fn email_rows(group: &str, emails: &[crate::api::email::MemberEmail]) -> ListRows {
    let hidden = emails.iter().filter(|e| e.hidden).count();
    ListRows {
        noun: "members",
        name: format!("emails {group}"),
        header: vec!["accountId", "displayName", "email", "hidden"],
        rows: emails
            .iter()
            .map(|e| {
                vec![
                    e.account_id.clone(),
                    e.display_name.clone(),
                    e.email.clone().unwrap_or_default(),
                    e.hidden.to_string(),
                ]
            })
            .collect(),
        loaded: emails.len(),
        filtered: false,
        more: None,
        detail: Some(format!("{} emails, {hidden} hidden", emails.len() - hidden)),
    }
}

/// The file formats of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// A header row, then one row per item (RFC 4180).
    Csv,
    /// An array of objects keyed by the column names.
    Json,
}

impl ExportFormat {
    /// The format a path asks for: `.json` (any case) is JSON, anything else CSV.
    pub fn of_path(path: &str) -> ExportFormat {
        let lower = path.trim().to_ascii_lowercase();
        if lower.ends_with(".json") {
            ExportFormat::Json
        } else {
            ExportFormat::Csv
        }
    }

    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
        }
    }

    /// The other format (Tab in the prompt).
    pub fn other(self) -> ExportFormat {
        match self {
            ExportFormat::Csv => ExportFormat::Json,
            ExportFormat::Json => ExportFormat::Csv,
        }
    }

    /// The table in this format.
    pub fn encode(self, header: &[&str], rows: &[Vec<String>]) -> String {
        match self {
            ExportFormat::Csv => csv_text(header, rows),
            ExportFormat::Json => json_text(header, rows),
        }
    }
}

/// `path` with its extension switched to `format`'s (`.csv` ↔ `.json`; another or no extension
/// gets the new one added).
pub fn with_format(path: &str, format: ExportFormat) -> String {
    let trimmed = path.trim_end();
    let lower = trimmed.to_ascii_lowercase();
    let stem = [".csv", ".json"]
        .iter()
        .find(|ext| lower.ends_with(*ext))
        .map_or(trimmed, |ext| &trimmed[..trimmed.len() - ext.len()]);
    format!("{stem}.{}", format.extension())
}

/// A list's name made safe for a file name: ASCII letters, digits, `.`, `_` and `-` (other
/// letters transliterated, everything else a `-`), no leading dot or dash, at most 60 bytes.
pub fn safe_file_stem(name: &str) -> String {
    let ascii = deunicode::deunicode(name);
    let mut out = String::new();
    for c in ascii.chars() {
        let keep = c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
        let c = if keep { c.to_ascii_lowercase() } else { '-' };
        if c == '-' && (out.is_empty() || out.ends_with('-')) {
            continue;
        }
        out.push(c);
    }
    let mut out: String = out
        .trim_start_matches(['.', '-'])
        .chars()
        .take(60)
        .collect();
    while out.ends_with(['-', '.']) {
        out.pop();
    }
    if out.is_empty() {
        "list".into()
    } else {
        out
    }
}

/// One cell for a spreadsheet: a leading formula character neutralised with `'`, then cleaned.
fn sheet_cell(text: &str) -> String {
    let formula = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let text = clean(text);
    if formula {
        format!("'{text}")
    } else {
        text.into_owned()
    }
}

/// CSV (RFC 4180, `\n` line ends): a header row, then the rows. Fields with `,`, `"` or line
/// breaks are quoted by the `csv` crate; cells are neutralised and cleaned first. Rows may have
/// fewer or more cells than the header.
pub fn csv_text(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    let head = header.iter().map(|h| sheet_cell(h));
    // Writing into memory cannot fail: no I/O error, and UTF-8 in gives UTF-8 out.
    let _ = writer.write_record(head);
    for row in rows {
        let _ = writer.write_record(row.iter().map(|c| sheet_cell(c)));
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// TSV for the clipboard (a spreadsheet pastes it into columns): a header row, then the rows,
/// tab-separated; cells neutralised and cleaned (so no tab or line break is left inside one).
pub fn tsv_text(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    let line = |cells: Vec<String>, out: &mut String| {
        out.push_str(&cells.join("\t"));
        out.push('\n');
    };
    line(header.iter().map(|h| sheet_cell(h)).collect(), &mut out);
    for row in rows {
        line(row.iter().map(|c| sheet_cell(c)).collect(), &mut out);
    }
    out
}

/// A JSON array with one object per row, keyed by the column names; values cleaned text.
pub fn json_text(header: &[&str], rows: &[Vec<String>]) -> String {
    let array: Vec<serde_json::Map<String, serde_json::Value>> = rows
        .iter()
        .map(|row| {
            header
                .iter()
                .zip(row)
                .map(|(h, c)| (h.to_string(), clean(c).into_owned().into()))
                .collect()
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&array).unwrap_or_else(|_| "[]".into());
    text.push('\n');
    text
}

/// Why an export was not written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportFailure {
    /// The file exists and overwriting was not confirmed.
    Exists,
    /// The write failed: why.
    Io(String),
}

/// The `X` prompt: where to write the rows taken when it opened.
#[derive(Debug, Clone)]
pub struct ExportPrompt {
    /// The path being typed.
    pub input: Input,
    /// The rows, as the list showed them when `X` was pressed.
    pub rows: ListRows,
    /// The file exists: Enter (or `y`) overwrites it, anything else edits the path.
    pub confirm_overwrite: bool,
}

/// The export prompt, and the export being written.
#[derive(Debug, Default)]
pub struct ExportState {
    /// The path prompt, while open.
    pub prompt: Option<ExportPrompt>,
    /// The export sent to the worker: the prompt it came from, for the overwrite question.
    pub writing: Option<(String, ExportPrompt)>,
    /// The email rows `@` fetched, for the groups view they belong to (its [`view_key`]).
    ///
    /// [`view_key`]: super::lists::view_key
    pub emails: Option<(String, ListRows)>,
    /// `@` is fetching emails for this view key and group name.
    pub emails_for: Option<(String, String)>,
    /// `X` on a list with more pages: they are being loaded (as `G` does), then the prompt opens.
    pub load_all: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_neutralises_formulas_quotes_and_cleans() {
        let text = csv_text(
            &["a", "b"],
            &[vec!["=1+2".into(), "x, \"y\"\x1b[2J".into()]],
        );
        assert_eq!(text, "a,b\n'=1+2,\"x, \"\"y\"\"\u{FFFD}[2J\"\n");
    }

    #[test]
    fn tsv_has_no_tab_inside_a_cell() {
        let text = tsv_text(&["a", "b"], &[vec!["x\ty".into(), "-1".into()]]);
        assert_eq!(text, "a\tb\nx y\t'-1\n");
    }

    #[test]
    fn json_is_an_array_of_objects() {
        let text = json_text(&["a", "b"], &[vec!["1".into(), "\u{202E}2".into()]]);
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value, serde_json::json!([{"a": "1", "b": "2"}]));
    }

    #[test]
    fn file_stems_are_safe() {
        assert_eq!(
            safe_file_stem("members team-platform"),
            "members-team-platform"
        );
        assert_eq!(safe_file_stem("groups Jonas Müller"), "groups-jonas-muller");
        assert_eq!(safe_file_stem("../../etc/passwd"), "etc-passwd");
        assert_eq!(safe_file_stem("///"), "list");
        assert_eq!(with_format("./a.CSV", ExportFormat::Json), "./a.json");
        assert_eq!(with_format("./a", ExportFormat::Csv), "./a.csv");
        assert_eq!(ExportFormat::of_path("x.JSON"), ExportFormat::Json);
        assert_eq!(ExportFormat::of_path("x.txt"), ExportFormat::Csv);
    }
}
