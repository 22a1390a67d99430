//! Turning what a person types into the ids the API wants.
//!
//! USER is an accountId, `me`, or a name that matches exactly one person; GROUP is a group id or
//! an exact group name. Input shaped like an id is used as one without a lookup, and input that
//! cannot be one is never sent as one (each guess would cost a round trip). Several matches are listed and refused (exit 2), none is "not found"
//! (exit 4). Names shown in those lists are cleaned: they come from the server.

use super::{output::clean, Failure, EXIT_NOT_FOUND, EXIT_USAGE};
use crate::api::model::User;
use crate::api::{fullname_cql, ApiError, Client, Paging, SitePermissionFilter};

/// How many name matches are fetched to decide whether a name is unique.
const NAME_CANDIDATES: u32 = 50;

/// True for the account id shapes Atlassian uses: 24 hex digits (`5b10ac8d82e05b22cc7d4ef5`) or
/// `<digits>:<uuid>` (`557058:f58131cb-…`). Such input is used as is, without a lookup.
pub fn looks_like_account_id(text: &str) -> bool {
    let hex24 = text.len() == 24 && text.chars().all(|c| c.is_ascii_hexdigit());
    let prefixed = text.split_once(':').is_some_and(|(head, uuid)| {
        !head.is_empty()
            && head.chars().all(|c| c.is_ascii_digit())
            && uuid.len() == 36
            && uuid.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
    });
    hex24 || prefixed
}

/// True for a word that may be an account id although it is not shaped like the usual ones: ids
/// are opaque (Atlassian: "Never parse them"), but every form seen has a `prefix:` part
/// (`557058:…`, `712020:…`, `qm:…` for Service Management customers) or is 24 hex digits. A word
/// without a colon and not [`looks_like_account_id`] is a name (`alice`), searched for at once.
pub fn could_be_account_id(text: &str) -> bool {
    looks_like_account_id(text)
        || (text.contains(':')
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == ':' || c == '-'))
}

/// True for a group id as the contract's examples show them: a UUID
/// (`e50e7fe6-7961-4775-9bbf-99e4b50f8701`). Such GROUP input is used as the id at once.
pub fn looks_like_group_id(text: &str) -> bool {
    text.len() == 36
        && text.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// The account id for USER. Skips the network for id-shaped input.
pub async fn user_id(client: &Client, input: &str) -> Result<String, Failure> {
    let input = input.trim();
    if looks_like_account_id(input) {
        return Ok(input.to_string());
    }
    let user = user(client, input).await?;
    user.account_id.ok_or_else(|| {
        Failure::new(
            EXIT_NOT_FOUND,
            format!("`{}` has no account id", clean(input)),
        )
    })
}

/// The full user for USER: `me` is the current user; a single word that may be an account id
/// ([`could_be_account_id`]) is tried as one first; otherwise (or when that is not found, unless
/// it is shaped like one) it is a name.
pub async fn user(client: &Client, input: &str) -> Result<User, Failure> {
    let input = input.trim();
    if input.is_empty() {
        return Err(Failure::new(EXIT_USAGE, "USER is empty"));
    }
    if input.eq_ignore_ascii_case("me") {
        return Ok(client.current_user(&[]).await?);
    }
    if could_be_account_id(input) {
        match client.user(input, &[]).await {
            Ok(user) => return Ok(user),
            Err(ApiError::NotFound { .. } | ApiError::BadRequest { .. })
                if !looks_like_account_id(input) => {}
            Err(e) => return Err(e.into()),
        }
    }
    by_name(client, input).await
}

/// The one user whose name matches: an exact (case-insensitive) display or public name wins;
/// otherwise the search must return exactly one person.
async fn by_name(client: &Client, name: &str) -> Result<User, Failure> {
    let page = client
        .search_users(
            &fullname_cql(name),
            Paging::first(NAME_CANDIDATES),
            // A guest is named like anyone else (Cloud's default, `none`, leaves guests out).
            SitePermissionFilter::All,
            &[],
        )
        .first()
        .await?;
    let mut users: Vec<User> = page
        .results
        .into_iter()
        .filter_map(|r| r.user)
        .filter(|u| u.account_id.is_some())
        .collect();
    let exact: Vec<&User> = users
        .iter()
        .filter(|u| {
            [u.display_name.as_deref(), u.public_name.as_deref()]
                .into_iter()
                .flatten()
                .any(|n| n.trim().eq_ignore_ascii_case(name))
        })
        .collect();
    if exact.len() == 1 {
        return Ok(exact[0].clone());
    }
    match users.len() {
        0 => Err(Failure::new(
            EXIT_NOT_FOUND,
            format!("no user matches `{}`", clean(name)),
        )),
        1 => Ok(users.remove(0)),
        n => Err(Failure {
            code: EXIT_USAGE,
            message: format!(
                "`{}` matches {n}{} users; name one by accountId:",
                clean(name),
                if n as u32 >= NAME_CANDIDATES { "+" } else { "" }
            ),
            details: candidates(&users),
        }),
    }
}

/// The candidates of an ambiguous name, one line each: the account id and the name, and where
/// two share a name (case-insensitive), what tells them apart: the email, else the public name
/// when it differs, else the account id's tail (the full id leads the line anyway, but the tail
/// is what a person compares at a glance).
fn candidates(users: &[User]) -> Vec<String> {
    users
        .iter()
        .map(|u| {
            let id = u.account_id.as_deref().unwrap_or_default();
            let name = clean(u.name());
            let twins = users
                .iter()
                .filter(|o| o.name().trim().eq_ignore_ascii_case(u.name().trim()))
                .count();
            if twins < 2 {
                return format!("{id}  {name}");
            }
            format!("{id}  {name}  ({})", clean(&disambiguator(u)))
        })
        .collect()
}

/// What tells a person apart from another of the same name: the email, else a public name other
/// than the display name, else `…` and the last 6 characters of the account id.
fn disambiguator(user: &User) -> String {
    if let Some(email) = user.email.as_deref().filter(|e| !e.trim().is_empty()) {
        return email.trim().to_string();
    }
    if let Some(public) = user
        .public_name
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty() && !p.eq_ignore_ascii_case(user.name().trim()))
    {
        return public.to_string();
    }
    let id = user.account_id.as_deref().unwrap_or_default();
    let tail: String = id
        .chars()
        .rev()
        .take(6)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("id …{tail}")
}

/// The group id for GROUP: a UUID as it is (no lookup); else the id of the group whose name
/// equals it (case-insensitive, via the group picker, where the name travels as a query
/// parameter, so `..` or `a/b` are names like any other), else the input itself as an id
/// (escaped into its path segment by the client).
pub async fn group_id(client: &Client, input: &str) -> Result<String, Failure> {
    let input = input.trim();
    if input.is_empty() {
        return Err(Failure::new(EXIT_USAGE, "GROUP is empty"));
    }
    if looks_like_group_id(input) {
        return Ok(input.to_string());
    }
    let by_name = match client.search_groups(input, Paging::first(200)).all().await {
        Ok(groups) => groups
            .into_iter()
            .find(|g| g.name.eq_ignore_ascii_case(input) && !g.id.is_empty())
            .map(|g| g.id),
        Err(ApiError::NotFound { .. }) => None,
        Err(e) => return Err(e.into()),
    };
    match by_name {
        Some(id) => Ok(id),
        // `.` and `..` cannot be sent as a path segment, so they can only ever be names.
        None if matches!(input, "." | "..") => Err(Failure::new(
            EXIT_NOT_FOUND,
            format!("no group is named `{input}`"),
        )),
        None => Ok(input.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_id_shapes() {
        assert!(looks_like_account_id("5b10ac8d82e05b22cc7d4ef5"));
        assert!(looks_like_account_id(
            "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077"
        ));
        assert!(!looks_like_account_id("alice"));
        assert!(!looks_like_account_id("Ada Lovelace"));
        assert!(!looks_like_account_id(
            "x:f58131cb-b67d-43c7-b30d-6b58d40bd077"
        ));
    }

    #[test]
    fn a_plain_word_cannot_be_an_account_id() {
        for id in [
            "5b10ac8d82e05b22cc7d4ef5",
            "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077",
            "qm:a713c8ea-1075-4e30-9d96-891a7d181739:5ad6d3581db05e2a66fa80b",
        ] {
            assert!(could_be_account_id(id), "{id}");
        }
        for name in ["alice", "o'brien", "Ada Lovelace", "jean-luc", "Ömer"] {
            assert!(!could_be_account_id(name), "{name}");
        }
    }

    #[test]
    fn group_ids_are_uuids() {
        assert!(looks_like_group_id("e50e7fe6-7961-4775-9bbf-99e4b50f8701"));
        for name in ["site-admins", "e50e7fe679614775", "confluence-users"] {
            assert!(!looks_like_group_id(name), "{name}");
        }
    }
}
