//! The glue: terminal set-up and restore, the event loop that owns the state, the worker that runs
//! commands as tokio tasks, and the pins file.

pub mod cache;
pub mod event_loop;
pub mod pins;
pub mod setup;
pub mod terminal;
pub mod worker;

pub use event_loop::{run_tui, TuiOptions};
