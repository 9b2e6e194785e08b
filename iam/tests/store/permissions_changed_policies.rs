//! The permissions version and managed policies: attaching and detaching (to groups and users,
//! alone or while creating them) and choosing a policy's default version make it grow; creating
//! a policy, adding or deleting a version that is not the default, refused or no-op writes, and
//! reads leave it as it was.

use iam::{Action, ErrorKind, NewUserSpec, PolicyFilter, PolicyScope};

use super::enforcement::{group, user};
use super::policies::{POWER_USER_ARN, create_ok, simple_doc};
use super::support::{
    T0, TestDb, meta, permissions_grew as grew, permissions_same as unchanged,
    permissions_version as version, with_root,
};
use super::users::create_users;

/// Attaches (or detaches) `policy_arn` to the group or user `holder_arn`.
async fn attach(
    db: &TestDb,
    holder_arn: &str,
    policy_arn: &str,
    attach: bool,
) -> Result<(), iam::IamError> {
    let group = holder_arn.contains(":group/");
    let action = match (group, attach) {
        (true, true) => Action::AttachGroupPolicy,
        (true, false) => Action::DetachGroupPolicy,
        (false, true) => Action::AttachUserPolicy,
        (false, false) => Action::DetachUserPolicy,
    };
    let auth = db.auth(action, holder_arn).await;
    match (group, attach) {
        (true, true) => {
            db.iam
                .attach_group_policy(&auth, policy_arn, &meta(), T0)
                .await
        }
        (true, false) => {
            db.iam
                .detach_group_policy(&auth, policy_arn, &meta(), T0)
                .await
        }
        (false, true) => {
            db.iam
                .attach_user_policy(&auth, policy_arn, &meta(), T0)
                .await
        }
        (false, false) => {
            db.iam
                .detach_user_policy(&auth, policy_arn, &meta(), T0)
                .await
        }
    }
}

#[tokio::test]
async fn attaching_and_detaching_change_permissions_once() {
    let db = with_root().await;
    let ours = create_ok(&db, "Ours", &simple_doc("s3:GetObject")).await;
    let alice = user(&db, "alice", &[], &[]).await.arn();
    let admins = group(&db, "Admins", &[]).await;

    for holder in [&alice, &admins] {
        let before = version(&db).await;
        attach(&db, holder, &ours.arn, true).await.unwrap();
        let before = grew(&db, before, "attaching").await;
        attach(&db, holder, &ours.arn, true).await.unwrap();
        unchanged(&db, before, "attaching an attached policy").await;
    }
    let before = version(&db).await;
    attach(&db, &alice, POWER_USER_ARN, true).await.unwrap();
    let before = grew(&db, before, "attaching an AWS managed policy").await;
    let missing = ours.arn.replace("Ours", "Missing");
    let e = attach(&db, &admins, &missing, true).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e:?}");
    unchanged(&db, before, "attaching a policy that does not exist").await;

    for holder in [&alice, &admins] {
        let before = version(&db).await;
        attach(&db, holder, &ours.arn, false).await.unwrap();
        let before = grew(&db, before, "detaching").await;
        let e = attach(&db, holder, &ours.arn, false).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotFound, "{e:?}");
        unchanged(&db, before, "detaching a policy that is not attached").await;
    }
}

#[tokio::test]
async fn creating_a_group_or_users_with_policies_changes_permissions() {
    let db = with_root().await;
    let ours = create_ok(&db, "Ours", &simple_doc("s3:GetObject")).await;

    let before = version(&db).await;
    group(&db, "Admins", &[&ours.arn, POWER_USER_ARN]).await;
    let before = grew(&db, before, "creating a group with policies").await;

    let spec = NewUserSpec {
        policy_arns: vec![ours.arn.clone(), POWER_USER_ARN.to_owned()],
        ..NewUserSpec::named("bob")
    };
    create_users(&db, vec![spec]).await.unwrap();
    grew(&db, before, "creating a user with policies").await;
}

#[tokio::test]
async fn only_a_new_default_version_changes_permissions() {
    let db = with_root().await;
    let before = version(&db).await;
    let created = create_ok(&db, "Ours", &simple_doc("s3:GetObject")).await;
    unchanged(&db, before, "creating a policy").await;
    let arn = created.arn;
    let create = db.auth(Action::CreatePolicyVersion, &arn).await;
    let set = db.auth(Action::SetDefaultPolicyVersion, &arn).await;
    let delete = db.auth(Action::DeletePolicyVersion, &arn).await;

    // v2, not the default.
    let info = db
        .iam
        .create_policy_version(&create, &simple_doc("s3:*"), false, None, &meta(), T0)
        .await
        .unwrap();
    assert_eq!(info.version_id, "v2");
    unchanged(&db, before, "adding a version that is not the default").await;

    // v3, the default.
    db.iam
        .create_policy_version(&create, &simple_doc("ec2:*"), true, None, &meta(), T0)
        .await
        .unwrap();
    let before = grew(&db, before, "adding a default version").await;

    db.iam
        .set_default_policy_version(&set, "v2", &meta(), T0)
        .await
        .unwrap();
    let before = grew(&db, before, "choosing the default version").await;

    let e = db
        .iam
        .set_default_policy_version(&set, "v9", &meta(), T0)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e:?}");
    unchanged(&db, before, "choosing a version that does not exist").await;

    let e = db
        .iam
        .delete_policy_version(&delete, "v2", &meta(), T0)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict, "{e:?}");
    unchanged(&db, before, "refusing to delete the default version").await;
    db.iam
        .delete_policy_version(&delete, "v3", &meta(), T0)
        .await
        .unwrap();
    unchanged(&db, before, "deleting a version that is not the default").await;

    // v4 replaces v1, neither of them the default.
    db.iam
        .create_policy_version(
            &create,
            &simple_doc("sqs:*"),
            false,
            Some("v1".to_owned()),
            &meta(),
            T0,
        )
        .await
        .unwrap();
    unchanged(&db, before, "replacing a version that is not the default").await;
}

#[tokio::test]
async fn reads_leave_permissions_unchanged() {
    let db = with_root().await;
    let ours = create_ok(&db, "Ours", &simple_doc("s3:GetObject")).await;
    let admins = group(&db, "Admins", &[&ours.arn]).await;
    let alice = user(&db, "alice", &["Admins"], &[]).await;
    attach(&db, &alice.arn(), POWER_USER_ARN, true)
        .await
        .unwrap();
    let before = version(&db).await;

    let auth = db.auth(Action::GetPolicy, &ours.arn).await;
    db.iam.get_policy(&auth).await.unwrap();
    let auth = db.auth(Action::GetPolicyVersion, &ours.arn).await;
    db.iam.get_policy_version(&auth, "v1").await.unwrap();
    let auth = db.auth(Action::ListPolicies, "*").await;
    let filter = PolicyFilter {
        query: String::new(),
        scope: PolicyScope::All,
        offset: 0,
        limit: 10,
    };
    db.iam.list_policies(&auth, &filter).await.unwrap();
    let auth = db.auth(Action::ListEntitiesForPolicy, &ours.arn).await;
    db.iam.list_entities_for_policy(&auth).await.unwrap();
    let auth = db
        .auth(Action::ListAttachedUserPolicies, &alice.arn())
        .await;
    db.iam.list_attached_user_policies(&auth).await.unwrap();
    let auth = db.auth(Action::GetGroup, &admins).await;
    db.iam.get_group(&auth).await.unwrap();
    for arn in [&admins, &ours.arn] {
        let auth = db
            .auth(Action::GenerateServiceLastAccessedDetails, arn)
            .await;
        db.iam.service_last_accessed(&auth, T0).await.unwrap();
    }
    // A decision reads the user's effective policies; PowerUserAccess leaves out IAM.
    let decided = db.iam.authorize(&alice, Action::GetPolicy, &ours.arn).await;
    assert!(decided.is_err(), "{decided:?}");
    unchanged(&db, before, "reading policies and attachments").await;
}
