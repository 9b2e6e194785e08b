//! Data-driven evaluation tests: every `tests/cases/eval/*.json` file holds a list of cases, each
//! with policies, an optional permissions boundary and requests with the expected decision.
//!
//! Policies are named `p0`, `p1`, ... in order; matched statements are written `p0/1`
//! (statement 1 of policy p0) or `boundary/0`.

#![allow(clippy::unwrap_used, reason = "a test may panic")]

use std::path::Path;

use policy::{CompiledPolicySet, Context, Decision, Request, parse};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    policies: Vec<serde_json::Value>,
    #[serde(default)]
    boundary: Option<serde_json::Value>,
    requests: Vec<CaseRequest>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseRequest {
    action: String,
    resource: String,
    #[serde(default)]
    context: Context,
    expect: Decision,
    /// Matched statements as `p<policy>/<statement>` or `boundary/<statement>`, in order.
    #[serde(default)]
    matched: Option<Vec<String>>,
    /// How many evaluation errors are expected (default: none).
    #[serde(default)]
    errors: usize,
    #[serde(default)]
    #[expect(dead_code, reason = "documentation for the reader of the case file")]
    note: Option<String>,
}

fn run_file(path: &Path) -> (usize, Vec<String>) {
    let text = std::fs::read_to_string(path).unwrap();
    let cases: Vec<Case> =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut count = 0;
    let mut failures = Vec::new();
    for case in cases {
        let docs: Vec<_> = case
            .policies
            .iter()
            .map(|p| parse(&p.to_string()).unwrap_or_else(|e| panic!("{}: policy: {e}", case.name)))
            .collect();
        let boundary = case.boundary.as_ref().map(|b| {
            parse(&b.to_string()).unwrap_or_else(|e| panic!("{}: boundary: {e}", case.name))
        });
        let named: Vec<(String, &policy::PolicyDocument)> = docs
            .iter()
            .enumerate()
            .map(|(i, d)| (format!("p{i}"), d))
            .collect();
        let set = CompiledPolicySet::new(&named, boundary.as_ref());
        for (i, r) in case.requests.iter().enumerate() {
            count += 1;
            let request = Request {
                action: r.action.clone(),
                resource: r.resource.clone(),
                context: r.context.clone(),
            };
            let response = set.evaluate(&request);
            let label = format!(
                "{}: {} #{i} ({} on {})",
                path.display(),
                case.name,
                r.action,
                r.resource
            );
            if response.decision != r.expect {
                failures.push(format!(
                    "{label}: expected {:?}, got {:?}: {response:?}",
                    r.expect, response.decision
                ));
                continue;
            }
            if let Some(expected) = &r.matched {
                let got: Vec<String> = response
                    .matched
                    .iter()
                    .map(|m| {
                        let policy = if m.boundary {
                            "boundary"
                        } else {
                            m.policy.as_str()
                        };
                        format!("{policy}/{}", m.statement_index)
                    })
                    .collect();
                if &got != expected {
                    failures.push(format!(
                        "{label}: expected matched {expected:?}, got {got:?}"
                    ));
                }
            }
            if response.errors.len() != r.errors {
                failures.push(format!(
                    "{label}: expected {} errors, got {:?}",
                    r.errors, response.errors
                ));
            }
        }
    }
    (count, failures)
}

#[test]
fn eval_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/eval");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    let mut total = 0;
    let mut failures = Vec::new();
    for path in &paths {
        let (n, f) = run_file(path);
        total += n;
        failures.extend(f);
    }
    assert!(
        failures.is_empty(),
        "{} of {total} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(total >= 150, "only {total} evaluation cases");
    eprintln!("{total} evaluation cases passed in {} files", paths.len());
}
