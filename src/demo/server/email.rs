//! `/user/email` and `/user/email/bulk`: the real addresses of people, mirroring `api/email.rs`.
//!
//! They reveal a person's real address even when privacy settings hide it from the profile
//! answers of `users.rs`. They only read the seeded directory.
//!
//! The bulk form leaves out accounts that are "not available" (contract,
//! `getPrivacyUnsafeUserEmailBulk`: "Any accounts which are not available will not be included in
//! the result"), as a real site does, so clients must match records by account id and keep the
//! others. Decision, where the contract names no case: an app's bot account has no address of a
//! person, so the demo treats it as not available and leaves it out.

use super::users::{bulk_ids, find_user, IdForm};
use super::{ok_json, to_json, Answer, AppState, Ctx};
use crate::api::model::AccountIdEmailRecord;
use crate::demo::seed::AccountKind;
use axum::extract::State;

pub(super) async fn user_email(State(shared): State<AppState>, ctx: Ctx) -> Answer {
    let user = find_user(&shared, &ctx)?;
    let p = &shared.dir().users[user as usize];
    ok_json(to_json(&AccountIdEmailRecord {
        account_id: p.account_id.clone(),
        email: p.email.clone(),
    })?)
}

pub(super) async fn user_email_bulk(State(shared): State<AppState>, ctx: Ctx) -> Answer {
    let ids = bulk_ids(&ctx, IdForm::CommaJoined)?;
    let dir = shared.dir();
    let records: Vec<AccountIdEmailRecord> = ids
        .iter()
        .filter_map(|id| dir.user_index(id))
        .map(|u| &dir.users[u as usize])
        .filter(|p| p.kind != AccountKind::App)
        .map(|p| AccountIdEmailRecord {
            account_id: p.account_id.clone(),
            email: p.email.clone(),
        })
        .collect();
    ok_json(to_json(&records)?)
}
