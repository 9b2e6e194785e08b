//! The dashboard's counts.

use serde::{Deserialize, Serialize};

use super::Store;
use crate::authz::{Action, Authorized};
use crate::error::IamError;

/// IAM's `GetAccountSummary`, the parts the dashboard shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSummary {
    pub users: u64,
    pub groups: u64,
    pub policies: u64,
}

impl Store {
    /// Counts users, groups and customer managed policies in the caller's account.
    ///
    /// **Permissions**: `iam:GetAccountSummary`.
    pub async fn account_summary(&self, auth: &Authorized) -> Result<AccountSummary, IamError> {
        auth.require(Action::GetAccountSummary)?;
        // One statement, so the three counts come from one snapshot.
        let (users, groups, policies): (i64, i64, i64) = sqlx::query_as(
            "SELECT \
             (SELECT COUNT(*) FROM users WHERE account_id = $1), \
             (SELECT COUNT(*) FROM groups WHERE account_id = $2), \
             (SELECT COUNT(*) FROM policies WHERE account_id = $3)",
        )
        .bind(auth.principal().account_id().as_str().to_owned())
        .bind(auth.principal().account_id().as_str().to_owned())
        .bind(auth.principal().account_id().as_str().to_owned())
        .fetch_one(self.pool())
        .await?;
        let count =
            |n: i64| u64::try_from(n).map_err(|_| IamError::bug(format!("a negative count `{n}`")));
        Ok(AccountSummary {
            users: count(users)?,
            groups: count(groups)?,
            policies: count(policies)?,
        })
    }
}
