//! Printing for the non-interactive commands: aligned tables for people, CSV and JSON for scripts.
//!
//! Strings from the server are untrusted: human and CSV output drop control characters (so a
//! display name cannot move the cursor or change colours), JSON escapes them. Colour is used only
//! when stdout is a terminal and `NO_COLOR` is unset (`CLICOLOR_FORCE=1` forces it, for tests).
//! A command's output is built in memory and written once, so a closed pipe never panics; a list
//! read whole (`--all`) is written page by page instead ([`ListStream`], in `output/stream.rs`),
//! so its first rows show while later pages are still on their way, in constant memory.

use serde::Serialize;
use std::io::{IsTerminal, Write};
use unicode_width::UnicodeWidthStr;

mod stream;
pub use stream::ListStream;

/// How a command prints its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Aligned text for a person.
    Human,
    /// What the API returned, as JSON.
    Json,
    /// A header row and one row per item.
    Csv,
    /// What the API returned, one compact JSON object per line (JSON Lines).
    Jsonl,
}

impl Format {
    /// From the `--json`/`--csv` flags.
    pub fn from_flags(json: bool, csv: bool) -> Self {
        if json {
            Format::Json
        } else if csv {
            Format::Csv
        } else {
            Format::Human
        }
    }

    /// From a list command's `--json`/`--jsonl`/`--csv` flags.
    pub fn of_list(args: &crate::cli::ListFormatArgs) -> Self {
        if args.jsonl {
            Format::Jsonl
        } else {
            Format::from_flags(args.json, args.csv)
        }
    }
}

/// Whether colour escapes go to stdout: a terminal, no `NO_COLOR`; `CLICOLOR_FORCE` forces it.
pub fn color_enabled() -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    if set("NO_COLOR") {
        return false;
    }
    if std::env::var("CLICOLOR_FORCE").is_ok_and(|v| v != "0" && !v.is_empty()) {
        return true;
    }
    std::io::stdout().is_terminal()
}

/// Collected output of one command.
#[derive(Debug, Default)]
pub struct Out {
    buf: String,
    color: bool,
    /// Written to stdout at each [`Out::send`], not only at the end.
    live: bool,
    /// Stdout was closed (`| head`): nothing more is worth reading from the server.
    closed: bool,
}

impl Out {
    /// An empty output; `color` enables bold headers and dim notes.
    pub fn new(color: bool) -> Self {
        Out {
            buf: String::new(),
            color,
            live: false,
            closed: false,
        }
    }

    /// An output that reaches stdout at each [`Out::send`] (the binary's): a list read page by
    /// page shows each page as it arrives.
    pub fn live(color: bool) -> Self {
        Out {
            live: true,
            ..Out::new(color)
        }
    }

    /// Writes what is collected so far to stdout, when live (else it keeps collecting). A closed
    /// pipe is remembered ([`Out::is_closed`]), not reported.
    pub fn send(&mut self) {
        if !self.live || self.buf.is_empty() {
            return;
        }
        if !self.closed {
            let mut stdout = std::io::stdout().lock();
            if stdout.write_all(self.buf.as_bytes()).is_err() || stdout.flush().is_err() {
                self.closed = true;
            }
        }
        self.buf.clear();
    }

    /// Whether stdout was found closed: a reader that stopped reading (`| head -1`).
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// The text so far (tests).
    pub fn as_str(&self) -> &str {
        &self.buf
    }

    /// Appends one line (the caller cleans untrusted parts).
    pub fn line(&mut self, text: impl AsRef<str>) {
        self.buf.push_str(text.as_ref());
        self.buf.push('\n');
    }

    /// Bold text when colour is on.
    pub fn bold(&self, text: &str) -> String {
        if self.color {
            format!("\x1b[1m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    /// Dim text when colour is on (notes like "hidden by privacy settings").
    pub fn dim(&self, text: &str) -> String {
        if self.color {
            format!("\x1b[2m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    /// Pretty JSON of any serialisable value.
    pub fn json<T: Serialize + ?Sized>(&mut self, value: &T) {
        match serde_json::to_string_pretty(value) {
            Ok(text) => self.line(text),
            // Serialising our own model types cannot fail; say so rather than print nothing.
            Err(e) => self.line(format!("{{\"error\": {:?}}}", e.to_string())),
        }
    }

    /// Compact JSON of one value on one line (JSON Lines).
    pub fn json_line<T: Serialize + ?Sized>(&mut self, value: &T) {
        match serde_json::to_string(value) {
            Ok(text) => self.line(text),
            Err(e) => self.line(format!("{{\"error\": {:?}}}", e.to_string())),
        }
    }

    /// A table: bold header, columns padded to their widest cell (by display width). Cells are
    /// cleaned of control characters.
    pub fn table(&mut self, header: &[&str], rows: &[Vec<String>]) {
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.iter().map(|c| clean(c)).collect())
            .collect();
        let widths = widths(header, &rows);
        self.table_head(header, &widths);
        for row in rows {
            self.table_row(row, &widths);
        }
    }

    /// A table's bold header row, padded to `widths`.
    fn table_head(&mut self, header: &[&str], widths: &[usize]) {
        let head = render(header.iter().map(|h| h.to_string()).collect(), widths);
        let head = self.bold(&head);
        self.line(head);
    }

    /// One table row padded to `widths` (a cell wider than its column pushes the rest right);
    /// cells must be cleaned already.
    fn table_row(&mut self, cells: Vec<String>, widths: &[usize]) {
        let text = render(cells, widths);
        self.line(text);
    }

    /// CSV (RFC 4180): a header row, then the rows; fields with `,`, `"` or line breaks are
    /// quoted, cells a spreadsheet would run as a formula neutralised, control characters
    /// dropped. Written by the one CSV implementation the TUI's exports use too.
    pub fn csv(&mut self, header: &[&str], rows: &[Vec<String>]) {
        self.csv_row(header);
        for row in rows {
            self.csv_row(row);
        }
    }

    /// One CSV row (a header row too), written by the one CSV implementation the TUI's exports
    /// use too, so a streamed page and a whole list quote alike.
    fn csv_row<S: AsRef<str>>(&mut self, cells: &[S]) {
        let cells: Vec<&str> = cells.iter().map(AsRef::as_ref).collect();
        let record = crate::app::export::csv_text(&cells, &[]);
        self.line(record.strip_suffix('\n').unwrap_or(&record));
    }

    /// A list in the chosen format: table, CSV or JSON of the API items. Each column has a
    /// table header for people and a CSV header for scripts (the API's field name).
    pub fn list<T: Serialize>(
        &mut self,
        format: Format,
        items: &[T],
        columns: &[(&str, &str)],
        row: impl Fn(&T) -> Vec<String>,
        empty: &str,
    ) {
        let header: Vec<&str> = columns.iter().map(|c| c.0).collect();
        let header = header.as_slice();
        match format {
            Format::Json => self.json(items),
            Format::Jsonl => {
                for item in items {
                    self.json_line(item);
                }
            }
            Format::Csv => {
                let rows: Vec<Vec<String>> = items.iter().map(&row).collect();
                let names: Vec<&str> = columns.iter().map(|c| c.1).collect();
                self.csv(&names, &rows);
            }
            Format::Human if items.is_empty() => {
                let note = self.dim(empty);
                self.line(note);
            }
            Format::Human => {
                let rows: Vec<Vec<String>> = items.iter().map(&row).collect();
                self.table(header, &rows);
            }
        }
    }

    /// Writes everything to stdout. A closed pipe (`| head`) is not an error worth reporting.
    pub fn flush(self) {
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(self.buf.as_bytes());
        let _ = stdout.flush();
    }
}

/// A table row: cells padded to their column's width, two spaces apart, trailing space trimmed.
fn render(cells: Vec<String>, widths: &[usize]) -> String {
    let last = cells.len().saturating_sub(1);
    let mut line = String::new();
    for (i, cell) in cells.iter().enumerate() {
        line.push_str(cell);
        if i < last {
            let pad = widths
                .get(i)
                .copied()
                .unwrap_or(0)
                .saturating_sub(cell.width());
            line.push_str(&" ".repeat(pad + 2));
        }
    }
    line.trim_end().to_string()
}

/// The widths of a table's columns: each its widest cell's (header included), by display width.
fn widths(header: &[&str], rows: &[Vec<String>]) -> Vec<usize> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.width());
            }
        }
    }
    widths
}

/// Untrusted text made safe to print, as a `String` for table cells and messages: the one
/// sanitizer's rule ([`crate::sanitize::clean`]), shared with the TUI.
pub fn clean(text: &str) -> String {
    crate::sanitize::clean(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_needs_quoting_and_drops_escapes() {
        let mut out = Out::new(false);
        out.csv(
            &["a", "b"],
            &[vec!["x, y".into(), "say \"hi\"\x1b[31m".into()]],
        );
        assert_eq!(
            out.as_str(),
            "a,b\n\"x, y\",\"say \"\"hi\"\"\u{FFFD}[31m\"\n"
        );
    }

    #[test]
    fn csv_cells_a_spreadsheet_would_run_are_neutralised() {
        let mut out = Out::new(false);
        let hostile = [
            "=HYPERLINK(\"x\")",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "\tcmd",
            "\rcmd",
        ];
        out.csv(&["v"], &hostile.map(|h| vec![h.to_string()]));
        let cells: Vec<&str> = out.as_str().lines().skip(1).collect();
        assert_eq!(
            cells,
            [
                "\"'=HYPERLINK(\"\"x\"\")\"",
                "'+1",
                "'-2+3",
                "'@SUM(A1)",
                "' cmd",
                "' cmd"
            ]
        );
        // Bidi overrides cannot reorder a line of CSV either.
        let mut out = Out::new(false);
        out.csv(&["v"], &[vec!["abc\u{202E}fed".into()]]);
        assert_eq!(out.as_str(), "v\nabcfed\n");
    }

    #[test]
    fn tables_align_wide_characters_and_drop_escapes() {
        let mut out = Out::new(false);
        out.table(
            &["NAME", "ID"],
            &[
                vec!["李小龍".into(), "1".into()],
                vec!["Bo\x1b[2J".into(), "2".into()],
            ],
        );
        assert_eq!(out.as_str(), "NAME    ID\n李小龍  1\nBo\u{FFFD}[2J  2\n");
    }
}
