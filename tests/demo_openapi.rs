//! Conformance: every operation of the OpenAPI contract is called on the demo server, and each
//! answer (successes and errors alike) is validated against the schema the contract gives for
//! that status.
//!
//! The v1 contract is run twice, on the site's paths and on the API gateway form
//! (`/ex/confluence/{cloudId}/wiki/...`). v2 is not in the contract: `GET /wiki/api/v2/spaces`
//! is checked against the part of Atlassian's published v2 spec kept in
//! `tests/spec/confluence-v2-spaces.json` (its `$comment` names the source), on both forms too.
//!
//! The contract is OpenAPI 3.0 (`tests/spec/`, a copy of the shared file). Its schemas are JSON
//! Schema except for `nullable: true`, which is rewritten here into JSON Schema's own form (`null`
//! added to `type`/`enum`, or an `anyOf` with `{"type": "null"}` around a `$ref`) before the
//! `jsonschema` crate validates with draft 2020-12 and format checks on.

// Tests unwrap: a panic is a failed test that says where (the crate denies it elsewhere).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use confdir::demo::seed::AccountKind;
use confdir::demo::{DemoOptions, DemoServer, ADMIN_ACCOUNT_ID, DEMO_ACCOUNT_ID, DEMO_EMAIL};
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::BTreeSet;

const SPEC: &str = include_str!("spec/confluence-user-api.yml");
const SPEC_V2: &str = include_str!("spec/confluence-v2-spaces.json");

/// Rewrites OAS 3.0 `nullable` into JSON Schema, everywhere below `v`.
fn denull(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for child in map.values_mut() {
                denull(child);
            }
            if map.remove("nullable") == Some(Value::Bool(true)) {
                if let Some(Value::Array(options)) = map.get_mut("enum") {
                    options.push(Value::Null);
                }
                match map.get("type").cloned() {
                    Some(Value::String(t)) => {
                        map.insert("type".into(), json!([t, "null"]));
                    }
                    _ => {
                        let inner = Value::Object(std::mem::take(map));
                        map.insert("anyOf".into(), json!([inner, { "type": "null" }]));
                    }
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(denull),
        _ => {}
    }
}

struct Contract {
    spec: Value,
    components: Value,
}

impl Contract {
    fn load() -> Contract {
        let spec: Value = serde_yaml::from_str(SPEC).expect("the contract is valid YAML");
        let mut components = spec["components"].clone();
        denull(&mut components);
        Contract { spec, components }
    }

    /// Every (path template, method) of the contract.
    fn operations(&self) -> BTreeSet<(String, String)> {
        let mut out = BTreeSet::new();
        for (path, ops) in self.spec["paths"].as_object().unwrap() {
            for method in ops.as_object().unwrap().keys() {
                if ["get", "post", "put", "delete"].contains(&method.as_str()) {
                    out.insert((path.clone(), method.clone()));
                }
            }
        }
        out
    }

    /// The JSON schema of one documented response, or `None` when it documents no body. Errors
    /// the operation does not document are checked against `ErrorResponse`.
    fn response_schema(&self, path: &str, method: &str, status: u16) -> Option<Value> {
        let responses = &self.spec["paths"][path][method]["responses"];
        let mut response = responses[status.to_string()].clone();
        if response.is_null() {
            assert!(
                status >= 400,
                "{method} {path}: status {status} is not in the contract"
            );
            return Some(json!({ "$ref": "#/components/schemas/ErrorResponse" }));
        }
        if let Some(r) = response["$ref"].as_str() {
            let name = r.rsplit('/').next().unwrap();
            response = self.spec["components"]["responses"][name].clone();
        }
        let mut schema = response["content"]["application/json"]["schema"].clone();
        if schema.is_null() {
            return None;
        }
        denull(&mut schema);
        Some(schema)
    }

    fn check(&self, path: &str, method: &str, status: u16, body: &[u8]) {
        match self.response_schema(path, method, status) {
            None => assert!(
                body.is_empty(),
                "{method} {path} {status}: expected no body, got {}",
                String::from_utf8_lossy(body)
            ),
            Some(schema) => {
                let instance: Value = serde_json::from_slice(body)
                    .unwrap_or_else(|e| panic!("{method} {path} {status}: body is not JSON ({e})"));
                let root = json!({ "components": self.components, "allOf": [schema] });
                let validator = jsonschema::options()
                    .with_draft(jsonschema::Draft::Draft202012)
                    .should_validate_formats(true)
                    .build(&root)
                    .unwrap_or_else(|e| panic!("{method} {path}: schema does not build: {e}"));
                let errors: Vec<String> = validator
                    .iter_errors(&instance)
                    .map(|e| format!("{} at {}", e, e.instance_path()))
                    .take(5)
                    .collect();
                assert!(
                    errors.is_empty(),
                    "{method} {path} {status} does not conform:\n{}\nbody: {}",
                    errors.join("\n"),
                    String::from_utf8_lossy(&body[..body.len().min(600)])
                );
            }
        }
    }
}

/// One call: the contract's path template, the concrete path and query, who calls, the status
/// the demo must answer.
struct Call {
    method: Method,
    template: String,
    url: String,
    token: Option<&'static str>,
    xsrf: bool,
    body: Option<Value>,
    status: u16,
}

/// `template` and `url` are relative to `/wiki/rest/api/`.
fn call(method: Method, template: &str, url: impl Into<String>, status: u16) -> Call {
    let xsrf = method != Method::GET;
    Call {
        method,
        template: format!("/wiki/rest/api/{template}"),
        url: format!("/wiki/rest/api/{}", url.into()),
        token: Some("demo"),
        xsrf,
        body: None,
        status,
    }
}

impl Call {
    fn admin(mut self) -> Self {
        self.token = Some("demo-admin");
        self
    }
    fn token(mut self, token: Option<&'static str>) -> Self {
        self.token = token;
        self
    }
    fn no_xsrf(mut self) -> Self {
        self.xsrf = false;
        self
    }
    fn body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }
}

/// One call (or more) of every operation of the contract on `server`, successes and errors.
fn every_call(server: &DemoServer) -> Vec<Call> {
    let dir = server.directory();
    let private = dir
        .users
        .iter()
        .find(|u| u.hide_picture && u.hide_zone)
        .unwrap();
    let app = dir
        .users
        .iter()
        .find(|u| u.kind == AccountKind::App)
        .unwrap();
    let guest = dir
        .users
        .iter()
        .find(|u| u.kind == AccountKind::Guest)
        .unwrap();
    let page = &dir.pages[0].id;
    let group = &dir.groups[0].id;
    let (ada, grace) = (DEMO_ACCOUNT_ID, ADMIN_ACCOUNT_ID);
    let (p, a, g) = (&private.account_id, &app.account_id, &guest.account_id);
    use Method as M;
    const USER: &str = "user";
    const WC: &str = "user/watch/content/{contentId}";
    const WL: &str = "user/watch/label/{labelName}";
    const WS: &str = "user/watch/space/{spaceKey}";
    const PROPS: &str = "user/{userId}/property";
    const PROP: &str = "user/{userId}/property/{key}";
    const SEARCH: &str = "search/user";
    vec![
        call(M::GET, USER, format!("user?accountId={ada}&expand=operations,personalSpace"), 200),
        call(M::GET, USER, format!("user?accountId={p}"), 200),
        call(M::GET, USER, format!("user?accountId={a}"), 200),
        call(M::GET, USER, "user?accountId=nobody", 404),
        call(M::GET, USER, "user", 400),
        call(M::GET, USER, format!("user?accountId={ada}"), 401).token(Some("wrong")),
        call(M::GET, USER, format!("user?accountId={ada}"), 401).token(None),
        call(M::GET, "user/anonymous", "user/anonymous", 200).token(None),
        call(M::GET, "user/anonymous", "user/anonymous?expand=operations", 200),
        call(M::GET, "user/current", "user/current", 200),
        call(M::GET, "user/current", "user/current?expand=operations,personalSpace", 200).admin(),
        call(M::GET, "user/memberof", format!("user/memberof?accountId={ada}&limit=3"), 200),
        call(M::GET, "user/memberof", format!("user/memberof?accountId={g}"), 200),
        call(M::GET, "user/memberof", "user/memberof?accountId=nobody", 404),
        call(M::GET, "user/bulk", format!("user/bulk?accountId={ada}&accountId={p}&accountId={a}&accountId={g}&accountId=nobody&expand=personalSpace"), 200),
        call(M::GET, "user/bulk", "user/bulk", 400),
        call(M::GET, WC, format!("user/watch/content/{page}"), 200),
        call(M::POST, WC, format!("user/watch/content/{page}"), 204),
        call(M::DELETE, WC, format!("user/watch/content/{page}"), 204),
        call(M::GET, WC, "user/watch/content/1", 403),
        call(M::POST, WC, format!("user/watch/content/{page}"), 403).no_xsrf(),
        call(M::GET, WC, format!("user/watch/content/{page}?accountId={grace}"), 403),
        call(M::GET, WC, format!("user/watch/content/{page}?accountId={ada}"), 200).admin(),
        call(M::GET, WL, "user/watch/label/release-notes", 200),
        call(M::POST, WL, "user/watch/label/runbook", 204),
        call(M::DELETE, WL, "user/watch/label/runbook", 204),
        call(M::DELETE, WL, "user/watch/label/runbook", 403).no_xsrf(),
        call(M::GET, WL, "user/watch/label/no-such-label", 403),
        call(M::GET, WS, "user/watch/space/ENG", 200),
        call(M::POST, WS, "user/watch/space/HR", 204),
        call(M::DELETE, WS, "user/watch/space/HR", 204),
        call(M::POST, WS, format!("user/watch/space/HR?accountId={grace}"), 403),
        call(M::POST, WS, format!("user/watch/space/HR?accountId={ada}"), 204).admin(),
        call(M::GET, WS, "user/watch/space/NOPE", 403),
        call(M::GET, "user/email", format!("user/email?accountId={p}"), 200),
        call(M::GET, "user/email", "user/email?accountId=nobody", 404),
        call(M::GET, "user/email", "user/email", 400),
        call(M::GET, "user/email/bulk", format!("user/email/bulk?accountId={ada},{p},nobody"), 200),
        call(M::GET, "user/email/bulk", "user/email/bulk", 400),
        call(M::GET, PROPS, format!("user/{ada}/property?limit=2"), 200),
        call(M::GET, PROPS, "user/nobody/property", 404),
        call(M::GET, PROPS, format!("user/{ada}/property?limit=x"), 400),
        call(M::GET, PROP, format!("user/{ada}/property/team"), 200),
        call(M::GET, PROP, format!("user/{ada}/property/absent"), 404),
        call(M::GET, PROP, format!("user/{ada}/property/bad.key"), 400),
        call(M::POST, PROP, format!("user/{ada}/property/new-key"), 201).body(json!({"value": {"a": 1}})),
        call(M::POST, PROP, format!("user/{ada}/property/new-key"), 409).body(json!({"value": {"a": 1}})),
        call(M::POST, PROP, format!("user/{ada}/property/other"), 400).body(json!({"value": "text"})),
        call(M::POST, PROP, format!("user/{grace}/property/other"), 403).body(json!({"value": {"a": 1}})),
        call(M::POST, PROP, "user/nobody/property/other", 404).body(json!({"value": {"a": 1}})),
        call(M::PUT, PROP, format!("user/{ada}/property/new-key"), 204).body(json!({"value": {"b": [1, 2]}})),
        call(M::PUT, PROP, format!("user/{ada}/property/never"), 404).body(json!({"value": {"b": 1}})),
        call(M::PUT, PROP, format!("user/{ada}/property/new-key"), 400).body(json!({"value": {}})),
        call(M::PUT, PROP, format!("user/{ada}/property/new-key"), 401).body(json!({"value": {"b": 1}})).token(Some("nope")),
        call(M::DELETE, PROP, format!("user/{ada}/property/new-key"), 204),
        call(M::DELETE, PROP, format!("user/{ada}/property/new-key"), 404),
        call(M::DELETE, PROP, format!("user/{grace}/property/team"), 403),
        call(M::GET, SEARCH, "search/user?cql=user.fullname~%22ada%22", 200),
        call(M::GET, SEARCH, "search/user?cql=type%3Duser&limit=50&start=10&expand=user.personalSpace,user.operations", 200),
        call(M::GET, SEARCH, "search/user?cql=type%3Duser&sitePermissionTypeFilter=externalCollaborator", 200),
        call(M::GET, SEARCH, "search/user?cql=user.fullname~%22zzzzzz%22", 200),
        call(M::GET, SEARCH, "search/user?cql=user.fullname~", 400),
        call(M::GET, SEARCH, "search/user", 400),
        call(M::GET, "group", "group?limit=30&start=30", 200),
        call(M::GET, "group/picker", "group/picker?query=team", 200),
        call(M::GET, "group/{groupId}/membersByGroupId", format!("group/{group}/membersByGroupId?limit=200&shouldReturnTotalSize=true&expand=personalSpace"), 200),
        call(M::GET, "group/{groupId}/membersByGroupId", format!("group/{group}/membersByGroupId?limit=201"), 400),
        call(M::GET, "group/{groupId}/membersByGroupId", "group/nope/membersByGroupId", 404),
        call(M::GET, "space", "space", 200),
        call(M::GET, "space", "space?type=personal&expand=icon,description.plain,metadata.labels&limit=5", 200),
        call(M::GET, "space", "space?spaceKey=ENG&spaceKey=ARCHIVE&expand=description", 200),
        call(M::GET, "space", "space?favourite=true&label=engineering", 200),
        call(M::GET, "space", "space?start=-1", 400),
    ]
}

/// Every call of [`every_call`] on `server`, under `prefix` (the site's origin, or the gateway
/// form), each answer checked against the contract; then every operation must have succeeded.
async fn run_contract(contract: &Contract, server: &DemoServer, prefix: &str) {
    let calls = every_call(server);
    let http = support::client::raw_http();
    let origin = prefix;
    let mut answered = BTreeSet::new();
    for c in calls {
        let mut req = http.request(c.method.clone(), format!("{origin}{}", c.url));
        if let Some(token) = c.token {
            req = req.basic_auth(DEMO_EMAIL, Some(token));
        }
        if c.xsrf {
            req = req.header("X-Atlassian-Token", "no-check");
        }
        if let Some(body) = &c.body {
            req = req.json(body);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let body = resp.bytes().await.unwrap();
        assert_eq!(
            status,
            c.status,
            "{} {}: {}",
            c.method,
            c.url,
            String::from_utf8_lossy(&body)
        );
        let method = c.method.as_str().to_lowercase();
        contract.check(&c.template, &method, status, &body);
        if status < 300 {
            answered.insert((c.template.clone(), method));
        }
    }
    let missing: Vec<_> = contract
        .operations()
        .difference(&answered)
        .cloned()
        .collect();
    assert!(missing.is_empty(), "operations never answered: {missing:?}");
}

/// With `v1_spaces`, since the contract still has v1 `GET /space`.
fn v1_options() -> DemoOptions {
    DemoOptions {
        v1_spaces: true,
        ..DemoOptions::default()
    }
}

#[tokio::test]
async fn every_operation_answers_as_the_contract_says() {
    let contract = Contract::load();
    let server = support::demo::start(v1_options()).await;
    run_contract(&contract, &server, &format!("http://{}", server.addr())).await;
    server.stop().await;
}

#[tokio::test]
async fn every_operation_answers_as_the_contract_says_through_the_gateway() {
    let contract = Contract::load();
    let server = support::demo::start(v1_options()).await;
    run_contract(&contract, &server, &server.gateway_url()).await;
    server.stop().await;
}

#[tokio::test]
async fn removed_v1_space_list_answers_410_in_the_contracts_error_shape() {
    let contract = Contract::load();
    let server = support::demo::start(DemoOptions::default()).await;
    let http = support::client::raw_http();
    for origin in [format!("http://{}", server.addr()), server.gateway_url()] {
        let resp = http
            .get(format!("{origin}/wiki/rest/api/space?limit=5"))
            .basic_auth(DEMO_EMAIL, Some("demo"))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 410);
        let body = resp.bytes().await.unwrap();
        contract.check("/wiki/rest/api/space", "get", 410, &body);
        let v: Value = serde_json::from_slice(&body).unwrap();
        assert!(
            v["message"]
                .as_str()
                .unwrap()
                .ends_with("This deprecated endpoint has been removed."),
            "{v}"
        );
    }
    server.stop().await;
}

/// The v2 spec's schema for one `getSpaces` status, with its components alongside.
fn v2_validator(spec: &Value, schema: Value) -> jsonschema::Validator {
    let root = json!({ "components": spec["components"], "allOf": [schema] });
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&root)
        .unwrap()
}

#[tokio::test]
async fn v2_spaces_answer_as_atlassians_v2_spec_says_on_both_forms() {
    let spec: Value = serde_json::from_str(SPEC_V2).unwrap();
    let ok = v2_validator(
        &spec,
        spec["paths"]["/wiki/api/v2/spaces"]["get"]["responses"]["200"]["content"]
            ["application/json"]["schema"]
            .clone(),
    );
    let bad = v2_validator(&spec, json!({ "$ref": "#/components/schemas/V2Error" }));
    let bulk_fields: BTreeSet<String> = spec["components"]["schemas"]["SpaceBulk"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let server = support::demo::start(DemoOptions::default()).await;
    let http = support::client::raw_http();
    let total = server.directory().spaces.len();
    for origin in [format!("http://{}", server.addr()), server.gateway_url()] {
        let get = |query: &str| {
            http.get(format!("{origin}/wiki/api/v2/spaces{query}"))
                .basic_auth(DEMO_EMAIL, Some("demo"))
                .send()
        };
        for (query, status) in [
            ("", 200),
            (
                "?limit=7&type=personal&description-format=view&include-icon=true",
                200,
            ),
            ("?keys=ENG,HR&status=current&sort=-key", 200),
            ("?keys=ENG&keys=HR&description-format=plain", 200),
            ("?labels=engineering&limit=250", 200),
            ("?cursor=not-a-cursor", 400),
            ("?limit=0", 400),
            ("?type=team", 400),
        ] {
            let resp = get(query).await.unwrap();
            assert_eq!(resp.status().as_u16(), status, "{query}");
            let v: Value = resp.json().await.unwrap();
            let validator = if status == 200 { &ok } else { &bad };
            let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{query}: {errors:?}\n{v}");
            for space in v["results"].as_array().into_iter().flatten() {
                let fields: BTreeSet<String> = space.as_object().unwrap().keys().cloned().collect();
                assert!(fields.is_subset(&bulk_fields), "{query}: {fields:?}");
                for field in ["id", "key", "name", "type", "status"] {
                    assert!(space[field].is_string(), "{query}: {field} in {space}");
                }
            }
        }
        // Walked to the end through `_links.next` (relative to the site's origin), every space
        // once; `_links.base` names the site even through the gateway.
        let mut seen = BTreeSet::new();
        let mut next = Some("/wiki/api/v2/spaces?limit=9".to_string());
        while let Some(path) = next {
            let v: Value = http
                .get(format!("{origin}{path}"))
                .basic_auth(DEMO_EMAIL, Some("demo"))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            assert!(ok.is_valid(&v), "{v}");
            assert_eq!(v["_links"]["base"], json!(server.base_url()));
            for space in v["results"].as_array().unwrap() {
                assert!(seen.insert(space["id"].as_str().unwrap().to_string()));
            }
            next = v["_links"]["next"].as_str().map(str::to_string);
            assert!(seen.len() <= total, "paging does not end");
        }
        assert_eq!(seen.len(), total);
    }
    server.stop().await;
}

#[tokio::test]
async fn injected_429s_match_the_contract() {
    let contract = Contract::load();
    let server = support::demo::start(DemoOptions {
        users: 20,
        fail_rate: 1.0,
        ..DemoOptions::default()
    })
    .await;
    let http = support::client::raw_http();
    let mut seen = BTreeSet::new();
    while seen.len() < 2 {
        let resp = http
            .get(format!("{}/rest/api/user/current", server.base_url()))
            .basic_auth(DEMO_EMAIL, Some("demo"))
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        if status == 429 {
            let after = resp.headers()["retry-after"].to_str().unwrap().to_string();
            assert!(after.parse::<u64>().unwrap() >= 1);
        }
        let body = resp.bytes().await.unwrap();
        contract.check("/wiki/rest/api/user/current", "get", status, &body);
        seen.insert(status);
    }
    assert_eq!(seen.into_iter().collect::<Vec<_>>(), [429, 500]);
    server.stop().await;
}

#[test]
fn nullable_is_rewritten_for_json_schema() {
    let mut s = json!({
        "a": { "type": "string", "nullable": true },
        "b": { "$ref": "#/x", "nullable": true },
        "c": { "type": "string", "enum": ["x"], "nullable": true },
        "d": { "type": "string" }
    });
    denull(&mut s);
    assert_eq!(s["a"]["type"], json!(["string", "null"]));
    assert_eq!(
        s["b"],
        json!({ "anyOf": [{ "$ref": "#/x" }, { "type": "null" }] })
    );
    assert_eq!(s["c"]["enum"], json!(["x", null]));
    assert_eq!(s["d"], json!({ "type": "string" }));
}
