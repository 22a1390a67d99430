//! A person as the directory cache keeps them: the fields the list and the search use, and the
//! folded forms, so reading the cache neither parses JSON nor folds a name again. Everything
//! else about a person (their picture, personal space, links…) is fetched from the site when
//! their profile is opened, as it is for anyone.

use super::{Directory, Person};
use crate::api::model::User;
use serde::{Deserialize, Serialize};

/// The fields of a user the cache keeps (a plain record, for a binary encoding that cannot skip
/// fields, unlike the API's `User`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredUser {
    /// `known`, `anonymous`…
    pub kind: String,
    /// The account id.
    pub account_id: Option<String>,
    /// `atlassian`, `app`…
    pub account_type: Option<String>,
    /// The email address, when the site shows it.
    pub email: Option<String>,
    /// The public name.
    pub public_name: Option<String>,
    /// The display name.
    pub display_name: Option<String>,
    /// The time-zone name.
    pub time_zone: Option<String>,
    /// Whether the account is an external collaborator (either field of the API).
    pub is_external_collaborator: Option<bool>,
    /// The older field of the same.
    pub external_collaborator: Option<bool>,
    /// Whether the account is a guest.
    pub is_guest: Option<bool>,
}

impl From<&User> for StoredUser {
    fn from(user: &User) -> StoredUser {
        StoredUser {
            kind: user.kind.clone(),
            account_id: user.account_id.clone(),
            account_type: user.account_type.clone(),
            email: user.email.clone(),
            public_name: user.public_name.clone(),
            display_name: user.display_name.clone(),
            time_zone: user.time_zone.clone(),
            is_external_collaborator: user.is_external_collaborator,
            external_collaborator: user.external_collaborator,
            is_guest: user.is_guest,
        }
    }
}

impl From<StoredUser> for User {
    fn from(stored: StoredUser) -> User {
        User {
            kind: stored.kind,
            account_id: stored.account_id,
            account_type: stored.account_type,
            email: stored.email,
            public_name: stored.public_name,
            display_name: stored.display_name,
            time_zone: stored.time_zone,
            is_external_collaborator: stored.is_external_collaborator,
            external_collaborator: stored.external_collaborator,
            is_guest: stored.is_guest,
            ..User::default()
        }
    }
}

/// A person as stored: the user's kept fields, the folded forms and when they were last seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredPerson {
    /// The user's kept fields.
    pub user: StoredUser,
    /// The folded search key.
    pub key: String,
    /// The name's other forms.
    pub alts: String,
    /// The letter mask of both.
    pub letters: u64,
    /// When the site last showed them (the directory's counter).
    pub seen: u64,
}

impl From<Person> for StoredPerson {
    /// A person not in a directory (just built, with their search forms).
    fn from(person: Person) -> StoredPerson {
        StoredPerson {
            user: StoredUser::from(&person.user),
            key: person.key,
            alts: person.alts.into_string(),
            letters: person.letters,
            seen: person.seen,
        }
    }
}

impl From<StoredPerson> for Person {
    /// The stored folded forms are taken as they are: the cache's format version changes
    /// whenever folding does.
    fn from(stored: StoredPerson) -> Person {
        Person {
            user: stored.user.into(),
            key: stored.key,
            alts: stored.alts.into_boxed_str(),
            letters: stored.letters,
            seen: stored.seen,
        }
    }
}

impl Directory {
    /// The people the cache keeps: at most `max_people`, the most recently seen (the least
    /// recently seen are dropped first), in directory order.
    pub fn to_store(&self, max_people: usize) -> Vec<StoredPerson> {
        let mut keep: Vec<usize> = (0..self.people.len()).collect();
        if keep.len() > max_people {
            // Most recent first up to the cap (a partial selection), then back in order.
            let seen = |i: &usize| std::cmp::Reverse(self.people[*i].seen);
            if max_people > 0 {
                keep.select_nth_unstable_by_key(max_people - 1, seen);
            }
            keep.truncate(max_people);
            keep.sort_unstable();
        }
        keep.into_iter().filter_map(|i| self.stored(i)).collect()
    }

    /// Person `index` as the cache keeps them.
    pub fn stored(&self, index: usize) -> Option<StoredPerson> {
        let person = self.people.get(index)?;
        Some(StoredPerson {
            user: StoredUser::from(&person.user),
            key: self.texts.key(index).to_string(),
            alts: self.texts.alts(index).to_string(),
            letters: person.letters,
            seen: person.seen,
        })
    }
}
