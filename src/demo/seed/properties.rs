//! User properties the seeded directory starts with: small JSON objects on the demo user and on
//! a share of the others, drawn from the seed's property stream.
//!
//! These are only the starting point; creating, replacing and deleting them while the server
//! runs is the store's business (`store.rs`).

use super::people::FIXED;
use super::rng::Rng;
use super::{AccountKind, SeedGroup, SeedPerson, SeedProperty};
use serde_json::json;

/// Pronouns a person may have set.
const PRONOUNS: [&str; 4] = ["she/her", "he/him", "they/them", "she/they"];
/// Roles in a team property.
const ROLES: [&str; 8] = [
    "Engineer",
    "Senior engineer",
    "Staff engineer",
    "Designer",
    "Product manager",
    "Analyst",
    "Manager",
    "Specialist",
];

/// The properties the directory starts with: five on the demo user, and on a fifth of the other
/// people (apps excepted) pronouns, sometimes a team and working hours.
pub(super) fn generate(users: &[SeedPerson], groups: &[SeedGroup], seed: u64) -> Vec<SeedProperty> {
    let base = 1_735_689_600; // 2025-01-01
    let mut out = vec![
        SeedProperty {
            user: 0,
            key: "pronouns".into(),
            value: json!({ "value": "she/her" }),
            created: base + 86_400 * 12,
        },
        SeedProperty {
            user: 0,
            key: "team".into(),
            value: json!({ "name": "Platform", "role": "Staff engineer", "since": "2023-04-01" }),
            created: base + 86_400 * 40,
        },
        SeedProperty {
            user: 0,
            key: "working-hours".into(),
            value: json!({ "start": "09:30", "end": "17:30", "zone": "Europe/London", "days": ["mon", "tue", "wed", "thu"] }),
            created: base + 86_400 * 75,
        },
        SeedProperty {
            user: 0,
            key: "onboarding-state".into(),
            value: json!({ "completed": true, "steps": ["intro", "first-page", "first-space"] }),
            created: base + 86_400 * 3,
        },
        SeedProperty {
            user: 0,
            key: "confdir-favourites".into(),
            value: json!({ "spaces": ["ENG", "ARCH"], "labels": ["release-notes"], "note": "Emoji and accents survive: ✨ café" }),
            created: base + 86_400 * 200,
        },
    ];
    let mut rng = Rng::new(seed, 3);
    for (i, u) in users.iter().enumerate().skip(FIXED.len()) {
        if u.kind == AccountKind::App || !rng.percent(20) {
            continue;
        }
        let created = base + (rng.below(600 * 86_400) as i64);
        let user = i as u32;
        out.push(SeedProperty {
            user,
            key: "pronouns".into(),
            value: json!({ "value": PRONOUNS[rng.below(PRONOUNS.len())] }),
            created,
        });
        if rng.percent(50) {
            let team = u
                .groups
                .iter()
                .filter_map(|&g| groups.get(usize::from(g)))
                .find(|g| g.name.starts_with("team-"))
                .map(|g| g.name.trim_start_matches("team-").to_string())
                .unwrap_or_else(|| "general".into());
            out.push(SeedProperty {
                user,
                key: "team".into(),
                value: json!({ "name": team, "role": ROLES[rng.below(ROLES.len())] }),
                created: created + 3_600,
            });
        }
        if rng.percent(30) {
            out.push(SeedProperty {
                user,
                key: "working-hours".into(),
                value: json!({ "start": format!("{:02}:00", 7 + rng.below(4)), "end": format!("{:02}:00", 15 + rng.below(4)), "zone": u.time_zone }),
                created: created + 7_200,
            });
        }
    }
    out
}
