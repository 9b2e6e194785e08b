//! "Generate a policy from access activity": a customer managed policy cut down to what the users
//! it applies to were allowed to do in a period, proposed for the admin to review, edit and save
//! as a new version (which goes through `create_policy_version` and its checks as usual).

use serde::{Deserialize, Serialize};

use crate::authz::{Action, Authorized};
use crate::clock::UnixTime;
use crate::error::IamError;
use crate::service::Iam;
use crate::service::access_advisor::policy_document;
use crate::service::common::{PolicyRef, resolve_policy};
use crate::store::access_records::{self, Accessors};

/// The periods the console offers; AWS's default is 90 days.
pub const DEFAULT_ACTIVITY_DAYS: u32 = 90;
pub const MAX_ACTIVITY_DAYS: u32 = 400;

/// A proposal to review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GeneratedPolicy {
    pub policy_arn: String,
    /// The default version's document, to compare against.
    pub current_document: String,
    /// `None` when nothing the policy allows was used in the period.
    pub proposed_document: Option<String>,
    /// The actions used in the period that the proposal is based on (`service:Action`).
    pub used_actions: Vec<String>,
    pub kept_services: Vec<String>,
    pub removed_services: Vec<String>,
    pub unchanged: bool,
    pub period_days: u32,
}

impl Iam {
    /// Proposes the policy the proof names, cut down to the actions its users were allowed in the
    /// last `period_days` (1 to 400), by whole services or by actions.
    ///
    /// **Permissions**: `iam:GenerateServiceLastAccessedDetails` on the policy's ARN.
    pub async fn generate_policy_from_activity(
        &self,
        auth: &Authorized,
        period_days: u32,
        by_action: bool,
        now: UnixTime,
    ) -> Result<GeneratedPolicy, IamError> {
        auth.require(Action::GenerateServiceLastAccessedDetails)?;
        if !(1..=MAX_ACTIVITY_DAYS).contains(&period_days) {
            return Err(IamError::validation(
                "period_days",
                format!(
                    "the period is {period_days} days and must be 1 to {MAX_ACTIVITY_DAYS}; choose a period in that range"
                ),
            ));
        }
        self.flush_access_records().await?;
        let account_id = auth.principal().account_id().clone();
        let mut conn = self.store().pool().acquire().await?;
        let policy = resolve_policy(&mut conn, &account_id, auth.resource()).await?;
        if let PolicyRef::Aws(_) = policy {
            return Err(IamError::validation(
                "arn",
                format!(
                    "`{}` is an AWS managed policy, which cannot be changed; create a customer managed policy from it first (Import managed policy)",
                    auth.resource()
                ),
            ));
        }
        let current = policy_document(&mut conn, &policy).await?;
        let accessors = Accessors::PolicyEntities {
            account_id: account_id.as_str().to_owned(),
            arn: auth.resource().to_owned(),
        };
        let since = now.as_secs() - i64::from(period_days) * 86_400;
        let (_, actions) = access_records::rows(&mut conn, &accessors, since).await?;
        drop(conn);
        let mut used: Vec<String> = actions
            .into_iter()
            .filter(|row| row.last_allowed_at.is_some_and(|t| t >= since))
            .map(|row| row.key)
            .collect();
        used.sort();
        used.dedup();
        let parsed = policy::parse(&current).map_err(|e| {
            IamError::bug(format!(
                "the stored default version of `{}` does not parse: {e}",
                auth.resource()
            ))
        })?;
        let refs: Vec<&str> = used.iter().map(String::as_str).collect();
        let granularity = if by_action {
            policy::reduce::Granularity::Action
        } else {
            policy::reduce::Granularity::Service
        };
        let reduction = policy::reduce::reduce(&current, &parsed, &refs, granularity);
        Ok(GeneratedPolicy {
            policy_arn: auth.resource().to_owned(),
            current_document: current,
            proposed_document: reduction.document,
            used_actions: used,
            kept_services: reduction.kept_services,
            removed_services: reduction.removed_services,
            unchanged: reduction.unchanged,
            period_days,
        })
    }
}
