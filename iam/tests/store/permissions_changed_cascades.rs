//! The permissions version grows with each delete of a user, group or policy (each removes
//! memberships, attachments or grants), and stays put when a delete fails, for event lookups,
//! access records and Access Advisor reads.

use iam::{Action, ErrorKind, EventFilter, NewGroup, NewPolicy, NewUser, UnixTime};

use super::support::{T0, TestDb, meta, permissions_version as version, with_root};

/// Runs `op` and returns how much the permissions version moved.
async fn growth<F: Future>(db: &TestDb, op: F) -> (i64, F::Output) {
    let before = version(db).await;
    let out = op.await;
    (version(db).await - before, out)
}

async fn create_user(db: &TestDb, name: &str) -> String {
    let arn = db.iam.user_arn_for(None, name).await.unwrap();
    let auth = db.auth(Action::CreateUser, &arn).await;
    let new = NewUser {
        name: name.to_owned(),
        path: None,
        tags: Vec::new(),
    };
    db.iam.create_user(&auth, new, &meta(), T0).await.unwrap();
    arn
}

async fn create_group(db: &TestDb, name: &str, policy_arns: &[&str], users: &[&str]) -> String {
    let arn = db.iam.group_arn_for(None, name).await.unwrap();
    let create = db.auth(Action::CreateGroup, &arn).await;
    let attach = db.auth(Action::AttachGroupPolicy, &arn).await;
    let add = db.auth(Action::AddUserToGroup, &arn).await;
    let new = NewGroup {
        name: name.to_owned(),
        path: None,
        policy_arns: policy_arns.iter().map(|s| (*s).to_owned()).collect(),
        user_names: users.iter().map(|s| (*s).to_owned()).collect(),
    };
    db.iam
        .create_group(&create, Some(&attach), Some(&add), new, &meta(), T0)
        .await
        .unwrap();
    arn
}

async fn create_policy(db: &TestDb, name: &str) -> String {
    let arn = db.iam.policy_arn_for(None, name).await.unwrap();
    let auth = db.auth(Action::CreatePolicy, &arn).await;
    let new = NewPolicy {
        name: name.to_owned(),
        path: None,
        description: None,
        document: super::policies::simple_doc("iam:List*"),
        tags: Vec::new(),
    };
    db.iam.create_policy(&auth, new, &meta(), T0).await.unwrap();
    arn
}

#[tokio::test]
async fn deleting_a_user_group_or_policy_changes_permissions() {
    let db = with_root().await;
    let policy = create_policy(&db, "Listers").await;
    let user = create_user(&db, "alice").await;
    let group = create_group(&db, "Readers", &[&policy], &["alice"]).await;

    let delete = db.auth(Action::DeleteGroup, &group).await;
    let (grew, done) = growth(&db, db.iam.delete_group(&delete, &meta(), T0)).await;
    done.unwrap();
    assert!(grew > 0, "delete_group");

    let delete = db.auth(Action::DeleteUser, &user).await;
    let (grew, done) = growth(&db, db.iam.delete_user(&delete, &meta(), T0)).await;
    done.unwrap();
    assert!(grew > 0, "delete_user");

    let delete = db.auth(Action::DeletePolicy, &policy).await;
    let (grew, done) = growth(&db, db.iam.delete_policy(&delete, &meta(), T0)).await;
    done.unwrap();
    assert!(grew > 0, "delete_policy");
}

#[tokio::test]
async fn failed_deletes_leave_permissions_unchanged() {
    let db = with_root().await;
    let user = db.iam.user_arn_for(None, "nobody").await.unwrap();
    let group = db.iam.group_arn_for(None, "Nobody").await.unwrap();
    let policy = db.iam.policy_arn_for(None, "Nothing").await.unwrap();

    let delete = db.auth(Action::DeleteUser, &user).await;
    let (grew, done) = growth(&db, db.iam.delete_user(&delete, &meta(), T0)).await;
    assert_eq!(done.unwrap_err().kind(), ErrorKind::NotFound);
    assert_eq!(grew, 0, "delete_user of a missing user");

    let delete = db.auth(Action::DeleteGroup, &group).await;
    let (grew, done) = growth(&db, db.iam.delete_group(&delete, &meta(), T0)).await;
    assert_eq!(done.unwrap_err().kind(), ErrorKind::NotFound);
    assert_eq!(grew, 0, "delete_group of a missing group");

    let delete = db.auth(Action::DeletePolicy, &policy).await;
    let (grew, done) = growth(&db, db.iam.delete_policy(&delete, &meta(), T0)).await;
    assert_eq!(done.unwrap_err().kind(), ErrorKind::NotFound);
    assert_eq!(grew, 0, "delete_policy of a missing policy");

    // An AWS managed policy cannot be deleted.
    let aws = super::policies::POWER_USER_ARN;
    let delete = db.auth(Action::DeletePolicy, aws).await;
    let (grew, done) = growth(&db, db.iam.delete_policy(&delete, &meta(), T0)).await;
    assert!(done.is_err());
    assert_eq!(grew, 0, "delete_policy of an AWS managed policy");
}

#[tokio::test]
async fn events_access_records_and_reports_leave_permissions_unchanged() {
    let db = with_root().await;
    let user = create_user(&db, "bob").await;

    // Each proof above recorded an access of root's; writing them changes no permissions.
    let (grew, done) = growth(&db, db.iam.flush_access_records()).await;
    done.unwrap();
    assert_eq!(grew, 0, "flush_access_records");

    let report = db
        .auth(Action::GenerateServiceLastAccessedDetails, &user)
        .await;
    let (grew, done) = growth(&db, db.iam.service_last_accessed(&report, T0)).await;
    done.unwrap();
    assert_eq!(grew, 0, "service_last_accessed");

    let lookup = db.auth(Action::LookupEvents, "*").await;
    let filter = EventFilter {
        lookup: None,
        start: T0.plus_secs(-86_400),
        end: T0.plus_secs(86_400),
        include_read_only: true,
        page_size: 50,
        next_token: None,
    };
    let (grew, done) = growth(&db, db.iam.lookup_events(&lookup, &filter, &meta(), T0)).await;
    assert!(!done.unwrap().events.is_empty());
    assert_eq!(grew, 0, "lookup_events");

    let (grew, done) = growth(
        &db,
        db.iam
            .prune_events(1, UnixTime::from_secs(T0.as_secs() + 10 * 86_400)),
    )
    .await;
    assert!(done.unwrap() > 0);
    assert_eq!(grew, 0, "prune_events");
}
