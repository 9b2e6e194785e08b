//! IAM users: list, create, attach managed policies, tags, delete.
//! Passwords and console access are in `login_profiles.rs`.

use std::collections::HashSet;

use serde_json::json;

use super::Iam;
use super::common::{
    attached_from_arn, find_user, like_pattern, load_tags, locked_target_entity, name_taken,
    new_id, record, require_resource, tags_json, target_entity, to_u64, upsert_tags,
};
use crate::arn::{self, Kind};
use crate::authz::{Action, Authorized};
use crate::clock::UnixTime;
use crate::error::IamError;
use crate::event::RequestMeta;
use crate::rules::{self, NameKind};
use crate::store::Inserted;
use crate::store::attachments::{self, Holder};
use crate::store::users::{self, NewUserRow};
use crate::store::{access_keys, memberships, tags};
use crate::types::{
    AttachedPolicy, EntityRef, NewUser, Tag, UserDetails, UserFilter, UserListItem, UserPage,
};

impl Iam {
    /// `arn:aws:iam::<account>:user<path><name>` (path `None` is `/`),
    /// without a lookup or checks: for the proof of `CreateUser`.
    pub async fn user_arn_for(&self, path: Option<&str>, name: &str) -> Result<String, IamError> {
        let account = self.store().account().await?;
        let path = path.filter(|p| !p.is_empty()).unwrap_or("/");
        Ok(arn::build(&account.id, Kind::User, path, name))
    }

    /// The ARN to authorize an action on the user called `name` (any case): the user's own, path
    /// included, or `arn:aws:iam::<account>:user/<name>` when there is no such user. As in AWS,
    /// the caller is authorized before anyone learns whether the user exists: a caller who may
    /// not act on the user gets `AccessDenied` either way, and one who may gets `NotFound` from
    /// the method the proof is for. A name IAM could never have created is refused here.
    pub async fn user_arn(&self, name: &str) -> Result<String, IamError> {
        rules::name(NameKind::User, name)?;
        let account = self.store().account().await?;
        let mut conn = self.store().pool().acquire().await?;
        let path = find_user(&mut conn, &account.id, name).await?;
        Ok(match path {
            Some(user) => arn::build(&account.id, Kind::User, &user.path, &user.name),
            None => arn::build(&account.id, Kind::User, "/", name),
        })
    }

    /// One page of users sorted by name, `query` matching a substring of the
    /// name case-insensitively.
    ///
    /// **Permissions**: `iam:ListUsers` on `*`.
    pub async fn list_users(
        &self,
        auth: &Authorized,
        filter: &UserFilter,
    ) -> Result<UserPage, IamError> {
        auth.require(Action::ListUsers)?;
        rules::limit(filter.limit)?;
        let account_id = auth.principal().account_id();
        let pattern = like_pattern(&filter.query);
        let mut conn = self.store().pool().acquire().await?;
        let prefix = filter.path_prefix.as_deref().unwrap_or("/");
        let rows = users::page(
            &mut conn,
            account_id,
            &pattern,
            prefix,
            filter.limit,
            filter.offset,
        )
        .await?;
        let total = users::count_matching(&mut conn, account_id, &pattern, prefix).await?;
        let items = rows
            .into_iter()
            .map(|row| {
                let mut groups = row.group_names();
                groups.sort_by_key(|g| g.to_lowercase());
                UserListItem {
                    arn: arn::build(account_id, Kind::User, &row.path, &row.name),
                    user_id: row.id,
                    name: row.name,
                    path: row.path,
                    created_at: UnixTime::from_secs(row.created_at),
                    groups,
                    console_access: row.console_access != 0,
                    password_last_used_at: row.password_last_used_at.map(UnixTime::from_secs),
                    password_changed_at: row.password_changed_at.map(UnixTime::from_secs),
                }
            })
            .collect();
        Ok(UserPage {
            items,
            total: to_u64(total)?,
        })
    }

    /// Creates a user without console access.
    ///
    /// **Permissions**: `iam:CreateUser` on the new user's ARN
    /// ([`Iam::user_arn_for`]).
    pub async fn create_user(
        &self,
        auth: &Authorized,
        new: NewUser,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<UserListItem, IamError> {
        auth.require(Action::CreateUser)?;
        rules::name(NameKind::User, &new.name)?;
        let path = rules::path(new.path.as_deref())?;
        rules::tags(&new.tags)?;
        let account_id = auth.principal().account_id();
        let arn = arn::build(account_id, Kind::User, &path, &new.name);
        require_resource(auth, &arn)?;

        let id = new_id("AIDA");
        let mut tx = self.store().begin_write().await?;
        let inserted = users::insert(
            &mut tx,
            &NewUserRow {
                id: &id,
                account_id,
                name: &new.name,
                path: &path,
                now,
                console: None,
            },
        )
        .await?;
        if inserted == Inserted::NameTaken {
            return Err(name_taken("user", &new.name));
        }
        upsert_tags(&mut tx, account_id, &id, &new.tags).await?;
        let mut params = json!({ "userName": new.name, "path": path });
        if !new.tags.is_empty() {
            params["tags"] = tags_json(&new.tags);
        }
        record(&mut tx, auth, Action::CreateUser, params, &arn, meta, now).await?;
        tx.commit().await?;
        Ok(UserListItem {
            user_id: id,
            name: new.name,
            arn,
            path,
            created_at: now,
            groups: Vec::new(),
            console_access: false,
            password_last_used_at: None,
            password_changed_at: None,
        })
    }

    /// Attaches a managed policy to the user; attaching an attached policy
    /// changes nothing. At most 10 per user.
    ///
    /// **Permissions**: `iam:AttachUserPolicy` on the user's ARN.
    pub async fn attach_user_policy(
        &self,
        auth: &Authorized,
        policy_arn: &str,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<(), IamError> {
        self.attach_managed_policy(Holder::User, auth, policy_arn, meta, now)
            .await
    }

    /// Detaches a managed policy from the user; `NotFound` if not attached.
    ///
    /// **Permissions**: `iam:DetachUserPolicy` on the user's ARN.
    pub async fn detach_user_policy(
        &self,
        auth: &Authorized,
        policy_arn: &str,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<(), IamError> {
        self.detach_managed_policy(Holder::User, auth, policy_arn, meta, now)
            .await
    }

    /// The groups the user is a member of, sorted by name.
    ///
    /// **Permissions**: `iam:ListGroupsForUser` on the user's ARN.
    pub async fn list_groups_for_user(
        &self,
        auth: &Authorized,
    ) -> Result<Vec<EntityRef>, IamError> {
        auth.require(Action::ListGroupsForUser)?;
        let account_id = auth.principal().account_id();
        let mut conn = self.store().pool().acquire().await?;
        let user = target_entity(&mut conn, auth, Kind::User).await?;
        let rows = memberships::groups_of_user(&mut conn, &user.id).await?;
        Ok(rows
            .into_iter()
            .map(|g| EntityRef {
                arn: arn::build(account_id, Kind::Group, &g.path, &g.name),
                name: g.name,
            })
            .collect())
    }

    /// The managed policies attached to the user directly, sorted by name.
    ///
    /// **Permissions**: `iam:ListAttachedUserPolicies` on the user's ARN.
    pub async fn list_attached_user_policies(
        &self,
        auth: &Authorized,
    ) -> Result<Vec<AttachedPolicy>, IamError> {
        auth.require(Action::ListAttachedUserPolicies)?;
        let mut conn = self.store().pool().acquire().await?;
        let user = target_entity(&mut conn, auth, Kind::User).await?;
        let arns = attachments::list(&mut conn, Holder::User, &user.id).await?;
        let mut policies: Vec<AttachedPolicy> = arns.iter().map(|a| attached_from_arn(a)).collect();
        policies.sort_by_key(|p| (p.name.to_lowercase(), p.arn.clone()));
        Ok(policies)
    }
}

impl Iam {
    /// The user the proof names, as `GetUser` describes it.
    ///
    /// **Permissions**: `iam:GetUser` on the user's ARN.
    pub async fn get_user(&self, auth: &Authorized) -> Result<UserDetails, IamError> {
        auth.require(Action::GetUser)?;
        let account_id = auth.principal().account_id();
        let mut conn = self.store().pool().acquire().await?;
        let user = target_entity(&mut conn, auth, Kind::User).await?;
        let row = users::find_by_id(&mut conn, &user.id)
            .await?
            .ok_or_else(|| IamError::NotFound {
                what: "user",
                name: user.name.clone(),
            })?;
        let tags = load_tags(&mut conn, &user.id).await?;
        Ok(UserDetails {
            arn: arn::build(account_id, Kind::User, &row.path, &row.name),
            created_at: row.created_at(),
            password_last_used_at: row.password_last_used_at(),
            user_id: row.id,
            name: row.name,
            path: row.path,
            tags,
        })
    }

    /// Deletes the user with everything that is theirs: group memberships,
    /// attached policies, tags, console password and its history, access
    /// keys, access records, and every session (they end at once), with a
    /// `DeleteUser` event, all in one transaction. This is the console's
    /// Delete; the API's is [`Iam::delete_user_unless_in_use`].
    ///
    /// **Permissions**: `iam:DeleteUser` on the user's ARN.
    pub async fn delete_user(
        &self,
        auth: &Authorized,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<(), IamError> {
        self.delete_user_with(auth, meta, now, false).await
    }

    /// Deletes the user as IAM's `DeleteUser` API does: refused with `InUse`, in IAM's words,
    /// while the user still has a console password, access keys, groups or attached policies.
    ///
    /// **Permissions**: `iam:DeleteUser` on the user's ARN.
    pub async fn delete_user_unless_in_use(
        &self,
        auth: &Authorized,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<(), IamError> {
        self.delete_user_with(auth, meta, now, true).await
    }

    async fn delete_user_with(
        &self,
        auth: &Authorized,
        meta: &RequestMeta,
        now: UnixTime,
        refuse_in_use: bool,
    ) -> Result<(), IamError> {
        auth.require(Action::DeleteUser)?;
        let mut tx = self.store().begin_write().await?;
        let user = locked_target_entity(&mut tx, auth, Kind::User).await?;
        if refuse_in_use && let Some(message) = still_in_use(&mut tx, &user.id).await? {
            return Err(IamError::InUse {
                message: message.to_owned(),
            });
        }
        crate::store::cascade::delete_user(&mut tx, auth.principal().account_id(), &user.id)
            .await?;
        let arn = auth.resource().to_owned();
        let params = json!({ "userName": user.name });
        record(&mut tx, auth, Action::DeleteUser, params, &arn, meta, now).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// What IAM's `DeleteUser` says when the user still has something that must go first, in the
/// order IAM checks (its DeleteConflict messages).
async fn still_in_use(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
) -> Result<Option<&'static str>, IamError> {
    let row = users::find_by_id(conn, user_id).await?;
    if row.as_ref().is_some_and(|r| r.login_profile().is_some()) {
        return Ok(Some(
            "Cannot delete entity, must delete login profile first.",
        ));
    }
    if access_keys::count_for_user(conn, user_id).await? > 0 {
        return Ok(Some("Cannot delete entity, must delete access keys first."));
    }
    if !memberships::groups_of_user(conn, user_id).await?.is_empty() {
        return Ok(Some(
            "Cannot delete entity, must remove users from group first.",
        ));
    }
    if !attachments::list(conn, Holder::User, user_id)
        .await?
        .is_empty()
    {
        return Ok(Some(
            "Cannot delete entity, must detach all policies first.",
        ));
    }
    Ok(None)
}

impl Iam {
    /// The user's tags, sorted by key (ignoring case).
    ///
    /// **Permissions**: `iam:ListUserTags` on the user's ARN.
    pub async fn list_user_tags(&self, auth: &Authorized) -> Result<Vec<Tag>, IamError> {
        auth.require(Action::ListUserTags)?;
        let mut conn = self.store().pool().acquire().await?;
        let user = target_entity(&mut conn, auth, Kind::User).await?;
        load_tags(&mut conn, &user.id).await
    }

    /// Adds tags to the user, overwriting the values of keys it has
    /// (compared ignoring case; the key takes the new spelling). At most 50
    /// tags in all. A `TagUser` event is written in the same transaction.
    ///
    /// **Permissions**: `iam:TagUser` on the user's ARN.
    pub async fn tag_user(
        &self,
        auth: &Authorized,
        tags: Vec<Tag>,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<(), IamError> {
        auth.require(Action::TagUser)?;
        rules::tags(&tags)?;
        let mut tx = self.store().begin_write().await?;
        // Locked, so that concurrent tag calls count each other's tags.
        let user = locked_target_entity(&mut tx, auth, Kind::User).await?;
        let existing = load_tags(&mut tx, &user.id).await?;
        let keys: HashSet<String> = existing
            .iter()
            .chain(&tags)
            .map(|t| t.key.to_lowercase())
            .collect();
        if keys.len() > rules::MAX_TAGS {
            return Err(rules::too_many_tags("user", keys.len()));
        }
        upsert_tags(&mut tx, auth.principal().account_id(), &user.id, &tags).await?;
        let arn = auth.resource().to_owned();
        let params = json!({ "userName": user.name, "tags": tags_json(&tags) });
        record(&mut tx, auth, Action::TagUser, params, &arn, meta, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes the user's tags with these keys (compared ignoring case); keys
    /// the user does not have are ignored, as in IAM. An `UntagUser` event is
    /// written in the same transaction.
    ///
    /// **Permissions**: `iam:UntagUser` on the user's ARN.
    pub async fn untag_user(
        &self,
        auth: &Authorized,
        keys: Vec<String>,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<(), IamError> {
        auth.require(Action::UntagUser)?;
        if keys.is_empty() {
            return Err(IamError::validation(
                "tag_keys",
                "no tag key was given; name at least one tag to remove",
            ));
        }
        let mut tx = self.store().begin_write().await?;
        let user = locked_target_entity(&mut tx, auth, Kind::User).await?;
        tags::delete_keys(&mut tx, auth.principal().account_id(), &user.id, &keys).await?;
        let arn = auth.resource().to_owned();
        let params = json!({ "userName": user.name, "tagKeys": keys });
        record(&mut tx, auth, Action::UntagUser, params, &arn, meta, now).await?;
        tx.commit().await?;
        Ok(())
    }
}
