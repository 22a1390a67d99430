//! Spaces: the list with every filter, decoded. Rows of the serve/call/assert shape (see
//! `call`).
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::call::Call;
use crate::support::mock::ok_json;
use confdir::api::{Paging, SpaceFilter};
use pretty_assertions::assert_eq;

calls! {
    spaces_without_a_filter_send_paging_and_decode => Call::get("/space")
        .query(&[("start", "0"), ("limit", "25")])
        .answers(ok_json("space-list.go-atlassian.json"))
        .then(|c| async move {
            let page = c
                .spaces(&SpaceFilter::default(), Paging::first(25))
                .first()
                .await
                .expect("spaces");
            let keys: Vec<&str> = page.results.iter().map(|s| s.key.as_str()).collect();
            assert_eq!(keys, vec!["DS", "DUMMY"]);
            assert_eq!(page.results[0].links.webui.as_deref(), Some("/spaces/DS"));
        });
    spaces_send_every_filter => Call::get("/space")
        .query(&[
            ("spaceKey", "ENG"),
            ("spaceKey", "~alice"),
            ("type", "global"),
            ("status", "current"),
            ("label", "team"),
            ("favourite", "true"),
            ("expand", "icon,description.plain"),
            ("start", "25"),
            ("limit", "25"),
        ])
        .answers(ok_json("space-list.go-atlassian.json"))
        .then(|c| async move {
            let filter = SpaceFilter {
                keys: vec!["ENG".into(), "~alice".into()],
                kind: Some("global".into()),
                status: Some("current".into()),
                label: Some("team".into()),
                favourite: Some(true),
                expand: vec!["icon".into(), "description.plain".into()],
            };
            c.spaces(&filter, Paging { start: 25, limit: 25 })
                .first()
                .await
                .expect("filtered spaces");
        });
}
