//! Access keys made on the command line (`portcullis create-access-key`), for root and for a
//! named user, and the account id chosen at first start (`--account-id`).

use iam::{AccountId, ErrorKind, Principal, UnixTime};

use super::enforcement::user;
use super::support::{ROOT_EMAIL, T0, test_store, with_root};

async fn events_of_the_command_line(db: &super::support::TestDb) -> Vec<(String, Option<String>)> {
    let pool = db.raw().await;
    let rows = sqlx::query_as(
        "SELECT user_agent, user_arn FROM events WHERE event_name = 'CreateAccessKey' \
         ORDER BY event_time",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    pool.close().await;
    rows
}

#[tokio::test]
async fn a_root_key_from_the_command_line_authenticates_as_root() {
    let db = with_root().await;
    let key = db.iam.create_bootstrap_access_key(None, T0).await.unwrap();
    assert_eq!(key.user_name, ROOT_EMAIL);
    let holder = db
        .iam
        .authenticate_access_key(&key.access_key_id, key.secret.expose(), T0)
        .await
        .unwrap();
    assert_eq!(holder.principal, db.root().await);
    let root_keys = db
        .count("SELECT COUNT(*) FROM access_keys WHERE is_root = 1 AND user_id IS NULL")
        .await;
    assert_eq!(root_keys, 1);
    let events = events_of_the_command_line(&db).await;
    assert_eq!(
        events,
        vec![(
            "portcullis create-access-key".to_owned(),
            Some(db.root().await.arn())
        )]
    );

    db.iam.create_bootstrap_access_key(None, T0).await.unwrap();
    let e = db
        .iam
        .create_bootstrap_access_key(None, T0)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict);
    assert!(
        e.user_message().starts_with("the root user already has 2"),
        "{e}"
    );
}

#[tokio::test]
async fn a_root_key_needs_the_root_user() {
    let db = test_store().await;
    let e = db
        .iam
        .create_bootstrap_access_key(None, T0)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict);
    assert!(e.user_message().contains("portcullis create-root"), "{e}");
    assert_eq!(db.count("SELECT COUNT(*) FROM access_keys").await, 0);
}

#[tokio::test]
async fn a_user_key_from_the_command_line_authenticates_as_the_user() {
    let db = with_root().await;
    let svc = user(&db, "deploy-bot", &[], &[]).await;
    let key = db
        .iam
        .create_bootstrap_access_key(Some("Deploy-Bot"), T0)
        .await
        .unwrap();
    assert_eq!(key.user_name, "deploy-bot");
    let holder = db
        .iam
        .authenticate_access_key(&key.access_key_id, key.secret.expose(), T0)
        .await
        .unwrap();
    assert_eq!(holder.principal, svc);
    assert!(matches!(holder.principal, Principal::User { .. }));
    let e = db
        .iam
        .create_bootstrap_access_key(Some("nobody"), T0)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    let events = events_of_the_command_line(&db).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].0, "portcullis create-access-key");
}

#[tokio::test]
async fn the_account_id_is_chosen_at_creation_and_refused_when_different_later() {
    let db = test_store().await;
    // `test_store` created the account already: the same id is fine, another is refused.
    let existing = db.iam.account().await.unwrap().id;
    let same = db
        .iam
        .ensure_account_with_id(T0, Some(&existing))
        .await
        .unwrap();
    assert_eq!(same.id, existing);
    let other = AccountId::parse(if existing.as_str() == "123456789012" {
        "210987654321"
    } else {
        "123456789012"
    })
    .unwrap();
    let e = db
        .iam
        .ensure_account_with_id(T0, Some(&other))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict);
    assert_eq!(
        e.user_message(),
        format!(
            "the account already exists as {existing}; --account-id only applies before the first start"
        )
    );

    // On an empty database the account is created with the chosen id.
    let pool = db.raw().await;
    sqlx::query("DELETE FROM accounts")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let chosen = AccountId::parse("111122223333").unwrap();
    let later = UnixTime::from_secs(T0.as_secs() + 60);
    let account = db
        .iam
        .ensure_account_with_id(later, Some(&chosen))
        .await
        .unwrap();
    assert_eq!(account.id, chosen);
    assert_eq!(db.iam.ensure_account(later).await.unwrap().id, chosen);
}
