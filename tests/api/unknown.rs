//! Writes whose answer never comes: the server reads the whole request, applies it, and then
//! closes the connection (or keeps it open past the client's timeout) without answering. The
//! error says the outcome is unknown, and the write is sent exactly once: repeating it could
//! apply it twice.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::{basic, support, ACCOUNT};
use confdir::api::{ApiError, RetryPolicy, WatchTarget};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::AsyncReadExt;
use tokio::net::{TcpListener, TcpStream};

/// How the silent server ends each exchange once it has read the request.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Silence {
    /// Closes the connection at once.
    Close,
    /// Keeps it open, answering nothing, until the client gives up (at most a few seconds).
    Hang,
}

/// A server on 127.0.0.1 that never answers, and the request lines it read whole ("applied").
pub(crate) struct Silent {
    pub(crate) uri: String,
    applied: Arc<Mutex<Vec<String>>>,
}

impl Silent {
    pub(crate) async fn start(how: Silence) -> Silent {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let uri = format!("http://{}", listener.local_addr().unwrap());
        let applied = Arc::new(Mutex::new(Vec::new()));
        let log = applied.clone();
        tokio::spawn(async move {
            // Bounded: a test makes a handful of connections at most.
            for _ in 0..32 {
                let Ok((mut stream, _)) = listener.accept().await else {
                    return;
                };
                let log = log.clone();
                tokio::spawn(async move {
                    if let Some(line) = read_request(&mut stream).await {
                        log.lock().unwrap().push(line);
                    }
                    if let Silence::Hang = how {
                        let mut rest = [0u8; 1024];
                        let _ =
                            tokio::time::timeout(Duration::from_secs(5), stream.read(&mut rest))
                                .await;
                    }
                });
            }
        });
        Silent { uri, applied }
    }

    pub(crate) fn applied(&self) -> Vec<String> {
        self.applied.lock().unwrap().clone()
    }
}

/// Reads one request whole (head and `Content-Length` body) and returns its request line.
async fn read_request(stream: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let mut head_end = None;
    let mut want = usize::MAX;
    while buf.len() < want && buf.len() < 1024 * 1024 {
        let n = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut chunk))
            .await
            .ok()?
            .ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if head_end.is_none() {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&buf[..i]).to_string();
                let length = head
                    .lines()
                    .filter_map(|l| l.split_once(':'))
                    .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
                    .and_then(|(_, v)| v.trim().parse::<usize>().ok())
                    .unwrap_or(0);
                head_end = Some(i + 4);
                want = i + 4 + length;
            }
        }
    }
    let head = String::from_utf8_lossy(&buf[..head_end?]).to_string();
    head.lines().next().map(str::to_string)
}

/// A client that would retry (quickly) whatever its rules allow, with a short timeout.
fn retrying_client(uri: &str) -> confdir::api::Client {
    let retry = RetryPolicy {
        max_retries: 3,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
    };
    let mut config = support::client::config(uri, basic(), retry);
    config.timeout = Duration::from_millis(300);
    support::client::build(config)
}

/// Every write the client makes, against `uri`: its method and the error it ended with.
async fn each_write(uri: &str) -> Vec<(&'static str, ApiError)> {
    let client = retrying_client(uri);
    let target = WatchTarget::Space("ENG".into());
    let value = serde_json::json!({ "theme": "dark" });
    vec![
        ("POST", client.add_watch(&target, None).await.unwrap_err()),
        (
            "DELETE",
            client.remove_watch(&target, None).await.unwrap_err(),
        ),
        (
            "POST",
            client
                .create_user_property(ACCOUNT, "prefs", &value)
                .await
                .unwrap_err(),
        ),
        (
            "PUT",
            client
                .update_user_property(ACCOUNT, "prefs", &value)
                .await
                .unwrap_err(),
        ),
        (
            "DELETE",
            client
                .delete_user_property(ACCOUNT, "prefs")
                .await
                .unwrap_err(),
        ),
    ]
}

#[tokio::test]
async fn a_write_whose_answer_never_comes_is_unknown_and_sent_once() {
    for how in [Silence::Close, Silence::Hang] {
        let server = Silent::start(how).await;
        let errors = each_write(&server.uri).await;
        let applied = server.applied();
        assert_eq!(
            applied.len(),
            errors.len(),
            "{how:?}: each write reached the server exactly once: {applied:?}"
        );
        for ((method, err), line) in errors.iter().zip(&applied) {
            assert!(line.starts_with(method), "{how:?}: {line}");
            assert!(
                matches!(err, ApiError::OutcomeUnknown { .. }),
                "{how:?} {method}: {err:?}"
            );
            let text = err.to_string();
            assert!(
                text.contains("may or may not have applied the change"),
                "{how:?} {method}: {text}"
            );
            assert!(
                !text.contains("could not reach"),
                "{how:?} {method}: {text}"
            );
        }
    }
}

#[tokio::test]
async fn a_read_whose_answer_never_comes_is_a_timeout_retried_once() {
    let server = Silent::start(Silence::Hang).await;
    let client = retrying_client(&server.uri);
    let err = client
        .watch_status(&WatchTarget::Space("ENG".into()), None)
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("no answer within 300 ms (tried twice)"),
        "{err}"
    );
    // The policy allows three retries, but a server that did not answer is asked once more only.
    assert_eq!(
        server.applied().len(),
        2,
        "a read is retried once: {:?}",
        server.applied()
    );
}

#[tokio::test]
async fn a_write_that_cannot_connect_still_could_not_reach_the_server() {
    // A port that was free a moment ago: the connection is refused before anything is sent.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = retrying_client(&format!("http://127.0.0.1:{port}"));
    let err = client
        .add_watch(&WatchTarget::Space("ENG".into()), None)
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("could not reach the server"),
        "{err}"
    );
}
