//! Session lifetime, rotation, sign-out and storage.

use iam::{SESSION_IDLE_TIMEOUT_SECS, SESSION_MAX_AGE_SECS};

use super::support::{ROOT_EMAIL, ROOT_PASSWORD, T0, meta, with_root};

const MINUTE: i64 = 60;

#[tokio::test]
async fn a_fresh_session_authenticates() {
    let db = with_root().await;
    let signed_in = db.sign_in_root(T0).await;
    let session = db
        .iam
        .authenticate(signed_in.token.as_str(), T0.plus_secs(5))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(session, signed_in.session);
    assert_eq!(
        session.expires_at(),
        T0.plus_secs(SESSION_IDLE_TIMEOUT_SECS)
    );
}

#[tokio::test]
async fn sessions_expire_after_an_idle_hour() {
    let db = with_root().await;
    let token = db.sign_in_root(T0).await.token;
    let just_in_time = T0.plus_secs(SESSION_IDLE_TIMEOUT_SECS - 1);
    assert!(
        db.iam
            .authenticate(token.as_str(), just_in_time)
            .await
            .unwrap()
            .is_some()
    );

    // That request reset the idle timer; an hour of silence after it ends the session.
    let idle_hour_later = just_in_time.plus_secs(SESSION_IDLE_TIMEOUT_SECS);
    assert!(
        db.iam
            .authenticate(token.as_str(), idle_hour_later)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        db.count("SELECT COUNT(*) FROM sessions").await,
        0,
        "expired rows are deleted"
    );
}

#[tokio::test]
async fn sessions_end_after_twelve_hours_even_when_active() {
    let db = with_root().await;
    let token = db.sign_in_root(T0).await.token;
    let mut now = T0;
    while now.secs_since(T0) < SESSION_MAX_AGE_SECS - 30 * MINUTE {
        now = now.plus_secs(30 * MINUTE);
        assert!(
            db.iam
                .authenticate(token.as_str(), now)
                .await
                .unwrap()
                .is_some()
        );
    }
    let end = T0.plus_secs(SESSION_MAX_AGE_SECS);
    assert!(
        db.iam
            .authenticate(token.as_str(), end.plus_secs(-1))
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        db.iam
            .authenticate(token.as_str(), end)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(db.count("SELECT COUNT(*) FROM sessions").await, 0);
}

#[tokio::test]
async fn last_seen_is_written_at_most_once_a_minute() {
    let db = with_root().await;
    let token = db.sign_in_root(T0).await.token;
    let last_seen = || db.count("SELECT last_seen_at FROM sessions");

    let s = db
        .iam
        .authenticate(token.as_str(), T0.plus_secs(59))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(s.last_seen_at, T0);
    assert_eq!(last_seen().await, T0.as_secs());

    let s = db
        .iam
        .authenticate(token.as_str(), T0.plus_secs(60))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(s.last_seen_at, T0.plus_secs(60));
    assert_eq!(last_seen().await, T0.plus_secs(60).as_secs());
}

#[tokio::test]
async fn sign_out_deletes_the_row() {
    let db = with_root().await;
    let token = db.sign_in_root(T0).await.token;
    db.iam.sign_out(token.as_str()).await.unwrap();
    assert!(
        db.iam
            .authenticate(token.as_str(), T0)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(db.count("SELECT COUNT(*) FROM sessions").await, 0);
    // Signing out twice, or with garbage, is harmless.
    db.iam.sign_out(token.as_str()).await.unwrap();
    db.iam.sign_out("garbage").await.unwrap();
}

#[tokio::test]
async fn sign_in_rotates_the_previous_session() {
    let db = with_root().await;
    let old = db.sign_in_root(T0).await.token;
    let new = db
        .iam
        .sign_in_root(
            ROOT_EMAIL,
            ROOT_PASSWORD,
            Some(old.as_str()),
            &meta(),
            T0.plus_secs(10),
        )
        .await
        .unwrap()
        .token;
    assert_ne!(old.as_str(), new.as_str());
    assert!(
        db.iam
            .authenticate(old.as_str(), T0.plus_secs(11))
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        db.iam
            .authenticate(new.as_str(), T0.plus_secs(11))
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(db.count("SELECT COUNT(*) FROM sessions").await, 1);
}

#[tokio::test]
async fn a_failed_sign_in_keeps_the_previous_session() {
    let db = with_root().await;
    let old = db.sign_in_root(T0).await.token;
    let _ = db
        .iam
        .sign_in_root(
            ROOT_EMAIL,
            "Wrong-password1",
            Some(old.as_str()),
            &meta(),
            T0,
        )
        .await
        .unwrap_err();
    assert!(
        db.iam
            .authenticate(old.as_str(), T0)
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test]
async fn only_a_hash_of_the_token_is_stored() {
    let db = with_root().await;
    let signed_in = db.sign_in_root(T0).await;
    let token = signed_in.token.as_str();
    let pool = db.raw().await;
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT id_hash, source_ip, user_agent FROM sessions")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(rows.len(), 1);
    let (id_hash, ip, agent) = &rows[0];
    assert_ne!(id_hash, token);
    assert!(!id_hash.contains(token));
    assert_eq!(id_hash, &signed_in.session.id_hash);
    assert_eq!(id_hash.len(), 64);
    assert_eq!(
        (ip.as_str(), agent.as_str()),
        ("203.0.113.7", "test-agent/1.0")
    );
    // Nor does it appear anywhere in the events.
    let leaked = db
        .count(&format!(
            "SELECT COUNT(*) FROM events WHERE COALESCE(request_parameters, '') || COALESCE(response_elements, '') LIKE '%{token}%'"
        ))
        .await;
    assert_eq!(leaked, 0);
}

#[tokio::test]
async fn unknown_and_malformed_tokens_are_not_sessions() {
    let db = with_root().await;
    for token in ["", "abc", &"0".repeat(32), &"z".repeat(32)] {
        assert!(
            db.iam.authenticate(token, T0).await.unwrap().is_none(),
            "{token}"
        );
    }
}

#[tokio::test]
async fn expired_sessions_are_swept_at_sign_in() {
    let db = with_root().await;
    let _forgotten = db.sign_in_root(T0).await;
    let _fresh = db
        .sign_in_root(T0.plus_secs(SESSION_IDLE_TIMEOUT_SECS))
        .await;
    assert_eq!(db.count("SELECT COUNT(*) FROM sessions").await, 1);
}

#[tokio::test]
async fn a_deleted_user_loses_its_sessions() {
    let db = with_root().await;
    let account = db.iam.account().await.unwrap();
    let user_id = db.insert_user("alice", "Alice-pass1", false).await;
    let token = db
        .iam
        .sign_in_user(
            account.id.as_str(),
            "alice",
            "Alice-pass1",
            None,
            &meta(),
            T0,
        )
        .await
        .unwrap()
        .token;
    // Foreign keys are enforced on the raw pool too: sqlx turns them on for every SQLite
    // connection, and PostgreSQL always enforces them.
    let pool = db.raw().await;
    sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(&user_id)
        .execute(&pool)
        .await
        .unwrap();
    assert!(
        db.iam
            .authenticate(token.as_str(), T0)
            .await
            .unwrap()
            .is_none()
    );
}
