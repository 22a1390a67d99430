//! What every integration test binary shares: one temporary home with a clean environment for
//! running the binary ([`home`]), one way to build an API client ([`client`]), one way to start
//! the embedded demo server ([`demo`]), a local mock Confluence and its fixtures ([`mock`]), and
//! the pseudo-terminal harness for end-to-end tests ([`pty`]).
//!
//! Each binary includes this module with `mod support;` (from a folder: `#[path =
//! "../support/mod.rs"] mod support;`). It holds mechanisms only: it must not assert what
//! confdir does (the tests say that; the support checks only its own plumbing, such as "exactly
//! one request"), and must not reach into `confdir` beyond its public API.

// Every test binary uses a different part of this module.
#![allow(dead_code)]

pub mod client;
pub mod demo;
pub mod home;
pub mod mock;
#[cfg(unix)]
pub mod pty;
