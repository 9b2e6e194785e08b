//! Authorization and the dashboard summary.

use iam::{Action, ErrorKind};

use super::support::{T0, meta, with_root};

#[tokio::test]
async fn root_is_allowed_and_sees_zero_counts() {
    let db = with_root().await;
    let principal = db.sign_in_root(T0).await.session.principal;
    let auth = db
        .iam
        .authorize(&principal, Action::GetAccountSummary, "*")
        .await
        .unwrap();
    let summary = db.iam.account_summary(&auth).await.unwrap();
    assert_eq!((summary.users, summary.groups, summary.policies), (0, 0, 0));
}

#[tokio::test]
async fn the_summary_counts_rows() {
    let db = with_root().await;
    db.insert_user("alice", "Alice-pass1", false).await;
    db.insert_user("bob", "Bob-pass12", false).await;
    let principal = db.sign_in_root(T0).await.session.principal;
    let auth = db
        .iam
        .authorize(&principal, Action::GetAccountSummary, "*")
        .await
        .unwrap();
    assert_eq!(db.iam.account_summary(&auth).await.unwrap().users, 2);
}

#[tokio::test]
async fn an_iam_user_without_policies_is_denied() {
    let db = with_root().await;
    let account = db.iam.account().await.unwrap();
    db.insert_user("alice", "Alice-pass1", false).await;
    let principal = db
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
        .session
        .principal;
    let e = db
        .iam
        .authorize(&principal, Action::GetAccountSummary, "*")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::AccessDenied);
    assert!(e.user_message().contains("`iam:GetAccountSummary`"));
}

#[tokio::test]
async fn a_proof_for_another_action_is_refused() {
    let db = with_root().await;
    let principal = db.sign_in_root(T0).await.session.principal;
    let auth = db
        .iam
        .authorize(&principal, Action::ListUsers, "*")
        .await
        .unwrap();
    let e = db.iam.account_summary(&auth).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Internal);
}
