//! The authorization API through the whole router, on a real SQLite file: authentication,
//! the caller's permission, decisions, and refusals of bad input.

use std::net::SocketAddr;

use app::ssr::{AppState, CookieConfig};
use axum::body::Body;
use axum::extract::ConnectInfo;
use http::{Request, StatusCode};
use iam::{Action, Iam, NewGroup, NewPolicy, NewUserSpec, RequestMeta, UnixTime};
use leptos::prelude::LeptosOptions;
use serde_json::{Value, json};
use tower::ServiceExt as _;

const CALLER_POLICY: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "portcullis:Authorize", "Resource": "*"}]}"#;
const S3_READER: &str = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::reports/*"}, {"Sid": "NoSecrets", "Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::reports/secret/*"}]}"#;

struct Fixture {
    _dir: tempfile::TempDir,
    state: AppState,
    /// `Bearer <id>:<secret>` of a user allowed to call the API.
    caller: String,
    /// The same for a user who is not.
    outsider: String,
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("api.db").display());
    let iam = Iam::connect(&url).await.unwrap();
    let now = UnixTime::now();
    iam.create_root("root@example.com", "Correct-horse-9-battery", now)
        .await
        .unwrap();
    let root = iam
        .sign_in_root(
            "root@example.com",
            "Correct-horse-9-battery",
            None,
            &RequestMeta::default(),
            now,
        )
        .await
        .unwrap()
        .session
        .principal;
    let meta = RequestMeta::default();
    for (name, document) in [("Callers", CALLER_POLICY), ("ReportsReader", S3_READER)] {
        let arn = iam.policy_arn_for(None, name).await.unwrap();
        let auth = iam
            .authorize(&root, Action::CreatePolicy, &arn)
            .await
            .unwrap();
        let policy = NewPolicy {
            name: name.to_owned(),
            path: None,
            description: None,
            document: document.to_owned(),
            tags: Vec::new(),
        };
        iam.create_policy(&auth, policy, &meta, now).await.unwrap();
        let group_arn = iam.group_arn_for(None, name).await.unwrap();
        let create = iam
            .authorize(&root, Action::CreateGroup, &group_arn)
            .await
            .unwrap();
        let attach = iam
            .authorize(&root, Action::AttachGroupPolicy, &group_arn)
            .await
            .unwrap();
        let group = NewGroup {
            name: name.to_owned(),
            path: None,
            policy_arns: vec![arn],
            user_names: Vec::new(),
        };
        iam.create_group(&create, Some(&attach), None, group, &meta, now)
            .await
            .unwrap();
    }
    let users = vec![
        NewUserSpec {
            group_names: vec!["Callers".to_owned()],
            ..NewUserSpec::named("inventory-service")
        },
        NewUserSpec::named("stranger"),
        NewUserSpec {
            group_names: vec!["ReportsReader".to_owned()],
            ..NewUserSpec::named("mary")
        },
    ];
    let proofs = iam.authorize_create_users(&root, &users).await.unwrap();
    iam.create_users(&proofs, users, &meta, now).await.unwrap();
    let mut keys = Vec::new();
    for name in ["inventory-service", "stranger"] {
        let arn = iam.user_arn_for(None, name).await.unwrap();
        let auth = iam
            .authorize(&root, Action::CreateAccessKey, &arn)
            .await
            .unwrap();
        let key = iam.create_access_key(&auth, &meta, now).await.unwrap();
        keys.push(format!(
            "Bearer {}:{}",
            key.access_key_id,
            key.secret.expose()
        ));
    }
    let state = AppState {
        leptos_options: LeptosOptions::builder().output_name("portcullis").build(),
        iam,
        cookies: CookieConfig { secure: false },
        public_url: None,
    };
    let outsider = keys.pop().unwrap();
    let caller = keys.pop().unwrap();
    Fixture {
        _dir: dir,
        state,
        caller,
        outsider,
    }
}

async fn post(fx: &Fixture, path: &str, key: Option<&str>, body: &str) -> (StatusCode, Value) {
    let mut request = Request::post(path)
        .header("content-type", "application/json")
        // Browsers' cross-site checks do not apply: a bearer key is not an ambient credential.
        .header("origin", "https://elsewhere.example");
    if let Some(key) = key {
        request = request.header("authorization", key);
    }
    let mut request = request.body(Body::from(body.to_owned())).unwrap();
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
    send(fx, request).await
}

async fn send(fx: &Fixture, request: Request<Body>) -> (StatusCode, Value) {
    let response = crate::router::router(fx.state.clone(), Default::default())
        .oneshot(request)
        .await
        .unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, value)
}

fn message(body: &Value) -> &str {
    body["error"]["message"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn decisions_for_known_and_unknown_principals() {
    let fx = fixture().await;
    let ask = |principal: &str, action: &str, resource: &str| {
        json!({ "principal": principal, "action": action, "resource": resource }).to_string()
    };
    let (status, body) = post(
        &fx,
        "/api/v1/authorize",
        Some(&fx.caller),
        &ask("mary", "s3:GetObject", "arn:aws:s3:::reports/q3.csv"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["decision"], "Allow");
    assert_eq!(body["matched"][0]["sid"], "Read");
    assert_eq!(body["principal_found"], true);

    let batch = json!({ "requests": [
        { "principal": "mary", "action": "s3:GetObject", "resource": "arn:aws:s3:::reports/secret/pay.csv" },
        { "principal": "mary", "action": "s3:PutObject", "resource": "arn:aws:s3:::reports/q3.csv" },
        { "principal": "nobody", "action": "s3:GetObject", "resource": "*", "context": { "aws:SourceIp": "203.0.113.9", "aws:TagKeys": ["a", "b"] } }
    ]});
    let (status, body) = post(
        &fx,
        "/api/v1/authorize/batch",
        Some(&fx.caller),
        &batch.to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let decisions: Vec<&str> = body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["decision"].as_str().unwrap())
        .collect();
    assert_eq!(decisions, ["ExplicitDeny", "ImplicitDeny", "ImplicitDeny"]);
    assert_eq!(body["results"][0]["matched"][0]["sid"], "NoSecrets");
    assert_eq!(body["results"][2]["principal_found"], false);
}

#[tokio::test]
async fn callers_need_a_valid_key_and_portcullis_authorize() {
    let fx = fixture().await;
    let body =
        json!({ "principal": "mary", "action": "s3:GetObject", "resource": "*" }).to_string();
    let (status, answer) = post(&fx, "/api/v1/authorize", None, &body).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer["error"]["code"], "UnrecognizedClient");
    let wrong = format!("{}x", &fx.caller[..fx.caller.len() - 1]);
    let (status, _) = post(&fx, "/api/v1/authorize", Some(&wrong), &body).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, answer) = post(&fx, "/api/v1/authorize", Some(&fx.outsider), &body).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        message(&answer).contains("`portcullis:Authorize`"),
        "{answer}"
    );
}

#[tokio::test]
async fn bad_requests_get_a_clear_400_413_or_415() {
    let fx = fixture().await;
    let key = Some(fx.caller.as_str());
    let cases = [
        ("{", "not a valid request"),
        (
            r#"{"principal": "mary", "action": "s3:GetObject"}"#,
            "missing field `resource`",
        ),
        (
            r#"{"principal": "mary", "action": "s3:GetObject", "resource": "*", "admin": true}"#,
            "unknown field `admin`",
        ),
        (
            r#"{"principal": "mary", "action": "GetObject", "resource": "*"}"#,
            "`action` is `GetObject`",
        ),
        (
            r#"{"principal": "", "action": "s3:GetObject", "resource": "*"}"#,
            "`principal` is empty",
        ),
        (
            r#"{"principal": "mary", "action": "s3:GetObject", "resource": "*", "context": {"k": {"nested": 1}}}"#,
            "not a valid request",
        ),
        (
            r#"{"principal": ["<script>"], "action": "s3:GetObject", "resource": "*"}"#,
            "invalid type",
        ),
    ];
    for (body, expected) in cases {
        let (status, answer) = post(&fx, "/api/v1/authorize", key, body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
        assert!(message(&answer).contains(expected), "{body}: {answer}");
    }
    let one = json!({ "principal": "mary", "action": "s3:GetObject", "resource": "*" });
    let too_many = json!({ "requests": vec![one; 101] }).to_string();
    let (status, answer) = post(&fx, "/api/v1/authorize/batch", key, &too_many).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message(&answer).contains("holds 101"), "{answer}");
    let (status, _) = post(&fx, "/api/v1/authorize/batch", key, r#"{"requests": []}"#).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let huge = format!(
        r#"{{"principal": "mary", "action": "s3:GetObject", "resource": "{}"}}"#,
        "a".repeat(super::MAX_BODY_BYTES)
    );
    let (status, _) = post(&fx, "/api/v1/authorize", key, &huge).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);

    let mut form = Request::post("/api/v1/authorize")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("authorization", fx.caller.as_str())
        .body(Body::from("principal=mary"))
        .unwrap();
    form.extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
    let (status, _) = send(&fx, form).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn the_openapi_document_is_served() {
    let fx = fixture().await;
    let request = Request::get("/api/v1/openapi.json")
        .body(Body::empty())
        .unwrap();
    let (status, body) = send(&fx, request).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["openapi"], "3.1.0");
    assert!(body["paths"]["/api/v1/authorize/batch"]["post"].is_object());
}
