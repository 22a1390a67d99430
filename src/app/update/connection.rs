//! The connection's state, as the title bar shows it: read from the outcomes of requests.
//!
//! A request that got no answer (the server could not be reached, or did not answer in time)
//! makes the site offline, from that moment until a request gets an answer again; any answer,
//! even an error status, proves the site is reachable. Only live answers count (a stale one is
//! dropped whole, as everywhere in `update`).

use crate::api::ApiError;
use crate::app::action::{Done, Loaded};
use crate::app::state::{Connection, State};

/// What an answer says about the connection: `Some(true)` the site answered, `Some(false)` it
/// could not be reached, `None` nothing (an input refused before it was sent).
pub(super) fn loaded_reached(loaded: &Loaded) -> Option<bool> {
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
pub(super) fn done_reached(done: &Done) -> Option<bool> {
    match done {
        Done::WatchStatusLoaded { result, .. } => reached(result.as_ref().err()),
        Done::WatchSet { result, .. } => reached(result.as_ref().err()),
        _ => None,
    }
}

/// Whether a request that ended in `error` (none: it succeeded) reached the site.
fn reached(error: Option<&ApiError>) -> Option<bool> {
    match error {
        None => Some(true),
        Some(
            ApiError::Network { .. } | ApiError::Timeout { .. } | ApiError::OutcomeUnknown { .. },
        ) => Some(false),
        Some(ApiError::InvalidInput(_)) => None,
        Some(_) => Some(true),
    }
}

/// Updates the connection's state from whether a request reached the site.
pub(super) fn observe(state: &mut State, reached: Option<bool>) {
    let next = match (reached, state.connection) {
        (Some(true), Connection::Live) | (Some(false), Connection::Offline { .. }) | (None, _) => {
            return
        }
        (Some(true), _) => Connection::Live,
        (Some(false), _) => Connection::Offline { since: state.now },
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
}
