//! Managed policies: list, import, create, versions, tags, attachments and deletion.
//!
//! Each function authorizes the caller for the policy it acts on and calls `iam`, which validates
//! every input (names, descriptions, tags, the policy document with `policy::validate`) and
//! records the event.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

mod document_text;
mod drafts;
mod entities;
mod versions;

pub use document_text::{pretty_json, readable_document};
pub use drafts::*;
pub use entities::*;
pub use versions::*;

pub use crate::api::url::url_encode;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::AuthorizeHere as _;

/// Rows per page of the policy list.
pub const PAGE_SIZE: u32 = 25;

/// A tag on a policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagPair {
    pub key: String,
    pub value: String,
}

/// One row of the Policies table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyRow {
    pub arn: String,
    pub name: String,
    pub aws_managed: bool,
    /// "Used as": how many groups and users it is attached to.
    pub attachment_count: u32,
    pub description: Option<String>,
    /// Seconds since the epoch; `None` for AWS managed policies.
    pub created_at: Option<i64>,
}

/// One page of the Policies table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyList {
    pub items: Vec<PolicyRow>,
    /// Policies matching the filter, over all pages.
    pub total: u64,
    /// The 1-based page shown.
    pub page: u32,
    pub page_size: u32,
}

/// A version of a policy, without its document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionRow {
    pub version_id: String,
    pub is_default: bool,
    pub created_at: Option<i64>,
}

/// Everything the policy details page shows about a policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyView {
    pub arn: String,
    pub name: String,
    pub path: String,
    pub aws_managed: bool,
    pub description: Option<String>,
    pub created_at: Option<i64>,
    pub updated_at: Option<i64>,
    pub default_version_id: String,
    /// The default version's document, indented for reading.
    pub document: String,
    /// Newest first.
    pub versions: Vec<VersionRow>,
    pub attachment_count: u32,
    pub tags: Vec<TagPair>,
}

/// A group or user a policy is attached to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityRow {
    pub name: String,
    pub arn: String,
}

/// The entities a policy is attached to, and those it could be attached to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyEntitiesView {
    pub groups: Vec<EntityRow>,
    pub users: Vec<EntityRow>,
    /// Groups and users it is not attached to (first 100 of each).
    pub other_groups: Vec<String>,
    pub other_users: Vec<String>,
}

/// One AWS managed policy in the Import managed policies dialog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagedPolicyRow {
    pub name: String,
    pub arn: String,
}

#[cfg(feature = "ssr")]
mod convert {
    use super::*;

    pub fn tag(t: iam::Tag) -> TagPair {
        TagPair {
            key: t.key,
            value: t.value,
        }
    }

    pub fn row(p: iam::PolicyListItem) -> PolicyRow {
        PolicyRow {
            arn: p.arn,
            name: p.name,
            aws_managed: p.policy_type == iam::PolicyType::AwsManaged,
            attachment_count: p.attachment_count,
            description: p.description,
            created_at: p.created_at.map(|t| t.as_secs()),
        }
    }

    pub fn view(p: iam::PolicyDetails) -> PolicyView {
        PolicyView {
            aws_managed: p.policy_type == iam::PolicyType::AwsManaged,
            document: readable_document(&p.document),
            arn: p.arn,
            name: p.name,
            path: p.path,
            description: p.description,
            created_at: p.created_at.map(|t| t.as_secs()),
            updated_at: p.updated_at.map(|t| t.as_secs()),
            default_version_id: p.default_version_id,
            versions: p
                .versions
                .into_iter()
                .map(|v| VersionRow {
                    version_id: v.version_id,
                    is_default: v.is_default,
                    created_at: v.created_at.map(|t| t.as_secs()),
                })
                .collect(),
            attachment_count: p.attachment_count,
            tags: p.tags.into_iter().map(tag).collect(),
        }
    }

    /// Tags from the create form's hidden `tags` field (a JSON list of `{key, value}`).
    pub fn tags_from_json(tags: &str) -> Result<Vec<iam::Tag>, AppError> {
        if tags.trim().is_empty() {
            return Ok(Vec::new());
        }
        let pairs: Vec<TagPair> =
            serde_json::from_str(tags).map_err(|_| iam::IamError::Validation {
                field: "tags",
                message: "the tags are not readable; add them again".to_owned(),
            })?;
        Ok(pairs
            .into_iter()
            .map(|t| iam::Tag {
                key: t.key,
                value: t.value,
            })
            .collect())
    }

    pub fn optional(text: Option<String>) -> Option<String> {
        text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
    }
}

/// One page of the Policies table, filtered by a name substring and the type
/// (`all`, `aws`, `customer`).
///
/// **Permissions**: `iam:ListPolicies` on `*`.
#[server(prefix = "/api", endpoint = "list_policies", input = GetUrl)]
pub async fn list_policies(
    query: String,
    policy_type: String,
    page: u32,
) -> Result<PolicyList, AppError> {
    use crate::ssr;
    let session = ssr::session()?;
    let state = ssr::state()?;
    let auth = state
        .iam
        .authorize_here(&session.principal, iam::Action::ListPolicies, "*")
        .await?;
    let scope = match policy_type.as_str() {
        "aws" => iam::PolicyScope::AwsManaged,
        "customer" => iam::PolicyScope::CustomerManaged,
        _ => iam::PolicyScope::All,
    };
    let page = page.max(1);
    let result = state
        .iam
        .list_policies(
            &auth,
            &iam::PolicyFilter {
                query: query.trim().to_owned(),
                scope,
                offset: (page - 1).saturating_mul(PAGE_SIZE),
                limit: PAGE_SIZE,
            },
        )
        .await?;
    Ok(PolicyList {
        items: result.items.into_iter().map(convert::row).collect(),
        total: result.total,
        page,
        page_size: PAGE_SIZE,
    })
}

/// AWS managed policies whose name contains `query`, for the Import managed policies dialog.
///
/// **Permissions**: `iam:ListPolicies` on `*`.
#[server(prefix = "/api", endpoint = "search_managed_policies", input = GetUrl)]
pub async fn search_managed_policies(query: String) -> Result<Vec<ManagedPolicyRow>, AppError> {
    use crate::ssr;
    let session = ssr::session()?;
    let state = ssr::state()?;
    let auth = state
        .iam
        .authorize_here(&session.principal, iam::Action::ListPolicies, "*")
        .await?;
    let result = state
        .iam
        .list_policies(
            &auth,
            &iam::PolicyFilter {
                query: query.trim().to_owned(),
                scope: iam::PolicyScope::AwsManaged,
                offset: 0,
                limit: 50,
            },
        )
        .await?;
    Ok(result
        .items
        .into_iter()
        .map(|p| ManagedPolicyRow {
            name: p.name,
            arn: p.arn,
        })
        .collect())
}

/// The default version's document of a policy, indented for the editor.
///
/// **Permissions**: `iam:GetPolicy` on the policy.
#[server(prefix = "/api", endpoint = "policy_document", input = GetUrl)]
pub async fn policy_document(arn: String) -> Result<String, AppError> {
    use crate::ssr;
    let session = ssr::session()?;
    let state = ssr::state()?;
    let auth = state
        .iam
        .authorize_here(&session.principal, iam::Action::GetPolicy, &arn)
        .await?;
    let policy = state.iam.get_policy(&auth).await?;
    Ok(readable_document(&policy.document))
}

/// A policy's details.
///
/// **Permissions**: `iam:GetPolicy` on the policy.
#[server(prefix = "/api", endpoint = "get_policy", input = GetUrl)]
pub async fn get_policy(arn: String) -> Result<PolicyView, AppError> {
    use crate::ssr;
    let session = ssr::session()?;
    let state = ssr::state()?;
    let auth = state
        .iam
        .authorize_here(&session.principal, iam::Action::GetPolicy, &arn)
        .await?;
    Ok(convert::view(state.iam.get_policy(&auth).await?))
}

/// Creates a customer managed policy (version v1) and goes to the Policies list.
///
/// `tags` is a JSON list of `{key, value}`, carried by the form between the wizard's steps.
///
/// **Permissions**: `iam:CreatePolicy` on the new policy's ARN.
#[server(prefix = "/api", endpoint = "create_policy")]
pub async fn create_policy(
    name: String,
    description: Option<String>,
    document: String,
    tags: Option<String>,
) -> Result<(), AppError> {
    use crate::ssr;
    let result = async {
        let session = ssr::session()?;
        let state = ssr::state()?;
        let name = name.trim().to_owned();
        let tags = convert::tags_from_json(tags.as_deref().unwrap_or_default())?;
        let arn = state.iam.policy_arn_for(None, &name).await?;
        let auth = state
            .iam
            .authorize_here(&session.principal, iam::Action::CreatePolicy, &arn)
            .await?;
        let created = state
            .iam
            .create_policy(
                &auth,
                iam::NewPolicy {
                    name,
                    path: None,
                    description: convert::optional(description.clone()),
                    document: document.clone(),
                    tags,
                },
                &ssr::request_meta(),
                iam::UnixTime::now(),
            )
            .await?;
        Ok(format!("/policies?created={}", url_encode(&created.name)))
    }
    .await;
    // A refused plain form goes back to the Review step with everything typed, and the error;
    // the document as a draft, since in the URL a large one gets 414.
    let draft = match &result {
        Err(_) if ssr::is_plain_form() => drafts::draft_for_return(&document).await,
        _ => None,
    };
    let mut review = vec![
        ("step", "review"),
        ("name", name.as_str()),
        ("description", description.as_deref().unwrap_or_default()),
    ];
    if let Some(id) = &draft {
        review.push(("draft", id.as_str()));
    }
    let typed_tags: Vec<TagPair> =
        serde_json::from_str(tags.as_deref().unwrap_or("[]")).unwrap_or_default();
    for tag in &typed_tags {
        review.extend([
            ("tag_key", tag.key.as_str()),
            ("tag_value", tag.value.as_str()),
        ]);
    }
    crate::api::groups::finish::<CreatePolicy>(result, Some(("/policies/create", &review)))
}

/// Deletes a customer managed policy after the person typed its name, detaching it everywhere.
///
/// **Permissions**: `iam:DeletePolicy` on the policy.
#[server(prefix = "/api", endpoint = "delete_policy")]
pub async fn delete_policy(arn: String, confirm: String) -> Result<(), AppError> {
    use crate::ssr;
    let session = ssr::session()?;
    let state = ssr::state()?;
    let auth = state
        .iam
        .authorize_here(&session.principal, iam::Action::DeletePolicy, &arn)
        .await?;
    let name = arn.rsplit('/').next().unwrap_or_default().to_owned();
    if confirm.trim() != name {
        // Through IamError, so that the answer gets its 400 status.
        return Err(iam::IamError::Validation {
            field: "confirm",
            message: format!("type the policy name `{name}` to confirm the deletion"),
        }
        .into());
    }
    state
        .iam
        .delete_policy(&auth, &ssr::request_meta(), iam::UnixTime::now())
        .await?;
    ssr::redirect(&format!("/policies?deleted={}", url_encode(&name)));
    Ok(())
}

/// Adds a tag to a policy, or changes the value of the tag with that key.
///
/// **Permissions**: `iam:TagPolicy` on the policy.
#[server(prefix = "/api", endpoint = "tag_policy")]
pub async fn tag_policy(arn: String, key: String, value: Option<String>) -> Result<(), AppError> {
    use crate::ssr;
    let session = ssr::session()?;
    let state = ssr::state()?;
    let auth = state
        .iam
        .authorize_here(&session.principal, iam::Action::TagPolicy, &arn)
        .await?;
    state
        .iam
        .tag_policy(
            &auth,
            vec![iam::Tag {
                key: key.trim().to_owned(),
                value: value.unwrap_or_default().trim().to_owned(),
            }],
            &ssr::request_meta(),
            iam::UnixTime::now(),
        )
        .await?;
    Ok(())
}

/// Removes a tag from a policy.
///
/// **Permissions**: `iam:UntagPolicy` on the policy.
#[server(prefix = "/api", endpoint = "untag_policy")]
pub async fn untag_policy(arn: String, key: String) -> Result<(), AppError> {
    use crate::ssr;
    let session = ssr::session()?;
    let state = ssr::state()?;
    let auth = state
        .iam
        .authorize_here(&session.principal, iam::Action::UntagPolicy, &arn)
        .await?;
    state
        .iam
        .untag_policy(&auth, vec![key], &ssr::request_meta(), iam::UnixTime::now())
        .await?;
    Ok(())
}
