//! `groups emails GROUP`: every output form, members the email API leaves out kept and marked
//! hidden, the refusal for a non-administrator, and a site whose email API is not enabled.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::support::home::Home;
use crate::{support, Run, Site, CANARY};
use confdir::demo::ADMIN_ACCOUNT_ID;
use serde_json::Value;

/// Account ids of `group`'s members that are app accounts (the demo's email API leaves them out).
fn app_members(demo: &Site, group: &str) -> Vec<String> {
    let members = demo
        .admin(&["groups", "members", group, "--all", "--json"])
        .ok()
        .json();
    members
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["accountType"] == "app")
        .map(|u| u["accountId"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn group_emails_in_every_form_with_hidden_rows_kept() {
    let demo = Site::start();
    // Everyone is in confluence-users: more than 1,000 members (several member pages, more than
    // ten bulk email requests), a few of them app accounts the email API leaves out.
    let apps = app_members(&demo, "confluence-users");
    assert!(
        !apps.is_empty(),
        "the demo has app accounts in confluence-users"
    );

    let json = demo
        .admin(&["groups", "emails", "confluence-users", "--json"])
        .ok()
        .json();
    let rows = json.as_array().unwrap();
    assert!(rows.len() > 1000, "every member page is read");
    let hidden: Vec<&Value> = rows.iter().filter(|r| r["hidden"] == true).collect();
    assert_eq!(
        hidden.len(),
        apps.len(),
        "exactly the left-out accounts are hidden"
    );
    for row in &hidden {
        assert!(row["email"].is_null(), "{row}");
        assert!(apps.contains(&row["accountId"].as_str().unwrap().to_string()));
    }
    let grace = rows
        .iter()
        .find(|r| r["accountId"] == ADMIN_ACCOUNT_ID)
        .unwrap();
    assert_eq!(grace["email"], "admin@confdir.example");
    assert_eq!(grace["displayName"], "Grace Hopper");

    // `--jsonl`: the same rows, one object a line.
    let jsonl = demo
        .admin(&["groups", "emails", "confluence-users", "--jsonl"])
        .ok();
    let lines: Vec<Value> = jsonl
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(&lines, rows);

    let csv = demo
        .admin(&["groups", "emails", "confluence-users", "--csv"])
        .ok()
        .csv();
    assert_eq!(csv[0], ["accountId", "displayName", "email", "hidden"]);
    assert_eq!(csv.len(), rows.len() + 1);
    let hidden_csv: Vec<&Vec<String>> = csv.iter().filter(|r| r[3] == "true").collect();
    assert_eq!(hidden_csv.len(), apps.len());
    assert!(hidden_csv.iter().all(|r| r[2].is_empty()));

    let human = demo.admin(&["groups", "emails", "confluence-users"]).ok();
    let mut lines = human.stdout.lines();
    assert!(lines.next().unwrap().starts_with("NAME"));
    assert!(human.stdout.contains("admin@confdir.example"));
    let last = human.stdout.lines().last().unwrap();
    assert_eq!(
        last,
        format!("{} emails, {} hidden", rows.len() - apps.len(), apps.len())
    );
    let app_line = human
        .stdout
        .lines()
        .find(|l| l.contains(apps[0].as_str()))
        .unwrap();
    assert!(app_line.trim_end().ends_with("hidden"), "{app_line}");

    // A group of apps only: every row is there, every one hidden.
    let bots = demo
        .admin(&["groups", "emails", "atlassian-addons-admin", "--json"])
        .ok()
        .json();
    let bots = bots.as_array().unwrap();
    assert!(!bots.is_empty());
    assert!(bots.iter().all(|r| r["hidden"] == true));
}

#[test]
fn group_emails_refuse_a_non_administrator() {
    let demo = Site::start();
    for args in [
        vec!["groups", "emails", "site-admins"],
        vec!["groups", "emails", "site-admins", "--json"],
        vec!["groups", "emails", "site-admins", "--csv"],
    ] {
        let run = demo.run(&args);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr
                .contains("Only Confluence administrators can list a group's email addresses"),
            "{}",
            run.stderr
        );
        assert!(run.stdout.is_empty(), "{}", run.stdout);
    }
}

#[test]
fn group_emails_say_when_the_site_has_no_email_api() {
    use support::mock::serve;
    use wiremock::ResponseTemplate;
    let rt = support::demo::runtime();
    let server = rt.block_on(async {
        let server = wiremock::MockServer::start().await;
        serve(
            &server,
            "GET",
            "/user/current",
            ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "type": "known",
                "accountId": "5b10ac8d82e05b22cc7d4ef5",
                "displayName": "Mia Krystof",
                "operations": [{"operation": "administer", "targetType": "application"}],
                "_links": {}
            })),
        )
        .await;
        serve(
            &server,
            "GET",
            "/group/picker",
            ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "results": [{"type": "group", "name": "team-a", "id": "g-1"}],
                "start": 0, "limit": 200, "size": 1, "_links": {}
            })),
        )
        .await;
        serve(
            &server,
            "GET",
            "/group/g-1/membersByGroupId",
            ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "results": [{"type": "known", "accountId": "5b10ac8d82e05b22cc7d4ef5",
                             "displayName": "Mia Krystof"}],
                "start": 0, "limit": 200, "size": 1, "_links": {}
            })),
        )
        .await;
        serve(
            &server,
            "GET",
            "/user/email/bulk",
            support::mock::error_response(501, "This API is not enabled for this site."),
        )
        .await;
        server
    });
    let home = Home::new();
    let run: Run = home
        .command(&["groups", "emails", "team-a", "--base-url", &server.uri()])
        .env("CONFLUENCE_EMAIL", "mia@example.com")
        .env("CONFLUENCE_API_TOKEN", CANARY)
        .output()
        .unwrap()
        .into();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("This site does not give confdir email addresses"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("501"), "{}", run.stderr);
    assert!(!run.stderr.contains(CANARY));
    drop(server);
}
