//! Row locks that order writers touching the same group, user or policy.

use sqlx::AnyConnection;

use crate::arn::Kind;
use crate::error::IamError;

/// Takes the row lock of a group, user or policy for the rest of the
/// transaction (PostgreSQL; SQLite's `BEGIN IMMEDIATE` already serializes
/// writers), so that quota checks and deletes see each other. False when the
/// row is gone.
pub(crate) async fn lock_row(
    conn: &mut AnyConnection,
    kind: Kind,
    id: &str,
) -> Result<bool, IamError> {
    let sql = match kind {
        Kind::Group => "UPDATE groups SET name = name WHERE id = $1",
        Kind::User => "UPDATE users SET name = name WHERE id = $1",
        Kind::Policy => "UPDATE policies SET name = name WHERE id = $1",
    };
    let done = sqlx::query(sql)
        .bind(id.to_owned())
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
