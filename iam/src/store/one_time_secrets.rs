//! One-time secrets: sealed values waiting for the page that shows them once, and the master
//! key's check value. The rows hold only ciphertext (see `crate::master_key`).

use sqlx::AnyConnection;

use crate::clock::UnixTime;
use crate::error::IamError;

/// What [`insert`] writes.
pub(crate) struct NewOneTimeSecret<'a> {
    pub(crate) id_hash: &'a str,
    pub(crate) session_id_hash: &'a str,
    pub(crate) kind: &'a str,
    pub(crate) sealed_hex: &'a str,
    pub(crate) expires_at: UnixTime,
}

pub(crate) async fn insert(
    conn: &mut AnyConnection,
    secret: &NewOneTimeSecret<'_>,
) -> Result<(), IamError> {
    sqlx::query(
        "INSERT INTO one_time_secrets (id_hash, session_id_hash, kind, sealed, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(secret.id_hash.to_owned())
    .bind(secret.session_id_hash.to_owned())
    .bind(secret.kind.to_owned())
    .bind(secret.sealed_hex.to_owned())
    .bind(secret.expires_at.as_secs())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Deletes the secret `id_hash` of kind `kind` if it belongs to `session_id_hash`, and returns
/// its sealed value and expiry. One statement, so two instances asked at once cannot both get
/// it; another session's request leaves it in place for its own session.
pub(crate) async fn take(
    conn: &mut AnyConnection,
    id_hash: &str,
    session_id_hash: &str,
    kind: &str,
) -> Result<Option<(String, i64)>, IamError> {
    let row = sqlx::query_as(
        "DELETE FROM one_time_secrets WHERE id_hash = $1 AND session_id_hash = $2 AND kind = $3 \
         RETURNING sealed, expires_at",
    )
    .bind(id_hash.to_owned())
    .bind(session_id_hash.to_owned())
    .bind(kind.to_owned())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row)
}

/// Deletes every secret whose TTL ended at or before `now`; how many went.
pub(crate) async fn delete_expired(
    conn: &mut AnyConnection,
    now: UnixTime,
) -> Result<u64, IamError> {
    let done = sqlx::query("DELETE FROM one_time_secrets WHERE expires_at <= $1")
        .bind(now.as_secs())
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}

/// The master key's check value, if one was stored.
pub(crate) async fn master_key_check(conn: &mut AnyConnection) -> Result<Option<String>, IamError> {
    let row: Option<(String,)> = sqlx::query_as("SELECT sealed FROM master_key_check")
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(|(sealed,)| sealed))
}

/// Stores the check value unless another instance stored one first; the caller reads it back.
pub(crate) async fn insert_master_key_check(
    conn: &mut AnyConnection,
    sealed_hex: &str,
    now: UnixTime,
) -> Result<(), IamError> {
    sqlx::query(
        "INSERT INTO master_key_check (singleton, sealed, created_at) VALUES (1, $1, $2) \
         ON CONFLICT (singleton) DO NOTHING",
    )
    .bind(sealed_hex.to_owned())
    .bind(now.as_secs())
    .execute(&mut *conn)
    .await?;
    Ok(())
}
