//! Group membership of the seeded directory: who is in which of the groups `groups.txt` lists.
//!
//! The fixed accounts get their hand-picked groups; everyone else is placed by the group rules
//! (everyone, guests, apps, a share of people, offices by time zone, one department and one or
//! two of its teams for staff), drawing from the seed's group stream. It adds members only: the
//! people themselves come from `people.rs`.

use super::assets::{self, GroupRule};
use super::people::FIXED;
use super::rng::{hash_str, uuid_from, Rng};
use super::{AccountKind, SeedGroup, SeedPerson};
use std::collections::HashMap;

/// The groups of `groups.txt`, their members drawn by each group's rule; each person's `groups`
/// and `admin` are filled in on the way.
pub(super) fn assign(users: &mut [SeedPerson], seed: u64) -> Vec<SeedGroup> {
    let rules = assets::group_rules();
    let mut groups: Vec<SeedGroup> = rules
        .iter()
        .map(|(name, _)| SeedGroup {
            id: uuid_from(hash_str(name), hash_str("confdir-group")),
            name: name.clone(),
            members: Vec::new(),
        })
        .collect();
    let index_of = |name: &str| rules.iter().position(|(n, _)| n == name);
    let departments: Vec<(usize, u64)> = rules
        .iter()
        .enumerate()
        .filter_map(|(i, (_, r))| match r {
            GroupRule::Department(w) => Some((i, *w)),
            _ => None,
        })
        .collect();
    let dept_weight: u64 = departments.iter().map(|(_, w)| w).sum::<u64>().max(1);
    let teams_of = |dept: usize| -> Vec<usize> {
        rules
            .iter()
            .enumerate()
            .filter(|(_, (_, r))| matches!(r, GroupRule::Team(d) if Some(dept) == index_of(d)))
            .map(|(i, _)| i)
            .collect()
    };
    let dept_teams: HashMap<usize, Vec<usize>> = departments
        .iter()
        .map(|(d, _)| (*d, teams_of(*d)))
        .collect();

    let site_admins = index_of("site-admins");
    let mut rng = Rng::new(seed, 2);
    for (ui, user) in users.iter_mut().enumerate() {
        let mut mine: Vec<usize> = Vec::new();
        if let Some(fixed) = FIXED.get(ui) {
            mine.extend(fixed.groups.iter().filter_map(|g| index_of(g)));
        } else {
            for (gi, (_, rule)) in rules.iter().enumerate() {
                let member = match rule {
                    GroupRule::Everyone => true,
                    GroupRule::Guests => user.kind == AccountKind::Guest,
                    GroupRule::Apps => user.kind == AccountKind::App,
                    _ if user.kind == AccountKind::App => false,
                    GroupRule::Admins => user.kind == AccountKind::Staff && rng.below(300) == 0,
                    GroupRule::Share(p) => {
                        let p = if user.kind == AccountKind::Guest {
                            p / 4
                        } else {
                            *p
                        };
                        rng.percent(p)
                    }
                    GroupRule::Office(prefix) => {
                        user.kind == AccountKind::Staff
                            && user.time_zone.split('/').next() == Some(prefix.as_str())
                    }
                    GroupRule::Department(_) | GroupRule::Team(_) => false,
                };
                if member {
                    mine.push(gi);
                }
            }
            if user.kind == AccountKind::Staff {
                let mut roll = rng.next_u64() % dept_weight;
                if let Some((dept, _)) = departments.iter().find(|(_, w)| {
                    if roll < *w {
                        true
                    } else {
                        roll -= *w;
                        false
                    }
                }) {
                    mine.push(*dept);
                    if let Some(teams) = dept_teams.get(dept).filter(|t| !t.is_empty()) {
                        mine.push(teams[rng.below(teams.len())]);
                        if rng.percent(25) {
                            mine.push(teams[rng.below(teams.len())]);
                        }
                    }
                }
            }
        }
        mine.sort_unstable();
        mine.dedup();
        user.admin = user.admin || mine.iter().any(|&g| Some(g) == site_admins);
        for &g in &mine {
            groups[g].members.push(ui as u32);
        }
        user.groups = mine.into_iter().map(|g| g as u16).collect();
    }
    groups
}
