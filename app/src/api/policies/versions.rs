//! Policy versions: read one, save a new default (deleting one when there are five), choose the
//! default, delete one.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

#[cfg(feature = "ssr")]
use super::{convert, readable_document, url_encode};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::AuthorizeHere as _;

/// The document of one version of a policy, indented for reading.
///
/// **Permissions**: `iam:GetPolicyVersion` on the policy.
#[server(prefix = "/api", endpoint = "get_policy_version", input = GetUrl)]
pub async fn get_policy_version(arn: String, version_id: String) -> Result<String, AppError> {
    use crate::ssr;
    let session = ssr::session()?;
    let state = ssr::state()?;
    let auth = state
        .iam
        .authorize_here(&session.principal, iam::Action::GetPolicyVersion, &arn)
        .await?;
    let version = state.iam.get_policy_version(&auth, &version_id).await?;
    Ok(readable_document(&version.document))
}

/// Saves an edited document as the policy's new default version, deleting `delete_version` first
/// when the policy already has 5 versions, and goes to the policy's details.
///
/// **Permissions**: `iam:CreatePolicyVersion` on the policy (and `iam:DeletePolicyVersion` when
/// deleting one).
#[server(prefix = "/api", endpoint = "create_policy_version")]
pub async fn create_policy_version(
    arn: String,
    document: String,
    delete_version: Option<String>,
) -> Result<(), AppError> {
    use crate::ssr;
    let session = ssr::session()?;
    let state = ssr::state()?;
    let delete_first = convert::optional(delete_version);
    if delete_first.is_some() {
        state
            .iam
            .authorize_here(&session.principal, iam::Action::DeletePolicyVersion, &arn)
            .await?;
    }
    let auth = state
        .iam
        .authorize_here(&session.principal, iam::Action::CreatePolicyVersion, &arn)
        .await?;
    state
        .iam
        .create_policy_version(
            &auth,
            &document,
            true,
            delete_first,
            &ssr::request_meta(),
            iam::UnixTime::now(),
        )
        .await?;
    ssr::redirect(&format!(
        "/policies/details?arn={}&tab=versions",
        url_encode(&arn)
    ));
    Ok(())
}

/// Makes a version the policy's default.
///
/// **Permissions**: `iam:SetDefaultPolicyVersion` on the policy.
#[server(prefix = "/api", endpoint = "set_default_policy_version")]
pub async fn set_default_policy_version(arn: String, version_id: String) -> Result<(), AppError> {
    use crate::ssr;
    let session = ssr::session()?;
    let state = ssr::state()?;
    let auth = state
        .iam
        .authorize_here(
            &session.principal,
            iam::Action::SetDefaultPolicyVersion,
            &arn,
        )
        .await?;
    state
        .iam
        .set_default_policy_version(
            &auth,
            &version_id,
            &ssr::request_meta(),
            iam::UnixTime::now(),
        )
        .await?;
    Ok(())
}

/// Deletes a version that is not the default.
///
/// **Permissions**: `iam:DeletePolicyVersion` on the policy.
#[server(prefix = "/api", endpoint = "delete_policy_version")]
pub async fn delete_policy_version(arn: String, version_id: String) -> Result<(), AppError> {
    use crate::ssr;
    let session = ssr::session()?;
    let state = ssr::state()?;
    let auth = state
        .iam
        .authorize_here(&session.principal, iam::Action::DeletePolicyVersion, &arn)
        .await?;
    state
        .iam
        .delete_policy_version(
            &auth,
            &version_id,
            &ssr::request_meta(),
            iam::UnixTime::now(),
        )
        .await?;
    Ok(())
}
