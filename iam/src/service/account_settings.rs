//! Account settings: the password policy and the account alias (issue 5).

use serde_json::json;
use sqlx::AnyConnection;

use super::Iam;
use super::common::record;
use crate::account::{Account, AccountId};
use crate::authz::{Action, Authorized};
use crate::clock::UnixTime;
use crate::error::IamError;
use crate::event::RequestMeta;
use crate::password::{PasswordPolicy, PasswordRequirements};
use crate::store::account_settings as settings;

/// The requirements in force for `account_id`.
pub(crate) async fn load_requirements(
    conn: &mut AnyConnection,
    account_id: &AccountId,
) -> Result<PasswordRequirements, IamError> {
    Ok(PasswordRequirements::new(
        settings::password_policy(conn, account_id).await?,
    ))
}

fn policy_json(p: &PasswordPolicy) -> serde_json::Value {
    let mut v = json!({
        "minimumPasswordLength": p.minimum_password_length,
        "requireSymbols": p.require_symbols,
        "requireNumbers": p.require_numbers,
        "requireUppercaseCharacters": p.require_uppercase_characters,
        "requireLowercaseCharacters": p.require_lowercase_characters,
        "allowUsersToChangePassword": p.allow_users_to_change_password,
        "hardExpiry": p.hard_expiry,
    });
    if let Some(age) = p.max_password_age {
        v["maxPasswordAge"] = json!(age);
    }
    if let Some(n) = p.password_reuse_prevention {
        v["passwordReusePrevention"] = json!(n);
    }
    v
}

/// Checks an account alias: 3 to 63 lowercase letters, digits and single
/// hyphens, not starting or ending with a hyphen, not 12 digits.
pub(crate) fn check_alias(alias: &str) -> Result<(), IamError> {
    let bad = |why: &str| {
        IamError::validation(
            "alias",
            format!(
                "the account alias `{alias}` {why}; use 3 to 63 lowercase letters, digits and single hyphens, such as `example-corp`"
            ),
        )
    };
    let count = alias.chars().count();
    if !(3..=63).contains(&count) {
        return Err(bad(&format!("has {count} characters")));
    }
    if let Some(c) = alias
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Err(bad(&format!("contains `{c}`")));
    }
    if alias.starts_with('-') || alias.ends_with('-') {
        return Err(bad("starts or ends with a hyphen"));
    }
    if alias.contains("--") {
        return Err(bad("has two hyphens in a row"));
    }
    if alias.len() == 12 && alias.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad("is 12 digits, which looks like an account id"));
    }
    Ok(())
}

impl Iam {
    /// The account's custom password policy; `None` when IAM's default rules
    /// apply.
    ///
    /// **Permissions**: `iam:GetAccountPasswordPolicy` on `*`.
    pub async fn get_account_password_policy(
        &self,
        auth: &Authorized,
    ) -> Result<Option<PasswordPolicy>, IamError> {
        auth.require(Action::GetAccountPasswordPolicy)?;
        let mut conn = self.store().pool().acquire().await?;
        settings::password_policy(&mut conn, auth.principal().account_id()).await
    }

    /// The password requirements in force, for the change-password page. No
    /// proof: a user who must change their password may read them.
    pub async fn password_requirements(&self) -> Result<PasswordRequirements, IamError> {
        let account = self.store().account().await?;
        let mut conn = self.store().pool().acquire().await?;
        load_requirements(&mut conn, &account.id).await
    }

    /// Sets the account's custom password policy (all options at once).
    ///
    /// **Permissions**: `iam:UpdateAccountPasswordPolicy` on `*`.
    pub async fn update_account_password_policy(
        &self,
        auth: &Authorized,
        policy: PasswordPolicy,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<PasswordPolicy, IamError> {
        auth.require(Action::UpdateAccountPasswordPolicy)?;
        policy.validate()?;
        let account_id = auth.principal().account_id();
        let mut tx = self.store().begin_write().await?;
        settings::put_password_policy(&mut tx, account_id, &policy, now.as_secs()).await?;
        let arn = auth.resource().to_owned();
        record(
            &mut tx,
            auth,
            Action::UpdateAccountPasswordPolicy,
            policy_json(&policy),
            &arn,
            meta,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(policy)
    }

    /// Removes the custom password policy, so IAM's default rules apply;
    /// `NotFound` when there is none.
    ///
    /// **Permissions**: `iam:DeleteAccountPasswordPolicy` on `*`.
    pub async fn delete_account_password_policy(
        &self,
        auth: &Authorized,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<(), IamError> {
        auth.require(Action::DeleteAccountPasswordPolicy)?;
        let account_id = auth.principal().account_id();
        let mut tx = self.store().begin_write().await?;
        if !settings::delete_password_policy(&mut tx, account_id).await? {
            return Err(IamError::NotFound {
                what: "password policy",
                name: account_id.as_str().to_owned(),
            });
        }
        let arn = auth.resource().to_owned();
        record(
            &mut tx,
            auth,
            Action::DeleteAccountPasswordPolicy,
            json!({}),
            &arn,
            meta,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets (or replaces) the account alias used in the sign-in URL.
    ///
    /// **Permissions**: `iam:CreateAccountAlias` on `*`.
    pub async fn set_account_alias(
        &self,
        auth: &Authorized,
        alias: &str,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<Account, IamError> {
        auth.require(Action::CreateAccountAlias)?;
        check_alias(alias)?;
        let account_id = auth.principal().account_id();
        let mut tx = self.store().begin_write().await?;
        settings::set_alias(&mut tx, account_id, Some(alias)).await?;
        let arn = auth.resource().to_owned();
        record(
            &mut tx,
            auth,
            Action::CreateAccountAlias,
            json!({ "accountAlias": alias }),
            &arn,
            meta,
            now,
        )
        .await?;
        tx.commit().await?;
        self.store().account().await
    }

    /// Removes the account alias; `NotFound` when there is none.
    ///
    /// **Permissions**: `iam:DeleteAccountAlias` on `*`.
    pub async fn delete_account_alias(
        &self,
        auth: &Authorized,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<Account, IamError> {
        auth.require(Action::DeleteAccountAlias)?;
        let account_id = auth.principal().account_id();
        let mut tx = self.store().begin_write().await?;
        let Some(alias) = settings::alias(&mut tx, account_id).await? else {
            return Err(IamError::NotFound {
                what: "account alias",
                name: account_id.as_str().to_owned(),
            });
        };
        settings::set_alias(&mut tx, account_id, None).await?;
        let arn = auth.resource().to_owned();
        record(
            &mut tx,
            auth,
            Action::DeleteAccountAlias,
            json!({ "accountAlias": alias }),
            &arn,
            meta,
            now,
        )
        .await?;
        tx.commit().await?;
        self.store().account().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases() {
        for ok in [
            "abc",
            "example-corp",
            "a1-b2-c3",
            "12345678901",
            "1234567890123",
            &"a".repeat(63),
        ] {
            assert!(check_alias(ok).is_ok(), "{ok}");
        }
        for (bad, needle) in [
            ("ab", "has 2 characters"),
            (&"a".repeat(64) as &str, "has 64 characters"),
            ("Example", "contains `E`"),
            ("a_b", "contains `_`"),
            ("-abc", "hyphen"),
            ("abc-", "hyphen"),
            ("a--b", "two hyphens"),
            ("123456789012", "12 digits"),
        ] {
            let e = check_alias(bad).unwrap_err();
            assert_eq!(e.field(), Some("alias"));
            let m = e.user_message();
            assert!(m.contains(needle) && m.contains(&format!("`{bad}`")), "{m}");
        }
    }
}
