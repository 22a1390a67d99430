//! Credentials: the [`Secret`] that holds a token and the [`Auth`] scheme that sends it.
//!
//! This module owns the only code that turns a token into an `Authorization` header value, and the
//! list of forms in which the token could travel back in a response (for scrubbing). It must never
//! let the token reach a `Debug`, `Display`, error or log line: [`Secret`] prints `***`, the header
//! value is marked sensitive, and the error for a token that cannot be sent names no part of it.
//! It knows nothing of requests or retries; `client.rs` attaches the header.

use super::error::ApiError;
use base64::Engine;
use reqwest::header::HeaderValue;
use std::fmt;

/// What a person reads when the token cannot travel in an HTTP header. A fixed sentence: it must
/// never quote the token, not even the offending character's position.
const UNSENDABLE_TOKEN: &str = "the API token contains characters that cannot be sent in an HTTP \
     header (a line break or control character?). Paste it again, exactly as it was issued";

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

    /// True when every character can travel in a header as the token itself: printable ASCII
    /// (space included). A line break, tab, other control character or non-ASCII character means
    /// the token was pasted or read wrongly, and no server would accept it.
    fn is_sendable(&self) -> bool {
        self.0
            .chars()
            .all(|c| c.is_ascii() && !c.is_ascii_control())
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
    /// The `Authorization` header value, marked sensitive; `None` for [`Auth::Anonymous`].
    ///
    /// A token that is not printable ASCII (a pasted line break, a control or non-ASCII character)
    /// is refused here, before any request: sending it (or, for Bearer, silently sending no header
    /// at all) would only earn a 401 that points the user at the wrong problem. The error names no
    /// part of the token.
    pub(super) fn header(&self) -> Result<Option<HeaderValue>, ApiError> {
        let raw = match self {
            Auth::Basic { email, token } => {
                Self::check(token)?;
                format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD
                        .encode(format!("{email}:{}", token.expose()))
                )
            }
            Auth::Bearer { token } => {
                Self::check(token)?;
                format!("Bearer {}", token.expose())
            }
            Auth::Anonymous => return Ok(None),
        };
        // `from_str`'s own error describes the value; it is dropped unread.
        let mut value = HeaderValue::from_str(&raw)
            .map_err(|_| ApiError::InvalidInput(UNSENDABLE_TOKEN.into()))?;
        value.set_sensitive(true);
        Ok(Some(value))
    }

    fn check(token: &Secret) -> Result<(), ApiError> {
        if token.is_sendable() {
            Ok(())
        } else {
            Err(ApiError::InvalidInput(UNSENDABLE_TOKEN.into()))
        }
    }

    /// Every form in which the token could travel back in a response: raw, and for Basic the
    /// base64 of `email:token`. Very short values are left out: scrubbing them would mangle
    /// ordinary words, and no real token is that short.
    pub(super) fn secret_forms(&self) -> Vec<String> {
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

    /// Tokens that cannot be sent, each with a distinctive visible part to look for in messages.
    const BAD_TOKENS: [&str; 6] = [
        "Zq7vSECRET\n",
        "Zq7vSECRET\r\nX-Injected: 1",
        "Zq7v\tSECRET",
        "Zq7vSECRET\u{7f}",
        "Zq7vSECRET\u{0}",
        "Zq7vSECRETé",
    ];

    fn all_kinds(token: &str) -> [Auth; 2] {
        [
            Auth::Basic {
                email: "ada@example.com".into(),
                token: Secret::new(token),
            },
            Auth::Bearer {
                token: Secret::new(token),
            },
        ]
    }

    #[test]
    fn secrets_do_not_print() {
        let s = Secret::new("hunter2");
        assert!(!format!("{s:?} {s}").contains("hunter2"));
    }

    #[test]
    fn good_tokens_make_sensitive_headers() {
        for auth in all_kinds("tok-SECRET-123") {
            let value = auth.header().unwrap().unwrap();
            assert!(value.is_sensitive(), "{}", auth.kind());
            assert!(!format!("{value:?}").contains("SECRET"), "{}", auth.kind());
        }
        assert_eq!(Auth::Anonymous.header(), Ok(None));
    }

    #[test]
    fn unsendable_tokens_are_refused_with_a_sentence_that_names_no_part_of_them() {
        for token in BAD_TOKENS {
            for auth in all_kinds(token) {
                let err = auth.header().unwrap_err();
                assert!(matches!(err, ApiError::InvalidInput(_)), "{err:?}");
                let text = format!("{err} {err:?}");
                assert!(
                    text.contains("cannot be sent in an HTTP header"),
                    "{}: {text}",
                    auth.kind()
                );
                for part in ["Zq7v", "SECRET", "X-Injected", "é"] {
                    assert!(!text.contains(part), "{}: {part} in {text}", auth.kind());
                }
            }
        }
    }
}
