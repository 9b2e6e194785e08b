//! Long flows on PostgreSQL, through the public API only.
//!
//! Runs when `PORTCULLIS_TEST_POSTGRES_URL` names a server where the user may
//! create databases (e.g. `postgres://postgres@127.0.0.1:5432/postgres`); each
//! run creates a fresh database and drops it afterwards. Without the variable
//! the tests return at once. The rest of the store suite runs on PostgreSQL
//! too with `PORTCULLIS_TEST_BACKEND=postgres` (see `support.rs`).

use iam::{
    Action, ErrorKind, GroupFilter, Iam, IamError, NewGroup, NewPolicy, NewUser, NewUserSpec,
    PasswordChoice, PasswordPolicy, PolicyFilter, PolicyScope, Principal, SessionState, Tag,
    UserFilter,
};
use sqlx::PgPool;

use super::support::{FreshDatabase, ROOT_EMAIL, ROOT_PASSWORD, T0, meta, postgres_admin_url};

#[tokio::test]
async fn postgres_flows_when_configured() {
    let Some(admin_url) = postgres_admin_url() else {
        eprintln!("PORTCULLIS_TEST_POSTGRES_URL is not set; not running the PostgreSQL flows");
        return;
    };
    let db = FreshDatabase::create(&admin_url).await;
    flows(&db.url).await;
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
    users_and_passwords(&iam, &s.principal).await;
    enforcement_and_access_records(&iam, &s.principal, url).await;
    event_history(&iam, &s.principal).await;

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
            .any(|r| matches!(r, Err(IamError::NameTaken { .. })))
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

/// Issue 5 on PostgreSQL: password policy, a batch of users with groups and
/// passwords, the list's aggregate, changing a password with reuse history,
/// the alias.
#[expect(clippy::unwrap_used, reason = "a helper of one test; failures fail it")]
async fn users_and_passwords(iam: &Iam, root: &Principal) {
    let auth = async |action, resource: &str| iam.authorize(root, action, resource).await.unwrap();
    let policy = PasswordPolicy {
        minimum_password_length: 10,
        password_reuse_prevention: Some(2),
        ..PasswordPolicy::default()
    };
    iam.update_account_password_policy(
        &auth(Action::UpdateAccountPasswordPolicy, "*").await,
        policy,
        &meta(),
        T0,
    )
    .await
    .unwrap();
    let get = auth(Action::GetAccountPasswordPolicy, "*").await;
    assert_eq!(
        iam.get_account_password_policy(&get).await.unwrap(),
        Some(policy)
    );
    iam.update_account_password_policy(
        &auth(Action::UpdateAccountPasswordPolicy, "*").await,
        policy,
        &meta(),
        T0,
    )
    .await
    .unwrap();

    let group_arn = iam.group_arn_for(None, "Team5").await.unwrap();
    iam.create_group(
        &auth(Action::CreateGroup, &group_arn).await,
        None,
        None,
        NewGroup {
            name: "Team5".to_owned(),
            path: None,
            policy_arns: Vec::new(),
            user_names: Vec::new(),
        },
        &meta(),
        T0,
    )
    .await
    .unwrap();
    let users = vec![
        NewUserSpec {
            console_password: Some(PasswordChoice::Autogenerated),
            password_reset_required: true,
            group_names: vec!["team5".to_owned()],
            tags: vec![Tag {
                key: "team".to_owned(),
                value: "five".to_owned(),
            }],
            ..NewUserSpec::named("mary5")
        },
        NewUserSpec {
            copy_from: Some("mary5".to_owned()),
            ..NewUserSpec::named("diego5")
        },
    ];
    // diego copies mary, who does not exist yet: nothing is created.
    let e = iam.authorize_create_users(root, &users).await.unwrap_err();
    assert_eq!(e.field(), Some("users[1].copy_from"));
    let first = vec![users[0].clone()];
    let proofs = iam.authorize_create_users(root, &first).await.unwrap();
    let created = iam.create_users(&proofs, first, &meta(), T0).await.unwrap();
    let password = created[0].password.as_ref().unwrap().expose().to_owned();
    let second = vec![users[1].clone()];
    let proofs = iam.authorize_create_users(root, &second).await.unwrap();
    iam.create_users(&proofs, second, &meta(), T0)
        .await
        .unwrap();
    let taken = vec![NewUserSpec::named("MARY5")];
    let proofs = iam.authorize_create_users(root, &taken).await.unwrap();
    let e = iam
        .create_users(&proofs, taken, &meta(), T0)
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.field()),
        (ErrorKind::Conflict, Some("users[0].name"))
    );

    let page = iam
        .list_users(
            &auth(Action::ListUsers, "*").await,
            &UserFilter {
                path_prefix: None,
                query: "5".to_owned(),
                offset: 0,
                limit: 10,
            },
        )
        .await
        .unwrap();
    assert_eq!(page.total, 2);
    let names: Vec<_> = page
        .items
        .iter()
        .map(|u| (u.name.as_str(), u.groups.clone(), u.console_access))
        .collect();
    assert_eq!(
        names,
        [
            ("diego5", vec!["Team5".to_owned()], false),
            ("mary5", vec!["Team5".to_owned()], true)
        ]
    );

    let account = iam
        .set_account_alias(
            &auth(Action::CreateAccountAlias, "*").await,
            "team-five",
            &meta(),
            T0,
        )
        .await
        .unwrap();
    assert_eq!(account.alias.as_deref(), Some("team-five"));
    let signed_in = iam
        .sign_in_user("team-five", "mary5", &password, None, &meta(), T0)
        .await
        .unwrap();
    assert_eq!(
        signed_in.session.state,
        SessionState::PasswordChangeRequired
    );
    let session = iam
        .change_password(&signed_in.session, &password, "Second-pass-5", &meta(), T0)
        .await
        .unwrap()
        .session;
    let session = iam
        .change_password(&session, "Second-pass-5", "Third-pass-55", &meta(), T0)
        .await
        .unwrap()
        .session;
    let e = iam
        .change_password(&session, "Third-pass-55", "Second-pass-5", &meta(), T0)
        .await
        .unwrap_err();
    assert!(matches!(e, IamError::PasswordRules { .. }), "{e:?}");
    let arn = iam.user_arn("mary5").await.unwrap();
    iam.delete_login_profile(&auth(Action::DeleteLoginProfile, &arn).await, &meta(), T0)
        .await
        .unwrap();
    assert!(
        iam.authenticate(signed_in.token.as_str(), T0)
            .await
            .unwrap()
            .is_none()
    );
    let diego = iam.user_arn("diego5").await.unwrap();
    let tag = |key: &str, value: &str| Tag {
        key: key.to_owned(),
        value: value.to_owned(),
    };
    let add = auth(Action::TagUser, &diego).await;
    iam.tag_user(&add, vec![tag("team", "a"), tag("env", "")], &meta(), T0)
        .await
        .unwrap();
    iam.tag_user(&add, vec![tag("Team", "b")], &meta(), T0)
        .await
        .unwrap();
    let remove = auth(Action::UntagUser, &diego).await;
    iam.untag_user(&remove, vec!["ENV".to_owned()], &meta(), T0)
        .await
        .unwrap();
    let list = auth(Action::ListUserTags, &diego).await;
    assert_eq!(
        iam.list_user_tags(&list).await.unwrap(),
        vec![tag("Team", "b")]
    );
    let many: Vec<Tag> = (0..50).map(|i| tag(&format!("k{i}"), "v")).collect();
    let e = iam.tag_user(&add, many, &meta(), T0).await.unwrap_err();
    assert_eq!(e.field(), Some("tags"), "{e:?}");
    let delete = auth(Action::DeleteUser, &diego).await;
    iam.delete_user(&delete, &meta(), T0).await.unwrap();
    let list = auth(Action::ListUserTags, &iam.user_arn("diego5").await.unwrap()).await;
    let e = iam.list_user_tags(&list).await.unwrap_err();
    assert_eq!(e.kind(), iam::ErrorKind::NotFound, "{e:?}");
    let e = iam.delete_user(&delete, &meta(), T0).await.unwrap_err();
    assert_eq!(e.kind(), iam::ErrorKind::NotFound, "{e:?}");
}

/// IAM users decided by their policies, and the access records the decisions leave (issue 6).
#[expect(clippy::unwrap_used, reason = "a helper of one test; failures fail it")]
async fn enforcement_and_access_records(iam: &Iam, root: &Principal, url: &str) {
    let readonly = "arn:aws:iam::aws:policy/IAMReadOnlyAccess";
    let group_arn = iam.group_arn_for(None, "Auditors").await.unwrap();
    let create = iam
        .authorize(root, Action::CreateGroup, &group_arn)
        .await
        .unwrap();
    let attach = iam
        .authorize(root, Action::AttachGroupPolicy, &group_arn)
        .await
        .unwrap();
    iam.create_group(
        &create,
        Some(&attach),
        None,
        NewGroup {
            name: "Auditors".to_owned(),
            path: None,
            policy_arns: vec![readonly.to_owned()],
            user_names: Vec::new(),
        },
        &meta(),
        T0,
    )
    .await
    .unwrap();
    let spec = NewUserSpec {
        group_names: vec!["Auditors".to_owned()],
        ..NewUserSpec::named("auditor")
    };
    let proofs = iam
        .authorize_create_users(root, std::slice::from_ref(&spec))
        .await
        .unwrap();
    iam.create_users(&proofs, vec![spec], &meta(), T0)
        .await
        .unwrap();
    let pool = PgPool::connect(url).await.unwrap();
    let (user_id,): (String,) = sqlx::query_as("SELECT id FROM users WHERE name = 'auditor'")
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    let auditor = Principal::User {
        account_id: root.account_id().clone(),
        user_id,
        name: "auditor".to_owned(),
        path: "/".to_owned(),
    };
    let facts = |secs| iam::RequestFacts::at(T0.plus_secs(secs));
    assert!(
        iam.authorize_request(&auditor, Action::ListUsers, "*", &facts(10))
            .await
            .is_ok()
    );
    let e = iam
        .authorize_request(&auditor, Action::CreatePolicy, "*", &facts(20))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::AccessDenied);
    iam.flush_access_records().await.unwrap();
    assert!(
        iam.authorize_request(&auditor, Action::ListUsers, "*", &facts(5))
            .await
            .is_ok()
    );

    let auth = iam
        .authorize(root, Action::GenerateServiceLastAccessedDetails, &group_arn)
        .await
        .unwrap();
    let report = iam
        .service_last_accessed(&auth, T0.plus_secs(86_400))
        .await
        .unwrap();
    let used = report.iter().find(|s| s.service == "iam").unwrap();
    assert_eq!(used.last_accessed_at, Some(T0.plus_secs(20)));
    assert_eq!(used.last_accessed_by.as_deref(), Some("auditor"));
    assert_eq!(used.attempts, 3);
    let list = used
        .actions
        .iter()
        .find(|a| a.action == "iam:ListUsers")
        .unwrap();
    assert_eq!(
        (list.attempts, list.last_allowed_at),
        (2, Some(T0.plus_secs(10)))
    );
    assert_eq!((used.entities_accessed, list.entities_accessed), (1, 1));

    // A user deleted with decisions still unwritten leaves no access records behind.
    let spec = NewUserSpec {
        group_names: vec!["Auditors".to_owned()],
        ..NewUserSpec::named("leaver")
    };
    let proofs = iam
        .authorize_create_users(root, std::slice::from_ref(&spec))
        .await
        .unwrap();
    iam.create_users(&proofs, vec![spec], &meta(), T0)
        .await
        .unwrap();
    let pool = PgPool::connect(url).await.unwrap();
    let (leaver_id,): (String,) = sqlx::query_as("SELECT id FROM users WHERE name = 'leaver'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let leaver = Principal::User {
        account_id: root.account_id().clone(),
        user_id: leaver_id.clone(),
        name: "leaver".to_owned(),
        path: "/".to_owned(),
    };
    assert!(
        iam.authorize_request(&leaver, Action::ListUsers, "*", &facts(30))
            .await
            .is_ok()
    );
    let leaver_arn = iam.user_arn_for(None, "leaver").await.unwrap();
    let delete = iam
        .authorize(root, Action::DeleteUser, &leaver_arn)
        .await
        .unwrap();
    iam.delete_user(&delete, &meta(), T0).await.unwrap();
    iam.flush_access_records().await.unwrap();
    let (orphans,): (i64,) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM service_last_accessed WHERE principal_id = $1) \
         + (SELECT COUNT(*) FROM action_last_accessed WHERE principal_id = $1)",
    )
    .bind(&leaver_id)
    .fetch_one(&pool)
    .await
    .unwrap();
    pool.close().await;
    assert_eq!(orphans, 0);
    let report = iam
        .service_last_accessed(&auth, T0.plus_secs(86_400))
        .await
        .unwrap();
    let used = report.iter().find(|s| s.service == "iam").unwrap();
    assert_eq!(
        (used.entities_accessed, used.last_accessed_by.as_deref()),
        (1, Some("auditor"))
    );
}

#[expect(clippy::unwrap_used, reason = "a helper of one test; failures fail it")]
async fn event_history(iam: &Iam, root: &Principal) {
    use iam::{EventFilter, LookupAttribute};
    let auth = iam
        .authorize(root, Action::LookupEvents, "*")
        .await
        .unwrap();
    let filter = |lookup: Option<(LookupAttribute, &str)>| EventFilter {
        lookup: lookup.map(|(a, v)| (a, v.to_owned())),
        start: T0.plus_secs(-86_400),
        end: T0.plus_secs(86_400 * 400),
        include_read_only: false,
        page_size: 1,
        next_token: None,
    };
    let lookup = async |f: &EventFilter| iam.lookup_events(&auth, f, &meta(), T0).await.unwrap();
    let mut by_name = filter(Some((LookupAttribute::EventName, "CreateGroup")));
    let first = lookup(&by_name).await;
    assert_eq!(first.events[0].event_name, "CreateGroup");
    by_name.next_token = first.next_token.clone();
    let second = lookup(&by_name).await;
    assert_ne!(first.events[0].event_id, second.events[0].event_id);
    assert!(first.events[0].event_time >= second.events[0].event_time);
    let by_type = lookup(&filter(Some((
        LookupAttribute::ResourceType,
        "AWS::IAM::Group",
    ))))
    .await;
    assert_eq!(
        by_type.events[0].resources[0].resource_type,
        "AWS::IAM::Group"
    );
    let name = by_type.events[0].resources[0].name.clone();
    let by_resource = lookup(&filter(Some((LookupAttribute::ResourceName, &name)))).await;
    assert_eq!(by_resource.events[0].resources[0].name, name);
    let by_source = lookup(&filter(Some((
        LookupAttribute::EventSource,
        "signin.amazonaws.com",
    ))))
    .await;
    assert_eq!(by_source.events[0].event_name, "ConsoleLogin");
    let read_only = lookup(&filter(Some((LookupAttribute::ReadOnly, "true")))).await;
    assert!(read_only.events[0].read_only);
    let json = by_type.events[0].to_cloudtrail_json();
    assert_eq!(json["eventSource"], "iam.amazonaws.com");
    // Retention: nothing is older than a day before T0; everything is older
    // than 500 days after it.
    assert_eq!(iam.prune_events(1, T0).await.unwrap(), 0);
    assert!(
        iam.prune_events(1, T0.plus_secs(86_400 * 500))
            .await
            .unwrap()
            > 0
    );
    let all = lookup(&filter(None)).await;
    assert!(all.events.is_empty());
}

/// Sign-in protection's upserts on PostgreSQL: five free failures, then a wait; the address
/// limit per minute.
#[tokio::test]
async fn postgres_sign_in_protection_when_configured() {
    let Some(admin_url) = postgres_admin_url() else {
        return;
    };
    let db = FreshDatabase::create(&admin_url).await;
    let iam = Iam::connect(&db.url)
        .await
        .unwrap()
        .with_sign_ins_per_minute(Some(7));
    iam.ensure_account(T0).await.unwrap();
    iam.create_root(ROOT_EMAIL, ROOT_PASSWORD, T0)
        .await
        .unwrap();
    let attempt = |password: &'static str| {
        let iam = iam.clone();
        async move {
            iam.sign_in_root(ROOT_EMAIL, password, None, &meta(), T0)
                .await
                .map(|_| ())
        }
    };
    for _ in 0..5 {
        let e = attempt("Wrong-password1").await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidCredentials);
    }
    assert!(matches!(
        attempt(ROOT_PASSWORD).await,
        Err(IamError::SignInLocked { .. })
    ));
    // Attempts 7 and 8 of this minute from this address: the 8th is over the limit of 7.
    assert!(matches!(
        attempt(ROOT_PASSWORD).await,
        Err(IamError::SignInLocked { .. })
    ));
    assert!(matches!(
        attempt(ROOT_PASSWORD).await,
        Err(IamError::TooManyRequests { .. })
    ));
    assert!(
        iam.prune_sign_in_records(T0.plus_secs(86_401))
            .await
            .unwrap()
            >= 1
    );
    iam.store().close().await;
}
