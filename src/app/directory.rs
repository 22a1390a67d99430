//! The users confdir knows about (from searches, groups, profiles), and as-you-type fuzzy ranking.
//!
//! Names are folded once when a user is added (lower case, accents stripped, one folded char per
//! original char), so matching "muller" against "Müller" needs no work per keystroke, and the
//! matcher's char indices point straight at the original name's chars for highlighting. A name
//! in another script, or with letters typed in other ways, also gets its other forms once, at
//! insert (module `forms`: `mueller`, `ivanov`, `wang`, `tanaka`), and a query with few matches
//! lists near misses after them (module `typo`).
//!
//! Ranking, best first: matches of the query as typed (in the name's own script, or, for a name
//! it does not match that way, in one of its other forms, scored as a match in the own script
//! less one, so the own script wins ties), then matches of the query's ASCII
//! transliteration (typing `田中` finds a `Tian Zhong` written in Latin letters, after every
//! `田中`), then near misses.
//!
//! Memory (issue 10: at most 500 bytes a person at 150,000): the directory keeps the fields the
//! list, the search and a profile's first lines use ([`StoredUser`]), each person's as one
//! record in a shared buffer read back as a borrowed [`Entry`] (module `people`), the search
//! forms in another (module `texts`), a letter mask and a last-seen counter; the index by
//! account id holds positions only. A profile's other fields (personal space, picture,
//! operations) are the profile's own, fetched when it opens.

mod forms;
mod groups;
mod people;
#[cfg(test)]
mod pinned;
mod rank;
mod stored;
#[cfg(test)]
mod tests;
mod texts;
mod typo;

pub use groups::{GroupsCache, GROUPS_KEPT};
pub use people::Entry;
pub use rank::{Ranked, Unscanned};
pub(crate) use stored::take_person;
pub use stored::{StoredPerson, StoredUser};
pub use typo::FEW_MATCHES;

use crate::api::model::User;
use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use unicode_normalization::UnicodeNormalization;

/// Folds one char: the first char of its canonical decomposition, lower-cased. Keeps a 1:1 mapping.
pub fn fold_char(c: char) -> char {
    let base = c.nfd().next().unwrap_or(c);
    base.to_lowercase().next().unwrap_or(base)
}

/// Folds a whole string, char by char.
pub fn fold(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

/// One ranked match: index into the directory and the matcher's score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// The person's index in the directory.
    pub index: usize,
    /// The matcher's score: higher ranks first.
    pub score: i64,
}

/// Every known user, by insertion order, with an index by account id.
pub struct Directory {
    /// Each person's kept fields, in one buffer, and the index by account id.
    people: people::People,
    /// Each person's folded letters (see `typo::letters`), side by side, so passing over people
    /// who lack a query's letter reads 8 bytes a person, not the person.
    masks: Vec<u64>,
    /// Each person's search forms, in one buffer.
    texts: texts::Texts,
    matcher: SkimMatcherV2,
    /// What the cache on disk lacks (see [`Directory::needs_saving`]).
    saved: Saved,
    /// The `seen` of the next person the site shows.
    clock: u64,
    /// Counts every change to the people (added, replaced, another directory adopted), so what
    /// is derived from them can tell it is still current.
    generation: u64,
}

/// How the directory stands against the cache on disk.
#[derive(Debug, Clone, Default)]
struct Saved {
    /// The cache was read (or found unreadable): writing it now loses nobody.
    read: bool,
    /// People added or changed since it was read (indices, perhaps more than once).
    changed: Vec<usize>,
    /// The recently viewed people it holds.
    recent: Vec<String>,
    /// People in its journal of small changes (see `runtime::cache`).
    journal: usize,
    /// It must be written whole (it was unreadable).
    rewrite: bool,
}

/// Changed people at most written as a journal entry on the way out; more, or a journal that
/// grew past it, rewrite the whole cache. Decision: 2,000 people are about 200 KB, written in
/// a few milliseconds, and reading them back at start-up costs about as little.
pub const JOURNAL_MAX: usize = 2_000;

/// What writing the cache on the way out takes.
#[derive(Debug, PartialEq, Eq)]
pub enum Unsaved {
    /// Nothing: it holds everything (or was never read, and writing would drop its people).
    Nothing,
    /// These people (and the recently viewed list) appended to its journal.
    Changed(Vec<StoredPerson>),
    /// The whole directory.
    All,
}

impl Default for Directory {
    fn default() -> Self {
        Directory {
            people: people::People::default(),
            masks: Vec::new(),
            texts: texts::Texts::default(),
            // Keys and queries are both folded to lower case, so the matcher can compare chars
            // as they are instead of lower-casing each one again.
            matcher: SkimMatcherV2::default().respect_case(),
            saved: Saved::default(),
            clock: 1,
            generation: 0,
        }
    }
}

impl Clone for Directory {
    fn clone(&self) -> Self {
        Directory {
            people: self.people.clone(),
            masks: self.masks.clone(),
            texts: self.texts.clone(),
            saved: self.saved.clone(),
            clock: self.clock,
            generation: self.generation,
            ..Directory::default()
        }
    }
}

impl std::fmt::Debug for Directory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Directory")
            .field("len", &self.people.len())
            .finish()
    }
}

/// Scores of matches of the query as typed sit above this; those of its transliteration below.
const AS_TYPED: i64 = 1 << 40;

/// What a match in one of a name's other forms loses against one in its own script.
const OTHER_FORM: i64 = 1;

/// A folded query and its ASCII transliteration, prepared once per ranking.
struct Query<'a> {
    typed: &'a str,
    ascii: Option<String>,
    /// The letters of `typed` and of `ascii` (see `typo::letters`).
    typed_mask: u64,
    ascii_mask: u64,
    /// True when the mask test alone decides a match: a query of one ASCII letter or digit.
    exact_mask: bool,
}

impl<'a> Query<'a> {
    fn new(folded_query: &'a str) -> Query<'a> {
        let ascii = forms::query_ascii(folded_query);
        let mut chars = folded_query.chars();
        let exact_mask = matches!((chars.next(), chars.next()), (Some(c), None) if c.is_ascii_lowercase() || c.is_ascii_digit());
        Query {
            typed: folded_query,
            typed_mask: typo::letters(folded_query, ""),
            ascii_mask: ascii.as_deref().map_or(0, |a| typo::letters(a, "")),
            ascii,
            exact_mask,
        }
    }
}

impl Directory {
    /// Number of known users.
    pub fn len(&self) -> usize {
        self.people.len()
    }

    /// True when nobody is known yet.
    pub fn is_empty(&self) -> bool {
        self.people.len() == 0
    }

    /// The person at `index`.
    pub fn get(&self, index: usize) -> Option<Entry<'_>> {
        self.people.entry(index)
    }

    /// The index of an account id.
    pub fn index_of(&self, account_id: &str) -> Option<usize> {
        self.people.index_of(account_id)
    }

    /// The person with this account id.
    pub fn user(&self, account_id: &str) -> Option<Entry<'_>> {
        self.people.entry(self.index_of(account_id)?)
    }

    /// When the site last showed person `index` (a counter: larger is more recent).
    pub fn seen(&self, index: usize) -> u64 {
        self.people.seen(index)
    }

    /// Changes whenever a person is added or changed: equal generations, equal people.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Adds or refreshes a user (merging by account id) and returns its index. A refresh keeps
    /// fields the new copy lacks (a search hit has no time zone; a profile has one). Seen
    /// again, a person counts as recently seen; the cache is written for them only when the part
    /// of them it keeps changed. Only the kept fields are kept ([`StoredUser`]): a profile's
    /// other fields live with the profile.
    pub fn upsert(&mut self, user: User) -> Option<usize> {
        self.upsert_stored(StoredUser::from(user))
    }

    /// [`Directory::upsert`] of the kept fields.
    fn upsert_stored(&mut self, user: StoredUser) -> Option<usize> {
        let seen = self.clock;
        self.clock += 1;
        match self.index_of(user.account_id.as_deref()?) {
            Some(i) => {
                let old = self.people.entry(i)?.to_stored();
                let merged = old.clone().merged(user);
                if merged != old {
                    self.saved.changed.push(i);
                    let person = StoredPerson::of(merged);
                    self.add_stored(&person, true);
                }
                self.people.set_seen(i, seen);
                Some(i)
            }
            None => {
                let i = self.len();
                self.saved.changed.push(i);
                let person = StoredPerson {
                    seen,
                    ..StoredPerson::of(user)
                };
                self.add_stored(&person, false).then_some(i)
            }
        }
    }

    /// A directory of `people` (forms already folded), the first of each account id kept.
    pub fn from_people(people: Vec<StoredPerson>) -> Directory {
        let mut directory = Directory::default();
        directory.reserve(people.len(), 0);
        for person in &people {
            directory.add_stored(person, false);
        }
        directory
    }

    /// Takes `cached` as the directory and merges the current (live) people over it, so live
    /// data wins; costs the live people, not the cached ones. Indices change: callers re-rank.
    /// `recent` is the cache's list of recently viewed people.
    pub fn adopt_cache(&mut self, cached: Directory, recent: &[String]) {
        let live = std::mem::replace(self, cached);
        self.generation += live.generation + 1;
        self.saved = Saved {
            read: true,
            recent: recent.to_vec(),
            journal: self.saved.journal,
            ..Saved::default()
        };
        for i in 0..live.len() {
            if let Some(person) = live.get(i) {
                self.upsert_stored(person.to_stored());
            }
        }
    }

    /// The cache on disk could not be read: writing it will replace it.
    pub fn cache_unreadable(&mut self) {
        self.saved.read = true;
        self.saved.rewrite = true;
    }

    /// Notes that the cache just read had `people` people in its journal.
    pub fn set_journal(&mut self, people: usize) {
        self.saved.journal = people;
    }

    /// True when the cache on disk should be written on the way out: it was read (writing
    /// earlier would drop the people it holds) and a person was added or changed since, or the
    /// recently viewed people differ. Nothing changed: nothing is written, so quitting costs no
    /// write of a large directory.
    pub fn needs_saving(&self, recent: &[String]) -> bool {
        self.saved.read
            && (!self.saved.changed.is_empty() || recent != self.saved.recent.as_slice())
    }

    /// What the cache on disk lacks, and how to write it: the few people changed since it was
    /// read as a journal entry, or everything (see [`JOURNAL_MAX`]).
    pub fn unsaved(&self, recent: &[String]) -> Unsaved {
        if !self.needs_saving(recent) {
            return Unsaved::Nothing;
        }
        let mut changed = self.saved.changed.clone();
        changed.sort_unstable();
        changed.dedup();
        if self.saved.rewrite || self.saved.journal + changed.len() > JOURNAL_MAX {
            return Unsaved::All;
        }
        Unsaved::Changed(changed.into_iter().filter_map(|i| self.stored(i)).collect())
    }

    /// Every known person, in the order first seen.
    pub fn users(&self) -> impl Iterator<Item = Entry<'_>> {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// Ranks `candidates` (or everyone) against a folded query, best first; ties keep directory
    /// order so the list does not jump around. Large sets are scored on every core.
    pub fn rank(&self, folded_query: &str, candidates: Option<&[Hit]>) -> Vec<Hit> {
        use rayon::prelude::*;
        let query = Query::new(folded_query);
        let score = |i: usize| {
            if !self.matches(i, &query) {
                return None;
            }
            self.score_person(i, &query)
                .map(|score| Hit { index: i, score })
        };
        let count = candidates.map_or(self.len(), <[Hit]>::len);
        let mut hits: Vec<Hit> = if count < PARALLEL_FROM {
            match candidates {
                Some(prev) => prev.iter().filter_map(|h| score(h.index)).collect(),
                None => (0..self.len()).filter_map(score).collect(),
            }
        } else {
            match candidates {
                Some(prev) => prev.par_iter().filter_map(|h| score(h.index)).collect(),
                None => (0..self.len()).into_par_iter().filter_map(score).collect(),
            }
        };
        sort_hits(&mut hits);
        hits
    }

    /// The score of one person for a folded query (None: no match).
    pub fn score(&self, index: usize, folded_query: &str) -> Option<Hit> {
        self.masks.get(index)?;
        self.score_person(index, &Query::new(folded_query))
            .map(|score| Hit { index, score })
    }

    /// The best score of a person's forms for the query as typed, else for its transliteration.
    fn score_person(&self, index: usize, query: &Query<'_>) -> Option<i64> {
        let (key, alts) = (self.texts.key(index), self.texts.alts(index));
        // The name as written decides when it matches (the other forms cost a match each only
        // for the people it does not find); the other forms are ASCII, so a query in another
        // script can only match the key.
        let best = |q: &str| {
            if let Some(own) = self.matcher.fuzzy_match(key, q) {
                return Some(own.max(0));
            }
            if !q.is_ascii() {
                return None;
            }
            if alts.is_empty() {
                return None;
            }
            self.matcher
                .fuzzy_match(alts, q)
                .map(|s| (s - OTHER_FORM).max(0))
        };
        match best(query.typed) {
            Some(score) => Some(score + AS_TYPED),
            None => query.ascii.as_deref().and_then(best),
        }
    }

    /// `hits` (the true matches of a folded query, best first) followed by near misses when
    /// they are fewer than [`FEW_MATCHES`]: people whose name words are a few edits from the
    /// query's, fewest edits first, at most 50. Every known person is looked at, so a typo in
    /// the first letters still finds the name.
    pub fn with_near_misses(&self, folded_query: &str, mut hits: Vec<Hit>) -> Vec<Hit> {
        use rayon::prelude::*;
        if hits.len() >= FEW_MATCHES || folded_query.chars().count() < typo::TYPO_FROM {
            return hits;
        }
        let words = typo::query_words(folded_query);
        let matched: Vec<usize> = hits.iter().map(|h| h.index).collect();
        let near = |(index, &letters): (usize, &u64)| {
            if matched.contains(&index) || !typo::may_be_near(&words, letters) {
                return None;
            }
            let edits = std::iter::once(self.texts.key(index))
                .chain(Some(self.texts.alts(index)).filter(|a| !a.is_empty()))
                .filter_map(|form| typo::form_distance(&words, form))
                .min()?;
            // Below every true match (scores of 0 and up), fewest edits first.
            Some(Hit {
                index,
                score: -1 - edits as i64,
            })
        };
        let mut misses: Vec<Hit> = if self.len() < PARALLEL_FROM {
            self.masks.iter().enumerate().filter_map(near).collect()
        } else {
            self.masks.par_iter().enumerate().filter_map(near).collect()
        };
        sort_hits(&mut misses);
        misses.truncate(typo::MAX_NEAR);
        hits.extend(misses);
        hits
    }

    /// Char positions in `name()` that match the query, for highlighting one visible row: in
    /// the name as written, else in its ASCII or spelled-out form (`wang` marks `王`), for the
    /// query as typed and then its transliteration.
    pub fn highlights(&self, index: usize, folded_query: &str) -> Vec<usize> {
        let Some(person) = self.get(index) else {
            return Vec::new();
        };
        // Match against the name alone: the key may also hold the public name, and the best
        // match could sit there, where its indices would point past the displayed name.
        let name = person.name();
        let ascii = forms::query_ascii(folded_query);
        for query in std::iter::once(folded_query).chain(ascii.as_deref()) {
            if let Some((_, idx)) = self.matcher.fuzzy_indices(&fold(name), query) {
                return idx;
            }
            for which in [forms::Form::Ascii, forms::Form::Spelled] {
                let (form, origins) = forms::form_with_origins(name, which);
                if let Some((_, idx)) = self.matcher.fuzzy_indices(&form, query) {
                    let mut marks: Vec<usize> = idx
                        .iter()
                        .filter_map(|&i| origins.get(i).copied())
                        .collect();
                    marks.dedup();
                    return marks;
                }
            }
        }
        Vec::new()
    }
}

/// Best score first; ties in directory order.
pub fn sort_hits(hits: &mut [Hit]) {
    hits.sort_unstable_by(|a, b| b.score.cmp(&a.score).then(a.index.cmp(&b.index)));
}

/// Below this many candidates one core ranks faster than splitting the work.
const PARALLEL_FROM: usize = 8_192;
