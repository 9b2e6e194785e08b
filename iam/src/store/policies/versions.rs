//! A customer managed policy's versions: `v1` to `vN`, at most five kept, one of them the
//! default whose document is in force.

use sqlx::{AnyConnection, FromRow};

use super::PolicyRow;
use crate::account::AccountId;
use crate::clock::UnixTime;
use crate::error::IamError;
use crate::store::permissions;

/// One version's document.
#[derive(Debug, Clone, FromRow)]
pub(crate) struct VersionRow {
    pub(crate) document: String,
    pub(crate) created_at: i64,
}

/// One version, as a policy's list of versions shows it.
#[derive(Debug, Clone, Copy, FromRow)]
pub(crate) struct ListedVersion {
    pub(crate) version: i64,
    pub(crate) created_at: i64,
}

/// The version number [`next`] handed out, and the default at that moment.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NextVersion {
    pub(crate) version: i64,
    pub(crate) default_version: i64,
}

/// Version `version` of the policy, if it exists.
pub(crate) async fn find(
    conn: &mut AnyConnection,
    policy_id: &str,
    version: i64,
) -> Result<Option<VersionRow>, IamError> {
    let row = sqlx::query_as(
        "SELECT document, created_at FROM policy_versions \
         WHERE policy_id = $1 AND version = $2",
    )
    .bind(policy_id.to_owned())
    .bind(version)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row)
}

/// The document of the policy's default version, which always exists: it cannot be deleted,
/// and the policy is created with it.
pub(crate) async fn default_document(
    conn: &mut AnyConnection,
    policy: &PolicyRow,
) -> Result<String, IamError> {
    let found = find(conn, &policy.id, policy.default_version).await?;
    let row = found.ok_or_else(|| {
        IamError::bug(format!(
            "the policy `{}` has no default version v{}",
            policy.id, policy.default_version
        ))
    })?;
    Ok(row.document)
}

/// The policy's versions, newest first.
pub(crate) async fn list(
    conn: &mut AnyConnection,
    policy_id: &str,
) -> Result<Vec<ListedVersion>, IamError> {
    let rows = sqlx::query_as(
        "SELECT version, created_at FROM policy_versions WHERE policy_id = $1 \
         ORDER BY version DESC",
    )
    .bind(policy_id.to_owned())
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows)
}

/// How many versions the policy has.
pub(crate) async fn count(conn: &mut AnyConnection, policy_id: &str) -> Result<i64, IamError> {
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM policy_versions WHERE policy_id = $1")
            .bind(policy_id.to_owned())
            .fetch_one(&mut *conn)
            .await?;
    Ok(count)
}

/// Takes the policy's next unused version number and sets its `updated_at`. On PostgreSQL this
/// takes the policy row's lock until the transaction ends, so concurrent new versions of one
/// policy queue up and a count of its versions stays exact.
pub(crate) async fn next(
    conn: &mut AnyConnection,
    policy_id: &str,
    now: UnixTime,
) -> Result<NextVersion, IamError> {
    let (next, default_version): (i64, i64) = sqlx::query_as(
        "UPDATE policies SET next_version = next_version + 1, updated_at = $1 WHERE id = $2 \
         RETURNING next_version, default_version",
    )
    .bind(now.as_secs())
    .bind(policy_id.to_owned())
    .fetch_one(&mut *conn)
    .await?;
    Ok(NextVersion {
        version: next - 1,
        default_version,
    })
}

/// Adds a version. Not a permissions change by itself: only [`set_default`] puts a document in
/// force.
pub(crate) async fn insert(
    conn: &mut AnyConnection,
    policy_id: &str,
    version: i64,
    document: &str,
    now: UnixTime,
) -> Result<(), IamError> {
    sqlx::query(
        "INSERT INTO policy_versions (policy_id, version, document, created_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(policy_id.to_owned())
    .bind(version)
    .bind(document.to_owned())
    .bind(now.as_secs())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Makes `version` the policy's default and sets its `updated_at`: the version's document is in
/// force from now on for whoever has the policy attached.
pub(crate) async fn set_default(
    conn: &mut AnyConnection,
    account: &AccountId,
    policy_id: &str,
    version: i64,
    now: UnixTime,
) -> Result<(), IamError> {
    let done =
        sqlx::query("UPDATE policies SET default_version = $1, updated_at = $2 WHERE id = $3")
            .bind(version)
            .bind(now.as_secs())
            .bind(policy_id.to_owned())
            .execute(&mut *conn)
            .await?;
    permissions::changed_if(conn, account, done.rows_affected()).await?;
    Ok(())
}

/// Deletes a version; false when it did not exist. Not a permissions change: the caller
/// refuses to delete the default, the only version in force.
pub(crate) async fn delete(
    conn: &mut AnyConnection,
    policy_id: &str,
    version: i64,
) -> Result<bool, IamError> {
    let done = sqlx::query("DELETE FROM policy_versions WHERE policy_id = $1 AND version = $2")
        .bind(policy_id.to_owned())
        .bind(version)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}
