//! A loopback client (the demo, the tests) must work on a machine without CA certificates:
//! reqwest's platform verifier refuses to build there even for plain http, and the client falls
//! back to a verifier-less build for loopback hosts only.

// Tests unwrap: a panic is a failed test that says where (the crate denies it elsewhere).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::home::Home;

#[test]
fn the_demo_works_when_no_ca_certificates_can_be_found() {
    let home = Home::new();
    let out = home
        .command(&["--demo", "users", "search", "lovelace", "--limit", "1"])
        .env("SSL_CERT_FILE", home.join("no-such-bundle.pem"))
        .env("SSL_CERT_DIR", home.join("no-such-dir"))
        .env("NO_COLOR", "1")
        .output()
        .expect("run confdir");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "stdout: {stdout}\nstderr: {stderr}");
    assert!(stdout.contains("Ada Lovelace"), "{stdout}");
}
