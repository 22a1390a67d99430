//! Ranking without scoring everyone: what a keystroke needs is the count of matches and the
//! first screenful in final order, not the order of the 100,000th row.
//!
//! - **Letter masks.** A person's folded letters are one `u64` kept in an array beside the people
//!   ([`Directory`]'s `masks`), so most people who lack one of the query's letters are passed
//!   over without touching their names. The matcher matches a query only where every char of it
//!   appears in order ([`fuzzy_matcher::skim`]: `cheap_matches`, exact char equality because
//!   keys and queries are both folded and the matcher respects case), so a missing letter means
//!   no match. For a one-char query of a letter or digit the mask test is the whole match test.
//! - **A subsequence test before scoring.** The same in-order test, without the matcher's
//!   buffers, decides whether a person matches at all; only matches are scored.
//! - **Partial ranking.** No skim score exceeds `32 × chars − 1` for a query (each matched char
//!   scores 16 plus a bonus of at most 16: the head bonus 8, doubled on the first char of the
//!   name; the first char's bonus comes after the leading skip of −1: the default
//!   `SkimScoreConfig` of fuzzy-matcher 0.3, read from its source). A name that starts with a
//!   one-char query reaches it (`pinned::the_score_bound_is_reached_and_never_passed`). For a
//!   query of ASCII letters the exact highest is `31 + 20 × (chars − 1)` (51 for two letters,
//!   71 for three; see [`score_bound`] for the proof, and the tests in `rank/bound.rs`), reached
//!   by a name starting with the query; other queries (a space, a digit, of three chars or more
//!   a letter twice in a row) keep `32 × chars − 1`, which no name reaches, so they are ranked in
//!   full, from the letter masks (and from the previous query's hits when those are few).
//!   Ranking visits people in directory order and stops scoring once it has `want` people at
//!   that bound (an exact bound is reached only by a key that starts with the query's first
//!   char, so only those are scored on the way; see [`exact_bound`]): ties rank in directory order, so they are exactly the first `want` rows, and
//!   everyone after ranks below them. The other matches are only counted (kept, unscored, for
//!   later); [`Directory::complete`] orders them when the list is scrolled that far. When too
//!   few reach the bound, everyone matching is scored: the answer is always the full ranking's.
//! - **First rows first.** On a keystroke the ranking stops there ([`Directory::rank_head`]):
//!   the people after the stop are left unscanned, and the screen shows the first rows (and
//!   `counting` for the count). The event loop then looks at the rest when no key waits, a step
//!   at a time ([`Directory::scan_rest`]), scoring only keys that can reach the bound; once all
//!   are seen, every hit at the bound is known and ordered (in directory order), usually many
//!   screens' worth, and the count shows. A key that comes first goes first.

use super::{sort_hits, Directory, Hit, Query, AS_TYPED, PARALLEL_FROM};
use rayon::prelude::*;
use std::ops::Range;

#[cfg(test)]
mod bound;

/// A ranking for a folded query: `hits[..sorted]` are the best matches in their final order;
/// `hits[sorted..]` are the other matches, each ranking below all of those, not yet in order.
/// The people of `unscanned` were not looked at yet: their matches rank below the ordered rows
/// too, and are found by [`Directory::scan_rest`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ranked {
    /// Every match found: the ordered ones first.
    pub hits: Vec<Hit>,
    /// How many of `hits` are in their final order.
    pub sorted: usize,
    /// People still to be looked at (their matches are not in `hits` yet).
    pub unscanned: Option<Unscanned>,
}

/// The people a ranking has not looked at yet: everyone in `people`, except, before
/// `heads_before`, those whose key starts with the query's first char (looked at first, for the
/// first rows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unscanned {
    /// Directory indices, the next first.
    pub people: Range<usize>,
    /// Where the first rows' look at the keys that can reach the bound stopped.
    pub heads_before: usize,
}

impl Ranked {
    /// A complete ranking (every hit in order).
    pub fn complete(hits: Vec<Hit>) -> Ranked {
        let sorted = hits.len();
        Ranked {
            hits,
            sorted,
            unscanned: None,
        }
    }

    /// True when every hit is found and in its final order.
    pub fn is_complete(&self) -> bool {
        self.sorted >= self.hits.len() && self.unscanned.is_none()
    }
}

/// People scored before the partial ranking first checks whether it may stop.
const FIRST_CHUNK: usize = 2_048;

/// A hit found but not scored yet.
pub(super) const UNSCORED: i64 = i64::MIN;

/// The highest score the matcher can give a folded query (see the module docs): exact for a
/// query of ASCII letters (of three or more, no letter twice in a row), a bound no name
/// reaches otherwise.
///
/// Why `31 + 20 × (chars − 1)` for letters (fuzzy-matcher 0.3's `SkimMatcherV2::fuzzy` without
/// positions, which keeps two rows of its matrix and reuses them, and its buffers across calls):
/// - The first char scores 16 plus at most its place's bonus 16 (a head, doubled at the start
///   of the name) after the leading skip −1: 31, only at the name's first char.
/// - Each later char `i` at a place right after char `i − 1`'s: 16 plus the carried bonus read
///   from the row, at least 4. Its place follows a letter (the previous query char), so the
///   place itself earns nothing (respecting case, a letter never matches an upper-case one).
///   The carried bonus read there is 0: the row was cleared at the start for char 2, and for
///   char `i ≥ 3` the cell read was cleared in this pass or in the pass of char `i − 2` unless
///   the name's char there equals char `i` or char `i − 2` of the query, while it equals char
///   `i − 1`; so only a doubled letter lets an old value through (the buffers are reused, so
///   an old value may come from another name). Hence at most +20.
/// - After a gap: the gap costs at least 4 (−3 to open, −1 a char), the place earns at most 8
///   (a word head): at most +20 again. A gap that starts where the row's pass starts reads what
///   the row held from the pass of char `i − 3` (or the cleared row's −1 for char 2), a score
///   at least 40 below the bound of char `i − 1`, so it cannot do better.
///
/// So a name that starts with the query reaches it; tests check it on a generated directory
/// and on random names and queries that reuse the matcher's buffers.
pub(super) fn score_bound(folded_query: &str) -> i64 {
    let chars = folded_query.chars().count() as i64;
    AS_TYPED
        + if exact_bound(folded_query) {
            31 + 20 * (chars - 1)
        } else {
            32 * chars - 1
        }
}

/// True when [`score_bound`] is exact: one char, or ASCII letters (of three or more, no
/// letter twice in a row). Then only a name whose key starts with the query's first char
/// reaches it: a first char matched anywhere else scores at most 16 + 8 − 1 = 23, not 31, and
/// each later char adds at most 20 as above, so such a name stays 8 below; a match in another
/// form (which may start with the char: `мария` is `mariia`) is 1 below at least, and one of
/// the transliterated query far below.
pub(super) fn exact_bound(folded_query: &str) -> bool {
    let chars = folded_query.chars().count();
    let letters = folded_query.bytes().all(|b| b.is_ascii_lowercase());
    let doubled = chars > 2
        && folded_query
            .as_bytes()
            .windows(2)
            .any(|pair| pair[0] == pair[1]);
    chars == 1 || (chars > 0 && letters && !doubled)
}

/// The char a key must start with to reach the query's bound, when the bound is exact.
fn bound_head(folded_query: &str) -> Option<char> {
    folded_query
        .chars()
        .next()
        .filter(|_| exact_bound(folded_query))
}

/// True when `pattern`'s chars appear in `text` in order (the matcher's own match test).
pub(super) fn in_order(pattern: &str, text: &str) -> bool {
    if pattern.is_ascii() {
        let mut want = pattern.bytes();
        let Some(mut next) = want.next() else {
            return true;
        };
        for b in text.bytes() {
            if b == next {
                match want.next() {
                    Some(n) => next = n,
                    None => return true,
                }
            }
        }
        return false;
    }
    let mut want = pattern.chars().peekable();
    for c in text.chars() {
        if want.peek() == Some(&c) {
            want.next();
        }
    }
    want.peek().is_none()
}

impl Query<'_> {
    /// True when the person matches the query as typed or transliterated (before any score).
    pub(super) fn matches(&self, key: &str, alts: &str, mask: u64) -> bool {
        let form = |q: &str, q_mask: u64| {
            if q_mask & !mask != 0 {
                return false;
            }
            if self.exact_mask {
                return true;
            }
            in_order(q, key) || (q.is_ascii() && !alts.is_empty() && in_order(q, alts))
        };
        form(self.typed, self.typed_mask)
            || self
                .ascii
                .as_deref()
                .is_some_and(|a| form(a, self.ascii_mask))
    }
}

impl Directory {
    /// Ranks `candidates` (or everyone) against a folded query, ordering at least the first
    /// `want` rows (all of them when fewer), and finds every match; see the module docs.
    /// Candidates are a previous complete ranking of a prefix of the query: a longer query's
    /// matches are among its matches.
    pub fn rank_top(&self, folded_query: &str, candidates: Option<&Ranked>, want: usize) -> Ranked {
        let mut ranked = self.rank_head(folded_query, candidates, want);
        self.scan_rest(folded_query, &mut ranked, usize::MAX);
        ranked
    }

    /// [`Directory::rank_top`] up to the first `want` rows. With an exact bound only keys that
    /// start with the query's first char can reach it (see `exact_bound`), so only those are
    /// looked at, in directory order, until `want` of them are at the bound: a first letter or
    /// a narrowing letter skips everyone else with a byte compare. Everyone else is left
    /// [`Unscanned`] for [`Directory::scan_rest`]: those rows show at once, and counting the
    /// matches, most of a keystroke's work, waits for the screen to be drawn.
    pub fn rank_head(
        &self,
        folded_query: &str,
        candidates: Option<&Ranked>,
        want: usize,
    ) -> Ranked {
        let query = Query::new(folded_query);
        let head = bound_head(folded_query);
        // Without an exact bound everyone matching is scored: few candidates are visited in
        // directory order; many cost more to sort than the masks cost to pass over everyone.
        // A ranking still `unscanned` lacks matches.
        let order: Option<Vec<usize>> = candidates
            .filter(|c| head.is_none() && c.unscanned.is_none())
            .filter(|c| c.hits.len() * 4 < self.people.len())
            .map(|c| {
                let mut order: Vec<usize> = c.hits.iter().map(|h| h.index).collect();
                order.sort_unstable();
                order
            });
        let bound = score_bound(folded_query);
        let count = order.as_ref().map_or(self.people.len(), Vec::len);
        let score_at = |at: usize| {
            let i = order.as_ref().map_or(at, |o| o[at]);
            match head {
                Some(c) if !self.texts.key_starts_with(i, c) => None,
                _ => self.scored_hit(i, &query),
            }
        };
        // A chunk at a time (on every core when large), chunks growing, until `want` people at
        // the bound are found: a first letter stops within a few thousand people.
        let mut scored: Vec<Hit> = Vec::new();
        let mut top = 0;
        let mut stop = None;
        let mut from = 0;
        let mut chunk = FIRST_CHUNK;
        while from < count {
            let to = (from + chunk).min(count);
            let before = scored.len();
            if to - from < PARALLEL_FROM {
                scored.extend((from..to).filter_map(score_at));
            } else {
                let part: Vec<Hit> = (from..to).into_par_iter().filter_map(score_at).collect();
                scored.extend(part);
            }
            top += scored[before..].iter().filter(|h| h.score == bound).count();
            from = to;
            chunk *= 2;
            if top >= want && head.is_some() {
                stop = Some(from);
                break;
            }
        }
        let Some(from) = stop else {
            // Too few at the bound: every match is scored and ordered, the others too.
            let mut ranked = Ranked {
                hits: scored,
                sorted: 0,
                unscanned: head.map(|_| Unscanned {
                    people: 0..count,
                    heads_before: count,
                }),
            };
            self.complete(folded_query, &mut ranked);
            return ranked;
        };
        // The first `want` hits at the bound (in directory order, as ties rank), then the
        // others looked at so far; everyone else later.
        let (mut hits, others): (Vec<Hit>, Vec<Hit>) =
            scored.into_iter().partition(|h| h.score == bound);
        hits.extend(others);
        Ranked {
            hits,
            sorted: want,
            unscanned: Some(Unscanned {
                people: 0..count,
                heads_before: from,
            }),
        }
    }

    /// Person `i` for a ranking, scored: None when not a match. Called for the people whose
    /// key can reach the query's bound (it starts with the query's first char, when the bound is
    /// exact: see `exact_bound`), or for everyone when it is not exact.
    ///
    /// For a query of one ASCII letter or digit, the key starting with it is the score: such a
    /// key scores the bound exactly (`pinned::the_score_bound_is_reached_and_never_passed`), so
    /// no name is scored.
    fn scored_hit(&self, i: usize, query: &Query<'_>) -> Option<Hit> {
        if !self.matches(i, query) {
            return None;
        }
        let score = if query.exact_mask {
            score_bound(query.typed)
        } else {
            self.score_person(i, query)?
        };
        Some(Hit { index: i, score })
    }

    /// Person `i` for a ranking, unscored (their key cannot reach the bound, so they rank below
    /// the top rows and are scored only if the ranking has to be complete): None when not a
    /// match.
    fn unscored_hit(&self, i: usize, query: &Query<'_>) -> Option<Hit> {
        self.matches(i, query).then_some(Hit {
            index: i,
            score: UNSCORED,
        })
    }

    /// Looks at up to `at_most` of a ranking's `unscanned` people (on every core when many),
    /// adding their matches after its other hits, as ranking them would have: they rank below
    /// its ordered rows. When none are left, every hit at the query's bound is known, and in
    /// directory order they are the next rows of the full ranking: they join the ordered ones.
    /// True when none are left.
    pub fn scan_rest(&self, folded_query: &str, ranked: &mut Ranked, at_most: usize) -> bool {
        let Some(Unscanned {
            people,
            heads_before,
        }) = ranked.unscanned.take()
        else {
            return true;
        };
        let query = Query::new(folded_query);
        let head = bound_head(folded_query);
        let end = people.end.min(people.start.saturating_add(at_most));
        // Keys starting with the head before `heads_before` were looked at for the first rows.
        let look = |i: usize| match head {
            Some(c) if self.texts.key_starts_with(i, c) => {
                if i < heads_before {
                    None
                } else {
                    self.scored_hit(i, &query)
                }
            }
            Some(_) => self.unscored_hit(i, &query),
            None => self.scored_hit(i, &query),
        };
        if end - people.start < PARALLEL_FROM {
            ranked.hits.extend((people.start..end).filter_map(look));
        } else {
            let part: Vec<Hit> = (people.start..end)
                .into_par_iter()
                .filter_map(look)
                .collect();
            ranked.hits.extend(part);
        }
        if end < people.end {
            ranked.unscanned = Some(Unscanned {
                people: end..people.end,
                heads_before,
            });
            return false;
        }
        // The hits at the bound, in directory order: those the head found past the first rows
        // (all before `heads_before`), then those found here (all after it).
        let bound = score_bound(folded_query);
        let sorted = ranked.sorted.min(ranked.hits.len());
        let (at_bound, below): (Vec<Hit>, Vec<Hit>) =
            ranked.hits[sorted..].iter().partition(|h| h.score == bound);
        ranked.hits.truncate(sorted);
        ranked.sorted = sorted + at_bound.len();
        ranked.hits.extend(at_bound);
        ranked.hits.extend(below);
        true
    }

    /// Puts every hit of `ranked` in its final order (scoring those not scored yet).
    pub fn complete(&self, folded_query: &str, ranked: &mut Ranked) {
        if ranked.is_complete() {
            return;
        }
        self.scan_rest(folded_query, ranked, usize::MAX);
        if ranked.is_complete() {
            return;
        }
        let query = Query::new(folded_query);
        let tail = &mut ranked.hits[ranked.sorted..];
        self.score_unscored(&query, tail);
        sort_hits(tail);
        ranked.sorted = ranked.hits.len();
    }

    /// Scores the hits of `hits` found but not scored yet (on every core when many).
    fn score_unscored(&self, query: &Query<'_>, hits: &mut [Hit]) {
        let score = |hit: &mut Hit| {
            if hit.score == UNSCORED {
                hit.score = self.score_person(hit.index, query).unwrap_or(UNSCORED);
            }
        };
        if hits.len() < PARALLEL_FROM {
            hits.iter_mut().for_each(score);
        } else {
            hits.par_iter_mut().for_each(score);
        }
    }

    /// [`Directory::with_near_misses`] for a ranking: a partial one has many matches, so never
    /// near misses.
    pub fn with_near_misses_ranked(&self, folded_query: &str, ranked: Ranked) -> Ranked {
        if !ranked.is_complete() {
            return ranked;
        }
        Ranked::complete(self.with_near_misses(folded_query, ranked.hits))
    }

    /// True when person `index` matches the query at all.
    pub(super) fn matches(&self, index: usize, query: &Query<'_>) -> bool {
        match self.masks.get(index) {
            Some(&mask) => query.matches(self.texts.key(index), self.texts.alts(index), mask),
            None => false,
        }
    }
}
