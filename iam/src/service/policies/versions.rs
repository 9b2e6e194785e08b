//! Policy versions: read one, add one (at most five), choose the default, delete one.

use serde_json::json;

use super::{customer_target, parse_version_id, version_exists, version_not_found};
use crate::authz::{Action, Authorized};
use crate::clock::UnixTime;
use crate::error::IamError;
use crate::event::RequestMeta;
use crate::rules;
use crate::service::Iam;
use crate::service::common::{PolicyRef, record, resolve_policy};
use crate::store::policies::{self, versions};
use crate::types::{PolicyVersion, PolicyVersionInfo};

impl Iam {
    /// One version of the policy, with its document.
    ///
    /// **Permissions**: `iam:GetPolicyVersion` on the policy's ARN.
    pub async fn get_policy_version(
        &self,
        auth: &Authorized,
        version_id: &str,
    ) -> Result<PolicyVersion, IamError> {
        auth.require(Action::GetPolicyVersion)?;
        let account_id = auth.principal().account_id();
        let mut conn = self.store().pool().acquire().await?;
        match resolve_policy(&mut conn, account_id, auth.resource()).await? {
            PolicyRef::Aws(p) if p.version_id == version_id => Ok(PolicyVersion {
                version_id: p.version_id.to_owned(),
                is_default: true,
                created_at: None,
                document: p.document.to_owned(),
            }),
            PolicyRef::Aws(_) => Err(version_not_found(version_id)),
            PolicyRef::Customer(row) => {
                let version =
                    parse_version_id(version_id).ok_or_else(|| version_not_found(version_id))?;
                let found = versions::find(&mut conn, &row.id, version)
                    .await?
                    .ok_or_else(|| version_not_found(version_id))?;
                Ok(PolicyVersion {
                    version_id: format!("v{version}"),
                    is_default: version == row.default_version,
                    created_at: Some(UnixTime::from_secs(found.created_at)),
                    document: found.document,
                })
            }
        }
    }

    /// Adds a version (the next unused `vN`), optionally as the default. At
    /// 5 versions `delete_first` must name a non-default version to delete in
    /// the same transaction.
    ///
    /// **Permissions**: `iam:CreatePolicyVersion` on the policy's ARN (and the
    /// `DeletePolicyVersion` event is recorded for `delete_first`).
    pub async fn create_policy_version(
        &self,
        auth: &Authorized,
        document: &str,
        set_as_default: bool,
        delete_first: Option<String>,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<PolicyVersionInfo, IamError> {
        auth.require(Action::CreatePolicyVersion)?;
        let account_id = auth.principal().account_id();
        let mut tx = self.store().begin_write().await?;
        let row = customer_target(&mut tx, auth).await?;
        rules::document(document, rules::MAX_MANAGED_POLICY_CHARS)?;
        let arn = auth.resource().to_owned();
        // Takes the row lock on PostgreSQL, so concurrent versions of one
        // policy queue up and the 5-version count below is exact.
        let next = versions::next(&mut tx, &row.id, now).await?;
        let (version, default_version) = (next.version, next.default_version);

        if let Some(first) = &delete_first {
            let old = parse_version_id(first).ok_or_else(|| version_not_found(first))?;
            if !version_exists(&mut tx, &row.id, old).await? {
                return Err(version_not_found(first));
            }
            if old == default_version {
                return Err(IamError::Conflict {
                    field: "version",
                    message: format!(
                        "the version `{first}` is the default version, which cannot be deleted; choose another version to delete first"
                    ),
                });
            }
            versions::delete(&mut tx, &row.id, old).await?;
            let params = json!({ "policyArn": arn, "versionId": first });
            record(
                &mut tx,
                auth,
                Action::DeletePolicyVersion,
                params,
                &arn,
                meta,
                now,
            )
            .await?;
        }

        let count = versions::count(&mut tx, &row.id).await?;
        if count >= rules::MAX_POLICY_VERSIONS as i64 {
            return Err(IamError::LimitExceeded {
                field: "version",
                message: format!(
                    "the policy already has {} versions, the most allowed; choose a version other than the default to delete first",
                    rules::MAX_POLICY_VERSIONS
                ),
            });
        }
        versions::insert(&mut tx, &row.id, version, document, now).await?;
        if set_as_default {
            // `updated_at` is `now` already (`versions::next`).
            versions::set_default(&mut tx, account_id, &row.id, version, now).await?;
        }
        let params = json!({
            "policyArn": arn,
            "policyDocument": document,
            "setAsDefault": set_as_default,
        });
        record(
            &mut tx,
            auth,
            Action::CreatePolicyVersion,
            params,
            &arn,
            meta,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(PolicyVersionInfo {
            version_id: format!("v{version}"),
            is_default: set_as_default,
            created_at: Some(now),
        })
    }

    /// Makes `version_id` the default version.
    ///
    /// **Permissions**: `iam:SetDefaultPolicyVersion` on the policy's ARN.
    pub async fn set_default_policy_version(
        &self,
        auth: &Authorized,
        version_id: &str,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<(), IamError> {
        auth.require(Action::SetDefaultPolicyVersion)?;
        let mut tx = self.store().begin_write().await?;
        let row = customer_target(&mut tx, auth).await?;
        let version = parse_version_id(version_id).ok_or_else(|| version_not_found(version_id))?;
        if !version_exists(&mut tx, &row.id, version).await? {
            return Err(version_not_found(version_id));
        }
        let account_id = auth.principal().account_id();
        versions::set_default(&mut tx, account_id, &row.id, version, now).await?;
        let arn = auth.resource().to_owned();
        let params = json!({ "policyArn": arn, "versionId": version_id });
        record(
            &mut tx,
            auth,
            Action::SetDefaultPolicyVersion,
            params,
            &arn,
            meta,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes a version other than the default.
    ///
    /// **Permissions**: `iam:DeletePolicyVersion` on the policy's ARN.
    pub async fn delete_policy_version(
        &self,
        auth: &Authorized,
        version_id: &str,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<(), IamError> {
        auth.require(Action::DeletePolicyVersion)?;
        let mut tx = self.store().begin_write().await?;
        let row = customer_target(&mut tx, auth).await?;
        let version = parse_version_id(version_id).ok_or_else(|| version_not_found(version_id))?;
        if !version_exists(&mut tx, &row.id, version).await? {
            return Err(version_not_found(version_id));
        }
        if version == row.default_version {
            return Err(IamError::Conflict {
                field: "version",
                message: format!(
                    "the version `{version_id}` is the default version, which cannot be deleted; make another version the default first"
                ),
            });
        }
        versions::delete(&mut tx, &row.id, version).await?;
        policies::touch(&mut tx, &row.id, now).await?;
        let arn = auth.resource().to_owned();
        let params = json!({ "policyArn": arn, "versionId": version_id });
        record(
            &mut tx,
            auth,
            Action::DeletePolicyVersion,
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
