//! A group's policies: attaching and detaching managed policies, and its inline policies.

use serde_json::json;

use super::{counted_chars, inline_not_found};
use crate::arn::Kind;
use crate::authz::{Action, Authorized};
use crate::clock::UnixTime;
use crate::error::IamError;
use crate::event::RequestMeta;
use crate::rules::{self, NameKind};
use crate::service::Iam;
use crate::service::common::{locked_target_entity, record, target_entity};
use crate::store::attachments::Holder;
use crate::store::group_inline_policies;
use crate::types::InlinePolicy;

impl Iam {
    /// Attaches a managed policy (AWS or customer) to the group; attaching an
    /// attached policy changes nothing. At most 10 per group.
    ///
    /// **Permissions**: `iam:AttachGroupPolicy` on the group's ARN.
    pub async fn attach_group_policy(
        &self,
        auth: &Authorized,
        policy_arn: &str,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<(), IamError> {
        self.attach_managed_policy(Holder::Group, auth, policy_arn, meta, now)
            .await
    }

    /// Detaches a managed policy; `NotFound` if it is not attached.
    ///
    /// **Permissions**: `iam:DetachGroupPolicy` on the group's ARN.
    pub async fn detach_group_policy(
        &self,
        auth: &Authorized,
        policy_arn: &str,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<(), IamError> {
        self.detach_managed_policy(Holder::Group, auth, policy_arn, meta, now)
            .await
    }

    /// Adds or replaces the group's inline policy `policy_name`. The
    /// document must have no ERROR finding, and the group's inline documents
    /// together at most 5,120 characters.
    ///
    /// **Permissions**: `iam:PutGroupPolicy` on the group's ARN.
    pub async fn put_group_policy(
        &self,
        auth: &Authorized,
        policy_name: &str,
        document: &str,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<(), IamError> {
        auth.require(Action::PutGroupPolicy)?;
        rules::name(NameKind::InlinePolicy, policy_name)?;
        let size = rules::document(document, rules::MAX_GROUP_INLINE_CHARS)?;
        let mut tx = self.store().begin_write().await?;
        let group = locked_target_entity(&mut tx, auth, Kind::Group).await?;
        let others =
            group_inline_policies::documents_except(&mut tx, &group.id, policy_name).await?;
        let total = size + others.iter().map(|d| counted_chars(d)).sum::<usize>();
        if total > rules::MAX_GROUP_INLINE_CHARS {
            return Err(IamError::validation(
                "document",
                format!(
                    "the group's inline policies would have {total} characters without whitespace, more than the {} allowed for all of a group's inline policies together; shorten this one, delete another, or use a managed policy",
                    rules::MAX_GROUP_INLINE_CHARS
                ),
            ));
        }
        let account_id = auth.principal().account_id();
        group_inline_policies::put(&mut tx, account_id, &group.id, policy_name, document, now)
            .await?;
        let arn = auth.resource().to_owned();
        let params = json!({
            "groupName": group.name,
            "policyName": policy_name,
            "policyDocument": document,
        });
        record(
            &mut tx,
            auth,
            Action::PutGroupPolicy,
            params,
            &arn,
            meta,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The group's inline policy `policy_name` (any case).
    ///
    /// **Permissions**: `iam:GetGroupPolicy` on the group's ARN.
    pub async fn get_group_policy(
        &self,
        auth: &Authorized,
        policy_name: &str,
    ) -> Result<InlinePolicy, IamError> {
        auth.require(Action::GetGroupPolicy)?;
        let mut conn = self.store().pool().acquire().await?;
        let group = target_entity(&mut conn, auth, Kind::Group).await?;
        let row = group_inline_policies::find(&mut conn, &group.id, policy_name)
            .await?
            .ok_or_else(|| inline_not_found(policy_name))?;
        Ok(InlinePolicy {
            name: row.name,
            document: row.document,
        })
    }

    /// Deletes the group's inline policy `policy_name` (any case).
    ///
    /// **Permissions**: `iam:DeleteGroupPolicy` on the group's ARN.
    pub async fn delete_group_policy(
        &self,
        auth: &Authorized,
        policy_name: &str,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<(), IamError> {
        auth.require(Action::DeleteGroupPolicy)?;
        let mut tx = self.store().begin_write().await?;
        let group = target_entity(&mut tx, auth, Kind::Group).await?;
        let account_id = auth.principal().account_id();
        if !group_inline_policies::delete(&mut tx, account_id, &group.id, policy_name).await? {
            return Err(inline_not_found(policy_name));
        }
        let arn = auth.resource().to_owned();
        let params = json!({ "groupName": group.name, "policyName": policy_name });
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
        tx.commit().await?;
        Ok(())
    }
}
