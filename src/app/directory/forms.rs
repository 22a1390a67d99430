//! Every form a person might type for a name, built once when the person is added.
//!
//! Besides the folded name (the exact script, accents stripped), a name gets:
//! - its **ASCII transliteration**, char by char with [`deunicode`]: Cyrillic (`Иванов` →
//!   `ivanov`), Greek (`Παπαδόπουλος` → `papadopoulos`), Han as Mandarin pinyin (`王` → `wang`,
//!   `陈浩然` → `chen hao ran`), kana as romaji (`たなか` → `tanaka`), Hangul, and letters that do
//!   not decompose (`ß` → `ss`, `ł` → `l`, `ø` → `o`);
//! - the **spelled-out variant** used where the letter cannot be typed: `ä ö ü` → `ae oe ue`
//!   (`Müller` → `mueller`), `ø` → `oe`, `å` → `aa`, `æ` → `ae`;
//! - for a name written in another script, the **local part of the email address**
//!   (`shota.tanaka@…` → `shota tanaka`): the Latin spelling the person chose themselves.
//!
//! Japanese names in kanji cannot be read from the characters alone (`田中` is `tanaka`, but
//! every kanji has several readings, and `deunicode`, like `any_ascii`, reads Han as Chinese:
//! `田中` → `tian zhong`). So `tanaka` finds `田中 翔太` through the email address or a Latin public
//! name when the site shows one, and through the pinyin reading otherwise never; kana names do
//! transliterate. Decision: no dictionary of Japanese readings is bundled (megabytes, and still a
//! guess for given names).

use super::fold_char;

/// Which form of a name to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Form {
    /// Folded chars, ASCII where the char transliterates.
    Ascii,
    /// As `Ascii`, but umlauts and Nordic letters spelled out (`ü` → `ue`).
    Spelled,
}

/// The spelled-out form of the letters that have one (German and Nordic usage).
fn spelled(c: char) -> Option<&'static str> {
    Some(match c {
        'ä' | 'Ä' | 'æ' | 'Æ' => "ae",
        'ö' | 'Ö' | 'ø' | 'Ø' => "oe",
        'ü' | 'Ü' => "ue",
        'å' | 'Å' => "aa",
        _ => return None,
    })
}

/// Builds `form` of `text`, calling `push(origin, char)` for each char of the form, where
/// `origin` is the index of the original char it came from. Runs of spaces collapse to one and
/// no space leads or trails (Han transliterations end in a space: `田` → `Tian `).
fn build(text: &str, form: Form, mut push: impl FnMut(usize, char)) {
    let mut last_space = true;
    let mut pending_space: Option<usize> = None;
    let mut emit = |origin: usize, c: char, push: &mut dyn FnMut(usize, char)| {
        if c == ' ' {
            if !last_space {
                pending_space = Some(origin);
            }
            last_space = true;
            return;
        }
        if let Some(at) = pending_space.take() {
            push(at, ' ');
        }
        last_space = false;
        push(origin, c);
    };
    for (i, c) in text.chars().enumerate() {
        if c.is_whitespace() {
            emit(i, ' ', &mut push);
            continue;
        }
        if form == Form::Spelled {
            if let Some(s) = spelled(c) {
                s.chars().for_each(|t| emit(i, t, &mut push));
                continue;
            }
        }
        let folded = fold_char(c);
        if folded.is_ascii() {
            emit(i, folded, &mut push);
            continue;
        }
        match deunicode::deunicode_char(c) {
            Some(ascii) if !ascii.is_empty() => {
                for t in ascii.chars() {
                    emit(i, t.to_ascii_lowercase(), &mut push);
                }
            }
            // Nothing known: keep the folded char, so the form still matches the exact script.
            _ => emit(i, folded, &mut push),
        }
    }
}

/// `form` of `text` as a string.
pub(super) fn form(text: &str, form: Form) -> String {
    let mut out = String::with_capacity(text.len());
    build(text, form, |_, c| out.push(c));
    out
}

/// `form` of `text` and, per char of it, the index of the original char it came from (to
/// highlight the original name for a match in the form).
pub(super) fn form_with_origins(text: &str, which: Form) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut origins = Vec::with_capacity(text.len());
    build(text, which, |i, c| {
        out.push(c);
        origins.push(i);
    });
    (out, origins)
}

/// The forms of a name other than its folded `key`, each different from the key and from each
/// other, in one string (a space between them: one match per person, not one per form): empty
/// for a plain ASCII name, so most people cost nothing more to match.
pub(super) fn alternates(text: &str, key: &str, email: Option<&str>) -> Box<str> {
    if text.is_ascii() {
        return Box::default();
    }
    let mut forms: Vec<String> = Vec::new();
    let mut add = |f: String| {
        if !f.is_empty() && f != key && !forms.contains(&f) {
            forms.push(f);
        }
    };
    add(form(text, Form::Ascii));
    add(form(text, Form::Spelled));
    // A name in another script (the folded key is not ASCII): the address's spelling too.
    if !key.is_ascii() {
        if let Some(local) = email.and_then(|e| e.split('@').next()) {
            let local: String = local
                .chars()
                .map(|c| match c {
                    '.' | '_' | '-' | '+' => ' ',
                    c => c.to_ascii_lowercase(),
                })
                .collect();
            add(local.trim().to_string());
        }
    }
    forms.join(" ").into_boxed_str()
}

/// The ASCII form of a folded query written in another script (`иванов` → `ivanov`, `田中` →
/// `tian zhong`), to find people whose names are written in Latin letters; None when the query
/// is ASCII already or has no other form.
pub(super) fn query_ascii(folded_query: &str) -> Option<String> {
    if folded_query.is_ascii() {
        return None;
    }
    let ascii = form(folded_query, Form::Ascii);
    (ascii != folded_query && !ascii.is_empty()).then_some(ascii)
}
