//! Access records and the Access Advisor (issue 6): decisions, allowed or denied, update per-service
//! and per-action aggregates, which the user, group and policy reports read.

use iam::{Action, Principal, RequestFacts, ServiceAccess};

use super::enforcement::{group, user};
use super::policies::{create_ok, power_user_document, simple_doc};
use super::support::{T0, TestDb, meta, with_root};

fn at(secs: i64) -> RequestFacts {
    RequestFacts::at(T0.plus_secs(secs))
}

async fn attempt(db: &TestDb, who: &Principal, action: Action, resource: &str, secs: i64) -> bool {
    db.iam
        .authorize_request(who, action, resource, &at(secs))
        .await
        .is_ok()
}

async fn advisor(db: &TestDb, arn: &str) -> Vec<ServiceAccess> {
    let auth = db
        .auth(Action::GenerateServiceLastAccessedDetails, arn)
        .await;
    db.iam
        .service_last_accessed(&auth, T0.plus_secs(86_400))
        .await
        .unwrap()
}

fn service<'a>(report: &'a [ServiceAccess], prefix: &str) -> &'a ServiceAccess {
    report
        .iter()
        .find(|s| s.service == prefix)
        .unwrap_or_else(|| panic!("{prefix} is not in the report"))
}

#[tokio::test]
async fn denied_attempts_count_and_every_report_sees_them() {
    let db = with_root().await;
    let ours = create_ok(&db, "PowerUserExampleCorp", &power_user_document()).await;
    let group_arn = group(&db, "PowerUsers", &[&ours.arn]).await;
    let mary = user(&db, "mary", &["PowerUsers"], &[]).await;
    assert!(!attempt(&db, &mary, Action::ListUsers, "*", 10).await);
    assert!(!attempt(&db, &mary, Action::ListUsers, "*", 30).await);
    assert!(!attempt(&db, &mary, Action::ListGroups, "*", 20).await);

    for arn in [mary.arn(), group_arn.clone(), ours.arn.clone()] {
        let report = advisor(&db, &arn).await;
        // PowerUserAccess allows hundreds of services; IAM only partly, but it is listed.
        assert!(report.len() > 100, "{arn}: {} services", report.len());
        let iam = service(&report, "iam");
        assert_eq!(iam.service_name, "AWS Identity and Access Management (IAM)");
        assert_eq!(iam.policies, ["PowerUserExampleCorp"]);
        assert_eq!(iam.last_accessed_at, Some(T0.plus_secs(30)), "{arn}");
        assert_eq!(iam.last_accessed_by.as_deref(), Some("mary"));
        assert_eq!(iam.attempts, 3);
        let actions: Vec<(&str, i64, u64)> = iam
            .actions
            .iter()
            .map(|a| {
                (
                    a.action.as_str(),
                    a.last_accessed_at.secs_since(T0),
                    a.attempts,
                )
            })
            .collect();
        assert_eq!(
            actions,
            [("iam:ListUsers", 30, 2), ("iam:ListGroups", 20, 1)]
        );
        assert!(iam.actions.iter().all(|a| a.last_allowed_at.is_none()));
        // The used service comes first; the others were never accessed.
        assert_eq!(report[0].service, "iam");
        assert!(report[1..].iter().all(|s| s.last_accessed_at.is_none()));
    }
}

#[tokio::test]
async fn reports_list_only_allowed_services_and_merge_across_flushes_and_members() {
    let db = with_root().await;
    let reader = create_ok(&db, "ListThings", &simple_doc("iam:List*")).await;
    let group_arn = group(&db, "Readers", &[&reader.arn]).await;
    let ann = user(&db, "ann", &["Readers"], &[]).await;
    let ben = user(&db, "ben", &["Readers"], &[]).await;
    let outsider = user(&db, "olga", &[], &[]).await;

    assert!(attempt(&db, &ann, Action::ListUsers, "*", 5).await);
    db.iam.flush_access_records().await.unwrap();
    assert!(attempt(&db, &ann, Action::ListUsers, "*", 50).await);
    assert!(!attempt(&db, &ben, Action::CreateUser, &ann.arn(), 70).await);
    assert!(!attempt(&db, &outsider, Action::ListUsers, "*", 90).await);

    let report = advisor(&db, &group_arn).await;
    let prefixes: Vec<&str> = report.iter().map(|s| s.service.as_str()).collect();
    assert_eq!(prefixes, ["iam"]);
    let iam = &report[0];
    // Ben's denied CreateUser is the latest member access; Olga is not a member.
    assert_eq!(iam.last_accessed_at, Some(T0.plus_secs(70)));
    assert_eq!(iam.last_accessed_by.as_deref(), Some("ben"));
    assert_eq!(iam.attempts, 3);
    let list_users = iam
        .actions
        .iter()
        .find(|a| a.action == "iam:ListUsers")
        .unwrap();
    assert_eq!(list_users.attempts, 2);
    assert_eq!(list_users.last_allowed_at, Some(T0.plus_secs(50)));
    assert_eq!(list_users.last_accessed_by, "ann");

    // Ann's own report shows only her accesses.
    let ann_report = advisor(&db, &ann.arn()).await;
    assert_eq!(ann_report[0].last_accessed_at, Some(T0.plus_secs(50)));
    assert_eq!(ann_report[0].attempts, 2);
    // A user with no policies has nothing to report, whatever they tried.
    assert!(advisor(&db, &outsider.arn()).await.is_empty());
    // An older decision flushed later does not move "last accessed" back.
    assert!(attempt(&db, &ann, Action::ListUsers, "*", 1).await);
    let again = advisor(&db, &ann.arn()).await;
    assert_eq!(again[0].last_accessed_at, Some(T0.plus_secs(50)));
    assert_eq!(again[0].attempts, 3);
}

#[tokio::test]
async fn a_group_counts_what_members_did_after_joining() {
    let db = with_root().await;
    let ours = create_ok(&db, "PowerUserExampleCorp", &power_user_document()).await;
    let group_arn = group(&db, "PowerUsers", &[&ours.arn]).await;
    let mary = user(&db, "mary", &[], &[]).await;
    // Denied IAM pages before she is in the group.
    assert!(!attempt(&db, &mary, Action::ListUsers, "*", 10).await);
    let add = db.auth(Action::AddUserToGroup, &group_arn).await;
    db.iam
        .add_user_to_group(&add, "mary", &super::support::meta(), T0.plus_secs(100))
        .await
        .unwrap();
    assert!(!attempt(&db, &mary, Action::ListGroups, "*", 200).await);
    let group_report = advisor(&db, &group_arn).await;
    let iam = service(&group_report, "iam");
    // The ListGroups denial at +200 is after she joined; the ListUsers one at +10 is not.
    assert_eq!(iam.last_accessed_at, Some(T0.plus_secs(200)));
    let actions: Vec<&str> = iam.actions.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(actions, ["iam:ListGroups"]);
    // Her own report has everything she did.
    let own = advisor(&db, &mary.arn()).await;
    let actions: Vec<&str> = service(&own, "iam")
        .actions
        .iter()
        .map(|a| a.action.as_str())
        .collect();
    assert_eq!(actions, ["iam:ListGroups", "iam:ListUsers"]);
    // The policy applies to her through the group since +100 too.
    let policy_report = advisor(&db, &ours.arn).await;
    assert_eq!(service(&policy_report, "iam").actions.len(), 1);
}

#[tokio::test]
async fn a_policy_generated_from_activity_allows_what_was_used() {
    let db = with_root().await;
    let ours = create_ok(&db, "PowerUserExampleCorp", &power_user_document()).await;
    group(&db, "PowerUsers", &[&ours.arn]).await;
    let mary = user(&db, "mary", &["PowerUsers"], &[]).await;
    assert!(!attempt(&db, &mary, Action::ListUsers, "*", 10).await);
    let holder = db
        .iam
        .authorize_request(&mary, Action::ListUsers, "*", &at(11))
        .await;
    assert!(holder.is_err());
    // What the authorization API would record for EC2 and S3 decisions.
    let callers = create_ok(
        &db,
        "Callers",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "portcullis:Authorize", "Resource": "*"}]}"#,
    )
    .await;
    group(&db, "Services", &[&callers.arn]).await;
    let svc = user(&db, "svc", &["Services"], &[]).await;
    let key_auth = db.auth(Action::CreateAccessKey, &svc.arn()).await;
    let key = db
        .iam
        .create_access_key(&key_auth, &super::support::meta(), T0)
        .await
        .unwrap();
    let caller = db
        .iam
        .authorize_api_caller(&key.access_key_id, key.secret.expose(), &at(20))
        .await
        .unwrap();
    let ask = |action: &str| iam::AuthzQuery {
        principal: "mary".to_owned(),
        action: action.to_owned(),
        resource: "*".to_owned(),
        context: policy::Context::new(),
    };
    db.iam
        .is_authorized(
            &caller,
            vec![ask("ec2:DescribeInstances"), ask("s3:ListAllMyBuckets")],
            T0.plus_secs(30),
        )
        .await
        .unwrap();

    let auth = db
        .auth(Action::GenerateServiceLastAccessedDetails, &ours.arn)
        .await;
    let now = T0.plus_secs(60);
    let generated = db
        .iam
        .generate_policy_from_activity(&auth, 90, false, now)
        .await
        .unwrap();
    assert_eq!(
        generated.used_actions,
        ["ec2:DescribeInstances", "s3:ListAllMyBuckets"]
    );
    let proposed = generated.proposed_document.unwrap();
    assert!(
        proposed.contains("\"ec2:*\"") && proposed.contains("\"s3:*\""),
        "{proposed}"
    );
    assert!(!proposed.contains("NotAction"), "{proposed}");
    assert_eq!(generated.kept_services, ["ec2", "s3"]);
    assert!(generated.removed_services.contains(&"iam".to_owned()));
    assert_eq!(generated.current_document, power_user_document());

    // Outside the period nothing was used; AWS managed policies cannot be cut down.
    let later = T0.plus_secs(91 * 86_400);
    let stale = db
        .iam
        .generate_policy_from_activity(&auth, 90, true, later)
        .await
        .unwrap();
    assert_eq!(stale.proposed_document, None);
    let e = db
        .iam
        .generate_policy_from_activity(&auth, 0, false, now)
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("period_days"));
    let aws = db
        .auth(
            Action::GenerateServiceLastAccessedDetails,
            super::policies::POWER_USER_ARN,
        )
        .await;
    let e = db
        .iam
        .generate_policy_from_activity(&aws, 90, false, now)
        .await
        .unwrap_err();
    assert!(e.user_message().contains("AWS managed"), "{e}");
}

#[tokio::test]
async fn a_deleted_policy_takes_its_history_with_it() {
    let db = with_root().await;
    let first = create_ok(&db, "Readers", &simple_doc("iam:List*")).await;
    let group_arn = group(&db, "ReadersGroup", &[&first.arn]).await;
    let ann = user(&db, "ann", &["ReadersGroup"], &[]).await;
    assert!(attempt(&db, &ann, Action::ListUsers, "*", 5).await);
    assert!(
        service(&advisor(&db, &first.arn).await, "iam")
            .last_accessed_at
            .is_some()
    );
    let delete = db.auth(Action::DeletePolicy, &first.arn).await;
    db.iam
        .delete_policy(&delete, &super::support::meta(), T0)
        .await
        .unwrap();
    let again = create_ok(&db, "Readers", &simple_doc("iam:List*")).await;
    assert_eq!(again.arn, first.arn);
    assert!(
        service(&advisor(&db, &again.arn).await, "iam")
            .last_accessed_at
            .is_none()
    );
    // The group has no policy left, so nothing to report.
    assert!(advisor(&db, &group_arn).await.is_empty());
}

#[tokio::test]
async fn groups_and_policies_count_the_users_who_accessed_while_they_applied() {
    let db = with_root().await;
    let reader = create_ok(&db, "ListThings", &simple_doc("iam:List*")).await;
    let group_arn = group(&db, "Readers", &[&reader.arn]).await;
    let ann = user(&db, "ann", &["Readers"], &[]).await;
    let ben = user(&db, "ben", &["Readers"], &[]).await;
    let carl = user(&db, "carl", &[], &[]).await;
    // Ann also has the policy directly: one user for the policy all the same.
    let attach = db.auth(Action::AttachUserPolicy, &ann.arn()).await;
    db.iam
        .attach_user_policy(&attach, &reader.arn, &meta(), T0)
        .await
        .unwrap();

    assert!(attempt(&db, &ann, Action::ListUsers, "*", 5).await);
    db.iam.flush_access_records().await.unwrap();
    // Again, in a later flush, and in the same flush as Ben: still one user each.
    assert!(attempt(&db, &ann, Action::ListUsers, "*", 50).await);
    assert!(attempt(&db, &ben, Action::ListUsers, "*", 60).await);
    assert!(attempt(&db, &ben, Action::ListGroups, "*", 61).await);
    assert!(attempt(&db, &ben, Action::ListGroups, "*", 62).await);
    // Carl before he joins: not the group's use, nor the policy's.
    assert!(!attempt(&db, &carl, Action::ListUsers, "*", 70).await);
    db.iam.flush_access_records().await.unwrap();

    let counts = |report: &[ServiceAccess]| {
        let iam = service(report, "iam");
        let actions: Vec<(String, u64)> = iam
            .actions
            .iter()
            .map(|a| (a.action.clone(), a.entities_accessed))
            .collect();
        (iam.entities_accessed, actions)
    };
    let expected = (
        2,
        vec![
            ("iam:ListGroups".to_owned(), 1),
            ("iam:ListUsers".to_owned(), 2),
        ],
    );
    assert_eq!(counts(&advisor(&db, &group_arn).await), expected);
    assert_eq!(counts(&advisor(&db, &reader.arn).await), expected);

    // Carl joins; his next ListUsers (his first since joining) counts, his earlier one did not.
    let add = db.auth(Action::AddUserToGroup, &group_arn).await;
    db.iam
        .add_user_to_group(&add, "carl", &meta(), T0.plus_secs(100))
        .await
        .unwrap();
    assert!(attempt(&db, &carl, Action::ListUsers, "*", 110).await);
    assert!(attempt(&db, &carl, Action::ListUsers, "*", 120).await);
    let expected = (
        3,
        vec![
            ("iam:ListUsers".to_owned(), 3),
            ("iam:ListGroups".to_owned(), 1),
        ],
    );
    let group_report = advisor(&db, &group_arn).await;
    assert_eq!(counts(&group_report), expected);
    assert_eq!(
        service(&group_report, "iam").last_accessed_by.as_deref(),
        Some("carl")
    );
    assert_eq!(counts(&advisor(&db, &reader.arn).await), expected);
    // A user's own report: 1 for what they used.
    assert_eq!(
        counts(&advisor(&db, &ben.arn()).await),
        (
            1,
            vec![
                ("iam:ListGroups".to_owned(), 1),
                ("iam:ListUsers".to_owned(), 1)
            ]
        )
    );
    // A service nobody used counts nobody.
    let broad = create_ok(&db, "Broad", &power_user_document()).await;
    let broad_report = advisor(&db, &broad.arn).await;
    assert!(broad_report.iter().all(|s| s.entities_accessed == 0));
}

#[tokio::test]
async fn a_deleted_users_unwritten_accesses_are_dropped() {
    let db = with_root().await;
    let reader = create_ok(&db, "ListThings", &simple_doc("iam:List*")).await;
    let group_arn = group(&db, "Readers", &[&reader.arn]).await;
    let ann = user(&db, "ann", &["Readers"], &[]).await;
    let ben = user(&db, "ben", &["Readers"], &[]).await;
    assert!(attempt(&db, &ann, Action::ListUsers, "*", 5).await);
    db.iam.flush_access_records().await.unwrap();
    // Decisions still in the buffer when Ann is deleted, and Ben's beside them.
    assert!(attempt(&db, &ann, Action::ListGroups, "*", 10).await);
    assert!(attempt(&db, &ben, Action::ListUsers, "*", 11).await);
    let delete = db.auth(Action::DeleteUser, &ann.arn()).await;
    db.iam.delete_user(&delete, &meta(), T0).await.unwrap();
    db.iam.flush_access_records().await.unwrap();

    let Principal::User { user_id, .. } = &ann else {
        unreachable!()
    };
    for table in ["service_last_accessed", "action_last_accessed"] {
        let n = db
            .count(&format!(
                "SELECT COUNT(*) FROM {table} WHERE principal_id = '{user_id}'"
            ))
            .await;
        assert_eq!(n, 0, "{table}");
    }
    // Ben's were written; the group keeps what Ann did while she was a member.
    let report = advisor(&db, &group_arn).await;
    let iam = service(&report, "iam");
    assert_eq!(iam.last_accessed_by.as_deref(), Some("ben"));
    assert_eq!(iam.entities_accessed, 2);
    let actions: Vec<&str> = iam.actions.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(actions, ["iam:ListUsers"]);
    assert_eq!(advisor(&db, &ben.arn()).await[0].attempts, 1);
}

#[tokio::test]
async fn accesses_before_the_tracking_period_are_not_reported() {
    let db = with_root().await;
    let reader = create_ok(&db, "ListThings", &simple_doc("iam:List*")).await;
    let group_arn = group(&db, "Readers", &[&reader.arn]).await;
    let ann = user(&db, "ann", &["Readers"], &[]).await;
    assert!(attempt(&db, &ann, Action::ListUsers, "*", 10).await);
    db.iam.flush_access_records().await.unwrap();
    let day = 86_400;
    for arn in [ann.arn(), group_arn, reader.arn.clone()] {
        let auth = db
            .auth(Action::GenerateServiceLastAccessedDetails, &arn)
            .await;
        // 400 days later the access is still in the period; a day after that it is not.
        let inside = T0.plus_secs(10 + iam::TRACKING_PERIOD_DAYS * day);
        let report = db.iam.service_last_accessed(&auth, inside).await.unwrap();
        assert_eq!(
            service(&report, "iam").last_accessed_at,
            Some(T0.plus_secs(10))
        );
        let outside = T0.plus_secs(10 + (iam::TRACKING_PERIOD_DAYS + 1) * day);
        let report = db.iam.service_last_accessed(&auth, outside).await.unwrap();
        let iam = service(&report, "iam");
        assert_eq!(iam.last_accessed_at, None, "{arn}");
        assert_eq!((iam.attempts, iam.entities_accessed), (0, 0));
        assert!(iam.actions.is_empty());
    }
}
