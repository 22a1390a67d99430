//! The subset of CQL that `GET /search/user` understands, parsed and evaluated.
//!
//! Fields: `type`, `user.fullname`, `user.accountid` and `user`; operators `=`, `!=`, `~`, `!~`,
//! `IN`, `NOT IN`; `AND`, `OR`, `NOT` and parentheses, with the usual precedence (NOT binds
//! tightest, then AND, then OR). Values are double- or single-quoted strings with `\` escapes, or
//! bare words. `user.fullname~"x"` matches when every word of `x` is the start of a word of the
//! display name or of the public name (nickname), ignoring case and accents. `user.userkey` is
//! accepted, as the contract lists it, but matches no one: Cloud removed user keys.
//! Values may also be `currentUser()`, which the server resolves to the caller.
//!
//! This file owns the query tree, its evaluation against a [`Subject`], and [`match_key`], the
//! one normal form names are compared in (the seeded directory stores each name in it, so a
//! search folds only the query). The parser (`parse.rs`) is a plain recursive descent over a
//! token list. It never panics: any input either parses or gives a [`CqlError`] naming the
//! position, which the server turns into a 400. Nesting is bounded so a hostile query cannot
//! exhaust the stack. Nothing here knows HTTP or how the directory is generated.

mod parse;

use std::fmt;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Why a query could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CqlError {
    /// Character offset where the problem was found.
    pub position: usize,
    /// What was wrong, in words.
    pub reason: String,
}

impl fmt::Display for CqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at position {}", self.reason, self.position)
    }
}

impl std::error::Error for CqlError {}

/// A parsed query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Query {
    /// Both sides match.
    And(Box<Query>, Box<Query>),
    /// Either side matches.
    Or(Box<Query>, Box<Query>),
    /// The inner query does not match.
    Not(Box<Query>),
    /// `type = x` / `type IN (…)`: true when `user` is among the values.
    Type(Vec<String>),
    /// `user.fullname ~ "x"`: every word of `x` (as a [`match_key`]) starts a word of the name.
    NameContains(String),
    /// `user.fullname = "x"`: the whole name, as a [`match_key`].
    NameEquals(String),
    /// `user = x`, `user.accountid = x`, or `IN (…)` of either.
    Account(Vec<String>),
    /// `user.userkey = x`: user keys no longer exist on Cloud, so nothing matches.
    UserKey(Vec<String>),
}

/// The most terms a query may have: its clauses, each value of an `IN` list counting as one.
/// Evaluation costs terms × people, and one query must not hold the server for seconds (a flat
/// chain of 6,500 `OR` clauses took 7.5 s over 100,000 people; a name term costs about 2 µs per
/// person in a debug build). Atlassian publishes no figure for CQL; 100 terms is far above any
/// query a person or confdir writes (a name search is one clause) and keeps the worst query over
/// the default 1,500 people near a third of a second even unoptimised.
pub const MAX_TERMS: usize = 100;

/// The value CQL uses for "the user making the request".
pub const CURRENT_USER: &str = "currentUser()";

/// What a query is evaluated against: one directory entry.
pub trait Subject {
    /// The account id.
    fn account_id(&self) -> &str;
    /// The display name, already turned into its [`match_key`].
    fn name_key(&self) -> &str;
    /// The public name (nickname) as a [`match_key`], when it differs from the display name.
    fn public_name_key(&self) -> Option<&str> {
        None
    }
}

/// The form in which CQL name matching compares names: lower-case, accents stripped, so
/// `muller` finds `Müller` and `ELODIE` finds `Élodie`. Apostrophes vanish (`obrien` finds
/// `O'Brien`); letters that do not decompose are mapped by hand. (The UI's own search folds
/// names its own way, in `app::directory`; this one belongs to the demo's CQL.)
pub fn match_key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfd() {
        if is_combining_mark(c) || c == '\'' || c == '\u{2019}' {
            continue;
        }
        match c {
            'ø' | 'Ø' => out.push('o'),
            'ł' | 'Ł' => out.push('l'),
            'đ' | 'Đ' | 'ð' | 'Ð' => out.push('d'),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            'ß' => out.push_str("ss"),
            'þ' | 'Þ' => out.push_str("th"),
            'ı' => out.push('i'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The words of a [`match_key`], as name matching compares them.
pub fn match_words(key: &str) -> impl Iterator<Item = &str> {
    key.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

fn name_contains(name: &str, text: &str) -> bool {
    match_words(text).all(|q| match_words(name).any(|w| w.starts_with(q)))
}

fn name_equals(name: &str, text: &str) -> bool {
    match_words(name).eq(match_words(text))
}

impl Query {
    /// Parses a CQL string.
    pub fn parse(cql: &str) -> Result<Query, CqlError> {
        parse::parse(cql)
    }

    /// Replaces `currentUser()` in account clauses by the caller's account id.
    pub fn resolve_current_user(&mut self, account_id: &str) {
        match self {
            Query::And(a, b) | Query::Or(a, b) => {
                a.resolve_current_user(account_id);
                b.resolve_current_user(account_id);
            }
            Query::Not(q) => q.resolve_current_user(account_id),
            Query::Account(ids) => {
                for id in ids.iter_mut() {
                    if id.eq_ignore_ascii_case(CURRENT_USER) {
                        *id = account_id.to_string();
                    }
                }
            }
            _ => {}
        }
    }

    /// How many terms the query has (see [`MAX_TERMS`]): one per clause, one per value of a
    /// list. Walks the tree without recursion, so any depth is safe.
    pub fn terms(&self) -> usize {
        let mut count = 0usize;
        let mut stack = vec![self];
        while let Some(q) = stack.pop() {
            match q {
                Query::And(a, b) | Query::Or(a, b) => {
                    stack.push(a);
                    stack.push(b);
                }
                Query::Not(q) => stack.push(q),
                Query::Type(v) | Query::Account(v) | Query::UserKey(v) => {
                    count = count.saturating_add(v.len().max(1));
                }
                Query::NameContains(_) | Query::NameEquals(_) => count = count.saturating_add(1),
            }
        }
        count
    }

    /// Whether a directory entry matches.
    pub fn matches(&self, s: &impl Subject) -> bool {
        match self {
            Query::And(a, b) => a.matches(s) && b.matches(s),
            Query::Or(a, b) => a.matches(s) || b.matches(s),
            Query::Not(q) => !q.matches(s),
            Query::Type(types) => types.iter().any(|t| t.eq_ignore_ascii_case("user")),
            Query::NameContains(text) => {
                name_contains(s.name_key(), text)
                    || s.public_name_key().is_some_and(|p| name_contains(p, text))
            }
            Query::NameEquals(text) => {
                name_equals(s.name_key(), text)
                    || s.public_name_key().is_some_and(|p| name_equals(p, text))
            }
            Query::Account(ids) => ids.iter().any(|id| id == s.account_id()),
            Query::UserKey(_) => false,
        }
    }
}

#[cfg(test)]
mod tests;
