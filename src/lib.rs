//! confdir: a fast, keyboard-driven terminal UI for the people directory of a Confluence site.
//!
//! The crate is a library plus a thin binary so that tests and benchmarks reach every layer:
//! `api` (HTTP + the Confluence contract), `demo` (an embedded Confluence-compatible server),
//! `app` (pure state machine), `runtime` (event loop, worker, terminal), `ui` (drawing) and `cli`.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod api;
pub mod app;
pub mod cli;
pub mod commands;
pub mod config;
pub mod demo;
pub mod directory_sync;
pub mod files;
pub mod runtime;
pub mod sanitize;
pub mod ui;
