//! The one gate every server string passes before it is drawn.
//!
//! Names and messages come from the server and are untrusted: a display name holding an escape
//! sequence must not move the cursor, change colours or set the window title, and a bidi override
//! must not reorder the rest of the row. Control characters (C0, DEL, C1) become `�`; bidi
//! controls are dropped; text is cut to a column width with `…`, counting wide (CJK, emoji)
//! characters as two columns and combining marks as none.

use std::borrow::Cow;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn needs_cleaning(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// `text` with control characters replaced and bidi controls removed.
pub fn clean(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_cleaning) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .filter(|c| !is_bidi_control(*c))
            .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
            .collect(),
    )
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

#[cfg(test)]
mod tests {
    use super::*;

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
