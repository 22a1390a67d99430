//! Base URLs: what a person types for a site, turned into the site's context URL.
//!
//! This module owns the accepted forms (a site name, a Cloud host, the API gateway, a Data Center
//! base URL) and the rule that plain `http` is allowed only for loopback hosts. It parses and
//! refuses with a reason; it never opens a connection or builds a client.
//!
//! The API gateway form is what Atlassian documents for scoped API tokens: requests go to
//! `https://api.atlassian.com/ex/confluence/{cloudId}/{api}`, with Basic auth (email + token), and
//! `{api}` is the path a site URL takes after its host, so `wiki/rest/api/...` and
//! `wiki/api/v2/...` ("Manage API tokens for your Atlassian account",
//! support.atlassian.com/atlassian-account/docs/manage-api-tokens-for-your-atlassian-account;
//! "401 Unauthorized error when service account accesses Jira or Confluence API",
//! support.atlassian.com/atlassian-cloud/kb/401-unauthorized-error-when-service-account-accesses-jira-or-confluence-api).
//! A cloud id is a UUID ("How to find your Atlassian Cloud site's Cloud ID",
//! support.atlassian.com/jira/kb/retrieve-my-atlassian-sites-cloud-id); one that arrives on its
//! own (from `_edge/tenant_info`, `--cloud-id` or the config) is checked with [`is_cloud_id`]
//! before any URL is built from it ([`gateway_context`]).

use super::error::ApiError;
use std::net::IpAddr;
use url::Url;

/// The host of Atlassian's API gateway.
pub const GATEWAY_HOST: &str = "api.atlassian.com";

/// The gateway's root, before `/ex/confluence/{cloudId}`.
pub const GATEWAY_ROOT: &str = "https://api.atlassian.com/";

/// The path of the gateway form, before the cloud id.
const GATEWAY_PATH: &str = "/ex/confluence/";

/// True for 127.0.0.0/8, ::1 and `localhost`: the only hosts allowed plain http.
pub fn is_loopback_host(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// Turns what a person types into the site's context URL (ending in `/`).
///
/// - `acme` → `https://acme.atlassian.net/wiki/`; `acme.atlassian.net` → the same.
/// - Cloud hosts (`*.atlassian.net`, the `api.atlassian.com/ex/confluence/{cloudId}` gateway) get
///   `/wiki` when it is missing; so does a bare loopback host (the demo server, tests).
/// - A loopback URL in the gateway form (`http://127.0.0.1:PORT/ex/confluence/{cloudId}`, a test
///   or demo server playing the gateway) gets `/wiki` like the real gateway.
/// - Anything else, including a loopback URL with another path, is a Data Center base URL and is
///   used as given (its context path, if any).
/// - A trailing `/rest/api` is accepted and removed.
/// - `http` is refused except for loopback hosts; credentials, queries and fragments are refused.
pub fn parse_base_url(input: &str) -> Result<Url, ApiError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(ApiError::InvalidInput("the base URL is empty".into()));
    }
    let with_scheme = if input.contains("://") {
        input.to_string()
    } else if !input.contains('.') && !input.contains(':') && !input.contains('/') {
        format!("https://{input}.atlassian.net")
    } else {
        format!("https://{input}")
    };
    let mut url = Url::parse(&with_scheme)
        .map_err(|e| ApiError::InvalidInput(format!("`{input}` is not a valid URL: {e}")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ApiError::InvalidInput(
            "the base URL must not contain a user name or password; put credentials in the config or environment".into(),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(ApiError::InvalidInput(format!(
            "`{input}`: the base URL must not have a query or fragment"
        )));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback_host(&url) => {}
        "http" => {
            return Err(ApiError::InvalidInput(format!(
                "`{input}`: plain http is allowed only for loopback hosts (127.0.0.1, ::1, localhost); use https"
            )))
        }
        other => {
            return Err(ApiError::InvalidInput(format!(
                "`{input}`: unsupported scheme `{other}`; use https"
            )))
        }
    }
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    let mut path = url.path().trim_end_matches('/').to_string();
    if let Some(stripped) = path.strip_suffix("/rest/api") {
        path = stripped.to_string();
    }
    let cloud = host.ends_with(".atlassian.net")
        || (host == "api.atlassian.com" && path.starts_with("/ex/confluence/"));
    if host == "api.atlassian.com" && !path.starts_with("/ex/confluence/") {
        return Err(ApiError::InvalidInput(
            "the API gateway URL must look like https://api.atlassian.com/ex/confluence/{cloudId}"
                .into(),
        ));
    }
    let loopback = is_loopback_host(&url);
    let loopback_gateway = loopback && path.starts_with(GATEWAY_PATH);
    let bare_loopback = loopback && path.is_empty();
    if ((cloud || loopback_gateway) && !path.ends_with("/wiki")) || bare_loopback {
        path.push_str("/wiki");
    }
    path.push('/');
    url.set_path(&path);
    Ok(url)
}

/// True for the shape of an Atlassian cloud id: a UUID (`8-4-4-4-12` hex digits), e.g.
/// `1324a887-45db-1bf4-1e99-ef0ff456d421`. Nothing else is put into a gateway URL.
pub fn is_cloud_id(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, len)| g.len() == len && g.chars().all(|c| c.is_ascii_hexdigit()))
}

/// The cloud id of a context URL in the gateway form (`…/ex/confluence/{cloudId}/wiki/`, on
/// `api.atlassian.com` or a loopback stand-in), or `None` for a site URL.
pub fn gateway_cloud_id(url: &Url) -> Option<&str> {
    if url.host_str() != Some(GATEWAY_HOST) && !is_loopback_host(url) {
        return None;
    }
    url.path()
        .strip_prefix(GATEWAY_PATH)
        .and_then(|rest| rest.split('/').next())
        .filter(|id| !id.is_empty())
}

/// Parses a gateway root (`https://api.atlassian.com`, or a loopback `http://127.0.0.1:PORT` for
/// tests): https (http only on loopback), no credentials, query or path. Ends in `/`.
pub fn parse_gateway_root(input: &str) -> Result<Url, ApiError> {
    let bad = |why: &str| ApiError::InvalidInput(format!("`{input}`: the API gateway {why}"));
    let url = Url::parse(input.trim()).map_err(|e| bad(&format!("is not a valid URL: {e}")))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback_host(&url) => {}
        _ => return Err(bad("must be an https URL (plain http only on loopback)")),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("must not contain a user name or password"));
    }
    if url.query().is_some() || url.fragment().is_some() || !url.path().trim_matches('/').is_empty()
    {
        return Err(bad(
            "is a host only, e.g. https://api.atlassian.com (no path or query)",
        ));
    }
    Ok(url)
}

/// The API context through the gateway for a site's cloud id:
/// `{root}ex/confluence/{cloudId}/wiki/` (the root defaults to [`GATEWAY_ROOT`]). The cloud id
/// must be UUID-shaped ([`is_cloud_id`]); anything else is refused before a URL is built.
pub fn gateway_context(root: Option<&Url>, cloud_id: &str) -> Result<Url, ApiError> {
    if !is_cloud_id(cloud_id) {
        return Err(ApiError::InvalidInput(format!(
            "`{}` is not a cloud id: Atlassian cloud ids look like 1324a887-45db-1bf4-1e99-ef0ff456d421",
            crate::sanitize::cap(cloud_id, 60)
        )));
    }
    let root = match root {
        Some(root) => root.clone(),
        None => parse_gateway_root(GATEWAY_ROOT)?,
    };
    root.join(&format!(
        "ex/confluence/{}/wiki/",
        cloud_id.to_ascii_lowercase()
    ))
    .map_err(|e| ApiError::InvalidInput(format!("bad gateway URL: {e}")))
}

/// The API context through the gateway for `site`'s cloud id ([`gateway_context`]): on `root`
/// when given; else, for a loopback site (the demo server, tests), on the site's own origin, which
/// plays the gateway (a loopback site's cloud id means nothing to Atlassian); else on
/// `https://api.atlassian.com`.
pub fn site_gateway_context(
    site: &Url,
    root: Option<&Url>,
    cloud_id: &str,
) -> Result<Url, ApiError> {
    match root {
        Some(root) => gateway_context(Some(root), cloud_id),
        None if is_loopback_host(site) => {
            let origin = parse_gateway_root(&site.origin().ascii_serialization())?;
            gateway_context(Some(&origin), cloud_id)
        }
        None => gateway_context(None, cloud_id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_normalise() {
        let ok = |s: &str| parse_base_url(s).unwrap().to_string();
        assert_eq!(ok("acme"), "https://acme.atlassian.net/wiki/");
        assert_eq!(ok("acme.atlassian.net"), "https://acme.atlassian.net/wiki/");
        assert_eq!(
            ok("https://acme.atlassian.net/"),
            "https://acme.atlassian.net/wiki/"
        );
        assert_eq!(
            ok("https://acme.atlassian.net/wiki"),
            "https://acme.atlassian.net/wiki/"
        );
        assert_eq!(
            ok("https://acme.atlassian.net/wiki/rest/api/"),
            "https://acme.atlassian.net/wiki/"
        );
        assert_eq!(
            ok("https://api.atlassian.com/ex/confluence/abc-123"),
            "https://api.atlassian.com/ex/confluence/abc-123/wiki/"
        );
        assert_eq!(
            ok("https://wiki.corp.example/confluence"),
            "https://wiki.corp.example/confluence/"
        );
        assert_eq!(
            ok("https://wiki.corp.example"),
            "https://wiki.corp.example/"
        );
        assert_eq!(ok("http://127.0.0.1:8080"), "http://127.0.0.1:8080/wiki/");
        assert_eq!(ok("http://localhost:1/wiki"), "http://localhost:1/wiki/");
        assert_eq!(ok("http://[::1]:9/wiki"), "http://[::1]:9/wiki/");
        assert_eq!(
            ok("http://127.0.0.1:8090/confluence"),
            "http://127.0.0.1:8090/confluence/"
        );
        // A loopback stand-in for the gateway is treated like the gateway.
        assert_eq!(
            ok("http://127.0.0.1:8090/ex/confluence/abc"),
            "http://127.0.0.1:8090/ex/confluence/abc/wiki/"
        );
    }

    #[test]
    fn cloud_ids_are_checked_before_a_gateway_url_is_built() {
        let id = "1324A887-45db-1bf4-1e99-ef0ff456d421";
        assert!(is_cloud_id(id));
        assert_eq!(
            gateway_context(None, id).unwrap().as_str(),
            "https://api.atlassian.com/ex/confluence/1324a887-45db-1bf4-1e99-ef0ff456d421/wiki/"
        );
        let local = parse_gateway_root("http://127.0.0.1:9").unwrap();
        let ctx = gateway_context(Some(&local), id).unwrap();
        assert_eq!(
            ctx.as_str(),
            "http://127.0.0.1:9/ex/confluence/1324a887-45db-1bf4-1e99-ef0ff456d421/wiki/"
        );
        assert_eq!(
            gateway_cloud_id(&ctx),
            Some("1324a887-45db-1bf4-1e99-ef0ff456d421")
        );
        assert_eq!(gateway_cloud_id(&parse_base_url("acme").unwrap()), None);
        for bad in [
            "",
            "abc",
            "../../user",
            "1324a887-45db-1bf4-1e99-ef0ff456d42",
            "1324a887-45db-1bf4-1e99-ef0ff456d421/x",
            "1324a887_45db_1bf4_1e99_ef0ff456d421",
            "g324a887-45db-1bf4-1e99-ef0ff456d421",
        ] {
            assert!(!is_cloud_id(bad), "{bad}");
            let err = gateway_context(None, bad).unwrap_err().to_string();
            assert!(err.contains("not a cloud id"), "{bad}: {err}");
        }
        for bad in [
            "http://gateway.example",
            "https://api.atlassian.com/ex",
            "https://u:p@api.atlassian.com",
            "nonsense",
        ] {
            assert!(parse_gateway_root(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn bad_base_urls_are_refused_with_a_reason() {
        for (input, needle) in [
            ("http://acme.atlassian.net", "loopback"),
            ("http://10.0.0.1/wiki", "loopback"),
            ("ftp://x.example", "scheme"),
            ("https://me:pw@acme.atlassian.net", "user name"),
            ("https://acme.atlassian.net/wiki?x=1", "query"),
            ("https://api.atlassian.com/other", "gateway"),
            ("", "empty"),
        ] {
            let err = parse_base_url(input).unwrap_err().to_string();
            assert!(err.contains(needle), "{input}: {err}");
        }
    }
}
