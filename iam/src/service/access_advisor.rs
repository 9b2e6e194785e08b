//! The Access Advisor: for a user, a group or a policy, the services its policies allow and when
//! they were last accessed, and by whom, read from the access-record aggregates
//! (`access_records.rs`), so the answer costs the same however long the history is.
//!
//! A user's report covers the services its effective policies allow and the user's own accesses; a
//! group's covers the group's policies and its members' accesses since they joined; a policy's
//! covers the policy and the accesses of every user it applies to, directly or through a group,
//! since it applied to them. Attempts count whether they were allowed or denied, as in AWS; the
//! attempt count of a service includes attempts from before the member joined, because the
//! aggregates keep only the latest time (a known approximation). Group and policy reports also say
//! how many users accessed each service and action while the group or policy applied to them
//! (AWS's `TotalAuthenticatedEntities`), former members included, from a count the flush keeps.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

use crate::arn::{self, Kind};
use crate::authz::{Action, Authorized};
use crate::clock::UnixTime;
use crate::error::IamError;
use crate::principal::Principal;
use crate::service::Iam;
use crate::service::authorization::effective_policies;
use crate::service::common::{PolicyRef, resolve_policy, target_entity};
use crate::store::access_records::{self, AccessRow, Accessors};
use crate::store::attachments::{self, Holder};
use crate::store::group_inline_policies;
use crate::store::policies::versions;

/// How far back the Access Advisor reports, as in AWS.
pub const TRACKING_PERIOD_DAYS: i64 = 400;

/// One service an entity's policies allow, and its use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceAccess {
    /// The action prefix, e.g. `s3`.
    pub service: String,
    /// The display name, e.g. `Amazon S3`.
    pub service_name: String,
    /// The policies that allow it, as the entity's permissions list them.
    pub policies: Vec<String>,
    /// The last attempt, allowed or denied; `None`: "Not accessed in the tracking period".
    pub last_accessed_at: Option<UnixTime>,
    /// Who made that attempt (a user name), for group and policy reports.
    pub last_accessed_by: Option<String>,
    pub attempts: u64,
    /// How many users accessed it while the group or policy applied to them (AWS's
    /// `TotalAuthenticatedEntities`); in a user's report 1 when accessed, else 0.
    pub entities_accessed: u64,
    /// The actions of this service that were tried, most recent first.
    pub actions: Vec<ActionAccess>,
}

/// One action's use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionAccess {
    /// `service:Name`, e.g. `iam:ListUsers`.
    pub action: String,
    pub last_accessed_at: UnixTime,
    pub last_allowed_at: Option<UnixTime>,
    pub last_accessed_by: String,
    pub attempts: u64,
    /// How many users tried it while the group or policy applied to them; 1 in a user's report.
    pub entities_accessed: u64,
}

impl Iam {
    /// The Access Advisor report for the user, group or policy whose ARN the proof names.
    ///
    /// **Permissions**: `iam:GenerateServiceLastAccessedDetails` on the entity's ARN.
    ///
    /// Accesses before the tracking period ([`TRACKING_PERIOD_DAYS`] before `now`) are left out,
    /// so such a service reads "Not accessed in the tracking period".
    pub async fn service_last_accessed(
        &self,
        auth: &Authorized,
        now: UnixTime,
    ) -> Result<Vec<ServiceAccess>, IamError> {
        auth.require(Action::GenerateServiceLastAccessedDetails)?;
        self.flush_access_records().await?;
        let account_id = auth.principal().account_id().clone();
        let mut conn = self.store().pool().acquire().await?;
        let resource = auth.resource();
        let (policies, accessors) = if arn::parse(resource, &account_id, Kind::User).is_some() {
            let user = target_entity(&mut conn, auth, Kind::User).await?;
            let principal = Principal::User {
                account_id: account_id.clone(),
                user_id: user.id.clone(),
                name: user.name,
                path: user.path,
            };
            let policies = effective_policies(&mut conn, &principal)
                .await?
                .into_iter()
                .map(|p| (display_name(&p.name), p.document))
                .collect();
            (policies, Accessors::User(user.id))
        } else if arn::parse(resource, &account_id, Kind::Group).is_some() {
            let group = target_entity(&mut conn, auth, Kind::Group).await?;
            let policies = group_policies(&mut conn, &account_id, &group.id).await?;
            (policies, Accessors::GroupMembers(group.id))
        } else {
            let policy = resolve_policy(&mut conn, &account_id, resource).await?;
            let document = policy_document(&mut conn, &policy).await?;
            let name = display_name(resource);
            (
                vec![(name, document)],
                Accessors::PolicyEntities {
                    account_id: account_id.as_str().to_owned(),
                    arn: resource.to_owned(),
                },
            )
        };
        let allowed = allowed_services(&policies);
        let since = now.as_secs() - TRACKING_PERIOD_DAYS * 86_400;
        let (services, actions) = access_records::rows(&mut conn, &accessors, since).await?;
        Ok(report(allowed, services, actions))
    }
}

/// The name a report shows for a managed policy ARN (its last segment) or an inline policy.
fn display_name(name: &str) -> String {
    if name.starts_with("arn:") {
        name.rsplit('/').next().unwrap_or(name).to_owned()
    } else {
        name.to_owned()
    }
}

pub(crate) async fn policy_document(
    conn: &mut AnyConnection,
    policy: &PolicyRef,
) -> Result<String, IamError> {
    match policy {
        PolicyRef::Aws(aws) => Ok(aws.document.to_owned()),
        PolicyRef::Customer(row) => versions::default_document(conn, row).await,
    }
}

/// A group's attached and inline policies, as `(name, document)`.
async fn group_policies(
    conn: &mut AnyConnection,
    account_id: &crate::account::AccountId,
    group_id: &str,
) -> Result<Vec<(String, String)>, IamError> {
    let arns = attachments::list(conn, Holder::Group, group_id).await?;
    let mut policies = Vec::with_capacity(arns.len());
    for arn in arns {
        match resolve_policy(conn, account_id, &arn).await {
            Ok(policy) => {
                policies.push((display_name(&arn), policy_document(conn, &policy).await?))
            }
            // Deleting a policy detaches it; a dangling attachment grants nothing.
            Err(e) if e.kind() == crate::error::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    let inline = group_inline_policies::list(conn, group_id).await?;
    policies.extend(inline.into_iter().map(|p| (p.name, p.document)));
    Ok(policies)
}

/// service prefix -> (display name, names of the policies that allow some of its actions).
fn allowed_services(policies: &[(String, String)]) -> BTreeMap<String, (String, Vec<String>)> {
    let mut services: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
    for (name, document) in policies {
        for (prefix, service_name) in services_allowed_by(document).iter() {
            let entry = services
                .entry(prefix.clone())
                .or_insert_with(|| (service_name.clone(), Vec::new()));
            if !entry.1.contains(name) {
                entry.1.push(name.clone());
            }
        }
    }
    services
}

type AllowedServices = std::sync::Arc<Vec<(String, String)>>;

/// The (prefix, display name) of the services a document allows. Summarizing a broad policy
/// expands its patterns over the whole catalog, which costs more than the report's queries, so
/// the answer is kept per document text (policy versions never change once written).
fn services_allowed_by(document: &str) -> AllowedServices {
    use std::sync::{Mutex, OnceLock, PoisonError};
    /// Enough for every policy in use; beyond it the memo starts over.
    const MAX_MEMO: usize = 4096;
    static MEMO: OnceLock<Mutex<HashMap<String, AllowedServices>>> = OnceLock::new();
    let memo = MEMO.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(hit) = memo
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(document)
    {
        return hit.clone();
    }
    let allowed: Vec<(String, String)> = match policy::parse(document) {
        Ok(parsed) => policy::catalog::summarize(&parsed)
            .allowed
            .into_iter()
            .map(|s| (s.prefix, s.name))
            .collect(),
        Err(_) => Vec::new(),
    };
    let allowed = std::sync::Arc::new(allowed);
    let mut memo = memo.lock().unwrap_or_else(PoisonError::into_inner);
    if memo.len() >= MAX_MEMO {
        memo.clear();
    }
    memo.insert(document.to_owned(), allowed.clone());
    allowed
}

fn report(
    allowed: BTreeMap<String, (String, Vec<String>)>,
    services: Vec<AccessRow>,
    actions: Vec<AccessRow>,
) -> Vec<ServiceAccess> {
    // (last accessed, by, attempts, users who accessed); one row per service and entity.
    let mut by_service: HashMap<String, (i64, String, i64, i64)> = HashMap::new();
    for row in services {
        let entry = by_service.entry(row.key).or_insert((
            row.last_accessed_at,
            row.user_name.clone(),
            0,
            0,
        ));
        if row.last_accessed_at > entry.0 {
            entry.0 = row.last_accessed_at;
            entry.1 = row.user_name;
        }
        entry.2 += row.attempts;
        entry.3 += row.accessors;
    }
    let mut by_action: BTreeMap<String, ActionAccess> = BTreeMap::new();
    for row in actions {
        let attempts = u64::try_from(row.attempts).unwrap_or(0);
        let accessors = u64::try_from(row.accessors).unwrap_or(0);
        let entry = by_action
            .entry(row.key.clone())
            .or_insert_with(|| ActionAccess {
                action: row.key.clone(),
                last_accessed_at: UnixTime::from_secs(row.last_accessed_at),
                last_allowed_at: None,
                last_accessed_by: row.user_name.clone(),
                attempts: 0,
                entities_accessed: 0,
            });
        if row.last_accessed_at > entry.last_accessed_at.as_secs() {
            entry.last_accessed_at = UnixTime::from_secs(row.last_accessed_at);
            entry.last_accessed_by = row.user_name;
        }
        entry.last_allowed_at = entry
            .last_allowed_at
            .max(row.last_allowed_at.map(UnixTime::from_secs));
        entry.attempts += attempts;
        entry.entities_accessed += accessors;
    }
    let mut actions_of: HashMap<String, Vec<ActionAccess>> = HashMap::new();
    for action in by_action.into_values() {
        let prefix = action
            .action
            .split(':')
            .next()
            .unwrap_or_default()
            .to_owned();
        actions_of.entry(prefix).or_default().push(action);
    }
    let mut report: Vec<ServiceAccess> = allowed
        .into_iter()
        .map(|(prefix, (service_name, policies))| {
            let used = by_service.get(&prefix);
            let mut actions = actions_of.remove(&prefix).unwrap_or_default();
            actions.sort_by_key(|a| std::cmp::Reverse(a.last_accessed_at));
            ServiceAccess {
                service_name,
                policies,
                last_accessed_at: used.map(|u| UnixTime::from_secs(u.0)),
                last_accessed_by: used.map(|u| u.1.clone()),
                attempts: used.map_or(0, |u| u64::try_from(u.2).unwrap_or(0)),
                entities_accessed: used.map_or(0, |u| u64::try_from(u.3).unwrap_or(0)),
                actions,
                service: prefix,
            }
        })
        .collect();
    // Used services first, most recent first; then the rest by name, as the IAM console sorts.
    report.sort_by(|a, b| {
        b.last_accessed_at
            .cmp(&a.last_accessed_at)
            .then_with(|| a.service_name.cmp(&b.service_name))
    });
    report
}
