//! `doctor`: each step explained, rate-limit headers, and a site without the email API.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::support::home::Home;
use crate::{support, Run, Site, CANARY};
use confdir::demo::{DEMO_ACCOUNT_ID, DEMO_EMAIL};

#[test]
fn doctor_explains_each_step() {
    let demo = Site::start();
    let human = demo.run(&["doctor"]).ok();
    for needle in [
        "config file",
        "not found",
        "from CONFLUENCE_API_TOKEN",
        "reachable",
        "Ada Lovelace",
        "email API",
        "administrator",
        "all checks passed",
    ] {
        assert!(human.stdout.contains(needle), "{needle}: {}", human.stdout);
    }
    let json = demo.run(&["doctor", "--json"]).ok().json();
    assert_eq!(json["ok"], true);
    assert_eq!(json["token"]["source"], "environment");
    assert_eq!(json["identity"]["accountId"], DEMO_ACCOUNT_ID);
    assert_eq!(json["email_api"]["available"], true);
    assert_eq!(json["administrator"]["available"], false);
    let admin = demo.admin(&["doctor", "--json"]).ok().json();
    assert_eq!(admin["administrator"]["available"], true);

    // A site from the file with no token: every source says why it was skipped; exit 3.
    demo.write_config(&format!(
        "[sites.demo]\nurl = \"{}\"\nemail = \"{DEMO_EMAIL}\"\nkeyring = false\n",
        demo.url()
    ));
    let run: Run = demo.bare(&["doctor", "--json"]).output().unwrap().into();
    assert_eq!(run.code, 3, "{}", run.stdout);
    let json = run.json();
    assert_eq!(json["ok"], false);
    assert_eq!(json["site"]["name"], "demo");
    assert_eq!(json["config"]["found"], true);
    let reasons: Vec<&str> = json["token"]["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["detail"].as_str().unwrap())
        .collect();
    assert_eq!(
        reasons,
        [
            "CONFLUENCE_API_TOKEN is not set",
            "disabled by `keyring = false`",
            "no `token_command` for this site",
            "no `token_file` for this site"
        ]
    );
    let human: Run = demo.bare(&["doctor"]).output().unwrap().into();
    assert_eq!(human.code, 3);
    assert!(
        human.stdout.contains("skipped CONFLUENCE_API_TOKEN"),
        "{}",
        human.stdout
    );

    // Bad credentials: reachable, but the identity step fails.
    let bad: Run = demo
        .with_token(CANARY, &["doctor", "--json"])
        .output()
        .unwrap()
        .into();
    assert_eq!(bad.code, 3);
    let json = bad.json();
    assert_eq!(json["reachable"]["ok"], true);
    assert_eq!(json["identity"]["ok"], false);

    // A broken file: exit 2, and the error names the line.
    demo.write_config("default_site = 3\n");
    let broken: Run = demo.bare(&["doctor", "--json"]).output().unwrap().into();
    assert_eq!(broken.code, 2);
    let json = broken.json();
    assert_eq!(json["config"]["valid"], false);
    assert!(json["config"]["error"]
        .as_str()
        .unwrap()
        .contains(":1: `default_site`"));
}

#[test]
fn doctor_reports_rate_limit_headers_and_a_missing_email_api() {
    use support::mock::serve;
    use wiremock::{MockServer, ResponseTemplate};
    let rt = support::demo::runtime();
    let server = rt.block_on(async {
        let server = MockServer::start().await;
        serve(
            &server,
            "GET",
            "/user/anonymous",
            ResponseTemplate::new(200).set_body_json(
                serde_json::json!({"type": "anonymous", "displayName": "Anonymous"}),
            ),
        )
        .await;
        serve(
            &server,
            "GET",
            "/user/current",
            ResponseTemplate::new(200)
                .insert_header("X-RateLimit-Limit", "100")
                .insert_header("X-RateLimit-Remaining", "7")
                .set_body_json(serde_json::json!({
                    "type": "known",
                    "accountId": "5b10ac8d82e05b22cc7d4ef5",
                    "displayName": "Mia Krystof",
                    "_links": {}
                })),
        )
        .await;
        serve(
            &server,
            "GET",
            "/user/email",
            ResponseTemplate::new(501).set_body_json(serde_json::json!({
                "statusCode": 501,
                "message": "The email API is not enabled"
            })),
        )
        .await;
        server
    });
    let home = Home::new();
    let out: Run = home
        .command(&["doctor", "--json", "--base-url", &server.uri()])
        .env("CONFLUENCE_EMAIL", "mia@example.com")
        .env("CONFLUENCE_API_TOKEN", CANARY)
        .output()
        .unwrap()
        .into();
    let json = out.ok().json();
    assert_eq!(json["rate_limit_headers"]["x-ratelimit-remaining"], "7");
    assert_eq!(json["rate_limit_headers"]["x-ratelimit-limit"], "100");
    assert_eq!(json["identity"]["displayName"], "Mia Krystof");
    assert_eq!(json["email_api"]["available"], false);
    assert!(json["email_api"]["detail"]
        .as_str()
        .unwrap()
        .contains("not enabled"));
    assert!(
        json["administrator"]["available"].is_null(),
        "no operations sent"
    );
    drop(server);
}
