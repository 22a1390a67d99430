//! `/user/email` and `/user/email/bulk`: the real addresses of people, mirroring `api/email.rs`.
//!
//! They reveal a person's real address even when privacy settings hide it from the profile
//! answers of `users.rs`. They only read the seeded directory.

use super::users::{bulk_ids, find_user, IdForm};
use super::{ok_json, to_json, Answer, AppState, Ctx};
use crate::api::model::AccountIdEmailRecord;
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
        .map(|u| {
            let p = &dir.users[u as usize];
            AccountIdEmailRecord {
                account_id: p.account_id.clone(),
                email: p.email.clone(),
            }
        })
        .collect();
    ok_json(to_json(&records)?)
}
