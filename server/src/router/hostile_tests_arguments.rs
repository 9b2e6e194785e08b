//! Injection-shaped values in every argument of every registered server function. The arguments
//! are not listed here: each function's are found by calling it and reading the `missing field`
//! it answers (then a number, `true` or an enum value is tried where text does not decode), so a
//! new function or argument is covered as soon as it exists. Every answer must be a success or a
//! readable 4xx: never a 500, a panic or a hang.

use http::{Method, StatusCode};
use serde_json::Value;

use super::hostile_tests::{
    Fixture, NO_REQUIRED_ARGUMENTS, checked_refusal, encode, fixture, server_functions, text,
};

const HOSTILE: &[&str] = &[
    "'; DROP TABLE users; --",
    "\" OR 1=1 --",
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "../../../../etc/passwd",
    "arn:aws:iam::123456789012:policy/../../x",
    "\u{0}\u{1}\u{7f}\u{202e}",
    "%00%ff%",
    "  ",
    "",
];

/// Values tried, in order, for an argument whose text does not decode.
const TYPED: &[&str] = &["1", "true", "User"];

async fn call(
    fx: &Fixture,
    path: &str,
    method: &Method,
    args: &[(String, String)],
) -> (StatusCode, String) {
    let encoded: Vec<String> = args
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    let encoded = encoded.join("&");
    let response = if *method == Method::GET {
        fx.get(&format!("{path}?{encoded}"), Some(&fx.root)).await
    } else {
        fx.post_form(path, Some(&fx.root), &encoded).await
    };
    let status = response.status();
    (status, text(response).await)
}

/// The argument a 400 says is missing.
fn missing_argument(body: &str) -> Option<String> {
    let json: Value = serde_json::from_str(body).ok()?;
    let message = json["Invalid"][0]["message"].as_str()?;
    let (_, rest) = message.split_once("missing field `")?;
    Some(rest.split_once('`')?.0.to_owned())
}

fn undecodable(body: &str) -> bool {
    body.contains("could not be read")
}

/// The function's arguments with values that decode: text where text does, else a typed value.
/// `None` when they cannot be found within a few rounds.
async fn discover(
    fx: &Fixture,
    path: &str,
    method: &Method,
) -> Option<Vec<(String, String, bool)>> {
    let mut args: Vec<(String, String, bool)> = Vec::new();
    for _ in 0..16 {
        let pairs: Vec<(String, String)> = args
            .iter()
            .map(|(k, v, _)| (k.clone(), v.clone()))
            .collect();
        let (status, body) = call(fx, path, method, &pairs).await;
        assert!(
            !status.is_server_error(),
            "{path} {pairs:?}: {status} {body}"
        );
        if let Some(name) = missing_argument(&body) {
            args.push((name, "x".to_owned(), true));
            continue;
        }
        if status == StatusCode::BAD_REQUEST && undecodable(&body) {
            // The last argument added is text that did not decode: try typed values, then a
            // nested struct's field.
            let (name, value, textual) = args.last_mut()?;
            let next = if *textual {
                Some(TYPED[0].to_owned())
            } else {
                TYPED
                    .iter()
                    .position(|t| t == value)
                    .and_then(|i| TYPED.get(i + 1))
                    .map(|t| (*t).to_owned())
            };
            *textual = false;
            match next {
                Some(v) => *value = v,
                None if !name.contains('[') => {
                    *name = format!("{name}[value]");
                    *value = "x".to_owned();
                    *textual = true;
                }
                None => return None,
            }
            continue;
        }
        return Some(args);
    }
    None
}

#[tokio::test]
async fn every_argument_of_every_server_function_takes_hostile_text() {
    let fx = fixture().await;
    let mut problems = Vec::new();
    let mut covered = 0;
    for (path, method) in server_functions() {
        if NO_REQUIRED_ARGUMENTS.contains(&path.as_str()) {
            continue;
        }
        let Some(args) = discover(&fx, &path, &method).await else {
            problems.push(format!("{path}: its arguments could not be found"));
            continue;
        };
        covered += 1;
        for hostile in HOSTILE {
            // A URI stays under 64 KiB (the `http` crate's limit); a body may be larger.
            let long = hostile.repeat(if method == Method::GET { 200 } else { 2_000 });
            for value in [*hostile, long.as_str()] {
                let pairs: Vec<(String, String)> = args
                    .iter()
                    .map(|(k, v, textual)| {
                        (
                            k.clone(),
                            if *textual {
                                value.to_owned()
                            } else {
                                v.clone()
                            },
                        )
                    })
                    .collect();
                let (status, body) = call(&fx, &path, &method, &pairs).await;
                let what = format!("{method} {path} with {:.60?}", pairs);
                if status.is_success() || status.is_redirection() {
                    continue;
                }
                let response = http::Response::builder()
                    .status(status)
                    .body(axum::body::Body::from(body))
                    .unwrap();
                if let Err(problem) = checked_refusal(&what, response).await {
                    problems.push(problem);
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(covered >= 50, "only {covered} functions reached");
    // Still signed in, and the account is intact.
    assert_eq!(
        fx.get("/api/whoami", Some(&fx.root)).await.status(),
        StatusCode::OK
    );
}
