//! The connection's state, as the title bar shows it: read from the outcomes of requests.
//!
//! A request that got no answer (the server could not be reached, or did not answer in time)
//! makes the site offline, from that moment until a request gets an answer again; any answer,
//! even an error status, proves the site is reachable. Only live answers count (a stale one is
//! dropped whole, as everywhere in `update`).

use crate::api::ApiError;
use crate::app::action::{Done, Loaded};
use crate::app::state::{Connection, State};

/// What an answer says about the connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reach {
    /// The site answered.
    Answered,
    /// No answer: unreachable, or none in time.
    Unreachable,
    /// The site answered 401: the credentials are refused.
    Refused,
}

/// What an answer says about the connection; `None` nothing (an input refused before it was
/// sent).
pub(super) fn loaded_reached(loaded: &Loaded) -> Option<Reach> {
    reached(match loaded {
        Loaded::Me { result, .. } | Loaded::Profile { result, .. } => result.as_ref().err(),
        Loaded::Search { result, .. } => result.as_ref().err(),
        Loaded::Email { result, .. } => result.as_ref().err(),
        Loaded::PropertyKeys { result, .. } => result.as_ref().err(),
        Loaded::Property { result, .. } => result.as_ref().err(),
        Loaded::Groups { result, .. } => result.as_ref().err(),
        Loaded::Members { result, .. } => result.as_ref().err(),
        Loaded::Spaces { result, .. } => result.as_ref().err(),
        Loaded::CompareGroups { result, .. } => result.as_ref().err(),
        Loaded::GroupEmails { result, .. } => result.as_ref().err(),
        Loaded::FoundGroups { result, .. } => result.as_ref().err(),
    })
}

/// What the outcome of unslotted work says about the connection; `None` for local work.
pub(super) fn done_reached(done: &Done) -> Option<Reach> {
    match done {
        Done::WatchStatusLoaded { result, .. } => reached(result.as_ref().err()),
        Done::WatchSet { result, .. } => reached(result.as_ref().err()),
        _ => None,
    }
}

/// What a request that ended in `error` (none: it succeeded) says about the connection.
fn reached(error: Option<&ApiError>) -> Option<Reach> {
    match error {
        None => Some(Reach::Answered),
        Some(
            ApiError::Network { .. } | ApiError::Timeout { .. } | ApiError::OutcomeUnknown { .. },
        ) => Some(Reach::Unreachable),
        Some(ApiError::Unauthorized { .. }) => Some(Reach::Refused),
        Some(ApiError::InvalidInput(_)) => None,
        Some(_) => Some(Reach::Answered),
    }
}

/// Updates the connection's state from what a request's end says (a state already so keeps
/// when it began).
pub(super) fn observe(state: &mut State, reach: Option<Reach>) {
    let next = match (reach, state.connection) {
        (None, _)
        | (Some(Reach::Answered), Connection::Live)
        | (Some(Reach::Unreachable), Connection::Offline { .. })
        | (Some(Reach::Refused), Connection::Refused { .. }) => return,
        (Some(Reach::Answered), _) => Connection::Live,
        (Some(Reach::Unreachable), _) => Connection::Offline { since: state.now },
        (Some(Reach::Refused), _) => Connection::Refused { since: state.now },
    };
    state.connection = next;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::{Page, Space};
    use crate::app::request::Slot;
    use crate::app::update::update;

    /// Asks for the spaces again (so the answer is live) and answers with `result`.
    fn answer_spaces(state: &mut State, result: Result<Page<Space>, ApiError>) {
        let id = state.next_id();
        state.pending.insert(Slot::Spaces, id);
        update(state, Loaded::Spaces { id, result });
    }

    fn network() -> ApiError {
        ApiError::Network {
            endpoint: "GET /space".into(),
            detail: "connection refused".into(),
        }
    }

    #[test]
    fn no_answer_is_offline_until_an_answer_comes() {
        let t0: chrono::DateTime<chrono::Utc> = "2026-01-15T12:00:00Z".parse().unwrap();
        let mut state = State::new("acme", Vec::new(), t0);
        assert_eq!(state.connection, Connection::Unknown);
        answer_spaces(&mut state, Err(network()));
        assert_eq!(state.connection, Connection::Offline { since: t0 });
        // Still offline later: the time is when it went offline.
        state.now = t0 + chrono::Duration::minutes(3);
        let timeout = ApiError::Timeout {
            endpoint: "GET /space".into(),
            waiting_for: crate::api::Waited::Connection,
            after: std::time::Duration::from_secs(5),
            attempts: 2,
        };
        answer_spaces(&mut state, Err(timeout));
        assert_eq!(state.connection, Connection::Offline { since: t0 });
        // An error status is an answer: the site is reachable.
        let unavailable = ApiError::Server {
            endpoint: "GET /space".into(),
            status: 503,
            message: String::new(),
        };
        answer_spaces(&mut state, Err(unavailable));
        assert_eq!(state.connection, Connection::Live);
        answer_spaces(&mut state, Err(network()));
        answer_spaces(&mut state, Ok(Page::default()));
        assert_eq!(state.connection, Connection::Live);
    }

    #[test]
    fn a_refused_token_is_said_until_the_site_answers_again() {
        let t0: chrono::DateTime<chrono::Utc> = "2026-01-15T12:00:00Z".parse().unwrap();
        let mut state = State::new("acme", Vec::new(), t0);
        answer_spaces(&mut state, Ok(Page::default()));
        assert_eq!(state.connection, Connection::Live);
        let refused = || ApiError::Unauthorized {
            endpoint: "GET /space".into(),
            message: String::new(),
        };
        answer_spaces(&mut state, Err(refused()));
        assert_eq!(state.connection, Connection::Refused { since: t0 });
        state.now = t0 + chrono::Duration::minutes(2);
        answer_spaces(&mut state, Err(refused()));
        assert_eq!(state.connection, Connection::Refused { since: t0 });
        // Signed in again (another token in the keyring, say): live.
        answer_spaces(&mut state, Ok(Page::default()));
        assert_eq!(state.connection, Connection::Live);
    }
}
