//! IAM users are decided by their identity policies (issue 6): attached to them, attached to their
//! groups, and their groups' inline policies, with AWS's request context.

use iam::{Action, ErrorKind, NewGroup, NewUserSpec, Principal, RequestFacts, Tag, UnixTime};

use super::policies::{POWER_USER_ARN, create_ok, power_user_document};
use super::support::{T0, TestDb, meta, with_root};
use super::users::create_users;

const IAM_FULL_ACCESS: &str = "arn:aws:iam::aws:policy/IAMFullAccess";

/// Creates `name` (no console access) in `groups`, tagged with `tags`, and returns it as a
/// principal.
pub async fn user(db: &TestDb, name: &str, groups: &[&str], tags: &[(&str, &str)]) -> Principal {
    let spec = NewUserSpec {
        group_names: groups.iter().map(|g| (*g).to_owned()).collect(),
        tags: tags
            .iter()
            .map(|(k, v)| Tag {
                key: (*k).to_owned(),
                value: (*v).to_owned(),
            })
            .collect(),
        ..NewUserSpec::named(name)
    };
    create_users(db, vec![spec]).await.unwrap();
    let pool = db.raw().await;
    let (user_id,): (String,) = sqlx::query_as("SELECT id FROM users WHERE name = $1")
        .bind(name)
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    Principal::User {
        account_id: db.iam.account().await.unwrap().id,
        user_id,
        name: name.to_owned(),
        path: "/".to_owned(),
    }
}

pub async fn group(db: &TestDb, name: &str, policy_arns: &[&str]) -> String {
    let arn = db.iam.group_arn_for(None, name).await.unwrap();
    let create = db.auth(Action::CreateGroup, &arn).await;
    let attach = db.auth(Action::AttachGroupPolicy, &arn).await;
    db.iam
        .create_group(
            &create,
            Some(&attach),
            None,
            NewGroup {
                name: name.to_owned(),
                path: None,
                policy_arns: policy_arns.iter().map(|s| (*s).to_owned()).collect(),
                user_names: Vec::new(),
            },
            &meta(),
            T0,
        )
        .await
        .unwrap();
    arn
}

async fn put_inline(db: &TestDb, group_arn: &str, name: &str, document: &str) {
    let put = db.auth(Action::PutGroupPolicy, group_arn).await;
    db.iam
        .put_group_policy(&put, name, document, &meta(), T0)
        .await
        .unwrap();
}

async fn allowed(db: &TestDb, principal: &Principal, action: Action, resource: &str) -> bool {
    allowed_with(db, principal, action, resource, &RequestFacts::at(T0)).await
}

async fn allowed_with(
    db: &TestDb,
    principal: &Principal,
    action: Action,
    resource: &str,
    facts: &RequestFacts,
) -> bool {
    match db
        .iam
        .authorize_request(principal, action, resource, facts)
        .await
    {
        Ok(proof) => {
            assert_eq!((proof.action(), proof.resource()), (action, resource));
            true
        }
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::AccessDenied, "{e:?}");
            false
        }
    }
}

#[tokio::test]
async fn power_users_cannot_manage_users_groups_or_policies() {
    let db = with_root().await;
    // As in the tutorial: PowerUserExampleCorp is a customer managed copy of PowerUserAccess.
    let ours = create_ok(&db, "PowerUserExampleCorp", &power_user_document()).await;
    group(&db, "PowerUsers", &[&ours.arn]).await;
    let mary = user(&db, "mary.major@examplecorp.com", &["PowerUsers"], &[]).await;
    let account = db.iam.account().await.unwrap().id;
    let users_arn = format!("arn:aws:iam::{account}:user/diego");
    for (action, resource) in [
        (Action::GetAccountSummary, "*"),
        (Action::ListUsers, "*"),
        (Action::CreateUser, users_arn.as_str()),
        (Action::ListGroups, "*"),
        (Action::ListPolicies, "*"),
        (Action::CreatePolicy, "*"),
        (Action::UpdateAccountPasswordPolicy, "*"),
    ] {
        assert!(
            !allowed(&db, &mary, action, resource).await,
            "{action} should be denied"
        );
    }
    // The policy engine really is consulted: PowerUserAccess allows everything outside IAM.
    let policies = db.iam.effective_policies(&mary).await.unwrap();
    assert_eq!(policies.len(), 1);
    assert_eq!(policies[0].name, ours.arn);
}

#[tokio::test]
async fn iam_full_access_allows_and_a_change_applies_to_the_next_request() {
    let db = with_root().await;
    let admins = group(&db, "Admins", &[IAM_FULL_ACCESS]).await;
    let alice = user(&db, "alice", &["Admins"], &[]).await;
    assert!(allowed(&db, &alice, Action::ListUsers, "*").await);
    assert!(allowed(&db, &alice, Action::CreatePolicy, "*").await);
    // What the console asks to decide which controls to show: no proof, nothing recorded.
    let checks = [(Action::ListUsers, "*"), (Action::Authorize, "*")];
    let shown = db
        .iam
        .permitted(&alice, &checks, &RequestFacts::at(T0))
        .await
        .unwrap();
    assert_eq!(shown, [true, false]);
    let root = db.root().await;
    let shown = db
        .iam
        .permitted(&root, &checks, &RequestFacts::at(T0))
        .await
        .unwrap();
    assert_eq!(shown, [true, true]);

    let detach = db.auth(Action::DetachGroupPolicy, &admins).await;
    db.iam
        .detach_group_policy(&detach, IAM_FULL_ACCESS, &meta(), T0)
        .await
        .unwrap();
    assert!(!allowed(&db, &alice, Action::ListUsers, "*").await);
}

#[tokio::test]
async fn an_explicit_deny_in_an_inline_policy_wins_over_an_allow() {
    let db = with_root().await;
    let admins = group(&db, "Admins", &[IAM_FULL_ACCESS, POWER_USER_ARN]).await;
    let alice = user(&db, "alice", &["Admins"], &[]).await;
    put_inline(
        &db,
        &admins,
        "NoUserDeletes",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": ["iam:DeleteUser", "iam:createuser"], "Resource": "*"}]}"#,
    )
    .await;
    let bob = db.iam.user_arn_for(None, "bob").await.unwrap();
    assert!(!allowed(&db, &alice, Action::DeleteUser, &bob).await);
    assert!(!allowed(&db, &alice, Action::CreateUser, &bob).await);
    assert!(allowed(&db, &alice, Action::ListUsers, "*").await);
    let names: Vec<String> = db
        .iam
        .effective_policies(&alice)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(
        names,
        [IAM_FULL_ACCESS, POWER_USER_ARN, "Admins/NoUserDeletes"]
    );
}

#[tokio::test]
async fn policy_variables_and_principal_tags_come_from_the_user() {
    let db = with_root().await;
    let selfservice = group(&db, "SelfService", &[]).await;
    put_inline(
        &db,
        &selfservice,
        "OwnUser",
        r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "iam:GetUser", "Resource": "arn:aws:iam::*:user/${aws:username}"},
            {"Effect": "Allow", "Action": "iam:ListUsers", "Resource": "*",
             "Condition": {"StringEquals": {"aws:PrincipalTag/team": "identity"}}}
        ]}"#,
    )
    .await;
    let carol = user(&db, "carol", &["SelfService"], &[("team", "identity")]).await;
    let dave = user(&db, "dave", &["SelfService"], &[("team", "sales")]).await;
    let carol_arn = carol.arn();
    assert!(allowed(&db, &carol, Action::GetUser, &carol_arn).await);
    assert!(!allowed(&db, &dave, Action::GetUser, &carol_arn).await);
    assert!(allowed(&db, &dave, Action::GetUser, &dave.arn()).await);
    assert!(allowed(&db, &carol, Action::ListUsers, "*").await);
    assert!(!allowed(&db, &dave, Action::ListUsers, "*").await);
}

#[tokio::test]
async fn source_ip_secure_transport_and_time_reach_the_conditions() {
    let db = with_root().await;
    let admins = group(&db, "Admins", &[IAM_FULL_ACCESS]).await;
    put_inline(
        &db,
        &admins,
        "Guardrails",
        r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Deny", "Action": "*", "Resource": "*",
             "Condition": {"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}},
            {"Effect": "Deny", "Action": "iam:Create*", "Resource": "*",
             "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
            {"Effect": "Deny", "Action": "*", "Resource": "*",
             "Condition": {"DateGreaterThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}}
        ]}"#,
    )
    .await;
    let erin = user(&db, "erin", &["Admins"], &[]).await;
    let office = RequestFacts {
        source_ip: Some("203.0.113.9".to_owned()),
        secure_transport: Some(true),
        ..RequestFacts::at(T0)
    };
    assert!(allowed_with(&db, &erin, Action::CreatePolicy, "*", &office).await);
    let cafe = RequestFacts {
        source_ip: Some("192.0.2.7".to_owned()),
        ..office.clone()
    };
    assert!(!allowed_with(&db, &erin, Action::ListUsers, "*", &cafe).await);
    let plain_http = RequestFacts {
        secure_transport: Some(false),
        ..office.clone()
    };
    assert!(!allowed_with(&db, &erin, Action::CreatePolicy, "*", &plain_http).await);
    assert!(allowed_with(&db, &erin, Action::ListUsers, "*", &plain_http).await);
    // 2030-06-01: past the policy's end date.
    let later = RequestFacts {
        now: UnixTime::from_secs(1_906_502_400),
        ..office.clone()
    };
    assert!(!allowed_with(&db, &erin, Action::ListUsers, "*", &later).await);
    // Without a known address, `NotIpAddress` on a missing key matches: the Deny applies.
    assert!(!allowed(&db, &erin, Action::ListUsers, "*").await);
}

#[tokio::test]
async fn a_user_with_no_policies_may_do_nothing_and_root_needs_none() {
    let db = with_root().await;
    let frank = user(&db, "frank", &[], &[]).await;
    assert!(db.iam.effective_policies(&frank).await.unwrap().is_empty());
    for action in Action::ALL {
        assert!(!allowed(&db, &frank, action, "*").await, "{action}");
    }
    let root = db.root().await;
    assert!(db.iam.effective_policies(&root).await.unwrap().is_empty());
    assert!(allowed(&db, &root, Action::ListUsers, "*").await);
}

#[tokio::test]
async fn every_denial_is_in_the_event_history() {
    let db = with_root().await;
    let frank = user(&db, "frank", &[], &[]).await;
    let facts = RequestFacts {
        source_ip: Some("198.51.100.4".to_owned()),
        ..RequestFacts::at(T0)
    };
    assert!(!allowed_with(&db, &frank, Action::ListUsers, "*", &facts).await);
    let pool = db.raw().await;
    let (name, code, user, ip): (String, String, String, String) = sqlx::query_as(
        "SELECT event_name, error_code, user_name, source_ip FROM events \
         WHERE error_code IS NOT NULL ORDER BY event_time DESC LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    pool.close().await;
    assert_eq!(
        (name.as_str(), code.as_str(), user.as_str(), ip.as_str()),
        ("ListUsers", "AccessDenied", "frank", "198.51.100.4")
    );
}
