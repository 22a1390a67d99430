//! The groups of the people whose profiles were shown, kept so highlighting someone again costs
//! no request: bounded, the least recently used person's groups dropped first (a large
//! directory can be scrolled through person by person, and each one's groups would otherwise
//! stay for the whole session).

use crate::api::model::Group;
use lru::LruCache;
use std::num::NonZeroUsize;

/// How many people's groups are kept. Decision: a few screens of people highlighted one after
/// another; their groups are a few hundred bytes to a few KB each.
pub const GROUPS_KEPT: usize = 512;

/// People's groups by account id, at most [`GROUPS_KEPT`] people.
#[derive(Debug)]
pub struct GroupsCache {
    groups: LruCache<String, Vec<Group>>,
}

impl Default for GroupsCache {
    fn default() -> Self {
        GroupsCache::with_capacity(GROUPS_KEPT)
    }
}

impl GroupsCache {
    /// A cache of at most `people` people's groups (at least one).
    pub fn with_capacity(people: usize) -> GroupsCache {
        GroupsCache {
            groups: LruCache::new(NonZeroUsize::new(people.max(1)).unwrap_or(NonZeroUsize::MIN)),
        }
    }

    /// A person's groups, now the most recently used.
    pub fn get(&mut self, account_id: &str) -> Option<&Vec<Group>> {
        self.groups.get(account_id)
    }

    /// Keeps a person's groups, dropping the least recently used person's when full.
    pub fn insert(&mut self, account_id: String, groups: Vec<Group>) {
        self.groups.put(account_id, groups);
    }

    /// Whether a person's groups are kept (without making them the most recently used).
    pub fn contains(&self, account_id: &str) -> bool {
        self.groups.contains(account_id)
    }

    /// Forgets a person's groups (to fetch them again).
    pub fn remove(&mut self, account_id: &str) -> Option<Vec<Group>> {
        self.groups.pop(account_id)
    }

    /// Every kept person's groups.
    pub fn values(&self) -> impl Iterator<Item = &Vec<Group>> {
        self.groups.iter().map(|(_, groups)| groups)
    }

    /// How many people's groups are kept.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// True when none are kept.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_least_recently_used_persons_groups_go_first() {
        let mut cache = GroupsCache::with_capacity(2);
        cache.insert("a".into(), vec![Group::default()]);
        cache.insert("b".into(), Vec::new());
        // Using a keeps it: b is now the least recently used.
        assert!(cache.get("a").is_some());
        cache.insert("c".into(), Vec::new());
        assert_eq!(cache.len(), 2);
        assert!(cache.get("b").is_none());
        assert!(cache.get("a").is_some() && cache.get("c").is_some());
        assert!(GroupsCache::default().is_empty());
    }
}
