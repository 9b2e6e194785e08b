//! An IAM user changing their own password: by choice from the top bar, or because they must (an
//! administrator asked for a new password at next sign-in, or the password expired). In the second
//! case the session can reach nothing else until the change succeeds (see the session middleware
//! and [`crate::api::PASSWORD_CHANGE_PATHS`]).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// What the Change password page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordChangeInfo {
    pub account_id: String,
    pub account_alias: Option<String>,
    /// The IAM user; `None` for the root user, whose password is not changed here.
    pub user_name: Option<String>,
    /// The user must choose a new password before anything else.
    pub required: bool,
    /// The password policy lets users change their own password (always true when required).
    pub allowed: bool,
    /// The rules a new password must meet, one line each.
    pub rules: Vec<String>,
}

/// The address of the Change password page that continues to `target` afterwards.
pub fn change_password_url(target: &str) -> String {
    if target == "/" {
        crate::api::CHANGE_PASSWORD_PAGE.to_owned()
    } else {
        format!(
            "{}?redirect={}",
            crate::api::CHANGE_PASSWORD_PAGE,
            crate::api::groups::url_encode(target)
        )
    }
}

/// Who is changing their password, and the rules in force.
///
/// **Permissions**: a session, also one that must change its password first.
#[server(prefix = "/api", endpoint = "password_change_context", input = leptos::server_fn::codec::GetUrl)]
pub async fn password_change_context() -> Result<PasswordChangeInfo, AppError> {
    use crate::ssr;
    let session = ssr::session_in_any_state()?;
    let iam = ssr::state()?.iam;
    let account = iam.account().await?;
    let requirements = iam.password_requirements().await?;
    let required = session.state == iam::SessionState::PasswordChangeRequired;
    let user_name = match &session.principal {
        iam::Principal::User { name, .. } => Some(name.clone()),
        iam::Principal::Root { .. } => None,
    };
    Ok(PasswordChangeInfo {
        account_id: account.id.to_string(),
        account_alias: account.alias,
        user_name,
        required,
        allowed: required || requirements.allow_users_to_change_password(),
        rules: requirements.descriptions(),
    })
}

/// Changes the signed-in IAM user's password, replaces the session with a new active one (a new
/// id in the cookie), ends the user's other sessions, and continues to `redirect` (or the dashboard).
///
/// **Permissions**: the session itself: always when the password must be changed, otherwise when
/// the account password policy allows users to change their own password (`iam:ChangePassword`).
#[server(prefix = "/api", endpoint = "change_password")]
pub async fn change_password(
    old_password: String,
    new_password: String,
    confirm_password: String,
    redirect: Option<String>,
) -> Result<(), AppError> {
    use crate::ssr;
    let result = async {
        let session = ssr::session_in_any_state()?;
        if new_password != confirm_password {
            return Err(AppError::invalid(
                "confirm_password",
                "the new passwords do not match; type the same new password twice",
            ));
        }
        let iam = ssr::state()?.iam;
        let renewed = iam
            .change_password(
                &session,
                &old_password,
                &new_password,
                &ssr::request_meta(),
                iam::UnixTime::now(),
            )
            .await
            .map_err(new_password_error)?;
        // The old session id ended with the change; the browser carries on with the new one.
        ssr::set_session_cookie(Some(renewed.token.as_str()))?;
        Ok(ssr::safe_redirect(redirect.as_deref()))
    };
    // A refused plain form goes back to the page it came from (with its `redirect`); the
    // passwords are never put in a URL.
    crate::api::groups::finish::<ChangePassword>(result.await, None)
}

/// Broken password rules are about the new password (`iam` names the field `password`).
#[cfg(feature = "ssr")]
fn new_password_error(err: iam::IamError) -> AppError {
    match &err {
        iam::IamError::PasswordRules { violations } => {
            let rules = violations
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ");
            AppError::invalid(
                "new_password",
                format!("the new password does not meet the password rules: {rules}"),
            )
        }
        _ => AppError::from(err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_change_password_page_keeps_where_the_user_was_going() {
        assert_eq!(change_password_url("/"), "/change-password");
        assert_eq!(
            change_password_url("/groups?q=a b"),
            "/change-password?redirect=%2Fgroups%3Fq%3Da%20b"
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn broken_rules_are_shown_at_the_new_password() {
        let err = new_password_error(iam::IamError::PasswordRules {
            violations: vec![
                iam::PasswordRuleViolation::TooShort { min: 10 },
                iam::PasswordRuleViolation::CommonPassword,
            ],
        });
        let message = err.for_field("new_password").unwrap();
        assert!(message.contains("use at least 10 characters"), "{message}");
        assert!(message.contains("10,000 most used"), "{message}");
        let wrong = new_password_error(iam::IamError::Validation {
            field: "old_password",
            message: "the current password is incorrect".into(),
        });
        assert!(wrong.for_field("old_password").is_some());
    }
}
