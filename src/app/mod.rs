//! The application state machine: state, actions, commands, the pure `update`, and the keymap.
//!
//! Nothing in `app/` does I/O, reads a clock, or knows tokio or reqwest: every decision is visible in
//! the returned [`Command`]s, so tests can feed actions and assert both state and commands.

pub mod action;
pub mod command;
pub mod command_line;
pub mod compare;
pub mod directory;
pub mod export;
pub mod keymap;
pub mod list_view;
pub mod lists;
pub mod property_edit;
pub mod request;
pub mod setup;
pub mod state;
pub mod sync;
pub mod update;
pub mod watch_many;

pub use action::Action;
pub use command::Command;
pub use request::{Loadable, RequestId, Slot};
pub use state::{Focus, Mode, State};
pub use update::update;

/// "1,204": thousands separators for counts.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
