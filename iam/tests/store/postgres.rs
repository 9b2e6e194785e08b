//! The same flows on PostgreSQL, through the public API only.
//!
//! Runs when `PORTCULLIS_TEST_POSTGRES_URL` names a server where the user may
//! create databases (e.g. `postgres://postgres@127.0.0.1:5432/postgres`); each
//! run creates a fresh database and drops it afterwards. Without the variable
//! the test returns at once: CI wires the Postgres run up in the PostgreSQL
//! issue.

use iam::{Action, ErrorKind, Iam, IamError};
use sqlx::{AssertSqlSafe, PgPool};

use super::support::{ROOT_EMAIL, ROOT_PASSWORD, T0, meta};

#[tokio::test]
async fn postgres_flows_when_configured() {
    let Ok(admin_url) = std::env::var("PORTCULLIS_TEST_POSTGRES_URL") else {
        eprintln!("PORTCULLIS_TEST_POSTGRES_URL is not set; not running the PostgreSQL flows");
        return;
    };
    let mut suffix = [0u8; 6];
    getrandom::fill(&mut suffix).unwrap();
    let name = format!("iam_test_{}", hex::encode(suffix));
    let admin = PgPool::connect(&admin_url).await.unwrap();
    sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&admin)
        .await
        .unwrap();
    let base = admin_url.rsplit_once('/').unwrap().0;
    let url = format!("{base}/{name}");

    flows(&url).await;

    sqlx::query(AssertSqlSafe(format!("DROP DATABASE {name} WITH (FORCE)")))
        .execute(&admin)
        .await
        .unwrap();
}

#[expect(clippy::unwrap_used, reason = "a helper of one test; failures fail it")]
async fn flows(url: &str) {
    let iam = Iam::connect(url).await.unwrap();
    let account = iam.ensure_account(T0).await.unwrap();
    iam.store().close().await;
    let iam = Iam::connect(url).await.unwrap();
    assert_eq!(iam.ensure_account(T0).await.unwrap(), account, "stable");

    // Setup link, once.
    let old = iam.issue_setup_token(T0).await.unwrap().unwrap();
    let token = iam.issue_setup_token(T0).await.unwrap().unwrap();
    assert!(!iam.check_setup_token(old.as_str()).await.unwrap());
    assert!(iam.check_setup_token(token.as_str()).await.unwrap());
    let first = iam
        .complete_setup(token.as_str(), ROOT_EMAIL, ROOT_PASSWORD, &meta(), T0)
        .await
        .unwrap();
    let again = iam
        .complete_setup(token.as_str(), ROOT_EMAIL, ROOT_PASSWORD, &meta(), T0)
        .await
        .unwrap_err();
    assert!(matches!(again, IamError::SetupTokenInvalid));
    assert!(iam.root_exists().await.unwrap());
    assert!(iam.issue_setup_token(T0).await.unwrap().is_none());
    let conflict = iam
        .create_root(ROOT_EMAIL, ROOT_PASSWORD, T0)
        .await
        .unwrap_err();
    assert_eq!(conflict.kind(), ErrorKind::Conflict);

    // Sign-in, rotation, failures.
    let second = iam
        .sign_in_root(
            ROOT_EMAIL,
            ROOT_PASSWORD,
            Some(first.token.as_str()),
            &meta(),
            T0,
        )
        .await
        .unwrap();
    assert!(
        iam.authenticate(first.token.as_str(), T0)
            .await
            .unwrap()
            .is_none()
    );
    for (email, password) in [
        (ROOT_EMAIL, "Wrong-password1"),
        ("x@example.com", ROOT_PASSWORD),
    ] {
        let e = iam
            .sign_in_root(email, password, None, &meta(), T0)
            .await
            .unwrap_err();
        assert!(matches!(e, IamError::InvalidCredentials));
    }
    let e = iam
        .sign_in_user(
            account.id.as_str(),
            "alice",
            "Alice-pass1",
            None,
            &meta(),
            T0,
        )
        .await
        .unwrap_err();
    assert!(matches!(e, IamError::InvalidCredentials));

    // Sessions: refresh, idle expiry.
    let token = second.token.as_str();
    let s = iam
        .authenticate(token, T0.plus_secs(120))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(s.last_seen_at, T0.plus_secs(120));
    assert!(
        iam.authenticate(token, T0.plus_secs(120 + 3600))
            .await
            .unwrap()
            .is_none()
    );

    // Authorization and the summary.
    let auth = iam
        .authorize(&s.principal, Action::GetAccountSummary, "*")
        .await
        .unwrap();
    let summary = iam.account_summary(&auth).await.unwrap();
    assert_eq!((summary.users, summary.groups, summary.policies), (0, 0, 0));

    let third = iam
        .sign_in_root(ROOT_EMAIL, ROOT_PASSWORD, None, &meta(), T0)
        .await
        .unwrap();
    iam.sign_out(third.token.as_str()).await.unwrap();
    assert!(
        iam.authenticate(third.token.as_str(), T0)
            .await
            .unwrap()
            .is_none()
    );
    iam.store().close().await;
}
