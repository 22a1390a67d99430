//! Base URLs: what a person types for a site, turned into the site's context URL.
//!
//! This module owns the accepted forms (a site name, a Cloud host, the API gateway, a Data Center
//! base URL) and the rule that plain `http` is allowed only for loopback hosts. It parses and
//! refuses with a reason; it never opens a connection or builds a client.

use super::error::ApiError;
use std::net::IpAddr;
use url::Url;

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
/// - Anything else, including a loopback URL with a path, is a Data Center base URL and is used as
///   given (its context path, if any).
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
    let bare_loopback = is_loopback_host(&url) && path.is_empty();
    if (cloud && !path.ends_with("/wiki")) || bare_loopback {
        path.push_str("/wiki");
    }
    path.push('/');
    url.set_path(&path);
    Ok(url)
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
