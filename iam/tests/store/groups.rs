//! User groups and users: the tutorial's PowerUsers group, members,
//! attachments, inline policies, renames, deletes and their events.

use iam::{Action, ErrorKind, GroupDetails, GroupFilter, IamError, NewGroup, NewUser, UserFilter};
use serde_json::json;

use super::policies::{POWER_USER_ARN, REDUCED, create_ok, oversized_document, simple_doc};
use super::support::{T0, TestDb, meta, with_root};

fn new_group(name: &str, policy_arns: &[&str], user_names: &[&str]) -> NewGroup {
    NewGroup {
        name: name.to_owned(),
        path: None,
        policy_arns: policy_arns.iter().map(|s| (*s).to_owned()).collect(),
        user_names: user_names.iter().map(|s| (*s).to_owned()).collect(),
    }
}

/// Creates a group with the three proofs the console makes.
async fn create_group(db: &TestDb, new: NewGroup) -> Result<GroupDetails, IamError> {
    let arn = db
        .iam
        .group_arn_for(new.path.as_deref(), &new.name)
        .await
        .unwrap();
    let create = db.auth(Action::CreateGroup, &arn).await;
    let attach = db.auth(Action::AttachGroupPolicy, &arn).await;
    let add = db.auth(Action::AddUserToGroup, &arn).await;
    db.iam
        .create_group(&create, Some(&attach), Some(&add), new, &meta(), T0)
        .await
}

async fn create_user(db: &TestDb, name: &str) -> Result<iam::UserListItem, IamError> {
    let arn = db.iam.user_arn_for(None, name).await.unwrap();
    let auth = db.auth(Action::CreateUser, &arn).await;
    db.iam
        .create_user(
            &auth,
            NewUser {
                name: name.to_owned(),
                path: None,
                tags: Vec::new(),
            },
            &meta(),
            T0,
        )
        .await
}

async fn get_group(db: &TestDb, arn: &str) -> Result<GroupDetails, IamError> {
    let auth = db.auth(Action::GetGroup, arn).await;
    db.iam.get_group(&auth).await
}

fn assert_field(e: &IamError, kind: ErrorKind, field: &str) {
    assert_eq!((e.kind(), e.field()), (kind, Some(field)), "{e:?}");
    let m = e.user_message();
    assert!(m.starts_with(|c: char| c.is_lowercase()), "{m}");
    assert!(!m.ends_with('.'), "{m}");
}

/// Twelve distinct AWS managed policy ARNs.
fn managed_arns(n: usize) -> Vec<String> {
    policy::managed::all()
        .iter()
        .take(n)
        .map(|p| p.arn.clone())
        .collect()
}

#[tokio::test]
async fn the_tutorial_group_is_created_with_its_policy() {
    let db = with_root().await;
    let policy = create_ok(&db, "PowerUserExampleCorp", REDUCED).await;
    create_user(&db, "alice").await.unwrap();
    let group = create_group(&db, new_group("PowerUsers", &[&policy.arn], &["ALICE"]))
        .await
        .unwrap();
    let account = db.iam.account().await.unwrap();
    assert_eq!(
        group.arn,
        format!("arn:aws:iam::{}:group/PowerUsers", account.id)
    );
    assert_eq!(group.created_at, T0);
    assert_eq!(group.attached_policies.len(), 1);
    assert_eq!(group.attached_policies[0].name, "PowerUserExampleCorp");
    assert_eq!(group.attached_policies[0].arn, policy.arn);
    let members: Vec<_> = group.members.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(members, ["alice"]);
    assert_eq!(get_group(&db, &group.arn).await.unwrap(), group);
    assert_eq!(db.iam.group_arn("powerusers").await.unwrap(), group.arn);

    let events = db.events().await;
    let tail: Vec<_> = events[2..].to_vec();
    assert_eq!(
        tail,
        vec![
            (
                "CreateGroup".to_owned(),
                json!({ "groupName": "PowerUsers", "path": "/" })
            ),
            (
                "AttachGroupPolicy".to_owned(),
                json!({ "groupName": "PowerUsers", "policyArn": policy.arn })
            ),
            (
                "AddUserToGroup".to_owned(),
                json!({ "groupName": "PowerUsers", "userName": "alice" })
            ),
        ]
    );

    let auth = db.auth(Action::ListGroups, "*").await;
    let page = db
        .iam
        .list_groups(
            &auth,
            &GroupFilter {
                query: "power".to_owned(),
                offset: 0,
                limit: 10,
            },
        )
        .await
        .unwrap();
    assert_eq!(page.total, 1);
    let item = &page.items[0];
    assert_eq!(
        (item.name.as_str(), item.member_count, item.policy_count),
        ("PowerUsers", 1, 1)
    );
}

#[tokio::test]
async fn group_names_and_paths_are_checked_and_unique() {
    let db = with_root().await;
    for (name, needle) in [
        ("Power Users", "the group name `Power Users` contains ` `"),
        ("", "1 to 128"),
        (&"g".repeat(129) as &str, "128 allowed"),
    ] {
        let e = create_group(&db, new_group(name, &[], &[]))
            .await
            .unwrap_err();
        assert_field(&e, ErrorKind::Validation, "name");
        assert!(e.user_message().contains(needle), "{e}");
    }
    let mut bad_path = new_group("Pathy", &[], &[]);
    bad_path.path = Some("nope".to_owned());
    let e = create_group(&db, bad_path).await.unwrap_err();
    assert_field(&e, ErrorKind::Validation, "path");

    create_group(&db, new_group("PowerUsers", &[], &[]))
        .await
        .unwrap();
    let e = create_group(&db, new_group("POWERUSERS", &[], &[]))
        .await
        .unwrap_err();
    assert_field(&e, ErrorKind::Conflict, "name");
    assert_eq!(db.count("SELECT COUNT(*) FROM groups").await, 1);
}

#[tokio::test]
async fn concurrent_group_creates_make_one_group_and_one_conflict() {
    let db = with_root().await;
    let (a, b) = tokio::join!(
        create_group(&db, new_group("Racers", &[POWER_USER_ARN], &[])),
        create_group(&db, new_group("racers", &[POWER_USER_ARN], &[]))
    );
    let results = [a, b];
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
    assert!(
        results
            .iter()
            .any(|r| matches!(r, Err(IamError::NameTaken { .. })))
    );
    assert_eq!(db.count("SELECT COUNT(*) FROM groups").await, 1);
    assert_eq!(
        db.count("SELECT COUNT(*) FROM group_policy_attachments")
            .await,
        1
    );
}

#[tokio::test]
async fn at_most_ten_managed_policies_per_group() {
    let db = with_root().await;
    let arns = managed_arns(11);
    let refs: Vec<&str> = arns.iter().map(String::as_str).collect();
    let e = create_group(&db, new_group("Many", &refs, &[]))
        .await
        .unwrap_err();
    assert_field(&e, ErrorKind::Validation, "policy_arns");
    assert!(e.user_message().contains("at most 10"), "{e}");
    assert_eq!(db.count("SELECT COUNT(*) FROM groups").await, 0);

    // Duplicates count once.
    let mut ten: Vec<&str> = refs[..10].to_vec();
    ten.push(refs[0]);
    let group = create_group(&db, new_group("Many", &ten, &[]))
        .await
        .unwrap();
    assert_eq!(group.attached_policies.len(), 10);

    let auth = db.auth(Action::AttachGroupPolicy, &group.arn).await;
    // Attaching an attached policy is a no-op, even at the quota.
    db.iam
        .attach_group_policy(&auth, refs[3], &meta(), T0)
        .await
        .unwrap();
    let e = db
        .iam
        .attach_group_policy(&auth, refs[10], &meta(), T0)
        .await
        .unwrap_err();
    assert_field(&e, ErrorKind::Validation, "policy_arns");
    assert_eq!(
        db.count("SELECT COUNT(*) FROM group_policy_attachments")
            .await,
        10
    );
}

#[tokio::test]
async fn unknown_policies_and_users_are_not_found() {
    let db = with_root().await;
    let account = db.iam.account().await.unwrap();
    let missing_customer = format!("arn:aws:iam::{}:policy/Missing", account.id);
    for arn in [
        "arn:aws:iam::aws:policy/NoSuchPolicy",
        missing_customer.as_str(),
        "not-an-arn",
        "arn:aws:iam::999999999999:policy/Elsewhere",
    ] {
        let e = create_group(&db, new_group("G", &[arn], &[]))
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotFound, "{arn}");
        assert!(e.user_message().contains(arn), "{e}");
    }
    let e = create_group(&db, new_group("G", &[], &["nobody"]))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(db.count("SELECT COUNT(*) FROM groups").await, 0);

    let group = create_group(&db, new_group("G", &[], &[])).await.unwrap();
    let auth = db.auth(Action::AttachGroupPolicy, &group.arn).await;
    let e = db
        .iam
        .attach_group_policy(&auth, &missing_customer, &meta(), T0)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    // The path is part of a customer policy's ARN.
    create_ok(&db, "Missing", REDUCED).await;
    let wrong_path = format!("arn:aws:iam::{}:policy/x/Missing", account.id);
    let e = db
        .iam
        .attach_group_policy(&auth, &wrong_path, &meta(), T0)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    db.iam
        .attach_group_policy(&auth, &missing_customer, &meta(), T0)
        .await
        .unwrap();

    let auth = db.auth(Action::AddUserToGroup, &group.arn).await;
    let e = db
        .iam
        .add_user_to_group(&auth, "nobody", &meta(), T0)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    // A missing group has an ARN to authorize against; the method says it is not there.
    let arn = db.iam.group_arn("nope").await.unwrap();
    let auth = db.auth(Action::GetGroup, &arn).await;
    let e = db.iam.get_group(&auth).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert!(e.user_message().contains("`nope`"), "{}", e.user_message());
}

#[tokio::test]
async fn members_are_added_and_removed() {
    let db = with_root().await;
    create_user(&db, "alice").await.unwrap();
    create_user(&db, "bob").await.unwrap();
    let group = create_group(&db, new_group("Team", &[], &[]))
        .await
        .unwrap();
    let add = db.auth(Action::AddUserToGroup, &group.arn).await;
    db.iam
        .add_user_to_group(&add, "bob", &meta(), T0)
        .await
        .unwrap();
    db.iam
        .add_user_to_group(&add, "Alice", &meta(), T0)
        .await
        .unwrap();
    db.iam
        .add_user_to_group(&add, "alice", &meta(), T0)
        .await
        .unwrap();
    let details = get_group(&db, &group.arn).await.unwrap();
    let names: Vec<_> = details.members.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["alice", "bob"]);
    assert_eq!(
        details.members[0].arn,
        db.iam.user_arn("ALICE").await.unwrap()
    );

    let remove = db.auth(Action::RemoveUserFromGroup, &group.arn).await;
    db.iam
        .remove_user_from_group(&remove, "bob", &meta(), T0)
        .await
        .unwrap();
    let e = db
        .iam
        .remove_user_from_group(&remove, "bob", &meta(), T0)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(get_group(&db, &group.arn).await.unwrap().members.len(), 1);
    let (name, params) = db.events().await.pop().unwrap();
    assert_eq!(name, "RemoveUserFromGroup");
    assert_eq!(params, json!({ "groupName": "Team", "userName": "bob" }));
}

#[tokio::test]
async fn attach_and_detach_managed_policies() {
    let db = with_root().await;
    let group = create_group(&db, new_group("Team", &[], &[]))
        .await
        .unwrap();
    let attach = db.auth(Action::AttachGroupPolicy, &group.arn).await;
    db.iam
        .attach_group_policy(&attach, POWER_USER_ARN, &meta(), T0)
        .await
        .unwrap();
    db.iam
        .attach_group_policy(&attach, POWER_USER_ARN, &meta(), T0)
        .await
        .unwrap();
    assert_eq!(
        db.count("SELECT COUNT(*) FROM group_policy_attachments")
            .await,
        1,
        "attaching twice is a no-op"
    );
    let detach = db.auth(Action::DetachGroupPolicy, &group.arn).await;
    db.iam
        .detach_group_policy(&detach, POWER_USER_ARN, &meta(), T0)
        .await
        .unwrap();
    let e = db
        .iam
        .detach_group_policy(&detach, POWER_USER_ARN, &meta(), T0)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    let (name, params) = db.events().await.pop().unwrap();
    assert_eq!(name, "DetachGroupPolicy");
    assert_eq!(
        params,
        json!({ "groupName": "Team", "policyArn": POWER_USER_ARN })
    );
}

#[tokio::test]
async fn renaming_a_group_keeps_members_and_policies() {
    let db = with_root().await;
    create_user(&db, "alice").await.unwrap();
    create_group(&db, new_group("Taken", &[], &[]))
        .await
        .unwrap();
    let group = create_group(&db, new_group("PowerUsers", &[POWER_USER_ARN], &["alice"]))
        .await
        .unwrap();
    let put = db.auth(Action::PutGroupPolicy, &group.arn).await;
    db.iam
        .put_group_policy(&put, "Inline", REDUCED, &meta(), T0)
        .await
        .unwrap();

    let update = db.auth(Action::UpdateGroup, &group.arn).await;
    let e = db
        .iam
        .update_group(&update, Some("TAKEN".to_owned()), None, &meta(), T0)
        .await
        .unwrap_err();
    assert_field(&e, ErrorKind::Conflict, "name");
    let e = db
        .iam
        .update_group(&update, Some("bad name".to_owned()), None, &meta(), T0)
        .await
        .unwrap_err();
    assert_field(&e, ErrorKind::Validation, "name");

    let renamed = db
        .iam
        .update_group(
            &update,
            Some("PowerTeam".to_owned()),
            Some("/eng/".to_owned()),
            &meta(),
            T0,
        )
        .await
        .unwrap();
    assert!(
        renamed.arn.ends_with(":group/eng/PowerTeam"),
        "{}",
        renamed.arn
    );
    assert_eq!(renamed.members, group.members);
    assert_eq!(renamed.attached_policies, group.attached_policies);
    assert_eq!(renamed.inline_policy_names, ["Inline"]);
    assert_eq!(renamed.created_at, group.created_at);
    assert_eq!(get_group(&db, &renamed.arn).await.unwrap(), renamed);

    // The old name's proofs no longer find it.
    let e = db
        .iam
        .update_group(&update, Some("Again".to_owned()), None, &meta(), T0)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(
        get_group(&db, &group.arn).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
    let (name, params) = db.events().await.pop().unwrap();
    assert_eq!(name, "UpdateGroup");
    assert_eq!(
        params,
        json!({ "groupName": "PowerUsers", "newGroupName": "PowerTeam", "newPath": "/eng/" })
    );
}

#[tokio::test]
async fn deleting_a_group_removes_memberships_and_attachments() {
    let db = with_root().await;
    create_user(&db, "alice").await.unwrap();
    let policy = create_ok(&db, "PowerUserExampleCorp", REDUCED).await;
    let group = create_group(
        &db,
        new_group("PowerUsers", &[&policy.arn, POWER_USER_ARN], &["alice"]),
    )
    .await
    .unwrap();
    let keep = create_group(&db, new_group("Keep", &[&policy.arn], &["alice"]))
        .await
        .unwrap();
    let put = db.auth(Action::PutGroupPolicy, &group.arn).await;
    db.iam
        .put_group_policy(&put, "Inline", REDUCED, &meta(), T0)
        .await
        .unwrap();

    let delete = db.auth(Action::DeleteGroup, &group.arn).await;
    db.iam.delete_group(&delete, &meta(), T0).await.unwrap();
    assert_eq!(
        get_group(&db, &group.arn).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(db.count("SELECT COUNT(*) FROM groups").await, 1);
    assert_eq!(db.count("SELECT COUNT(*) FROM group_members").await, 1);
    assert_eq!(
        db.count("SELECT COUNT(*) FROM group_policy_attachments")
            .await,
        1
    );
    assert_eq!(
        db.count("SELECT COUNT(*) FROM group_inline_policies").await,
        0
    );
    assert_eq!(
        db.count("SELECT COUNT(*) FROM users").await,
        1,
        "users stay"
    );
    assert_eq!(get_group(&db, &keep.arn).await.unwrap(), keep);

    let names = db.event_names().await;
    let mut tail: Vec<_> = names[names.len() - 5..].to_vec();
    tail[1..3].sort();
    assert_eq!(
        tail,
        [
            "RemoveUserFromGroup",
            "DetachGroupPolicy",
            "DetachGroupPolicy",
            "DeleteGroupPolicy",
            "DeleteGroup"
        ]
    );
    let e = db.iam.delete_group(&delete, &meta(), T0).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn a_proof_for_one_group_cannot_change_another() {
    let db = with_root().await;
    let a = create_group(&db, new_group("GroupA", &[], &[]))
        .await
        .unwrap();
    let b = create_group(&db, new_group("GroupB", &[], &[]))
        .await
        .unwrap();
    let for_a = db.auth(Action::AttachGroupPolicy, &a.arn).await;
    db.iam
        .attach_group_policy(&for_a, POWER_USER_ARN, &meta(), T0)
        .await
        .unwrap();
    assert_eq!(
        get_group(&db, &a.arn)
            .await
            .unwrap()
            .attached_policies
            .len(),
        1
    );
    assert!(
        get_group(&db, &b.arn)
            .await
            .unwrap()
            .attached_policies
            .is_empty()
    );

    // The proof's action is checked too.
    let get_a = db.auth(Action::GetGroup, &a.arn).await;
    let e = db.iam.delete_group(&get_a, &meta(), T0).await.unwrap_err();
    assert!(e.is_internal(), "{e:?}");
    let e = db
        .iam
        .attach_group_policy(&get_a, POWER_USER_ARN, &meta(), T0)
        .await
        .unwrap_err();
    assert!(e.is_internal(), "{e:?}");

    // A create proof for one name cannot create another, nor can the
    // secondary proofs be for another group.
    let create_c = db
        .auth(
            Action::CreateGroup,
            &db.iam.group_arn_for(None, "GroupC").await.unwrap(),
        )
        .await;
    let e = db
        .iam
        .create_group(
            &create_c,
            None,
            None,
            new_group("GroupD", &[], &[]),
            &meta(),
            T0,
        )
        .await
        .unwrap_err();
    assert!(e.is_internal(), "{e:?}");
    let e = db
        .iam
        .create_group(
            &create_c,
            Some(&for_a),
            None,
            new_group("GroupC", &[POWER_USER_ARN], &[]),
            &meta(),
            T0,
        )
        .await
        .unwrap_err();
    assert!(e.is_internal(), "{e:?}");
    let e = db
        .iam
        .create_group(
            &create_c,
            None,
            None,
            new_group("GroupC", &[POWER_USER_ARN], &[]),
            &meta(),
            T0,
        )
        .await
        .unwrap_err();
    assert!(e.is_internal(), "a missing attach proof: {e:?}");
    assert_eq!(db.count("SELECT COUNT(*) FROM groups").await, 2);

    // A proof for a group of another account cannot be made.
    let root = db.root().await;
    let e = db
        .iam
        .authorize(
            &root,
            Action::DeleteGroup,
            "arn:aws:iam::999999999999:group/GroupA",
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::AccessDenied);
}

#[tokio::test]
async fn inline_policies_are_checked_and_stored() {
    let db = with_root().await;
    let group = create_group(&db, new_group("Team", &[], &[]))
        .await
        .unwrap();
    let put = db.auth(Action::PutGroupPolicy, &group.arn).await;
    let e = db
        .iam
        .put_group_policy(&put, "has space", REDUCED, &meta(), T0)
        .await
        .unwrap_err();
    assert_field(&e, ErrorKind::Validation, "policy_name");
    let e = db
        .iam
        .put_group_policy(&put, "Bad", &simple_doc("s3:Nope"), &meta(), T0)
        .await
        .unwrap_err();
    assert_field(&e, ErrorKind::Validation, "document");
    let e = db
        .iam
        .put_group_policy(&put, "Big", &oversized_document(), &meta(), T0)
        .await
        .unwrap_err();
    assert_field(&e, ErrorKind::Validation, "document");
    assert!(e.user_message().contains("5120"), "{e}");

    db.iam
        .put_group_policy(&put, "Reduced", REDUCED, &meta(), T0)
        .await
        .unwrap();
    // Replacing under another case keeps one policy.
    db.iam
        .put_group_policy(&put, "REDUCED", &simple_doc("s3:GetObject"), &meta(), T0)
        .await
        .unwrap();
    let get = db.auth(Action::GetGroupPolicy, &group.arn).await;
    let inline = db.iam.get_group_policy(&get, "reduced").await.unwrap();
    assert_eq!(inline.name, "REDUCED");
    assert_eq!(inline.document, simple_doc("s3:GetObject"));

    // Together at most 5,120 characters: each of these fits alone.
    let resources: Vec<String> = (0..120)
        .map(|i| format!("\"arn:aws:s3:::example-bucket-{i:04}/*\""))
        .collect();
    let half = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:GetObject","Resource":[{}]}}]}}"#,
        resources.join(",")
    );
    let size = policy::validate::validate(&half).policy_size;
    assert!(size < 5120 && size * 2 > 5120, "{size}");
    db.iam
        .put_group_policy(&put, "First", &half, &meta(), T0)
        .await
        .unwrap();
    let e = db
        .iam
        .put_group_policy(&put, "Second", &half, &meta(), T0)
        .await
        .unwrap_err();
    assert_field(&e, ErrorKind::Validation, "document");
    assert!(
        e.user_message()
            .contains("all of a group's inline policies"),
        "{e}"
    );
    // Replacing the same policy does not count it twice.
    db.iam
        .put_group_policy(&put, "first", &half, &meta(), T0)
        .await
        .unwrap();

    let details = get_group(&db, &group.arn).await.unwrap();
    assert_eq!(details.inline_policy_names, ["first", "REDUCED"]);
    let delete = db.auth(Action::DeleteGroupPolicy, &group.arn).await;
    db.iam
        .delete_group_policy(&delete, "Reduced", &meta(), T0)
        .await
        .unwrap();
    let e = db.iam.get_group_policy(&get, "reduced").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    let e = db
        .iam
        .delete_group_policy(&delete, "Reduced", &meta(), T0)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);

    let events = db.events().await;
    let put_event = events.iter().find(|e| e.0 == "PutGroupPolicy").unwrap();
    assert_eq!(
        put_event.1,
        json!({ "groupName": "Team", "policyName": "Reduced", "policyDocument": REDUCED })
    );
    assert_eq!(
        events.last().unwrap().1,
        json!({ "groupName": "Team", "policyName": "Reduced" })
    );
}

#[tokio::test]
async fn groups_are_listed_filtered_and_paged() {
    let db = with_root().await;
    for name in ["beta", "Alpha", "gamma_1", "gammax2", "Delta"] {
        create_group(&db, new_group(name, &[], &[])).await.unwrap();
    }
    let auth = db.auth(Action::ListGroups, "*").await;
    let list = |query: &str, offset, limit| {
        let filter = GroupFilter {
            query: query.to_owned(),
            offset,
            limit,
        };
        let db = &db;
        let auth = &auth;
        async move { db.iam.list_groups(auth, &filter).await }
    };
    let page = list("", 0, 2).await.unwrap();
    assert_eq!(page.total, 5);
    let names: Vec<_> = page.items.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["Alpha", "beta"]);
    let page = list("", 4, 2).await.unwrap();
    assert_eq!(page.items.len(), 1);
    // LIKE wildcards in the query are literal.
    let page = list("%", 0, 10).await.unwrap();
    assert_eq!(page.total, 0);
    let page = list("A_", 0, 10).await.unwrap();
    assert_eq!(page.total, 1, "{page:?}");
    assert_eq!(page.items[0].name, "gamma_1");
    let e = list("", 0, 0).await.unwrap_err();
    assert_field(&e, ErrorKind::Validation, "limit");
}

#[tokio::test]
async fn users_are_created_listed_and_attached() {
    let db = with_root().await;
    let alice = create_user(&db, "alice").await.unwrap();
    assert!(alice.arn.ends_with(":user/alice"));
    let e = create_user(&db, "ALICE").await.unwrap_err();
    assert_field(&e, ErrorKind::Conflict, "name");
    let e = create_user(&db, &"u".repeat(65)).await.unwrap_err();
    assert_field(&e, ErrorKind::Validation, "name");
    assert!(e.user_message().contains("64 allowed"), "{e}");
    assert!(create_user(&db, &"u".repeat(64)).await.is_ok());

    let auth = db.auth(Action::ListUsers, "*").await;
    let page = db
        .iam
        .list_users(
            &auth,
            &UserFilter {
                path_prefix: None,
                query: "ALI".to_owned(),
                offset: 0,
                limit: 10,
            },
        )
        .await
        .unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0], alice);

    let attach = db.auth(Action::AttachUserPolicy, &alice.arn).await;
    for arn in managed_arns(10) {
        db.iam
            .attach_user_policy(&attach, &arn, &meta(), T0)
            .await
            .unwrap();
    }
    let e = db
        .iam
        .attach_user_policy(&attach, &managed_arns(11)[10], &meta(), T0)
        .await
        .unwrap_err();
    assert_field(&e, ErrorKind::Validation, "policy_arns");
    let detach = db.auth(Action::DetachUserPolicy, &alice.arn).await;
    db.iam
        .detach_user_policy(&detach, &managed_arns(1)[0], &meta(), T0)
        .await
        .unwrap();
    let e = db
        .iam
        .detach_user_policy(&detach, &managed_arns(1)[0], &meta(), T0)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    let events = db.events().await;
    assert_eq!(
        events[0],
        (
            "CreateUser".to_owned(),
            json!({ "userName": "alice", "path": "/" })
        )
    );
    assert_eq!(
        events.last().unwrap(),
        &(
            "DetachUserPolicy".to_owned(),
            json!({ "userName": "alice", "policyArn": managed_arns(1)[0] })
        )
    );
}

#[tokio::test]
async fn a_user_is_in_at_most_ten_groups() {
    let db = with_root().await;
    let alice = create_user(&db, "alice").await.unwrap();
    for i in 0..10 {
        create_group(&db, new_group(&format!("G{i}"), &[], &["alice"]))
            .await
            .unwrap();
    }
    let e = create_group(&db, new_group("G10", &[], &["alice"]))
        .await
        .unwrap_err();
    assert_field(&e, ErrorKind::Validation, "user_names");
    assert!(e.user_message().contains("`alice`"), "{e}");
    let g10 = create_group(&db, new_group("G10", &[], &[])).await.unwrap();
    let add = db.auth(Action::AddUserToGroup, &g10.arn).await;
    let e = db
        .iam
        .add_user_to_group(&add, "alice", &meta(), T0)
        .await
        .unwrap_err();
    assert_field(&e, ErrorKind::Validation, "user_name");
    // Adding to a group it is in already is still fine.
    let g0 = db.iam.group_arn("G0").await.unwrap();
    let add = db.auth(Action::AddUserToGroup, &g0).await;
    db.iam
        .add_user_to_group(&add, "alice", &meta(), T0)
        .await
        .unwrap();

    let auth = db.auth(Action::ListGroupsForUser, &alice.arn).await;
    let groups = db.iam.list_groups_for_user(&auth).await.unwrap();
    assert_eq!(groups.len(), 10);
    assert_eq!(groups[0].name, "G0");
    assert_eq!(groups[0].arn, g0);

    let attach = db.auth(Action::AttachUserPolicy, &alice.arn).await;
    db.iam
        .attach_user_policy(&attach, POWER_USER_ARN, &meta(), T0)
        .await
        .unwrap();
    let auth = db.auth(Action::ListAttachedUserPolicies, &alice.arn).await;
    let attached = db.iam.list_attached_user_policies(&auth).await.unwrap();
    assert_eq!(attached.len(), 1);
    assert_eq!(attached[0].name, "PowerUserAccess");
    assert_eq!(attached[0].policy_type, iam::PolicyType::AwsManaged);
}
