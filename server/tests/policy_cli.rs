//! `portcullis policy validate` and `portcullis policy simulate` as a script would run them.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn policy_command(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_portcullis"))
        .arg("policy")
        .args(args)
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

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

const MISSPELLED: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"}]
}"#;

#[test]
fn validate_reports_an_error_with_its_position_and_exits_1() {
    let out = policy_command(&["validate"], MISSPELLED);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(
        text.contains("<stdin>:3:") && text.contains("error INVALID_ACTION"),
        "{text}"
    );
    assert!(text.contains("s3:GetObject"), "did you mean: {text}");
    assert!(text.contains("1 errors"), "{text}");
}

#[test]
fn validate_reads_a_file_and_prints_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("ok.json");
    std::fs::write(
        &file,
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}]}"#,
    )
    .expect("write policy");
    let out = policy_command(
        &["validate", "--json", file.to_str().expect("utf-8 path")],
        "",
    );
    assert!(out.status.success(), "{}", stdout(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON output");
    assert!(
        json["findings"]
            .as_array()
            .is_some_and(|f| f.iter().all(|f| f["finding_type"] != "ERROR"))
    );
}

#[test]
fn validate_names_a_missing_file() {
    let out = policy_command(&["validate", "/nonexistent/policy.json"], "");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`/nonexistent/policy.json`"), "{err}");
}

#[test]
fn simulate_prints_one_decision_per_request() {
    let input = r#"{
      "policies": [
        {"Version": "2012-10-17", "Statement": [
          {"Sid": "Home", "Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::corp/home/${aws:username}/*"},
          {"Sid": "NoDelete", "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}
        ]}
      ],
      "requests": [
        {"action": "s3:GetObject", "resource": "arn:aws:s3:::corp/home/mary/a.txt", "context": {"aws:username": "mary"}},
        {"action": "s3:GetObject", "resource": "arn:aws:s3:::corp/home/diego/a.txt", "context": {"aws:username": "mary"}},
        {"action": "S3:deleteobject", "resource": "arn:aws:s3:::corp/home/mary/a.txt", "context": {"aws:username": "mary"}}
      ]
    }"#;
    let out = policy_command(&["simulate"], input);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let decisions: Vec<&str> = lines
        .iter()
        .map(|l| l["decision"].as_str().expect("decision"))
        .collect();
    assert_eq!(decisions, ["Allow", "ImplicitDeny", "ExplicitDeny"]);
    assert_eq!(lines[0]["matched"][0]["sid"], "Home");
    assert_eq!(lines[2]["matched"][0]["sid"], "NoDelete");
}

#[test]
fn simulate_refuses_a_policy_with_a_principal() {
    let input = r#"{"policies": [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}]}], "requests": []}"#;
    let out = policy_command(&["simulate"], input);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("policy 0"), "{err}");
}
