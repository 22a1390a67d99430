//! A loopback client (the demo, the tests) must work on a machine without CA certificates:
//! reqwest's platform verifier refuses to build there even for plain http, and the client falls
//! back to a verifier-less build for loopback hosts only.

use std::process::Command;

#[test]
fn the_demo_works_when_no_ca_certificates_can_be_found() {
    let home = tempfile::tempdir().expect("temp dir");
    let out = Command::new(env!("CARGO_BIN_EXE_confdir"))
        .args(["--demo", "users", "search", "lovelace", "--limit", "1"])
        .env("SSL_CERT_FILE", home.path().join("no-such-bundle.pem"))
        .env("SSL_CERT_DIR", home.path().join("no-such-dir"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .env("NO_COLOR", "1")
        .output()
        .expect("run confdir");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "stdout: {stdout}\nstderr: {stderr}");
    assert!(stdout.contains("Ada Lovelace"), "{stdout}");
}
