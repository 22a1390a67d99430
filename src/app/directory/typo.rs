//! Near misses: when few people match a query, people whose name words are within a few edits
//! of the query's words (`lovelcae` → Lovelace) are listed after the true matches.
//!
//! The edit distance is the optimal string alignment distance of [`strsim`] (a swap of two
//! neighbours counts one edit, the most common typing slip). How many edits a word may carry
//! follows the documented "AUTO" fuzziness of Elasticsearch (`fuzziness` in its common
//! options): none below three chars, one for three to five, two from six. A query word is
//! compared with each name word, whole and cut to about the query word's length (so a word
//! still being typed matches). Words may come in any order.

/// Queries shorter than this (in chars) get no near misses. Decision: a query of four letters
/// or fewer is most likely still being typed, and one edit away from it lies a good share of any
/// directory (`prix` would list `priya`), so near misses would come and go with each key.
pub(super) const TYPO_FROM: usize = 5;

/// Near misses are looked for only when fewer true matches than this were found.
pub const FEW_MATCHES: usize = 5;

/// At most this many near misses are listed.
pub(super) const MAX_NEAR: usize = 50;

/// Edits a query word of `len` chars may carry.
fn allowed(len: usize) -> usize {
    match len {
        0..=2 => 0,
        3..=5 => 1,
        _ => 2,
    }
}

/// A bit per letter or digit in `word` (everything else shares one bit): a word within `k` edits
/// of a name word has at most `k` chars the name word lacks, a test that costs one AND.
fn char_mask(word: &str) -> u64 {
    word.chars().fold(0, |mask, c| {
        let bit = match c {
            'a'..='z' => c as u32 - 'a' as u32,
            '0'..='9' => 26 + c as u32 - '0' as u32,
            _ => 36 + (c as u32 % 28),
        };
        mask | 1 << bit
    })
}

/// The letters of a person's key and other forms, for [`may_be_near`].
pub(super) fn letters(key: &str, alts: &str) -> u64 {
    char_mask(key) | char_mask(alts)
}

/// False when some query word has more letters the person's names lack than it may carry
/// edits: then none of the person's words is near it.
pub(super) fn may_be_near(words: &[QueryWord<'_>], letters: u64) -> bool {
    words
        .iter()
        .all(|w| (w.mask & !letters).count_ones() as usize <= w.allowed)
}

/// One word of a query, ready to compare.
pub(super) struct QueryWord<'a> {
    text: &'a str,
    chars: usize,
    mask: u64,
    allowed: usize,
}

/// The words of a folded query.
pub(super) fn query_words(folded_query: &str) -> Vec<QueryWord<'_>> {
    folded_query
        .split_whitespace()
        .map(|text| {
            let chars = text.chars().count();
            QueryWord {
                text,
                chars,
                mask: char_mask(text),
                allowed: allowed(chars),
            }
        })
        .collect()
}

/// Edits between a query word and one name word (whole, or its start when longer), if within
/// the allowance.
fn word_distance(word: &QueryWord<'_>, name_word: &str) -> Option<usize> {
    if name_word.starts_with(word.text) {
        return Some(0);
    }
    let k = word.allowed;
    if k == 0 || (word.mask & !char_mask(name_word)).count_ones() as usize > k {
        return None;
    }
    let name_chars = name_word.chars().count();
    let mut best = usize::MAX;
    if name_chars.abs_diff(word.chars) <= k {
        best = strsim::osa_distance(word.text, name_word);
    }
    // The start of a longer name word, one char shorter to one longer than the query word.
    for cut in word.chars.saturating_sub(1)..=word.chars + 1 {
        if best == 0 || cut >= name_chars || cut == 0 {
            continue;
        }
        let end = name_word
            .char_indices()
            .nth(cut)
            .map_or(name_word.len(), |(i, _)| i);
        best = best.min(strsim::osa_distance(word.text, &name_word[..end]));
    }
    (best <= k).then_some(best)
}

/// Total edits for every query word to find a word in `form`, if each one does.
pub(super) fn form_distance(words: &[QueryWord<'_>], form: &str) -> Option<usize> {
    let mut total = 0;
    for word in words {
        total += form
            .split(' ')
            .filter_map(|name_word| word_distance(word, name_word))
            .min()?;
    }
    Some(total)
}
