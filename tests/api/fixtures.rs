//! Fixtures: every recorded answer in `tests/fixtures/` decodes into its type, and every error
//! fixture, served with its status, becomes the right `ApiError` with Confluence's message.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::support::mock::{decode_fixture, fixture_json, requests, serve};
use crate::{client, ACCOUNT};
use confdir::api::model::{
    AccountIdEmailRecord, AnonymousUser, EmailState, ErrorBody, Group, Page, PropertyKey,
    SearchResult, Space, SpaceId, User, UserProperty, UserPropertyWrite, UserWatch,
};
use confdir::api::ApiError;
use pretty_assertions::assert_eq;
use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

#[test]
fn every_fixture_decodes_into_its_type() {
    let dir = format!("{}/tests/fixtures", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures directory")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 25, "{names:?}");

    for name in &names {
        let n = name.as_str();
        match n {
            "user-current.aws-docs.json" => {
                let u: User = decode_fixture(n);
                assert_eq!(u.links.base.as_deref(), Some("https://<host_url>/wiki"));
                assert_eq!(u.time_zone, None);
            }
            "user-current.mcp-atlassian.json" => {
                let u: User = decode_fixture(n);
                assert_eq!(u.locale.as_deref(), Some("en_US"));
                assert_eq!(u.account_status.as_deref(), Some("active"));
                assert_eq!(u.is_guest, Some(false));
            }
            "user-captured.cloudplaydev.json" => {
                let u: User = decode_fixture(n);
                assert_ne!(u.public_name, u.display_name);
                assert_eq!(u.name(), "Artem Stepin");
            }
            "user-current-with-timezone.constructed.json" => {
                let u: User = decode_fixture(n);
                assert_eq!(u.time_zone.as_deref(), Some("Australia/Sydney"));
            }
            "user-privacy-hidden.constructed.json" => {
                let u: User = decode_fixture(n);
                assert_eq!(u.email_state(), EmailState::Hidden);
                assert_eq!(u.profile_picture, None);
            }
            "user-anonymous.constructed.json" => {
                let u: AnonymousUser = decode_fixture(n);
                assert_eq!(u.kind, "anonymous");
            }
            "search-user.marked-space.json" => {
                let p: Page<SearchResult> = decode_fixture(n);
                assert_eq!(p.cql_query.as_deref(), Some("user.publicName = John Doe"));
                assert_eq!(p.results[0].score, Some(0.0));
            }
            "search-user-empty.marked-space.json" => {
                let p: Page<SearchResult> = decode_fixture(n);
                assert!(p.results.is_empty() && !p.has_next());
                assert_eq!(p.search_duration, Some(76));
            }
            "space-list.go-atlassian.json" => {
                let p: Page<Space> = decode_fixture(n);
                assert_eq!(p.results.len(), 2);
                assert_eq!(p.results[0].id, Some(SpaceId::Number(80838666)));
            }
            "space-list-next.mcp-atlassian.json" => {
                let p: Page<Space> = decode_fixture(n);
                assert_eq!(
                    p.links.next.as_deref(),
                    Some("/rest/api/space?next=true&limit=5&start=5")
                );
                assert_eq!(p.results[0].status.as_deref(), Some("archived"));
                assert_eq!(p.results[0].alias.as_deref(), Some("~user1"));
            }
            "group-array-with-links.page1.constructed.json" => {
                let p: Page<Group> = decode_fixture(n);
                assert!(p.has_next());
                assert_eq!(p.results.len(), 2);
            }
            "group-array-with-links.atlassian-docs-sample.json" => {
                let p: Page<Group> = decode_fixture(n);
                assert_eq!(p.results[0].managed_by.as_deref(), Some("ADMINS"));
            }
            "bulk-user-lookup-array.constructed.json" | "user-array-members.constructed.json" => {
                let p: Page<User> = decode_fixture(n);
                assert_eq!(p.results.len(), 2);
                assert_eq!(
                    p.results[1].account_id.as_deref(),
                    Some("some-atlassian-uuid")
                );
            }
            "user-watch.json" => {
                let w: UserWatch = decode_fixture(n);
                assert!(w.watching);
            }
            "account-id-email-record.api-evangelist.json" => {
                let r: AccountIdEmailRecord = decode_fixture(n);
                assert_eq!(r.email, "user@example.com");
            }
            "account-id-email-record-array.constructed.json" => {
                let r: Vec<AccountIdEmailRecord> = decode_fixture(n);
                assert_eq!(r.len(), 2);
            }
            "user-property-key-array.constructed.json" => {
                let p: Page<PropertyKey> = decode_fixture(n);
                assert_eq!(p.results[1].key, "preferred-editor");
            }
            "user-property.constructed.json" => {
                let p: UserProperty = decode_fixture(n);
                assert!(p.value.is_object());
            }
            "user-property-create.request.json" => {
                let w: UserPropertyWrite = decode_fixture(n);
                assert_eq!(w.value, json!({"completed": false}));
            }
            n if n.starts_with("error-") => {
                let e: ErrorBody = decode_fixture(n);
                assert!(e.status_code.is_some(), "{n}");
                assert!(e.best_message().is_some(), "{n}");
            }
            other => panic!("fixture {other} has no decode check: add one"),
        }
    }
}

/// The v2 answers (`tests/fixtures/v2/`, after Atlassian's v2 spec: see its README) decode into
/// the same types as v1's, string ids and all.
#[test]
fn every_v2_fixture_decodes_into_its_type() {
    let dir = format!("{}/tests/fixtures/v2", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("v2 fixtures directory")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 2, "{names:?}");
    for name in &names {
        let path = format!("v2/{name}");
        let p: Page<Space> = decode_fixture(&path);
        match name.as_str() {
            "space-list.page1.constructed.json" => {
                assert_eq!(p.results.len(), 2);
                let ds = &p.results[0];
                assert_eq!(ds.id, Some(SpaceId::Text("98306".into())));
                assert_eq!(ds.homepage_id.as_deref(), Some("98311"));
                assert_eq!(ds.author_id.as_deref(), Some("5b10ac8d82e05b22cc7d4ef5"));
                assert!(ds
                    .icon
                    .as_ref()
                    .is_some_and(|i| i.path.starts_with("/wiki/download/")));
                assert_eq!(p.results[1].kind.as_deref(), Some("personal"));
                assert!(p.has_next());
                assert!(p
                    .links
                    .next
                    .as_deref()
                    .is_some_and(|n| n.starts_with("/wiki/api/v2/spaces?cursor=")));
                assert_eq!(
                    p.links.base.as_deref(),
                    Some("https://site.atlassian.net/wiki")
                );
            }
            "space-list.last.constructed.json" => {
                assert_eq!(p.results[0].status.as_deref(), Some("archived"));
                assert!(!p.has_next());
            }
            other => panic!("v2 fixture {other} has no decode check: add one"),
        }
    }
}

#[tokio::test]
async fn error_fixtures_served_with_their_status_carry_confluences_message() {
    let cases = [
        ("error-400-cql.captured.json", "Could not parse cql :"),
        (
            "error-400-no-data.go-atlassian.json",
            "Instantiation of [simple type, class com.atlassian.confluence.api.model.content.id.ContentId] value failed",
        ),
        (
            "error-403-permission.captured.json",
            "Could not create content with type page",
        ),
        ("error-404-datacenter.captured.json", "No space with key : x"),
        (
            "error-404.atlassian-spec-narrative.json",
            "This is an example error message.",
        ),
    ];
    for (name, message) in cases {
        let server = MockServer::start().await;
        let body = fixture_json(name);
        let status = body["statusCode"].as_u64().expect("statusCode") as u16;
        serve(
            &server,
            "GET",
            "/user",
            ResponseTemplate::new(status).set_body_json(body),
        )
        .await;

        let err = client(&server).user(ACCOUNT, &[]).await.unwrap_err();

        assert_eq!(err.status(), Some(status), "{name}: {err:?}");
        let expected_variant = match status {
            400 => matches!(err, ApiError::BadRequest { .. }),
            403 => matches!(err, ApiError::Forbidden { .. }),
            404 => matches!(err, ApiError::NotFound { .. }),
            _ => false,
        };
        assert!(expected_variant, "{name}: {err:?}");
        let got = err.server_message().unwrap_or_default();
        assert!(got.starts_with(message), "{name}: {got:?}");
        assert!(
            !got.contains("Exception:"),
            "{name}: class name cut: {got:?}"
        );
        assert!(
            err.to_string().contains(message.trim_end_matches('.')),
            "{name}: {err}"
        );
        assert_eq!(
            requests(&server).await.len(),
            1,
            "{name}: 4xx is not retried"
        );
    }
}
