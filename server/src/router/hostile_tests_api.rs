//! Hostile input to the authorization API (`/api/v1/authorize` and `/batch`), beyond the cases in
//! `api/tests.rs`: oversized fields and batches at and over the limits, every field of the wrong
//! JSON type, deep nesting, bodies that are not UTF-8, odd content types and mangled keys. Each
//! answer is a JSON 4xx naming the field, or a decision: never a 500.

use http::{Request, StatusCode};
use iam::{Action, NewPolicy, NewUserSpec, Principal, RequestMeta, UnixTime};
use serde_json::{Value, json};

use super::hostile_tests::{Fixture, ROOT_EMAIL, fixture, readable_message, refusal, text};
use axum::body::Body;

const CALLER_POLICY: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "portcullis:Authorize", "Resource": "*"}]}"#;

/// `Bearer <id>:<secret>` of a user allowed to call the API.
async fn api_key(fx: &Fixture) -> String {
    let iam = &fx.state.iam;
    let account = iam.account().await.unwrap();
    let root = Principal::Root {
        account_id: account.id,
        email: ROOT_EMAIL.to_owned(),
    };
    let (meta, now) = (RequestMeta::default(), UnixTime::now());
    let arn = iam.policy_arn_for(None, "Callers").await.unwrap();
    let auth = iam
        .authorize(&root, Action::CreatePolicy, &arn)
        .await
        .unwrap();
    let policy = NewPolicy {
        name: "Callers".to_owned(),
        path: None,
        description: None,
        document: CALLER_POLICY.to_owned(),
        tags: Vec::new(),
    };
    iam.create_policy(&auth, policy, &meta, now).await.unwrap();
    let users = vec![NewUserSpec {
        policy_arns: vec![arn],
        ..NewUserSpec::named("service")
    }];
    let proofs = iam.authorize_create_users(&root, &users).await.unwrap();
    iam.create_users(&proofs, users, &meta, now).await.unwrap();
    let user = iam.user_arn_for(None, "service").await.unwrap();
    let auth = iam
        .authorize(&root, Action::CreateAccessKey, &user)
        .await
        .unwrap();
    let key = iam.create_access_key(&auth, &meta, now).await.unwrap();
    format!("Bearer {}:{}", key.access_key_id, key.secret.expose())
}

async fn call(
    fx: &Fixture,
    path: &str,
    key: &str,
    content_type: Option<&str>,
    body: impl Into<Body>,
) -> (StatusCode, Value) {
    let mut request = Request::post(path).header("authorization", key);
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    let response = fx.send(request.body(body.into()).unwrap()).await;
    let status = response.status();
    let body = text(response).await;
    assert!(!status.is_server_error(), "{path}: {status} {body}");
    let value = serde_json::from_str(&body).unwrap_or(Value::Null);
    if !status.is_success() {
        assert!(
            !readable_message(&value).trim().is_empty(),
            "{path}: {status} without a JSON error message: {body}"
        );
    }
    (status, value)
}

async fn single(fx: &Fixture, key: &str, body: impl Into<Body>) -> (StatusCode, Value) {
    call(fx, "/api/v1/authorize", key, Some("application/json"), body).await
}

fn message(answer: &Value) -> &str {
    answer["error"]["message"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn oversized_fields_and_batches_are_refused_naming_the_field() {
    let fx = fixture().await;
    let key = api_key(&fx).await;
    let long = "a".repeat(2049);
    for field in ["principal", "action", "resource"] {
        let mut request =
            json!({"principal": "service", "action": "s3:GetObject", "resource": "*"});
        request[field] = json!(if field == "action" {
            format!("s3:{long}")
        } else {
            long.clone()
        });
        let (status, answer) = single(&fx, &key, request.to_string()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{field}: {answer}");
        assert!(
            message(&answer).contains(&format!("`{field}` has more than 2048 characters")),
            "{answer}"
        );
    }
    // At the limits: 2,048 characters, 100 requests (about 220 KB) are answered.
    let at_limit =
        json!({"principal": "service", "action": "s3:GetObject", "resource": "b".repeat(2048)});
    let (status, answer) = single(&fx, &key, at_limit.to_string()).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let batch = json!({ "requests": vec![at_limit.clone(); 100] }).to_string();
    let (status, answer) = call(
        &fx,
        "/api/v1/authorize/batch",
        &key,
        Some("application/json"),
        batch,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["results"].as_array().unwrap().len(), 100);
    // One long field deep in a batch is named by its place.
    let mut requests = vec![at_limit; 5];
    requests[3]["resource"] = json!(long);
    let batch = json!({ "requests": requests }).to_string();
    let (status, answer) = call(
        &fx,
        "/api/v1/authorize/batch",
        &key,
        Some("application/json"),
        batch,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        message(&answer).contains("`requests[3].resource`"),
        "{answer}"
    );
    // 400,000 empty requests: over 1 MiB, refused before parsing, as JSON like every error.
    let many = format!(r#"{{"requests": [{}]}}"#, vec!["{}"; 400_000].join(","));
    let (status, answer) = call(
        &fx,
        "/api/v1/authorize/batch",
        &key,
        Some("application/json"),
        many,
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(answer["error"]["code"], "PayloadTooLarge");
    assert!(message(&answer).contains("1 MiB"), "{answer}");
}

#[tokio::test]
async fn wrong_json_types_deep_nesting_and_bad_bytes_are_400() {
    let fx = fixture().await;
    let key = api_key(&fx).await;
    let valid = json!({"principal": "service", "action": "s3:GetObject", "resource": "*"});
    let mut cases: Vec<String> = Vec::new();
    for field in ["principal", "action", "resource", "context"] {
        for wrong in [
            json!(null),
            json!(7),
            json!(true),
            json!(["s3:GetObject"]),
            json!({"a": 1}),
        ] {
            if field == "context" && wrong.is_object() {
                continue; // an object is the right type
            }
            let mut request = valid.clone();
            request[field] = wrong;
            cases.push(request.to_string());
        }
    }
    cases.extend([
        String::new(),
        "null".to_owned(),
        "[]".to_owned(),
        "\"text\"".to_owned(),
        "1e999".to_owned(),
        format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
        format!(
            r#"{{"principal": "service", "action": "s3:GetObject", "resource": "*", "context": {}{}}}"#,
            "{\"k\": ".repeat(10_000),
            "}".repeat(10_000)
        ),
        r#"{"principal": "a", "principal": "b", "action": "s3:GetObject", "resource": "*"}"#.to_owned(),
        r#"{"principal": "service", "action": "s3:GetObject", "resource": "*"} trailing"#.to_owned(),
        r#"{"principal": "\ud800", "action": "s3:GetObject", "resource": "*"}"#.to_owned(),
        r#"{"principal": "service", "action": "s3:GetObject", "resource": "*", "context": {"aws:SourceIp": {"nested": [1]}}}"#.to_owned(),
    ]);
    for body in cases {
        let shown: String = body.chars().take(120).collect();
        let (status, answer) = single(&fx, &key, body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{shown}: {answer}");
        assert_eq!(answer["error"]["code"], "ValidationException", "{shown}");
    }
    for batch in [
        json!({"requests": valid}),
        json!({"requests": "all"}),
        json!({"requests": [valid, 1]}),
        json!({"requests": [valid], "extra": true}),
        json!([valid]),
    ] {
        let (status, answer) = call(
            &fx,
            "/api/v1/authorize/batch",
            &key,
            Some("application/json"),
            batch.to_string(),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{batch}: {answer}");
    }
    let (status, _) = single(&fx, &key, b"{\"principal\": \"\xff\xfe\"}".to_vec()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn content_types_and_keys_are_checked_before_anything_else() {
    let fx = fixture().await;
    let key = api_key(&fx).await;
    let body =
        json!({"principal": "service", "action": "s3:GetObject", "resource": "*"}).to_string();
    for content_type in [
        None,
        Some("text/json"),
        Some("text/plain"),
        Some("application/jsonx"),
        Some("multipart/form-data; boundary=x"),
    ] {
        let (status, _) = call(&fx, "/api/v1/authorize", &key, content_type, body.clone()).await;
        assert_eq!(
            status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type:?}"
        );
    }
    let (status, _) = call(
        &fx,
        "/api/v1/authorize",
        &key,
        Some("Application/JSON; charset=utf-8"),
        body.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let long = format!("Bearer {}:{}", "A".repeat(10_000), "s".repeat(10_000));
    for wrong in [
        "Bearer",
        "Bearer ",
        "Bearer :",
        "Bearer a:b:c",
        "Bearer ' OR 1=1 --:x",
        "Basic c2VydmljZTpzZWNyZXQ=",
        long.as_str(),
    ] {
        let (status, answer) = call(
            &fx,
            "/api/v1/authorize",
            wrong,
            Some("application/json"),
            body.clone(),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{wrong:.40}: {answer}");
    }
    // Bytes that are not text in the header.
    let request = Request::post("/api/v1/authorize")
        .header("content-type", "application/json")
        .header(
            "authorization",
            http::HeaderValue::from_bytes(b"Bearer \xff\xfe:x").unwrap(),
        )
        .body(Body::from(body))
        .unwrap();
    let response = fx.send(request).await;
    let (status, _) = refusal("a non-text Authorization header", response).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

/// Injection-shaped principals, actions and resources are names to look up, not code.
#[tokio::test]
async fn injection_shaped_fields_are_decided_not_executed() {
    let fx = fixture().await;
    let key = api_key(&fx).await;
    for text in [
        "'; DROP TABLE users; --",
        "\" OR 1=1 --",
        "<script>alert(1)</script>",
        "service' --",
        "%",
        "_",
    ] {
        let request = json!({"principal": text, "action": "s3:GetObject", "resource": format!("arn:aws:s3:::{text}")});
        let (status, answer) = single(&fx, &key, request.to_string()).await;
        assert_eq!(status, StatusCode::OK, "{text}: {answer}");
        assert_eq!(answer["principal_found"], false, "{text}");
        assert_eq!(answer["decision"], "ImplicitDeny", "{text}");
    }
    // The users are all still there, and the caller still works.
    let request =
        json!({"principal": "service", "action": "portcullis:Authorize", "resource": "*"});
    let (status, answer) = single(&fx, &key, request.to_string()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer["decision"], "Allow", "{answer}");
}
