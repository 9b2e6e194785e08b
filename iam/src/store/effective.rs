//! The read model of authorization decisions: the managed policies in force for a user, read in
//! one statement across attachments, memberships, policies and their default versions.

use sqlx::{AnyConnection, FromRow};

use crate::account::AccountId;
use crate::error::IamError;

/// A managed policy in force for a user: its ARN, and the default version's document for a
/// customer managed one (`None` for an AWS managed one, which has no row, or for an attachment
/// whose policy is gone).
#[derive(Debug, Clone, FromRow)]
pub(crate) struct ManagedRow {
    pub(crate) policy_arn: String,
    pub(crate) document: Option<String>,
}

/// The managed policies attached to the user or to any of the user's groups, each once, sorted
/// by ARN.
pub(crate) async fn managed_for_user(
    conn: &mut AnyConnection,
    account: &AccountId,
    user_id: &str,
) -> Result<Vec<ManagedRow>, IamError> {
    let rows = sqlx::query_as(
        "SELECT x.policy_arn, v.document FROM (\
            SELECT policy_arn FROM user_policy_attachments WHERE user_id = $1 \
            UNION \
            SELECT a.policy_arn FROM group_policy_attachments a \
            JOIN group_members m ON m.group_id = a.group_id WHERE m.user_id = $1\
         ) x \
         LEFT JOIN policies p ON p.account_id = $2 \
            AND ('arn:aws:iam::' || p.account_id || ':policy' || p.path || p.name) = x.policy_arn \
         LEFT JOIN policy_versions v ON v.policy_id = p.id AND v.version = p.default_version \
         ORDER BY x.policy_arn",
    )
    .bind(user_id.to_owned())
    .bind(account.as_str().to_owned())
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows)
}
