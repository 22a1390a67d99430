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
use std::io::Read;
use std::path::Path;
use std::process::Stdio;
use std::sync::mpsc;
use std::time::{Duration, Instant};

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

/// How long `token_command` may run before it is killed.
pub const TOKEN_COMMAND_TIMEOUT: Duration = Duration::from_secs(30);

/// The most a token source may hold: far more than any real token, far less than a runaway
/// command or a wrong file.
pub const MAX_TOKEN_BYTES: usize = 64 * 1024;

/// How much of a failing `token_command`'s stderr is kept for the message.
const MAX_STDERR_BYTES: u64 = 8 * 1024;

/// Runs `token_command` without a shell; its trimmed stdout is the token. On failure the
/// message carries the command's stderr (never its stdout, which may hold a partial secret).
/// A command that runs longer than [`TOKEN_COMMAND_TIMEOUT`] is killed.
pub fn run_token_command(argv: &[String]) -> Result<String, ConfigError> {
    run_token_command_within(argv, TOKEN_COMMAND_TIMEOUT)
}

/// [`run_token_command`] with its time limit as a parameter: past `timeout` the child is killed
/// and the error names the command; more than [`MAX_TOKEN_BYTES`] on stdout is refused (and the
/// child killed) without reading the rest.
pub fn run_token_command_within(argv: &[String], timeout: Duration) -> Result<String, ConfigError> {
    let shown = argv.join(" ");
    let err = |message: String| ConfigError::TokenSource {
        source_name: format!("token_command `{shown}`"),
        message,
    };
    let (program, args) = argv
        .split_first()
        .ok_or_else(|| err("is empty: name a program".into()))?;
    let deadline = Instant::now() + timeout;
    let mut child = std::process::Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| err(format!("could not be started: {e}")))?;
    let stdout = read_in_thread(child.stdout.take(), MAX_TOKEN_BYTES as u64 + 1, false);
    let stderr = read_in_thread(child.stderr.take(), MAX_STDERR_BYTES, true);
    let too_slow = || {
        format!(
            "did not finish within {} s and was stopped",
            timeout.as_secs_f64()
        )
    };
    let stop = |child: &mut std::process::Child, message: String| {
        let _ = child.kill();
        let _ = child.wait();
        Err(err(message))
    };
    let out = match stdout.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        Ok(out) => out,
        Err(_) => return stop(&mut child, too_slow()),
    };
    if out.len() > MAX_TOKEN_BYTES {
        return stop(
            &mut child,
            format!(
                "printed more than {MAX_TOKEN_BYTES} bytes; a token is a short line, so this is not one"
            ),
        );
    }
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(10)),
            Ok(None) => return stop(&mut child, too_slow()),
            Err(e) => return stop(&mut child, format!("could not be waited for: {e}")),
        }
    };
    if !status.success() {
        // A grandchild may still hold stderr open: wait for it only until the deadline.
        let stderr = stderr
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .unwrap_or_default();
        let stderr = crate::sanitize::cap(String::from_utf8_lossy(&stderr).trim(), 500);
        let status = status
            .code()
            .map(|c| format!("exit status {c}"))
            .unwrap_or_else(|| "killed by a signal".into());
        return Err(err(if stderr.is_empty() {
            format!("failed ({status}) and printed nothing on stderr")
        } else {
            format!("failed ({status}): {stderr}")
        }));
    }
    let token =
        String::from_utf8(out).map_err(|_| err("printed something that is not UTF-8".into()))?;
    let token = token.trim();
    if token.is_empty() {
        return Err(err("succeeded but printed nothing".into()));
    }
    Ok(token.to_string())
}

/// Reads at most `limit` bytes of a child's pipe on a thread and sends them once the pipe ends
/// or the limit is reached; `drain` reads (and drops) the rest so the child never blocks on a
/// full pipe. A read error ends the bytes early.
fn read_in_thread(
    pipe: Option<impl Read + Send + 'static>,
    limit: u64,
    drain: bool,
) -> mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(pipe) = pipe {
            let mut limited = pipe.take(limit);
            let _ = limited.read_to_end(&mut bytes);
            let _ = tx.send(bytes);
            if drain {
                let _ = std::io::copy(&mut limited.into_inner(), &mut std::io::sink());
            }
        } else {
            let _ = tx.send(bytes);
        }
    });
    rx
}

/// Reads a token file, refusing one that others can read or write.
pub fn read_token_file(path: &Path) -> Result<String, ConfigError> {
    let err = |message: String| ConfigError::TokenSource {
        source_name: format!("token_file {}", path.display()),
        message,
    };
    // The type is checked through metadata, without opening: opening a FIFO blocks.
    let meta = std::fs::metadata(path).map_err(|e| err(format!("cannot be read: {e}")))?;
    if !meta.is_file() {
        return Err(err(format!(
            "is not a regular file (it is {}); point `token_file` at a file holding the token",
            file_kind(&meta)
        )));
    }
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
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| {
            file.take(MAX_TOKEN_BYTES as u64 + 1)
                .read_to_end(&mut bytes)
        })
        .map_err(|e| err(format!("cannot be read: {e}")))?;
    if bytes.len() > MAX_TOKEN_BYTES {
        return Err(err(format!(
            "holds more than {MAX_TOKEN_BYTES} bytes; a token is a short line, so this is not a token file"
        )));
    }
    let text = String::from_utf8(bytes).map_err(|_| err("is not UTF-8 text".into()))?;
    let token = text.trim();
    if token.is_empty() {
        return Err(err("is empty".into()));
    }
    Ok(token.to_string())
}

/// What kind of file system entry `meta` describes, for a message.
fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    let kind = meta.file_type();
    if kind.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
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
