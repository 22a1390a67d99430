//! The glue: terminal set-up and restore, the event loop that owns the state, the worker that runs
//! commands as tokio tasks, and the files kept between runs (pins, the directory cache).
//!
//! It decides nothing about what the screen shows: every change of state goes through
//! `app::update`, and every result, failures included, comes back to it as an action.

pub mod cache;
pub mod editor;
pub mod event_loop;
pub mod export;
pub mod pins;
pub mod property_ops;
pub mod setup;
pub mod sync;
pub mod terminal;
pub mod worker;

pub use event_loop::{run_tui, TuiEnd, TuiOptions};
