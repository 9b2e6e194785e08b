//! Deleting a user after the name is typed again.

use leptos::prelude::*;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::AuthorizeHere as _;

/// Deletes a user with their group memberships, policies, tags, password, access keys and
/// sessions, once `confirm` repeats the user name.
///
/// **Permissions**: `iam:DeleteUser` on the user.
#[server(prefix = "/api", endpoint = "delete_user")]
pub async fn delete_user(name: String, confirm: String) -> Result<(), AppError> {
    use crate::api::groups::{finish, url_encode};
    use crate::ssr;
    let result = async {
        if confirm.trim() != name {
            return Err(AppError::invalid(
                "confirm",
                format!("type the user name `{name}` to confirm the deletion"),
            ));
        }
        let session = ssr::session()?;
        let iam = ssr::state()?.iam;
        let arn = iam.user_arn(&name).await?;
        let auth = iam
            .authorize_here(&session.principal, iam::Action::DeleteUser, &arn)
            .await?;
        iam.delete_user(&auth, &ssr::request_meta(), iam::UnixTime::now())
            .await?;
        Ok(format!("/users?deleted={}", url_encode(&name)))
    };
    finish::<DeleteUser>(result.await, Some(("/users/delete", &[("name", &name)])))
}
