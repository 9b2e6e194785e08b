//! Groups' inline policies (`group_inline_policies`): named documents that belong to one group,
//! with names unique in the group ignoring case.
//!
//! They grant permissions to the group's members, so every write that changed a row calls the
//! permissions-changed hook.

use sqlx::{AnyConnection, FromRow};

use super::permissions;
use crate::account::AccountId;
use crate::clock::UnixTime;
use crate::error::IamError;

/// One inline policy of a group.
#[derive(Debug, Clone, FromRow)]
pub(crate) struct InlinePolicyRow {
    pub(crate) name: String,
    pub(crate) document: String,
}

/// An inline policy in force for a user through one of its groups.
#[derive(Debug, Clone, FromRow)]
pub(crate) struct MemberInlinePolicyRow {
    pub(crate) group_name: String,
    pub(crate) name: String,
    pub(crate) document: String,
}

/// The group's inline policies, sorted by name ignoring case.
pub(crate) async fn list(
    conn: &mut AnyConnection,
    group_id: &str,
) -> Result<Vec<InlinePolicyRow>, IamError> {
    let rows = sqlx::query_as(
        "SELECT name, document FROM group_inline_policies WHERE group_id = $1 ORDER BY name_lower",
    )
    .bind(group_id.to_owned())
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows)
}

/// The documents of the group's inline policies other than `name` (ignoring case): what a put
/// of `name` adds to, for the group's size quota.
pub(crate) async fn documents_except(
    conn: &mut AnyConnection,
    group_id: &str,
    name: &str,
) -> Result<Vec<String>, IamError> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT document FROM group_inline_policies WHERE group_id = $1 AND name_lower <> $2",
    )
    .bind(group_id.to_owned())
    .bind(name.to_lowercase())
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|(d,)| d).collect())
}

/// The group's inline policy called `name` (any case), if any.
pub(crate) async fn find(
    conn: &mut AnyConnection,
    group_id: &str,
    name: &str,
) -> Result<Option<InlinePolicyRow>, IamError> {
    let row = sqlx::query_as(
        "SELECT name, document FROM group_inline_policies WHERE group_id = $1 AND name_lower = $2",
    )
    .bind(group_id.to_owned())
    .bind(name.to_lowercase())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row)
}

/// Adds the group's inline policy `name`, or replaces the one with that name ignoring case
/// (which then takes this spelling).
pub(crate) async fn put(
    conn: &mut AnyConnection,
    account: &AccountId,
    group_id: &str,
    name: &str,
    document: &str,
    now: UnixTime,
) -> Result<(), IamError> {
    let done = sqlx::query(
        "INSERT INTO group_inline_policies (group_id, name, name_lower, document, created_at, \
         updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (group_id, name_lower) DO UPDATE SET name = excluded.name, \
         document = excluded.document, updated_at = excluded.updated_at",
    )
    .bind(group_id.to_owned())
    .bind(name.to_owned())
    .bind(name.to_lowercase())
    .bind(document.to_owned())
    .bind(now.as_secs())
    .bind(now.as_secs())
    .execute(&mut *conn)
    .await?;
    permissions::changed_if(conn, account, done.rows_affected()).await?;
    Ok(())
}

/// Deletes the group's inline policy `name` (any case); false when the group has none by
/// that name.
pub(crate) async fn delete(
    conn: &mut AnyConnection,
    account: &AccountId,
    group_id: &str,
    name: &str,
) -> Result<bool, IamError> {
    let done =
        sqlx::query("DELETE FROM group_inline_policies WHERE group_id = $1 AND name_lower = $2")
            .bind(group_id.to_owned())
            .bind(name.to_lowercase())
            .execute(&mut *conn)
            .await?;
    permissions::changed_if(conn, account, done.rows_affected()).await
}

/// Deletes every inline policy of the group, when the group is deleted.
pub(crate) async fn delete_for_group(
    conn: &mut AnyConnection,
    account: &AccountId,
    group_id: &str,
) -> Result<(), IamError> {
    let done = sqlx::query("DELETE FROM group_inline_policies WHERE group_id = $1")
        .bind(group_id.to_owned())
        .execute(&mut *conn)
        .await?;
    permissions::changed_if(conn, account, done.rows_affected()).await?;
    Ok(())
}

/// The inline policies of every group the user is a member of, sorted by group name and then
/// policy name, ignoring case: the inline part of the user's effective policies.
pub(crate) async fn for_member(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<Vec<MemberInlinePolicyRow>, IamError> {
    let rows = sqlx::query_as(
        "SELECT g.name AS group_name, i.name, i.document FROM group_inline_policies i \
         JOIN group_members m ON m.group_id = i.group_id \
         JOIN groups g ON g.id = i.group_id \
         WHERE m.user_id = $1 ORDER BY g.name_lower, i.name_lower",
    )
    .bind(user_id.to_owned())
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows)
}
