//! Access keys and the authorization API's decisions (issue 6 item 2).

use iam::{
    AccessKeyStatus, Action, AuthzQuery, ErrorKind, MAX_BATCH_REQUESTS, Principal, RequestFacts,
};

use super::enforcement::{group, user};
use super::policies::{create_ok, power_user_document};
use super::support::{T0, TestDb, meta, with_root};

const CALLER_POLICY: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "portcullis:Authorize", "Resource": "*"}]}"#;

async fn new_key(db: &TestDb, who: &Principal) -> iam::NewAccessKey {
    let auth = db.auth(Action::CreateAccessKey, &who.arn()).await;
    db.iam.create_access_key(&auth, &meta(), T0).await.unwrap()
}

fn query(principal: &str, action: &str, resource: &str) -> AuthzQuery {
    AuthzQuery {
        principal: principal.to_owned(),
        action: action.to_owned(),
        resource: resource.to_owned(),
        context: policy::Context::new(),
    }
}

#[tokio::test]
async fn keys_are_shown_once_stored_hashed_limited_to_two_and_can_be_turned_off() {
    let db = with_root().await;
    let svc = user(&db, "inventory-service", &[], &[]).await;
    let key = new_key(&db, &svc).await;
    assert!(key.access_key_id.starts_with("AKIA") && key.access_key_id.len() == 20);
    assert_eq!(key.secret.expose().len(), 40);
    assert!(!format!("{key:?}").contains(key.secret.expose()));
    // Neither the keys table nor the events hold the secret.
    let secret = key.secret.expose().to_owned();
    let stored = db
        .count(&format!(
            "SELECT COUNT(*) FROM access_keys WHERE secret_hash LIKE '%{secret}%'"
        ))
        .await;
    let logged = db
        .count(&format!(
            "SELECT COUNT(*) FROM events WHERE request_parameters LIKE '%{secret}%' \
             OR response_elements LIKE '%{secret}%'"
        ))
        .await;
    assert_eq!((stored, logged), (0, 0));
    assert!(
        db.event_names()
            .await
            .contains(&"CreateAccessKey".to_owned())
    );

    let holder = db
        .iam
        .authenticate_access_key(&key.access_key_id, &secret, T0)
        .await
        .unwrap();
    assert_eq!(holder.principal, svc);
    for (id, presented) in [
        (key.access_key_id.as_str(), "0".repeat(40)),
        ("AKIAAAAAAAAAAAAAAAAA", secret.clone()),
        ("not-a-key", secret.clone()),
    ] {
        let e = db
            .iam
            .authenticate_access_key(id, &presented, T0)
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidCredentials);
    }

    new_key(&db, &svc).await;
    let auth = db.auth(Action::CreateAccessKey, &svc.arn()).await;
    let e = db
        .iam
        .create_access_key(&auth, &meta(), T0)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict);
    assert!(e.user_message().contains("`inventory-service`"), "{e}");

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
    let e = db
        .iam
        .authenticate_access_key(&key.access_key_id, &secret, T0)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidCredentials);
    let list = db.auth(Action::ListAccessKeys, &svc.arn()).await;
    let keys = db.iam.list_access_keys(&list).await.unwrap();
    assert_eq!(keys.len(), 2);
    let first = keys
        .iter()
        .find(|k| k.access_key_id == key.access_key_id)
        .unwrap();
    assert_eq!(first.status, AccessKeyStatus::Inactive);
    assert_eq!(first.last_used_at, Some(T0));

    let delete = db.auth(Action::DeleteAccessKey, &svc.arn()).await;
    db.iam
        .delete_access_key(&delete, &key.access_key_id, &meta(), T0)
        .await
        .unwrap();
    let e = db
        .iam
        .delete_access_key(&delete, &key.access_key_id, &meta(), T0)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(db.iam.list_access_keys(&list).await.unwrap().len(), 1);
}

#[tokio::test]
async fn only_users_allowed_portcullis_authorize_may_ask() {
    let db = with_root().await;
    let nobody = user(&db, "nobody", &[], &[]).await;
    let key = new_key(&db, &nobody).await;
    let facts = RequestFacts::at(T0);
    let e = db
        .iam
        .authorize_api_caller(&key.access_key_id, key.secret.expose(), &facts)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::AccessDenied);
    assert!(e.user_message().contains("`portcullis:Authorize`"), "{e}");

    let callers = create_ok(&db, "AuthorizationCallers", CALLER_POLICY).await;
    group(&db, "Services", &[&callers.arn]).await;
    let svc = user(&db, "svc", &["Services"], &[]).await;
    let key = new_key(&db, &svc).await;
    let caller = db
        .iam
        .authorize_api_caller(&key.access_key_id, key.secret.expose(), &facts)
        .await
        .unwrap();
    assert_eq!(caller.principal(), &svc);
    assert_eq!(caller.access_key_id(), key.access_key_id);
}

#[tokio::test]
async fn decisions_follow_the_principals_policies_and_are_recorded_as_accesses() {
    let db = with_root().await;
    let ours = create_ok(&db, "PowerUserExampleCorp", &power_user_document()).await;
    let power_users = group(&db, "PowerUsers", &[&ours.arn]).await;
    let mary = user(&db, "mary.major@examplecorp.com", &["PowerUsers"], &[]).await;
    let callers = create_ok(&db, "AuthorizationCallers", CALLER_POLICY).await;
    group(&db, "Services", &[&callers.arn]).await;
    let svc = user(&db, "svc", &["Services"], &[]).await;
    let key = new_key(&db, &svc).await;
    let caller = db
        .iam
        .authorize_api_caller(
            &key.access_key_id,
            key.secret.expose(),
            &RequestFacts::at(T0),
        )
        .await
        .unwrap();

    let mut with_ip = query(&mary.arn(), "s3:PutObject", "arn:aws:s3:::reports/q3.csv");
    with_ip.context.insert("aws:SourceIp", "203.0.113.9");
    // A caller cannot pretend the principal is someone else.
    with_ip.context.insert("aws:username", "root");
    let answers = db
        .iam
        .is_authorized(
            &caller,
            vec![
                query("mary.major@examplecorp.com", "ec2:StartInstances", "*"),
                query("MARY.MAJOR@examplecorp.com", "iam:CreateUser", "*"),
                with_ip,
                query("nobody-here", "s3:GetObject", "*"),
                query(
                    "arn:aws:iam::000000000000:user/mary.major@examplecorp.com",
                    "s3:GetObject",
                    "*",
                ),
            ],
            T0.plus_secs(5),
        )
        .await
        .unwrap();
    let decisions: Vec<(policy::Decision, bool)> = answers
        .iter()
        .map(|a| (a.decision, a.principal_found))
        .collect();
    use policy::Decision::{Allow, ImplicitDeny};
    assert_eq!(
        decisions,
        [
            (Allow, true),
            (ImplicitDeny, true),
            (Allow, true),
            (ImplicitDeny, false),
            (ImplicitDeny, false),
        ]
    );
    assert_eq!(answers[0].matched.len(), 1);
    assert_eq!(answers[0].matched[0].policy, ours.arn);
    // Each decision is in the Event history, by the caller and its key, read-only.
    let pool = db.raw().await;
    let rows: Vec<(String, String, String, i64, String)> = sqlx::query_as(
        "SELECT event_source, user_name, access_key_id, read_only, response_elements FROM events \
         WHERE event_name = 'Authorize' ORDER BY request_parameters",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    pool.close().await;
    assert_eq!(rows.len(), 5);
    for (source, by, key_id, read_only, _) in &rows {
        assert_eq!(
            (source.as_str(), by.as_str(), key_id.as_str(), *read_only),
            (
                "portcullis.amazonaws.com",
                "svc",
                key.access_key_id.as_str(),
                1
            )
        );
    }
    assert!(rows.iter().any(|r| r.4.contains("\"ImplicitDeny\"")));

    let auth = db
        .auth(Action::GenerateServiceLastAccessedDetails, &power_users)
        .await;
    let report = db
        .iam
        .service_last_accessed(&auth, T0.plus_secs(86_400))
        .await
        .unwrap();
    let used: Vec<&str> = report
        .iter()
        .filter(|s| s.last_accessed_at.is_some())
        .map(|s| s.service.as_str())
        .collect();
    assert_eq!(used.len(), 3, "{used:?}");
    for prefix in ["ec2", "s3", "iam"] {
        assert!(used.contains(&prefix), "{prefix} in {used:?}");
    }
    let s3 = report.iter().find(|s| s.service == "s3").unwrap();
    assert_eq!(
        s3.last_accessed_by.as_deref(),
        Some("mary.major@examplecorp.com")
    );

    let too_many = vec![query("svc", "s3:GetObject", "*"); MAX_BATCH_REQUESTS + 1];
    let e = db
        .iam
        .is_authorized(&caller, too_many, T0)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert!(e.user_message().contains("101"), "{e}");
}
