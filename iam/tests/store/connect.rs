//! Connecting, SQLite settings, migrations and the account.

use iam::{AccountId, Iam, Store};

use super::support::{Backend, T0, test_sqlite_store, test_store};

#[tokio::test]
async fn migrations_apply_and_create_the_tables() {
    let db = test_store().await;
    for table in [
        "accounts",
        "root_users",
        "setup_tokens",
        "users",
        "groups",
        "policies",
        "sessions",
        "events",
        "policy_versions",
        "tags",
        "group_members",
        "group_policy_attachments",
        "user_policy_attachments",
        "group_inline_policies",
        "password_policies",
        "password_history",
        "service_last_accessed",
        "action_last_accessed",
        "access_keys",
        "event_resources",
        "group_service_last_accessed",
        "group_action_last_accessed",
        "policy_service_last_accessed",
        "policy_action_last_accessed",
        "sign_in_failures",
        "sign_in_rate",
        "policy_drafts",
    ] {
        let n = db.count(&format!("SELECT COUNT(*) FROM {table}")).await;
        assert!(n >= 0, "{table}");
    }
    let folder = match db.backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    let files = std::fs::read_dir(format!(
        "{}/migrations/{folder}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
    .count();
    assert_eq!(
        // `success` is a BOOLEAN column: 1 on SQLite, `true` on PostgreSQL.
        db.count("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
            .await,
        i64::try_from(files).unwrap(),
        "every migration file applied"
    );
}

#[tokio::test]
async fn a_missing_sqlite_file_and_its_directory_are_created() {
    let db = test_sqlite_store().await;
    let path = db.url.strip_prefix("sqlite:").unwrap();
    assert!(path.ends_with("/data/portcullis.db"), "{path}");
    assert!(std::fs::metadata(path).unwrap().is_file(), "{path}");
}

#[tokio::test]
async fn account_id_is_twelve_digits_and_stable_across_reconnects() {
    let db = test_store().await;
    let first = db.iam.ensure_account(T0).await.unwrap();
    assert!(AccountId::parse(first.id.as_str()).is_some());
    assert_eq!(first.id.as_str().len(), 12);
    assert_eq!(first.alias, None);

    db.iam.store().close().await;
    let again = Iam::connect(&db.url).await.unwrap();
    let second = again.ensure_account(T0.plus_secs(100)).await.unwrap();
    assert_eq!(first, second);
    assert_eq!(db.count("SELECT COUNT(*) FROM accounts").await, 1);
}

#[tokio::test]
async fn unsupported_urls_are_refused_clearly() {
    let e = Store::connect("mysql://u:pw@localhost/db")
        .await
        .unwrap_err();
    let m = e.to_string();
    assert!(
        m.contains("`mysql://u:<redacted>@localhost/db` is not a supported database url"),
        "{m}"
    );
    assert!(!m.contains("pw@"), "{m}");
}

#[tokio::test]
async fn a_failed_migration_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}/broken.db", dir.path().display());
    Store::connect(&url).await.unwrap().close().await;
    // Pretend the applied migration differs from the one compiled in.
    let raw = sqlx::SqlitePool::connect(&url).await.unwrap();
    sqlx::query("UPDATE _sqlx_migrations SET checksum = x'00'")
        .execute(&raw)
        .await
        .unwrap();
    raw.close().await;

    let e = Store::connect(&url).await.unwrap_err();
    let m = e.to_string();
    assert!(
        m.starts_with(&format!("migrating the database at `{url}` failed")),
        "{m}"
    );
    assert!(e.is_internal());
}
