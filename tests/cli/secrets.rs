//! The token never appears in any output, nor in anything confdir writes.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::{Run, Site, CANARY};
use confdir::demo::DEMO_ACCOUNT_ID;
use std::path::PathBuf;

#[test]
fn the_token_never_appears_in_any_output() {
    let demo = Site::start();
    let commands: Vec<Vec<&str>> = vec![
        vec!["whoami"],
        vec!["whoami", "--json"],
        vec!["anonymous", "--json"],
        vec!["users", "search", "Lee", "--json"],
        vec!["users", "show", "me"],
        vec!["users", "bulk", DEMO_ACCOUNT_ID],
        vec!["users", "email", DEMO_ACCOUNT_ID],
        vec!["groups", "of", "me"],
        vec!["groups", "members", "site-admins"],
        vec!["groups", "list"],
        vec!["watch", "status", "space", "ENG"],
        vec!["props", "list", "me"],
        vec!["props", "get", "me", "team"],
        vec!["props", "set", "me", "team", "{\"a\":1}"],
        vec!["props", "delete", "me", "team"],
        vec!["spaces"],
        vec!["doctor"],
        vec!["doctor", "--json"],
    ];
    for args in &commands {
        let run: Run = demo
            .with_token(CANARY, args)
            .env("RUST_LOG", "trace")
            .env("RUST_BACKTRACE", "1")
            .output()
            .unwrap()
            .into();
        assert_ne!(run.code, 0, "{args:?} must fail with a wrong token");
        assert!(
            !run.stdout.contains(CANARY) && !run.stderr.contains(CANARY),
            "{args:?} leaked the token:\n{}\n{}",
            run.stdout,
            run.stderr
        );
    }
    // Nothing confdir wrote under its directories holds the token either.
    for dir in [
        demo.home.config_dir(),
        demo.home.data_dir(),
        demo.home.cache_dir(),
    ] {
        for entry in walk(&dir) {
            let text = std::fs::read_to_string(&entry).unwrap_or_default();
            assert!(!text.contains(CANARY), "{}", entry.display());
        }
    }
}

fn walk(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}
