//! The "permissions changed" hook: every store write that can change what a principal may do
//! calls [`changed`] in its own transaction, and a cache of compiled identities compares
//! [`version`] with the value it was built at.

use sqlx::AnyConnection;

use crate::account::AccountId;
use crate::error::IamError;

/// Bumps the account's permissions version. Call it on the connection of the transaction that
/// makes the change, so the new value becomes visible with the change and never before it.
///
/// On PostgreSQL this takes the account row's lock until the transaction ends, which orders
/// the bumps with their commits. A transaction that also locks groups, users or policies must
/// take those locks before its first bump, or it can deadlock with one that locked them first.
pub(crate) async fn changed(conn: &mut AnyConnection, account: &AccountId) -> Result<(), IamError> {
    let done = sqlx::query(
        "UPDATE accounts SET permissions_version = permissions_version + 1 WHERE id = $1",
    )
    .bind(account.as_str().to_owned())
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Err(IamError::bug(format!(
            "no account `{}` to record a permissions change in",
            account.as_str()
        )));
    }
    Ok(())
}

/// [`changed`] when a write touched `rows` rows, nothing when it touched none (detaching what
/// was not attached, deleting what is gone); whether it bumped.
pub(crate) async fn changed_if(
    conn: &mut AnyConnection,
    account: &AccountId,
    rows: u64,
) -> Result<bool, IamError> {
    if rows == 0 {
        return Ok(false);
    }
    changed(conn, account).await?;
    Ok(true)
}

/// The account's permissions version: it grows with every committed change of permissions.
pub(crate) async fn version(
    conn: &mut AnyConnection,
    account: &AccountId,
) -> Result<i64, IamError> {
    let (version,): (i64,) =
        sqlx::query_as("SELECT permissions_version FROM accounts WHERE id = $1")
            .bind(account.as_str().to_owned())
            .fetch_one(&mut *conn)
            .await?;
    Ok(version)
}
