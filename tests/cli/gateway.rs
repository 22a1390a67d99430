//! The API gateway form for scoped tokens: `login --scoped` finds the site's cloud id at
//! `/_edge/tenant_info`, verifies through the gateway and stores both; later commands go through
//! the gateway; a bad tenant_info answer or cloud id is refused with the reason; `doctor` says
//! which form is in use and why.
//!
//! Two wiremock servers on 127.0.0.1 play the site (only `/_edge/tenant_info`) and the gateway
//! (`/ex/confluence/{cloudId}/wiki/...`), so every test can say which one each request reached.
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::support;
use crate::{Run, CANARY};
use base64::Engine;
use std::process::Stdio;
use support::home::Home;
use support::mock::{ok_json, requests};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const CLOUD_ID: &str = "1324a887-45db-1bf4-1e99-ef0ff456d421";
const EMAIL: &str = "ada@acme.example";
const TOKEN: &str = "tok-scoped-2b7f";

/// The current user's path through the gateway for [`CLOUD_ID`].
fn gateway_me() -> String {
    format!("/ex/confluence/{CLOUD_ID}/wiki/rest/api/user/current")
}

/// The Basic header a scoped token is sent with: email and token, as for a classic token.
fn basic() -> String {
    let raw = format!("{EMAIL}:{TOKEN}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}

/// A site that answers `/_edge/tenant_info` with `answer`, and a gateway that answers the current
/// user for [`CLOUD_ID`] (any other path: 404).
struct Servers {
    rt: tokio::runtime::Runtime,
    site: MockServer,
    gateway: MockServer,
}

impl Servers {
    fn start(answer: ResponseTemplate) -> Self {
        let rt = support::demo::runtime();
        let (site, gateway) = rt.block_on(async {
            let site = MockServer::start().await;
            Mock::given(method("GET"))
                .and(path("/_edge/tenant_info"))
                .respond_with(answer)
                .mount(&site)
                .await;
            let gateway = MockServer::start().await;
            Mock::given(method("GET"))
                .and(path(gateway_me()))
                .respond_with(ok_json("user-current.mcp-atlassian.json"))
                .mount(&gateway)
                .await;
            (site, gateway)
        });
        Servers { rt, site, gateway }
    }

    fn site_requests(&self) -> Vec<Request> {
        self.rt.block_on(requests(&self.site))
    }

    fn gateway_requests(&self) -> Vec<Request> {
        self.rt.block_on(requests(&self.gateway))
    }
}

/// `confdir login ARGS` in `home`, the token on stdin.
fn login(home: &Home, args: &[&str]) -> Run {
    let mut cmd = home.command(&["login"]);
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{TOKEN}\n").as_bytes())
        .unwrap();
    child.wait_with_output().unwrap().into()
}

/// `login --scoped --url SITE --gateway GATEWAY …` with a token file.
fn scoped_login(home: &Home, servers: &Servers, extra: &[&str]) -> Run {
    let token_file = home.join("secrets/acme.token");
    let mut args = vec![
        "--url".to_string(),
        servers.site.uri(),
        "--email".into(),
        EMAIL.into(),
        "--name".into(),
        "acme".into(),
        "--gateway".into(),
        servers.gateway.uri(),
        "--token-file".into(),
        token_file.display().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    login(home, &args)
}

#[test]
fn a_scoped_login_finds_the_cloud_id_stores_site_and_id_and_later_calls_use_the_gateway() {
    let servers = Servers::start(
        ResponseTemplate::new(200).set_body_json(serde_json::json!({ "cloudId": CLOUD_ID })),
    );
    let home = Home::new();
    let run = scoped_login(&home, &servers, &["--scoped"]).ok();
    assert!(run.stdout.contains("Current User"), "{}", run.stdout);
    assert!(run.stdout.contains("API gateway"), "{}", run.stdout);

    // The site was asked for its cloud id, without credentials, and for nothing else.
    let asked = servers.site_requests();
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert_eq!(asked[0].url.path(), "/_edge/tenant_info");
    assert!(asked[0].headers.get("authorization").is_none());
    // The credentials were verified through the gateway, with Basic email:token.
    let verified = servers.gateway_requests();
    assert_eq!(verified.len(), 1, "{verified:?}");
    assert_eq!(verified[0].url.path(), gateway_me());
    assert_eq!(verified[0].headers["authorization"], basic().as_str());

    // The config keeps the site (for links) and the cloud id (for API calls).
    let config = std::fs::read_to_string(home.config_file()).unwrap();
    assert!(
        config.contains(&format!("url = \"{}/wiki\"", servers.site.uri())),
        "{config}"
    );
    assert!(
        config.contains(&format!("cloud_id = \"{CLOUD_ID}\"")),
        "{config}"
    );
    assert!(
        config.contains(&format!("gateway = \"{}\"", servers.gateway.uri())),
        "{config}"
    );

    // The next command goes to the gateway path; the site sees nothing more.
    let me: Run = home.command(&["whoami", "--json"]).output().unwrap().into();
    assert_eq!(me.ok().json()["accountId"], "5b10ac8d82e05b22cc7d4ef5");
    let calls = servers.gateway_requests();
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert_eq!(calls[1].url.path(), gateway_me());
    assert_eq!(servers.site_requests().len(), 1);

    // A given cloud id is used as is: the site is not asked.
    let again = Home::new();
    let given = scoped_login(&again, &servers, &["--cloud-id", CLOUD_ID]).ok();
    assert!(given.stdout.contains(CLOUD_ID), "{}", given.stdout);
    assert_eq!(servers.site_requests().len(), 1);
}

#[test]
fn one_loopback_server_plays_site_and_gateway_when_no_gateway_is_named() {
    let rt = support::demo::runtime();
    let server = rt.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/_edge/tenant_info"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(serde_json::json!({ "cloudId": CLOUD_ID })),
            )
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(gateway_me()))
            .respond_with(ok_json("user-current.mcp-atlassian.json"))
            .mount(&server)
            .await;
        server
    });
    let home = Home::new();
    let token_file = home.join("acme.token");
    let run = login(
        &home,
        &[
            "--url",
            &server.uri(),
            "--email",
            EMAIL,
            "--scoped",
            "--token-file",
            token_file.to_str().unwrap(),
        ],
    )
    .ok();
    assert!(run.stdout.contains("Current User"), "{}", run.stdout);
    let paths: Vec<String> = rt
        .block_on(requests(&server))
        .iter()
        .map(|r| r.url.path().to_string())
        .collect();
    assert_eq!(paths, ["/_edge/tenant_info".to_string(), gateway_me()]);
    let config = std::fs::read_to_string(home.config_file()).unwrap();
    assert!(!config.contains("gateway"), "{config}");
}

#[test]
fn a_tenant_info_that_fails_or_answers_garbage_is_refused_with_the_way_out() {
    for answer in [
        ResponseTemplate::new(200).set_body_string("<html>not json</html>"),
        ResponseTemplate::new(200).set_body_json(serde_json::json!({ "cloudId": 42 })),
        ResponseTemplate::new(200).set_body_json(serde_json::json!({ "cloudId": "../../admin" })),
        ResponseTemplate::new(200).set_body_json(serde_json::json!({ "tenant": CLOUD_ID })),
        ResponseTemplate::new(404),
    ] {
        let servers = Servers::start(answer);
        let home = Home::new();
        let run = scoped_login(&home, &servers, &["--scoped"]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(
            run.stderr.contains("cannot find the cloud id of 127.0.0.1"),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("--cloud-id"), "{}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        assert!(!run.stderr.contains(TOKEN) && !run.stdout.contains(TOKEN));
        assert!(servers.gateway_requests().is_empty());
        assert!(!home.config_file().exists());
        assert!(!home.join("secrets/acme.token").exists());
    }
}

#[test]
fn a_cloud_id_that_is_not_a_uuid_is_refused_before_anything_is_sent() {
    let servers = Servers::start(ResponseTemplate::new(500));
    for bad in [
        "abc",
        "../../wiki/rest/api/user",
        "1324a887-45db-1bf4-1e99-ef0ff456d42z",
    ] {
        let home = Home::new();
        let run = scoped_login(&home, &servers, &["--cloud-id", bad]);
        assert_eq!(run.code, 2, "{bad}: {}", run.stderr);
        assert!(run.stderr.contains("not a cloud id"), "{}", run.stderr);
        assert!(!home.config_file().exists());
    }
    assert!(servers.site_requests().is_empty());
    assert!(servers.gateway_requests().is_empty());
}

#[test]
fn doctor_says_which_form_is_in_use_and_why() {
    let servers = Servers::start(ResponseTemplate::new(500));
    let home = Home::new();
    let config = home.config_file();
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::write(
        &config,
        format!(
            "[sites.acme]\nurl = \"{}\"\nemail = \"{EMAIL}\"\ncloud_id = \"{CLOUD_ID}\"\ngateway = \"{}\"\nkeyring = false\n",
            servers.site.uri(),
            servers.gateway.uri()
        ),
    )
    .unwrap();
    let doctor = |json: bool| -> Run {
        let mut cmd = home.command(&["doctor"]);
        if json {
            cmd.arg("--json");
        }
        cmd.env("CONFLUENCE_API_TOKEN", TOKEN)
            .output()
            .unwrap()
            .into()
    };
    let report = doctor(true).json();
    let site = &report["site"];
    assert_eq!(site["form"], "gateway");
    assert!(
        site["why"]
            .as_str()
            .unwrap()
            .starts_with("scoped token: API calls go through the API gateway"),
        "{site}"
    );
    assert_eq!(site["cloud_id"], CLOUD_ID);
    assert_eq!(
        site["api_url"],
        format!("{}/ex/confluence/{CLOUD_ID}/wiki/", servers.gateway.uri())
    );
    assert_eq!(site["web_url"], format!("{}/wiki/", servers.site.uri()));
    assert_eq!(report["identity"]["accountId"], "5b10ac8d82e05b22cc7d4ef5");
    // Every check went to the gateway; none to the site.
    assert!(servers.site_requests().is_empty());
    assert!(servers.gateway_requests().iter().all(|r| r
        .url
        .path()
        .starts_with(&format!("/ex/confluence/{CLOUD_ID}/wiki/"))));

    let text = doctor(false);
    assert!(
        text.stdout.contains("API           gateway: scoped token"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains(&format!("cloud id      {CLOUD_ID}")),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .contains(&format!("web links     {}/wiki/", servers.site.uri())),
        "{}",
        text.stdout
    );
    assert!(!text.stdout.contains(TOKEN) && !text.stdout.contains(CANARY));

    // Without a cloud id, the site form, and why.
    let plain = Home::new();
    let run: Run = plain
        .command(&["doctor", "--json"])
        .env("CONFLUENCE_BASE_URL", servers.site.uri())
        .env("CONFLUENCE_EMAIL", EMAIL)
        .env("CONFLUENCE_API_TOKEN", TOKEN)
        .output()
        .unwrap()
        .into();
    let site = &run.json()["site"];
    assert_eq!(site["form"], "site");
    assert!(site["why"].as_str().unwrap().contains("--scoped"), "{site}");
    assert!(site["cloud_id"].is_null());
}

#[test]
fn a_login_to_the_gateway_alone_keeps_the_site_its_answer_names_for_links() {
    let rt = support::demo::runtime();
    let (site, gateway) = rt.block_on(async {
        let site = MockServer::start().await;
        let gateway = MockServer::start().await;
        let mut me = support::mock::fixture_json("user-current.mcp-atlassian.json");
        me["_links"] = serde_json::json!({
            "base": format!("{}/wiki", site.uri()),
            "context": "/wiki",
        });
        Mock::given(method("GET"))
            .and(path(gateway_me()))
            .respond_with(ResponseTemplate::new(200).set_body_json(me))
            .mount(&gateway)
            .await;
        (site, gateway)
    });
    let home = Home::new();
    let token_file = home.join("acme.token");
    let run = login(
        &home,
        &[
            "--url",
            &format!("{}/ex/confluence/{CLOUD_ID}", gateway.uri()),
            "--email",
            EMAIL,
            "--name",
            "acme",
            "--token-file",
            token_file.to_str().unwrap(),
        ],
    )
    .ok();
    assert!(
        run.stdout
            .contains(&format!("links open on {}/wiki/", site.uri())),
        "{}",
        run.stdout
    );
    let config = std::fs::read_to_string(home.config_file()).unwrap();
    assert!(
        config.contains(&format!("url = \"{}/wiki\"", site.uri())),
        "{config}"
    );
    assert!(
        config.contains(&format!("cloud_id = \"{CLOUD_ID}\"")),
        "{config}"
    );
    let report: Run = home.command(&["doctor", "--json"]).output().unwrap().into();
    let report = report.json();
    assert_eq!(report["site"]["web_url"], format!("{}/wiki/", site.uri()));
    assert_eq!(report["site"]["form"], "gateway");
    assert_eq!(
        report["identity"]["linksBase"],
        format!("{}/wiki", site.uri())
    );

    // Given the gateway alone for one run, doctor says no link can be made, and how to fix it.
    let bare: Run = Home::new()
        .command(&["doctor"])
        .env(
            "CONFLUENCE_BASE_URL",
            format!("{}/ex/confluence/{CLOUD_ID}", gateway.uri()),
        )
        .env("CONFLUENCE_EMAIL", EMAIL)
        .env("CONFLUENCE_API_TOKEN", TOKEN)
        .output()
        .unwrap()
        .into();
    let bare = bare.ok();
    assert!(
        bare.stdout
            .contains("web links     (unknown: only the API gateway is known)"),
        "{}",
        bare.stdout
    );
    assert!(
        bare.stdout.contains(&format!(
            "`confdir login --scoped --url {}/wiki` keeps it for links",
            site.uri()
        )),
        "{}",
        bare.stdout
    );
    // The site itself was never called: everything went to the gateway.
    assert!(rt.block_on(requests(&site)).is_empty());
}

/// On a terminal, after asking for the site, `login` asks whether the token is scoped; "y" takes
/// the gateway route like `--scoped`.
#[cfg(unix)]
#[test]
fn login_on_a_terminal_asks_whether_the_token_is_scoped() {
    use support::pty::{has_mode, Spawn, Tui, TIMEOUT};
    let rt = support::demo::runtime();
    let server = rt.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/_edge/tenant_info"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(serde_json::json!({ "cloudId": CLOUD_ID })),
            )
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(gateway_me()))
            .respond_with(ok_json("user-current.mcp-atlassian.json"))
            .mount(&server)
            .await;
        server
    });
    let home = Home::new();
    let token_file = home.join("acme.token");
    let mut tui = Tui::spawn_with(Spawn {
        args: &[
            "login",
            "--email",
            EMAIL,
            "--token-file",
            token_file.to_str().unwrap(),
        ],
        home: Some(home.path()),
        whole_frames: false,
        ..Spawn::default()
    });
    tui.wait_for(r"Site \(");
    tui.send(&format!("{}\r", server.uri()));
    tui.wait_for(r"scoped API token .*\[y/N\]:");
    tui.send("y\r");
    tui.wait_for(r"\(input hidden\):");
    tui.wait_modes("the terminal's echo off", |modes| !has_mode(modes, "ECHO"));
    tui.send(&format!("{TOKEN}\r"));
    let status = tui.wait_exit(TIMEOUT);
    let text = String::from_utf8_lossy(&tui.output()).into_owned();
    assert!(status.success(), "{text}");
    assert!(text.contains("API gateway"), "{text}");
    let config = std::fs::read_to_string(home.config_file()).unwrap();
    assert!(
        config.contains(&format!("cloud_id = \"{CLOUD_ID}\"")),
        "{config}"
    );
    let paths: Vec<String> = rt
        .block_on(requests(&server))
        .iter()
        .map(|r| r.url.path().to_string())
        .collect();
    assert_eq!(paths, ["/_edge/tenant_info".to_string(), gateway_me()]);
}

/// The first-run form's scoped box: the site's cloud id is found, the credentials verified
/// through the gateway, site and cloud id saved, and the UI that follows talks to the gateway
/// only (its title names the user the gateway answered with).
#[cfg(unix)]
#[test]
fn the_first_run_form_sets_up_a_scoped_token_and_the_ui_goes_through_the_gateway() {
    use support::pty::{Spawn, Tui, TIMEOUT};
    let rt = support::demo::runtime();
    let server = rt.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/_edge/tenant_info"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(serde_json::json!({ "cloudId": CLOUD_ID })),
            )
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(gateway_me()))
            .respond_with(ok_json("user-current.mcp-atlassian.json"))
            .mount(&server)
            .await;
        server
    });
    let home = Home::new();
    let mut tui = Tui::spawn_with(Spawn {
        home: Some(home.path()),
        ..Spawn::default()
    });
    tui.wait_for("No Confluence site is configured yet");
    tui.send("s");
    tui.wait_for("Set up a site");
    tui.send(&format!("{}\t{EMAIL}\t{TOKEN}\t ", server.uri()));
    tui.wait_for(r"\[x\] token created with scopes");
    tui.send("\r");
    tui.wait_for(r"confdir · 127\.0\.0\.1:\d+ · Current User");
    tui.send("\x03");
    tui.wait_exit(TIMEOUT);

    let config = std::fs::read_to_string(home.config_file()).unwrap();
    assert!(
        config.contains(&format!("url = \"{}/wiki\"", server.uri())),
        "{config}"
    );
    assert!(
        config.contains(&format!("cloud_id = \"{CLOUD_ID}\"")),
        "{config}"
    );
    let paths: Vec<String> = rt
        .block_on(requests(&server))
        .iter()
        .map(|r| r.url.path().to_string())
        .collect();
    assert_eq!(paths[0], "/_edge/tenant_info", "{paths:?}");
    let through = format!("/ex/confluence/{CLOUD_ID}/wiki/");
    assert!(
        paths[1..].iter().all(|p| p.starts_with(&through)),
        "{paths:?}"
    );
    assert!(
        paths.iter().filter(|p| **p == gateway_me()).count() >= 2,
        "{paths:?}"
    );
}

#[test]
fn a_scoped_token_the_gateway_refuses_saves_nothing_and_names_the_scopes() {
    let rt = support::demo::runtime();
    let server = rt.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/_edge/tenant_info"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(serde_json::json!({ "cloudId": CLOUD_ID })),
            )
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(gateway_me()))
            .respond_with(support::mock::error_response(
                401,
                "Unauthorized; scope does not match",
            ))
            .mount(&server)
            .await;
        server
    });
    let home = Home::new();
    let token_file = home.join("acme.token");
    let run = login(
        &home,
        &[
            "--url",
            &server.uri(),
            "--email",
            EMAIL,
            "--scoped",
            "--token-file",
            token_file.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("Nothing was saved"), "{}", run.stderr);
    assert!(
        run.stderr.contains("read:confluence-user"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains(TOKEN));
    assert!(!home.config_file().exists() && !token_file.exists());
}
