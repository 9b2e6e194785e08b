//! The `portcullis` binary as a person runs it: help, create-root, and start-up failures.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn portcullis(args: &[&str], database_url: &str, stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_portcullis"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("PORTCULLIS_ADDR", "127.0.0.1:0")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start portcullis");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait for portcullis")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn help_names_the_settings() {
    let output = portcullis(&["--help"], "sqlite::memory:", "");
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for needle in ["PORTCULLIS_ADDR", "DATABASE_URL", "create-root"] {
        assert!(help.contains(needle), "`{needle}` missing from --help");
    }
}

#[test]
fn create_root_reads_the_password_from_stdin_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!(
        "sqlite:{}",
        dir.path().join("nested/portcullis.db").display()
    );

    let weak = portcullis(
        &["create-root", "--email", "admin@example.com"],
        &url,
        "short\n",
    );
    assert!(!weak.status.success(), "a weak password must be refused");
    assert!(
        stderr(&weak).contains("8"),
        "the rule is named: {}",
        stderr(&weak)
    );

    let ok = portcullis(
        &["create-root", "--email", "admin@example.com"],
        &url,
        "Str0ng-enough-password\n",
    );
    assert!(ok.status.success(), "{}", stderr(&ok));
    assert!(
        dir.path().join("nested/portcullis.db").exists(),
        "the database file is created"
    );
    assert!(
        !stderr(&ok).contains("Str0ng-enough-password"),
        "the password is never echoed"
    );

    let again = portcullis(
        &["create-root", "--email", "other@example.com"],
        &url,
        "Str0ng-enough-password\n",
    );
    assert!(
        !again.status.success(),
        "a second root user must be refused"
    );
}

#[test]
fn an_unusable_database_stops_the_server_with_a_clear_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("not-a-database.db");
    std::fs::write(&path, vec![0x42u8; 8192]).expect("write garbage");
    let output = portcullis(&[], &format!("sqlite:{}", path.display()), "");
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(message.contains("error:"), "{message}");
    assert!(
        message.contains("not-a-database.db"),
        "the database is named: {message}"
    );
}

#[test]
fn a_bad_address_is_refused_with_the_setting_named() {
    let output = Command::new(env!("CARGO_BIN_EXE_portcullis"))
        .env("PORTCULLIS_ADDR", "localhost-3000")
        .env("DATABASE_URL", "sqlite::memory:")
        .output()
        .expect("run portcullis");
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("`localhost-3000`"),
        "{}",
        stderr(&output)
    );
}
