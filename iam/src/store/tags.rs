//! Tags of users and customer managed policies, keyed by the resource's id; keys are unique
//! ignoring case, and the stored key keeps the spelling of its latest write.
//!
//! Every write calls the permissions-changed hook when it changed a row: a user's tags are the
//! `aws:PrincipalTag/*` keys of its requests, and hooking policy tags too keeps the rule simple.

use sqlx::AnyConnection;

use super::permissions;
use crate::account::AccountId;
use crate::error::IamError;
use crate::types::Tag;

/// The tags of a resource, sorted by key ignoring case.
pub(crate) async fn list(
    conn: &mut AnyConnection,
    resource_id: &str,
) -> Result<Vec<Tag>, IamError> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT tag_key, tag_value FROM tags WHERE resource_id = $1 ORDER BY key_lower",
    )
    .bind(resource_id.to_owned())
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(key, value)| Tag { key, value })
        .collect())
}

/// Adds tags to a resource, overwriting the value (and the key's spelling) of keys it has.
pub(crate) async fn upsert(
    conn: &mut AnyConnection,
    account: &AccountId,
    resource_id: &str,
    tags: &[Tag],
) -> Result<(), IamError> {
    let mut changed = 0;
    for tag in tags {
        let done = sqlx::query(
            "INSERT INTO tags (resource_id, tag_key, key_lower, tag_value) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (resource_id, key_lower) DO UPDATE SET tag_key = excluded.tag_key, \
             tag_value = excluded.tag_value",
        )
        .bind(resource_id.to_owned())
        .bind(tag.key.clone())
        .bind(tag.key.to_lowercase())
        .bind(tag.value.clone())
        .execute(&mut *conn)
        .await?;
        changed += done.rows_affected();
    }
    permissions::changed_if(conn, account, changed).await?;
    Ok(())
}

/// Removes the resource's tags with these keys (ignoring case); keys it does not have are
/// ignored.
pub(crate) async fn delete_keys(
    conn: &mut AnyConnection,
    account: &AccountId,
    resource_id: &str,
    keys: &[String],
) -> Result<(), IamError> {
    let mut changed = 0;
    for key in keys {
        let done = sqlx::query("DELETE FROM tags WHERE resource_id = $1 AND key_lower = $2")
            .bind(resource_id.to_owned())
            .bind(key.to_lowercase())
            .execute(&mut *conn)
            .await?;
        changed += done.rows_affected();
    }
    permissions::changed_if(conn, account, changed).await?;
    Ok(())
}

/// Removes every tag of a resource, when the resource is deleted.
pub(crate) async fn delete_all(
    conn: &mut AnyConnection,
    account: &AccountId,
    resource_id: &str,
) -> Result<(), IamError> {
    let done = sqlx::query("DELETE FROM tags WHERE resource_id = $1")
        .bind(resource_id.to_owned())
        .execute(&mut *conn)
        .await?;
    permissions::changed_if(conn, account, done.rows_affected()).await?;
    Ok(())
}
