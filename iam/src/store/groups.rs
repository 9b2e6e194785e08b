//! IAM groups (`groups`): names unique in an account ignoring case.
//!
//! A group's name is part of what its members' decisions report (`<group>/<inline policy>`), so
//! a rename or move calls the permissions-changed hook, and so does a delete; a new group has no
//! members yet, so creating one does not.

use sqlx::{AnyConnection, FromRow};

use super::{EntityRow, Inserted, is_unique_violation, permissions};
use crate::account::AccountId;
use crate::clock::UnixTime;
use crate::error::IamError;

/// One row of a page of groups, with its counts.
#[derive(Debug, Clone, FromRow)]
pub(crate) struct GroupPageRow {
    pub(crate) name: String,
    pub(crate) path: String,
    pub(crate) created_at: i64,
    pub(crate) member_count: i64,
    /// Attached managed policies and inline policies together.
    pub(crate) policy_count: i64,
}

/// The group called `name` (any case) in `account`, if any.
pub(crate) async fn find_by_name(
    conn: &mut AnyConnection,
    account: &AccountId,
    name: &str,
) -> Result<Option<EntityRow>, IamError> {
    let row = sqlx::query_as(
        "SELECT id, name, path, created_at FROM groups WHERE account_id = $1 AND name_lower = $2",
    )
    .bind(account.as_str().to_owned())
    .bind(name.to_lowercase())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row)
}

/// How many of the account's groups have a lowercased name matching the `LIKE` `pattern`
/// (escape character `\`).
pub(crate) async fn count_matching(
    conn: &mut AnyConnection,
    account: &AccountId,
    pattern: &str,
) -> Result<i64, IamError> {
    let (total,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM groups WHERE account_id = $1 AND name_lower LIKE $2 ESCAPE '\\'",
    )
    .bind(account.as_str().to_owned())
    .bind(pattern.to_owned())
    .fetch_one(&mut *conn)
    .await?;
    Ok(total)
}

/// One page of the groups [`count_matching`] counts, sorted by name ignoring case.
pub(crate) async fn page(
    conn: &mut AnyConnection,
    account: &AccountId,
    pattern: &str,
    limit: u32,
    offset: u32,
) -> Result<Vec<GroupPageRow>, IamError> {
    let rows = sqlx::query_as(
        "SELECT g.name, g.path, g.created_at, \
         (SELECT COUNT(*) FROM group_members m WHERE m.group_id = g.id) AS member_count, \
         (SELECT COUNT(*) FROM group_policy_attachments a WHERE a.group_id = g.id) \
         + (SELECT COUNT(*) FROM group_inline_policies i WHERE i.group_id = g.id) AS policy_count \
         FROM groups g WHERE g.account_id = $1 AND g.name_lower LIKE $2 ESCAPE '\\' \
         ORDER BY g.name_lower LIMIT $3 OFFSET $4",
    )
    .bind(account.as_str().to_owned())
    .bind(pattern.to_owned())
    .bind(i64::from(limit))
    .bind(i64::from(offset))
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows)
}

/// Inserts a new group; `NameTaken` when the account has a group by that name ignoring case.
pub(crate) async fn insert(
    conn: &mut AnyConnection,
    account: &AccountId,
    id: &str,
    name: &str,
    path: &str,
    now: UnixTime,
) -> Result<Inserted, IamError> {
    let result = sqlx::query(
        "INSERT INTO groups (id, account_id, name, name_lower, path, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id.to_owned())
    .bind(account.as_str().to_owned())
    .bind(name.to_owned())
    .bind(name.to_lowercase())
    .bind(path.to_owned())
    .bind(now.as_secs())
    .execute(&mut *conn)
    .await;
    Inserted::from_result(result)
}

/// Gives the group a new name and path (either may be its current one); `NameTaken` when
/// another group of the account has that name ignoring case.
pub(crate) async fn rename(
    conn: &mut AnyConnection,
    account: &AccountId,
    id: &str,
    name: &str,
    path: &str,
) -> Result<Inserted, IamError> {
    let result =
        sqlx::query("UPDATE groups SET name = $1, name_lower = $2, path = $3 WHERE id = $4")
            .bind(name.to_owned())
            .bind(name.to_lowercase())
            .bind(path.to_owned())
            .bind(id.to_owned())
            .execute(&mut *conn)
            .await;
    match result {
        Ok(done) => {
            permissions::changed_if(conn, account, done.rows_affected()).await?;
            Ok(Inserted::Done)
        }
        Err(e) if is_unique_violation(&e) => Ok(Inserted::NameTaken),
        Err(e) => Err(IamError::from(e)),
    }
}

/// Deletes the group's row. Its members, attachments and inline policies go first, each with
/// the function of its own table.
pub(crate) async fn delete(
    conn: &mut AnyConnection,
    account: &AccountId,
    id: &str,
) -> Result<(), IamError> {
    sqlx::query("DELETE FROM groups WHERE id = $1")
        .bind(id.to_owned())
        .execute(&mut *conn)
        .await?;
    permissions::changed(conn, account).await?;
    Ok(())
}
