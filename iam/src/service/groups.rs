//! User groups: members, attached managed policies and inline policies.

mod membership;
mod policies;

use serde_json::json;
use sqlx::AnyConnection;

use super::Iam;
use super::common::{
    EntityRow, attached_from_arn, check_attachment_quota, check_groups_per_user, find_user,
    like_pattern, lock_row, locked_target_entity, name_taken, new_id, record, require_resource,
    resolve_policy_locked, target_entity, to_u32, to_u64,
};
use crate::account::AccountId;
use crate::arn::{self, Kind};
use crate::authz::{Action, Authorized};
use crate::clock::UnixTime;
use crate::error::IamError;
use crate::event::RequestMeta;
use crate::rules::{self, NameKind};
use crate::store::attachments::{self, Holder};
use crate::store::{Inserted, group_inline_policies, groups, memberships};
use crate::types::{EntityRef, GroupDetails, GroupFilter, GroupListItem, GroupPage, NewGroup};

fn user_not_found(name: &str) -> IamError {
    IamError::NotFound {
        what: "user",
        name: name.to_owned(),
    }
}

fn inline_not_found(name: &str) -> IamError {
    IamError::NotFound {
        what: "inline policy",
        name: name.to_owned(),
    }
}

/// Checks a secondary proof of `create_group`: present when needed, for
/// `action`, on the new group's ARN.
fn require_extra(
    auth: Option<&Authorized>,
    action: Action,
    arn: &str,
    needed: bool,
) -> Result<(), IamError> {
    match auth {
        Some(auth) => {
            auth.require(action)?;
            require_resource(auth, arn)
        }
        None if needed => Err(IamError::bug(format!(
            "create_group needs an `{action}` authorization on `{arn}`"
        ))),
        None => Ok(()),
    }
}

async fn member_names(
    conn: &mut AnyConnection,
    group_id: &str,
) -> Result<Vec<EntityRow>, IamError> {
    memberships::members(conn, group_id).await
}

async fn inline_names(conn: &mut AnyConnection, group_id: &str) -> Result<Vec<String>, IamError> {
    let rows = group_inline_policies::list(conn, group_id).await?;
    Ok(rows.into_iter().map(|p| p.name).collect())
}

async fn load_group(
    conn: &mut AnyConnection,
    account_id: &AccountId,
    group: &EntityRow,
) -> Result<GroupDetails, IamError> {
    let members = member_names(conn, &group.id)
        .await?
        .into_iter()
        .map(|u| EntityRef {
            arn: arn::build(account_id, Kind::User, &u.path, &u.name),
            name: u.name,
        })
        .collect();
    let mut attached_policies: Vec<_> = attachments::list(conn, Holder::Group, &group.id)
        .await?
        .iter()
        .map(|a| attached_from_arn(a))
        .collect();
    attached_policies.sort_by_key(|p| (p.name.to_lowercase(), p.arn.clone()));
    Ok(GroupDetails {
        name: group.name.clone(),
        arn: arn::build(account_id, Kind::Group, &group.path, &group.name),
        path: group.path.clone(),
        created_at: UnixTime::from_secs(group.created_at),
        members,
        attached_policies,
        inline_policy_names: inline_names(conn, &group.id).await?,
    })
}

/// Counts the characters of a policy as IAM does for quotas: whitespace
/// outside string literals is free.
fn counted_chars(source: &str) -> usize {
    let mut count = 0;
    let mut in_string = false;
    let mut escaped = false;
    for c in source.chars() {
        if in_string {
            count += 1;
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
        } else if !c.is_whitespace() {
            count += 1;
            in_string = c == '"';
        }
    }
    count
}

impl Iam {
    /// `arn:aws:iam::<account>:group<path><name>` (path `None` is `/`),
    /// without a lookup or checks: for the proofs of `create_group`.
    pub async fn group_arn_for(&self, path: Option<&str>, name: &str) -> Result<String, IamError> {
        let account = self.store().account().await?;
        let path = path.filter(|p| !p.is_empty()).unwrap_or("/");
        Ok(arn::build(&account.id, Kind::Group, path, name))
    }

    /// The ARN to authorize an action on the group called `name` (any case): the group's own, or
    /// `arn:aws:iam::<account>:group/<name>` when there is no such group, so that existence is
    /// told only to callers allowed to act on it (see [`Iam::user_arn`]).
    pub async fn group_arn(&self, name: &str) -> Result<String, IamError> {
        rules::name(NameKind::Group, name)?;
        let account = self.store().account().await?;
        let mut conn = self.store().pool().acquire().await?;
        let group = super::common::find_group(&mut conn, &account.id, name).await?;
        Ok(match group {
            Some(group) => arn::build(&account.id, Kind::Group, &group.path, &group.name),
            None => arn::build(&account.id, Kind::Group, "/", name),
        })
    }

    /// One page of groups sorted by name, `query` matching a substring of
    /// the name case-insensitively.
    ///
    /// **Permissions**: `iam:ListGroups` on `*`.
    pub async fn list_groups(
        &self,
        auth: &Authorized,
        filter: &GroupFilter,
    ) -> Result<GroupPage, IamError> {
        auth.require(Action::ListGroups)?;
        rules::limit(filter.limit)?;
        let account_id = auth.principal().account_id();
        let pattern = like_pattern(&filter.query);
        let mut conn = self.store().pool().acquire().await?;
        let total = groups::count_matching(&mut conn, account_id, &pattern).await?;
        let rows =
            groups::page(&mut conn, account_id, &pattern, filter.limit, filter.offset).await?;
        let items = rows
            .into_iter()
            .map(|row| {
                Ok(GroupListItem {
                    arn: arn::build(account_id, Kind::Group, &row.path, &row.name),
                    name: row.name,
                    path: row.path,
                    member_count: to_u32(row.member_count)?,
                    policy_count: to_u32(row.policy_count)?,
                    created_at: UnixTime::from_secs(row.created_at),
                })
            })
            .collect::<Result<_, IamError>>()?;
        Ok(GroupPage {
            items,
            total: to_u64(total)?,
        })
    }

    /// Creates a group with its managed policies and members in one
    /// transaction, recording `CreateGroup` and one `AttachGroupPolicy` /
    /// `AddUserToGroup` event per item.
    ///
    /// **Permissions**: `create` is `iam:CreateGroup`, `attach`
    /// `iam:AttachGroupPolicy` (needed when `policy_arns` is not empty) and
    /// `add_users` `iam:AddUserToGroup` (needed when `user_names` is not
    /// empty), all on the new group's ARN ([`Iam::group_arn_for`]).
    pub async fn create_group(
        &self,
        create: &Authorized,
        attach: Option<&Authorized>,
        add_users: Option<&Authorized>,
        new: NewGroup,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<GroupDetails, IamError> {
        create.require(Action::CreateGroup)?;
        rules::name(NameKind::Group, &new.name)?;
        let path = rules::path(new.path.as_deref())?;
        let account_id = create.principal().account_id();
        let arn = arn::build(account_id, Kind::Group, &path, &new.name);
        require_resource(create, &arn)?;
        require_extra(
            attach,
            Action::AttachGroupPolicy,
            &arn,
            !new.policy_arns.is_empty(),
        )?;
        require_extra(
            add_users,
            Action::AddUserToGroup,
            &arn,
            !new.user_names.is_empty(),
        )?;
        let mut policy_arns: Vec<String> = Vec::new();
        for a in &new.policy_arns {
            if !policy_arns.contains(a) {
                policy_arns.push(a.clone());
            }
        }
        check_attachment_quota("group", 0, policy_arns.len())?;

        let mut tx = self.store().begin_write().await?;
        for a in &policy_arns {
            resolve_policy_locked(&mut tx, account_id, a).await?;
        }
        let mut users: Vec<EntityRow> = Vec::new();
        for name in &new.user_names {
            let user = find_user(&mut tx, account_id, name)
                .await?
                .ok_or_else(|| user_not_found(name))?;
            if !users.iter().any(|u| u.id == user.id) {
                lock_row(&mut tx, Kind::User, &user.id).await?;
                check_groups_per_user(&mut tx, &user, "user_names").await?;
                users.push(user);
            }
        }
        let id = new_id("AGPA");
        if groups::insert(&mut tx, account_id, &id, &new.name, &path, now).await?
            == Inserted::NameTaken
        {
            return Err(name_taken("group", &new.name));
        }
        let params = json!({ "groupName": new.name, "path": path });
        record(
            &mut tx,
            create,
            Action::CreateGroup,
            params,
            &arn,
            meta,
            now,
        )
        .await?;
        if let Some(attach) = attach {
            for a in &policy_arns {
                attachments::insert(&mut tx, account_id, Holder::Group, &id, a, now).await?;
                let params = json!({ "groupName": new.name, "policyArn": a });
                record(
                    &mut tx,
                    attach,
                    Action::AttachGroupPolicy,
                    params,
                    &arn,
                    meta,
                    now,
                )
                .await?;
            }
        }
        if let Some(add_users) = add_users {
            for user in &users {
                memberships::insert(&mut tx, account_id, &id, &user.id, now).await?;
                let params = json!({ "groupName": new.name, "userName": user.name });
                record(
                    &mut tx,
                    add_users,
                    Action::AddUserToGroup,
                    params,
                    &arn,
                    meta,
                    now,
                )
                .await?;
            }
        }
        let group = EntityRow {
            id,
            name: new.name,
            path,
            created_at: now.as_secs(),
        };
        let details = load_group(&mut tx, account_id, &group).await?;
        tx.commit().await?;
        Ok(details)
    }

    /// The group with its members, attached policies and inline policy names.
    ///
    /// **Permissions**: `iam:GetGroup` on the group's ARN.
    pub async fn get_group(&self, auth: &Authorized) -> Result<GroupDetails, IamError> {
        auth.require(Action::GetGroup)?;
        let mut conn = self.store().pool().acquire().await?;
        let group = target_entity(&mut conn, auth, Kind::Group).await?;
        load_group(&mut conn, auth.principal().account_id(), &group).await
    }

    /// Renames the group and/or moves it to another path; members and
    /// policies stay.
    ///
    /// **Permissions**: `iam:UpdateGroup` on the group's (old) ARN.
    pub async fn update_group(
        &self,
        auth: &Authorized,
        new_name: Option<String>,
        new_path: Option<String>,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<GroupDetails, IamError> {
        auth.require(Action::UpdateGroup)?;
        if let Some(name) = &new_name {
            rules::name(NameKind::Group, name)?;
        }
        let checked_path = match &new_path {
            Some(p) => Some(rules::path(Some(p))?),
            None => None,
        };
        let account_id = auth.principal().account_id();
        let mut tx = self.store().begin_write().await?;
        let old = target_entity(&mut tx, auth, Kind::Group).await?;
        let group = EntityRow {
            id: old.id.clone(),
            name: new_name.clone().unwrap_or_else(|| old.name.clone()),
            path: checked_path.clone().unwrap_or_else(|| old.path.clone()),
            created_at: old.created_at,
        };
        if groups::rename(&mut tx, account_id, &group.id, &group.name, &group.path).await?
            == Inserted::NameTaken
        {
            return Err(name_taken("group", &group.name));
        }
        let mut params = json!({ "groupName": old.name });
        if let Some(name) = &new_name {
            params["newGroupName"] = json!(name);
        }
        if let Some(path) = &checked_path {
            params["newPath"] = json!(path);
        }
        let arn = auth.resource().to_owned();
        record(&mut tx, auth, Action::UpdateGroup, params, &arn, meta, now).await?;
        let details = load_group(&mut tx, account_id, &group).await?;
        tx.commit().await?;
        Ok(details)
    }

    /// Deletes the group after removing its members, detaching its managed
    /// policies and deleting its inline policies (an event for each).
    ///
    /// **Permissions**: `iam:DeleteGroup` on the group's ARN.
    pub async fn delete_group(
        &self,
        auth: &Authorized,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<(), IamError> {
        auth.require(Action::DeleteGroup)?;
        let mut tx = self.store().begin_write().await?;
        let group = locked_target_entity(&mut tx, auth, Kind::Group).await?;
        let arn = auth.resource().to_owned();
        for user in member_names(&mut tx, &group.id).await? {
            let params = json!({ "groupName": group.name, "userName": user.name });
            record(
                &mut tx,
                auth,
                Action::RemoveUserFromGroup,
                params,
                &arn,
                meta,
                now,
            )
            .await?;
        }
        let mut policies = attachments::list(&mut tx, Holder::Group, &group.id).await?;
        policies.sort();
        for policy_arn in policies {
            let params = json!({ "groupName": group.name, "policyArn": policy_arn });
            record(
                &mut tx,
                auth,
                Action::DetachGroupPolicy,
                params,
                &arn,
                meta,
                now,
            )
            .await?;
        }
        for name in inline_names(&mut tx, &group.id).await? {
            let params = json!({ "groupName": group.name, "policyName": name });
            record(
                &mut tx,
                auth,
                Action::DeleteGroupPolicy,
                params,
                &arn,
                meta,
                now,
            )
            .await?;
        }
        crate::store::cascade::delete_group(&mut tx, auth.principal().account_id(), &group.id)
            .await?;
        let params = json!({ "groupName": group.name });
        record(&mut tx, auth, Action::DeleteGroup, params, &arn, meta, now).await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counting_skips_whitespace_outside_strings() {
        assert_eq!(counted_chars("{ \"a b\" :\n  1 }"), 9);
        assert_eq!(counted_chars(r#"{"a\" b":1}"#), 11);
    }
}
