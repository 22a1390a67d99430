//! The seeded directory: the people, groups, spaces, labels, pages and starting properties the
//! demo server serves, generated from a seed.
//!
//! Everything here is immutable once built and derived only from the seed, the requested size and
//! the lists in `assets/demo/`, so the same arguments always give the same directory in the same
//! order. What changes while the server runs (watches, user properties) lives in `store.rs`; this
//! module only supplies its starting point. It knows nothing of HTTP. (The UI's own directory of
//! known people is `app::directory`, a different thing.)
//!
//! The types live here; the work is split by what is generated: `rng.rs` (stable randomness and
//! hashes), `assets.rs` (parsing `assets/demo/`), `people.rs` (accounts), `groups.rs`
//! (memberships), `projects.rs` (the project groups of two people in hundreds of groups) and
//! `properties.rs` (starting properties).

mod assets;
mod groups;
mod people;
mod projects;
mod properties;
mod rng;

pub use projects::PROJECT_GROUPS;

pub use rng::{hash_str, mix, Rng};

/// The demo site's cloud id: a uuid-shaped string that depends only on the seed, as a real
/// site's is fixed for its lifetime.
pub fn cloud_id(seed: u64) -> String {
    rng::uuid_from(mix(seed ^ 0x636c_6f75_6469_6421), seed)
}

#[cfg(doc)]
use crate::demo::cql::match_key;
use serde_json::Value;
use std::collections::HashMap;

/// Account id of the person behind the `demo` token: the same for every seed, so a state file and
/// the end-to-end tests can name them.
pub const DEMO_ACCOUNT_ID: &str = "5d3f8a2b9c1e4f0012ab34cd";
/// Account id of the administrator behind the `demo-admin` token.
pub const ADMIN_ACCOUNT_ID: &str = "557058:0f4c2a7e-8b1d-4c3a-9e5f-2d6b7a8c9e01";

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
pub struct SeedPerson {
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
    /// The display name's [`match_key`], computed once: what CQL name matching compares.
    pub name_key: String,
    /// The public name's [`match_key`] when it differs from the display name (CQL name matching
    /// finds nicknames too).
    pub public_name_key: Option<String>,
    /// Indexes into [`SeededDirectory::groups`], ascending.
    pub groups: Vec<u16>,
    /// Index into [`SeededDirectory::spaces`] of the personal space, if any.
    pub personal_space: Option<u16>,
}

impl SeedPerson {
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
pub struct SeedGroup {
    /// Group name, e.g. `engineering`.
    pub name: String,
    /// Stable uuid derived from the name.
    pub id: String,
    /// Indexes into [`SeededDirectory::users`], in directory order.
    pub members: Vec<u32>,
}

/// One space.
#[derive(Clone, Debug)]
pub struct SeedSpace {
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
pub struct SeedPage {
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
    /// Index of the owner in [`SeededDirectory::users`].
    pub user: u32,
    /// Property key.
    pub key: String,
    /// Its JSON object value.
    pub value: Value,
    /// Seconds since the epoch of creation.
    pub created: i64,
}

/// The whole seeded directory: everything the demo server serves, immutable once generated.
#[derive(Clone, Debug)]
pub struct SeededDirectory {
    /// The seed it was generated from.
    pub seed: u64,
    /// Every account, in a stable order: the demo user first, then the administrator.
    pub users: Vec<SeedPerson>,
    /// Account id → index into `users`.
    pub by_account: HashMap<String, u32>,
    /// Every group, in the order of `assets/demo/groups.txt`.
    pub groups: Vec<SeedGroup>,
    /// Group id → index into `groups`.
    pub group_by_id: HashMap<String, u16>,
    /// Global spaces first, then personal spaces.
    pub spaces: Vec<SeedSpace>,
    /// Space key → index into `spaces`.
    pub space_by_key: HashMap<String, u16>,
    /// Label names, lower-case.
    pub labels: Vec<String>,
    /// Pages that can be watched.
    pub pages: Vec<SeedPage>,
    /// Content id → index into `pages`.
    pub page_by_id: HashMap<String, u16>,
    /// Properties the directory starts with.
    pub properties: Vec<SeedProperty>,
}

/// Personal spaces beyond those of the two fixed accounts.
const EXTRA_PERSONAL_SPACES: usize = 12;

impl SeededDirectory {
    /// Builds the directory of `size` accounts (at least the two fixed ones) from `seed`.
    pub fn generate(size: usize, seed: u64) -> SeededDirectory {
        let (mut users, by_account) = people::generate(size, seed);
        let mut groups = groups::assign(&mut users, seed);
        projects::add(&mut users, &mut groups);
        let group_by_id = groups
            .iter()
            .enumerate()
            .map(|(i, g)| (g.id.clone(), i as u16))
            .collect();
        let mut spaces = assets::global_spaces();
        add_personal_spaces(&mut users, &mut spaces);
        let space_by_key = spaces
            .iter()
            .enumerate()
            .map(|(i, s)| (s.key.clone(), i as u16))
            .collect();
        let pages = assets::pages();
        let page_by_id = pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i as u16))
            .collect();
        let properties = properties::generate(&users, &groups, seed);
        SeededDirectory {
            seed,
            users,
            by_account,
            groups,
            group_by_id,
            spaces,
            space_by_key,
            labels: assets::labels(),
            pages,
            page_by_id,
            properties,
        }
    }

    /// The account id's index, if it exists.
    pub fn user_index(&self, account_id: &str) -> Option<u32> {
        self.by_account.get(account_id).copied()
    }

    /// The people in hundreds of groups (see [`PROJECT_GROUPS`]): the first is in projects
    /// 1–240, the second in 121–300. Empty in a directory with no staff besides the fixed
    /// accounts.
    pub fn project_people(&self) -> Vec<&SeedPerson> {
        projects::people(&self.users)
            .into_iter()
            .map(|i| &self.users[i])
            .collect()
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

/// A personal space for the fixed accounts and for the first few staff who show their email and
/// picture and have a hex account id, appended after the global spaces.
fn add_personal_spaces(users: &mut [SeedPerson], spaces: &mut Vec<SeedSpace>) {
    let fixed = people::FIXED.len();
    let mut owners: Vec<usize> = (0..fixed).collect();
    owners.extend(
        (fixed..users.len())
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
        spaces.push(SeedSpace {
            id: assets::space_id(&key),
            key,
            name: u.display_name.clone(),
            description: format!("Personal space of {}.", u.display_name),
            personal: true,
            archived: false,
            labels: Vec::new(),
        });
    }
}

#[cfg(test)]
mod tests;
