//! Sign-in, sign-out and the one-time root setup.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// Who is signed in, for the console's top bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    pub account_id: String,
    pub account_alias: Option<String>,
    /// "root" or the IAM user name.
    pub display_name: String,
    pub is_root: bool,
    /// The session may do nothing but change the password (see `/change-password`).
    pub must_change_password: bool,
}

/// Signs the root user in with email and password.
///
/// **Permissions**: none (public).
#[server(prefix = "/api", endpoint = "sign_in_root")]
pub async fn sign_in_root(
    email: String,
    password: String,
    redirect: Option<String>,
) -> Result<(), AppError> {
    use crate::ssr;
    let state = ssr::state()?;
    let previous = ssr::session_token();
    let signed_in = state
        .iam
        .sign_in_root(
            &email,
            &password,
            previous.as_deref(),
            &ssr::request_meta(),
            iam::UnixTime::now(),
        )
        .await?;
    ssr::set_session_cookie(Some(signed_in.token.as_str()))?;
    ssr::redirect(&ssr::safe_redirect(redirect.as_deref()));
    Ok(())
}

/// Signs an IAM user in with the account id or alias, user name and password.
///
/// **Permissions**: none (public).
#[server(prefix = "/api", endpoint = "sign_in_user")]
pub async fn sign_in_user(
    account: String,
    user_name: String,
    password: String,
    redirect: Option<String>,
) -> Result<(), AppError> {
    use crate::ssr;
    let state = ssr::state()?;
    let previous = ssr::session_token();
    let signed_in = state
        .iam
        .sign_in_user(
            account.trim(),
            user_name.trim(),
            &password,
            previous.as_deref(),
            &ssr::request_meta(),
            iam::UnixTime::now(),
        )
        .await?;
    ssr::set_session_cookie(Some(signed_in.token.as_str()))?;
    let target = ssr::safe_redirect(redirect.as_deref());
    if signed_in.session.state == iam::SessionState::PasswordChangeRequired {
        // The new password first; then on to where the user was going.
        ssr::redirect(&crate::api::password::change_password_url(&target));
    } else {
        ssr::redirect(&target);
    }
    Ok(())
}

/// Ends the caller's session.
///
/// **Permissions**: a session.
#[server(prefix = "/api", endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::ssr;
    let state = ssr::state()?;
    if let Some(token) = ssr::session_token() {
        state.iam.sign_out(&token).await?;
    }
    ssr::set_session_cookie(None)?;
    ssr::redirect("/signin");
    Ok(())
}

/// Whether a setup link can still be used.
///
/// **Permissions**: none (public); answers only yes or no.
#[server(prefix = "/api", endpoint = "setup_link_status", input = leptos::server_fn::codec::GetUrl)]
pub async fn setup_link_status(token: String) -> Result<bool, AppError> {
    let state = crate::ssr::state()?;
    Ok(state.iam.check_setup_token(&token).await?)
}

/// Creates the root user with the one-time setup link's token, and signs it in.
///
/// **Permissions**: the setup token printed in the server log.
#[server(prefix = "/api", endpoint = "complete_setup")]
pub async fn complete_setup(
    token: String,
    email: String,
    password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    use crate::ssr;
    if password != confirm_password {
        let err = AppError::invalid(
            "confirm_password",
            "the passwords do not match; type the same password twice",
        );
        ssr::set_error_status(&err);
        return Err(err);
    }
    let state = ssr::state()?;
    let signed_in = state
        .iam
        .complete_setup(
            &token,
            email.trim(),
            &password,
            &ssr::request_meta(),
            iam::UnixTime::now(),
        )
        .await?;
    ssr::set_session_cookie(Some(signed_in.token.as_str()))?;
    ssr::redirect("/");
    Ok(())
}

/// The signed-in identity.
///
/// **Permissions**: a session, also one that must change its password first.
#[server(prefix = "/api", endpoint = "whoami", input = leptos::server_fn::codec::GetUrl)]
pub async fn whoami() -> Result<Identity, AppError> {
    use crate::ssr;
    let session = ssr::session_in_any_state()?;
    let state = ssr::state()?;
    let account = state.iam.account().await?;
    let must_change_password = session.state == iam::SessionState::PasswordChangeRequired;
    let principal = session.principal;
    Ok(Identity {
        must_change_password,
        account_id: account.id.to_string(),
        account_alias: account.alias.clone(),
        is_root: principal.is_root(),
        display_name: principal.display_name(),
    })
}
