//! Deleting a user, group or policy with every row that refers to it, in the caller's
//! transaction, through each aggregate's own delete (so each table is still written in one
//! place, and each of those calls the permissions-changed hook).
//!
//! The order is fixed; `delete_user` explains why its order matters.

use sqlx::AnyConnection;

use super::attachments::{self, Holder};
use super::{
    access_keys, access_records, group_inline_policies, groups, login_profiles, memberships,
    policies, sessions, tags, users,
};
use crate::account::AccountId;
use crate::error::IamError;

/// Deletes the user's sessions, group memberships, attached policies, tags, password history,
/// access keys, the user, and their access records.
pub(crate) async fn delete_user(
    conn: &mut AnyConnection,
    account: &AccountId,
    user_id: &str,
) -> Result<(), IamError> {
    sessions::delete_for_user(conn, user_id).await?;
    memberships::delete_for_user(conn, account, user_id).await?;
    attachments::delete_for_holder(conn, account, Holder::User, user_id).await?;
    tags::delete_all(conn, account, user_id).await?;
    login_profiles::history::delete_for_user(conn, user_id).await?;
    access_keys::delete_for_user(conn, account, user_id).await?;
    // The user's row before their access records: a flush writing records for them holds a
    // key-share lock on it (`access_records::missing_users_locked`), so this waits for that
    // flush to commit and the next statements then see and delete what it wrote.
    users::delete(conn, account, user_id).await?;
    access_records::delete_for_principal(conn, user_id).await
}

/// Deletes the group's memberships, attachments and inline policies, and the group.
pub(crate) async fn delete_group(
    conn: &mut AnyConnection,
    account: &AccountId,
    group_id: &str,
) -> Result<(), IamError> {
    memberships::delete_for_group(conn, account, group_id).await?;
    attachments::delete_for_holder(conn, account, Holder::Group, group_id).await?;
    group_inline_policies::delete_for_group(conn, account, group_id).await?;
    groups::delete(conn, account, group_id).await
}

/// Detaches the customer managed policy `arn` (id `policy_id`) from every group and user,
/// drops its access records, and deletes its tags, versions and the policy.
pub(crate) async fn delete_policy(
    conn: &mut AnyConnection,
    account: &AccountId,
    policy_id: &str,
    arn: &str,
) -> Result<(), IamError> {
    attachments::delete_for_policy(conn, account, arn).await?;
    access_records::delete_for_policy(conn, arn).await?;
    tags::delete_all(conn, account, policy_id).await?;
    policies::delete(conn, account, policy_id).await
}
