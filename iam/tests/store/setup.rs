//! The one-time setup link and the CLI's create-root.

use iam::{ErrorKind, IamError, PasswordRuleViolation};

use super::support::{ROOT_EMAIL, ROOT_PASSWORD, T0, meta, test_store, with_root};

#[tokio::test]
async fn setup_token_works_once_only() {
    let db = test_store().await;
    assert!(!db.iam.root_exists().await.unwrap());
    let token = db.iam.issue_setup_token(T0).await.unwrap().unwrap();
    assert!(db.iam.check_setup_token(token.as_str()).await.unwrap());

    let signed_in = db
        .iam
        .complete_setup(token.as_str(), ROOT_EMAIL, ROOT_PASSWORD, &meta(), T0)
        .await
        .unwrap();
    assert!(signed_in.session.principal.is_root());
    assert!(db.iam.root_exists().await.unwrap());

    // The link is spent, and no new one is issued once root exists.
    assert!(!db.iam.check_setup_token(token.as_str()).await.unwrap());
    let again = db
        .iam
        .complete_setup(
            token.as_str(),
            "other@example.com",
            ROOT_PASSWORD,
            &meta(),
            T0,
        )
        .await
        .unwrap_err();
    assert!(matches!(again, IamError::SetupTokenInvalid), "{again:?}");
    assert!(db.iam.issue_setup_token(T0).await.unwrap().is_none());
    assert_eq!(db.count("SELECT COUNT(*) FROM root_users").await, 1);
}

#[tokio::test]
async fn a_wrong_token_fails() {
    let db = test_store().await;
    let _token = db.iam.issue_setup_token(T0).await.unwrap().unwrap();
    let wrong = "0".repeat(64);
    for bad in [wrong.as_str(), "", "not-a-token"] {
        assert!(!db.iam.check_setup_token(bad).await.unwrap());
        let e = db
            .iam
            .complete_setup(bad, ROOT_EMAIL, ROOT_PASSWORD, &meta(), T0)
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::SetupTokenInvalid);
    }
    assert!(!db.iam.root_exists().await.unwrap());
}

#[tokio::test]
async fn a_new_token_replaces_the_old_one_and_only_its_hash_is_stored() {
    let db = test_store().await;
    let old = db.iam.issue_setup_token(T0).await.unwrap().unwrap();
    let new = db.iam.issue_setup_token(T0).await.unwrap().unwrap();
    assert!(!db.iam.check_setup_token(old.as_str()).await.unwrap());
    assert!(db.iam.check_setup_token(new.as_str()).await.unwrap());

    let pool = db.raw().await;
    let rows: Vec<(String,)> = sqlx::query_as("SELECT token_hash FROM setup_tokens")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_ne!(rows[0].0, new.as_str());
    assert!(!rows[0].0.contains(new.as_str()));
    assert_eq!(rows[0].0.len(), 64, "hex SHA-256");
}

#[tokio::test]
async fn setup_checks_email_and_password_rules() {
    let db = test_store().await;
    let token = db.iam.issue_setup_token(T0).await.unwrap().unwrap();
    let setup = |email: &'static str, password: &'static str| {
        let iam = db.iam.clone();
        let token = token.as_str().to_owned();
        async move {
            iam.complete_setup(&token, email, password, &meta(), T0)
                .await
                .unwrap_err()
        }
    };

    let e = setup("not-an-email", ROOT_PASSWORD).await;
    assert_eq!(
        (e.kind(), e.field()),
        (ErrorKind::Validation, Some("email"))
    );
    assert!(e.user_message().contains("`not-an-email`"));

    let cases: [(&str, &str); 4] = [
        ("aB3!xyz", "min_length"),
        ("abcdefghij", "character_classes"),
        ("Root@Example.com", "not_identity"),
        (
            "aB3!aB3!aB3!aB3!aB3!aB3!aB3!aB3!aB3!aB3!aB3!aB3!aB3!aB3!aB3!aB3!aB3!aB3!aB3!aB3!aB3!aB3!aB3!aB3!aB3!aB3!aB3!aB3!aB3!aB3!aB3!aB3!x",
            "max_length",
        ),
    ];
    for (password, rule) in cases {
        let e = setup(ROOT_EMAIL, password).await;
        assert_eq!(e.field(), Some("password"));
        let IamError::PasswordRules { violations } = &e else {
            panic!("expected a password rules error, got {e:?}");
        };
        let broken: Vec<_> = violations.iter().map(PasswordRuleViolation::rule).collect();
        assert_eq!(broken, [rule], "{password}");
        assert!(
            !e.user_message().contains(password),
            "the password is not echoed"
        );
    }
    // The failed attempts did not spend the token.
    assert!(db.iam.check_setup_token(token.as_str()).await.unwrap());
}

#[tokio::test]
async fn setup_writes_events_without_the_password() {
    let db = test_store().await;
    let token = db.iam.issue_setup_token(T0).await.unwrap().unwrap();
    db.iam
        .complete_setup(token.as_str(), ROOT_EMAIL, ROOT_PASSWORD, &meta(), T0)
        .await
        .unwrap();
    let pool = db.raw().await;
    let rows: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT event_name, event_source, user_arn, request_parameters FROM events ORDER BY event_name",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let names: Vec<_> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(names, ["ConsoleLogin", "CreateRootUser"]);
    assert_eq!(rows[1].1, "iam.amazonaws.com");
    assert!(rows[1].2.ends_with(":root"));
    assert_eq!(
        rows[1].3.as_deref(),
        Some(r#"{"email":"root@example.com"}"#)
    );
    let leaked = db
        .count(&format!(
            "SELECT COUNT(*) FROM events WHERE COALESCE(request_parameters, '') || COALESCE(response_elements, '') LIKE '%{ROOT_PASSWORD}%'"
        ))
        .await;
    assert_eq!(leaked, 0);
}

#[tokio::test]
async fn create_root_from_the_cli_then_refuses_a_second() {
    let db = test_store().await;
    let token = db.iam.issue_setup_token(T0).await.unwrap().unwrap();
    db.iam
        .create_root(ROOT_EMAIL, ROOT_PASSWORD, T0)
        .await
        .unwrap();
    assert!(db.iam.root_exists().await.unwrap());
    assert!(
        !db.iam.check_setup_token(token.as_str()).await.unwrap(),
        "the link dies"
    );

    let e = db
        .iam
        .create_root("second@example.com", ROOT_PASSWORD, T0)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict);
    let e = db
        .iam
        .create_root("bad", ROOT_PASSWORD, T0)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
}

#[tokio::test]
async fn the_password_is_stored_as_argon2id_only() {
    let db = with_root().await;
    let pool = db.raw().await;
    let (hash,): (String,) = sqlx::query_as("SELECT password_hash FROM root_users")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );
    assert!(!hash.contains(ROOT_PASSWORD));
}
