//! A list printed page by page as its pages arrive (`--all`): each page is written to stdout and
//! forgotten, so a list of 100,000 people holds one page in memory, and its first rows show while
//! the later pages are still being read.
//!
//! What it prints is what [`Out::list`] prints for the same items, byte for byte, in every format
//! but one case of the table: `--json` is the same pretty array (`[`, then the objects, then `]`),
//! `--jsonl` and `--csv` the same lines. A table cannot know its widest cell before its last row,
//! so, as `kubectl get` does with its chunked lists, the first page with rows sets the column
//! widths; a wider cell in a later page pushes only its own row to the right (nothing is cut).
//!
//! When a page fails, the caller still calls [`ListStream::finish`]: the JSON array is closed, so
//! what was printed stays valid JSON, and the command then exits non-zero with the error on
//! stderr. A script tells a whole list from a cut one by the exit code.

use super::{clean, widths, Format, Out};
use serde::Serialize;

/// A list being printed page by page; see the module's rules.
pub struct ListStream<'a> {
    format: Format,
    header: &'a [&'a str],
    csv_header: &'a [&'a str],
    empty: &'a str,
    /// The table's column widths, set by the first page with rows.
    widths: Option<Vec<usize>>,
    items: usize,
}

impl<'a> ListStream<'a> {
    /// A list in `format`: `header` heads the table, `csv_header` the CSV (the API's field
    /// names); `empty` is the table's note when there are no items.
    pub fn new(
        format: Format,
        header: &'a [&'a str],
        csv_header: &'a [&'a str],
        empty: &'a str,
    ) -> Self {
        ListStream {
            format,
            header,
            csv_header,
            empty,
            widths: None,
            items: 0,
        }
    }

    /// How many items were printed so far.
    pub fn count(&self) -> usize {
        self.items
    }

    /// Prints one page's items (`human` gives a table row, `csv` a CSV row) and sends them to
    /// stdout.
    pub fn page<T: Serialize>(
        &mut self,
        out: &mut Out,
        items: &[T],
        human: impl Fn(&T) -> Vec<String>,
        csv: impl Fn(&T) -> Vec<String>,
    ) {
        match self.format {
            Format::Json => {
                for item in items {
                    let text = match serde_json::to_string_pretty(item) {
                        Ok(text) => text,
                        Err(e) => format!("{{\"error\": {:?}}}", e.to_string()),
                    };
                    out.buf
                        .push_str(if self.items == 0 { "[\n" } else { ",\n" });
                    for (i, line) in text.lines().enumerate() {
                        if i > 0 {
                            out.buf.push('\n');
                        }
                        out.buf.push_str("  ");
                        out.buf.push_str(line);
                    }
                    self.items += 1;
                }
            }
            Format::Jsonl => {
                for item in items {
                    out.json_line(item);
                }
                self.items += items.len();
            }
            Format::Csv => {
                if self.items == 0 && self.widths.is_none() {
                    out.csv_row(self.csv_header);
                    // Marks the header as written.
                    self.widths = Some(Vec::new());
                }
                for item in items {
                    out.csv_row(&csv(item));
                }
                self.items += items.len();
            }
            Format::Human => {
                let rows: Vec<Vec<String>> = items
                    .iter()
                    .map(|item| human(item).iter().map(|c| clean(c)).collect())
                    .collect();
                if !rows.is_empty() && self.widths.is_none() {
                    let widths = widths(self.header, &rows);
                    out.table_head(self.header, &widths);
                    self.widths = Some(widths);
                }
                let widths = self.widths.clone().unwrap_or_default();
                for row in rows {
                    out.table_row(row, &widths);
                }
                self.items += items.len();
            }
        }
        out.send();
    }

    /// Ends the list (also after a failed page): closes the JSON array, writes the CSV header of
    /// an empty list or the table's note, and sends the rest to stdout.
    pub fn finish(self, out: &mut Out) {
        match self.format {
            Format::Json if self.items == 0 => out.line("[]"),
            Format::Json => out.buf.push_str("\n]\n"),
            Format::Csv if self.widths.is_none() => out.csv_row(self.csv_header),
            Format::Human if self.items == 0 => {
                let note = out.dim(self.empty);
                out.line(note);
            }
            Format::Jsonl | Format::Csv | Format::Human => {}
        }
        out.send();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(v: &serde_json::Value) -> Vec<String> {
        vec![
            v["name"].as_str().unwrap_or_default().to_string(),
            v["id"].to_string(),
        ]
    }

    /// The streamed output of `pages` in `format`, and the buffered output of the same items.
    fn both(format: Format, pages: &[Vec<serde_json::Value>]) -> (String, String) {
        let mut streamed = Out::new(false);
        let mut list = ListStream::new(format, &["NAME", "ID"], &["name", "id"], "none");
        for page in pages {
            list.page(&mut streamed, page, row, row);
        }
        list.finish(&mut streamed);
        let all: Vec<serde_json::Value> = pages.concat();
        let mut buffered = Out::new(false);
        buffered.list(format, &all, &[("NAME", "name"), ("ID", "id")], row, "none");
        (streamed.as_str().to_string(), buffered.as_str().to_string())
    }

    #[test]
    fn streamed_pages_print_what_the_buffered_list_prints() {
        let pages = vec![
            vec![json!({"name": "Ada Lovelace", "id": 1, "nested": {"a": [1, 2]}})],
            vec![],
            vec![
                json!({"name": "Bo", "id": 2}),
                json!({"name": "x,\"y\"", "id": 3}),
            ],
        ];
        for format in [Format::Json, Format::Jsonl, Format::Csv, Format::Human] {
            let (streamed, buffered) = both(format, &pages);
            assert_eq!(streamed, buffered, "{format:?}");
        }
        for format in [Format::Json, Format::Jsonl, Format::Csv, Format::Human] {
            let (streamed, buffered) = both(format, &[vec![], vec![]]);
            assert_eq!(streamed, buffered, "{format:?} (empty)");
        }
        let (streamed, _) = both(Format::Jsonl, &pages);
        assert_eq!(streamed.lines().count(), 3);
    }

    #[test]
    fn a_wider_cell_in_a_later_page_pushes_only_its_row() {
        let pages = vec![
            vec![json!({"name": "Bo", "id": 1})],
            vec![json!({"name": "Bartholomew", "id": 2})],
        ];
        let (streamed, _) = both(Format::Human, &pages);
        assert_eq!(streamed, "NAME  ID\nBo    1\nBartholomew  2\n");
    }
}
