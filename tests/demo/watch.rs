//! Watches: toggled for spaces, labels and content; other users' for administrators only; and
//! writes without the XSRF header refused.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::{client, server};
use confdir::api::WatchTarget;
use confdir::demo::{ADMIN_ACCOUNT_ID, DEMO_ACCOUNT_ID, DEMO_EMAIL};
use pretty_assertions::assert_eq;

#[tokio::test]
async fn watches_toggle_for_spaces_labels_and_content() {
    let s = server().await;
    let c = client(&s, false);
    let eng = WatchTarget::Space("ENG".into());
    let hr = WatchTarget::Space("HR".into());
    assert!(c.watch_status(&eng, None).await.unwrap());
    assert!(!c.watch_status(&hr, None).await.unwrap());
    c.add_watch(&hr, None).await.unwrap();
    assert!(c.watch_status(&hr, None).await.unwrap());
    c.remove_watch(&eng, None).await.unwrap();
    assert!(!c.watch_status(&eng, None).await.unwrap());

    let label = WatchTarget::Label("release-notes".into());
    assert!(c.watch_status(&label, None).await.unwrap());
    c.remove_watch(&label, None).await.unwrap();
    assert!(!c.watch_status(&label, None).await.unwrap());

    // Page ids come from the directory (the user API has no way to list pages).
    let pages = &s.directory().pages;
    let adr = pages.iter().find(|p| p.title.starts_with("ADR-")).unwrap();
    let faq = pages.iter().find(|p| p.title == "Pricing FAQ").unwrap();
    let adr = WatchTarget::Content(adr.id.clone());
    let faq = WatchTarget::Content(faq.id.clone());
    assert!(c.watch_status(&adr, None).await.unwrap());
    assert!(!c.watch_status(&faq, None).await.unwrap());
    c.add_watch(&faq, None).await.unwrap();
    c.remove_watch(&adr, None).await.unwrap();
    assert!(c.watch_status(&faq, None).await.unwrap());
    assert!(!c.watch_status(&adr, None).await.unwrap());
    // Unknown targets are 403, not 404, as on Confluence.
    let err = c
        .watch_status(&WatchTarget::Content("1".into()), None)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(403), "{err:?}");
    let err = c
        .watch_status(&WatchTarget::Label("no-such-label".into()), None)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(403), "{err:?}");
    let err = c
        .add_watch(&WatchTarget::Space("NOPE".into()), None)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(403), "{err:?}");
    s.stop().await;
}

#[tokio::test]
async fn other_users_watches_are_for_administrators_only() {
    let s = server().await;
    let user = client(&s, false);
    let admin = client(&s, true);
    let hr = WatchTarget::Space("HR".into());
    let err = user
        .watch_status(&hr, Some(ADMIN_ACCOUNT_ID))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(403));
    let err = user
        .add_watch(&hr, Some(ADMIN_ACCOUNT_ID))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(403));
    // Naming yourself is fine.
    assert!(!user.watch_status(&hr, Some(DEMO_ACCOUNT_ID)).await.unwrap());
    // The administrator may look at and change Ada's watches.
    admin.add_watch(&hr, Some(DEMO_ACCOUNT_ID)).await.unwrap();
    assert!(admin
        .watch_status(&hr, Some(DEMO_ACCOUNT_ID))
        .await
        .unwrap());
    assert!(user.watch_status(&hr, None).await.unwrap());
    s.stop().await;
}

#[tokio::test]
async fn watch_writes_without_the_xsrf_header_are_refused() {
    let s = server().await;
    let http = crate::support::client::raw_http();
    let url = format!("{}/rest/api/user/watch/space/HR", s.base_url());
    for req in [http.post(&url), http.delete(&url)] {
        let resp = req
            .basic_auth(DEMO_EMAIL, Some("demo"))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 403);
        let body: serde_json::Value = resp.json().await.unwrap();
        assert_eq!(body["message"], "XSRF check failed");
    }
    let resp = http
        .post(&url)
        .basic_auth(DEMO_EMAIL, Some("demo"))
        .header("X-Atlassian-Token", "no-check")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);
    s.stop().await;
}
