//! Sign-in protection's counters: `sign_in_rate` (requests per client address in the current
//! window) and `sign_in_failures` (a run of failures per login, and how long it must wait).
//!
//! Each count is one atomic upsert with `RETURNING`, so parallel requests cannot slip past it.
//! A login is keyed by `account_key` and `login_name`, which the service derives. None of these
//! writes changes what a principal may do, so none calls the permissions-changed hook.

use sqlx::AnyConnection;

use crate::error::IamError;

/// Counts a request from `client_ip` in the window starting at `window_start`, restarting the
/// count when the stored window is an older one; returns the count so far in this window.
pub(crate) async fn count_request(
    conn: &mut AnyConnection,
    client_ip: &str,
    window_start: i64,
) -> Result<i64, IamError> {
    let (attempts,): (i64,) = sqlx::query_as(
        "INSERT INTO sign_in_rate (client_ip, window_start, attempts) VALUES ($1, $2, 1) \
         ON CONFLICT (client_ip) DO UPDATE SET \
         attempts = CASE WHEN sign_in_rate.window_start = excluded.window_start \
                    THEN sign_in_rate.attempts + 1 ELSE 1 END, \
         window_start = excluded.window_start \
         RETURNING attempts",
    )
    .bind(client_ip.to_owned())
    .bind(window_start)
    .fetch_one(&mut *conn)
    .await?;
    Ok(attempts)
}

/// Counts one more failure of the login at `now`, unless it must still wait: then nothing
/// changes and the answer is `None`. Otherwise the failures in a row, this one included.
pub(crate) async fn count_failure(
    conn: &mut AnyConnection,
    account_key: &str,
    login_name: &str,
    now: i64,
) -> Result<Option<i64>, IamError> {
    // The update applies only when the login is not waiting; no row back means it is.
    let counted: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO sign_in_failures (account_key, login_name, failures, locked_until, updated_at) \
         VALUES ($1, $2, 1, 0, $3) \
         ON CONFLICT (account_key, login_name) DO UPDATE SET \
         failures = sign_in_failures.failures + 1, updated_at = excluded.updated_at \
         WHERE sign_in_failures.locked_until <= excluded.updated_at \
         RETURNING failures",
    )
    .bind(account_key.to_owned())
    .bind(login_name.to_owned())
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(counted.map(|(failures,)| failures))
}

/// Makes the login wait until `until` (Unix seconds).
pub(crate) async fn lock_until(
    conn: &mut AnyConnection,
    account_key: &str,
    login_name: &str,
    until: i64,
) -> Result<(), IamError> {
    sqlx::query(
        "UPDATE sign_in_failures SET locked_until = $3 \
         WHERE account_key = $1 AND login_name = $2",
    )
    .bind(account_key.to_owned())
    .bind(login_name.to_owned())
    .bind(until)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Until when the login must wait (Unix seconds), or `None` for a login with no failures.
pub(crate) async fn locked_until(
    conn: &mut AnyConnection,
    account_key: &str,
    login_name: &str,
) -> Result<Option<i64>, IamError> {
    let locked_until: Option<(i64,)> = sqlx::query_as(
        "SELECT locked_until FROM sign_in_failures \
         WHERE account_key = $1 AND login_name = $2",
    )
    .bind(account_key.to_owned())
    .bind(login_name.to_owned())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(locked_until.map(|(until,)| until))
}

/// How many requests from `client_ip` were counted in the window starting at `window_start`,
/// without counting one.
pub(crate) async fn requests_in_window(
    conn: &mut AnyConnection,
    client_ip: &str,
    window_start: i64,
) -> Result<i64, IamError> {
    let attempts: Option<(i64,)> = sqlx::query_as(
        "SELECT attempts FROM sign_in_rate WHERE client_ip = $1 AND window_start = $2",
    )
    .bind(client_ip.to_owned())
    .bind(window_start)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(attempts.map_or(0, |(attempts,)| attempts))
}

/// Ends the login's run of failures.
pub(crate) async fn clear_failures(
    conn: &mut AnyConnection,
    account_key: &str,
    login_name: &str,
) -> Result<(), IamError> {
    sqlx::query("DELETE FROM sign_in_failures WHERE account_key = $1 AND login_name = $2")
        .bind(account_key.to_owned())
        .bind(login_name.to_owned())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Deletes the failure runs last counted before `untouched_since` that no longer make their
/// login wait at `now`; returns how many.
pub(crate) async fn prune_failures(
    conn: &mut AnyConnection,
    untouched_since: i64,
    now: i64,
) -> Result<u64, IamError> {
    let done =
        sqlx::query("DELETE FROM sign_in_failures WHERE updated_at < $1 AND locked_until < $2")
            .bind(untouched_since)
            .bind(now)
            .execute(&mut *conn)
            .await?;
    Ok(done.rows_affected())
}

/// Deletes the rate windows that started before `started_before`; returns how many.
pub(crate) async fn prune_rate_windows(
    conn: &mut AnyConnection,
    started_before: i64,
) -> Result<u64, IamError> {
    let done = sqlx::query("DELETE FROM sign_in_rate WHERE window_start < $1")
        .bind(started_before)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}
