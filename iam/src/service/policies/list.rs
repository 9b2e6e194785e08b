//! Listing managed policies: the AWS managed library and the account's own, one page at a time.

use super::managed_index;
use crate::arn::{self, Kind};
use crate::authz::{Action, Authorized};
use crate::clock::UnixTime;
use crate::error::IamError;
use crate::rules;
use crate::service::Iam;
use crate::service::common::{PolicyRef, PolicyRow};
use crate::store::{attachments, policies};
use crate::types::{PolicyFilter, PolicyListItem, PolicyPage, PolicyScope};

impl Iam {
    /// One page of AWS and customer managed policies, sorted by name
    /// case-insensitively, `query` matching a substring of the name.
    ///
    /// **Permissions**: `iam:ListPolicies` on `*`.
    pub async fn list_policies(
        &self,
        auth: &Authorized,
        filter: &PolicyFilter,
    ) -> Result<PolicyPage, IamError> {
        auth.require(Action::ListPolicies)?;
        rules::limit(filter.limit)?;
        let account_id = auth.principal().account_id();
        let query = filter.query.trim().to_lowercase();
        let mut conn = self.store().pool().acquire().await?;

        let managed: Vec<(&str, usize)> = if filter.scope == PolicyScope::CustomerManaged {
            Vec::new()
        } else {
            managed_index()
                .iter()
                .filter(|(lower, _)| lower.contains(&query))
                .map(|(lower, i)| (lower.as_str(), *i))
                .collect()
        };
        let customer: Vec<(String, PolicyRow)> = if filter.scope == PolicyScope::AwsManaged {
            Vec::new()
        } else {
            let rows = policies::list_for_account(&mut conn, account_id).await?;
            let mut rows: Vec<(String, PolicyRow)> = rows
                .into_iter()
                .map(|r| (r.name.to_lowercase(), r))
                .filter(|(lower, _)| lower.contains(&query))
                .collect();
            rows.sort_by(|a, b| a.0.cmp(&b.0));
            rows
        };
        let total = managed.len() + customer.len();

        // Merge the two sorted lists, keeping only the page.
        let offset = usize::try_from(filter.offset).unwrap_or(usize::MAX);
        let limit = usize::try_from(filter.limit).unwrap_or(usize::MAX);
        let (mut m, mut c) = (0, 0);
        let mut page: Vec<PolicyRef> = Vec::new();
        let mut position = 0;
        while position < offset.saturating_add(limit) && (m < managed.len() || c < customer.len()) {
            let take_managed = match (managed.get(m), customer.get(c)) {
                (Some(a), Some(b)) => a.0 <= b.0.as_str(),
                (Some(_), None) => true,
                _ => false,
            };
            let item = if take_managed {
                m += 1;
                managed
                    .get(m - 1)
                    .and_then(|(_, i)| policy::managed::all().get(*i))
                    .map(PolicyRef::Aws)
            } else {
                c += 1;
                customer
                    .get(c - 1)
                    .map(|(_, r)| PolicyRef::Customer(r.clone()))
            };
            if position >= offset
                && let Some(item) = item
            {
                page.push(item);
            }
            position += 1;
        }

        let counts = if page.is_empty() {
            Default::default()
        } else {
            attachments::counts(&mut conn).await?
        };
        let items = page
            .into_iter()
            .map(|p| {
                let (arn, name, path, description, created_at) = match &p {
                    PolicyRef::Aws(a) => (
                        a.arn.clone(),
                        a.name.to_owned(),
                        a.path.to_owned(),
                        a.description.map(str::to_owned),
                        None,
                    ),
                    PolicyRef::Customer(r) => (
                        arn::build(account_id, Kind::Policy, &r.path, &r.name),
                        r.name.clone(),
                        r.path.clone(),
                        r.description.clone(),
                        Some(UnixTime::from_secs(r.created_at)),
                    ),
                };
                PolicyListItem {
                    attachment_count: counts.get(&arn).copied().unwrap_or(0),
                    arn,
                    name,
                    path,
                    policy_type: p.policy_type(),
                    description,
                    created_at,
                }
            })
            .collect();
        Ok(PolicyPage {
            items,
            total: total as u64,
        })
    }
}
