//! The Access Advisor (services a user's, group's or policy's permissions allow, and when they
//! were last accessed) and "Generate a policy from access activity".
//!
//! Both read the access-record aggregates through `iam`; saving a proposal goes through
//! `create_policy_version` like Edit policy does.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::AuthorizeHere as _;

/// The periods offered for a generated policy, in days; 90 is AWS's default.
pub const PERIODS: [u32; 5] = [30, 60, 90, 180, 365];
/// The period chosen when none is.
pub const DEFAULT_PERIOD: u32 = 90;

/// The entity an Access Advisor report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EntityKind {
    User,
    Group,
    Policy,
}

/// One service in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceRow {
    pub service: String,
    pub service_name: String,
    pub policies: Vec<String>,
    /// Seconds since the Unix epoch; `None`: not accessed in the tracking period.
    pub last_accessed_at: Option<i64>,
    /// "Today", "Yesterday" or "N days ago", computed on the server so both renders agree.
    pub last_accessed_ago: Option<String>,
    pub last_accessed_by: Option<String>,
    pub attempts: u64,
    /// For a group or policy, how many users accessed it while it applied to them.
    pub entities_accessed: u64,
    pub actions: Vec<ActionRow>,
}

/// One action of a service in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionRow {
    pub action: String,
    pub last_accessed_at: i64,
    pub last_accessed_ago: String,
    pub allowed: bool,
    pub last_accessed_by: String,
    pub attempts: u64,
    pub entities_accessed: u64,
}

/// A generated policy, for review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalView {
    pub policy_arn: String,
    pub policy_name: String,
    pub current_document: String,
    /// `None` when nothing the policy allows was used in the period.
    pub proposed_document: Option<String>,
    pub used_actions: Vec<String>,
    pub kept_services: Vec<String>,
    pub removed_services: Vec<String>,
    pub unchanged: bool,
    pub period_days: u32,
    /// Version ids other than the default, oldest first, and whether the policy has 5 versions.
    pub deletable_versions: Vec<String>,
    pub versions_full: bool,
}

/// "Today", "Yesterday" or "N days ago".
pub fn days_ago(then: i64, now: i64) -> String {
    match (now - then).max(0) / 86_400 {
        0 => "Today".to_owned(),
        1 => "Yesterday".to_owned(),
        n => format!("{n} days ago"),
    }
}

/// The Access Advisor report of a user or group (by name) or a policy (by ARN), most recent first.
///
/// **Permissions**: `iam:GenerateServiceLastAccessedDetails` on the entity.
#[server(prefix = "/api", endpoint = "service_last_accessed", input = GetUrl)]
pub async fn service_last_accessed(
    kind: EntityKind,
    id: String,
) -> Result<Vec<ServiceRow>, AppError> {
    use crate::ssr;
    let session = ssr::session()?;
    let state = ssr::state()?;
    let resource = match kind {
        EntityKind::User => state.iam.user_arn(&id).await?,
        EntityKind::Group => state.iam.group_arn(&id).await?,
        EntityKind::Policy => id,
    };
    let auth = state
        .iam
        .authorize_here(
            &session.principal,
            iam::Action::GenerateServiceLastAccessedDetails,
            &resource,
        )
        .await?;
    let now = iam::UnixTime::now().as_secs();
    let report = state
        .iam
        .service_last_accessed(&auth, iam::UnixTime::now())
        .await?;
    Ok(report
        .into_iter()
        .map(|s| ServiceRow {
            last_accessed_ago: s.last_accessed_at.map(|t| days_ago(t.as_secs(), now)),
            last_accessed_at: s.last_accessed_at.map(iam::UnixTime::as_secs),
            service: s.service,
            service_name: s.service_name,
            policies: s.policies,
            last_accessed_by: s.last_accessed_by,
            attempts: s.attempts,
            entities_accessed: s.entities_accessed,
            actions: s
                .actions
                .into_iter()
                .map(|a| ActionRow {
                    action: a.action,
                    last_accessed_at: a.last_accessed_at.as_secs(),
                    last_accessed_ago: days_ago(a.last_accessed_at.as_secs(), now),
                    allowed: a.last_allowed_at.is_some(),
                    last_accessed_by: a.last_accessed_by,
                    attempts: a.attempts,
                    entities_accessed: a.entities_accessed,
                })
                .collect(),
        })
        .collect())
}

/// Proposes the customer managed policy `arn` cut down to the services (or, with `by_action`,
/// the actions) its users were allowed in the last `period_days`.
///
/// **Permissions**: `iam:GenerateServiceLastAccessedDetails` and `iam:GetPolicy` on the policy.
#[server(prefix = "/api", endpoint = "generate_policy", input = GetUrl)]
pub async fn generate_policy(
    arn: String,
    period_days: u32,
    by_action: bool,
) -> Result<ProposalView, AppError> {
    use crate::api::policies::readable_document;
    use crate::ssr;
    let session = ssr::session()?;
    let state = ssr::state()?;
    let auth = state
        .iam
        .authorize_here(
            &session.principal,
            iam::Action::GenerateServiceLastAccessedDetails,
            &arn,
        )
        .await?;
    let generated = state
        .iam
        .generate_policy_from_activity(&auth, period_days, by_action, iam::UnixTime::now())
        .await?;
    let get = state
        .iam
        .authorize_here(&session.principal, iam::Action::GetPolicy, &arn)
        .await?;
    let policy = state.iam.get_policy(&get).await?;
    let mut deletable: Vec<(i64, String)> = policy
        .versions
        .iter()
        .filter(|v| !v.is_default)
        .map(|v| {
            (
                v.created_at.map_or(0, iam::UnixTime::as_secs),
                v.version_id.clone(),
            )
        })
        .collect();
    deletable.sort();
    Ok(ProposalView {
        policy_arn: generated.policy_arn,
        policy_name: policy.name,
        current_document: readable_document(&generated.current_document),
        proposed_document: generated
            .proposed_document
            .as_deref()
            .map(readable_document),
        used_actions: generated.used_actions,
        kept_services: generated.kept_services,
        removed_services: generated.removed_services,
        unchanged: generated.unchanged,
        period_days: generated.period_days,
        versions_full: policy.versions.len() >= 5,
        deletable_versions: deletable.into_iter().map(|(_, id)| id).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_ago_reads_like_the_console() {
        let now = 100 * 86_400;
        assert_eq!(days_ago(now - 60, now), "Today");
        assert_eq!(days_ago(now - 86_400, now), "Yesterday");
        assert_eq!(days_ago(now - 5 * 86_400 - 1, now), "5 days ago");
        assert_eq!(days_ago(now + 60, now), "Today");
    }
}
