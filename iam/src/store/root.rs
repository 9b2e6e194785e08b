//! The root user and the one-time setup token.

use sqlx::{AnyConnection, FromRow};

use super::Store;
use crate::account::AccountId;
use crate::clock::UnixTime;
use crate::error::IamError;
use crate::password::PasswordHash;
use crate::secret::{SetupToken, TokenHash};

/// A root user as stored; the hash stays inside this crate.
#[derive(FromRow)]
pub(crate) struct RootRow {
    account_id: String,
    pub(crate) email: String,
    password_hash: String,
}

impl RootRow {
    pub(crate) fn account_id(&self) -> Result<AccountId, IamError> {
        AccountId::parse(&self.account_id).ok_or_else(|| {
            IamError::bug(format!(
                "the root user's account id `{}` is not 12 digits",
                self.account_id
            ))
        })
    }

    pub(crate) fn password_hash(&self) -> PasswordHash {
        PasswordHash::from_stored(self.password_hash.clone())
    }
}

impl Store {
    /// Whether the root user has been set up.
    pub async fn root_exists(&self) -> Result<bool, IamError> {
        let mut conn = self.pool().acquire().await?;
        root_exists_in(&mut conn).await
    }

    /// Issues the one-time setup token when no root user exists, replacing any
    /// earlier one; `None` once root is set up. Only the token's SHA-256 is
    /// stored: print the returned token once and drop it.
    pub async fn issue_setup_token(&self, now: UnixTime) -> Result<Option<SetupToken>, IamError> {
        let mut tx = self.begin_write().await?;
        if root_exists_in(&mut tx).await? {
            return Ok(None);
        }
        let token = SetupToken::generate()?;
        sqlx::query(
            "INSERT INTO setup_tokens (singleton, token_hash, created_at) VALUES (1, $1, $2) \
             ON CONFLICT (singleton) DO UPDATE SET token_hash = excluded.token_hash, \
             created_at = excluded.created_at",
        )
        .bind(token.hash().as_str().to_owned())
        .bind(now.as_secs())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(token))
    }

    /// The root user whose email matches (case-insensitively), if any.
    pub(crate) async fn find_root_by_email(
        &self,
        email: &str,
    ) -> Result<Option<RootRow>, IamError> {
        let row = sqlx::query_as(
            "SELECT account_id, email, password_hash FROM root_users WHERE email_lower = $1",
        )
        .bind(email.trim().to_lowercase())
        .fetch_optional(self.pool())
        .await?;
        Ok(row)
    }
}

pub(crate) async fn root_exists_in(conn: &mut AnyConnection) -> Result<bool, IamError> {
    // A text column, not `SELECT 1`: a literal is INT4 on PostgreSQL and
    // would not decode as the INTEGER it is on SQLite.
    let row: Option<(String,)> = sqlx::query_as("SELECT account_id FROM root_users LIMIT 1")
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.is_some())
}

/// The root user's email, if root is set up.
pub(crate) async fn root_email_in(conn: &mut AnyConnection) -> Result<Option<String>, IamError> {
    let row: Option<(String,)> = sqlx::query_as("SELECT email FROM root_users LIMIT 1")
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(|(email,)| email))
}

/// The stored setup token hash, if one is outstanding.
pub(crate) async fn setup_token_hash(
    conn: &mut AnyConnection,
) -> Result<Option<TokenHash>, IamError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT token_hash FROM setup_tokens WHERE singleton = 1")
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.map(|(hash,)| TokenHash::from_stored(hash)))
}

pub(crate) async fn delete_setup_token(conn: &mut AnyConnection) -> Result<(), IamError> {
    sqlx::query("DELETE FROM setup_tokens")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub(crate) async fn insert_root(
    conn: &mut AnyConnection,
    account_id: &AccountId,
    email: &str,
    hash: &PasswordHash,
    now: UnixTime,
) -> Result<(), IamError> {
    sqlx::query(
        "INSERT INTO root_users (account_id, email, email_lower, password_hash, created_at, \
         password_changed_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(account_id.as_str().to_owned())
    .bind(email.to_owned())
    .bind(email.to_lowercase())
    .bind(hash.as_phc().to_owned())
    .bind(now.as_secs())
    .bind(now.as_secs())
    .execute(&mut *conn)
    .await?;
    Ok(())
}
