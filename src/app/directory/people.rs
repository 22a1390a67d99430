//! Every known person's kept fields in one byte buffer, with an index by account id: the
//! directory's memory is a few bytes of offsets a person plus their strings, not a struct of
//! optional strings and a heap allocation for each (issue 10: at most 500 bytes a cached person,
//! 150,000 people).
//!
//! A person's record is the cache file's encoding of their [`StoredUser`] ([`postcard`]), so a
//! cache read copies each record as it lies in the file, and writing copies it back; a record is
//! read as a borrowed [`Entry`] (the strings point into the buffer) when the list, the search or
//! a profile asks. A changed person's new record is appended and the old one left unused; when
//! the unused bytes outgrow the used ones, the buffer is rewritten without them.
//!
//! The index holds only each person's position: the account id it is hashed and compared by is
//! read from the record, so an id is stored once.

use super::stored::StoredUser;
use crate::api::model::User;
use hashbrown::{DefaultHashBuilder, HashTable};
use serde::Deserialize;
use std::hash::BuildHasher;

/// A person as the directory keeps them, borrowed from its buffer: the fields of
/// [`StoredUser`], in its order (the records are its encoding).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub struct Entry<'a> {
    /// `known`, `anonymous`…
    pub kind: &'a str,
    /// The account id.
    #[serde(borrow)]
    pub account_id: Option<&'a str>,
    /// `atlassian`, `app`…
    #[serde(borrow)]
    pub account_type: Option<&'a str>,
    /// The email address, when the site shows it (`""`: hidden).
    #[serde(borrow)]
    pub email: Option<&'a str>,
    /// The public name.
    #[serde(borrow)]
    pub public_name: Option<&'a str>,
    /// The display name.
    #[serde(borrow)]
    pub display_name: Option<&'a str>,
    /// The time-zone name.
    #[serde(borrow)]
    pub time_zone: Option<&'a str>,
    /// Whether the account is an external collaborator.
    pub is_external_collaborator: Option<bool>,
    /// The older field of the same.
    pub external_collaborator: Option<bool>,
    /// Whether the account is a guest.
    pub is_guest: Option<bool>,
}

impl<'a> Entry<'a> {
    /// The name to show, as [`User::name`] chooses it.
    pub fn name(&self) -> &'a str {
        crate::api::model::best_name(self.display_name, self.public_name, self.account_id)
    }

    /// A guest, as [`User::is_guest`] reads the three flags.
    pub fn is_guest(&self) -> bool {
        crate::api::model::guest_flag(
            self.is_guest,
            self.is_external_collaborator,
            self.external_collaborator,
        )
    }

    /// An app or bot account rather than a person.
    pub fn is_app(&self) -> bool {
        self.account_type == Some("app")
    }

    /// Whether the email is visible, hidden by privacy settings, or was not sent.
    pub fn email_state(&self) -> crate::api::model::EmailState<'a> {
        crate::api::model::EmailState::of(self.email)
    }

    /// The fields, owned.
    pub fn to_stored(&self) -> StoredUser {
        let own = |s: Option<&str>| s.map(str::to_string);
        StoredUser {
            kind: self.kind.to_string(),
            account_id: own(self.account_id),
            account_type: own(self.account_type),
            email: own(self.email),
            public_name: own(self.public_name),
            display_name: own(self.display_name),
            time_zone: own(self.time_zone),
            is_external_collaborator: self.is_external_collaborator,
            external_collaborator: self.external_collaborator,
            is_guest: self.is_guest,
        }
    }

    /// The person as a [`User`] with the kept fields (for code that shows any user, such as a
    /// profile while the full one loads).
    pub fn to_user(&self) -> User {
        self.to_stored().into()
    }
}

/// A record: the postcard encoding of a [`StoredUser`].
pub(super) fn encode(user: &StoredUser) -> Vec<u8> {
    // Strings, options and booleans always encode; an empty record decodes to nobody.
    postcard::to_allocvec(user).unwrap_or_default()
}

/// The account id of a record, read without decoding the rest.
fn record_id(record: &[u8]) -> Option<&str> {
    let (_kind, rest) = postcard::take_from_bytes::<&str>(record).ok()?;
    postcard::take_from_bytes::<Option<&str>>(rest).ok()?.0
}

/// The kept fields of every person, by directory index, and the index by account id.
#[derive(Clone, Default)]
pub(super) struct People {
    /// Every record, one after the other.
    bytes: Vec<u8>,
    /// Per person: where their record starts and ends in `bytes`.
    spans: Vec<[u32; 2]>,
    /// Per person: when the site last showed them (the directory's counter).
    seen: Vec<u64>,
    /// Positions, hashed by the account id in their record.
    by_id: HashTable<u32>,
    hasher: DefaultHashBuilder,
    /// Bytes of `bytes` no span points at (records replaced since it was last rewritten).
    unused: usize,
}

impl People {
    /// Number of people.
    pub(super) fn len(&self) -> usize {
        self.spans.len()
    }

    /// Reserves room for `people` more, with records of about `bytes` bytes in all.
    pub(super) fn reserve(&mut self, people: usize, bytes: usize) {
        self.bytes.reserve(bytes);
        self.spans.reserve(people);
        self.seen.reserve(people);
        let hasher = &self.hasher;
        let (buffer, spans) = (&self.bytes, &self.spans);
        self.by_id
            .reserve(people, |&i| hash_of(hasher, buffer, spans, i));
    }

    /// Person `index`'s record.
    pub(super) fn record(&self, index: usize) -> &[u8] {
        record_at(&self.bytes, &self.spans, index)
    }

    /// Person `index`, read from their record.
    pub(super) fn entry(&self, index: usize) -> Option<Entry<'_>> {
        let record = self.record(index);
        postcard::from_bytes(record).ok()
    }

    /// When the site last showed person `index`.
    pub(super) fn seen(&self, index: usize) -> u64 {
        self.seen.get(index).copied().unwrap_or(0)
    }

    /// Notes that the site showed person `index` at `seen`.
    pub(super) fn set_seen(&mut self, index: usize, seen: u64) {
        if let Some(slot) = self.seen.get_mut(index) {
            *slot = seen;
        }
    }

    /// The index of an account id.
    pub(super) fn index_of(&self, account_id: &str) -> Option<usize> {
        let hash = self.hasher.hash_one(account_id);
        let (bytes, spans) = (&self.bytes, &self.spans);
        self.by_id
            .find(hash, |&i| {
                record_id(record_at(bytes, spans, i as usize)) == Some(account_id)
            })
            .map(|&i| i as usize)
    }

    /// Adds a person (whose account id is `id` and not known yet) by their record; returns
    /// their index.
    pub(super) fn push(&mut self, record: &[u8], id: &str, seen: u64) -> usize {
        let index = self.spans.len();
        let span = self.append(record);
        self.spans.push(span);
        self.seen.push(seen);
        let hash = self.hasher.hash_one(id);
        let hasher = &self.hasher;
        let (bytes, spans) = (&self.bytes, &self.spans);
        self.by_id
            .insert_unique(hash, at(index), |&i| hash_of(hasher, bytes, spans, i));
        index
    }

    /// Replaces person `index`'s record (with the same account id).
    pub(super) fn replace(&mut self, index: usize, record: &[u8]) {
        if index >= self.spans.len() {
            return;
        }
        let [start, end] = self.spans[index];
        self.unused += (end - start) as usize;
        let span = self.append(record);
        self.spans[index] = span;
        if self.unused > self.bytes.len() / 2 {
            self.rewrite();
        }
    }

    /// Appends a record to the buffer and returns its span.
    fn append(&mut self, record: &[u8]) -> [u32; 2] {
        let start = at(self.bytes.len());
        self.bytes.extend_from_slice(record);
        [start, at(self.bytes.len())]
    }

    /// Rewrites the buffer with the records in use only, in directory order.
    fn rewrite(&mut self) {
        let mut bytes = Vec::with_capacity(self.bytes.len() - self.unused);
        for span in &mut self.spans {
            let [start, end] = *span;
            let record = self.bytes.get(start as usize..end as usize).unwrap_or(&[]);
            let from = at(bytes.len());
            bytes.extend_from_slice(record);
            *span = [from, at(bytes.len())];
        }
        self.bytes = bytes;
        self.unused = 0;
    }

    /// Bytes held for the records (used or not), for tests of the memory kept.
    #[cfg(test)]
    pub(super) fn buffer_len(&self) -> usize {
        self.bytes.len()
    }
}

/// Offsets fit in `u32` up to 4 GB of records (150,000 people take about 15 MB).
fn at(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

/// Record `index` of a buffer (empty when out of range).
fn record_at<'a>(bytes: &'a [u8], spans: &[[u32; 2]], index: usize) -> &'a [u8] {
    spans
        .get(index)
        .and_then(|&[start, end]| bytes.get(start as usize..end as usize))
        .unwrap_or(&[])
}

/// The hash of the account id in record `index` (for the index's growth).
fn hash_of(hasher: &DefaultHashBuilder, bytes: &[u8], spans: &[[u32; 2]], index: u32) -> u64 {
    hasher.hash_one(record_id(record_at(bytes, spans, index as usize)).unwrap_or(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(id: &str, name: &str) -> StoredUser {
        StoredUser {
            kind: "known".into(),
            account_id: Some(id.into()),
            display_name: Some(name.into()),
            email: Some(format!("{id}@example.com")),
            is_guest: Some(true),
            ..StoredUser::default()
        }
    }

    #[test]
    fn a_record_reads_back_as_the_fields_it_was_made_of() {
        let mut people = People::default();
        for i in 0..1_000 {
            let user = stored(&format!("id-{i}"), &format!("Person {i}"));
            people.push(&encode(&user), &format!("id-{i}"), i);
        }
        assert_eq!(people.len(), 1_000);
        for i in [0, 1, 517, 999] {
            let index = people.index_of(&format!("id-{i}")).unwrap();
            assert_eq!(index, i);
            let entry = people.entry(index).unwrap();
            assert_eq!(
                entry.to_stored(),
                stored(&format!("id-{i}"), &format!("Person {i}"))
            );
            assert_eq!(entry.name(), format!("Person {i}"));
            assert!(entry.is_guest() && !entry.is_app());
            assert_eq!(people.seen(index), i as u64);
        }
        assert_eq!(people.index_of("id-1000"), None);
        assert_eq!(people.entry(1_000), None);
    }

    #[test]
    fn replaced_records_are_read_new_and_their_old_bytes_are_given_back() {
        let mut people = People::default();
        people.push(&encode(&stored("a", "Ada")), "a", 1);
        people.push(&encode(&stored("b", "Bob")), "b", 2);
        let one = people.buffer_len();
        for round in 0..100 {
            people.replace(0, &encode(&stored("a", &format!("Ada {round}"))));
        }
        assert_eq!(people.entry(0).unwrap().name(), "Ada 99");
        assert_eq!(people.entry(1).unwrap().name(), "Bob");
        assert_eq!(people.index_of("a"), Some(0));
        assert_eq!(people.index_of("b"), Some(1));
        // A hundred replacements do not keep a hundred records.
        assert!(
            people.buffer_len() < 3 * one,
            "{} bytes",
            people.buffer_len()
        );
    }

    #[test]
    fn an_entry_is_a_user_with_the_kept_fields() {
        let user = stored("a", "Ada");
        let entry_user = postcard::from_bytes::<Entry>(&encode(&user))
            .unwrap()
            .to_user();
        assert_eq!(entry_user, User::from(user));
        assert_eq!(entry_user.name(), "Ada");
    }
}
