//! Managed policies attached to groups and users: one table per holder, the same statements on
//! each. Attachments name policies by ARN, so AWS managed policies (which have no row) attach
//! the same way as customer managed ones.

use std::collections::HashMap;

use sqlx::{AnyConnection, FromRow};

use crate::account::AccountId;
use crate::clock::UnixTime;
use crate::error::IamError;
use crate::store::permissions;

/// What a managed policy is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Holder {
    Group,
    User,
}

impl Holder {
    fn select_sql(self) -> &'static str {
        match self {
            Holder::Group => {
                "SELECT policy_arn FROM group_policy_attachments WHERE group_id = $1 \
                 ORDER BY policy_arn"
            }
            Holder::User => {
                "SELECT policy_arn FROM user_policy_attachments WHERE user_id = $1 \
                 ORDER BY policy_arn"
            }
        }
    }

    fn insert_sql(self) -> &'static str {
        match self {
            Holder::Group => {
                "INSERT INTO group_policy_attachments (group_id, policy_arn, attached_at) \
                 VALUES ($1, $2, $3) ON CONFLICT (group_id, policy_arn) DO NOTHING"
            }
            Holder::User => {
                "INSERT INTO user_policy_attachments (user_id, policy_arn, attached_at) \
                 VALUES ($1, $2, $3) ON CONFLICT (user_id, policy_arn) DO NOTHING"
            }
        }
    }

    fn delete_sql(self) -> &'static str {
        match self {
            Holder::Group => {
                "DELETE FROM group_policy_attachments WHERE group_id = $1 AND policy_arn = $2"
            }
            Holder::User => {
                "DELETE FROM user_policy_attachments WHERE user_id = $1 AND policy_arn = $2"
            }
        }
    }

    fn delete_all_sql(self) -> &'static str {
        match self {
            Holder::Group => "DELETE FROM group_policy_attachments WHERE group_id = $1",
            Holder::User => "DELETE FROM user_policy_attachments WHERE user_id = $1",
        }
    }
}

/// The name and path of a group or user a policy is attached to.
#[derive(Debug, Clone, FromRow)]
pub(crate) struct HolderName {
    pub(crate) name: String,
    pub(crate) path: String,
}

/// The groups and users a policy is attached to, each sorted by name (ignoring case).
#[derive(Debug, Clone, Default)]
pub(crate) struct Holders {
    pub(crate) groups: Vec<HolderName>,
    pub(crate) users: Vec<HolderName>,
}

/// The ARNs of the managed policies attached to `holder_id`, sorted.
pub(crate) async fn list(
    conn: &mut AnyConnection,
    holder: Holder,
    holder_id: &str,
) -> Result<Vec<String>, IamError> {
    let rows: Vec<(String,)> = sqlx::query_as(holder.select_sql())
        .bind(holder_id.to_owned())
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.into_iter().map(|(a,)| a).collect())
}

/// Attaches `policy_arn` to `holder_id`; false (and no change) when it was attached already.
/// The holder's row and a customer managed policy's row should be locked by the caller, so a
/// concurrent delete of either cannot leave the attachment behind.
pub(crate) async fn insert(
    conn: &mut AnyConnection,
    account: &AccountId,
    holder: Holder,
    holder_id: &str,
    policy_arn: &str,
    now: UnixTime,
) -> Result<bool, IamError> {
    let done = sqlx::query(holder.insert_sql())
        .bind(holder_id.to_owned())
        .bind(policy_arn.to_owned())
        .bind(now.as_secs())
        .execute(&mut *conn)
        .await?;
    permissions::changed_if(conn, account, done.rows_affected()).await
}

/// Detaches `policy_arn` from `holder_id`; false when it was not attached.
pub(crate) async fn delete(
    conn: &mut AnyConnection,
    account: &AccountId,
    holder: Holder,
    holder_id: &str,
    policy_arn: &str,
) -> Result<bool, IamError> {
    let done = sqlx::query(holder.delete_sql())
        .bind(holder_id.to_owned())
        .bind(policy_arn.to_owned())
        .execute(&mut *conn)
        .await?;
    permissions::changed_if(conn, account, done.rows_affected()).await
}

/// Detaches every managed policy from `holder_id`, for deleting the group or user; returns how
/// many were attached.
pub(crate) async fn delete_for_holder(
    conn: &mut AnyConnection,
    account: &AccountId,
    holder: Holder,
    holder_id: &str,
) -> Result<u64, IamError> {
    let done = sqlx::query(holder.delete_all_sql())
        .bind(holder_id.to_owned())
        .execute(&mut *conn)
        .await?;
    let deleted = done.rows_affected();
    permissions::changed_if(conn, account, deleted).await?;
    Ok(deleted)
}

/// Detaches `policy_arn` from every group and user, for deleting the policy; returns how many
/// attachments there were.
pub(crate) async fn delete_for_policy(
    conn: &mut AnyConnection,
    account: &AccountId,
    policy_arn: &str,
) -> Result<u64, IamError> {
    let mut deleted = 0;
    for sql in [
        "DELETE FROM group_policy_attachments WHERE policy_arn = $1",
        "DELETE FROM user_policy_attachments WHERE policy_arn = $1",
    ] {
        let done = sqlx::query(sql)
            .bind(policy_arn.to_owned())
            .execute(&mut *conn)
            .await?;
        deleted += done.rows_affected();
    }
    permissions::changed_if(conn, account, deleted).await?;
    Ok(deleted)
}

/// The groups and users `policy_arn` is attached to.
pub(crate) async fn holders_of(
    conn: &mut AnyConnection,
    policy_arn: &str,
) -> Result<Holders, IamError> {
    let groups = sqlx::query_as(
        "SELECT g.name, g.path FROM group_policy_attachments a JOIN groups g ON g.id = a.group_id \
         WHERE a.policy_arn = $1 ORDER BY g.name_lower",
    )
    .bind(policy_arn.to_owned())
    .fetch_all(&mut *conn)
    .await?;
    let users = sqlx::query_as(
        "SELECT u.name, u.path FROM user_policy_attachments a JOIN users u ON u.id = a.user_id \
         WHERE a.policy_arn = $1 ORDER BY u.name_lower",
    )
    .bind(policy_arn.to_owned())
    .fetch_all(&mut *conn)
    .await?;
    Ok(Holders { groups, users })
}

/// How many groups and users `policy_arn` is attached to.
pub(crate) async fn count_for(conn: &mut AnyConnection, policy_arn: &str) -> Result<u32, IamError> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM group_policy_attachments WHERE policy_arn = $1) \
         + (SELECT COUNT(*) FROM user_policy_attachments WHERE policy_arn = $2)",
    )
    .bind(policy_arn.to_owned())
    .bind(policy_arn.to_owned())
    .fetch_one(&mut *conn)
    .await?;
    to_u32(n)
}

/// How many groups and users each attached policy is attached to, by ARN.
pub(crate) async fn counts(conn: &mut AnyConnection) -> Result<HashMap<String, u32>, IamError> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT policy_arn, COUNT(*) FROM (\
         SELECT policy_arn FROM group_policy_attachments \
         UNION ALL SELECT policy_arn FROM user_policy_attachments) a \
         GROUP BY policy_arn",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(arn, n)| Ok((arn, to_u32(n)?)))
        .collect()
}

fn to_u32(n: i64) -> Result<u32, IamError> {
    u32::try_from(n).map_err(|_| IamError::bug(format!("a count out of range `{n}`")))
}
