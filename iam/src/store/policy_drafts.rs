//! Policy document drafts, kept between the steps of the policy pages instead of in their URLs.
//! Each belongs to one session (`session_id_hash`, deleted with it by the foreign key).

use super::Store;
use crate::clock::UnixTime;
use crate::error::IamError;

impl Store {
    /// Stores a draft under `id` and, in the same transaction, deletes the session's drafts
    /// beyond its `keep` newest and everyone's drafts created at or before `expired`. The new
    /// draft is never among the deleted, even when several were saved in the same second.
    pub(crate) async fn insert_policy_draft(
        &self,
        id: &str,
        session_id_hash: &str,
        document: &str,
        now: UnixTime,
        keep: u32,
        expired: UnixTime,
    ) -> Result<(), IamError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO policy_drafts (id, session_id_hash, document, created_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(id.to_owned())
        .bind(session_id_hash.to_owned())
        .bind(document.to_owned())
        .bind(now.as_secs())
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "DELETE FROM policy_drafts WHERE session_id_hash = $1 AND id <> $2 AND id NOT IN \
             (SELECT id FROM policy_drafts WHERE session_id_hash = $3 AND id <> $4 \
             ORDER BY created_at DESC, id DESC LIMIT $5)",
        )
        .bind(session_id_hash.to_owned())
        .bind(id.to_owned())
        .bind(session_id_hash.to_owned())
        .bind(id.to_owned())
        .bind(i64::from(keep.saturating_sub(1)))
        .execute(&mut *tx)
        .await?;
        delete_expired(&mut tx, expired).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The document of draft `id` if the session `session_id_hash` saved it after `expired`.
    pub(crate) async fn find_policy_draft(
        &self,
        id: &str,
        session_id_hash: &str,
        expired: UnixTime,
    ) -> Result<Option<String>, IamError> {
        let row: Option<(String,)> = sqlx::query_as(
            "SELECT document FROM policy_drafts \
             WHERE id = $1 AND session_id_hash = $2 AND created_at > $3",
        )
        .bind(id.to_owned())
        .bind(session_id_hash.to_owned())
        .bind(expired.as_secs())
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|(document,)| document))
    }

    /// Deletes every draft created at or before `expired`; how many went.
    pub(crate) async fn delete_expired_policy_drafts(
        &self,
        expired: UnixTime,
    ) -> Result<u64, IamError> {
        let mut tx = self.begin_write().await?;
        let deleted = delete_expired(&mut tx, expired).await?;
        tx.commit().await?;
        Ok(deleted)
    }
}

async fn delete_expired(
    conn: &mut sqlx::AnyConnection,
    expired: UnixTime,
) -> Result<u64, IamError> {
    let result = sqlx::query("DELETE FROM policy_drafts WHERE created_at <= $1")
        .bind(expired.as_secs())
        .execute(&mut *conn)
        .await?;
    Ok(result.rows_affected())
}
