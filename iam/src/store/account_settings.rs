//! Account settings: the custom password policy (one row per account in `password_policies`)
//! and the account alias (a column of `accounts`; the whole account row is read in
//! `account.rs`).
//!
//! Neither changes what a principal may do, so no write here calls the permissions-changed hook.

use sqlx::{AnyConnection, FromRow};

use crate::account::AccountId;
use crate::error::IamError;
use crate::password::PasswordPolicy;

/// A stored password policy: flags are 0 or 1, numbers are `INTEGER`/`BIGINT`.
#[derive(FromRow)]
struct PasswordPolicyRow {
    minimum_password_length: i64,
    require_uppercase_characters: i64,
    require_lowercase_characters: i64,
    require_numbers: i64,
    require_symbols: i64,
    allow_users_to_change_password: i64,
    max_password_age: Option<i64>,
    password_reuse_prevention: Option<i64>,
    hard_expiry: i64,
}

fn to_u32(n: i64) -> Result<u32, IamError> {
    u32::try_from(n).map_err(|_| IamError::bug(format!("a stored policy value out of range `{n}`")))
}

impl PasswordPolicyRow {
    fn into_policy(self) -> Result<PasswordPolicy, IamError> {
        Ok(PasswordPolicy {
            minimum_password_length: to_u32(self.minimum_password_length)?,
            require_uppercase_characters: self.require_uppercase_characters != 0,
            require_lowercase_characters: self.require_lowercase_characters != 0,
            require_numbers: self.require_numbers != 0,
            require_symbols: self.require_symbols != 0,
            allow_users_to_change_password: self.allow_users_to_change_password != 0,
            max_password_age: self.max_password_age.map(to_u32).transpose()?,
            password_reuse_prevention: self.password_reuse_prevention.map(to_u32).transpose()?,
            hard_expiry: self.hard_expiry != 0,
        })
    }
}

/// The account's custom password policy, if it has one.
pub(crate) async fn password_policy(
    conn: &mut AnyConnection,
    account: &AccountId,
) -> Result<Option<PasswordPolicy>, IamError> {
    let row: Option<PasswordPolicyRow> = sqlx::query_as(
        "SELECT minimum_password_length, require_uppercase_characters, \
         require_lowercase_characters, require_numbers, require_symbols, \
         allow_users_to_change_password, max_password_age, password_reuse_prevention, hard_expiry \
         FROM password_policies WHERE account_id = $1",
    )
    .bind(account.as_str().to_owned())
    .fetch_optional(&mut *conn)
    .await?;
    row.map(PasswordPolicyRow::into_policy).transpose()
}

/// Creates or replaces the account's custom password policy, updated at `now` (Unix seconds).
pub(crate) async fn put_password_policy(
    conn: &mut AnyConnection,
    account: &AccountId,
    policy: &PasswordPolicy,
    now: i64,
) -> Result<(), IamError> {
    sqlx::query(
        "INSERT INTO password_policies (account_id, minimum_password_length, \
         require_uppercase_characters, require_lowercase_characters, require_numbers, \
         require_symbols, allow_users_to_change_password, max_password_age, \
         password_reuse_prevention, hard_expiry, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         ON CONFLICT (account_id) DO UPDATE SET \
         minimum_password_length = excluded.minimum_password_length, \
         require_uppercase_characters = excluded.require_uppercase_characters, \
         require_lowercase_characters = excluded.require_lowercase_characters, \
         require_numbers = excluded.require_numbers, \
         require_symbols = excluded.require_symbols, \
         allow_users_to_change_password = excluded.allow_users_to_change_password, \
         max_password_age = excluded.max_password_age, \
         password_reuse_prevention = excluded.password_reuse_prevention, \
         hard_expiry = excluded.hard_expiry, updated_at = excluded.updated_at",
    )
    .bind(account.as_str().to_owned())
    .bind(i64::from(policy.minimum_password_length))
    .bind(i64::from(policy.require_uppercase_characters))
    .bind(i64::from(policy.require_lowercase_characters))
    .bind(i64::from(policy.require_numbers))
    .bind(i64::from(policy.require_symbols))
    .bind(i64::from(policy.allow_users_to_change_password))
    .bind(policy.max_password_age.map(i64::from))
    .bind(policy.password_reuse_prevention.map(i64::from))
    .bind(i64::from(policy.hard_expiry))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Removes the account's custom password policy; false when it had none.
pub(crate) async fn delete_password_policy(
    conn: &mut AnyConnection,
    account: &AccountId,
) -> Result<bool, IamError> {
    let done = sqlx::query("DELETE FROM password_policies WHERE account_id = $1")
        .bind(account.as_str().to_owned())
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// The account's alias; `None` when it has none (or there is no such account).
pub(crate) async fn alias(
    conn: &mut AnyConnection,
    account: &AccountId,
) -> Result<Option<String>, IamError> {
    let row: Option<(Option<String>,)> = sqlx::query_as("SELECT alias FROM accounts WHERE id = $1")
        .bind(account.as_str().to_owned())
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.and_then(|(alias,)| alias))
}

/// Sets the account's alias, or clears it with `None`.
pub(crate) async fn set_alias(
    conn: &mut AnyConnection,
    account: &AccountId,
    alias: Option<&str>,
) -> Result<(), IamError> {
    sqlx::query("UPDATE accounts SET alias = $1 WHERE id = $2")
        .bind(alias.map(str::to_owned))
        .bind(account.as_str().to_owned())
        .execute(&mut *conn)
        .await?;
    Ok(())
}
