//! Credentials: the [`Secret`] that holds a token and the [`Auth`] scheme that sends it.
//!
//! This module owns the only code that turns a token into an `Authorization` header value, and the
//! list of forms in which the token could travel back in a response (for scrubbing). It must never
//! let the token reach a `Debug`, `Display`, error or log line: [`Secret`] prints `***` and the
//! header value is marked sensitive.
//! It knows nothing of requests or retries; `client.rs` attaches the header.

use base64::Engine;
use reqwest::header::HeaderValue;
use std::fmt;

/// A string that must never be printed: `Debug` and `Display` show `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a token.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    /// The raw value, for building the auth header and nothing else.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// How requests authenticate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Auth {
    /// Cloud API tokens (classic or scoped): `Basic base64(email:token)`.
    Basic {
        /// The Atlassian account's email address: Cloud's user name for API tokens.
        email: String,
        /// The API token, sent only inside the base64 of `email:token`.
        token: Secret,
    },
    /// OAuth 2.0 access tokens and Data Center personal access tokens.
    Bearer {
        /// The access token, sent as `Bearer <token>`.
        token: Secret,
    },
    /// No credentials: only `/user/anonymous` and public content will answer.
    Anonymous,
}

impl Auth {
    /// The `Authorization` header value, marked sensitive; `None` for [`Auth::Anonymous`] (and,
    /// as before, for a token that is not a valid header value).
    pub(crate) fn header(&self) -> Option<HeaderValue> {
        let raw = match self {
            Auth::Basic { email, token } => format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD
                    .encode(format!("{email}:{}", token.expose()))
            ),
            Auth::Bearer { token } => format!("Bearer {}", token.expose()),
            Auth::Anonymous => return None,
        };
        let mut value = HeaderValue::from_str(&raw).ok()?;
        value.set_sensitive(true);
        Some(value)
    }

    /// Every form in which the token could travel back in a response: raw, and for Basic the
    /// base64 of `email:token`. Very short values are left out: scrubbing them would mangle
    /// ordinary words, and no real token is that short.
    pub(crate) fn secret_forms(&self) -> Vec<String> {
        let forms = match self {
            Auth::Basic { email, token } => vec![
                token.expose().to_string(),
                base64::engine::general_purpose::STANDARD
                    .encode(format!("{email}:{}", token.expose())),
            ],
            Auth::Bearer { token } => vec![token.expose().to_string()],
            Auth::Anonymous => Vec::new(),
        };
        forms.into_iter().filter(|f| f.len() >= 6).collect()
    }

    /// `basic`, `bearer` or `anonymous`: safe to show.
    pub fn kind(&self) -> &'static str {
        match self {
            Auth::Basic { .. } => "basic",
            Auth::Bearer { .. } => "bearer",
            Auth::Anonymous => "anonymous",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_do_not_print() {
        let s = Secret::new("hunter2");
        assert!(!format!("{s:?} {s}").contains("hunter2"));
    }
}
