//! The permissions-changed hook for access keys: creating a key, changing its status and
//! deleting it bump the account's permissions version; failed attempts and reads do not. The
//! account alias, the password policy and sign-in protection never change what a principal may
//! do, so they leave the version alone too.

use iam::{AccessKeyStatus, AccountId, Action, ErrorKind, PasswordPolicy, Principal};

use super::enforcement::user;
use super::support::{T0, TestDb, meta, permissions_version as version, with_root};

async fn account_id(db: &TestDb) -> AccountId {
    db.iam.account().await.unwrap().id
}

async fn create_key(db: &TestDb, who: &Principal) -> Result<iam::NewAccessKey, iam::IamError> {
    let auth = db.auth(Action::CreateAccessKey, &who.arn()).await;
    db.iam.create_access_key(&auth, &meta(), T0).await
}

#[tokio::test]
async fn creating_updating_and_deleting_keys_bump_the_version_and_failures_do_not() {
    let db = with_root().await;
    let svc = user(&db, "inventory-service", &[], &[]).await;

    let before = version(&db).await;
    let key = create_key(&db, &svc).await.unwrap();
    let created = version(&db).await;
    assert!(created > before, "create: {before} -> {created}");

    // Reads, including an authentication that records the key's first use.
    db.iam
        .authenticate_access_key(&key.access_key_id, key.secret.expose(), T0)
        .await
        .unwrap();
    let list = db.auth(Action::ListAccessKeys, &svc.arn()).await;
    let keys = db.iam.list_access_keys(&list).await.unwrap();
    assert_eq!(keys[0].last_used_at, Some(T0));
    assert_eq!(version(&db).await, created, "reads");

    create_key(&db, &svc).await.unwrap();
    let two_keys = version(&db).await;
    assert!(two_keys > created, "second key: {created} -> {two_keys}");
    let e = create_key(&db, &svc).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict);
    assert_eq!(version(&db).await, two_keys, "a third key is refused");

    let update = db.auth(Action::UpdateAccessKey, &svc.arn()).await;
    db.iam
        .update_access_key(
            &update,
            &key.access_key_id,
            AccessKeyStatus::Inactive,
            &meta(),
            T0,
        )
        .await
        .unwrap();
    let updated = version(&db).await;
    assert!(updated > two_keys, "update: {two_keys} -> {updated}");
    let e = db
        .iam
        .update_access_key(
            &update,
            "AKIAAAAAAAAAAAAAAAAA",
            AccessKeyStatus::Active,
            &meta(),
            T0,
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    let e = db
        .iam
        .authenticate_access_key(&key.access_key_id, key.secret.expose(), T0)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidCredentials);
    assert_eq!(
        version(&db).await,
        updated,
        "a missing key, an inactive key"
    );

    let delete = db.auth(Action::DeleteAccessKey, &svc.arn()).await;
    db.iam
        .delete_access_key(&delete, &key.access_key_id, &meta(), T0)
        .await
        .unwrap();
    let deleted = version(&db).await;
    assert!(deleted > updated, "delete: {updated} -> {deleted}");
    let e = db
        .iam
        .delete_access_key(&delete, &key.access_key_id, &meta(), T0)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(version(&db).await, deleted, "deleting it again");
}

#[tokio::test]
async fn account_settings_and_sign_in_protection_leave_the_version_alone() {
    let db = with_root().await;
    let before = version(&db).await;

    let set = db.auth(Action::CreateAccountAlias, "*").await;
    db.iam
        .set_account_alias(&set, "example-corp", &meta(), T0)
        .await
        .unwrap();
    let delete_alias = db.auth(Action::DeleteAccountAlias, "*").await;
    db.iam
        .delete_account_alias(&delete_alias, &meta(), T0)
        .await
        .unwrap();

    let update = db.auth(Action::UpdateAccountPasswordPolicy, "*").await;
    db.iam
        .update_account_password_policy(&update, PasswordPolicy::default(), &meta(), T0)
        .await
        .unwrap();
    let get = db.auth(Action::GetAccountPasswordPolicy, "*").await;
    assert!(
        db.iam
            .get_account_password_policy(&get)
            .await
            .unwrap()
            .is_some()
    );
    db.iam.password_requirements().await.unwrap();
    let delete_policy = db.auth(Action::DeleteAccountPasswordPolicy, "*").await;
    db.iam
        .delete_account_password_policy(&delete_policy, &meta(), T0)
        .await
        .unwrap();

    // Counted failures and a lockout (rate window and failure rows), then the wait ends and a
    // successful sign-in clears the run, and the records are pruned.
    let account = account_id(&db).await;
    let password = "Alice-pass1";
    db.insert_user("alice", password, false).await;
    for _ in 0..6 {
        let e = db
            .iam
            .sign_in_user(account.as_str(), "alice", "Wrong-pass1", None, &meta(), T0)
            .await
            .unwrap_err();
        assert!(
            matches!(
                e.kind(),
                ErrorKind::InvalidCredentials | ErrorKind::TooManyRequests
            ),
            "{e:?}"
        );
    }
    let later = T0.plus_secs(3600);
    db.iam
        .sign_in_user(account.as_str(), "alice", password, None, &meta(), later)
        .await
        .unwrap();
    db.iam
        .prune_sign_in_records(T0.plus_secs(3 * 86_400))
        .await
        .unwrap();

    assert_eq!(version(&db).await, before);
}
