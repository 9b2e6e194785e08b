//! Group membership: adding users to a group and removing them.

use serde_json::json;

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
use crate::store::memberships;

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
        if !memberships::exists(&mut tx, &group.id, &user.id).await? {
            // Lock the user so concurrent joins count each other (PostgreSQL).
            lock_row(&mut tx, Kind::User, &user.id).await?;
            check_groups_per_user(&mut tx, &user, "user_name").await?;
        }
        memberships::insert(&mut tx, account_id, &group.id, &user.id, now).await?;
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
        if !memberships::delete(&mut tx, account_id, &group.id, &user.id).await? {
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
