//! Sign-in: one error and one argon2 check for every kind of failure, and a
//! `ConsoleLogin` event for every attempt.

use iam::{ErrorKind, IamError, Principal, SessionState};

use super::support::{ROOT_EMAIL, ROOT_PASSWORD, T0, argon2_with, meta, test_store, with_root};

fn is_invalid_credentials(e: &IamError) -> bool {
    matches!(e, IamError::InvalidCredentials)
}

#[tokio::test]
async fn root_sign_in_succeeds_case_insensitively() {
    let db = with_root().await;
    let signed_in = db
        .iam
        .sign_in_root(" ROOT@example.com", ROOT_PASSWORD, None, &meta(), T0)
        .await
        .unwrap();
    let Principal::Root { email, account_id } = &signed_in.session.principal else {
        panic!("expected root");
    };
    assert_eq!(email, ROOT_EMAIL);
    assert_eq!(account_id, &db.iam.account().await.unwrap().id);
    assert_eq!(signed_in.session.state, SessionState::Active);
}

#[tokio::test]
async fn wrong_password_and_unknown_email_give_the_same_error() {
    let db = with_root().await;
    let wrong = db
        .iam
        .sign_in_root(ROOT_EMAIL, "Wrong-password1", None, &meta(), T0)
        .await
        .unwrap_err();
    let before = db.iam.hasher().verifications();
    let unknown = db
        .iam
        .sign_in_root("nobody@example.com", ROOT_PASSWORD, None, &meta(), T0)
        .await
        .unwrap_err();
    assert_eq!(
        db.iam.hasher().verifications(),
        before + 1,
        "the same argon2 work"
    );
    assert!(is_invalid_credentials(&wrong) && is_invalid_credentials(&unknown));
    assert_eq!(wrong.user_message(), unknown.user_message());
    assert_eq!(wrong.kind(), ErrorKind::InvalidCredentials);
    assert_eq!(db.count("SELECT COUNT(*) FROM sessions").await, 0);
}

#[tokio::test]
async fn sign_in_before_setup_fails_cleanly() {
    let db = test_store().await;
    let e = db
        .iam
        .sign_in_root(ROOT_EMAIL, ROOT_PASSWORD, None, &meta(), T0)
        .await
        .unwrap_err();
    assert!(is_invalid_credentials(&e));
}

#[tokio::test]
async fn iam_user_failures_look_alike() {
    let db = with_root().await;
    let account = db.iam.account().await.unwrap();
    db.insert_user("alice", "Alice-pass1", false).await;
    db.insert_user("nopassword", "Alice-pass1", false).await;
    let attempts = [
        ("999999999999", "alice", "Alice-pass1"),
        (account.id.as_str(), "nopassword", "Alice-pass1"),
        ("no-such-alias", "alice", "Alice-pass1"),
        (account.id.as_str(), "bob", "Alice-pass1"),
        (account.id.as_str(), "alice", "Wrong-pass1"),
        (account.id.as_str(), "alice", &"x".repeat(5000)),
    ];
    sqlx::query("UPDATE users SET console_access = 0 WHERE name = 'nopassword'")
        .execute(&db.raw().await)
        .await
        .unwrap();
    for (acct, user, password) in attempts {
        let before = db.iam.hasher().verifications();
        let e = db
            .iam
            .sign_in_user(acct, user, password, None, &meta(), T0)
            .await
            .unwrap_err();
        assert!(is_invalid_credentials(&e), "{acct} {user}: {e:?}");
        assert_eq!(
            db.iam.hasher().verifications(),
            before + 1,
            "one argon2 check: {acct} {user}"
        );
    }
    assert_eq!(
        db.count("SELECT COUNT(*) FROM events WHERE event_name = 'ConsoleLogin' AND error_code = 'InvalidCredentials'").await,
        6
    );
}

#[tokio::test]
async fn iam_user_sign_in_succeeds_with_a_console_password() {
    let db = with_root().await;
    let account = db.iam.account().await.unwrap();
    let user_id = db.insert_user("alice", "Alice-pass1", true).await;
    let signed_in = db
        .iam
        .sign_in_user(
            account.id.as_str(),
            "ALICE",
            "Alice-pass1",
            None,
            &meta(),
            T0,
        )
        .await
        .unwrap();
    let principal = &signed_in.session.principal;
    assert_eq!(
        principal.arn(),
        format!("arn:aws:iam::{}:user/alice", account.id)
    );
    assert!(matches!(principal, Principal::User { user_id: id, .. } if *id == user_id));
    assert_eq!(
        signed_in.session.state,
        SessionState::PasswordChangeRequired
    );
    let used = db
        .count("SELECT COUNT(*) FROM users WHERE password_last_used_at IS NOT NULL")
        .await;
    assert_eq!(used, 1);
}

#[tokio::test]
async fn a_stored_hash_that_is_not_argon2id_is_rejected() {
    let db = with_root().await;
    let argon2i = argon2_with(argon2::Algorithm::Argon2i, ROOT_PASSWORD);
    let pool = db.raw().await;
    sqlx::query("UPDATE root_users SET password_hash = $1")
        .bind(argon2i)
        .execute(&pool)
        .await
        .unwrap();
    let e = db
        .iam
        .sign_in_root(ROOT_EMAIL, ROOT_PASSWORD, None, &meta(), T0)
        .await
        .unwrap_err();
    assert!(
        is_invalid_credentials(&e),
        "the right password is refused: {e:?}"
    );
}

#[tokio::test]
async fn every_sign_in_writes_a_console_login_event() {
    let db = with_root().await;
    db.sign_in_root(T0).await;
    let _ = db
        .iam
        .sign_in_root(ROOT_EMAIL, "Wrong-password1", None, &meta(), T0)
        .await;
    let _ = db
        .iam
        .sign_in_root("nobody@example.com", "Wrong-password1", None, &meta(), T0)
        .await;

    let pool = db.raw().await;
    type Row = (
        String,
        String,
        Option<String>,
        Option<String>,
        String,
        String,
        Option<String>,
        Option<String>,
        i64,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT event_source, user_identity_type, user_arn, user_name, source_ip, user_agent, \
         response_elements, error_message, read_only FROM events \
         WHERE event_name = 'ConsoleLogin' ORDER BY error_message IS NOT NULL, user_arn IS NULL",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(rows.len(), 3);
    let (source, kind, arn, name, ip, agent, response, error, read_only) = &rows[0];
    assert_eq!(
        (source.as_str(), kind.as_str()),
        ("signin.amazonaws.com", "Root")
    );
    assert!(arn.as_deref().unwrap().ends_with(":root"));
    assert_eq!(name.as_deref(), Some(ROOT_EMAIL));
    assert_eq!(
        (ip.as_str(), agent.as_str()),
        ("203.0.113.7", "test-agent/1.0")
    );
    assert_eq!(response.as_deref(), Some(r#"{"ConsoleLogin":"Success"}"#));
    assert_eq!((error, *read_only), (&None, 0));

    // Wrong password for a real root: named. Unknown email: hidden.
    assert_eq!(rows[1].3.as_deref(), Some(ROOT_EMAIL));
    assert_eq!(rows[1].6.as_deref(), Some(r#"{"ConsoleLogin":"Failure"}"#));
    assert_eq!(rows[1].7.as_deref(), Some("Failed authentication"));
    assert_eq!(rows[2].2, None);
    assert_eq!(rows[2].3.as_deref(), Some("HIDDEN_DUE_TO_SECURITY_REASONS"));
    let leaked = db
        .count("SELECT COUNT(*) FROM events WHERE user_name LIKE '%nobody%' OR COALESCE(request_parameters, '') LIKE '%Wrong%'")
        .await;
    assert_eq!(leaked, 0);
}

#[tokio::test]
async fn old_events_can_be_deleted() {
    let db = with_root().await;
    db.sign_in_root(T0).await;
    db.sign_in_root(T0.plus_secs(1000)).await;
    let before = db.count("SELECT COUNT(*) FROM events").await;
    let deleted = db
        .iam
        .store()
        .delete_events_before(T0.plus_secs(1))
        .await
        .unwrap();
    assert_eq!(deleted, 2, "create-root and the first sign-in");
    assert_eq!(db.count("SELECT COUNT(*) FROM events").await, before - 2);
}
