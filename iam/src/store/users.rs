//! IAM users, as far as sign-in and password changes need them.

use sqlx::{AnyConnection, FromRow};

use super::Store;
use crate::account::AccountId;
use crate::clock::UnixTime;
use crate::error::IamError;
use crate::password::PasswordHash;

/// An IAM user as stored, for sign-in.
#[derive(FromRow)]
pub(crate) struct UserRow {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) path: String,
    password_hash: Option<String>,
    console_access: i64,
    password_change_required: i64,
    password_changed_at: Option<i64>,
}

impl UserRow {
    /// The password hash when the user may sign in to the console.
    pub(crate) fn console_password_hash(&self) -> Option<PasswordHash> {
        match (&self.password_hash, self.console_access != 0) {
            (Some(hash), true) => Some(PasswordHash::from_stored(hash.clone())),
            _ => None,
        }
    }

    pub(crate) fn password_change_required(&self) -> bool {
        self.password_change_required != 0
    }

    /// Whether the password is older than `max_age_secs` at `now`.
    pub(crate) fn password_expired(&self, max_age_secs: Option<i64>, now: UnixTime) -> bool {
        match (max_age_secs, self.password_changed_at) {
            (Some(max), Some(changed)) => now.secs_since(UnixTime::from_secs(changed)) >= max,
            _ => false,
        }
    }
}

impl Store {
    /// The user named `name` (case-insensitively) in `account_id`, if any.
    pub(crate) async fn find_user_by_name(
        &self,
        account_id: &AccountId,
        name: &str,
    ) -> Result<Option<UserRow>, IamError> {
        let row = sqlx::query_as(
            "SELECT id, name, path, password_hash, console_access, password_change_required, \
             password_changed_at FROM users WHERE account_id = $1 AND name_lower = $2",
        )
        .bind(account_id.as_str().to_owned())
        .bind(name.trim().to_lowercase())
        .fetch_optional(self.pool())
        .await?;
        Ok(row)
    }
}

/// Records a successful console sign-in (IAM's `PasswordLastUsed`).
pub(crate) async fn mark_password_used(
    conn: &mut AnyConnection,
    user_id: &str,
    now: UnixTime,
) -> Result<(), IamError> {
    sqlx::query("UPDATE users SET password_last_used_at = $1 WHERE id = $2")
        .bind(now.as_secs())
        .bind(user_id.to_owned())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The user with id `user_id`, if any.
pub(crate) async fn find_user_by_id(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<Option<UserRow>, IamError> {
    let row = sqlx::query_as(
        "SELECT id, name, path, password_hash, console_access, password_change_required, \
         password_changed_at FROM users WHERE id = $1",
    )
    .bind(user_id.to_owned())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row)
}
