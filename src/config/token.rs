//! The token chain and the OS keyring: where a site's token comes from, in a fixed order
//! (`CONFLUENCE_API_TOKEN`, the OS keyring, the site's `token_command`, then its `token_file`,
//! which must be mode 0600), with a reason recorded for every source that was skipped so `doctor`
//! and the error messages can explain the result.
//!
//! The token only ever lives in [`Secret`]; no error, reason or `Debug` output built here contains
//! it (a failing `token_command` shows its stderr, never its stdout). This module reads; storing a
//! token (the keyring entry aside) lives in `store`.

use super::{ConfigError, Environment, SiteChoice, ENV_TOKEN};
use crate::api::Secret;
use serde::Serialize;
use std::fmt;
use std::path::Path;

/// Service name under which tokens are kept in the OS keyring.
pub const KEYRING_SERVICE: &str = "confdir";

/// The places a token can come from, in the order they are tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenSource {
    /// `CONFLUENCE_API_TOKEN`.
    Environment,
    /// The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager).
    Keyring,
    /// The site's `token_command`.
    TokenCommand,
    /// The site's `token_file`.
    TokenFile,
}

impl fmt::Display for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TokenSource::Environment => "CONFLUENCE_API_TOKEN",
            TokenSource::Keyring => "OS keyring",
            TokenSource::TokenCommand => "token_command",
            TokenSource::TokenFile => "token_file",
        })
    }
}

/// One step of the credential chain: a source and what happened there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenAttempt {
    /// Which source.
    pub source: TokenSource,
    /// True when this source supplied the token.
    pub used: bool,
    /// Why it was skipped, or where the token was found. Never the token itself.
    pub detail: String,
}

/// The outcome of the credential chain, for `doctor` and for error messages.
#[derive(Debug, Clone)]
pub struct TokenReport {
    /// Every source tried, in order; the last one has `used` when a token was found.
    pub attempts: Vec<TokenAttempt>,
    /// The token, if a source had one.
    pub token: Option<Secret>,
}

impl TokenReport {
    /// The source that supplied the token.
    pub fn source(&self) -> Option<TokenSource> {
        self.attempts.iter().find(|a| a.used).map(|a| a.source)
    }
}

/// Walks the credential chain for a site. `Err` only for a configured source that failed (a
/// `token_command` that exits non-zero, a token file with loose permissions); a source that is
/// simply not set up is skipped with a reason.
pub fn find_token(choice: &SiteChoice, env: &Environment) -> Result<TokenReport, ConfigError> {
    let mut attempts = Vec::new();
    let skip = |attempts: &mut Vec<TokenAttempt>, source, detail: String| {
        attempts.push(TokenAttempt {
            source,
            used: false,
            detail,
        })
    };
    let found = |mut attempts: Vec<TokenAttempt>, source, detail: String, token: String| {
        attempts.push(TokenAttempt {
            source,
            used: true,
            detail,
        });
        Ok(TokenReport {
            attempts,
            token: Some(Secret::new(token)),
        })
    };

    // 1. The environment.
    match env.get(ENV_TOKEN).map(str::trim).filter(|t| !t.is_empty()) {
        Some(token) => {
            return found(
                attempts,
                TokenSource::Environment,
                "CONFLUENCE_API_TOKEN is set".into(),
                token.to_string(),
            )
        }
        None => skip(
            &mut attempts,
            TokenSource::Environment,
            "CONFLUENCE_API_TOKEN is not set".into(),
        ),
    }

    // 2. The OS keyring.
    let use_keyring = choice.site.as_ref().is_none_or(|s| s.keyring);
    if use_keyring {
        let account = choice.keyring_account();
        match keyring_get(&account) {
            Ok(Some(token)) => {
                return found(
                    attempts,
                    TokenSource::Keyring,
                    format!("entry `{account}` of service `{KEYRING_SERVICE}`"),
                    token,
                )
            }
            Ok(None) => skip(
                &mut attempts,
                TokenSource::Keyring,
                format!("no entry `{account}` (run `confdir login` to store one)"),
            ),
            Err(reason) => skip(&mut attempts, TokenSource::Keyring, reason),
        }
    } else {
        skip(
            &mut attempts,
            TokenSource::Keyring,
            "disabled by `keyring = false`".into(),
        );
    }

    // 3. token_command.
    match choice.site.as_ref().and_then(|s| s.token_command.as_ref()) {
        Some(cmd) => {
            let argv = cmd.get_ref();
            let token = run_token_command(argv)?;
            return found(
                attempts,
                TokenSource::TokenCommand,
                format!("`{}` printed a token", argv.join(" ")),
                token,
            );
        }
        None => skip(
            &mut attempts,
            TokenSource::TokenCommand,
            "no `token_command` for this site".into(),
        ),
    }

    // 4. token_file.
    match choice.site.as_ref().and_then(|s| s.token_file.as_ref()) {
        Some(file) => {
            let path = env.expand_home(file.get_ref());
            let token = read_token_file(&path)?;
            return found(
                attempts,
                TokenSource::TokenFile,
                format!("read {}", path.display()),
                token,
            );
        }
        None => skip(
            &mut attempts,
            TokenSource::TokenFile,
            "no `token_file` for this site".into(),
        ),
    }

    Ok(TokenReport {
        attempts,
        token: None,
    })
}

/// Runs `token_command` without a shell; its trimmed stdout is the token. On failure the
/// message carries the command's stderr (never its stdout, which may hold a partial secret).
pub fn run_token_command(argv: &[String]) -> Result<String, ConfigError> {
    let shown = argv.join(" ");
    let err = |message: String| ConfigError::TokenSource {
        source_name: format!("token_command `{shown}`"),
        message,
    };
    let (program, args) = argv
        .split_first()
        .ok_or_else(|| err("is empty: name a program".into()))?;
    let output = std::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| err(format!("could not be started: {e}")))?;
    if !output.status.success() {
        let stderr = crate::sanitize::cap(String::from_utf8_lossy(&output.stderr).trim(), 500);
        let status = output
            .status
            .code()
            .map(|c| format!("exit status {c}"))
            .unwrap_or_else(|| "killed by a signal".into());
        return Err(err(if stderr.is_empty() {
            format!("failed ({status}) and printed nothing on stderr")
        } else {
            format!("failed ({status}): {stderr}")
        }));
    }
    let token = String::from_utf8(output.stdout)
        .map_err(|_| err("printed something that is not UTF-8".into()))?;
    let token = token.trim();
    if token.is_empty() {
        return Err(err("succeeded but printed nothing".into()));
    }
    Ok(token.to_string())
}

/// Reads a token file, refusing one that others can read or write.
pub fn read_token_file(path: &Path) -> Result<String, ConfigError> {
    let err = |message: String| ConfigError::TokenSource {
        source_name: format!("token_file {}", path.display()),
        message,
    };
    let meta = std::fs::metadata(path).map_err(|e| err(format!("cannot be read: {e}")))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(err(format!(
                "has mode {mode:04o}, so other users may read it; it must be readable by you alone: run `chmod 600 {}`",
                path.display()
            )));
        }
    }
    #[cfg(not(unix))]
    let _ = meta;
    let text = std::fs::read_to_string(path).map_err(|e| err(format!("cannot be read: {e}")))?;
    let token = text.trim();
    if token.is_empty() {
        return Err(err("is empty".into()));
    }
    Ok(token.to_string())
}

/// What to tell the user when the keyring cannot be used.
fn keyring_unavailable(e: &keyring::Error) -> String {
    let detail = crate::sanitize::cap(e.to_string().trim(), 300);
    format!(
        "the OS keyring is not available here ({detail}); on Linux it needs a running Secret Service (GNOME Keyring, KWallet) on the session D-Bus. Use CONFLUENCE_API_TOKEN, `token_command = [\"pass\", \"show\", \"confluence\"]` or a mode-0600 `token_file` instead"
    )
}

/// Looks up a token in the OS keyring. `Ok(None)`: the keyring works but has no entry.
/// `Err`: why the keyring could not be asked (e.g. no Secret Service), as a sentence.
pub fn keyring_get(account: &str) -> Result<Option<String>, String> {
    let entry =
        keyring::Entry::new(KEYRING_SERVICE, account).map_err(|e| keyring_unavailable(&e))?;
    match entry.get_password() {
        Ok(token) if token.trim().is_empty() => Ok(None),
        Ok(token) => Ok(Some(token.trim().to_string())),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(keyring_unavailable(&e)),
    }
}

/// Stores (or replaces) a token in the OS keyring.
pub fn keyring_set(account: &str, token: &Secret) -> Result<(), String> {
    let entry =
        keyring::Entry::new(KEYRING_SERVICE, account).map_err(|e| keyring_unavailable(&e))?;
    entry
        .set_password(token.expose())
        .map_err(|e| keyring_unavailable(&e))
}
