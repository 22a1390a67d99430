//! Groups and spaces: memberships and members paged with their limits, and spaces filtered.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::{client, server, v1_server};
use confdir::api::{Paging, SpaceFilter};
use confdir::demo::DEMO_ACCOUNT_ID;
use pretty_assertions::assert_eq;

#[tokio::test]
async fn memberships_and_group_members_page_with_limits() {
    let s = server().await;
    let c = client(&s, false);
    let groups = c
        .group_memberships(DEMO_ACCOUNT_ID, Paging::first(3))
        .all()
        .await
        .unwrap();
    let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
    assert!(names.contains(&"confluence-users"));
    assert!(names.contains(&"engineering"));
    assert!(names.len() >= 8, "{names:?}");

    let everyone = groups
        .iter()
        .find(|g| g.name == "confluence-users")
        .unwrap();
    let first = c
        .group_members(&everyone.id, Paging::first(200), &[])
        .first()
        .await
        .unwrap();
    // The total is there when asked for; a limit above 200 is refused, as documented.
    assert_eq!(first.results.len(), 200);
    assert_eq!(first.total_size, Some(1500));
    let err = c
        .group_members(&everyone.id, Paging::first(201), &[])
        .first()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400), "{err:?}");
    // Other lists cap the limit instead ("restricted by fixed system limits").
    let capped = c
        .group_memberships(DEMO_ACCOUNT_ID, Paging::first(5000))
        .first()
        .await
        .unwrap();
    assert_eq!(capped.limit, Some(200));
    let all = c
        .group_members(&everyone.id, Paging::first(200), &[])
        .all()
        .await
        .unwrap();
    assert_eq!(all.len(), 1500);
    assert_eq!(all[0].account_id.as_deref(), Some(DEMO_ACCOUNT_ID));

    let err = c
        .group_members("no-such-group", Paging::first(10), &[])
        .first()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    let err = c
        .group_memberships("nobody", Paging::first(10))
        .first()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    s.stop().await;
}

#[tokio::test]
async fn spaces_list_filter_and_page() {
    // v1 `GET /space` is served only with `v1_spaces`: Cloud has removed it.
    let s = v1_server().await;
    let c = client(&s, false);
    let all = c
        .spaces(&SpaceFilter::default(), Paging::first(25))
        .all()
        .await
        .unwrap();
    assert_eq!(all.len(), 40);
    let personal = c
        .spaces(
            &SpaceFilter {
                kind: Some("personal".into()),
                ..SpaceFilter::default()
            },
            Paging::first(5),
        )
        .all()
        .await
        .unwrap();
    assert!(personal.len() >= 10);
    assert!(personal.iter().all(|sp| sp.key.starts_with('~')));
    let eng = c
        .spaces(
            &SpaceFilter {
                keys: vec!["ENG".into(), "HR".into()],
                expand: vec!["description.plain".into(), "icon".into()],
                ..SpaceFilter::default()
            },
            Paging::first(25),
        )
        .first()
        .await
        .unwrap();
    assert_eq!(eng.results.len(), 2);
    // In the site's order (v2 lists by id): found by key.
    let eng = eng.results.iter().find(|sp| sp.key == "ENG").unwrap();
    assert!(eng.description.is_some());
    assert!(eng.icon.is_some());
    assert_eq!(eng.links.webui.as_deref(), Some("/spaces/ENG"));
    s.stop().await;
}
