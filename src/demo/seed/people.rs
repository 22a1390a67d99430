//! The accounts of the seeded directory: the two fixed ones, generated people of many cultures
//! with their privacy choices, and app bots at fixed places.
//!
//! Every random draw comes from one [`Rng`] stream of the seed, in a fixed order, so the same
//! seed and size always give the same people, and a bigger directory starts with the people of
//! a smaller one. Groups, spaces and properties are added later by their own modules; this one
//! leaves them empty.

use super::assets::{self, Culture};
use super::rng::{uuid_from, Rng};
use super::{AccountKind, SeedPerson, ADMIN_ACCOUNT_ID, DEMO_ACCOUNT_ID};
use crate::demo::cql::match_key;
use std::collections::HashMap;

/// How the two fixed accounts look, whatever the seed.
pub(super) struct Fixed {
    account_id: &'static str,
    display: &'static str,
    public: &'static str,
    email: &'static str,
    zone: &'static str,
    pub(super) groups: &'static [&'static str],
}

/// Ada Lovelace (the `demo` token) and Grace Hopper (`demo-admin`), first in every directory.
pub(super) const FIXED: [Fixed; 2] = [
    Fixed {
        account_id: DEMO_ACCOUNT_ID,
        display: "Ada Lovelace",
        public: "Ada Lovelace",
        email: "demo@confdir.example",
        zone: "Europe/London",
        groups: &[
            "confluence-users",
            "jira-software-users",
            "trusted-users",
            "engineering",
            "team-platform",
            "team-search",
            "office-europe",
            "guild-rust",
            "mentors",
            "architecture-review",
            "release-managers",
            "on-call",
        ],
    },
    Fixed {
        account_id: ADMIN_ACCOUNT_ID,
        display: "Grace Hopper",
        public: "grace",
        email: "admin@confdir.example",
        zone: "America/New_York",
        groups: &[
            "confluence-users",
            "site-admins",
            "confluence-administrators",
            "jira-software-users",
            "jira-servicemanagement-users",
            "trusted-users",
            "it",
            "team-helpdesk",
            "office-americas",
            "managers",
        ],
    },
];

/// Position (after the fixed accounts) of the first app account.
const APP_FIRST: usize = 40;
/// Accounts from one app account to the next.
const APP_EVERY: usize = 97;

/// `size` accounts (at least the fixed ones) in directory order, and account id → index.
pub(super) fn generate(size: usize, seed: u64) -> (Vec<SeedPerson>, HashMap<String, u32>) {
    let size = size.max(FIXED.len());
    let cultures = assets::cultures();
    let total_weight: u64 = cultures.iter().map(|c| c.weight).sum::<u64>().max(1);
    let apps = assets::apps();

    let mut rng = Rng::new(seed, 1);
    let mut users: Vec<SeedPerson> = Vec::with_capacity(size);
    let mut by_account: HashMap<String, u32> = HashMap::with_capacity(size);
    let mut emails: HashMap<String, u32> = HashMap::with_capacity(size);

    for f in &FIXED {
        by_account.insert(f.account_id.to_string(), users.len() as u32);
        users.push(fixed_person(f));
    }

    let mut apps_made = 0;
    while users.len() < size {
        // Apps sit at fixed places, so a bigger directory starts with the same people.
        let n = users.len() - FIXED.len();
        let is_app =
            apps_made < apps.len() && n >= APP_FIRST && (n - APP_FIRST).is_multiple_of(APP_EVERY);
        let mut id = account_id(&mut rng, is_app);
        while by_account.contains_key(&id) {
            id = account_id(&mut rng, is_app);
        }
        let person = match apps.get(apps_made).filter(|_| is_app) {
            Some((name, local)) => {
                apps_made += 1;
                app_person(id.clone(), name, local)
            }
            None => make_person(&mut rng, &cultures, total_weight, id.clone(), &mut emails),
        };
        by_account.insert(id, users.len() as u32);
        users.push(person);
    }
    (users, by_account)
}

fn fixed_person(f: &Fixed) -> SeedPerson {
    SeedPerson {
        account_id: f.account_id.to_string(),
        display_name: f.display.to_string(),
        public_name: f.public.to_string(),
        email: f.email.to_string(),
        time_zone: f.zone.to_string(),
        kind: AccountKind::Staff,
        hide_email: false,
        hide_zone: false,
        hide_picture: false,
        default_picture: false,
        admin: f.account_id == ADMIN_ACCOUNT_ID,
        name_key: match_key(f.display),
        public_name_key: (f.public != f.display).then(|| match_key(f.public)),
        groups: Vec::new(),
        personal_space: None,
    }
}

/// The bot account of an installed app: no picture choice, email and zone hidden.
fn app_person(account_id: String, name: &str, local: &str) -> SeedPerson {
    SeedPerson {
        account_id,
        display_name: name.to_string(),
        public_name: name.to_string(),
        email: format!("{local}@apps.acme.example"),
        time_zone: "Etc/UTC".to_string(),
        kind: AccountKind::App,
        hide_email: true,
        hide_zone: true,
        hide_picture: false,
        default_picture: false,
        admin: false,
        name_key: match_key(name),
        public_name_key: None,
        groups: Vec::new(),
        personal_space: None,
    }
}

/// An account id in one of Cloud's formats: mostly 24 hex digits, some `557058:<uuid>` or
/// `712020:<uuid>`, and always the `557058:` form for apps.
fn account_id(rng: &mut Rng, app: bool) -> String {
    let a = rng.next_u64();
    let b = rng.next_u64();
    if app || a % 100 < 18 {
        let prefix = if app || a.is_multiple_of(2) {
            "557058"
        } else {
            "712020"
        };
        format!("{prefix}:{}", uuid_from(a, b))
    } else {
        format!("{:016x}{:08x}", a, b >> 32)
    }
}

/// A staff member or guest of a culture drawn by weight; `emails` counts the local parts used
/// so far, so namesakes get `ada.lovelace2`.
fn make_person(
    rng: &mut Rng,
    cultures: &[Culture],
    total_weight: u64,
    account_id: String,
    emails: &mut HashMap<String, u32>,
) -> SeedPerson {
    let mut roll = rng.next_u64() % total_weight;
    let culture = cultures
        .iter()
        .find(|c| {
            if roll < c.weight {
                true
            } else {
                roll -= c.weight;
                false
            }
        })
        .or(cultures.first());
    let guest = rng.percent(5);
    let (display, public, local, zone) = match culture {
        Some(c) => {
            let given = rng.pick(&c.given);
            let family = rng.pick(&c.family);
            let (g, f) = match (given, family) {
                (Some(g), Some(f)) => (g, f),
                _ => return fallback_person(account_id),
            };
            let display = if c.family_first {
                format!("{}{}{}", f.name, c.join, g.name)
            } else {
                format!("{}{}{}", g.name, c.join, f.name)
            };
            let local = format!("{}.{}", g.ascii, f.ascii);
            let public = match rng.below(4) {
                0 => format!("{}{}", &g.ascii, f.ascii.chars().next().unwrap_or('x')),
                1 => g.ascii.clone(),
                _ => display.clone(),
            };
            let zone = rng.pick(&c.zones).cloned().unwrap_or_default();
            (display, public, local, zone)
        }
        None => return fallback_person(account_id),
    };
    let n = emails.entry(local.clone()).or_insert(0);
    *n += 1;
    let local = if *n > 1 { format!("{local}{n}") } else { local };
    let domain = if guest {
        ["partner.example", "contractor.example", "agency.example"][rng.below(3)]
    } else {
        "acme.example"
    };
    // Privacy: a share of people hide everything (display name = public name), more hide only
    // their address, guests more often than staff.
    let private = rng.percent(if guest { 35 } else { 12 });
    let hide_email = private || rng.percent(30);
    let public_name = if private && public == display {
        local.split('.').next().unwrap_or(&local).to_string()
    } else {
        public
    };
    let display_name = if private {
        public_name.clone()
    } else {
        display
    };
    SeedPerson {
        name_key: match_key(&display_name),
        public_name_key: (public_name != display_name).then(|| match_key(&public_name)),
        account_id,
        display_name,
        public_name,
        email: format!("{local}@{domain}"),
        time_zone: zone,
        kind: if guest {
            AccountKind::Guest
        } else {
            AccountKind::Staff
        },
        hide_email,
        hide_zone: private || rng.percent(8),
        hide_picture: private,
        default_picture: rng.percent(30),
        admin: false,
        groups: Vec::new(),
        personal_space: None,
    }
}

/// Someone named after their id, if the name lists were ever empty.
fn fallback_person(account_id: String) -> SeedPerson {
    let name = format!("user-{}", account_id.chars().take(6).collect::<String>());
    SeedPerson {
        name_key: match_key(&name),
        public_name_key: None,
        display_name: name.clone(),
        public_name: name.clone(),
        email: format!("{name}@acme.example"),
        account_id,
        time_zone: "Etc/UTC".into(),
        kind: AccountKind::Staff,
        hide_email: false,
        hide_zone: false,
        hide_picture: false,
        default_picture: true,
        admin: false,
        groups: Vec::new(),
        personal_space: None,
    }
}
