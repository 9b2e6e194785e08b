//! Access key rows: the secret's SHA-256 (for `Bearer`) and, since migration 0013, the secret
//! sealed under the master key (hex, for SigV4; NULL for older keys). The status is the text
//! `Active` or `Inactive`, which the service maps to its `AccessKeyStatus`. A key belongs to an
//! IAM user (`user_id`) or to the root user (`is_root = 1`, no `user_id`).
//!
//! Creating, changing the status of or deleting a key changes which credentials work, so those
//! writes call the permissions-changed hook.

use sqlx::{AnyConnection, FromRow};

use super::permissions;
use crate::account::AccountId;
use crate::error::IamError;

/// A key as the console lists it.
#[derive(FromRow)]
pub(crate) struct AccessKeyRow {
    pub(crate) id: String,
    pub(crate) status: String,
    pub(crate) created_at: i64,
    pub(crate) last_used_at: Option<i64>,
}

/// An access key with its holder, as authentication reads it: for a user's key the user's
/// columns are set, for a root key (`is_root = 1`) `root_email` is, when root exists.
#[derive(FromRow)]
pub(crate) struct KeyRow {
    pub(crate) secret_hash: String,
    pub(crate) secret_sealed: Option<String>,
    pub(crate) status: String,
    pub(crate) account_id: String,
    pub(crate) last_used_at: Option<i64>,
    pub(crate) is_root: i64,
    pub(crate) user_id: Option<String>,
    pub(crate) name: Option<String>,
    pub(crate) path: Option<String>,
    pub(crate) root_email: Option<String>,
}

/// What `insert` writes: a new key, active from the start, of the user `user_id`, or of the
/// root user when `user_id` is `None`.
pub(crate) struct NewKey<'a> {
    pub(crate) id: &'a str,
    pub(crate) user_id: Option<&'a str>,
    pub(crate) secret_hash: &'a str,
    /// Hex of the secret sealed under the master key with `access-key:<id>`.
    pub(crate) secret_sealed: &'a str,
    pub(crate) created_at: i64,
}

/// How many keys the user has.
pub(crate) async fn count_for_user(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<i64, IamError> {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM access_keys WHERE user_id = $1")
        .bind(user_id.to_owned())
        .fetch_one(&mut *conn)
        .await?;
    Ok(count)
}

/// How many keys the root user has.
pub(crate) async fn count_for_root(conn: &mut AnyConnection) -> Result<i64, IamError> {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM access_keys WHERE is_root = 1")
        .fetch_one(&mut *conn)
        .await?;
    Ok(count)
}

/// Stores a new active key of a user, or of root, in `account`.
pub(crate) async fn insert(
    conn: &mut AnyConnection,
    account: &AccountId,
    key: &NewKey<'_>,
) -> Result<(), IamError> {
    sqlx::query(
        "INSERT INTO access_keys (id, account_id, user_id, is_root, secret_hash, secret_sealed, \
         status, created_at) VALUES ($1, $2, $3, $4, $5, $6, 'Active', $7)",
    )
    .bind(key.id.to_owned())
    .bind(account.as_str().to_owned())
    .bind(key.user_id.map(str::to_owned))
    .bind(i64::from(key.user_id.is_none()))
    .bind(key.secret_hash.to_owned())
    .bind(key.secret_sealed.to_owned())
    .bind(key.created_at)
    .execute(&mut *conn)
    .await?;
    permissions::changed(conn, account).await
}

/// The user's keys, oldest first.
pub(crate) async fn list_for_user(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<Vec<AccessKeyRow>, IamError> {
    let rows = sqlx::query_as(
        "SELECT id, status, created_at, last_used_at FROM access_keys \
         WHERE user_id = $1 ORDER BY created_at, id",
    )
    .bind(user_id.to_owned())
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows)
}

/// Sets the status (`Active` or `Inactive`) of the user's key `key_id`; false when the user
/// has no such key.
pub(crate) async fn set_status(
    conn: &mut AnyConnection,
    account: &AccountId,
    user_id: &str,
    key_id: &str,
    status: &str,
) -> Result<bool, IamError> {
    let done = sqlx::query("UPDATE access_keys SET status = $1 WHERE id = $2 AND user_id = $3")
        .bind(status.to_owned())
        .bind(key_id.to_owned())
        .bind(user_id.to_owned())
        .execute(&mut *conn)
        .await?;
    permissions::changed_if(conn, account, done.rows_affected()).await
}

/// Deletes the user's key `key_id`; false when the user has no such key.
pub(crate) async fn delete(
    conn: &mut AnyConnection,
    account: &AccountId,
    user_id: &str,
    key_id: &str,
) -> Result<bool, IamError> {
    let done = sqlx::query("DELETE FROM access_keys WHERE id = $1 AND user_id = $2")
        .bind(key_id.to_owned())
        .bind(user_id.to_owned())
        .execute(&mut *conn)
        .await?;
    permissions::changed_if(conn, account, done.rows_affected()).await
}

/// Deletes every key of the user (when the user is deleted).
pub(crate) async fn delete_for_user(
    conn: &mut AnyConnection,
    account: &AccountId,
    user_id: &str,
) -> Result<(), IamError> {
    let done = sqlx::query("DELETE FROM access_keys WHERE user_id = $1")
        .bind(user_id.to_owned())
        .execute(&mut *conn)
        .await?;
    permissions::changed_if(conn, account, done.rows_affected()).await?;
    Ok(())
}

/// The key `key_id` with its holder, whatever its status.
pub(crate) async fn find_for_auth(
    conn: &mut AnyConnection,
    key_id: &str,
) -> Result<Option<KeyRow>, IamError> {
    let row = sqlx::query_as(
        "SELECT k.secret_hash, k.secret_sealed, k.status, k.account_id, k.last_used_at, \
         k.is_root, u.id AS user_id, u.name, u.path, r.email AS root_email \
         FROM access_keys k LEFT JOIN users u ON u.id = k.user_id \
         LEFT JOIN root_users r ON k.is_root = 1 AND r.account_id = k.account_id \
         WHERE k.id = $1",
    )
    .bind(key_id.to_owned())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row)
}

/// Records that the key was used at `now` (Unix seconds).
pub(crate) async fn touch_last_used(
    conn: &mut AnyConnection,
    key_id: &str,
    now: i64,
) -> Result<(), IamError> {
    sqlx::query("UPDATE access_keys SET last_used_at = $1 WHERE id = $2")
        .bind(now)
        .bind(key_id.to_owned())
        .execute(&mut *conn)
        .await?;
    Ok(())
}
