//! Authorization and the dashboard summary.

use iam::{AccountId, Action, ErrorKind, Principal};

use super::support::{T0, TestDb, meta, with_root};

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
    let principal = signed_in_user(&db, &account.id, "alice", "Alice-pass1").await;
    let e = db
        .iam
        .authorize(&principal, Action::GetAccountSummary, "*")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::AccessDenied);
    assert!(e.user_message().contains("`iam:GetAccountSummary`"));
}

/// The principal of an IAM user signed in with `password`.
async fn signed_in_user(db: &TestDb, account: &AccountId, name: &str, password: &str) -> Principal {
    db.iam
        .sign_in_user(account.as_str(), name, password, None, &meta(), T0)
        .await
        .expect("the user signs in")
        .session
        .principal
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

/// A caller learns whether a user or group exists only where it may act on it: `user_arn` and
/// `group_arn` give an ARN to authorize for a missing name too, so a caller without permissions
/// gets the same `AccessDenied` for `mary` (who exists) and `nobody`, and an allowed caller gets
/// `NotFound` from the method itself.
#[tokio::test]
async fn existence_is_told_only_after_authorization() {
    let db = with_root().await;
    let account = db.iam.account().await.unwrap();
    db.insert_user("alice", "Alice-pass1", false).await;
    db.insert_user("mary", "Mary-pass12", false).await;
    let alice = signed_in_user(&db, &account.id, "alice", "Alice-pass1").await;
    let own = |kind: &str, name: &str| format!("arn:aws:iam::{}:{kind}/{name}", account.id);
    assert_eq!(
        db.iam.user_arn("nobody").await.unwrap(),
        own("user", "nobody")
    );
    assert_eq!(db.iam.user_arn("MARY").await.unwrap(), own("user", "mary"));
    assert_eq!(
        db.iam.group_arn("Nobodies").await.unwrap(),
        own("group", "Nobodies")
    );

    let mut answers = Vec::new();
    for name in ["mary", "nobody"] {
        let arn = db.iam.user_arn(name).await.unwrap();
        for action in [
            Action::ListAccessKeys,
            Action::ListUserTags,
            Action::AttachUserPolicy,
        ] {
            let e = db.iam.authorize(&alice, action, &arn).await.unwrap_err();
            answers.push((e.kind(), e.user_message().replace(name, "NAME")));
        }
    }
    assert_eq!(
        answers[..3],
        answers[3..],
        "the same answers whether the user exists or not"
    );
    assert!(
        answers
            .iter()
            .all(|(kind, _)| *kind == ErrorKind::AccessDenied)
    );

    // Allowed to act on it, root is told that the user is not there, by name.
    let root = db.root().await;
    let arn = db.iam.user_arn("nobody").await.unwrap();
    let auth = db
        .iam
        .authorize(&root, Action::ListAccessKeys, &arn)
        .await
        .unwrap();
    let e = db.iam.list_access_keys(&auth).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert!(
        e.user_message().contains("`nobody`"),
        "{}",
        e.user_message()
    );
    let group = db.iam.group_arn("Nobodies").await.unwrap();
    let auth = db
        .iam
        .authorize(&root, Action::GetGroup, &group)
        .await
        .unwrap();
    assert_eq!(
        db.iam.get_group(&auth).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );

    // A name IAM could not have made is refused before any lookup, naming the field.
    for bad in ["a/b", "<script>", ""] {
        let e = db.iam.user_arn(bad).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Validation, "{bad}");
    }
}
