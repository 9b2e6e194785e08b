//! A group's members: adding users and removing one.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{dedup, details_url, finish};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::AuthorizeHere as _;

/// Adds users to a group.
///
/// **Permissions**: `iam:AddUserToGroup` on the group.
#[server(prefix = "/api", endpoint = "add_group_members")]
pub async fn add_group_members(
    name: String,
    #[server(default)] user_names: Vec<String>,
) -> Result<(), AppError> {
    use crate::ssr;
    let user_names = dedup(user_names);
    let result = async {
        if user_names.is_empty() {
            return Err(AppError::invalid("user_names", "choose at least one user"));
        }
        let session = ssr::session()?;
        let iam = ssr::state()?.iam;
        let arn = iam.group_arn(&name).await?;
        let auth = iam
            .authorize_here(&session.principal, iam::Action::AddUserToGroup, &arn)
            .await?;
        for user in &user_names {
            iam.add_user_to_group(&auth, user, &ssr::request_meta(), iam::UnixTime::now())
                .await?;
        }
        Ok(details_url(&name, Some("users"), None))
    };
    let mut pairs = vec![("name", name.as_str())];
    pairs.extend(user_names.iter().map(|u| ("user_names[]", u.as_str())));
    finish::<AddGroupMembers>(result.await, Some(("/groups/add-users", &pairs)))
}

/// Removes a user from a group.
///
/// **Permissions**: `iam:RemoveUserFromGroup` on the group.
#[server(prefix = "/api", endpoint = "remove_group_member")]
pub async fn remove_group_member(name: String, user_name: String) -> Result<(), AppError> {
    use crate::ssr;
    let result = async {
        let session = ssr::session()?;
        let iam = ssr::state()?.iam;
        let arn = iam.group_arn(&name).await?;
        let auth = iam
            .authorize_here(&session.principal, iam::Action::RemoveUserFromGroup, &arn)
            .await?;
        iam.remove_user_from_group(
            &auth,
            &user_name,
            &ssr::request_meta(),
            iam::UnixTime::now(),
        )
        .await?;
        Ok(details_url(&name, Some("users"), None))
    };
    finish::<RemoveGroupMember>(result.await, None)
}
