//! Session rows. The primary key is the SHA-256 of the token; the token itself
//! never reaches the database.

use sqlx::{AnyConnection, FromRow};

use super::Store;
use crate::account::AccountId;
use crate::clock::UnixTime;
use crate::error::IamError;
use crate::event::RequestMeta;
use crate::secret::TokenHash;
use crate::session::{SESSION_IDLE_TIMEOUT_SECS, SESSION_MAX_AGE_SECS, SessionState};

/// A session row joined with the names its principal needs.
#[derive(FromRow)]
pub(crate) struct SessionRow {
    pub(crate) id_hash: String,
    pub(crate) account_id: String,
    pub(crate) principal_type: String,
    pub(crate) user_id: Option<String>,
    pub(crate) state: String,
    pub(crate) created_at: i64,
    pub(crate) last_seen_at: i64,
    pub(crate) root_email: Option<String>,
    pub(crate) user_name: Option<String>,
    pub(crate) user_path: Option<String>,
}

/// What `insert_session` writes.
pub(crate) struct NewSession<'a> {
    pub(crate) hash: &'a TokenHash,
    pub(crate) account_id: &'a AccountId,
    /// `None` for the root user.
    pub(crate) user_id: Option<&'a str>,
    pub(crate) state: SessionState,
    pub(crate) meta: &'a RequestMeta,
    pub(crate) now: UnixTime,
}

impl Store {
    pub(crate) async fn find_session(
        &self,
        hash: &TokenHash,
    ) -> Result<Option<SessionRow>, IamError> {
        // LEFT JOINs: a session whose root or user row vanished comes back with
        // NULL names, and the caller ends it.
        let row = sqlx::query_as(
            "SELECT s.id_hash, s.account_id, s.principal_type, s.user_id, s.state, \
             s.created_at, s.last_seen_at, r.email AS root_email, u.name AS user_name, \
             u.path AS user_path \
             FROM sessions s \
             LEFT JOIN root_users r ON s.principal_type = 'root' AND r.account_id = s.account_id \
             LEFT JOIN users u ON u.id = s.user_id \
             WHERE s.id_hash = $1",
        )
        .bind(hash.as_str().to_owned())
        .fetch_optional(self.pool())
        .await?;
        Ok(row)
    }

    /// Moves `last_seen_at` forward to `now`.
    pub(crate) async fn touch_session(
        &self,
        hash: &TokenHash,
        now: UnixTime,
    ) -> Result<(), IamError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2 AND last_seen_at < $3",
        )
        .bind(now.as_secs())
        .bind(hash.as_str().to_owned())
        .bind(now.as_secs())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes one session; deleting a missing one is not an error.
    pub(crate) async fn end_session(&self, hash: &TokenHash) -> Result<(), IamError> {
        let mut tx = self.begin_write().await?;
        delete_session(&mut tx, hash).await?;
        tx.commit().await?;
        Ok(())
    }
}

pub(crate) async fn insert_session(
    conn: &mut AnyConnection,
    new: &NewSession<'_>,
) -> Result<(), IamError> {
    let principal_type = if new.user_id.is_some() {
        "user"
    } else {
        "root"
    };
    sqlx::query(
        "INSERT INTO sessions (id_hash, account_id, principal_type, user_id, state, created_at, \
         last_seen_at, source_ip, user_agent) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(new.hash.as_str().to_owned())
    .bind(new.account_id.as_str().to_owned())
    .bind(principal_type)
    .bind(new.user_id.map(str::to_owned))
    .bind(new.state.as_str())
    .bind(new.now.as_secs())
    .bind(new.now.as_secs())
    .bind(new.meta.source_ip_clipped())
    .bind(new.meta.user_agent_clipped())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub(crate) async fn delete_session(
    conn: &mut AnyConnection,
    hash: &TokenHash,
) -> Result<(), IamError> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(hash.as_str().to_owned())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Deletes every session past its absolute or idle limit, so the table stays
/// small without a separate job.
pub(crate) async fn delete_expired_sessions(
    conn: &mut AnyConnection,
    now: UnixTime,
) -> Result<u64, IamError> {
    let result = sqlx::query("DELETE FROM sessions WHERE created_at <= $1 OR last_seen_at <= $2")
        .bind(now.plus_secs(-SESSION_MAX_AGE_SECS).as_secs())
        .bind(now.plus_secs(-SESSION_IDLE_TIMEOUT_SECS).as_secs())
        .execute(&mut *conn)
        .await?;
    Ok(result.rows_affected())
}

/// Ends every session of the user.
pub(crate) async fn delete_for_user(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<(), IamError> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id.to_owned())
        .execute(&mut *conn)
        .await?;
    Ok(())
}
