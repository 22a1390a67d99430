//! A local mock Confluence (wiremock on 127.0.0.1) and the recorded fixtures it answers with.
//!
//! [`serve`] mounts one answer on one REST path; [`requests`] and [`the_request`] read back what
//! reached the server, and [`query`], [`header`] and [`assert_json_body`] look inside a request.
//! Fixtures are the files in `tests/fixtures/`: real or documented Confluence answers. Nothing
//! here builds a client or knows a credential: the tests that use the mock say what they send.

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
