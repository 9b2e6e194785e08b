//! The install's single account.

use sqlx::FromRow;

use super::Store;
use crate::account::{Account, AccountId};
use crate::clock::UnixTime;
use crate::error::IamError;

#[derive(FromRow)]
struct AccountRow {
    id: String,
    alias: Option<String>,
    created_at: i64,
}

impl AccountRow {
    fn into_account(self) -> Result<Account, IamError> {
        let id = AccountId::parse(&self.id).ok_or_else(|| {
            IamError::bug(format!(
                "the stored account id `{}` is not 12 digits",
                self.id
            ))
        })?;
        Ok(Account {
            id,
            alias: self.alias,
            created_at: UnixTime::from_secs(self.created_at),
        })
    }
}

/// `account` when `wanted` is `None` or its id; a conflict naming both otherwise.
fn check_account_id(account: Account, wanted: Option<&AccountId>) -> Result<Account, IamError> {
    match wanted {
        Some(wanted) if *wanted != account.id => Err(IamError::Conflict {
            field: "account_id",
            message: format!(
                "the account already exists as {}; --account-id only applies before the first start",
                account.id
            ),
        }),
        _ => Ok(account),
    }
}

impl Store {
    /// Returns the account, creating it with a fresh random id on first start.
    pub async fn ensure_account(&self, now: UnixTime) -> Result<Account, IamError> {
        self.ensure_account_with_id(now, None).await
    }

    /// Returns the account, creating it on first start with `id` (`--account-id`), or a fresh
    /// random id when `None`. When the account exists with another id than `id`: a conflict.
    pub async fn ensure_account_with_id(
        &self,
        now: UnixTime,
        id: Option<&AccountId>,
    ) -> Result<Account, IamError> {
        if let Some(account) = self.find_account().await? {
            return check_account_id(account, id);
        }
        let mut tx = self.begin_write().await?;
        // `singleton` is unique, so a concurrent first start inserts one row
        // and the other insert does nothing.
        sqlx::query(
            "INSERT INTO accounts (singleton, id, alias, created_at) VALUES (1, $1, NULL, $2) \
             ON CONFLICT (singleton) DO NOTHING",
        )
        .bind(
            id.cloned()
                .unwrap_or_else(AccountId::generate)
                .as_str()
                .to_owned(),
        )
        .bind(now.as_secs())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        check_account_id(self.account().await?, id)
    }

    /// The account; an internal error if `ensure_account` never ran.
    pub async fn account(&self) -> Result<Account, IamError> {
        self.find_account().await?.ok_or_else(|| {
            IamError::bug("the account does not exist; call ensure_account at start")
        })
    }

    async fn find_account(&self) -> Result<Option<Account>, IamError> {
        let row: Option<AccountRow> =
            sqlx::query_as("SELECT id, alias, created_at FROM accounts WHERE singleton = 1")
                .fetch_optional(self.pool())
                .await?;
        row.map(AccountRow::into_account).transpose()
    }

    /// The account named by `id_or_alias` (a 12-digit id, or an alias compared
    /// case-insensitively), if any.
    pub(crate) async fn find_account_by_id_or_alias(
        &self,
        id_or_alias: &str,
    ) -> Result<Option<Account>, IamError> {
        let wanted = id_or_alias.trim();
        let Some(account) = self.find_account().await? else {
            return Ok(None);
        };
        let by_id = AccountId::parse(wanted).is_some_and(|id| id == account.id);
        let by_alias = account
            .alias
            .as_deref()
            .is_some_and(|alias| alias.eq_ignore_ascii_case(wanted));
        Ok((by_id || by_alias).then_some(account))
    }
}
