//! Project groups: a block of [`PROJECT_GROUPS`] groups (`project-001` …) appended after the
//! groups of `groups.txt`, so the demo has people in hundreds of groups, as consultants and
//! long-serving staff are on real sites (one group per project or space permission).
//!
//! Two people get them: the first two staff accounts after the fixed ones, whatever the seed. The
//! first is in projects 1–240, the second in 121–300, so each is in more groups than one page of
//! `/user/memberof` (200) and comparing them gives three large sections (120 shared projects, 120
//! only the first's, 60 only the second's, besides their ordinary groups).
//!
//! It draws no random numbers and only appends, so every other person, group and property comes
//! out as before.

use super::people::FIXED;
use super::rng::{hash_str, uuid_from};
use super::{AccountKind, SeedGroup, SeedPerson};
use std::ops::RangeInclusive;

/// How many project groups the directory has.
pub const PROJECT_GROUPS: usize = 300;

/// The projects of the first and of the second person (1-based, inclusive).
const RANGES: [RangeInclusive<usize>; 2] = [1..=240, 121..=300];

/// The two people in project groups: indexes into `users` (fewer when the directory has fewer
/// staff).
pub(super) fn people(users: &[SeedPerson]) -> Vec<usize> {
    (FIXED.len()..users.len())
        .filter(|&i| users[i].kind == AccountKind::Staff)
        .take(RANGES.len())
        .collect()
}

/// Appends the project groups to `groups` and adds the two people to theirs.
pub(super) fn add(users: &mut [SeedPerson], groups: &mut Vec<SeedGroup>) {
    let first = groups.len();
    groups.extend((1..=PROJECT_GROUPS).map(|n| {
        let name = format!("project-{n:03}");
        SeedGroup {
            id: uuid_from(hash_str(&name), hash_str("confdir-group")),
            name,
            members: Vec::new(),
        }
    }));
    for (person, range) in people(users).into_iter().zip(RANGES) {
        for n in range {
            let g = first + n - 1;
            groups[g].members.push(person as u32);
            users[person].groups.push(g as u16);
        }
    }
}
