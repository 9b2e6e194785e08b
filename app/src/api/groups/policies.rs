//! A group's policies: attaching managed policies, detaching one, and its inline policies.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{MAX_GROUP_POLICIES, dedup, details_url, finish};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::AuthorizeHere as _;

/// Attaches managed policies to a group (at most 10 in all).
///
/// **Permissions**: `iam:GetGroup` and `iam:AttachGroupPolicy` on the group.
#[server(prefix = "/api", endpoint = "attach_group_policies")]
pub async fn attach_group_policies(
    name: String,
    #[server(default)] policy_arns: Vec<String>,
) -> Result<(), AppError> {
    use crate::ssr;
    let policy_arns = dedup(policy_arns);
    let result = async {
        if policy_arns.is_empty() {
            return Err(AppError::invalid(
                "policy_arns",
                "choose at least one policy",
            ));
        }
        let session = ssr::session()?;
        let iam = ssr::state()?.iam;
        let arn = iam.group_arn(&name).await?;
        // Refuse the whole choice up front rather than attach some and stop at the quota.
        let get = iam
            .authorize_here(&session.principal, iam::Action::GetGroup, &arn)
            .await?;
        let attached = iam.get_group(&get).await?.attached_policies;
        let new = policy_arns
            .iter()
            .filter(|a| !attached.iter().any(|p| &p.arn == *a))
            .count();
        if attached.len() + new > MAX_GROUP_POLICIES {
            return Err(AppError::invalid(
                "policy_arns",
                format!(
                    "a user group can have at most {MAX_GROUP_POLICIES} managed policies; \
                     `{name}` has {} and you chose {new} more",
                    attached.len()
                ),
            ));
        }
        let auth = iam
            .authorize_here(&session.principal, iam::Action::AttachGroupPolicy, &arn)
            .await?;
        for policy_arn in &policy_arns {
            iam.attach_group_policy(
                &auth,
                policy_arn,
                &ssr::request_meta(),
                iam::UnixTime::now(),
            )
            .await?;
        }
        Ok(details_url(&name, Some("permissions"), None))
    };
    let mut pairs = vec![("name", name.as_str())];
    pairs.extend(policy_arns.iter().map(|a| ("policy_arns[]", a.as_str())));
    finish::<AttachGroupPolicies>(result.await, Some(("/groups/attach", &pairs)))
}

/// Detaches a managed policy from a group.
///
/// **Permissions**: `iam:DetachGroupPolicy` on the group.
#[server(prefix = "/api", endpoint = "detach_group_policy")]
pub async fn detach_group_policy(name: String, policy_arn: String) -> Result<(), AppError> {
    use crate::ssr;
    let result = async {
        let session = ssr::session()?;
        let iam = ssr::state()?.iam;
        let arn = iam.group_arn(&name).await?;
        let auth = iam
            .authorize_here(&session.principal, iam::Action::DetachGroupPolicy, &arn)
            .await?;
        iam.detach_group_policy(
            &auth,
            &policy_arn,
            &ssr::request_meta(),
            iam::UnixTime::now(),
        )
        .await?;
        Ok(details_url(&name, Some("permissions"), None))
    };
    finish::<DetachGroupPolicy>(result.await, None)
}

/// An inline policy's document.
///
/// **Permissions**: `iam:GetGroupPolicy` on the group.
#[server(prefix = "/api", endpoint = "get_group_inline_policy", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_group_inline_policy(
    name: String,
    policy_name: String,
) -> Result<String, AppError> {
    use crate::ssr;
    let session = ssr::session()?;
    let iam = ssr::state()?.iam;
    let arn = iam.group_arn(&name).await?;
    let auth = iam
        .authorize_here(&session.principal, iam::Action::GetGroupPolicy, &arn)
        .await?;
    Ok(iam.get_group_policy(&auth, &policy_name).await?.document)
}

/// Creates or replaces an inline policy of a group.
///
/// **Permissions**: `iam:PutGroupPolicy` on the group.
#[server(prefix = "/api", endpoint = "put_group_inline_policy")]
pub async fn put_group_inline_policy(
    name: String,
    policy_name: String,
    document: String,
    #[server(default)] editing: bool,
) -> Result<(), AppError> {
    use crate::ssr;
    let result = async {
        let session = ssr::session()?;
        let iam = ssr::state()?.iam;
        let arn = iam.group_arn(&name).await?;
        let auth = iam
            .authorize_here(&session.principal, iam::Action::PutGroupPolicy, &arn)
            .await?;
        iam.put_group_policy(
            &auth,
            policy_name.trim(),
            &document,
            &ssr::request_meta(),
            iam::UnixTime::now(),
        )
        .await?;
        Ok::<_, AppError>(details_url(&name, Some("permissions"), None))
    };
    let mut pairs = vec![
        ("name", name.as_str()),
        ("policy_name", policy_name.as_str()),
        ("document", document.as_str()),
    ];
    if editing {
        pairs.push(("editing", "true"));
    }
    finish::<PutGroupInlinePolicy>(result.await, Some(("/groups/inline", &pairs)))
}

/// Deletes an inline policy of a group.
///
/// **Permissions**: `iam:DeleteGroupPolicy` on the group.
#[server(prefix = "/api", endpoint = "delete_group_inline_policy")]
pub async fn delete_group_inline_policy(name: String, policy_name: String) -> Result<(), AppError> {
    use crate::ssr;
    let result = async {
        let session = ssr::session()?;
        let iam = ssr::state()?.iam;
        let arn = iam.group_arn(&name).await?;
        let auth = iam
            .authorize_here(&session.principal, iam::Action::DeleteGroupPolicy, &arn)
            .await?;
        iam.delete_group_policy(
            &auth,
            &policy_name,
            &ssr::request_meta(),
            iam::UnixTime::now(),
        )
        .await?;
        Ok(details_url(&name, Some("permissions"), None))
    };
    finish::<DeleteGroupInlinePolicy>(result.await, None)
}
