//! Account settings: the account password policy for IAM users and the account alias used in the
//! IAM users' sign-in URL.
//!
//! Plain HTML forms (no JavaScript) that fail are sent back to their page with what was typed in
//! the URL (see `crate::api::groups::finish`); with JavaScript the page keeps its own state.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::AuthorizeHere as _;

/// AWS's ranges, also stated on the edit page (`iam` checks them).
pub const MIN_LENGTH_RANGE: (u32, u32) = (6, 128);
pub const MAX_AGE_RANGE: (u32, u32) = (1, 1_095);
pub const REUSE_RANGE: (u32, u32) = (1, 24);
/// The characters AWS counts as non-alphanumeric, as the console lists them.
pub const SYMBOLS_SPACED: &str = "! @ # $ % ^ & * ( ) _ + - = [ ] { } | '";

/// The account's custom password policy, as the pages show and edit it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordPolicyView {
    pub minimum_password_length: u32,
    pub require_uppercase_characters: bool,
    pub require_lowercase_characters: bool,
    pub require_numbers: bool,
    pub require_symbols: bool,
    pub allow_users_to_change_password: bool,
    /// Days; `None`: passwords never expire.
    pub max_password_age: Option<u32>,
    /// Previous passwords that may not be reused; `None`: reuse allowed.
    pub password_reuse_prevention: Option<u32>,
    pub hard_expiry: bool,
}

impl Default for PasswordPolicyView {
    /// Where the edit form starts when the account has no custom policy (AWS's console defaults).
    fn default() -> Self {
        PasswordPolicyView {
            minimum_password_length: 8,
            require_uppercase_characters: false,
            require_lowercase_characters: false,
            require_numbers: false,
            require_symbols: false,
            allow_users_to_change_password: true,
            max_password_age: None,
            password_reuse_prevention: None,
            hard_expiry: false,
        }
    }
}

/// The Account settings page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSettingsView {
    pub account_id: String,
    pub account_alias: Option<String>,
    /// Where IAM users of this account sign in: `<base>/signin/<alias or account id>`.
    pub sign_in_url: String,
    /// `None`: the IAM default password policy applies.
    pub policy: Option<PasswordPolicyView>,
    /// The password rules in force, one line each.
    pub rules: Vec<String>,
}

/// The account id, alias, sign-in URL and password policy.
///
/// **Permissions**: `iam:GetAccountPasswordPolicy` on `*` (the account id and alias are shown to
/// every signed-in user in the top bar already).
#[server(prefix = "/api", endpoint = "account_settings", input = leptos::server_fn::codec::GetUrl)]
pub async fn account_settings() -> Result<AccountSettingsView, AppError> {
    use crate::ssr;
    let session = ssr::session()?;
    let iam = ssr::state()?.iam;
    let auth = iam
        .authorize_here(
            &session.principal,
            iam::Action::GetAccountPasswordPolicy,
            "*",
        )
        .await?;
    let policy = iam.get_account_password_policy(&auth).await?;
    let rules = iam::PasswordRequirements::new(policy).descriptions();
    let account = iam.account().await?;
    let account_ref = account
        .alias
        .clone()
        .unwrap_or_else(|| account.id.to_string());
    Ok(AccountSettingsView {
        account_id: account.id.to_string(),
        account_alias: account.alias,
        sign_in_url: format!("{}/signin/{account_ref}", ssr::base_url()),
        policy: policy.map(|p| PasswordPolicyView {
            minimum_password_length: p.minimum_password_length,
            require_uppercase_characters: p.require_uppercase_characters,
            require_lowercase_characters: p.require_lowercase_characters,
            require_numbers: p.require_numbers,
            require_symbols: p.require_symbols,
            allow_users_to_change_password: p.allow_users_to_change_password,
            max_password_age: p.max_password_age,
            password_reuse_prevention: p.password_reuse_prevention,
            hard_expiry: p.hard_expiry,
        }),
        rules,
    })
}

/// The check boxes of the password policy form, as the values of its `options[]` field.
pub const POLICY_OPTIONS: [&str; 8] = [
    "require_uppercase_characters",
    "require_lowercase_characters",
    "require_numbers",
    "require_symbols",
    "allow_users_to_change_password",
    "expire_passwords",
    "hard_expiry",
    "prevent_reuse",
];

/// Sets the account's custom password policy (every option at once). `options` holds the checked
/// boxes ([`POLICY_OPTIONS`]); the numbers come as typed, so that one that is not a number is
/// refused at its field like one out of range, and a number whose box is not checked is ignored.
///
/// **Permissions**: `iam:UpdateAccountPasswordPolicy` on `*`.
#[server(prefix = "/api", endpoint = "update_password_policy")]
pub async fn update_password_policy(
    minimum_password_length: String,
    #[server(default)] options: Vec<String>,
    #[server(default)] max_password_age: String,
    #[server(default)] password_reuse_prevention: String,
) -> Result<(), AppError> {
    use crate::ssr;
    let flags = POLICY_OPTIONS.map(|o| options.iter().any(|chosen| chosen == o));
    let result = async {
        let session = ssr::session()?;
        let iam = ssr::state()?.iam;
        let auth = iam
            .authorize_here(
                &session.principal,
                iam::Action::UpdateAccountPasswordPolicy,
                "*",
            )
            .await?;
        let policy = policy_from_form(
            &minimum_password_length,
            flags,
            flags[5].then_some(max_password_age.as_str()),
            flags[7].then_some(password_reuse_prevention.as_str()),
        )?;
        iam.update_account_password_policy(
            &auth,
            policy,
            &ssr::request_meta(),
            iam::UnixTime::now(),
        )
        .await?;
        Ok("/settings?notice=policy-updated".to_owned())
    };
    let mut pairs = vec![
        ("minimum_password_length", minimum_password_length.as_str()),
        ("max_password_age", max_password_age.as_str()),
        (
            "password_reuse_prevention",
            password_reuse_prevention.as_str(),
        ),
        ("returned", "true"),
    ];
    pairs.extend(
        POLICY_OPTIONS
            .iter()
            .zip(flags)
            .filter(|(_, on)| *on)
            .map(|(o, _)| ("options[]", *o)),
    );
    crate::api::groups::finish::<UpdatePasswordPolicy>(
        result.await,
        Some(("/settings/password-policy", &pairs)),
    )
}

/// The policy the form describes, or every field's problem: a number that is not one, or one out
/// of AWS's range (`iam`'s message). `flags` follow [`POLICY_OPTIONS`]; the numbers of options
/// not checked are `None`.
#[cfg(feature = "ssr")]
fn policy_from_form(
    minimum_password_length: &str,
    flags: [bool; 8],
    max_password_age: Option<&str>,
    password_reuse_prevention: Option<&str>,
) -> Result<iam::PasswordPolicy, AppError> {
    use crate::error::FieldError;
    let mut errors = Vec::new();
    let mut number = |field: &str, label: &str, typed: &str, (min, max): (u32, u32)| {
        typed.trim().parse::<u32>().ok().or_else(|| {
            errors.push(FieldError {
                field: field.to_owned(),
                message: format!(
                    "the {label} `{}` is not a whole number; enter one between {min} and {max}",
                    typed.trim()
                ),
            });
            None
        })
    };
    let min_length = number(
        "minimum_password_length",
        "minimum password length",
        minimum_password_length,
        MIN_LENGTH_RANGE,
    );
    let max_age =
        max_password_age.map(|t| number("max_password_age", "expiration period", t, MAX_AGE_RANGE));
    let reuse = password_reuse_prevention.map(|t| {
        number(
            "password_reuse_prevention",
            "number of passwords to remember",
            t,
            REUSE_RANGE,
        )
    });
    let [
        upper,
        lower,
        numbers,
        symbols,
        allow_change,
        _,
        hard_expiry,
        _,
    ] = flags;
    let policy = iam::PasswordPolicy {
        minimum_password_length: min_length.unwrap_or(8),
        require_uppercase_characters: upper,
        require_lowercase_characters: lower,
        require_numbers: numbers,
        require_symbols: symbols,
        allow_users_to_change_password: allow_change,
        max_password_age: max_age.flatten(),
        password_reuse_prevention: reuse.flatten(),
        hard_expiry,
    };
    // `iam` reports the first field out of range; check each on its own to mark every one.
    let defaults = iam::PasswordPolicy::default();
    for alone in [
        iam::PasswordPolicy {
            minimum_password_length: policy.minimum_password_length,
            ..defaults
        },
        iam::PasswordPolicy {
            max_password_age: policy.max_password_age,
            ..defaults
        },
        iam::PasswordPolicy {
            password_reuse_prevention: policy.password_reuse_prevention,
            ..defaults
        },
    ] {
        if let Err(iam::IamError::Validation { field, message }) = alone.validate() {
            errors.push(FieldError {
                field: field.to_owned(),
                message,
            });
        }
    }
    if errors.is_empty() {
        Ok(policy)
    } else {
        Err(AppError::Invalid(errors))
    }
}

/// Removes the custom password policy: IAM's default rules apply again.
///
/// **Permissions**: `iam:DeleteAccountPasswordPolicy` on `*`.
#[server(prefix = "/api", endpoint = "reset_password_policy")]
pub async fn reset_password_policy() -> Result<(), AppError> {
    use crate::ssr;
    let result = async {
        let session = ssr::session()?;
        let iam = ssr::state()?.iam;
        let auth = iam
            .authorize_here(
                &session.principal,
                iam::Action::DeleteAccountPasswordPolicy,
                "*",
            )
            .await?;
        iam.delete_account_password_policy(&auth, &ssr::request_meta(), iam::UnixTime::now())
            .await?;
        Ok("/settings?notice=policy-reset".to_owned())
    };
    crate::api::groups::finish::<ResetPasswordPolicy>(result.await, None)
}

/// Creates or replaces the account alias.
///
/// **Permissions**: `iam:CreateAccountAlias` on `*`.
#[server(prefix = "/api", endpoint = "set_account_alias")]
pub async fn set_account_alias(alias: String) -> Result<(), AppError> {
    use crate::ssr;
    let result = async {
        let session = ssr::session()?;
        let iam = ssr::state()?.iam;
        let auth = iam
            .authorize_here(&session.principal, iam::Action::CreateAccountAlias, "*")
            .await?;
        iam.set_account_alias(
            &auth,
            alias.trim(),
            &ssr::request_meta(),
            iam::UnixTime::now(),
        )
        .await?;
        Ok("/settings?notice=alias-saved".to_owned())
    };
    crate::api::groups::finish::<SetAccountAlias>(
        result.await,
        Some(("/settings/alias", &[("alias", alias.as_str())])),
    )
}

/// Deletes the account alias: the sign-in URL uses the account id again.
///
/// **Permissions**: `iam:DeleteAccountAlias` on `*`.
#[server(prefix = "/api", endpoint = "delete_account_alias")]
pub async fn delete_account_alias() -> Result<(), AppError> {
    use crate::ssr;
    let result = async {
        let session = ssr::session()?;
        let iam = ssr::state()?.iam;
        let auth = iam
            .authorize_here(&session.principal, iam::Action::DeleteAccountAlias, "*")
            .await?;
        iam.delete_account_alias(&auth, &ssr::request_meta(), iam::UnixTime::now())
            .await?;
        Ok("/settings?notice=alias-deleted".to_owned())
    };
    crate::api::groups::finish::<DeleteAccountAlias>(result.await, None)
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    const NONE: [bool; 8] = [false; 8];

    #[test]
    fn a_valid_form_is_the_policy() {
        let mut flags = NONE;
        flags[2] = true;
        flags[3] = true;
        flags[4] = true;
        let policy = policy_from_form("10", flags, None, Some("3")).unwrap();
        assert_eq!(policy.minimum_password_length, 10);
        assert!(policy.require_numbers && policy.require_symbols);
        assert!(!policy.require_uppercase_characters);
        assert!(policy.allow_users_to_change_password);
        assert_eq!(policy.max_password_age, None);
        assert_eq!(policy.password_reuse_prevention, Some(3));
    }

    #[test]
    fn every_field_out_of_range_is_marked() {
        let err = policy_from_form("200", NONE, Some("2000"), Some("x")).unwrap_err();
        let min = err.for_field("minimum_password_length").unwrap();
        assert!(min.contains("`200` is not between 6 and 128"), "{min}");
        let age = err.for_field("max_password_age").unwrap();
        assert!(age.contains("`2000` is not between 1 and 1095"), "{age}");
        let reuse = err.for_field("password_reuse_prevention").unwrap();
        assert!(reuse.contains("`x` is not a whole number"), "{reuse}");
    }

    #[test]
    fn the_ranges_on_the_page_are_iams() {
        assert_eq!(MIN_LENGTH_RANGE, iam::MIN_PASSWORD_LENGTH_RANGE);
        assert_eq!(MAX_AGE_RANGE, iam::MAX_PASSWORD_AGE_DAYS_RANGE);
        assert_eq!(REUSE_RANGE, iam::PASSWORD_REUSE_PREVENTION_RANGE);
        let defaults = iam::PasswordPolicy::default();
        let view = PasswordPolicyView::default();
        assert_eq!(
            view.minimum_password_length,
            defaults.minimum_password_length
        );
        assert_eq!(
            view.allow_users_to_change_password,
            defaults.allow_users_to_change_password
        );
    }

    #[test]
    fn unchecked_options_ignore_their_numbers() {
        let policy = policy_from_form(" 8 ", NONE, None, None).unwrap();
        assert_eq!(policy.max_password_age, None);
        assert_eq!(policy.password_reuse_prevention, None);
    }
}
