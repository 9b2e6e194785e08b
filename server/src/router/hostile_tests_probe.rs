//! Regression tests for what an outside probe of the console found: an open redirect after
//! sign-in, a panic on CR/LF in a redirect, names told apart by their error, a session id kept
//! across the forced password change, and bodies of any content type read by server functions.
//! (`</textarea>` in stored text is in `hostile_tests_injection`.)

use http::{Request, StatusCode};
use iam::{NewUserSpec, PasswordChoice, Principal, RequestMeta, UnixTime};
use serde_json::Value;

use super::hostile_tests::{Fixture, ROOT_EMAIL, ROOT_PASSWORD, fixture, form, refusal, text};
use super::hostile_tests_sessions::mallory_and_victim;
use axum::body::Body;

fn location(response: &axum::response::Response) -> Option<String> {
    response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned())
}

/// A plain-form sign-in (as without JavaScript), answered with a redirect.
async fn sign_in_root_to(fx: &Fixture, redirect: &str) -> axum::response::Response {
    let body = form(&[
        ("email", ROOT_EMAIL),
        ("password", ROOT_PASSWORD),
        ("redirect", redirect),
    ]);
    let request = Request::post("/api/sign_in_root")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html")
        .body(Body::from(body))
        .unwrap();
    fx.send(request).await
}

#[tokio::test]
async fn sign_in_goes_only_to_pages_of_this_console() {
    let fx = fixture().await;
    for (target, want) in [
        ("/groups?q=dev", "/groups?q=dev"),
        ("/\t/evil.example/phish", "/"),
        ("/\n/evil.example/phish", "/"),
        ("//evil.example/phish", "/"),
        ("/\\evil.example", "/"),
        ("/%2f%2fevil.example", "/"),
        ("https://evil.example/", "/"),
        ("javascript:alert(1)", "/"),
        // Once made leptos_axum panic ("Failed to create HeaderValue") after a correct sign-in.
        ("/\r\nSet-Cookie: planted=1", "/"),
    ] {
        let response = sign_in_root_to(&fx, target).await;
        assert!(
            response.status().is_redirection(),
            "{target:?}: {}",
            response.status()
        );
        assert_eq!(location(&response).as_deref(), Some(want), "{target:?}");
        assert!(
            response
                .headers()
                .get_all("set-cookie")
                .iter()
                .all(|c| !c.to_str().unwrap().contains("planted")),
            "{target:?}"
        );
    }
}

/// `mallory` (no policies, signed in) and `victim` (exists), and the group `Payroll`; mallory's
/// cookie.
async fn mallory(fx: &Fixture) -> String {
    let cookie = mallory_and_victim(fx).await;
    let response = fx
        .post_form("/api/create_group", Some(&fx.root), "name=Payroll")
        .await;
    assert!(response.status().is_success(), "{}", response.status());
    cookie
}

/// AWS authorizes against the resource's ARN before it looks the resource up, so a caller
/// without permissions cannot tell which names exist.
#[tokio::test]
async fn a_caller_without_permissions_cannot_tell_which_names_exist() {
    let fx = fixture().await;
    let mallory = mallory(&fx).await;
    let answer = |body: &str, name: &str| {
        let body: Value = serde_json::from_str(body).unwrap();
        body.to_string().replace(name, "NAME")
    };
    for (exists, missing) in [("victim", "nobody"), ("Payroll", "Nobodies")] {
        let mut seen = Vec::new();
        for name in [exists, missing] {
            let calls = [
                (
                    "GET",
                    format!("/api/list_access_keys?name={name}"),
                    String::new(),
                ),
                ("GET", format!("/api/user_tags?name={name}"), String::new()),
                ("GET", format!("/api/get_group?name={name}"), String::new()),
                (
                    "POST",
                    "/api/add_user_permissions".to_owned(),
                    format!("name={name}&permissions=group&group_names[]={name}"),
                ),
            ];
            for (method, path, body) in calls {
                let response = if method == "GET" {
                    fx.get(&path, Some(&mallory)).await
                } else {
                    fx.post_form(&path, Some(&mallory), &body).await
                };
                let (status, body) = refusal(&path, response).await;
                assert_eq!(status, StatusCode::FORBIDDEN, "{path} {body}");
                seen.push((path.replace(name, "NAME"), answer(&body, name)));
            }
        }
        let (a, b) = seen.split_at(seen.len() / 2);
        assert_eq!(a, b, "the same answers for {exists} and {missing}");
    }
    // Root, who may, is told that the user is not there.
    let (status, body) = refusal(
        "root",
        fx.get("/api/list_access_keys?name=nobody", Some(&fx.root))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert!(body.contains("nobody"), "{body}");
}

#[tokio::test]
async fn the_forced_password_change_gives_a_new_session_id() {
    let fx = fixture().await;
    let iam = &fx.state.iam;
    let account = iam.account().await.unwrap();
    let root = Principal::Root {
        account_id: account.id.clone(),
        email: ROOT_EMAIL.to_owned(),
    };
    let users = vec![NewUserSpec {
        console_password: Some(PasswordChoice::Custom("First-pass-4711".to_owned())),
        password_reset_required: true,
        ..NewUserSpec::named("mary")
    }];
    let proofs = iam.authorize_create_users(&root, &users).await.unwrap();
    iam.create_users(&proofs, users, &RequestMeta::default(), UnixTime::now())
        .await
        .unwrap();
    let body = form(&[
        ("account", account.id.as_str()),
        ("user_name", "mary"),
        ("password", "First-pass-4711"),
    ]);
    let response = fx.post_form("/api/sign_in_user", None, &body).await;
    let before = fx.session_cookie(&response).expect("a session");
    let body = form(&[
        ("old_password", "First-pass-4711"),
        ("new_password", "Second-pass-4711"),
        ("confirm_password", "Second-pass-4711"),
    ]);
    let response = fx
        .post_form("/api/change_password", Some(&before), &body)
        .await;
    assert!(response.status().is_success(), "{}", response.status());
    let after = fx.session_cookie(&response).expect("a new session cookie");
    assert_ne!(after, before);
    assert_eq!(
        fx.get("/api/whoami", Some(&before)).await.status(),
        StatusCode::UNAUTHORIZED,
        "the id from before the change is dead"
    );
    let response = fx.get("/api/whoami", Some(&after)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let who: Value = serde_json::from_str(&text(response).await).unwrap();
    assert!(
        who["display_name"].as_str().unwrap().starts_with("mary"),
        "{who}"
    );
    assert_eq!(who["must_change_password"], false);
}

/// Only forms and JSON reach a server function; `text/plain` is what a cross-site form can send
/// without a preflight.
#[tokio::test]
async fn server_functions_take_only_forms_and_json() {
    let fx = fixture().await;
    for content_type in ["text/plain", "multipart/form-data; boundary=x", ""] {
        let response = fx
            .post(
                "/api/create_group",
                Some(&fx.root),
                content_type,
                "name=Planted",
            )
            .await;
        let status = response.status();
        let body = text(response).await;
        assert_eq!(
            status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type}: {body}"
        );
        assert!(body.contains("application/x-www-form-urlencoded"), "{body}");
    }
    // No arguments, no body: nothing to decode, so no type is needed (`curl -X POST`).
    let request = Request::post("/api/reset_password_policy")
        .header("content-length", "0")
        .header("accept", "application/json")
        .header("cookie", &fx.root)
        .body(Body::empty())
        .unwrap();
    let response = fx.send(request).await;
    // The function ran: with no custom password policy to remove it answers its own 404.
    let (status, body) = (response.status(), text(response).await);
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert!(body.contains("NotFound"), "{body}");
    let response = fx
        .post_form("/api/create_group", Some(&fx.root), "name=Allowed")
        .await;
    assert!(response.status().is_success(), "{}", response.status());
    assert_eq!(
        fx.get("/api/get_group?name=Planted", Some(&fx.root))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}
