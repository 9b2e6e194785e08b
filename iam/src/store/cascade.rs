//! Deleting a user, group or policy with every row that refers to it, in one transaction.
//!
//! Each delete changes what some principal may do, so each calls the permissions-changed hook
//! once. The statements run in a fixed order; `delete_user` explains why its order matters.

use sqlx::AnyConnection;

use crate::account::AccountId;
use crate::error::IamError;

/// Deletes the user's sessions, group memberships, attached policies, tags, password history,
/// access keys, the user, and their access records.
pub(crate) async fn delete_user(
    conn: &mut AnyConnection,
    account: &AccountId,
    user_id: &str,
) -> Result<(), IamError> {
    for sql in [
        "DELETE FROM sessions WHERE principal_type = 'user' AND user_id = $1",
        "DELETE FROM group_members WHERE user_id = $1",
        "DELETE FROM user_policy_attachments WHERE user_id = $1",
        "DELETE FROM tags WHERE resource_id = $1",
        "DELETE FROM password_history WHERE user_id = $1",
        "DELETE FROM access_keys WHERE user_id = $1",
        // The user's row before their access records: a flush writing records for them holds
        // a key-share lock on it (`access_records.rs`), so this waits for that flush to commit
        // and the next statements then see and delete what it wrote.
        "DELETE FROM users WHERE id = $1",
        "DELETE FROM service_last_accessed WHERE principal_id = $1",
        "DELETE FROM action_last_accessed WHERE principal_id = $1",
    ] {
        sqlx::query(sql)
            .bind(user_id.to_owned())
            .execute(&mut *conn)
            .await?;
    }
    super::permissions::changed(conn, account).await
}

/// Deletes the group's memberships, attachments and inline policies, and the group.
pub(crate) async fn delete_group(
    conn: &mut AnyConnection,
    account: &AccountId,
    group_id: &str,
) -> Result<(), IamError> {
    for sql in [
        "DELETE FROM group_members WHERE group_id = $1",
        "DELETE FROM group_policy_attachments WHERE group_id = $1",
        "DELETE FROM group_inline_policies WHERE group_id = $1",
        "DELETE FROM groups WHERE id = $1",
    ] {
        sqlx::query(sql)
            .bind(group_id.to_owned())
            .execute(&mut *conn)
            .await?;
    }
    super::permissions::changed(conn, account).await
}

/// Detaches the customer managed policy `arn` (id `policy_id`) from every group and user,
/// drops its access records, and deletes its tags, versions and the policy.
pub(crate) async fn delete_policy(
    conn: &mut AnyConnection,
    account: &AccountId,
    policy_id: &str,
    arn: &str,
) -> Result<(), IamError> {
    for sql in [
        "DELETE FROM group_policy_attachments WHERE policy_arn = $1",
        "DELETE FROM user_policy_attachments WHERE policy_arn = $1",
        // A new policy of the same name must not inherit this one's Access Advisor history.
        "DELETE FROM policy_service_last_accessed WHERE policy_arn = $1",
        "DELETE FROM policy_action_last_accessed WHERE policy_arn = $1",
    ] {
        sqlx::query(sql)
            .bind(arn.to_owned())
            .execute(&mut *conn)
            .await?;
    }
    for sql in [
        "DELETE FROM tags WHERE resource_id = $1",
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
