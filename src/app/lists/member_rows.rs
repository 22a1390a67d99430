//! A members list's rows when it is filtered or sorted, kept from one call to the next: the
//! screen, every arrow key and the highlighted member all ask for them, and for a group of
//! 150,000 people (the site's everyone group, `G` pressed) folding and sorting every name costs
//! far more than a frame. They are computed again only when what they come from changed: the
//! view, its members, the filter, the order or the people the directory knows.

use super::MemberSort;
use std::hash::{BuildHasher, Hash};
use std::sync::{Arc, Mutex};

/// What a members list's rows were computed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Key {
    /// The view (`view_key`).
    pub view: String,
    /// The members, hashed (a list loaded again can hold others in the same number).
    pub members: u64,
    /// The folded filter, if any.
    pub filter: Option<String>,
    /// The order.
    pub sort: MemberSort,
    /// The directory's generation (names and kinds come from it).
    pub directory: u64,
}

/// The last rows computed, and from what.
#[derive(Default)]
pub struct MemberRows(Mutex<Option<(Key, Arc<Vec<usize>>)>>);

impl std::fmt::Debug for MemberRows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MemberRows")
    }
}

/// A hash of a members list (its ids in order), fixed for the process.
pub(super) fn members_hash(members: &[String]) -> u64 {
    static HASHER: std::sync::OnceLock<hashbrown::DefaultHashBuilder> = std::sync::OnceLock::new();
    let hasher = HASHER.get_or_init(Default::default);
    let mut state = hasher.build_hasher();
    members.hash(&mut state);
    std::hash::Hasher::finish(&state)
}

impl MemberRows {
    /// The rows for `key`: the ones kept when they were computed from it, else `compute`'s
    /// (then kept).
    pub(super) fn get_or(&self, key: Key, compute: impl FnOnce() -> Vec<usize>) -> Vec<usize> {
        if let Ok(kept) = self.0.lock() {
            if let Some((from, rows)) = kept.as_ref() {
                if *from == key {
                    return rows.to_vec();
                }
            }
        }
        let rows = compute();
        if let Ok(mut kept) = self.0.lock() {
            *kept = Some((key, Arc::new(rows.clone())));
        }
        rows
    }
}
