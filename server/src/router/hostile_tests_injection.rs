//! Injection-shaped text through the whole router: SQL-looking and HTML/script text is stored
//! verbatim where the rules allow it, refused with a 4xx naming the field where they do not, and
//! always rendered escaped in the server-rendered pages.

use http::StatusCode;
use iam::{Action, Principal};
use serde_json::{Value, json};

use super::hostile_tests::{Fixture, encode, fixture, form, refusal, text};

const SCRIPT: &str = "<script>alert(1)</script>";
const IMG: &str = "\"><img src=x onerror=alert(1)>";
const SQL_DROP: &str = "'; DROP TABLE users; --";
const SQL_OR: &str = "\" OR 1=1 --";

/// Raw markup that must never reach a page, and the escaped form that must.
fn assert_escaped(what: &str, html: &str) {
    for raw in [SCRIPT, "<img src=x onerror", "<script>alert"] {
        if let Some(at) = html.find(raw) {
            let start = html[..at]
                .char_indices()
                .rev()
                .nth(300)
                .map_or(0, |(i, _)| i);
            let end = (at + 200).min(html.len());
            let end = (end..html.len())
                .find(|&i| html.is_char_boundary(i))
                .unwrap_or(html.len());
            panic!("{what}: raw `{raw}` in the page: …{}…", &html[start..end]);
        }
    }
}

async fn root_principal(fx: &Fixture) -> Principal {
    let account = fx.state.iam.account().await.unwrap();
    Principal::Root {
        account_id: account.id,
        email: super::hostile_tests::ROOT_EMAIL.to_owned(),
    }
}

async fn get_json(fx: &Fixture, path: &str) -> Value {
    let response = fx.get(path, Some(&fx.root)).await;
    let status = response.status();
    let body = text(response).await;
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
    serde_json::from_str(&body).unwrap()
}

#[tokio::test]
async fn policy_text_is_stored_verbatim_and_rendered_escaped() {
    let fx = fixture().await;
    let description = format!("{SCRIPT} {IMG} {SQL_DROP} {SQL_OR} \u{0} \u{202e}");
    let resource = format!("arn:aws:s3:::bucket/{SCRIPT}{IMG}{SQL_DROP}");
    let document = json!({
        "Version": "2012-10-17",
        "Statement": [{"Sid": "ReadAll", "Effect": "Allow", "Action": "s3:GetObject", "Resource": resource}]
    })
    .to_string();
    // Tag values may hold `=`, `/`, `:`, `+`, `-`, `@` and spaces: SQL-ish, but legal.
    let tag_value = "1=1 OR 1=1 -- /../@x";
    let tags = json!([{"key": "owner: ops/team=1", "value": tag_value}]).to_string();
    let body = form(&[
        ("name", "Injected"),
        ("description", &description),
        ("document", &document),
        ("tags", &tags),
    ]);
    let response = fx
        .post_form("/api/create_policy", Some(&fx.root), &body)
        .await;
    assert!(
        response.status().is_success(),
        "{}: {}",
        response.status(),
        text(response).await
    );

    // Read back through the server function and straight from the store.
    let arn = fx.state.iam.policy_arn_for(None, "Injected").await.unwrap();
    let view = get_json(&fx, &format!("/api/get_policy?arn={}", encode(&arn))).await;
    assert_eq!(view["description"], description);
    let shown: Value = serde_json::from_str(view["document"].as_str().unwrap()).unwrap();
    assert_eq!(shown["Statement"][0]["Resource"], resource);
    let raw = get_json(&fx, &format!("/api/policy_document?arn={}", encode(&arn))).await;
    let raw: Value = serde_json::from_str(raw.as_str().unwrap()).unwrap();
    assert_eq!(raw["Statement"][0]["Resource"], resource);
    assert_eq!(
        view["tags"],
        json!([{"key": "owner: ops/team=1", "value": tag_value}])
    );
    let auth = fx
        .state
        .iam
        .authorize(&root_principal(&fx).await, Action::GetPolicy, &arn)
        .await
        .unwrap();
    let stored = fx.state.iam.get_policy(&auth).await.unwrap();
    assert_eq!(stored.description.as_deref(), Some(description.as_str()));
    // The Users table survived the `DROP TABLE`.
    let users = get_json(&fx, "/api/list_users?query=&offset=0").await;
    assert_eq!(users["total"], 0);

    // Rendered escaped on every tab that shows it.
    for tab in ["", "&tab=tags", "&tab=versions", "&tab=entities"] {
        let path = format!("/policies/details?arn={}{tab}", encode(&arn));
        let (status, html) = fx.page(&path, &fx.root).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_escaped(&path, &html);
        if tab.is_empty() {
            assert!(
                html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
                "{path}: {html}"
            );
        }
    }
    let (_, html) = fx.page("/policies?query=Inj", &fx.root).await;
    assert_escaped("/policies", &html);
    assert!(html.contains("Injected"));
}

#[tokio::test]
async fn markup_and_quotes_in_a_sid_are_refused_naming_the_document() {
    let fx = fixture().await;
    for sid in [SCRIPT, SQL_DROP] {
        let document = json!({
            "Version": "2012-10-17",
            "Statement": [{"Sid": sid, "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]
        })
        .to_string();
        let body = form(&[("name", "BadSid"), ("document", &document)]);
        let (status, answer) = refusal(
            sid,
            fx.post_form("/api/create_policy", Some(&fx.root), &body)
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
        assert!(answer.contains("\"field\":\"document\""), "{answer}");
    }
}

#[tokio::test]
async fn names_and_tags_with_markup_or_quotes_are_refused_naming_the_field() {
    let fx = fixture().await;
    let root = Some(fx.root.as_str());
    for bad in [SCRIPT, IMG, SQL_DROP, SQL_OR] {
        let cases = [
            ("/api/create_group", form(&[("name", bad)]), "name"),
            ("/api/set_account_alias", form(&[("alias", bad)]), "alias"),
            (
                "/api/create_policy",
                form(&[
                    ("name", bad),
                    ("document", &super::hostile_tests::legal_document_of(200)),
                ]),
                "name",
            ),
            (
                "/api/create_policy",
                form(&[
                    ("name", "Tagged"),
                    ("document", &super::hostile_tests::legal_document_of(200)),
                    ("tags", &json!([{"key": bad, "value": "v"}]).to_string()),
                ]),
                "tags",
            ),
            (
                "/api/create_policy",
                form(&[
                    ("name", "Tagged"),
                    ("document", &super::hostile_tests::legal_document_of(200)),
                    ("tags", &json!([{"key": "k", "value": bad}]).to_string()),
                ]),
                "tags",
            ),
        ];
        for (path, body, field) in cases {
            let what = format!("{path} {body}");
            let (status, answer) = refusal(&what, fx.post_form(path, root, &body).await).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{what}: {answer}");
            assert!(
                answer.contains(&format!("\"field\":\"{field}\"")),
                "{what}: {answer}"
            );
        }
        // A user name in the Add users wizard's draft.
        let draft = json!({
            "names": [bad], "console_access": false, "custom_password": false,
            "reset_required": false, "permissions": "group", "group_names": [],
            "copy_from": "", "policy_arns": [], "tags": []
        });
        let body = form(&[("draft", &draft.to_string())]);
        let (status, answer) = refusal(
            "create_users",
            fx.post_form("/api/create_users", root, &body).await,
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
        assert!(answer.contains("name"), "{answer}");
    }
    // Nothing was made.
    let groups = get_json(&fx, "/api/list_groups?query=&offset=0").await;
    assert_eq!(groups["total"], 0);
    let users = get_json(&fx, "/api/list_users?query=&offset=0").await;
    assert_eq!(users["total"], 0);
}

#[tokio::test]
async fn user_tags_and_their_refusals_render_escaped() {
    let fx = fixture().await;
    let root = Some(fx.root.as_str());
    let draft = json!({
        "names": ["target"], "console_access": false, "custom_password": false,
        "reset_required": false, "permissions": "group", "group_names": [],
        "copy_from": "", "policy_arns": [], "tags": []
    });
    let body = form(&[("draft", &draft.to_string())]);
    let response = fx.post_form("/api/create_users", root, &body).await;
    assert!(response.status().is_success() || response.status().is_redirection());

    // Legal, SQL-ish: stored verbatim.
    let (key, value) = ("a=1 OR 1=1 --", "x' OR 'y".replace('\'', ""));
    let body = form(&[("name", "target"), ("key", key), ("value", &value)]);
    let response = fx.post_form("/api/tag_user", root, &body).await;
    assert!(
        response.status().is_success() || response.status().is_redirection(),
        "{}",
        response.status()
    );
    let tags = get_json(&fx, "/api/user_tags?name=target").await;
    assert_eq!(tags["tags"], json!([{"key": key, "value": value}]));

    // Markup: refused naming `tags`, and the message quoting it is escaped where a plain form
    // shows it (the error comes back in the query).
    for bad in [SCRIPT, IMG] {
        let body = form(&[("name", "target"), ("key", bad), ("value", "v")]);
        let (status, answer) = refusal(bad, fx.post_form("/api/tag_user", root, &body).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(answer.contains("\"field\":\"tags\""), "{answer}");
        let message: Value = serde_json::from_str(&answer).unwrap();
        let message = message["Invalid"][0]["message"]
            .as_str()
            .unwrap()
            .to_owned();
        let path = format!(
            "/users/details?name=target&tab=tags&error_field=tags&error={}",
            encode(&message)
        );
        let (status, html) = fx.page(&path, &fx.root).await;
        assert_eq!(status, StatusCode::OK);
        assert_escaped(&path, &html);
    }
    let (_, html) = fx
        .page("/users/details?name=target&tab=tags", &fx.root)
        .await;
    assert_escaped("tags tab", &html);
    assert!(html.contains("a=1 OR 1=1 --"), "the tag is shown");
}

/// Text from the query string that pages echo (filters, redirects, errors) comes back escaped.
#[tokio::test]
async fn pages_escape_what_the_query_string_says() {
    let fx = fixture().await;
    let hostile = encode(&format!("{SCRIPT}{IMG}{SQL_DROP}"));
    for path in [
        format!("/users?q={hostile}"),
        format!("/groups?q={hostile}"),
        format!("/policies?query={hostile}"),
        format!("/policies?created={hostile}"),
        format!("/groups?deleted={hostile}"),
        format!("/users/details?name={hostile}"),
        // The name is in the page's `<title>` too, where only `</title>` would end the text.
        format!(
            "/users/details?name={}",
            encode(&format!("</title>{SCRIPT}"))
        ),
        format!(
            "/groups/details?name={}",
            encode(&format!("</title>{SCRIPT}"))
        ),
        format!("/groups/details?name={hostile}"),
        format!("/policies/details?arn={hostile}"),
        format!("/events?attribute=Username&value={hostile}"),
        format!("/users/details?name={hostile}&tab=tags&error={hostile}&error_field=tags"),
        format!("/users/created?batch={hostile}"),
        format!("/policies/generate?arn={hostile}"),
    ] {
        let (status, html) = fx.page(&path, &fx.root).await;
        assert!(!status.is_server_error(), "{path}: {status}");
        assert_escaped(&path, &html);
    }
    // Signed out: the sign-in page and its redirect target.
    let request = http::Request::get(format!("/signin?redirect={hostile}&type=iam"))
        .body(axum::body::Body::empty())
        .unwrap();
    let response = fx.send(request).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_escaped("/signin", &text(response).await);
}

/// Search text is a substring to find, not SQL: quotes, `%` and `_` match only themselves.
#[tokio::test]
async fn search_text_is_not_sql() {
    let fx = fixture().await;
    let root = Some(fx.root.as_str());
    let draft = json!({
        "names": ["alice", "bob"], "console_access": false, "custom_password": false,
        "reset_required": false, "permissions": "group", "group_names": [],
        "copy_from": "", "policy_arns": [], "tags": []
    });
    let response = fx
        .post_form(
            "/api/create_users",
            root,
            &form(&[("draft", &draft.to_string())]),
        )
        .await;
    assert!(response.status().is_success() || response.status().is_redirection());
    for query in [SQL_OR, "' OR '1'='1", "%", "_", "%' --", SQL_DROP] {
        for list in ["list_users", "list_groups", "user_choices"] {
            let path = format!("/api/{list}?query={}&offset=0", encode(query));
            let found = get_json(&fx, &path).await;
            assert_eq!(found["total"], 0, "{path}: {found}");
        }
    }
    let found = get_json(&fx, "/api/list_users?query=&offset=0").await;
    assert_eq!(found["total"], 2);
}

/// A browser's `User-Agent` is stored with the sign-in event and shown in Event history.
#[tokio::test]
async fn a_hostile_user_agent_is_rendered_escaped_in_event_history() {
    let fx = fixture().await;
    let request = http::Request::post("/api/sign_in_root")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .header("user-agent", format!("{SCRIPT}{IMG}"))
        .body(axum::body::Body::from(form(&[
            ("email", super::hostile_tests::ROOT_EMAIL),
            ("password", "Wrong-password-1"),
        ])))
        .unwrap();
    let response = fx.send(request).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let (status, html) = fx.page("/events?read_only=true", &fx.root).await;
    assert_eq!(status, StatusCode::OK);
    assert_escaped("/events", &html);
    let events = get_json(&fx, "/api/lookup_events?query[read_only]=true").await;
    assert!(
        events.to_string().contains("onerror=alert(1)"),
        "stored verbatim: {events}"
    );
}

/// `</textarea>` in a stored document or a description must stay text in every textarea: Leptos
/// writes a textarea's children unescaped, so this once ended the element and planted a form.
#[tokio::test]
async fn textarea_content_cannot_end_the_textarea() {
    let fx = fixture().await;
    let planted = "</textarea><form action=\"/api/create_group\" method=\"post\">\
                   <button>Save changes</button></form>";
    let resource = format!("arn:aws:s3:::bucket/{planted}{IMG}");
    let document = format!(
        "\n{}",
        serde_json::to_string_pretty(&json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": resource}]
        }))
        .unwrap()
    );
    let description = format!("{planted}{IMG}");
    let body = form(&[
        ("name", "Planted"),
        ("description", &description),
        ("document", &document),
    ]);
    let response = fx
        .post_form("/api/create_policy", Some(&fx.root), &body)
        .await;
    assert!(response.status().is_success(), "{}", text(response).await);
    let arn = fx.state.iam.policy_arn_for(None, "Planted").await.unwrap();
    // The Create policy wizard's steps (where the text was reflected from the URL) are covered
    // in the browser, by end2end/tests/html-injection.spec.ts.
    for path in [
        format!("/policies/edit?arn={}", encode(&arn)),
        format!("/policies/details?arn={}&tab=versions", encode(&arn)),
    ] {
        let (status, html) = fx.page(&path, &fx.root).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_escaped(&path, &html);
        assert!(
            !html.contains("<form action=\"/api/create_group\""),
            "{path}: a planted form in the page"
        );
        // What the textarea holds is the whole text, escaped, after the newline the parser drops.
        if let Some(at) = html.find("<textarea") {
            let inside = &html[at..];
            let content =
                &inside[inside.find('>').unwrap() + 1..inside.find("</textarea>").unwrap()];
            assert!(content.starts_with('\n'), "{path}: {content}");
            assert!(
                content.contains("&lt;/textarea&gt;&lt;form"),
                "{path}: {content}"
            );
        }
    }
}
