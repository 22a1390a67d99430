//! A local mock Confluence (wiremock on 127.0.0.1) and the recorded fixtures it answers with.
//!
//! [`serve`] mounts one answer on one REST path; [`requests`] and [`the_request`] read back what
//! reached the server, and [`query`], [`header`] and [`assert_json_body`] look inside a request.
//! Fixtures are the files in `tests/fixtures/`: real or documented Confluence answers. A
//! [`Hostile`] server is a hand-made one for what wiremock cannot do: bodies that never end, are
//! huge, or drip. Nothing here builds a client or knows a credential: the tests that use the mock
//! say what they send.

use confdir::api::model::ErrorBody;
use serde::de::DeserializeOwned;
use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The REST root below a Cloud base URL: every endpoint path is relative to it.
pub const API: &str = "/wiki/rest/api";

/// The text of `tests/fixtures/NAME`.
pub fn fixture(name: &str) -> String {
    let file = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// A fixture as JSON.
pub fn fixture_json(name: &str) -> Value {
    serde_json::from_str(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A fixture decoded into `T`.
pub fn decode_fixture<T: DeserializeOwned>(name: &str) -> T {
    serde_json::from_str(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A 200 whose body is the fixture `name`.
pub fn ok_json(name: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(fixture_json(name))
}

/// An error answer with Confluence's error body (`statusCode`, `message`).
pub fn error_response(status: u16, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(ErrorBody::new(status, message))
}

/// Answers every `verb` request to `API + endpoint_path` with `response`.
pub async fn serve(
    server: &MockServer,
    verb: &str,
    endpoint_path: &str,
    response: ResponseTemplate,
) {
    Mock::given(method(verb))
        .and(path(format!("{API}{endpoint_path}")))
        .respond_with(response)
        .mount(server)
        .await;
}

/// Every request the server received, in order.
pub async fn requests(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

/// The one request the server received.
pub async fn the_request(server: &MockServer) -> Request {
    let mut all = requests(server).await;
    assert_eq!(all.len(), 1, "expected exactly one request: {all:?}");
    all.remove(0)
}

/// The query of a request as (name, value) pairs, in the order sent.
pub fn query(req: &Request) -> Vec<(String, String)> {
    req.url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// A request header as text.
pub fn header<'a>(req: &'a Request, name: &str) -> Option<&'a str> {
    req.headers.get(name).and_then(|v| v.to_str().ok())
}

/// The request carries `want` as its JSON body.
pub fn assert_json_body(req: &Request, want: &Value) {
    assert_eq!(header(req, "content-type"), Some("application/json"));
    let got: Value = serde_json::from_slice(&req.body).expect("the body is JSON");
    assert_eq!(&got, want);
}

/// How a [`Hostile`] server answers every request, whatever it asks.
#[derive(Clone, Copy, Debug)]
pub enum Misbehaviour {
    /// 200 with a chunked JSON body that never ends (a display name that goes on and on).
    Endless,
    /// 200 announcing `Content-Length` of this many bytes, sent as fast as they are read.
    Huge(u64),
    /// 200 announcing 1,000 bytes and sending one byte per interval.
    Drip(std::time::Duration),
}

/// The most a [`Hostile`] server writes on one connection, so that even a client that never stops
/// reading ends the test: 1 GiB.
const HOSTILE_MAX_BYTES: u64 = 1 << 30;

/// A hand-made HTTP/1.1 server on 127.0.0.1 for what wiremock cannot do: bodies that never end,
/// are huge, or drip. Every connection gets the same [`Misbehaviour`]; each stops writing when the
/// client hangs up (or after [`HOSTILE_MAX_BYTES`]). Stopped when dropped.
pub struct Hostile {
    addr: std::net::SocketAddr,
    sent: std::sync::Arc<std::sync::atomic::AtomicU64>,
    accept: tokio::task::JoinHandle<()>,
}

impl Hostile {
    /// Starts a server on an ephemeral loopback port, on the current tokio runtime.
    pub async fn start(how: Misbehaviour) -> Hostile {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let addr = listener.local_addr().expect("its address");
        let sent = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let counter = sent.clone();
        let accept = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(hostile_answer(stream, how, counter.clone()));
            }
        });
        Hostile { addr, sent, accept }
    }

    /// The base URL a client uses: `http://127.0.0.1:PORT`.
    pub fn uri(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// How many body bytes the server has written, on every connection together.
    pub fn bytes_sent(&self) -> u64 {
        self.sent.load(std::sync::atomic::Ordering::SeqCst)
    }
}

impl Drop for Hostile {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

/// Reads one request's head, then answers it as `how` says until the client hangs up.
async fn hostile_answer(
    mut stream: tokio::net::TcpStream,
    how: Misbehaviour,
    sent: std::sync::Arc<std::sync::atomic::AtomicU64>,
) {
    use std::sync::atomic::Ordering;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 64 * 1024 {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let prefix = b"{\"results\":[{\"type\":\"known\",\"displayName\":\"";
    let filler = vec![b'x'; 64 * 1024];
    let mut written = 0u64;
    match how {
        Misbehaviour::Endless => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let mut chunk = format!("{:x}\r\n", prefix.len()).into_bytes();
            chunk.extend_from_slice(prefix);
            chunk.extend_from_slice(b"\r\n");
            let mut body = format!("{:x}\r\n", filler.len()).into_bytes();
            body.extend_from_slice(&filler);
            body.extend_from_slice(b"\r\n");
            let mut next = chunk;
            while written < HOSTILE_MAX_BYTES && stream.write_all(&next).await.is_ok() {
                written += next.len() as u64;
                sent.fetch_add(next.len() as u64, Ordering::SeqCst);
                next = body.clone();
            }
        }
        Misbehaviour::Huge(len) => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len}\r\n\r\n"
            );
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let mut next: &[u8] = prefix;
            while written < len.min(HOSTILE_MAX_BYTES) {
                let n = next
                    .len()
                    .min(usize::try_from(len - written).unwrap_or(usize::MAX));
                if stream.write_all(&next[..n]).await.is_err() {
                    break;
                }
                written += n as u64;
                sent.fetch_add(n as u64, Ordering::SeqCst);
                next = &filler;
            }
        }
        Misbehaviour::Drip(interval) => {
            let head =
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n";
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            for _ in 0..1000 {
                if stream.write_all(b" ").await.is_err() || stream.flush().await.is_err() {
                    break;
                }
                sent.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(interval).await;
            }
        }
    }
}
