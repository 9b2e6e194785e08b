//! IAM users: list, create, attach managed policies, tags, delete.
//! Passwords and console access are in `login_profiles.rs`.

use std::collections::HashSet;

use serde_json::json;

use super::Iam;
use super::attachments::Holder;
use super::common::{
    attached_from_arn, find_user, like_pattern, load_tags, locked_target_entity, name_conflict,
    new_id, record, require_resource, tags_json, target_entity, to_u64, upsert_tags,
};
use crate::arn::{self, Kind};
use crate::authz::{Action, Authorized};
use crate::clock::UnixTime;
use crate::error::IamError;
use crate::event::RequestMeta;
use crate::rules::{self, NameKind};
use crate::types::{AttachedPolicy, EntityRef, NewUser, Tag, UserFilter, UserListItem, UserPage};

/// Separates group names in the list query's aggregate; `/` cannot occur in
/// a group name.
const GROUP_SEPARATOR: char = '/';

/// name, path, created_at, console_access, password_changed_at,
/// password_last_used_at, groups.
type UserPageRow = (
    String,
    String,
    i64,
    i64,
    Option<i64>,
    Option<i64>,
    Option<String>,
);

/// One page of users in name order, read along the `(account_id, name_lower)` index, and each
/// row's groups from a grouped subquery run for the page's rows only. `string_agg` is
/// PostgreSQL's and, since 3.44, SQLite's (the bundled SQLite is 3.51), so both backends run the
/// same text. The total is counted apart (`COUNT_USERS`): a window count here made both
/// databases read and sort every matching user for a page of 20 (74 ms at 10,000 users).
const LIST_USERS: &str = "WITH page AS (SELECT id, name, name_lower, path, created_at, \
     console_access, password_changed_at, password_last_used_at \
     FROM users WHERE account_id = $1 AND name_lower LIKE $2 ESCAPE '\\' \
     ORDER BY name_lower LIMIT $3 OFFSET $4) \
     SELECT p.name, p.path, p.created_at, p.console_access, p.password_changed_at, \
     p.password_last_used_at, \
     (SELECT string_agg(g.name, '/') FROM group_members m JOIN groups g ON g.id = m.group_id \
     WHERE m.user_id = p.id) AS group_names \
     FROM page p ORDER BY p.name_lower";

const COUNT_USERS: &str =
    "SELECT COUNT(*) FROM users WHERE account_id = $1 AND name_lower LIKE $2 ESCAPE '\\'";

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
        let rows: Vec<UserPageRow> = sqlx::query_as(LIST_USERS)
            .bind(account_id.as_str().to_owned())
            .bind(pattern.clone())
            .bind(i64::from(filter.limit))
            .bind(i64::from(filter.offset))
            .fetch_all(&mut *conn)
            .await?;
        let (total,): (i64,) = sqlx::query_as(COUNT_USERS)
            .bind(account_id.as_str().to_owned())
            .bind(pattern)
            .fetch_one(&mut *conn)
            .await?;
        let items = rows
            .into_iter()
            .map(
                |(name, path, created_at, console, changed, last_used, groups)| {
                    let mut groups: Vec<String> = groups
                        .as_deref()
                        .unwrap_or("")
                        .split(GROUP_SEPARATOR)
                        .filter(|g| !g.is_empty())
                        .map(str::to_owned)
                        .collect();
                    groups.sort_by_key(|g| g.to_lowercase());
                    UserListItem {
                        arn: arn::build(account_id, Kind::User, &path, &name),
                        name,
                        path,
                        created_at: UnixTime::from_secs(created_at),
                        groups,
                        console_access: console != 0,
                        password_last_used_at: last_used.map(UnixTime::from_secs),
                        password_changed_at: changed.map(UnixTime::from_secs),
                    }
                },
            )
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
        sqlx::query(
            "INSERT INTO users (id, account_id, name, name_lower, path, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id.clone())
        .bind(account_id.as_str().to_owned())
        .bind(new.name.clone())
        .bind(new.name.to_lowercase())
        .bind(path.clone())
        .bind(now.as_secs())
        .execute(&mut *tx)
        .await
        .map_err(|e| name_conflict(e, "user", &new.name))?;
        upsert_tags(&mut tx, &id, &new.tags).await?;
        let mut params = json!({ "userName": new.name, "path": path });
        if !new.tags.is_empty() {
            params["tags"] = tags_json(&new.tags);
        }
        record(&mut tx, auth, Action::CreateUser, params, &arn, meta, now).await?;
        tx.commit().await?;
        Ok(UserListItem {
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
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT g.name, g.path FROM group_members m JOIN groups g ON g.id = m.group_id \
             WHERE m.user_id = $1 ORDER BY g.name_lower",
        )
        .bind(user.id)
        .fetch_all(&mut *conn)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(name, path)| EntityRef {
                arn: arn::build(account_id, Kind::Group, &path, &name),
                name,
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
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT policy_arn FROM user_policy_attachments WHERE user_id = $1")
                .bind(user.id)
                .fetch_all(&mut *conn)
                .await?;
        let mut policies: Vec<AttachedPolicy> =
            rows.iter().map(|(a,)| attached_from_arn(a)).collect();
        policies.sort_by_key(|p| (p.name.to_lowercase(), p.arn.clone()));
        Ok(policies)
    }
}

impl Iam {
    /// Deletes the user with everything that is theirs: group memberships,
    /// attached policies, tags, console password and its history, access
    /// keys, access records, and every session (they end at once), with a
    /// `DeleteUser` event, all in one transaction.
    ///
    /// **Permissions**: `iam:DeleteUser` on the user's ARN.
    pub async fn delete_user(
        &self,
        auth: &Authorized,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<(), IamError> {
        auth.require(Action::DeleteUser)?;
        let mut tx = self.store().begin_write().await?;
        let user = locked_target_entity(&mut tx, auth, Kind::User).await?;
        crate::store::cascade::delete_user(&mut tx, auth.principal().account_id(), &user.id)
            .await?;
        let arn = auth.resource().to_owned();
        let params = json!({ "userName": user.name });
        record(&mut tx, auth, Action::DeleteUser, params, &arn, meta, now).await?;
        tx.commit().await?;
        Ok(())
    }
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
        upsert_tags(&mut tx, &user.id, &tags).await?;
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
        for key in &keys {
            sqlx::query("DELETE FROM tags WHERE resource_id = $1 AND key_lower = $2")
                .bind(user.id.clone())
                .bind(key.to_lowercase())
                .execute(&mut *tx)
                .await?;
        }
        let arn = auth.resource().to_owned();
        let params = json!({ "userName": user.name, "tagKeys": keys });
        record(&mut tx, auth, Action::UntagUser, params, &arn, meta, now).await?;
        tx.commit().await?;
        Ok(())
    }
}
