//! Managed policies: the AWS managed library (read-only, in memory) and the
//! account's customer managed policies with versions and tags.

use std::collections::HashSet;
use std::sync::OnceLock;

use serde_json::json;
use sqlx::AnyConnection;

mod list;
mod versions;

use super::Iam;
use super::common::{
    PolicyRef, PolicyRow, load_tags, lock_row, name_taken, new_id, record, require_resource,
    resolve_policy, tags_json, upsert_tags,
};
use crate::arn::{self, Kind};
use crate::authz::{Action, Authorized};
use crate::clock::UnixTime;
use crate::error::IamError;
use crate::event::RequestMeta;
use crate::rules::{self, NameKind};
use crate::store::Inserted;
use crate::store::attachments::{self, HolderName};
use crate::store::policies::{self, NewPolicyRow};
use crate::store::tags;
use crate::types::{
    EntityRef, NewPolicy, PolicyDetails, PolicyEntities, PolicyType, PolicyVersionInfo, Tag,
};

/// The AWS managed policies' lowercase names with their index in
/// `policy::managed::all()`, sorted: built once, searched per request.
fn managed_index() -> &'static [(String, usize)] {
    static INDEX: OnceLock<Vec<(String, usize)>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index: Vec<(String, usize)> = policy::managed::all()
            .iter()
            .enumerate()
            .map(|(i, p)| (p.name.to_lowercase(), i))
            .collect();
        index.sort();
        index
    })
}

/// `v3` -> 3.
fn parse_version_id(version_id: &str) -> Option<i64> {
    let digits = version_id.strip_prefix('v')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.starts_with('0') {
        return None;
    }
    digits.parse().ok()
}

fn version_not_found(version_id: &str) -> IamError {
    IamError::NotFound {
        what: "policy version",
        name: version_id.to_owned(),
    }
}

fn read_only(arn: &str) -> IamError {
    IamError::validation(
        "policy_arn",
        format!(
            "the policy `{arn}` is AWS managed and read-only; create a customer managed policy from its document to change it"
        ),
    )
}

/// The customer managed policy a write's proof names, locked for the
/// transaction; AWS managed policies are refused as read-only.
async fn customer_target(
    conn: &mut AnyConnection,
    auth: &Authorized,
) -> Result<PolicyRow, IamError> {
    let account_id = auth.principal().account_id();
    let row = match resolve_policy(conn, account_id, auth.resource()).await? {
        PolicyRef::Customer(row) => row,
        PolicyRef::Aws(p) => return Err(read_only(&p.arn)),
    };
    // Lock the row (PostgreSQL), then read it again: concurrent writes to one
    // policy queue up, and an attach running meanwhile either is seen by
    // `delete_policy` or finds the policy gone.
    lock_row(conn, Kind::Policy, &row.id).await?;
    match resolve_policy(conn, account_id, auth.resource()).await? {
        PolicyRef::Customer(row) => Ok(row),
        PolicyRef::Aws(p) => Err(read_only(&p.arn)),
    }
}

async fn version_exists(
    conn: &mut AnyConnection,
    policy_id: &str,
    version: i64,
) -> Result<bool, IamError> {
    Ok(policies::versions::find(conn, policy_id, version)
        .await?
        .is_some())
}

async fn load_details(
    conn: &mut AnyConnection,
    account_id: &crate::account::AccountId,
    target: &PolicyRef,
) -> Result<PolicyDetails, IamError> {
    match target {
        PolicyRef::Aws(p) => Ok(PolicyDetails {
            arn: p.arn.clone(),
            name: p.name.to_owned(),
            path: p.path.to_owned(),
            policy_type: PolicyType::AwsManaged,
            description: p.description.map(str::to_owned),
            created_at: None,
            updated_at: None,
            default_version_id: p.version_id.to_owned(),
            document: p.document.to_owned(),
            versions: vec![PolicyVersionInfo {
                version_id: p.version_id.to_owned(),
                is_default: true,
                created_at: None,
            }],
            attachment_count: attachments::count_for(conn, &p.arn).await?,
            tags: Vec::new(),
        }),
        PolicyRef::Customer(row) => {
            let arn = arn::build(account_id, Kind::Policy, &row.path, &row.name);
            let listed = policies::versions::list(conn, &row.id).await?;
            let document = policies::versions::default_document(conn, row).await?;
            Ok(PolicyDetails {
                attachment_count: attachments::count_for(conn, &arn).await?,
                tags: load_tags(conn, &row.id).await?,
                arn,
                name: row.name.clone(),
                path: row.path.clone(),
                policy_type: PolicyType::CustomerManaged,
                description: row.description.clone(),
                created_at: Some(UnixTime::from_secs(row.created_at)),
                updated_at: Some(UnixTime::from_secs(row.updated_at)),
                default_version_id: format!("v{}", row.default_version),
                document,
                versions: listed
                    .into_iter()
                    .map(|v| PolicyVersionInfo {
                        version_id: format!("v{}", v.version),
                        is_default: v.version == row.default_version,
                        created_at: Some(UnixTime::from_secs(v.created_at)),
                    })
                    .collect(),
            })
        }
    }
}

impl Iam {
    /// `arn:aws:iam::<account>:policy<path><name>` (path `None` is `/`),
    /// without a lookup or checks: for the proof of `CreatePolicy`.
    pub async fn policy_arn_for(&self, path: Option<&str>, name: &str) -> Result<String, IamError> {
        let account = self.store().account().await?;
        let path = path.filter(|p| !p.is_empty()).unwrap_or("/");
        Ok(arn::build(&account.id, Kind::Policy, path, name))
    }

    /// Creates a customer managed policy with its document as the default
    /// version `v1`.
    ///
    /// **Permissions**: `iam:CreatePolicy` on the new policy's ARN
    /// ([`Iam::policy_arn_for`]).
    pub async fn create_policy(
        &self,
        auth: &Authorized,
        new: NewPolicy,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<PolicyDetails, IamError> {
        auth.require(Action::CreatePolicy)?;
        rules::name(NameKind::Policy, &new.name)?;
        let path = rules::path(new.path.as_deref())?;
        let description = rules::description(new.description.as_deref())?;
        rules::tags(&new.tags)?;
        rules::document(&new.document, rules::MAX_MANAGED_POLICY_CHARS)?;
        let account_id = auth.principal().account_id();
        let arn = arn::build(account_id, Kind::Policy, &path, &new.name);
        require_resource(auth, &arn)?;

        let id = new_id("ANPA");
        let mut tx = self.store().begin_write().await?;
        let new_row = NewPolicyRow {
            id: &id,
            account: account_id,
            name: &new.name,
            path: &path,
            description: description.as_deref(),
            now,
        };
        if policies::insert(&mut tx, &new_row).await? == Inserted::NameTaken {
            return Err(name_taken("policy", &new.name));
        }
        policies::versions::insert(&mut tx, &id, 1, &new.document, now).await?;
        upsert_tags(&mut tx, account_id, &id, &new.tags).await?;
        let mut params = json!({
            "policyName": new.name,
            "path": path,
            "policyDocument": new.document,
        });
        if let Some(d) = &description {
            params["description"] = json!(d);
        }
        if !new.tags.is_empty() {
            params["tags"] = tags_json(&new.tags);
        }
        record(&mut tx, auth, Action::CreatePolicy, params, &arn, meta, now).await?;
        let row = PolicyRow {
            id,
            name: new.name,
            path,
            description,
            created_at: now.as_secs(),
            updated_at: now.as_secs(),
            default_version: 1,
        };
        let details = load_details(&mut tx, account_id, &PolicyRef::Customer(row)).await?;
        tx.commit().await?;
        Ok(details)
    }

    /// The policy the proof names, AWS or customer managed.
    ///
    /// **Permissions**: `iam:GetPolicy` on the policy's ARN.
    pub async fn get_policy(&self, auth: &Authorized) -> Result<PolicyDetails, IamError> {
        auth.require(Action::GetPolicy)?;
        let account_id = auth.principal().account_id();
        let mut conn = self.store().pool().acquire().await?;
        let target = resolve_policy(&mut conn, account_id, auth.resource()).await?;
        load_details(&mut conn, account_id, &target).await
    }

    /// Deletes a customer managed policy, first detaching it from every group
    /// and user (a `DetachGroupPolicy`/`DetachUserPolicy` event each).
    ///
    /// **Permissions**: `iam:DeletePolicy` on the policy's ARN.
    pub async fn delete_policy(
        &self,
        auth: &Authorized,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<(), IamError> {
        auth.require(Action::DeletePolicy)?;
        let mut tx = self.store().begin_write().await?;
        let row = customer_target(&mut tx, auth).await?;
        let arn = auth.resource().to_owned();
        let holders = attachments::holders_of(&mut tx, &arn).await?;
        for group in &holders.groups {
            let params = json!({ "groupName": group.name, "policyArn": arn });
            record(
                &mut tx,
                auth,
                Action::DetachGroupPolicy,
                params,
                &arn,
                meta,
                now,
            )
            .await?;
        }
        for user in &holders.users {
            let params = json!({ "userName": user.name, "policyArn": arn });
            record(
                &mut tx,
                auth,
                Action::DetachUserPolicy,
                params,
                &arn,
                meta,
                now,
            )
            .await?;
        }
        crate::store::cascade::delete_policy(&mut tx, auth.principal().account_id(), &row.id, &arn)
            .await?;
        let params = json!({ "policyArn": arn });
        record(&mut tx, auth, Action::DeletePolicy, params, &arn, meta, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds tags to a customer managed policy, overwriting the values of keys
    /// it has (compared ignoring case). At most 50 tags in all.
    ///
    /// **Permissions**: `iam:TagPolicy` on the policy's ARN.
    pub async fn tag_policy(
        &self,
        auth: &Authorized,
        tags: Vec<Tag>,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<(), IamError> {
        auth.require(Action::TagPolicy)?;
        rules::tags(&tags)?;
        let mut tx = self.store().begin_write().await?;
        let row = customer_target(&mut tx, auth).await?;
        let existing = load_tags(&mut tx, &row.id).await?;
        let keys: HashSet<String> = existing
            .iter()
            .chain(&tags)
            .map(|t| t.key.to_lowercase())
            .collect();
        if keys.len() > rules::MAX_TAGS {
            return Err(rules::too_many_tags("policy", keys.len()));
        }
        upsert_tags(&mut tx, auth.principal().account_id(), &row.id, &tags).await?;
        policies::touch(&mut tx, &row.id, now).await?;
        let arn = auth.resource().to_owned();
        let params = json!({ "policyArn": arn, "tags": tags_json(&tags) });
        record(&mut tx, auth, Action::TagPolicy, params, &arn, meta, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes the tags with these keys (compared ignoring case); keys the
    /// policy does not have are ignored.
    ///
    /// **Permissions**: `iam:UntagPolicy` on the policy's ARN.
    pub async fn untag_policy(
        &self,
        auth: &Authorized,
        keys: Vec<String>,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<(), IamError> {
        auth.require(Action::UntagPolicy)?;
        let mut tx = self.store().begin_write().await?;
        let row = customer_target(&mut tx, auth).await?;
        tags::delete_keys(&mut tx, auth.principal().account_id(), &row.id, &keys).await?;
        policies::touch(&mut tx, &row.id, now).await?;
        let arn = auth.resource().to_owned();
        let params = json!({ "policyArn": arn, "tagKeys": keys });
        record(&mut tx, auth, Action::UntagPolicy, params, &arn, meta, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The groups and users the policy is attached to, sorted by name.
    ///
    /// **Permissions**: `iam:ListEntitiesForPolicy` on the policy's ARN.
    pub async fn list_entities_for_policy(
        &self,
        auth: &Authorized,
    ) -> Result<PolicyEntities, IamError> {
        auth.require(Action::ListEntitiesForPolicy)?;
        let account_id = auth.principal().account_id();
        let mut conn = self.store().pool().acquire().await?;
        resolve_policy(&mut conn, account_id, auth.resource()).await?;
        let arn = auth.resource().to_owned();
        let holders = attachments::holders_of(&mut conn, &arn).await?;
        let refs = |rows: Vec<HolderName>, kind| {
            rows.into_iter()
                .map(|h| EntityRef {
                    arn: arn::build(account_id, kind, &h.path, &h.name),
                    name: h.name,
                })
                .collect()
        };
        Ok(PolicyEntities {
            groups: refs(holders.groups, Kind::Group),
            users: refs(holders.users, Kind::User),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_ids() {
        assert_eq!(parse_version_id("v1"), Some(1));
        assert_eq!(parse_version_id("v12"), Some(12));
        for bad in ["", "v", "1", "v01", "v-1", "V1", "v1a"] {
            assert_eq!(parse_version_id(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_managed_index_is_sorted_and_complete() {
        let index = managed_index();
        assert_eq!(index.len(), policy::managed::all().len());
        assert!(index.windows(2).all(|w| w[0] <= w[1]));
    }
}
