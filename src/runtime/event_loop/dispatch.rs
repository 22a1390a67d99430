//! Carrying out an action on the event loop: `update`, then its commands (network work to the
//! worker, local effects here, a failed effect fed back through `update`), and the slow-work log
//! (`CONFDIR_LOG=confdir::slow=debug`) that names any update or frame over [`SLOW`].

use super::Effects;
use crate::api::Client;
use crate::app::action::Done;
use crate::app::state::State;
use crate::app::{update, Action, Command};
use crate::runtime::worker::Worker;
use chrono::Utc;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// Sets the clock, runs `update`, and carries out the commands.
pub(super) fn dispatch(
    state: &mut State,
    action: Action,
    worker: &mut Worker,
    effects: &mut dyn Effects,
    client: &Client,
) {
    state.now = Utc::now();
    // Named only when the slow-work log is on: no formatting on every key otherwise.
    let label = slow_log_on().then(|| slow_label(&action));
    let began = Instant::now();
    let commands = update::update(state, action);
    settle(state, commands, worker, effects, client);
    if let Some(label) = label {
        note_if_slow("update", &label, began);
    }
}

/// Whether the slow-work log is on (`CONFDIR_LOG=confdir::slow=debug`).
pub(super) fn slow_log_on() -> bool {
    tracing::enabled!(target: "confdir::slow", tracing::Level::DEBUG)
}

/// Work on the event loop longer than this is logged (`CONFDIR_LOG=confdir::slow=debug`): the
/// key-to-screen budget's median, so what makes a key late can be found.
const SLOW: Duration = Duration::from_millis(8);

/// What an action was, in a few words for the slow-work log (never a server's text: the
/// variant's name and, for an answer, its slot).
pub(super) fn slow_label(action: &Action) -> String {
    match action {
        Action::Intent(intent) => {
            let text = format!("{intent:?}");
            text.split(['(', ' ', '{'])
                .next()
                .unwrap_or_default()
                .to_string()
        }
        Action::Loaded(loaded) => format!("answer {:?}", loaded.request().0),
        Action::Runtime(_) => "runtime".into(),
        Action::Done(_) => "done".into(),
    }
}

/// Logs `what` (of `label`) when it took longer than [`SLOW`].
pub(super) fn note_if_slow(what: &str, label: &str, began: Instant) {
    let took = began.elapsed();
    if took > SLOW {
        tracing::debug!(target: "confdir::slow", "{what} {label}: {} ms", took.as_millis());
    }
}

/// Carries out `commands`, then feeds every local effect that failed back through `update`, one
/// by one in order, until no failure is left: each reaches the error log, not only the last.
pub(super) fn settle(
    state: &mut State,
    commands: Vec<Command>,
    worker: &mut Worker,
    effects: &mut dyn Effects,
    client: &Client,
) {
    // A local effect that fails comes back as an action, so the state changes only in `update`.
    let mut failures: VecDeque<Action> = run_commands(commands, worker, effects, client).into();
    while let Some(failure) = failures.pop_front() {
        state.now = Utc::now();
        let commands = update::update(state, failure);
        failures.extend(run_commands(commands, worker, effects, client));
    }
}

/// Runs every command in order; returns the failures, one action each.
fn run_commands(
    commands: Vec<Command>,
    worker: &mut Worker,
    effects: &mut dyn Effects,
    client: &Client,
) -> Vec<Action> {
    commands
        .into_iter()
        .filter_map(|command| run_command(command, worker, effects, client))
        .collect()
}

/// Hands network work to the worker and carries out local effects; a failed effect is returned
/// as the action that reports it.
fn run_command(
    command: Command,
    worker: &mut Worker,
    effects: &mut dyn Effects,
    client: &Client,
) -> Option<Action> {
    let failure = match command {
        Command::Copy { text } => effects.copy(&text).err().map(|e| {
            format!(
                "Could not copy to the clipboard: {}.",
                e.trim_end_matches('.')
            )
        }),
        Command::OpenUrl { path } => match client.web_url(&path) {
            Some(url) => effects.open(url.as_str()).err(),
            None => Some(format!("Could not make a link to {path} on this site.")),
        },
        other => {
            worker.execute(other);
            None
        }
    };
    failure.map(|message| Done::EffectFailed { message }.into())
}
