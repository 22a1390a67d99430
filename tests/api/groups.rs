//! Groups: a user's memberships, the site's groups (by access type), the group picker, and a
//! group's members by id. All rows of the serve/call/assert shape (see `call`).
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::call::Call;
use crate::support::mock::ok_json;
use crate::ACCOUNT;
use confdir::api::model::User;
use confdir::api::{GroupAccess, Paging, UserExpand};
use pretty_assertions::assert_eq;

/// The group whose members the member rows list.
const GROUP: &str = "e50e7fe6-7961-4775-9bbf-99e4b50f8701";

calls! {
    group_memberships_send_account_and_paging_and_decode_groups => Call::get("/user/memberof")
        .query(&[("accountId", ACCOUNT), ("start", "4"), ("limit", "2")])
        .answers(ok_json("group-array-with-links.page1.constructed.json"))
        .then(|c| async move {
            let page = c
                .group_memberships(ACCOUNT, Paging { start: 4, limit: 2 })
                .first()
                .await
                .expect("memberships");
            let names: Vec<&str> = page.results.iter().map(|g| g.name.as_str()).collect();
            assert_eq!(names, vec!["confluence-users", "site-admins"]);
            assert_eq!(page.results[0].id, "e50e7fe6-7961-4775-9bbf-99e4b50f8701");
            assert_eq!(page.results[1].managed_by.as_deref(), Some("ADMINS"));
            assert!(page.has_next(), "the fixture announces a next page");
        });
    /// Without an access type: paging only.
    groups_list_sends_paging_and_decodes => Call::get("/group")
        .query(&[("start", "0"), ("limit", "200")])
        .answers(ok_json("group-array-with-links.atlassian-docs-sample.json"))
        .then(|c| async move {
            let page = c.groups(Paging::first(200), None).first().await.expect("groups");
            assert_eq!(page.results[0].usage_type.as_deref(), Some("USERBASE_GROUP"));
            assert_eq!(page.total_size, Some(150));
        });
    groups_list_sends_access_type_user => Call::get("/group")
        .query(&[("start", "10"), ("limit", "5"), ("accessType", "user")])
        .answers(ok_json("group-array-with-links.atlassian-docs-sample.json"))
        .then(|c| async move {
            c.groups(Paging { start: 10, limit: 5 }, Some(GroupAccess::User))
                .first()
                .await
                .expect("groups by access");
        });
    groups_list_sends_access_type_admin => Call::get("/group")
        .query(&[("start", "10"), ("limit", "5"), ("accessType", "admin")])
        .answers(ok_json("group-array-with-links.atlassian-docs-sample.json"))
        .then(|c| async move {
            c.groups(Paging { start: 10, limit: 5 }, Some(GroupAccess::Admin))
                .first()
                .await
                .expect("groups by access");
        });
    groups_list_sends_access_type_site_admin => Call::get("/group")
        .query(&[("start", "10"), ("limit", "5"), ("accessType", "site-admin")])
        .answers(ok_json("group-array-with-links.atlassian-docs-sample.json"))
        .then(|c| async move {
            c.groups(Paging { start: 10, limit: 5 }, Some(GroupAccess::SiteAdmin))
                .first()
                .await
                .expect("groups by access");
        });
    group_picker_sends_the_query => Call::get("/group/picker")
        .query(&[("query", "conf users"), ("start", "0"), ("limit", "50")])
        .answers(ok_json("group-array-with-links.page1.constructed.json"))
        .then(|c| async move {
            let page = c
                .search_groups("conf users", Paging::first(50))
                .first()
                .await
                .expect("picker");
            assert_eq!(page.results[0].name, "confluence-users");
        });
    group_members_by_id_ask_for_total_size => Call::get(format!("/group/{GROUP}/membersByGroupId"))
        .query(&[("start", "0"), ("limit", "200"), ("shouldReturnTotalSize", "true")])
        .answers(ok_json("user-array-members.constructed.json"))
        .then(|c| async move {
            let page = c
                .group_members(GROUP, Paging::first(200), &[])
                .first()
                .await
                .expect("members");
            assert_eq!(page.total_size, Some(2));
            let names: Vec<&str> = page.results.iter().map(User::name).collect();
            assert_eq!(names, vec!["Artem Stepin", "John Doe"]);
        });
    group_members_by_id_send_the_expand => Call::get(format!("/group/{GROUP}/membersByGroupId"))
        .query(&[
            ("start", "200"),
            ("limit", "50"),
            ("shouldReturnTotalSize", "true"),
            ("expand", "personalSpace"),
        ])
        .answers(ok_json("user-array-members.constructed.json"))
        .then(|c| async move {
            c.group_members(GROUP, Paging { start: 200, limit: 50 }, &[UserExpand::PersonalSpace])
                .first()
                .await
                .expect("members expanded");
        });
}
