//! Attaching managed policies to a group or a user, and detaching them: the same rules and
//! events for both, on their own attachment tables.

use serde_json::json;
use sqlx::AnyConnection;

use super::Iam;
use super::common::{
    check_attachment_quota, locked_target_entity, record, resolve_policy_locked, target_entity,
};
use crate::arn::Kind;
use crate::authz::{Action, Authorized};
use crate::clock::UnixTime;
use crate::error::IamError;
use crate::event::RequestMeta;

/// What a managed policy is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Holder {
    Group,
    User,
}

impl Holder {
    fn kind(self) -> Kind {
        match self {
            Holder::Group => Kind::Group,
            Holder::User => Kind::User,
        }
    }

    /// For the quota message: "a group can have …".
    fn noun(self) -> &'static str {
        match self {
            Holder::Group => "group",
            Holder::User => "user",
        }
    }

    /// CloudTrail's request parameter naming the holder.
    fn name_parameter(self) -> &'static str {
        match self {
            Holder::Group => "groupName",
            Holder::User => "userName",
        }
    }

    fn actions(self) -> (Action, Action) {
        match self {
            Holder::Group => (Action::AttachGroupPolicy, Action::DetachGroupPolicy),
            Holder::User => (Action::AttachUserPolicy, Action::DetachUserPolicy),
        }
    }

    fn select_sql(self) -> &'static str {
        match self {
            Holder::Group => "SELECT policy_arn FROM group_policy_attachments WHERE group_id = $1",
            Holder::User => "SELECT policy_arn FROM user_policy_attachments WHERE user_id = $1",
        }
    }

    fn insert_sql(self) -> &'static str {
        match self {
            Holder::Group => {
                "INSERT INTO group_policy_attachments (group_id, policy_arn, attached_at) \
                 VALUES ($1, $2, $3) ON CONFLICT (group_id, policy_arn) DO NOTHING"
            }
            Holder::User => {
                "INSERT INTO user_policy_attachments (user_id, policy_arn, attached_at) \
                 VALUES ($1, $2, $3) ON CONFLICT (user_id, policy_arn) DO NOTHING"
            }
        }
    }

    fn delete_sql(self) -> &'static str {
        match self {
            Holder::Group => {
                "DELETE FROM group_policy_attachments WHERE group_id = $1 AND policy_arn = $2"
            }
            Holder::User => {
                "DELETE FROM user_policy_attachments WHERE user_id = $1 AND policy_arn = $2"
            }
        }
    }
}

/// The managed policy ARNs attached to `holder_id`.
pub(crate) async fn attached_arns(
    conn: &mut AnyConnection,
    holder: Holder,
    holder_id: &str,
) -> Result<Vec<String>, IamError> {
    let rows: Vec<(String,)> = sqlx::query_as(holder.select_sql())
        .bind(holder_id.to_owned())
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.into_iter().map(|(a,)| a).collect())
}

/// Attaches without checks or events, for callers that did both (creating a group).
pub(crate) async fn insert_attachment(
    conn: &mut AnyConnection,
    holder: Holder,
    holder_id: &str,
    policy_arn: &str,
    now: UnixTime,
) -> Result<(), IamError> {
    sqlx::query(holder.insert_sql())
        .bind(holder_id.to_owned())
        .bind(policy_arn.to_owned())
        .bind(now.as_secs())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

impl Iam {
    /// Attaches a managed policy to the group or user the proof names; attaching an attached
    /// policy changes nothing. At most 10 per holder. Writes the attach event.
    pub(crate) async fn attach_managed_policy(
        &self,
        holder: Holder,
        auth: &Authorized,
        policy_arn: &str,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<(), IamError> {
        let (attach, _) = holder.actions();
        auth.require(attach)?;
        let account_id = auth.principal().account_id();
        let mut tx = self.store().begin_write().await?;
        let entity = locked_target_entity(&mut tx, auth, holder.kind()).await?;
        resolve_policy_locked(&mut tx, account_id, policy_arn).await?;
        let attached = attached_arns(&mut tx, holder, &entity.id).await?;
        if !attached.iter().any(|a| a == policy_arn) {
            check_attachment_quota(holder.noun(), attached.len(), 1)?;
            insert_attachment(&mut tx, holder, &entity.id, policy_arn, now).await?;
        }
        let params = json!({ holder.name_parameter(): entity.name, "policyArn": policy_arn });
        let arn = auth.resource().to_owned();
        record(&mut tx, auth, attach, params, &arn, meta, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Detaches a managed policy from the group or user the proof names; `NotFound` if it is not
    /// attached. Writes the detach event.
    pub(crate) async fn detach_managed_policy(
        &self,
        holder: Holder,
        auth: &Authorized,
        policy_arn: &str,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<(), IamError> {
        let (_, detach) = holder.actions();
        auth.require(detach)?;
        let mut tx = self.store().begin_write().await?;
        let entity = target_entity(&mut tx, auth, holder.kind()).await?;
        let done = sqlx::query(holder.delete_sql())
            .bind(entity.id.clone())
            .bind(policy_arn.to_owned())
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(IamError::NotFound {
                what: "attached policy",
                name: policy_arn.to_owned(),
            });
        }
        let params = json!({ holder.name_parameter(): entity.name, "policyArn": policy_arn });
        let arn = auth.resource().to_owned();
        record(&mut tx, auth, detach, params, &arn, meta, now).await?;
        tx.commit().await?;
        Ok(())
    }
}
