//! Data-driven validation cases: every `tests/cases/validate/*.json` file holds an array of cases,
//! each a policy and the exact findings expected (as issue code, finding type and optional path;
//! order does not matter, and any extra or missing finding fails the case).

#![expect(
    clippy::unwrap_used,
    reason = "test helpers fail loudly on broken case files"
)]

use std::fs;
use std::path::Path;

use policy::validate::{FindingType, validate};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    /// The policy text, or a JSON object serialized before validation (with its members sorted by
    /// key: write the policy as a string when member order matters).
    policy: serde_json::Value,
    expected: Vec<Expected>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    issue_code: String,
    finding_type: FindingType,
    #[serde(default)]
    path: Option<String>,
}

fn load() -> Vec<(String, Case)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/validate");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        let list: Vec<Case> =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
        cases.extend(list.into_iter().map(|c| (stem.clone(), c)));
    }
    cases
}

#[test]
fn validate_cases() {
    let cases = load();
    let mut failures = Vec::new();
    for (file, case) in &cases {
        let src = match &case.policy {
            serde_json::Value::String(s) => s.clone(),
            other => serde_json::to_string_pretty(other).unwrap(),
        };
        let got = validate(&src).findings;
        let mut missing: Vec<Expected> = Vec::new();
        let mut unmatched: Vec<_> = got.iter().collect();
        for want in &case.expected {
            let pos = unmatched.iter().position(|f| {
                f.issue_code == want.issue_code
                    && f.finding_type == want.finding_type
                    && want.path.as_ref().is_none_or(|p| *p == f.location.path)
            });
            match pos {
                Some(i) => {
                    unmatched.remove(i);
                }
                None => missing.push(want.clone()),
            }
        }
        if !missing.is_empty() || !unmatched.is_empty() {
            let extra: Vec<String> = unmatched
                .iter()
                .map(|f| {
                    format!(
                        "{} {:?} at {}: {}",
                        f.issue_code, f.finding_type, f.location.path, f.message
                    )
                })
                .collect();
            failures.push(format!(
                "{file} / {}:\n  missing: {missing:?}\n  unexpected: {extra:#?}",
                case.name
            ));
        }
    }
    println!("{} validation cases", cases.len());
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn every_message_follows_the_style_guide() {
    for (_, case) in load() {
        let src = match &case.policy {
            serde_json::Value::String(s) => s.clone(),
            other => serde_json::to_string(other).unwrap(),
        };
        for f in validate(&src).findings {
            let first = f.message.chars().next().unwrap();
            assert!(
                !first.is_uppercase(),
                "{}: message starts uppercase: {}",
                case.name,
                f.message
            );
            assert!(
                !f.message.ends_with('.'),
                "{}: message ends with a period: {}",
                case.name,
                f.message
            );
            assert!(
                !f.message.contains('\n'),
                "{}: message has a line break",
                case.name
            );
            assert!(
                f.learn_more.starts_with("https://docs.aws.amazon.com/"),
                "{}",
                case.name
            );
        }
    }
}
