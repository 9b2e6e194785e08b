//! Attaching managed policies to a group or a user, and detaching them: the same rules and
//! events for both, on their own attachment tables.

use serde_json::json;

use super::Iam;
use super::common::{
    check_attachment_quota, locked_target_entity, record, resolve_policy_locked, target_entity,
};
use crate::arn::Kind;
use crate::authz::{Action, Authorized};
use crate::clock::UnixTime;
use crate::error::IamError;
use crate::event::RequestMeta;
use crate::store::attachments::{self, Holder};

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
        let attached = attachments::list(&mut tx, holder, &entity.id).await?;
        if !attached.iter().any(|a| a == policy_arn) {
            check_attachment_quota(holder.noun(), attached.len(), 1)?;
            attachments::insert(&mut tx, account_id, holder, &entity.id, policy_arn, now).await?;
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
        let account_id = auth.principal().account_id();
        let mut tx = self.store().begin_write().await?;
        let entity = target_entity(&mut tx, auth, holder.kind()).await?;
        if !attachments::delete(&mut tx, account_id, holder, &entity.id, policy_arn).await? {
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
