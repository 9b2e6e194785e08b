//! The same flows on PostgreSQL, through the public API only.
//!
//! Runs when `PORTCULLIS_TEST_POSTGRES_URL` names a server where the user may
//! create databases (e.g. `postgres://postgres@127.0.0.1:5432/postgres`); each
//! run creates a fresh database and drops it afterwards. Without the variable
//! the test returns at once: CI wires the Postgres run up in the PostgreSQL
//! issue.

use iam::{
    Action, ErrorKind, GroupFilter, Iam, IamError, NewGroup, NewPolicy, NewUser, PolicyFilter,
    PolicyScope, Principal, Tag,
};
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

    policies_and_groups(&iam, &s.principal).await;

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

#[expect(clippy::unwrap_used, reason = "a helper of one test; failures fail it")]
async fn policies_and_groups(iam: &Iam, root: &Principal) {
    let auth = async |action, resource: &str| iam.authorize(root, action, resource).await.unwrap();
    let document = policy::managed::by_name("PowerUserAccess")
        .unwrap()
        .document
        .to_owned();
    let new_policy = |name: &str| NewPolicy {
        name: name.to_owned(),
        path: None,
        description: Some("from PowerUserAccess".to_owned()),
        document: document.clone(),
        tags: vec![Tag {
            key: "team".to_owned(),
            value: "platform".to_owned(),
        }],
    };

    // Concurrent creates of one name: one policy, one conflict.
    let arn = iam
        .policy_arn_for(None, "PowerUserExampleCorp")
        .await
        .unwrap();
    let upper = iam
        .policy_arn_for(None, "POWERUSEREXAMPLECORP")
        .await
        .unwrap();
    let (a1, a2) = (
        auth(Action::CreatePolicy, &arn).await,
        auth(Action::CreatePolicy, &upper).await,
    );
    let m = meta();
    let (r1, r2) = tokio::join!(
        iam.create_policy(&a1, new_policy("PowerUserExampleCorp"), &m, T0),
        iam.create_policy(&a2, new_policy("POWERUSEREXAMPLECORP"), &m, T0)
    );
    let results = [r1, r2];
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    assert!(
        results
            .iter()
            .any(|r| matches!(r, Err(IamError::Conflict { field: "name", .. })))
    );
    let created = results.into_iter().find_map(Result::ok).unwrap();
    let arn = created.arn.clone();

    // Versions up to five, then delete_first.
    let versions = auth(Action::CreatePolicyVersion, &arn).await;
    for n in 2..=5 {
        let info = iam
            .create_policy_version(&versions, &document, n == 3, None, &meta(), T0)
            .await
            .unwrap();
        assert_eq!(info.version_id, format!("v{n}"));
    }
    let e = iam
        .create_policy_version(&versions, &document, true, None, &meta(), T0)
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("version"));
    let info = iam
        .create_policy_version(
            &versions,
            &document,
            true,
            Some("v1".to_owned()),
            &meta(),
            T0,
        )
        .await
        .unwrap();
    assert_eq!(info.version_id, "v6");
    let details = iam
        .get_policy(&auth(Action::GetPolicy, &arn).await)
        .await
        .unwrap();
    assert_eq!(details.default_version_id, "v6");
    assert_eq!(details.versions.len(), 5);
    assert_eq!(details.tags.len(), 1);

    // A user, and a group with both kinds of policy and the user.
    let user_arn = iam.user_arn_for(None, "alice").await.unwrap();
    iam.create_user(
        &auth(Action::CreateUser, &user_arn).await,
        NewUser {
            name: "alice".to_owned(),
            path: None,
            tags: Vec::new(),
        },
        &meta(),
        T0,
    )
    .await
    .unwrap();
    let aws = "arn:aws:iam::aws:policy/PowerUserAccess";
    let group_arn = iam.group_arn_for(None, "PowerUsers").await.unwrap();
    let group = iam
        .create_group(
            &auth(Action::CreateGroup, &group_arn).await,
            Some(&auth(Action::AttachGroupPolicy, &group_arn).await),
            Some(&auth(Action::AddUserToGroup, &group_arn).await),
            NewGroup {
                name: "PowerUsers".to_owned(),
                path: None,
                policy_arns: vec![arn.clone(), aws.to_owned()],
                user_names: vec!["alice".to_owned()],
            },
            &meta(),
            T0,
        )
        .await
        .unwrap();
    assert_eq!(group.members.len(), 1);
    assert_eq!(group.attached_policies.len(), 2);
    iam.put_group_policy(
        &auth(Action::PutGroupPolicy, &group_arn).await,
        "Inline",
        &document,
        &meta(),
        T0,
    )
    .await
    .unwrap();

    let page = iam
        .list_policies(
            &auth(Action::ListPolicies, "*").await,
            &PolicyFilter {
                query: "poweruser".to_owned(),
                scope: PolicyScope::All,
                offset: 0,
                limit: 10,
            },
        )
        .await
        .unwrap();
    for name in ["PowerUserAccess", created.name.as_str()] {
        let item = page.items.iter().find(|i| i.name == name).unwrap();
        assert_eq!(item.attachment_count, 1, "{name}");
    }
    let groups = iam
        .list_groups(
            &auth(Action::ListGroups, "*").await,
            &GroupFilter {
                query: "users".to_owned(),
                offset: 0,
                limit: 10,
            },
        )
        .await
        .unwrap();
    assert_eq!(groups.total, 1);
    assert_eq!(
        (groups.items[0].member_count, groups.items[0].policy_count),
        (1, 3)
    );

    // Rename keeps everything; deleting the policy detaches it; deleting the
    // group removes the rest.
    let renamed = iam
        .update_group(
            &auth(Action::UpdateGroup, &group_arn).await,
            Some("PowerTeam".to_owned()),
            None,
            &meta(),
            T0,
        )
        .await
        .unwrap();
    assert_eq!(renamed.members, group.members);
    iam.delete_policy(&auth(Action::DeletePolicy, &arn).await, &meta(), T0)
        .await
        .unwrap();
    let after = iam
        .get_group(&auth(Action::GetGroup, &renamed.arn).await)
        .await
        .unwrap();
    assert_eq!(after.attached_policies.len(), 1);
    iam.delete_group(&auth(Action::DeleteGroup, &renamed.arn).await, &meta(), T0)
        .await
        .unwrap();
    let e = iam
        .get_group(&auth(Action::GetGroup, &renamed.arn).await)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
}
