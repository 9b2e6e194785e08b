//! Managed policies: the tutorial's PowerUserExampleCorp, every rule's
//! refusal, versions, tags, the AWS managed library, listing and events.

use iam::{
    Action, ErrorKind, IamError, NewGroup, NewPolicy, NewUser, PolicyDetails, PolicyFilter,
    PolicyScope, PolicyType, Tag,
};
use serde_json::json;

use super::support::{T0, TestDb, meta, with_root};

pub const POWER_USER_ARN: &str = "arn:aws:iam::aws:policy/PowerUserAccess";

/// The tutorial's reduced policy (the `FullAccessToSomeServices` statement).
pub const REDUCED: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "FullAccessToSomeServices",
      "Effect": "Allow",
      "Action": ["ec2:*", "s3:*"],
      "Resource": "*"
    },
    {
      "Effect": "Allow",
      "Action": [
        "iam:CreateServiceLinkedRole",
        "iam:DeleteServiceLinkedRole",
        "iam:ListRoles",
        "organizations:DescribeOrganization"
      ],
      "Resource": "*"
    }
  ]
}"#;

pub fn simple_doc(action: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"{action}","Resource":"*"}}]}}"#
    )
}

pub fn power_user_document() -> String {
    policy::managed::by_arn(POWER_USER_ARN)
        .unwrap()
        .document
        .to_owned()
}

pub fn new_policy(name: &str, document: &str) -> NewPolicy {
    NewPolicy {
        name: name.to_owned(),
        path: None,
        description: None,
        document: document.to_owned(),
        tags: Vec::new(),
    }
}

pub fn tag(key: &str, value: &str) -> Tag {
    Tag {
        key: key.to_owned(),
        value: value.to_owned(),
    }
}

/// Creates a customer managed policy through the API.
pub async fn create(db: &TestDb, new: NewPolicy) -> Result<PolicyDetails, IamError> {
    let arn = db
        .iam
        .policy_arn_for(new.path.as_deref(), &new.name)
        .await
        .unwrap();
    let auth = db.auth(Action::CreatePolicy, &arn).await;
    db.iam.create_policy(&auth, new, &meta(), T0).await
}

pub async fn create_ok(db: &TestDb, name: &str, document: &str) -> PolicyDetails {
    create(db, new_policy(name, document)).await.unwrap()
}

async fn get(db: &TestDb, arn: &str) -> PolicyDetails {
    let auth = db.auth(Action::GetPolicy, arn).await;
    db.iam.get_policy(&auth).await.unwrap()
}

fn assert_field(e: &IamError, kind: ErrorKind, field: &str) {
    assert_eq!((e.kind(), e.field()), (kind, Some(field)), "{e:?}");
    let m = e.user_message();
    assert!(m.starts_with(|c: char| c.is_lowercase()), "{m}");
    assert!(!m.ends_with('.'), "{m}");
}

#[tokio::test]
async fn the_tutorial_policy_is_created_from_power_user_access() {
    let db = with_root().await;
    let document = power_user_document();
    let mut new = new_policy("PowerUserExampleCorp", &document);
    new.description = Some("Power users without IAM".to_owned());
    new.tags = vec![tag("team", "platform")];
    let details = create(&db, new).await.unwrap();

    let account = db.iam.account().await.unwrap();
    assert_eq!(
        details.arn,
        format!("arn:aws:iam::{}:policy/PowerUserExampleCorp", account.id)
    );
    assert_eq!(details.policy_type, PolicyType::CustomerManaged);
    assert_eq!(details.default_version_id, "v1");
    assert_eq!(details.document, document);
    assert_eq!(details.versions.len(), 1);
    assert!(details.versions[0].is_default);
    assert_eq!(details.created_at, Some(T0));
    assert_eq!(details.tags, vec![tag("team", "platform")]);
    assert_eq!(details.attachment_count, 0);
    assert_eq!(get(&db, &details.arn).await, details);

    let events = db.events().await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].0, "CreatePolicy");
    assert_eq!(
        events[0].1,
        json!({
            "policyName": "PowerUserExampleCorp",
            "path": "/",
            "description": "Power users without IAM",
            "policyDocument": document,
            "tags": [{ "key": "team", "value": "platform" }],
        })
    );
    assert_eq!(
        db.count("SELECT COUNT(*) FROM events WHERE event_name = 'CreatePolicy' AND read_only = 0")
            .await,
        1
    );
}

#[tokio::test]
async fn names_paths_and_descriptions_are_checked() {
    let db = with_root().await;
    let doc = simple_doc("s3:GetObject");
    let long = "p".repeat(129);
    for (name, needle) in [
        (
            "a b",
            "the policy name `a b` contains ` `; use letters, digits and + = , . @ _ -",
        ),
        ("", "1 to 128"),
        (long.as_str(), "more than the 128 allowed"),
        ("semi;colon", "`;`"),
    ] {
        let e = create(&db, new_policy(name, &doc)).await.unwrap_err();
        assert_field(&e, ErrorKind::Validation, "name");
        assert!(e.user_message().contains(needle), "{e}");
    }
    assert!(
        create(&db, new_policy(&"p".repeat(128), &doc))
            .await
            .is_ok()
    );

    let long_path = format!("/{}/", "a".repeat(511));
    for (path, needle) in [
        ("team/", "must begin and end with `/`"),
        ("/team", "must begin and end with `/`"),
        ("/a b/", "contains ` `"),
        (long_path.as_str(), "512"),
    ] {
        let mut new = new_policy("WithPath", &doc);
        new.path = Some(path.to_owned());
        let e = create(&db, new).await.unwrap_err();
        assert_field(&e, ErrorKind::Validation, "path");
        assert!(e.user_message().contains(needle), "{e}");
    }
    let mut new = new_policy("WithPath", &doc);
    new.path = Some("/eng/ops/".to_owned());
    let details = create(&db, new).await.unwrap();
    assert!(details.arn.ends_with(":policy/eng/ops/WithPath"));
    assert_eq!(details.path, "/eng/ops/");

    let mut new = new_policy("Described", &doc);
    new.description = Some("d".repeat(1001));
    let e = create(&db, new).await.unwrap_err();
    assert_field(&e, ErrorKind::Validation, "description");
    assert!(e.user_message().contains("1000 allowed"), "{e}");
    let mut new = new_policy("Described", &doc);
    new.description = Some("d".repeat(1000));
    assert!(create(&db, new).await.is_ok());
}

#[tokio::test]
async fn tags_are_checked() {
    let db = with_root().await;
    let doc = simple_doc("s3:GetObject");
    let fifty_one: Vec<Tag> = (0..51).map(|i| tag(&format!("k{i}"), "v")).collect();
    let cases: Vec<(Vec<Tag>, &str)> = vec![
        (fifty_one, "50 allowed"),
        (vec![tag("", "v")], "empty"),
        (vec![tag(&"k".repeat(129), "v")], "128 allowed"),
        (vec![tag("k", &"v".repeat(257))], "256 allowed"),
        (vec![tag("key#", "v")], "`#`"),
        (vec![tag("k", "v%")], "`%`"),
        (vec![tag("aws:owner", "v")], "reserved for AWS"),
        (vec![tag("Team", "a"), tag("team", "b")], "more than once"),
    ];
    for (tags, needle) in cases {
        let mut new = new_policy("Tagged", &doc);
        new.tags = tags;
        let e = create(&db, new).await.unwrap_err();
        assert_field(&e, ErrorKind::Validation, "tags");
        assert!(e.user_message().contains(needle), "{e}");
    }
    let fifty: Vec<Tag> = (0..50).map(|i| tag(&format!("k{i}"), "v")).collect();
    let mut new = new_policy("Tagged", &doc);
    new.tags = fifty;
    let details = create(&db, new).await.unwrap();
    assert_eq!(details.tags.len(), 50);
    assert_eq!(db.count("SELECT COUNT(*) FROM policies").await, 1);
}

#[tokio::test]
async fn a_document_with_an_error_finding_is_refused() {
    let db = with_root().await;
    let e = create(&db, new_policy("Bad", &simple_doc("s3:NoSuchAction")))
        .await
        .unwrap_err();
    assert_field(&e, ErrorKind::Validation, "document");
    assert!(e.user_message().starts_with("line 1:"), "{e}");
    assert!(e.user_message().contains("s3:NoSuchAction"), "{e}");

    let two_errors = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Nope","ec2:Nope"],"Resource":"*"}]}"#;
    let e = create(&db, new_policy("Bad", two_errors))
        .await
        .unwrap_err();
    assert!(e.user_message().contains("1 more error"), "{e}");

    let e = create(&db, new_policy("Bad", "{not json"))
        .await
        .unwrap_err();
    assert_field(&e, ErrorKind::Validation, "document");
    assert_eq!(db.count("SELECT COUNT(*) FROM policies").await, 0);
    assert!(db.events().await.is_empty());
}

/// A valid document of more than 6,144 characters without whitespace.
pub fn oversized_document() -> String {
    let resources: Vec<String> = (0..200)
        .map(|i| format!("\"arn:aws:s3:::example-bucket-{i:04}/*\""))
        .collect();
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:GetObject","Resource":[{}]}}]}}"#,
        resources.join(",")
    )
}

#[tokio::test]
async fn a_document_over_6144_characters_is_refused() {
    let db = with_root().await;
    let big = oversized_document();
    assert!(!policy::validate::validate(&big).has_errors());
    let e = create(&db, new_policy("Big", &big)).await.unwrap_err();
    assert_field(&e, ErrorKind::Validation, "document");
    assert!(e.user_message().contains("6144 allowed"), "{e}");

    let created = create_ok(&db, "Small", REDUCED).await;
    let auth = db.auth(Action::CreatePolicyVersion, &created.arn).await;
    let e = db
        .iam
        .create_policy_version(&auth, &big, true, None, &meta(), T0)
        .await
        .unwrap_err();
    assert_field(&e, ErrorKind::Validation, "document");
}

#[tokio::test]
async fn names_are_unique_ignoring_case() {
    let db = with_root().await;
    let doc = simple_doc("s3:GetObject");
    create_ok(&db, "PowerUserExampleCorp", &doc).await;
    for name in ["PowerUserExampleCorp", "poweruserexamplecorp"] {
        let e = create(&db, new_policy(name, &doc)).await.unwrap_err();
        assert_field(&e, ErrorKind::Conflict, "name");
        assert!(e.user_message().contains(&format!("`{name}`")), "{e}");
    }
    // Another path does not make the name free, as in IAM.
    let mut new = new_policy("POWERUSEREXAMPLECORP", &doc);
    new.path = Some("/other/".to_owned());
    assert_eq!(
        create(&db, new).await.unwrap_err().kind(),
        ErrorKind::Conflict
    );
    // An AWS managed policy's name is not taken in the account.
    assert!(
        create(&db, new_policy("PowerUserAccess", &doc))
            .await
            .is_ok()
    );
    assert_eq!(db.count("SELECT COUNT(*) FROM policies").await, 2);
}

#[tokio::test]
async fn concurrent_creates_of_one_name_make_one_policy_and_one_conflict() {
    let db = with_root().await;
    let doc = simple_doc("s3:GetObject");
    for round in 0..5 {
        let name = format!("Racy{round}");
        let (a, b) = tokio::join!(
            create(&db, new_policy(&name, &doc)),
            create(&db, new_policy(&name.to_uppercase(), &doc))
        );
        let results = [a, b];
        let ok = results.iter().filter(|r| r.is_ok()).count();
        let conflicts = results
            .iter()
            .filter(|r| matches!(r, Err(IamError::NameTaken { .. })))
            .count();
        assert_eq!((ok, conflicts), (1, 1), "{results:?}");
    }
    assert_eq!(db.count("SELECT COUNT(*) FROM policies").await, 5);
    assert_eq!(db.count("SELECT COUNT(*) FROM policy_versions").await, 5);
    assert_eq!(db.event_names().await.len(), 5);
}

#[tokio::test]
async fn versions_v1_to_v5_then_delete_first() {
    let db = with_root().await;
    let created = create_ok(&db, "PowerUserExampleCorp", &power_user_document()).await;
    let arn = created.arn.clone();
    let auth = db.auth(Action::CreatePolicyVersion, &arn).await;
    for n in 2..=5 {
        let info = db
            .iam
            .create_policy_version(
                &auth,
                &simple_doc(&format!(
                    "s3:GetObject{}",
                    if n % 2 == 0 { "" } else { "*" }
                )),
                n == 5,
                None,
                &meta(),
                T0.plus_secs(n),
            )
            .await
            .unwrap();
        assert_eq!(info.version_id, format!("v{n}"));
        assert_eq!(info.is_default, n == 5);
    }
    let details = get(&db, &arn).await;
    let ids: Vec<_> = details
        .versions
        .iter()
        .map(|v| v.version_id.as_str())
        .collect();
    assert_eq!(ids, ["v5", "v4", "v3", "v2", "v1"], "newest first");
    assert_eq!(details.default_version_id, "v5");
    assert_eq!(details.updated_at, Some(T0.plus_secs(5)));

    // A sixth needs delete_first naming a non-default version.
    let sixth = |delete_first: Option<&str>| {
        let db = &db;
        let auth = &auth;
        let delete_first = delete_first.map(str::to_owned);
        async move {
            db.iam
                .create_policy_version(auth, REDUCED, true, delete_first, &meta(), T0)
                .await
        }
    };
    let e = sixth(None).await.unwrap_err();
    assert_field(&e, ErrorKind::Conflict, "version");
    assert!(e.user_message().contains("5 versions"), "{e}");
    let e = sixth(Some("v5")).await.unwrap_err();
    assert_field(&e, ErrorKind::Conflict, "version");
    assert_eq!(
        sixth(Some("v9")).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
    let info = sixth(Some("v1")).await.unwrap();
    assert_eq!(info.version_id, "v6", "ids are never reused");

    let details = get(&db, &arn).await;
    let ids: Vec<_> = details
        .versions
        .iter()
        .map(|v| v.version_id.as_str())
        .collect();
    assert_eq!(ids, ["v6", "v5", "v4", "v3", "v2"]);
    assert_eq!(details.document, REDUCED);

    let names = db.event_names().await;
    assert_eq!(
        names[names.len() - 2..],
        ["DeletePolicyVersion", "CreatePolicyVersion"]
    );
    let (_, params) = db.events().await.pop().unwrap();
    assert_eq!(
        params,
        json!({ "policyArn": arn, "policyDocument": REDUCED, "setAsDefault": true })
    );
}

#[tokio::test]
async fn set_default_rolls_back_and_the_default_cannot_be_deleted() {
    let db = with_root().await;
    let v1 = power_user_document();
    let created = create_ok(&db, "PowerUserExampleCorp", &v1).await;
    let arn = created.arn;
    let auth = db.auth(Action::CreatePolicyVersion, &arn).await;
    db.iam
        .create_policy_version(&auth, REDUCED, true, None, &meta(), T0)
        .await
        .unwrap();
    assert_eq!(get(&db, &arn).await.document, REDUCED);

    // Roll back to v1.
    let auth = db.auth(Action::SetDefaultPolicyVersion, &arn).await;
    db.iam
        .set_default_policy_version(&auth, "v1", &meta(), T0.plus_secs(9))
        .await
        .unwrap();
    let details = get(&db, &arn).await;
    assert_eq!(
        (
            details.default_version_id.as_str(),
            details.document.as_str()
        ),
        ("v1", v1.as_str())
    );
    assert_eq!(details.updated_at, Some(T0.plus_secs(9)));
    let e = db
        .iam
        .set_default_policy_version(&auth, "v7", &meta(), T0)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);

    // Reading one version.
    let auth = db.auth(Action::GetPolicyVersion, &arn).await;
    let v2 = db.iam.get_policy_version(&auth, "v2").await.unwrap();
    assert_eq!((v2.document.as_str(), v2.is_default), (REDUCED, false));
    let e = db.iam.get_policy_version(&auth, "x").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);

    // The default (v1) cannot be deleted; v2 can.
    let auth = db.auth(Action::DeletePolicyVersion, &arn).await;
    let e = db
        .iam
        .delete_policy_version(&auth, "v1", &meta(), T0)
        .await
        .unwrap_err();
    assert_field(&e, ErrorKind::Conflict, "version");
    assert!(
        e.user_message().contains("`v1` is the default version"),
        "{e}"
    );
    db.iam
        .delete_policy_version(&auth, "v2", &meta(), T0)
        .await
        .unwrap();
    let e = db
        .iam
        .delete_policy_version(&auth, "v2", &meta(), T0)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(get(&db, &arn).await.versions.len(), 1);

    let events = db.events().await;
    let names: Vec<_> = events.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(
        names,
        [
            "CreatePolicy",
            "CreatePolicyVersion",
            "SetDefaultPolicyVersion",
            "DeletePolicyVersion"
        ]
    );
    assert_eq!(events[2].1, json!({ "policyArn": arn, "versionId": "v1" }));
    assert_eq!(events[3].1, json!({ "policyArn": arn, "versionId": "v2" }));
}

#[tokio::test]
async fn aws_managed_policies_are_read_only() {
    let db = with_root().await;
    let details = get(&db, POWER_USER_ARN).await;
    assert_eq!(details.policy_type, PolicyType::AwsManaged);
    assert_eq!(details.name, "PowerUserAccess");
    assert_eq!(details.document, power_user_document());
    assert_eq!(details.created_at, None);
    assert_eq!(details.versions.len(), 1);
    let auth = db.auth(Action::GetPolicyVersion, POWER_USER_ARN).await;
    let version = db
        .iam
        .get_policy_version(&auth, &details.default_version_id)
        .await
        .unwrap();
    assert_eq!(version.document, details.document);

    let refused = |e: IamError| {
        assert_field(&e, ErrorKind::Validation, "policy_arn");
        assert!(e.user_message().contains("read-only"), "{e}");
    };
    let auth = db.auth(Action::CreatePolicyVersion, POWER_USER_ARN).await;
    refused(
        db.iam
            .create_policy_version(&auth, REDUCED, true, None, &meta(), T0)
            .await
            .unwrap_err(),
    );
    let auth = db
        .auth(Action::SetDefaultPolicyVersion, POWER_USER_ARN)
        .await;
    refused(
        db.iam
            .set_default_policy_version(&auth, "v1", &meta(), T0)
            .await
            .unwrap_err(),
    );
    let auth = db.auth(Action::DeletePolicyVersion, POWER_USER_ARN).await;
    refused(
        db.iam
            .delete_policy_version(&auth, "v1", &meta(), T0)
            .await
            .unwrap_err(),
    );
    let auth = db.auth(Action::TagPolicy, POWER_USER_ARN).await;
    refused(
        db.iam
            .tag_policy(&auth, vec![tag("a", "b")], &meta(), T0)
            .await
            .unwrap_err(),
    );
    let auth = db.auth(Action::UntagPolicy, POWER_USER_ARN).await;
    refused(
        db.iam
            .untag_policy(&auth, vec!["a".to_owned()], &meta(), T0)
            .await
            .unwrap_err(),
    );
    let auth = db.auth(Action::DeletePolicy, POWER_USER_ARN).await;
    refused(db.iam.delete_policy(&auth, &meta(), T0).await.unwrap_err());
    assert!(db.events().await.is_empty());

    let auth = db
        .auth(Action::GetPolicy, "arn:aws:iam::aws:policy/NoSuchPolicy")
        .await;
    assert_eq!(
        db.iam.get_policy(&auth).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
}

#[tokio::test]
async fn tags_are_added_overwritten_and_removed() {
    let db = with_root().await;
    let mut new = new_policy("Tagged", REDUCED);
    new.tags = vec![tag("team", "a"), tag("env", "prod")];
    let arn = create(&db, new).await.unwrap().arn;
    let auth = db.auth(Action::TagPolicy, &arn).await;
    db.iam
        .tag_policy(
            &auth,
            vec![tag("Team", "b"), tag("cost", "42")],
            &meta(),
            T0,
        )
        .await
        .unwrap();
    assert_eq!(
        get(&db, &arn).await.tags,
        vec![tag("cost", "42"), tag("env", "prod"), tag("Team", "b")]
    );
    let e = db
        .iam
        .tag_policy(&auth, vec![tag("aws:x", "b")], &meta(), T0)
        .await
        .unwrap_err();
    assert_field(&e, ErrorKind::Validation, "tags");
    let many: Vec<Tag> = (0..48).map(|i| tag(&format!("k{i}"), "v")).collect();
    let e = db
        .iam
        .tag_policy(&auth, many, &meta(), T0)
        .await
        .unwrap_err();
    assert_field(&e, ErrorKind::Validation, "tags");
    assert!(e.user_message().contains("51 tags"), "{e}");

    let auth = db.auth(Action::UntagPolicy, &arn).await;
    db.iam
        .untag_policy(
            &auth,
            vec!["TEAM".to_owned(), "missing".to_owned()],
            &meta(),
            T0,
        )
        .await
        .unwrap();
    assert_eq!(
        get(&db, &arn).await.tags,
        vec![tag("cost", "42"), tag("env", "prod")]
    );
    let events = db.events().await;
    assert_eq!(
        events[1],
        (
            "TagPolicy".to_owned(),
            json!({ "policyArn": arn, "tags": [{ "key": "Team", "value": "b" }, { "key": "cost", "value": "42" }] })
        )
    );
    assert_eq!(
        events[2],
        (
            "UntagPolicy".to_owned(),
            json!({ "policyArn": arn, "tagKeys": ["TEAM", "missing"] })
        )
    );
}

#[tokio::test]
async fn listing_merges_aws_and_customer_policies() {
    let db = with_root().await;
    let managed = policy::managed::all().len();
    assert!(managed > 1500);
    create_ok(&db, "PowerUserExampleCorp", REDUCED).await;
    create_ok(&db, "aaa-first", REDUCED).await;
    let auth = db.auth(Action::ListPolicies, "*").await;
    let list = |query: &str, scope, offset, limit| {
        let filter = PolicyFilter {
            query: query.to_owned(),
            scope,
            offset,
            limit,
        };
        let db = &db;
        let auth = &auth;
        async move { db.iam.list_policies(auth, &filter).await }
    };

    let all = list("", PolicyScope::All, 0, 100).await.unwrap();
    assert_eq!(all.total, managed as u64 + 2);
    assert_eq!(all.items.len(), 100);
    assert_eq!(all.items[0].name, "aaa-first", "sorted ignoring case");
    let lower: Vec<String> = all.items.iter().map(|i| i.name.to_lowercase()).collect();
    assert!(lower.windows(2).all(|w| w[0] <= w[1]));

    // Every page together is the whole list, each policy once.
    let mut seen = Vec::new();
    let mut offset = 0;
    loop {
        let page = list("", PolicyScope::All, offset, 100).await.unwrap();
        if page.items.is_empty() {
            break;
        }
        offset += 100;
        seen.extend(page.items.into_iter().map(|i| i.arn));
    }
    assert_eq!(seen.len(), managed + 2);
    let unique: std::collections::HashSet<_> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len());

    let power = list("POWER", PolicyScope::All, 0, 100).await.unwrap();
    let names: Vec<_> = power.items.iter().map(|i| i.name.as_str()).collect();
    assert!(names.contains(&"PowerUserAccess"), "{names:?}");
    assert!(names.contains(&"PowerUserExampleCorp"), "{names:?}");
    assert!(
        power
            .items
            .iter()
            .all(|i| i.name.to_lowercase().contains("power"))
    );
    let ours = power
        .items
        .iter()
        .find(|i| i.name == "PowerUserExampleCorp")
        .unwrap();
    assert_eq!(ours.policy_type, PolicyType::CustomerManaged);
    assert_eq!(ours.created_at, Some(T0));

    let customer = list("", PolicyScope::CustomerManaged, 0, 10).await.unwrap();
    assert_eq!(customer.total, 2);
    let aws = list("", PolicyScope::AwsManaged, 0, 10).await.unwrap();
    assert_eq!(aws.total, managed as u64);
    assert!(
        aws.items
            .iter()
            .all(|i| i.policy_type == PolicyType::AwsManaged)
    );
    let past_end = list("", PolicyScope::All, 5000, 10).await.unwrap();
    assert!(past_end.items.is_empty());
    assert_eq!(past_end.total, managed as u64 + 2);

    for limit in [0, 1001] {
        let e = list("", PolicyScope::All, 0, limit).await.unwrap_err();
        assert_field(&e, ErrorKind::Validation, "limit");
    }

    // Fast: a hundred filtered pages well within a second each.
    let started = std::time::Instant::now();
    for _ in 0..100 {
        list("access", PolicyScope::All, 20, 50).await.unwrap();
    }
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}

#[tokio::test]
async fn attachment_counts_include_aws_managed_policies() {
    let db = with_root().await;
    let ours = create_ok(&db, "PowerUserExampleCorp", REDUCED).await;
    for name in ["PowerUsers", "Admins"] {
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
                    policy_arns: vec![POWER_USER_ARN.to_owned(), ours.arn.clone()],
                    user_names: Vec::new(),
                },
                &meta(),
                T0,
            )
            .await
            .unwrap();
    }
    let user_arn = db.iam.user_arn_for(None, "alice").await.unwrap();
    let auth = db.auth(Action::CreateUser, &user_arn).await;
    db.iam
        .create_user(
            &auth,
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
    let auth = db.auth(Action::AttachUserPolicy, &user_arn).await;
    db.iam
        .attach_user_policy(&auth, POWER_USER_ARN, &meta(), T0)
        .await
        .unwrap();

    let auth = db.auth(Action::ListPolicies, "*").await;
    let page = db
        .iam
        .list_policies(
            &auth,
            &PolicyFilter {
                query: "poweruser".to_owned(),
                scope: PolicyScope::All,
                offset: 0,
                limit: 10,
            },
        )
        .await
        .unwrap();
    let count = |name: &str| {
        page.items
            .iter()
            .find(|i| i.name == name)
            .unwrap()
            .attachment_count
    };
    assert_eq!(count("PowerUserAccess"), 3);
    assert_eq!(count("PowerUserExampleCorp"), 2);
    assert_eq!(get(&db, POWER_USER_ARN).await.attachment_count, 3);

    let auth = db.auth(Action::ListEntitiesForPolicy, POWER_USER_ARN).await;
    let entities = db.iam.list_entities_for_policy(&auth).await.unwrap();
    let groups: Vec<_> = entities.groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(groups, ["Admins", "PowerUsers"]);
    assert_eq!(entities.users.len(), 1);
    assert_eq!(entities.users[0].arn, user_arn);
}

#[tokio::test]
async fn deleting_a_policy_detaches_it_everywhere() {
    let db = with_root().await;
    let ours = create_ok(&db, "PowerUserExampleCorp", REDUCED).await;
    let group_arn = db.iam.group_arn_for(None, "PowerUsers").await.unwrap();
    let create = db.auth(Action::CreateGroup, &group_arn).await;
    let attach = db.auth(Action::AttachGroupPolicy, &group_arn).await;
    db.iam
        .create_group(
            &create,
            Some(&attach),
            None,
            NewGroup {
                name: "PowerUsers".to_owned(),
                path: None,
                policy_arns: vec![ours.arn.clone(), POWER_USER_ARN.to_owned()],
                user_names: Vec::new(),
            },
            &meta(),
            T0,
        )
        .await
        .unwrap();
    let user_arn = db.iam.user_arn_for(None, "bob").await.unwrap();
    let auth = db.auth(Action::CreateUser, &user_arn).await;
    db.iam
        .create_user(
            &auth,
            NewUser {
                name: "bob".to_owned(),
                path: None,
                tags: vec![tag("team", "ops")],
            },
            &meta(),
            T0,
        )
        .await
        .unwrap();
    let auth = db.auth(Action::AttachUserPolicy, &user_arn).await;
    db.iam
        .attach_user_policy(&auth, &ours.arn, &meta(), T0)
        .await
        .unwrap();
    assert_eq!(get(&db, &ours.arn).await.attachment_count, 2);

    let auth = db.auth(Action::DeletePolicy, &ours.arn).await;
    db.iam.delete_policy(&auth, &meta(), T0).await.unwrap();

    let auth = db.auth(Action::GetGroup, &group_arn).await;
    let group = db.iam.get_group(&auth).await.unwrap();
    let attached: Vec<_> = group
        .attached_policies
        .iter()
        .map(|p| p.arn.as_str())
        .collect();
    assert_eq!(attached, [POWER_USER_ARN]);
    assert_eq!(
        db.count("SELECT COUNT(*) FROM user_policy_attachments")
            .await,
        0
    );
    assert_eq!(db.count("SELECT COUNT(*) FROM policies").await, 0);
    assert_eq!(db.count("SELECT COUNT(*) FROM policy_versions").await, 0);
    assert_eq!(
        db.count("SELECT COUNT(*) FROM tags").await,
        1,
        "bob's tag stays"
    );
    let auth = db.auth(Action::GetPolicy, &ours.arn).await;
    assert_eq!(
        db.iam.get_policy(&auth).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );

    let events = db.events().await;
    let tail: Vec<_> = events[events.len() - 3..].to_vec();
    assert_eq!(
        tail,
        vec![
            (
                "DetachGroupPolicy".to_owned(),
                json!({ "groupName": "PowerUsers", "policyArn": ours.arn })
            ),
            (
                "DetachUserPolicy".to_owned(),
                json!({ "userName": "bob", "policyArn": ours.arn })
            ),
            ("DeletePolicy".to_owned(), json!({ "policyArn": ours.arn })),
        ]
    );
}

#[tokio::test]
async fn a_proof_for_another_action_or_name_is_refused() {
    let db = with_root().await;
    let ours = create_ok(&db, "Mine", REDUCED).await;
    let list = db.auth(Action::ListPolicies, "*").await;
    let e = db.iam.delete_policy(&list, &meta(), T0).await.unwrap_err();
    assert!(e.is_internal(), "{e:?}");
    let get_auth = db.auth(Action::GetPolicy, &ours.arn).await;
    assert!(
        db.iam
            .delete_policy(&get_auth, &meta(), T0)
            .await
            .unwrap_err()
            .is_internal()
    );

    // A create proof is for one name only.
    let other = db.iam.policy_arn_for(None, "Other").await.unwrap();
    let auth = db.auth(Action::CreatePolicy, &other).await;
    let e = db
        .iam
        .create_policy(&auth, new_policy("Sneaky", REDUCED), &meta(), T0)
        .await
        .unwrap_err();
    assert!(e.is_internal(), "{e:?}");
    assert_eq!(db.count("SELECT COUNT(*) FROM policies").await, 1);

    // A proof for a policy of another account.
    let root = db.root().await;
    let e = db
        .iam
        .authorize(
            &root,
            Action::GetPolicy,
            "arn:aws:iam::999999999999:policy/Mine",
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::AccessDenied);
}
