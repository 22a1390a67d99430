//! A person as the directory cache keeps them: the fields the list and the search use, and the
//! folded forms, so reading the cache neither parses JSON nor folds a name again. Everything
//! else about a person (their picture, personal space, links…) is fetched from the site when
//! their profile is opened, as it is for anyone.
//!
//! A stored person is encoded ([`postcard`]) as their [`StoredUser`] (the directory's record of
//! them, see `people`), then the folded key, the other forms, the letter mask and when they were
//! last seen. [`take_person`] reads one borrowed from the cache's bytes, so a cache is read into
//! the directory without a string allocated per field.

use super::{forms, people, typo, Directory};
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

impl From<User> for StoredUser {
    fn from(user: User) -> StoredUser {
        StoredUser {
            kind: user.kind,
            account_id: user.account_id,
            account_type: user.account_type,
            email: user.email,
            public_name: user.public_name,
            display_name: user.display_name,
            time_zone: user.time_zone,
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

impl StoredUser {
    /// Field-wise merge: values present in `new` win, absent ones keep `self`'s (a search hit
    /// has no time zone; a profile has one).
    pub fn merged(self, new: StoredUser) -> StoredUser {
        StoredUser {
            kind: if new.kind.is_empty() {
                self.kind
            } else {
                new.kind
            },
            account_id: new.account_id.or(self.account_id),
            account_type: new.account_type.or(self.account_type),
            email: new.email.or(self.email),
            public_name: new.public_name.or(self.public_name),
            display_name: new.display_name.or(self.display_name),
            time_zone: new.time_zone.or(self.time_zone),
            is_external_collaborator: new
                .is_external_collaborator
                .or(self.is_external_collaborator),
            external_collaborator: new.external_collaborator.or(self.external_collaborator),
            is_guest: new.is_guest.or(self.is_guest),
        }
    }
}

/// A person as stored: the user's kept fields, the folded forms and when they were last seen.
/// Built off the event loop when thousands arrive at once (folding costs the most).
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
    /// When the site last showed them (the directory's counter; 0: never yet).
    pub seen: u64,
}

impl StoredPerson {
    /// A user with their folded search forms.
    pub fn new(user: &User) -> StoredPerson {
        StoredPerson::of(StoredUser::from(user))
    }

    /// Kept fields with their folded search forms: the folded name, then the folded public
    /// name when it differs, and the other forms of both.
    pub fn of(user: StoredUser) -> StoredPerson {
        let name = crate::api::model::best_name(
            user.display_name.as_deref(),
            user.public_name.as_deref(),
            user.account_id.as_deref(),
        );
        let mut text = name.to_string();
        if let Some(public) = user.public_name.as_deref() {
            if !public.is_empty() && public != name {
                text.push(' ');
                text.push_str(public);
            }
        }
        let key = super::fold(&text);
        let alts = forms::alternates(&text, &key, user.email.as_deref()).into_string();
        let letters = typo::letters(&key, &alts);
        StoredPerson {
            user,
            key,
            alts,
            letters,
            seen: 0,
        }
    }
}

/// A stored person read from the cache's bytes: their record (the encoded [`StoredUser`]) and
/// account id, borrowed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Taken<'a> {
    /// The encoded kept fields, as the directory holds them.
    record: &'a [u8],
    /// The account id (None: nobody to keep).
    id: Option<&'a str>,
    key: &'a str,
    alts: &'a str,
    letters: u64,
    seen: u64,
}

/// Reads one stored person from the front of `bytes` (as [`StoredPerson`] encodes), and returns
/// them with the bytes after.
pub(crate) fn take_person(bytes: &[u8]) -> Result<(Taken<'_>, &[u8]), postcard::Error> {
    let (user, rest) = postcard::take_from_bytes::<people::Entry>(bytes)?;
    let record = &bytes[..bytes.len() - rest.len()];
    let ((key, alts, letters, seen), rest) =
        postcard::take_from_bytes::<(&str, &str, u64, u64)>(rest)?;
    let taken = Taken {
        record,
        id: user.account_id,
        key,
        alts,
        letters,
        seen,
    };
    Ok((taken, rest))
}

impl Directory {
    /// The indices of the people the cache keeps: at most `max_people`, the most recently seen
    /// (the least recently seen are dropped first), in directory order.
    pub fn kept(&self, max_people: usize) -> Vec<usize> {
        let mut keep: Vec<usize> = (0..self.len()).collect();
        if keep.len() > max_people {
            // Most recent first up to the cap (a partial selection), then back in order.
            let seen = |i: &usize| std::cmp::Reverse(self.people.seen(*i));
            if max_people > 0 {
                keep.select_nth_unstable_by_key(max_people - 1, seen);
            }
            keep.truncate(max_people);
            keep.sort_unstable();
        }
        keep
    }

    /// The people the cache keeps (see [`Directory::kept`]), as stored people.
    pub fn to_store(&self, max_people: usize) -> Vec<StoredPerson> {
        self.kept(max_people)
            .into_iter()
            .filter_map(|i| self.stored(i))
            .collect()
    }

    /// Person `index` as the cache keeps them.
    pub fn stored(&self, index: usize) -> Option<StoredPerson> {
        let user = self.people.entry(index)?.to_stored();
        Some(StoredPerson {
            user,
            key: self.texts.key(index).to_string(),
            alts: self.texts.alts(index).to_string(),
            letters: self.masks.get(index).copied().unwrap_or(0),
            seen: self.people.seen(index),
        })
    }

    /// Appends person `index`, encoded as [`StoredPerson`] is, to `out`: their record as it
    /// lies in memory, then their forms.
    pub fn encode_person(&self, index: usize, out: &mut Vec<u8>) -> Result<(), postcard::Error> {
        out.extend_from_slice(self.people.record(index));
        let rest = (
            self.texts.key(index),
            self.texts.alts(index),
            self.masks.get(index).copied().unwrap_or(0),
            self.people.seen(index),
        );
        let tail = postcard::to_extend(&rest, std::mem::take(out));
        *out = tail?;
        Ok(())
    }

    /// Adds a person read from the cache, their record copied as it is. Someone already known
    /// is kept (`replace` false: the first of an account id wins) or replaced (a journal's later
    /// record); returns whether the person was taken.
    pub(crate) fn add_taken(&mut self, person: &Taken<'_>, replace: bool) -> bool {
        let Some(id) = person.id else {
            return false;
        };
        self.clock = self.clock.max(person.seen + 1);
        self.generation += 1;
        match self.people.index_of(id) {
            Some(i) if replace => {
                self.people.replace(i, person.record);
                self.people.set_seen(i, person.seen);
                self.texts.set(i, person.key, person.alts);
                if let Some(mask) = self.masks.get_mut(i) {
                    *mask = person.letters;
                }
                true
            }
            Some(_) => false,
            None => {
                self.people.push(person.record, id, person.seen);
                self.texts.push(person.key, person.alts);
                self.masks.push(person.letters);
                true
            }
        }
    }

    /// Adds (or replaces) a stored person: as [`Directory::add_taken`] for one in memory.
    pub fn add_stored(&mut self, person: &StoredPerson, replace: bool) -> bool {
        let record = people::encode(&person.user);
        let taken = Taken {
            record: &record,
            id: person.user.account_id.as_deref(),
            key: &person.key,
            alts: &person.alts,
            letters: person.letters,
            seen: person.seen,
        };
        self.add_taken(&taken, replace)
    }

    /// A directory of this one's `max_people` most recently seen (see [`Directory::kept`]),
    /// their records copied as they are.
    pub fn most_recent(&self, max_people: usize) -> Directory {
        let kept = self.kept(max_people);
        let mut directory = Directory::default();
        directory.reserve(kept.len(), 0);
        for i in kept {
            let record = self.people.record(i);
            let taken = Taken {
                record,
                id: self.people.entry(i).and_then(|e| e.account_id),
                key: self.texts.key(i),
                alts: self.texts.alts(i),
                letters: self.masks.get(i).copied().unwrap_or(0),
                seen: self.people.seen(i),
            };
            directory.add_taken(&taken, false);
        }
        directory.saved = self.saved.clone();
        directory
    }

    /// Reserves room for `people` more people, with about `bytes` bytes of records and forms.
    pub fn reserve(&mut self, people: usize, bytes: usize) {
        self.people.reserve(people, bytes * 2 / 3);
        self.texts.reserve(people);
        self.masks.reserve(people);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_encoded_from_the_directory_reads_back_as_stored() {
        let mut d = Directory::default();
        let user = |id: &str, name: &str| User {
            account_id: Some(id.into()),
            display_name: Some(name.into()),
            email: Some(format!("{id}@example.com")),
            time_zone: Some("Europe/Paris".into()),
            ..User::default()
        };
        d.upsert(user("a", "Jürgen Müller"));
        d.upsert(user("b", "王小明"));
        let mut bytes = Vec::new();
        for i in 0..d.len() {
            d.encode_person(i, &mut bytes).unwrap();
        }
        // The same bytes as serde writes for the stored people, so the file's format is one.
        let serde: Vec<u8> = d
            .to_store(10)
            .iter()
            .flat_map(|p| postcard::to_allocvec(p).unwrap())
            .collect();
        assert_eq!(bytes, serde);
        let mut read = Directory::default();
        let mut rest = bytes.as_slice();
        while !rest.is_empty() {
            let (person, tail) = take_person(rest).unwrap();
            assert!(read.add_taken(&person, false));
            rest = tail;
        }
        assert_eq!(read.to_store(10), d.to_store(10));
        assert_eq!(read.user("b").map(|u| u.name()), Some("王小明"));
    }
}
