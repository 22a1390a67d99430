//! Users: current, anonymous, one, group memberships, and CQL user search (many at once: `bulk.rs`).

use super::auth::Auth;
use super::client::{Client, ClientConfig};
use super::error::ApiError;
use super::model::{AnonymousUser, Group, SearchResult, User};
use super::paging::{Paged, Paging};
use super::retry::RetryPolicy;

/// Checks credentials before anyone stores them (`confdir login`, the first-run screen): one
/// `GET /user/current`, no retries, and an answer without an account is refused, since a Data
/// Center site may treat a bad token as an anonymous visitor instead of answering 401.
pub async fn verify_credentials(base_url: &str, auth: Auth) -> Result<User, ApiError> {
    let mut config = ClientConfig::new(base_url, auth);
    config.retry = RetryPolicy::none();
    let client = Client::new(config)?;
    let user = client.current_user(&[]).await?;
    if user.account_id.is_none() && user.username.is_none() {
        return Err(ApiError::Unauthorized {
            endpoint: "GET /user/current".into(),
            message: "the server answered as an anonymous user, so the token was ignored".into(),
        });
    }
    Ok(user)
}

/// Values of the `expand` parameter of the user endpoints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserExpand {
    /// What the user may do.
    Operations,
    /// The user's personal space, if any.
    PersonalSpace,
    /// Deprecated by Atlassian (use `isGuest`), still accepted.
    IsExternalCollaborator,
}

impl UserExpand {
    fn as_str(self) -> &'static str {
        match self {
            UserExpand::Operations => "operations",
            UserExpand::PersonalSpace => "personalSpace",
            UserExpand::IsExternalCollaborator => "isExternalCollaborator",
        }
    }
}

/// `sitePermissionTypeFilter` of user search.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SitePermissionFilter {
    /// Everyone with site access, guests included.
    All,
    /// Guests (external collaborators) only.
    ExternalCollaborator,
    /// No filter (Confluence's default).
    #[default]
    None,
}

impl SitePermissionFilter {
    fn as_str(self) -> &'static str {
        match self {
            SitePermissionFilter::All => "all",
            SitePermissionFilter::ExternalCollaborator => "externalCollaborator",
            SitePermissionFilter::None => "none",
        }
    }
}

/// At most this many account ids go in one `/user/bulk` or `/user/email/bulk` call.
pub const BULK_MAX: usize = 100;

pub(crate) fn expand_query(expand: &[UserExpand]) -> Option<(&'static str, String)> {
    (!expand.is_empty()).then(|| {
        let joined: Vec<&str> = expand.iter().map(|e| e.as_str()).collect();
        ("expand", joined.join(","))
    })
}

/// Quotes a string for CQL: wraps it in double quotes and escapes `"` and `\`.
pub fn cql_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// The CQL confdir sends for search-as-you-type: `user.fullname~"text"`.
pub fn fullname_cql(text: &str) -> String {
    format!("user.fullname~{}", cql_quote(text.trim()))
}

impl Client {
    /// `getCurrentUser`: who the credentials belong to.
    pub async fn current_user(&self, expand: &[UserExpand]) -> Result<User, ApiError> {
        let mut url = self.url(&["user", "current"])?;
        url.query_pairs_mut().extend_pairs(expand_query(expand));
        self.get_url("GET /user/current", url).await
    }

    /// `getAnonymousUser`: how an anonymous visitor is shown.
    pub async fn anonymous_user(&self, operations: bool) -> Result<AnonymousUser, ApiError> {
        let mut url = self.url(&["user", "anonymous"])?;
        if operations {
            url.query_pairs_mut().append_pair("expand", "operations");
        }
        self.get_url("GET /user/anonymous", url).await
    }

    /// `getUser`: one user by account id.
    pub async fn user(&self, account_id: &str, expand: &[UserExpand]) -> Result<User, ApiError> {
        let mut url = self.url(&["user"])?;
        url.query_pairs_mut()
            .append_pair("accountId", account_id)
            .extend_pairs(expand_query(expand));
        self.get_url("GET /user", url).await
    }

    /// `getGroupMembershipsForUser`: the groups a user belongs to.
    pub fn group_memberships(&self, account_id: &str, paging: Paging) -> Paged<Group> {
        let url = self.url(&["user", "memberof"]).map(|mut url| {
            url.query_pairs_mut()
                .append_pair("accountId", account_id)
                .append_pair("start", &paging.start.to_string())
                .append_pair("limit", &paging.limit.to_string());
            url
        });
        self.paged("GET /user/memberof", url)
    }

    /// `searchUser`: users matching a CQL query (e.g. [`fullname_cql`]).
    pub fn search_users(
        &self,
        cql: &str,
        paging: Paging,
        filter: SitePermissionFilter,
        expand: &[UserExpand],
    ) -> Paged<SearchResult> {
        let url = self.url(&["search", "user"]).map(|mut url| {
            let mut q = url.query_pairs_mut();
            q.append_pair("cql", cql)
                .append_pair("start", &paging.start.to_string())
                .append_pair("limit", &paging.limit.to_string());
            if filter != SitePermissionFilter::None {
                q.append_pair("sitePermissionTypeFilter", filter.as_str());
            }
            // The values Atlassian documents for this endpoint are the user endpoints' own
            // (`operations`, `personalSpace`), with no `user.` prefix: the contract's
            // `GET /search/user` `expand` parameter, form style, comma-joined.
            q.extend_pairs(expand_query(expand));
            drop(q);
            url
        });
        self.paged("GET /search/user", url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cql_quoting_escapes_quotes_and_backslashes() {
        assert_eq!(fullname_cql(r#" a"b\c "#), r#"user.fullname~"a\"b\\c""#);
    }
}
