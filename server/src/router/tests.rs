//! Sign-in protection through the whole router: the per-address limit answers 429 with
//! `Retry-After`, and `X-Forwarded-For` counts only from a trusted proxy.

use std::net::SocketAddr;

use app::ssr::{AppState, CookieConfig};
use axum::body::Body;
use axum::extract::ConnectInfo;
use http::{Request, StatusCode};
use iam::{Iam, UnixTime};
use leptos::prelude::LeptosOptions;
use policy::Cidr;
use tower::ServiceExt as _;

use crate::middleware::client::TrustedProxies;

const LIMIT: u32 = 3;

async fn state(dir: &tempfile::TempDir) -> AppState {
    let url = format!("sqlite:{}", dir.path().join("signin.db").display());
    let iam = Iam::connect(&url)
        .await
        .unwrap()
        .with_sign_ins_per_minute(Some(LIMIT));
    iam.create_root(
        "root@example.com",
        "Correct-horse-9-battery",
        UnixTime::now(),
    )
    .await
    .unwrap();
    AppState {
        leptos_options: LeptosOptions::builder().output_name("portcullis").build(),
        iam,
        cookies: CookieConfig { secure: false },
        public_url: None,
    }
}

/// A failed root sign-in from `peer`, claiming to come from `forwarded_for`; the status and
/// `Retry-After`.
async fn sign_in(
    state: &AppState,
    trusted: &TrustedProxies,
    peer: [u8; 4],
    forwarded_for: Option<&str>,
) -> (StatusCode, Option<String>) {
    let mut request = Request::post("/api/sign_in_root")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json");
    if let Some(xff) = forwarded_for {
        request = request.header("x-forwarded-for", xff);
    }
    let mut request = request
        .body(Body::from(
            "email=nobody%40example.com&password=Wrong-password-1",
        ))
        .unwrap();
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from((peer, 40000))));
    let response = super::router(state.clone(), trusted.clone())
        .oneshot(request)
        .await
        .unwrap();
    let retry_after = response
        .headers()
        .get(http::header::RETRY_AFTER)
        .map(|v| v.to_str().unwrap().to_owned());
    (response.status(), retry_after)
}

#[tokio::test]
async fn each_address_is_limited_and_a_forged_forwarded_for_does_not_help() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(&dir).await;
    let direct = TrustedProxies::default();
    // Distinct emails would not help either: the limit is per address, not per name.
    for _ in 0..LIMIT {
        let (status, _) = sign_in(&state, &direct, [203, 0, 113, 5], None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, retry_after) = sign_in(&state, &direct, [203, 0, 113, 5], None).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let secs: u64 = retry_after.expect("Retry-After").parse().unwrap();
    assert!((1..=60).contains(&secs), "{secs}");
    // A made-up X-Forwarded-For from an untrusted peer is ignored.
    let (status, _) = sign_in(&state, &direct, [203, 0, 113, 5], Some("198.51.100.77")).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    // Another peer has its own allowance.
    let (status, _) = sign_in(&state, &direct, [203, 0, 113, 6], None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_is_limited_on_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(&dir).await;
    let proxy = TrustedProxies::new(vec![Cidr::parse("10.0.0.0/8").unwrap()]);
    for _ in 0..LIMIT {
        let (status, _) = sign_in(&state, &proxy, [10, 0, 0, 2], Some("198.51.100.1")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, _) = sign_in(&state, &proxy, [10, 0, 0, 2], Some("198.51.100.1")).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    // The same proxy, another client: not limited by the first one's attempts.
    let (status, _) = sign_in(&state, &proxy, [10, 0, 0, 2], Some("198.51.100.2")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // The client cannot reset its count by prepending a made-up address.
    let (status, _) = sign_in(
        &state,
        &proxy,
        [10, 0, 0, 2],
        Some("192.0.2.99, 198.51.100.1"),
    )
    .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
}

/// A user may list users only from 198.51.100.0/24 (`aws:SourceIp`): the console's server
/// functions decide with the request's address, direct or named by the trusted proxy.
#[tokio::test]
async fn console_decisions_see_the_client_address() {
    use iam::{Action, NewPolicy, NewUserSpec, PasswordChoice, Principal, RequestMeta};

    const OFFICE_ONLY: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:ListUsers", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "198.51.100.0/24"}}}]}"#;
    const PASSWORD: &str = "Mary-pass-4711-x";
    let dir = tempfile::tempdir().unwrap();
    let state = state(&dir).await;
    let iam = &state.iam;
    let now = UnixTime::now();
    let meta = RequestMeta::default();
    let account = iam.account().await.unwrap();
    let root = Principal::Root {
        account_id: account.id.clone(),
        email: "root@example.com".to_owned(),
    };
    let arn = iam.policy_arn_for(None, "OfficeOnly").await.unwrap();
    let auth = iam
        .authorize(&root, Action::CreatePolicy, &arn)
        .await
        .unwrap();
    let policy = NewPolicy {
        name: "OfficeOnly".to_owned(),
        path: None,
        description: None,
        document: OFFICE_ONLY.to_owned(),
        tags: Vec::new(),
    };
    iam.create_policy(&auth, policy, &meta, now).await.unwrap();
    let users = vec![NewUserSpec {
        console_password: Some(PasswordChoice::Custom(PASSWORD.to_owned())),
        policy_arns: vec![arn],
        ..NewUserSpec::named("mary")
    }];
    let proofs = iam.authorize_create_users(&root, &users).await.unwrap();
    iam.create_users(&proofs, users, &meta, now).await.unwrap();
    let token = iam
        .sign_in_user(account.id.as_str(), "mary", PASSWORD, None, &meta, now)
        .await
        .unwrap()
        .token;
    let cookie = format!("{}={}", state.cookies.name(), token.as_str());

    let list_users =
        |peer: [u8; 4], forwarded_for: Option<&'static str>, trusted: TrustedProxies| {
            let state = state.clone();
            let cookie = cookie.clone();
            async move {
                let mut request = Request::get("/api/list_users?query=&offset=0")
                    .header("cookie", cookie)
                    .header("accept", "application/json");
                if let Some(xff) = forwarded_for {
                    request = request.header("x-forwarded-for", xff);
                }
                let mut request = request.body(Body::empty()).unwrap();
                request
                    .extensions_mut()
                    .insert(ConnectInfo(SocketAddr::from((peer, 40000))));
                super::router(state, trusted)
                    .oneshot(request)
                    .await
                    .unwrap()
                    .status()
            }
        };
    let direct = TrustedProxies::default;
    let proxy = || TrustedProxies::new(vec![Cidr::parse("10.0.0.2").unwrap()]);
    assert_eq!(
        list_users([198, 51, 100, 7], None, direct()).await,
        StatusCode::OK
    );
    assert_eq!(
        list_users([203, 0, 113, 5], None, direct()).await,
        StatusCode::FORBIDDEN
    );
    // A forged header from outside does not help; the trusted proxy's word does.
    assert_eq!(
        list_users([203, 0, 113, 5], Some("198.51.100.7"), direct()).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        list_users([10, 0, 0, 2], Some("198.51.100.7"), proxy()).await,
        StatusCode::OK
    );
    assert_eq!(
        list_users([10, 0, 0, 2], Some("203.0.113.5"), proxy()).await,
        StatusCode::FORBIDDEN
    );
}

/// Every page carries a Content-Security-Policy whose nonce is the one on its scripts, and a
/// fresh nonce each time; server functions' JSON answers need none.
#[tokio::test]
async fn pages_send_a_nonce_based_content_security_policy() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(&dir).await;
    let mut nonces = Vec::new();
    for _ in 0..2 {
        let mut request = Request::get("/signin").body(Body::empty()).unwrap();
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
        let response = super::router(state.clone(), TrustedProxies::default())
            .oneshot(request)
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let policy = response
            .headers()
            .get(http::header::CONTENT_SECURITY_POLICY)
            .expect("a Content-Security-Policy header")
            .to_str()
            .unwrap()
            .to_owned();
        let html = String::from_utf8(
            axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap()
                .to_vec(),
        )
        .unwrap();
        let nonce = policy
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .expect("a nonce in the policy")
            .to_owned();
        assert!(nonce.len() >= 16, "{nonce}");
        let scripts = html.matches("<script").count();
        assert!(scripts > 0);
        assert_eq!(
            html.matches(&format!("<script nonce=\"{nonce}\"")).count()
                + html
                    .matches(&format!("<script type=\"module\" nonce=\"{nonce}\""))
                    .count(),
            scripts,
            "every script carries the nonce: {html}"
        );
        for directive in [
            "default-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "'wasm-unsafe-eval'",
        ] {
            assert!(policy.contains(directive), "{directive} in {policy}");
        }
        assert!(!policy.contains("'unsafe-inline'") && !policy.contains("'unsafe-eval'"));
        nonces.push(nonce);
    }
    assert_ne!(nonces[0], nonces[1], "a new nonce per response");
}

/// `Strict-Transport-Security` only when the console's public URL is https.
#[tokio::test]
async fn hsts_only_over_https() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = state(&dir).await;
    for https in [false, true] {
        state.cookies = CookieConfig { secure: https };
        let response = super::router(state.clone(), TrustedProxies::default())
            .oneshot(
                Request::get("/api/v1/openapi.json")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(
            response
                .headers()
                .get(http::header::STRICT_TRANSPORT_SECURITY)
                .map(|v| v.to_str().unwrap().to_owned()),
            https.then(|| "max-age=31536000; includeSubDomains".to_owned())
        );
        assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    }
}
