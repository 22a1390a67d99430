//! The generated demo directory: people, groups, spaces, labels and pages, from a seed.
//!
//! Everything here is immutable once built and derived only from the seed, the requested size and
//! the lists in `assets/demo/`, so the same arguments always give the same directory in the same
//! order. What changes while the server runs (watches, user properties) lives in `store.rs`; this
//! module only supplies its starting point. It knows nothing of HTTP.

use super::cql::match_key;
use serde_json::{json, Value};
use std::collections::HashMap;

const NAMES: &str = include_str!("../../assets/demo/names.txt");
const GROUPS: &str = include_str!("../../assets/demo/groups.txt");
const SPACES: &str = include_str!("../../assets/demo/spaces.txt");
const LABELS: &str = include_str!("../../assets/demo/labels.txt");
const PAGES: &str = include_str!("../../assets/demo/pages.txt");
const APPS: &str = include_str!("../../assets/demo/apps.txt");

/// Account id of the person behind the `demo` token: the same for every seed, so a state file and
/// the end-to-end tests can name them.
pub const DEMO_ACCOUNT_ID: &str = "5d3f8a2b9c1e4f0012ab34cd";
/// Account id of the administrator behind the `demo-admin` token.
pub const ADMIN_ACCOUNT_ID: &str = "557058:0f4c2a7e-8b1d-4c3a-9e5f-2d6b7a8c9e01";

/// A small, fast, portable generator (SplitMix64): the directory must not change when a
/// dependency's RNG does.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator for one purpose (`stream`) of one seed.
    pub fn new(seed: u64, stream: u64) -> Self {
        Rng(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// True with probability `percent`/100.
    pub fn percent(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }
}

/// The SplitMix64 finaliser, also used to hash ids into stable pseudo-random numbers.
pub fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a of a string: a stable hash (std's `DefaultHasher` may change between releases).
pub fn hash_str(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// What kind of account a person is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountKind {
    /// An employee.
    Staff,
    /// An external collaborator: limited access, usually a partner address.
    Guest,
    /// A bot acting for an installed app (`accountType: app`).
    App,
}

/// One account of the directory.
#[derive(Clone, Debug)]
pub struct Person {
    /// Opaque id, in the formats Cloud uses (24 hex digits, or `557058:<uuid>`).
    pub account_id: String,
    /// The name shown when privacy settings allow it; equal to `public_name` when they do not.
    pub display_name: String,
    /// Nickname or full name; always present.
    pub public_name: String,
    /// The real address, which `/user/email` reveals even when the profile hides it.
    pub email: String,
    /// IANA zone where the person works.
    pub time_zone: String,
    /// Staff, guest or app.
    pub kind: AccountKind,
    /// Privacy settings hide the email from profile answers.
    pub hide_email: bool,
    /// Privacy settings hide the time zone (`null`).
    pub hide_zone: bool,
    /// Privacy settings hide the picture (`null`).
    pub hide_picture: bool,
    /// The picture is the generated default one.
    pub default_picture: bool,
    /// Confluence administrator (`site-admins`).
    pub admin: bool,
    /// `match_key(display_name)`, for CQL name matching.
    pub folded: String,
    /// `match_key(public_name)` when it differs from the display name (search matches nicknames).
    pub folded_public: Option<String>,
    /// Indexes into [`Directory::groups`], ascending.
    pub groups: Vec<u16>,
    /// Index into [`Directory::spaces`] of the personal space, if any.
    pub personal_space: Option<u16>,
}

impl Person {
    /// The person as `/user?accountId=` shows them without any `expand`: privacy-hidden fields as
    /// Cloud sends them (`email: ""`, no picture or time zone).
    pub fn to_user(&self) -> crate::api::model::User {
        use crate::api::model::{Icon, User};
        let guest = self.kind == AccountKind::Guest;
        User {
            kind: "known".into(),
            account_id: Some(self.account_id.clone()),
            account_type: Some(
                if self.kind == AccountKind::App {
                    "app"
                } else {
                    "atlassian"
                }
                .into(),
            ),
            email: Some(if self.hide_email {
                String::new()
            } else {
                self.email.clone()
            }),
            public_name: Some(self.public_name.clone()),
            display_name: Some(self.display_name.clone()),
            profile_picture: (!self.hide_picture).then(|| Icon {
                path: if self.default_picture {
                    "/wiki/aa-avatar/default.png".into()
                } else {
                    format!("/wiki/aa-avatar/{}", self.account_id)
                },
                width: Some(48),
                height: Some(48),
                is_default: Some(self.default_picture),
            }),
            time_zone: (!self.hide_zone).then(|| self.time_zone.clone()),
            is_external_collaborator: Some(guest),
            external_collaborator: Some(guest),
            is_guest: Some(guest),
            ..User::default()
        }
    }
}

/// One group.
#[derive(Clone, Debug)]
pub struct DemoGroup {
    /// Group name, e.g. `engineering`.
    pub name: String,
    /// Stable uuid derived from the name.
    pub id: String,
    /// Indexes into [`Directory::users`], in directory order.
    pub members: Vec<u32>,
}

/// One space.
#[derive(Clone, Debug)]
pub struct DemoSpace {
    /// Numeric id.
    pub id: i64,
    /// Space key: upper-case for global spaces, `~accountId` for personal ones.
    pub key: String,
    /// Space name.
    pub name: String,
    /// Plain-text description.
    pub description: String,
    /// `global` or `personal`.
    pub personal: bool,
    /// `current` or `archived`.
    pub archived: bool,
    /// Space labels (the `label` filter of `/space`).
    pub labels: Vec<String>,
}

/// One page people can watch.
#[derive(Clone, Debug)]
pub struct DemoPage {
    /// Numeric content id, as a string (as the API uses it).
    pub id: String,
    /// Key of the page's space.
    pub space_key: String,
    /// Page title.
    pub title: String,
    /// Labels on the page.
    pub labels: Vec<String>,
}

/// A user property as first generated (the store owns later changes).
#[derive(Clone, Debug)]
pub struct SeedProperty {
    /// Index of the owner in [`Directory::users`].
    pub user: u32,
    /// Property key.
    pub key: String,
    /// Its JSON object value.
    pub value: Value,
    /// Seconds since the epoch of creation.
    pub created: i64,
}

/// The whole generated directory.
#[derive(Clone, Debug)]
pub struct Directory {
    /// The seed it was generated from.
    pub seed: u64,
    /// Every account, in a stable order: the demo user first, then the administrator.
    pub users: Vec<Person>,
    /// Account id → index into `users`.
    pub by_account: HashMap<String, u32>,
    /// Every group, in the order of `assets/demo/groups.txt`.
    pub groups: Vec<DemoGroup>,
    /// Group id → index into `groups`.
    pub group_by_id: HashMap<String, u16>,
    /// Global spaces first, then personal spaces.
    pub spaces: Vec<DemoSpace>,
    /// Space key → index into `spaces`.
    pub space_by_key: HashMap<String, u16>,
    /// Label names, lower-case.
    pub labels: Vec<String>,
    /// Pages that can be watched.
    pub pages: Vec<DemoPage>,
    /// Content id → index into `pages`.
    pub page_by_id: HashMap<String, u16>,
    /// Properties the directory starts with.
    pub properties: Vec<SeedProperty>,
}

/// A person's name parts from one culture.
struct NamePart {
    name: String,
    ascii: String,
}

struct Culture {
    weight: u64,
    family_first: bool,
    join: &'static str,
    zones: Vec<String>,
    given: Vec<NamePart>,
    family: Vec<NamePart>,
}

fn content_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

fn ascii_of(text: &str) -> String {
    match_key(text)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

fn parse_names(list: &str) -> Vec<NamePart> {
    list.split_whitespace()
        .map(|token| {
            let (name, ascii) = match token.split_once('/') {
                Some((n, a)) => (n.replace('_', " "), a.to_string()),
                None => {
                    let n = token.replace('_', " ");
                    let a = ascii_of(&n);
                    (n, a)
                }
            };
            NamePart { name, ascii }
        })
        .collect()
}

fn parse_cultures() -> Vec<Culture> {
    let mut out: Vec<Culture> = Vec::new();
    for line in content_lines(NAMES) {
        if line.starts_with('[') {
            out.push(Culture {
                weight: 1,
                family_first: false,
                join: " ",
                zones: Vec::new(),
                given: Vec::new(),
                family: Vec::new(),
            });
            continue;
        }
        let (Some(c), Some((key, value))) = (out.last_mut(), line.split_once('=')) else {
            continue;
        };
        let value = value.trim();
        match key.trim() {
            "weight" => c.weight = value.parse().unwrap_or(1),
            "order" => c.family_first = value == "family-given",
            "join" => c.join = if value == "none" { "" } else { " " },
            "zones" => c.zones = value.split_whitespace().map(str::to_string).collect(),
            "given" => c.given = parse_names(value),
            "family" => c.family = parse_names(value),
            _ => {}
        }
    }
    out.retain(|c| !c.given.is_empty() && !c.family.is_empty() && !c.zones.is_empty());
    out
}

/// A uuid-shaped string from a hash: stable ids for groups.
fn uuid_from(h: u64, g: u64) -> String {
    let a = mix(h);
    let b = mix(h ^ g);
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        0x8000 | (b >> 48 & 0x3fff),
        b & 0xffff_ffff_ffff
    )
}

fn account_id(rng: &mut Rng, app: bool) -> String {
    let a = rng.next_u64();
    let b = rng.next_u64();
    if app || a % 100 < 18 {
        let prefix = if app || a % 2 == 0 {
            "557058"
        } else {
            "712020"
        };
        format!("{prefix}:{}", uuid_from(a, b))
    } else {
        format!("{:016x}{:08x}", a, b >> 32)
    }
}

enum GroupRule {
    Everyone,
    Admins,
    Guests,
    Apps,
    Share(u64),
    Department(u64),
    Team(String),
    Office(String),
}

fn parse_groups() -> Vec<(String, GroupRule)> {
    content_lines(GROUPS)
        .filter_map(|line| {
            let mut parts = line.split_whitespace();
            let name = parts.next()?.to_string();
            let kind = parts.next()?;
            let arg = parts.next().unwrap_or_default();
            let rule = match kind {
                "everyone" => GroupRule::Everyone,
                "admins" => GroupRule::Admins,
                "guests" => GroupRule::Guests,
                "apps" => GroupRule::Apps,
                "share" => GroupRule::Share(arg.parse().unwrap_or(1)),
                "department" => GroupRule::Department(arg.parse().unwrap_or(1)),
                "team" => GroupRule::Team(arg.to_string()),
                "office" => GroupRule::Office(arg.to_string()),
                _ => return None,
            };
            Some((name, rule))
        })
        .collect()
}

/// How the two fixed accounts look, whatever the seed.
struct Fixed {
    account_id: &'static str,
    display: &'static str,
    public: &'static str,
    email: &'static str,
    zone: &'static str,
    groups: &'static [&'static str],
}

const FIXED: [Fixed; 2] = [
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

/// Position (after the fixed accounts) of the first app account, and the gap between apps.
const APP_FIRST: usize = 40;
const APP_EVERY: usize = 97;

/// Keys of the personal spaces' owners beyond the two fixed accounts.
const EXTRA_PERSONAL_SPACES: usize = 12;

impl Directory {
    /// Builds the directory of `size` accounts (at least the two fixed ones) from `seed`.
    pub fn generate(size: usize, seed: u64) -> Directory {
        let size = size.max(FIXED.len());
        let cultures = parse_cultures();
        let total_weight: u64 = cultures.iter().map(|c| c.weight).sum::<u64>().max(1);
        let apps: Vec<(String, String)> = content_lines(APPS)
            .filter_map(|l| l.split_once('|'))
            .map(|(n, e)| (n.to_string(), e.to_string()))
            .collect();

        let mut rng = Rng::new(seed, 1);
        let mut users: Vec<Person> = Vec::with_capacity(size);
        let mut by_account: HashMap<String, u32> = HashMap::with_capacity(size);
        let mut emails: HashMap<String, u32> = HashMap::with_capacity(size);

        for f in &FIXED {
            by_account.insert(f.account_id.to_string(), users.len() as u32);
            users.push(Person {
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
                folded: match_key(f.display),
                folded_public: (f.public != f.display).then(|| match_key(f.public)),
                groups: Vec::new(),
                personal_space: None,
            });
        }

        let mut apps_made = 0;
        while users.len() < size {
            // Apps sit at fixed places, so a bigger directory starts with the same people.
            let n = users.len() - FIXED.len();
            let is_app =
                apps_made < apps.len() && n >= APP_FIRST && (n - APP_FIRST) % APP_EVERY == 0;
            let mut id = account_id(&mut rng, is_app);
            while by_account.contains_key(&id) {
                id = account_id(&mut rng, is_app);
            }
            let person = if is_app {
                let (name, local) = &apps[apps_made];
                apps_made += 1;
                Person {
                    account_id: id.clone(),
                    display_name: name.clone(),
                    public_name: name.clone(),
                    email: format!("{local}@apps.acme.example"),
                    time_zone: "Etc/UTC".to_string(),
                    kind: AccountKind::App,
                    hide_email: true,
                    hide_zone: true,
                    hide_picture: false,
                    default_picture: false,
                    admin: false,
                    folded: match_key(name),
                    folded_public: None,
                    groups: Vec::new(),
                    personal_space: None,
                }
            } else {
                make_person(&mut rng, &cultures, total_weight, id.clone(), &mut emails)
            };
            by_account.insert(id, users.len() as u32);
            users.push(person);
        }

        let groups = assign_groups(&mut users, seed);
        let group_by_id = groups
            .iter()
            .enumerate()
            .map(|(i, g)| (g.id.clone(), i as u16))
            .collect();

        let mut spaces: Vec<DemoSpace> = content_lines(SPACES)
            .filter_map(|line| {
                let mut parts = line.split('|');
                let key = parts.next()?.trim().to_string();
                let name = parts.next()?.trim().to_string();
                let description = parts.next().unwrap_or_default().trim().to_string();
                let labels = parts
                    .next()
                    .unwrap_or_default()
                    .split(',')
                    .map(|l| l.trim().to_string())
                    .filter(|l| !l.is_empty())
                    .collect::<Vec<_>>();
                Some(DemoSpace {
                    id: (hash_str(&key) % 900_000_000) as i64 + 100_000_000,
                    archived: labels.iter().any(|l| l == "archive"),
                    key,
                    name,
                    description,
                    personal: false,
                    labels,
                })
            })
            .collect();
        let mut owners: Vec<usize> = (0..FIXED.len()).collect();
        owners.extend(
            (FIXED.len()..users.len())
                .filter(|&i| {
                    let u = &users[i];
                    u.kind == AccountKind::Staff
                        && !u.hide_email
                        && !u.account_id.contains(':')
                        && !u.hide_picture
                })
                .take(EXTRA_PERSONAL_SPACES),
        );
        for i in owners {
            let u = &mut users[i];
            let key = format!("~{}", u.account_id.replace(':', ""));
            u.personal_space = Some(spaces.len() as u16);
            spaces.push(DemoSpace {
                id: (hash_str(&key) % 900_000_000) as i64 + 100_000_000,
                key,
                name: u.display_name.clone(),
                description: format!("Personal space of {}.", u.display_name),
                personal: true,
                archived: false,
                labels: Vec::new(),
            });
        }
        let space_by_key = spaces
            .iter()
            .enumerate()
            .map(|(i, s)| (s.key.clone(), i as u16))
            .collect();

        let labels: Vec<String> = content_lines(LABELS).map(str::to_lowercase).collect();
        let pages: Vec<DemoPage> = content_lines(PAGES)
            .filter_map(|line| {
                let mut parts = line.split('|');
                let space_key = parts.next()?.trim().to_string();
                let title = parts.next()?.trim().to_string();
                let labels = parts
                    .next()
                    .unwrap_or_default()
                    .split(',')
                    .map(|l| l.trim().to_string())
                    .filter(|l| !l.is_empty())
                    .collect();
                let id = (hash_str(&format!("{space_key}/{title}")) % 9_000_000_000
                    + 1_000_000_000)
                    .to_string();
                Some(DemoPage {
                    id,
                    space_key,
                    title,
                    labels,
                })
            })
            .collect();
        let page_by_id = pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i as u16))
            .collect();

        let properties = seed_properties(&users, &groups, seed);

        Directory {
            seed,
            users,
            by_account,
            groups,
            group_by_id,
            spaces,
            space_by_key,
            labels,
            pages,
            page_by_id,
            properties,
        }
    }

    /// The account id's index, if it exists.
    pub fn user_index(&self, account_id: &str) -> Option<u32> {
        self.by_account.get(account_id).copied()
    }

    /// Whether a space key names a space of the directory.
    pub fn space_index(&self, key: &str) -> Option<u16> {
        self.space_by_key.get(key).copied()
    }

    /// Whether a label exists (labels are case-insensitive).
    pub fn has_label(&self, name: &str) -> bool {
        let name = name.to_lowercase();
        self.labels.contains(&name)
    }
}

fn make_person(
    rng: &mut Rng,
    cultures: &[Culture],
    total_weight: u64,
    account_id: String,
    emails: &mut HashMap<String, u32>,
) -> Person {
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
    Person {
        folded: match_key(&display_name),
        folded_public: (public_name != display_name).then(|| match_key(&public_name)),
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

fn fallback_person(account_id: String) -> Person {
    let name = format!("user-{}", account_id.chars().take(6).collect::<String>());
    Person {
        folded: match_key(&name),
        folded_public: None,
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

fn assign_groups(users: &mut [Person], seed: u64) -> Vec<DemoGroup> {
    let rules = parse_groups();
    let mut groups: Vec<DemoGroup> = rules
        .iter()
        .map(|(name, _)| DemoGroup {
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

const PRONOUNS: [&str; 4] = ["she/her", "he/him", "they/them", "she/they"];
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

fn seed_properties(users: &[Person], groups: &[DemoGroup], seed: u64) -> Vec<SeedProperty> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_directory_other_seed_other_people() {
        let a = Directory::generate(300, 7);
        let b = Directory::generate(300, 7);
        let c = Directory::generate(300, 8);
        let names = |d: &Directory| -> Vec<String> {
            d.users.iter().map(|u| u.display_name.clone()).collect()
        };
        assert_eq!(names(&a), names(&b));
        assert_ne!(names(&a), names(&c));
        assert_eq!(a.users[0].account_id, c.users[0].account_id);
        assert_eq!(a.users.len(), 300);
    }

    #[test]
    fn default_directory_has_the_promised_variety() {
        let d = Directory::generate(1500, 42);
        assert_eq!(d.users.len(), 1500);
        assert_eq!(d.groups.len(), 80);
        assert_eq!(d.spaces.len(), 40);
        assert_eq!(d.groups[0].name, "confluence-users");
        assert_eq!(d.groups[0].members.len(), 1500);
        assert!(d.groups.iter().filter(|g| g.members.len() >= 200).count() >= 3);
        let apps = d
            .users
            .iter()
            .filter(|u| u.kind == AccountKind::App)
            .count();
        let guests = d
            .users
            .iter()
            .filter(|u| u.kind == AccountKind::Guest)
            .count();
        let private = d
            .users
            .iter()
            .filter(|u| u.hide_picture && u.display_name == u.public_name)
            .count();
        assert_eq!(apps, 12);
        assert!(guests > 30, "{guests}");
        assert!(private > 50, "{private}");
        let has = |pred: fn(char) -> bool| d.users.iter().any(|u| u.display_name.chars().any(pred));
        assert!(has(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "CJK");
        assert!(has(|c| ('\u{0590}'..='\u{06ff}').contains(&c)), "RTL");
        assert!(has(|c| "éüøłçñ".contains(c)), "accents");
        let ids: std::collections::HashSet<_> = d.users.iter().map(|u| &u.account_id).collect();
        assert_eq!(ids.len(), 1500);
        let zones: std::collections::HashSet<_> = d.users.iter().map(|u| &u.time_zone).collect();
        assert!(zones.len() > 40);
        for u in &d.users {
            assert!(
                u.time_zone.parse::<chrono_tz::Tz>().is_ok(),
                "{}",
                u.time_zone
            );
        }
    }

    #[test]
    fn the_demo_user_is_a_realistic_person() {
        let d = Directory::generate(1500, 1);
        let ada = &d.users[0];
        assert_eq!(ada.account_id, DEMO_ACCOUNT_ID);
        assert!(ada.groups.len() >= 5);
        assert!(ada.personal_space.is_some());
        assert!(!ada.admin);
        assert!(d.users[1].admin);
        assert!(d.properties.iter().filter(|p| p.user == 0).count() >= 3);
    }

    #[test]
    fn generating_the_default_size_is_fast() {
        let t = std::time::Instant::now();
        let d = Directory::generate(1500, 42);
        // Debug builds are several times slower than release; the budget there is 100 ms.
        assert!(
            t.elapsed() < std::time::Duration::from_millis(600),
            "{:?}",
            t.elapsed()
        );
        assert_eq!(d.users.len(), 1500);
    }
}
