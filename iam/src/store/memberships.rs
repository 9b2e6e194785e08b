//! Which users are in which groups (`group_members`).
//!
//! A member gets the group's policies, so every write that adds or removes a membership calls
//! the permissions-changed hook when it changed a row.

use sqlx::{AnyConnection, FromRow};

use super::{EntityRow, permissions};
use crate::account::AccountId;
use crate::clock::UnixTime;
use crate::error::IamError;

/// A group as a member's list shows it: enough to name it and build its ARN.
#[derive(Debug, Clone, FromRow)]
pub(crate) struct NamePathRow {
    pub(crate) name: String,
    pub(crate) path: String,
}

/// Adds the user to the group; adding a member again changes nothing.
pub(crate) async fn insert(
    conn: &mut AnyConnection,
    account: &AccountId,
    group_id: &str,
    user_id: &str,
    now: UnixTime,
) -> Result<(), IamError> {
    let done = sqlx::query(
        "INSERT INTO group_members (group_id, user_id, added_at) VALUES ($1, $2, $3) \
         ON CONFLICT (group_id, user_id) DO NOTHING",
    )
    .bind(group_id.to_owned())
    .bind(user_id.to_owned())
    .bind(now.as_secs())
    .execute(&mut *conn)
    .await?;
    permissions::changed_if(conn, account, done.rows_affected()).await?;
    Ok(())
}

/// Removes the user from the group; false when the user was not a member.
pub(crate) async fn delete(
    conn: &mut AnyConnection,
    account: &AccountId,
    group_id: &str,
    user_id: &str,
) -> Result<bool, IamError> {
    let done = sqlx::query("DELETE FROM group_members WHERE group_id = $1 AND user_id = $2")
        .bind(group_id.to_owned())
        .bind(user_id.to_owned())
        .execute(&mut *conn)
        .await?;
    permissions::changed_if(conn, account, done.rows_affected()).await
}

/// Whether the user is a member of the group.
pub(crate) async fn exists(
    conn: &mut AnyConnection,
    group_id: &str,
    user_id: &str,
) -> Result<bool, IamError> {
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM group_members WHERE group_id = $1 AND user_id = $2")
            .bind(group_id.to_owned())
            .bind(user_id.to_owned())
            .fetch_one(&mut *conn)
            .await?;
    Ok(count > 0)
}

/// How many groups the user is a member of.
pub(crate) async fn count_for_user(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<i64, IamError> {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM group_members WHERE user_id = $1")
        .bind(user_id.to_owned())
        .fetch_one(&mut *conn)
        .await?;
    Ok(count)
}

/// The group's members, sorted by name ignoring case.
pub(crate) async fn members(
    conn: &mut AnyConnection,
    group_id: &str,
) -> Result<Vec<EntityRow>, IamError> {
    let rows = sqlx::query_as(
        "SELECT u.id, u.name, u.path, u.created_at FROM group_members m \
         JOIN users u ON u.id = m.user_id WHERE m.group_id = $1 ORDER BY u.name_lower",
    )
    .bind(group_id.to_owned())
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows)
}

/// The groups the user is a member of, sorted by name ignoring case.
pub(crate) async fn groups_of_user(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<Vec<NamePathRow>, IamError> {
    let rows = sqlx::query_as(
        "SELECT g.name, g.path FROM group_members m JOIN groups g ON g.id = m.group_id \
         WHERE m.user_id = $1 ORDER BY g.name_lower",
    )
    .bind(user_id.to_owned())
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows)
}

/// Removes the user from every group, when the user is deleted.
pub(crate) async fn delete_for_user(
    conn: &mut AnyConnection,
    account: &AccountId,
    user_id: &str,
) -> Result<(), IamError> {
    let done = sqlx::query("DELETE FROM group_members WHERE user_id = $1")
        .bind(user_id.to_owned())
        .execute(&mut *conn)
        .await?;
    permissions::changed_if(conn, account, done.rows_affected()).await?;
    Ok(())
}

/// Removes every member of the group, when the group is deleted.
pub(crate) async fn delete_for_group(
    conn: &mut AnyConnection,
    account: &AccountId,
    group_id: &str,
) -> Result<(), IamError> {
    let done = sqlx::query("DELETE FROM group_members WHERE group_id = $1")
        .bind(group_id.to_owned())
        .execute(&mut *conn)
        .await?;
    permissions::changed_if(conn, account, done.rows_affected()).await?;
    Ok(())
}
