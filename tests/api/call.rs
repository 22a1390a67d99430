//! One row of the serve/call/assert shape that most endpoint tests share, and `calls!`, which
//! makes a test of each row.
//!
//! A [`Call`] says what the mock answers on one path, how the client is built (credentials,
//! retries), what the call must send (method, path, the exact query, `Accept`, the auth header,
//! `X-Atlassian-Token` on writes, the body) and, in [`Call::then`], what the client must make of
//! the answer. [`Call::check`] runs the row against a fresh mock server and checks that exactly
//! one request was sent, as the row says; every failure names the row. This module must not learn
//! about particular endpoints: what a call means is written in its row.

use crate::support::mock::{assert_json_body, requests, serve};
use crate::{assert_sent, basic, basic_header, bearer, client_with, fast_retry, TOKEN};
use confdir::api::{Auth, Client, RetryPolicy};
use futures::future::BoxFuture;
use futures::FutureExt;
use serde_json::Value;
use std::any::Any;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use wiremock::{MockServer, ResponseTemplate};

/// Makes one `#[tokio::test]` of each row, `name => call;`: the test is called `name`, and
/// `call` (a [`Call`]) is checked under that name.
macro_rules! calls {
    ($($(#[$doc:meta])* $name:ident => $call:expr;)+) => {
        $(
            $(#[$doc])*
            #[tokio::test]
            async fn $name() {
                $call.check(stringify!($name)).await;
            }
        )+
    };
}

/// What the row's client does with its answer (and asserts about it).
type Then = Box<dyn FnOnce(Client) -> BoxFuture<'static, ()> + Send>;

/// What the row says about the request body.
enum Body {
    /// Nothing.
    Unchecked,
    /// There is none.
    Empty,
    /// It is this JSON (with `Content-Type: application/json`).
    Json(Value),
}

/// One call of the client against a mock that answers one path.
pub struct Call {
    verb: &'static str,
    path: String,
    response: ResponseTemplate,
    auth: Auth,
    auth_header: Option<String>,
    retry: RetryPolicy,
    query: Vec<(String, String)>,
    body: Body,
    then: Option<Then>,
}

impl Call {
    /// A `verb` request to `path` (below the REST root), answered with an empty 204 until
    /// [`Call::answers`] says otherwise, by a Basic-auth client with three fast retries.
    pub fn new(verb: &'static str, path: impl Into<String>) -> Call {
        Call {
            verb,
            path: path.into(),
            response: ResponseTemplate::new(204),
            auth: basic(),
            auth_header: Some(basic_header()),
            retry: fast_retry(3),
            query: Vec::new(),
            body: Body::Unchecked,
            then: None,
        }
    }

    /// A GET.
    pub fn get(path: impl Into<String>) -> Call {
        Call::new("GET", path)
    }

    /// A POST.
    pub fn post(path: impl Into<String>) -> Call {
        Call::new("POST", path)
    }

    /// A PUT.
    pub fn put(path: impl Into<String>) -> Call {
        Call::new("PUT", path)
    }

    /// A DELETE.
    pub fn delete(path: impl Into<String>) -> Call {
        Call::new("DELETE", path)
    }

    /// The mock's answer.
    pub fn answers(mut self, response: ResponseTemplate) -> Call {
        self.response = response;
        self
    }

    /// The exact query the call must send, in order (none unless given).
    pub fn query(mut self, pairs: &[(&str, &str)]) -> Call {
        self.query = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        self
    }

    /// Bearer credentials: the call must send `Authorization: Bearer TOKEN`.
    pub fn bearer(mut self) -> Call {
        self.auth = bearer();
        self.auth_header = Some(format!("Bearer {TOKEN}"));
        self
    }

    /// No credentials: the call must send no `Authorization` header.
    pub fn anonymous(mut self) -> Call {
        self.auth = Auth::Anonymous;
        self.auth_header = None;
        self
    }

    /// The client's retry policy.
    pub fn retry(mut self, retry: RetryPolicy) -> Call {
        self.retry = retry;
        self
    }

    /// The call must send `body` as JSON.
    pub fn json_body(mut self, body: Value) -> Call {
        self.body = Body::Json(body);
        self
    }

    /// The call must send no body.
    pub fn empty_body(mut self) -> Call {
        self.body = Body::Empty;
        self
    }

    /// Makes the call with the row's client, and asserts what came back.
    pub fn then<F, Fut>(mut self, then: F) -> Call
    where
        F: FnOnce(Client) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        self.then = Some(Box::new(move |client| then(client).boxed()));
        self
    }

    /// Runs the row named `row` against a fresh mock server.
    pub async fn check(self, row: &str) {
        let server = MockServer::start().await;
        serve(&server, self.verb, &self.path, self.response).await;
        let client = client_with(&server, self.auth, self.retry);
        let then = self
            .then
            .unwrap_or_else(|| panic!("row `{row}` makes no call"));
        if let Err(panic) = AssertUnwindSafe(then(client)).catch_unwind().await {
            panic!("row `{row}`: {}", panic_text(panic.as_ref()));
        }
        let all = requests(&server).await;
        assert_eq!(
            all.len(),
            1,
            "row `{row}`: expected exactly one request: {all:?}"
        );
        let req = &all[0];
        let query: Vec<(&str, &str)> = self
            .query
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_sent(
            row,
            req,
            self.verb,
            &self.path,
            &query,
            self.auth_header.as_deref(),
        );
        match &self.body {
            Body::Unchecked => {}
            Body::Empty => assert!(req.body.is_empty(), "row `{row}`: a body was sent"),
            Body::Json(want) => {
                if let Err(panic) =
                    std::panic::catch_unwind(AssertUnwindSafe(|| assert_json_body(req, want)))
                {
                    panic!("row `{row}`: {}", panic_text(panic.as_ref()));
                }
            }
        }
    }
}

/// The message of a caught panic.
fn panic_text(panic: &(dyn Any + Send)) -> String {
    if let Some(text) = panic.downcast_ref::<&str>() {
        text.to_string()
    } else if let Some(text) = panic.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic without a message".into()
    }
}
