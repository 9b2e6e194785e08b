//! Hostile sessions through the whole router: cross-site state changes, made-up and signed-out
//! session ids, and a signed-in user without permissions reaching for another user's data.
//! (The origin rules themselves are unit-tested in `middleware::origin`, the session gate's paths
//! in `middleware::session`; this drives the real router with a valid session.)

use http::{Method, Request, StatusCode};
use iam::{NewUserSpec, PasswordChoice, Principal, RequestMeta, Tag, UnixTime};
use serde_json::Value;

use super::hostile_tests::{Fixture, fixture, form, refusal, server_functions, text};
use axum::body::Body;

const MALLORY_PASSWORD: &str = "Mallory-pass-4711";

/// A POST as a browser on another site would send it, with the root session's cookie.
async fn cross_site_post(
    fx: &Fixture,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> StatusCode {
    let mut request = Request::post(path)
        .header("host", "console.example.com")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .header("cookie", &fx.root);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    fx.send(request.body(Body::from(body.to_owned())).unwrap())
        .await
        .status()
}

#[tokio::test]
async fn cross_site_posts_are_refused_for_every_server_function() {
    let fx = fixture().await;
    let create = "name=Evil";
    let cross_site: [&[(&str, &str)]; 5] = [
        &[("origin", "http://evil.example")],
        &[("origin", "https://console.example.com.evil.example")],
        &[("origin", "null")],
        &[("sec-fetch-site", "cross-site")],
        &[
            ("sec-fetch-site", "same-site"),
            ("origin", "https://console.example.com"),
        ],
    ];
    for headers in cross_site {
        let status = cross_site_post(&fx, "/api/create_group", headers, create).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{headers:?}");
    }
    // Every state-changing function, not just one.
    for (path, method) in server_functions() {
        if method == Method::POST {
            let status =
                cross_site_post(&fx, &path, &[("origin", "http://evil.example")], "").await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        }
    }
    // Nothing was created; the same request from this site works.
    let root = Some(fx.root.as_str());
    let response = fx.get("/api/get_group?name=Evil", root).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let same_site = [
        ("origin", "http://console.example.com"),
        ("sec-fetch-site", "same-origin"),
    ];
    let status = cross_site_post(&fx, "/api/create_group", &same_site, create).await;
    assert!(status.is_success() || status.is_redirection(), "{status}");
    let response = fx.get("/api/get_group?name=Evil", root).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_made_up_session_id_is_not_accepted_and_sign_in_issues_a_new_one() {
    let fx = fixture().await;
    let name = fx.cookie_name();
    for made_up in [
        format!("{name}=attacker-chosen-0123456789abcdef"),
        format!("{name}={}", "0".repeat(64)),
        format!("{name}=' OR 1=1 --"),
        format!("{name}=%00%ff"),
    ] {
        let response = fx.get("/api/whoami", Some(&made_up)).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{made_up}");
        // Signing in while carrying it gives a different id, and the made-up one stays refused.
        let issued = fx.sign_in_root(Some(&made_up)).await;
        assert_ne!(issued, made_up);
        let response = fx.get("/api/whoami", Some(&made_up)).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{made_up}");
        assert_eq!(
            fx.get("/api/whoami", Some(&issued)).await.status(),
            StatusCode::OK
        );
    }
    // A real session id carried into sign-in is replaced, not kept.
    let before = fx.sign_in_root(None).await;
    let after = fx.sign_in_root(Some(&before)).await;
    assert_ne!(before, after);
    assert_eq!(
        fx.get("/api/whoami", Some(&before)).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        fx.get("/api/whoami", Some(&after)).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_session_id_is_refused_after_sign_out() {
    let fx = fixture().await;
    let session = fx.sign_in_root(None).await;
    assert_eq!(
        fx.get("/api/whoami", Some(&session)).await.status(),
        StatusCode::OK
    );
    let response = fx.post_form("/api/sign_out", Some(&session), "").await;
    assert!(
        response.status().is_success() || response.status().is_redirection(),
        "{}",
        response.status()
    );
    // The cookie is deleted in the browser, and the id is dead on the server as well.
    assert!(fx.session_cookie(&response).is_none());
    let (status, _) = refusal(
        "whoami after sign-out",
        fx.get("/api/whoami", Some(&session)).await,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let response = fx
        .post_form("/api/create_group", Some(&session), "name=Late")
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let response = fx
        .send(
            Request::get("/users")
                .header("cookie", &session)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(response.status().is_redirection());
    assert!(
        response.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/signin"),
    );
    // The other session of the same root is not affected.
    assert_eq!(
        fx.get("/api/whoami", Some(&fx.root)).await.status(),
        StatusCode::OK
    );
}

/// `mallory` (no policies) and `victim` (a tag, no console access) made by root; mallory's
/// session cookie.
pub(super) async fn mallory_and_victim(fx: &Fixture) -> String {
    let iam = &fx.state.iam;
    let account = iam.account().await.unwrap();
    let root = Principal::Root {
        account_id: account.id.clone(),
        email: super::hostile_tests::ROOT_EMAIL.to_owned(),
    };
    let users = vec![
        NewUserSpec {
            console_password: Some(PasswordChoice::Custom(MALLORY_PASSWORD.to_owned())),
            ..NewUserSpec::named("mallory")
        },
        NewUserSpec {
            tags: vec![Tag {
                key: "team".to_owned(),
                value: "payroll".to_owned(),
            }],
            ..NewUserSpec::named("victim")
        },
    ];
    let proofs = iam.authorize_create_users(&root, &users).await.unwrap();
    iam.create_users(&proofs, users, &RequestMeta::default(), UnixTime::now())
        .await
        .unwrap();
    let body = form(&[
        ("account", account.id.as_str()),
        ("user_name", "mallory"),
        ("password", MALLORY_PASSWORD),
    ]);
    let response = fx.post_form("/api/sign_in_user", None, &body).await;
    assert!(
        response.status().is_success() || response.status().is_redirection(),
        "{}",
        response.status()
    );
    fx.session_cookie(&response).expect("mallory's session")
}

async fn json(fx: &Fixture, path: &str, cookie: &str) -> Value {
    let response = fx.get(path, Some(cookie)).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    serde_json::from_str(&text(response).await).unwrap()
}

#[tokio::test]
async fn a_user_without_permissions_cannot_read_or_change_another_user() {
    let fx = fixture().await;
    let mallory = mallory_and_victim(&fx).await;
    let reads = [
        "/api/get_user?name=victim",
        "/api/user_tags?name=victim",
        "/api/list_access_keys?name=victim",
        "/api/list_users?query=&offset=0",
        "/api/service_last_accessed?kind=User&id=victim",
    ];
    for path in reads {
        let (status, body) = refusal(path, fx.get(path, Some(&mallory)).await).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {body}");
        assert!(body.contains("AccessDenied"), "{path}: {body}");
    }
    let writes = [
        ("/api/tag_user", "name=victim&key=team&value=owned"),
        ("/api/untag_user", "name=victim&key=team"),
        (
            "/api/set_console_password",
            "name=victim&enable=true&password_type=custom&password=Owned-pass-4711",
        ),
        ("/api/create_access_key", "name=victim"),
        ("/api/delete_user", "name=victim&confirm=victim"),
        (
            "/api/add_user_permissions",
            "name=mallory&permissions=policies&policy_arns[]=arn:aws:iam::aws:policy/AdministratorAccess",
        ),
        ("/api/create_group", "name=Mallorys"),
        ("/api/set_account_alias", "alias=mallory-corp"),
        ("/api/reset_password_policy", ""),
    ];
    for (path, body) in writes {
        let what = format!("{path} {body}");
        let (status, answer) = refusal(&what, fx.post_form(path, Some(&mallory), body).await).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{what}: {answer}");
    }
    // Nothing changed.
    let tags = json(&fx, "/api/user_tags?name=victim", &fx.root).await;
    assert_eq!(
        tags["tags"],
        serde_json::json!([{"key": "team", "value": "payroll"}])
    );
    let victim = json(&fx, "/api/get_user?name=victim", &fx.root).await;
    assert_eq!(victim["console_access"], false);
    let keys = json(&fx, "/api/list_access_keys?name=victim", &fx.root).await;
    assert_eq!(keys, serde_json::json!([]));
    let mallory_user = json(&fx, "/api/get_user?name=mallory", &fx.root).await;
    assert_eq!(mallory_user["attached_policies"], serde_json::json!([]));
    assert_eq!(
        fx.get("/api/get_group?name=Mallorys", Some(&fx.root))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

/// The passwords root's `create_users` made are the creating session's alone.
#[tokio::test]
async fn another_session_cannot_take_created_passwords() {
    let fx = fixture().await;
    let mallory = mallory_and_victim(&fx).await;
    let draft = serde_json::json!({
        "names": ["newhire"], "console_access": true, "custom_password": false,
        "reset_required": true, "permissions": "group", "group_names": [], "copy_from": "",
        "policy_arns": [], "tags": []
    });
    let response = fx
        .post_form(
            "/api/create_users",
            Some(&fx.root),
            &form(&[("draft", &draft.to_string())]),
        )
        .await;
    let location = response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_else(|| panic!("a redirect to the passwords: {:?}", response.headers()));
    let batch = location
        .split("batch=")
        .nth(1)
        .and_then(|rest| rest.split('&').next())
        .unwrap_or_else(|| panic!("a batch in {location}"))
        .to_owned();
    let take = form(&[("batch", &batch)]);
    let response = fx
        .post_form("/api/take_created_users", Some(&mallory), &take)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(text(response).await, "null", "mallory got nothing");
    let response = fx
        .post_form("/api/take_created_users", Some(&fx.root), &take)
        .await;
    let batch: Value = serde_json::from_str(&text(response).await).unwrap();
    assert_eq!(batch["users"][0]["name"], "newhire");
    assert!(batch["users"][0]["password"].is_string());
}
