//! Group membership: adding users to a group and removing them.

use serde_json::json;
use sqlx::AnyConnection;

use super::user_not_found;
use crate::arn::Kind;
use crate::authz::{Action, Authorized};
use crate::clock::UnixTime;
use crate::error::IamError;
use crate::event::RequestMeta;
use crate::service::Iam;
use crate::service::common::{
    check_groups_per_user, find_user, lock_row, locked_target_entity, record, target_entity,
};

impl Iam {
    /// Adds the user called `user_name` (any case) to the group; adding a
    /// member again changes nothing.
    ///
    /// **Permissions**: `iam:AddUserToGroup` on the group's ARN.
    pub async fn add_user_to_group(
        &self,
        auth: &Authorized,
        user_name: &str,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<(), IamError> {
        auth.require(Action::AddUserToGroup)?;
        let account_id = auth.principal().account_id();
        let mut tx = self.store().begin_write().await?;
        let group = locked_target_entity(&mut tx, auth, Kind::Group).await?;
        let user = find_user(&mut tx, account_id, user_name)
            .await?
            .ok_or_else(|| user_not_found(user_name))?;
        let (already,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM group_members WHERE group_id = $1 AND user_id = $2",
        )
        .bind(group.id.clone())
        .bind(user.id.clone())
        .fetch_one(&mut *tx)
        .await?;
        if already == 0 {
            // Lock the user so concurrent joins count each other (PostgreSQL).
            lock_row(&mut tx, Kind::User, &user.id).await?;
            check_groups_per_user(&mut tx, &user, "user_name").await?;
        }
        insert_member(&mut tx, &group.id, &user.id, now).await?;
        let arn = auth.resource().to_owned();
        let params = json!({ "groupName": group.name, "userName": user.name });
        record(
            &mut tx,
            auth,
            Action::AddUserToGroup,
            params,
            &arn,
            meta,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes a member; `NotFound` if the user is not one.
    ///
    /// **Permissions**: `iam:RemoveUserFromGroup` on the group's ARN.
    pub async fn remove_user_from_group(
        &self,
        auth: &Authorized,
        user_name: &str,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<(), IamError> {
        auth.require(Action::RemoveUserFromGroup)?;
        let account_id = auth.principal().account_id();
        let mut tx = self.store().begin_write().await?;
        let group = target_entity(&mut tx, auth, Kind::Group).await?;
        let user = find_user(&mut tx, account_id, user_name)
            .await?
            .ok_or_else(|| user_not_found(user_name))?;
        let done = sqlx::query("DELETE FROM group_members WHERE group_id = $1 AND user_id = $2")
            .bind(group.id.clone())
            .bind(user.id.clone())
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(IamError::NotFound {
                what: "group member",
                name: user.name,
            });
        }
        let arn = auth.resource().to_owned();
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
        tx.commit().await?;
        Ok(())
    }
}

pub(super) async fn insert_member(
    conn: &mut AnyConnection,
    group_id: &str,
    user_id: &str,
    now: UnixTime,
) -> Result<(), IamError> {
    sqlx::query(
        "INSERT INTO group_members (group_id, user_id, added_at) VALUES ($1, $2, $3) \
         ON CONFLICT (group_id, user_id) DO NOTHING",
    )
    .bind(group_id.to_owned())
    .bind(user_id.to_owned())
    .bind(now.as_secs())
    .execute(&mut *conn)
    .await?;
    Ok(())
}
