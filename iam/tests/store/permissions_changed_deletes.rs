//! Deleting a user, a group or a customer managed policy changes what principals may do, so it
//! grows the permissions version; a refused delete leaves it.

use iam::{Action, ErrorKind};

use super::enforcement::{group, user};
use super::policies::{REDUCED, create, new_policy};
use super::support::{T0, TestDb, meta, with_root};

async fn version(db: &TestDb) -> i64 {
    let account = db.iam.account().await.unwrap();
    db.iam.permissions_version(&account.id).await.unwrap()
}

#[tokio::test]
async fn deleting_a_user_a_group_or_a_policy_changes_permissions() {
    let db = with_root().await;
    let policy = create(&db, new_policy("Reduced", REDUCED)).await.unwrap();
    let team = group(&db, "Team", &[&policy.arn]).await;
    user(&db, "alice", &["Team"], &[]).await;
    let alice = db.iam.user_arn_for(None, "alice").await.unwrap();

    let before = version(&db).await;
    let auth = db.auth(Action::DeleteUser, &alice).await;
    db.iam.delete_user(&auth, &meta(), T0).await.unwrap();
    let after_user = version(&db).await;
    assert!(
        after_user > before,
        "delete_user left the version at {before}"
    );

    let auth = db.auth(Action::DeleteGroup, &team).await;
    db.iam.delete_group(&auth, &meta(), T0).await.unwrap();
    let after_group = version(&db).await;
    assert!(
        after_group > after_user,
        "delete_group left the version at {after_user}"
    );

    let auth = db.auth(Action::DeletePolicy, &policy.arn).await;
    db.iam.delete_policy(&auth, &meta(), T0).await.unwrap();
    let after_policy = version(&db).await;
    assert!(
        after_policy > after_group,
        "delete_policy left the version at {after_group}"
    );

    // Deleting what is already gone is refused and changes nothing.
    let auth = db.auth(Action::DeleteUser, &alice).await;
    let refused = db.iam.delete_user(&auth, &meta(), T0).await.unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::NotFound);
    let auth = db.auth(Action::DeletePolicy, &policy.arn).await;
    let refused = db.iam.delete_policy(&auth, &meta(), T0).await.unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::NotFound);
    assert_eq!(version(&db).await, after_policy);
}
