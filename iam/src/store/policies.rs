//! Customer managed policies: the `policies` rows of an account. Their documents live in
//! `policy_versions` ([`versions`]); what they are attached to in `attachments`.

pub(crate) mod versions;

use sqlx::{AnyConnection, FromRow};

use super::Inserted;
use crate::account::AccountId;
use crate::clock::UnixTime;
use crate::error::IamError;

/// A customer managed policy as stored.
#[derive(Debug, Clone, FromRow)]
pub(crate) struct PolicyRow {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) path: String,
    pub(crate) description: Option<String>,
    pub(crate) created_at: i64,
    pub(crate) updated_at: i64,
    pub(crate) default_version: i64,
}

/// The columns of [`PolicyRow`], in its order.
const COLUMNS: &str = "id, name, path, description, created_at, updated_at, default_version";

/// What [`insert`] writes: a new policy whose default is its first version, `v1`.
pub(crate) struct NewPolicyRow<'a> {
    pub(crate) id: &'a str,
    pub(crate) account: &'a AccountId,
    pub(crate) name: &'a str,
    pub(crate) path: &'a str,
    pub(crate) description: Option<&'a str>,
    pub(crate) now: UnixTime,
}

/// The customer managed policy called `name` (any case) in `account`.
pub(crate) async fn find_by_name(
    conn: &mut AnyConnection,
    account: &AccountId,
    name: &str,
) -> Result<Option<PolicyRow>, IamError> {
    let row = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM policies WHERE account_id = $1 AND name_lower = $2"
    )))
    .bind(account.as_str().to_owned())
    .bind(name.to_lowercase())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row)
}

/// Every customer managed policy of `account`, in no particular order.
pub(crate) async fn list_for_account(
    conn: &mut AnyConnection,
    account: &AccountId,
) -> Result<Vec<PolicyRow>, IamError> {
    let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM policies WHERE account_id = $1"
    )))
    .bind(account.as_str().to_owned())
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows)
}

/// Inserts the policy row; its `v1` is [`versions::insert`]'s to write. Not a permissions
/// change: nothing can be attached to a policy that did not exist.
pub(crate) async fn insert(
    conn: &mut AnyConnection,
    new: &NewPolicyRow<'_>,
) -> Result<Inserted, IamError> {
    let result = sqlx::query(
        "INSERT INTO policies (id, account_id, name, name_lower, path, description, \
         created_at, updated_at, default_version, next_version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, 2)",
    )
    .bind(new.id.to_owned())
    .bind(new.account.as_str().to_owned())
    .bind(new.name.to_owned())
    .bind(new.name.to_lowercase())
    .bind(new.path.to_owned())
    .bind(new.description.map(str::to_owned))
    .bind(new.now.as_secs())
    .bind(new.now.as_secs())
    .execute(&mut *conn)
    .await;
    Inserted::from_result(result)
}

/// Sets `updated_at`, for changes that are not to the `policies` row itself (tags, versions).
pub(crate) async fn touch(
    conn: &mut AnyConnection,
    policy_id: &str,
    now: UnixTime,
) -> Result<(), IamError> {
    sqlx::query("UPDATE policies SET updated_at = $1 WHERE id = $2")
        .bind(now.as_secs())
        .bind(policy_id.to_owned())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Deletes the policy's versions, then its row. The caller detaches it first
/// ([`super::attachments::delete_for_policy`]) and deletes its tags. This records a
/// permissions change even when nothing was attached: the detaches usually did already, and a
/// spare bump only costs a cache rebuild.
pub(crate) async fn delete(
    conn: &mut AnyConnection,
    account: &AccountId,
    policy_id: &str,
) -> Result<(), IamError> {
    for sql in [
        "DELETE FROM policy_versions WHERE policy_id = $1",
        "DELETE FROM policies WHERE id = $1",
    ] {
        sqlx::query(sql)
            .bind(policy_id.to_owned())
            .execute(&mut *conn)
            .await?;
    }
    super::permissions::changed(conn, account).await
}
