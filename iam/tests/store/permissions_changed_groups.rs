//! The permissions version grows with every committed write to groups, memberships, groups'
//! inline policies and tags (users' and policies'), and stays put for reads, no-ops and writes
//! that fail.

use iam::{Action, ErrorKind, GroupFilter, NewGroup, NewUser, Principal, UserFilter};

use super::enforcement::{group, user};
use super::policies::{REDUCED, create, new_policy, oversized_document, tag};
use super::support::{
    T0, TestDb, meta, permissions_grew as grew, permissions_same as same,
    permissions_version as version, with_root,
};

async fn create_user(db: &TestDb, name: &str, tags: &[(&str, &str)]) {
    let arn = db.iam.user_arn_for(None, name).await.unwrap();
    let auth = db.auth(Action::CreateUser, &arn).await;
    db.iam
        .create_user(
            &auth,
            NewUser {
                name: name.to_owned(),
                path: None,
                tags: tags.iter().map(|(k, v)| tag(k, v)).collect(),
            },
            &meta(),
            T0,
        )
        .await
        .unwrap();
}

async fn create_group_with(db: &TestDb, name: &str, user_names: &[&str]) -> String {
    let arn = db.iam.group_arn_for(None, name).await.unwrap();
    let create = db.auth(Action::CreateGroup, &arn).await;
    let add = db.auth(Action::AddUserToGroup, &arn).await;
    db.iam
        .create_group(
            &create,
            None,
            Some(&add),
            NewGroup {
                name: name.to_owned(),
                path: None,
                policy_arns: Vec::new(),
                user_names: user_names.iter().map(|s| (*s).to_owned()).collect(),
            },
            &meta(),
            T0,
        )
        .await
        .unwrap();
    arn
}

#[tokio::test]
async fn membership_writes_change_permissions_and_reads_do_not() {
    let db = with_root().await;
    create_user(&db, "alice", &[]).await;
    let v = version(&db).await;
    let team = group(&db, "Team", &[]).await;
    same(&db, v, "creating a group without members or policies").await;

    let add = db.auth(Action::AddUserToGroup, &team).await;
    db.iam
        .add_user_to_group(&add, "alice", &meta(), T0)
        .await
        .unwrap();
    let v = grew(&db, v, "add_user_to_group").await;
    db.iam
        .add_user_to_group(&add, "ALICE", &meta(), T0)
        .await
        .unwrap();
    same(&db, v, "adding a member again").await;
    let e = db
        .iam
        .add_user_to_group(&add, "nobody", &meta(), T0)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    same(&db, v, "adding a user that does not exist").await;

    let get = db.auth(Action::GetGroup, &team).await;
    assert_eq!(db.iam.get_group(&get).await.unwrap().members.len(), 1);
    let list = db.auth(Action::ListGroups, "*").await;
    db.iam
        .list_groups(
            &list,
            &GroupFilter {
                query: String::new(),
                offset: 0,
                limit: 10,
            },
        )
        .await
        .unwrap();
    let alice = db.iam.user_arn("alice").await.unwrap();
    let groups_of = db.auth(Action::ListGroupsForUser, &alice).await;
    assert_eq!(
        db.iam.list_groups_for_user(&groups_of).await.unwrap().len(),
        1
    );
    let users = db.auth(Action::ListUsers, "*").await;
    db.iam
        .list_users(
            &users,
            &UserFilter {
                path_prefix: None,
                query: String::new(),
                offset: 0,
                limit: 10,
            },
        )
        .await
        .unwrap();
    same(&db, v, "reading groups and members").await;

    let remove = db.auth(Action::RemoveUserFromGroup, &team).await;
    db.iam
        .remove_user_from_group(&remove, "alice", &meta(), T0)
        .await
        .unwrap();
    let v = grew(&db, v, "remove_user_from_group").await;
    let e = db
        .iam
        .remove_user_from_group(&remove, "alice", &meta(), T0)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    same(&db, v, "removing a user who is not a member").await;

    create_group_with(&db, "Crew", &["alice"]).await;
    let v = grew(&db, v, "create_group with members").await;

    group(&db, "Ops", &[]).await;
    same(&db, v, "creating a group without members or policies").await;
    user(&db, "bob", &["Ops"], &[]).await;
    grew(&db, v, "create_users into a group").await;
}

#[tokio::test]
async fn inline_policy_writes_change_permissions() {
    let db = with_root().await;
    let team = group(&db, "Team", &[]).await;
    let v = version(&db).await;

    let put = db.auth(Action::PutGroupPolicy, &team).await;
    db.iam
        .put_group_policy(&put, "Reduced", REDUCED, &meta(), T0)
        .await
        .unwrap();
    let v = grew(&db, v, "put_group_policy").await;
    db.iam
        .put_group_policy(&put, "REDUCED", REDUCED, &meta(), T0)
        .await
        .unwrap();
    let v = grew(&db, v, "replacing an inline policy").await;
    let e = db
        .iam
        .put_group_policy(&put, "has space", REDUCED, &meta(), T0)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    let e = db
        .iam
        .put_group_policy(&put, "Big", &oversized_document(), &meta(), T0)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    same(&db, v, "refused put_group_policy").await;

    let get = db.auth(Action::GetGroupPolicy, &team).await;
    db.iam.get_group_policy(&get, "reduced").await.unwrap();
    same(&db, v, "get_group_policy").await;

    let delete = db.auth(Action::DeleteGroupPolicy, &team).await;
    db.iam
        .delete_group_policy(&delete, "reduced", &meta(), T0)
        .await
        .unwrap();
    let v = grew(&db, v, "delete_group_policy").await;
    let e = db
        .iam
        .delete_group_policy(&delete, "reduced", &meta(), T0)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    same(&db, v, "deleting an inline policy that does not exist").await;
}

#[tokio::test]
async fn renaming_or_moving_a_group_changes_permissions() {
    let db = with_root().await;
    let team = group(&db, "Team", &[]).await;
    group(&db, "Taken", &[]).await;
    let v = version(&db).await;

    let update = db.auth(Action::UpdateGroup, &team).await;
    let e = db
        .iam
        .update_group(&update, Some("TAKEN".to_owned()), None, &meta(), T0)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict);
    let e = db
        .iam
        .update_group(&update, Some("bad name".to_owned()), None, &meta(), T0)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    same(&db, v, "refused update_group").await;

    let renamed = db
        .iam
        .update_group(&update, Some("Crew".to_owned()), None, &meta(), T0)
        .await
        .unwrap();
    let v = grew(&db, v, "renaming a group").await;
    let update = db.auth(Action::UpdateGroup, &renamed.arn).await;
    db.iam
        .update_group(&update, None, Some("/eng/".to_owned()), &meta(), T0)
        .await
        .unwrap();
    grew(&db, v, "moving a group").await;
}

#[tokio::test]
async fn user_tag_writes_change_permissions() {
    let db = with_root().await;
    let v = version(&db).await;
    create_user(&db, "tagged", &[("team", "ops")]).await;
    let v = grew(&db, v, "create_user with tags").await;
    let principal: Principal = user(&db, "batch", &[], &[("team", "ops")]).await;
    let v = grew(&db, v, "create_users with tags").await;

    let arn = db.iam.user_arn("tagged").await.unwrap();
    let add = db.auth(Action::TagUser, &arn).await;
    db.iam
        .tag_user(&add, vec![tag("Team", "platform")], &meta(), T0)
        .await
        .unwrap();
    let v = grew(&db, v, "tag_user").await;
    let e = db
        .iam
        .tag_user(&add, vec![tag("aws:owner", "v")], &meta(), T0)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    same(&db, v, "refused tag_user").await;

    let list = db.auth(Action::ListUserTags, &arn).await;
    assert_eq!(db.iam.list_user_tags(&list).await.unwrap().len(), 1);
    db.iam
        .authorize(&principal, Action::ListUsers, "*")
        .await
        .unwrap_err();
    same(&db, v, "reading tags and deciding with them").await;

    let remove = db.auth(Action::UntagUser, &arn).await;
    db.iam
        .untag_user(&remove, vec!["absent".to_owned()], &meta(), T0)
        .await
        .unwrap();
    same(&db, v, "untag_user of a key the user does not have").await;
    let e = db
        .iam
        .untag_user(&remove, Vec::new(), &meta(), T0)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    same(&db, v, "untag_user without keys").await;
    db.iam
        .untag_user(&remove, vec!["TEAM".to_owned()], &meta(), T0)
        .await
        .unwrap();
    grew(&db, v, "untag_user").await;
}

#[tokio::test]
async fn policy_tag_writes_change_permissions() {
    let db = with_root().await;
    let v = version(&db).await;
    create(&db, new_policy("Plain", REDUCED)).await.unwrap();
    same(&db, v, "create_policy without tags").await;
    let mut tagged = new_policy("Tagged", REDUCED);
    tagged.tags = vec![tag("team", "a")];
    let arn = create(&db, tagged).await.unwrap().arn;
    let v = grew(&db, v, "create_policy with tags").await;

    let add = db.auth(Action::TagPolicy, &arn).await;
    db.iam
        .tag_policy(&add, vec![tag("cost", "42")], &meta(), T0)
        .await
        .unwrap();
    let v = grew(&db, v, "tag_policy").await;
    let e = db
        .iam
        .tag_policy(&add, vec![tag("aws:x", "b")], &meta(), T0)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    same(&db, v, "refused tag_policy").await;

    let remove = db.auth(Action::UntagPolicy, &arn).await;
    db.iam
        .untag_policy(&remove, vec!["missing".to_owned()], &meta(), T0)
        .await
        .unwrap();
    same(&db, v, "untag_policy of a key the policy does not have").await;
    db.iam
        .untag_policy(&remove, vec!["COST".to_owned()], &meta(), T0)
        .await
        .unwrap();
    grew(&db, v, "untag_policy").await;
}
