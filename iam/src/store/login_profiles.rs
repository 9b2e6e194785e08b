//! A user's console access (AWS's login profile): the password columns of `users`, and in
//! [`history`] the retired passwords that reuse prevention checks. Reading them is
//! [`super::users::find_by_id`].

use sqlx::AnyConnection;

use crate::account::AccountId;
use crate::clock::UnixTime;
use crate::error::IamError;
use crate::password::PasswordHash;

/// Sets the user's own new password, clearing "must change", only if the stored hash is still
/// `current`; false when it is not (changed or reset meanwhile) or the user is gone.
pub(crate) async fn change_password_if(
    conn: &mut AnyConnection,
    user_id: &str,
    new: &PasswordHash,
    current: &PasswordHash,
    now: UnixTime,
) -> Result<bool, IamError> {
    let done = sqlx::query(
        "UPDATE users SET password_hash = $1, password_changed_at = $2, \
         password_change_required = 0 WHERE id = $3 AND password_hash = $4",
    )
    .bind(new.as_phc().to_owned())
    .bind(now.as_secs())
    .bind(user_id.to_owned())
    .bind(current.as_phc().to_owned())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Gives the user console access with `hash`. A new credential: the permissions changed.
pub(crate) async fn enable(
    conn: &mut AnyConnection,
    account: &AccountId,
    user_id: &str,
    hash: &PasswordHash,
    reset_required: bool,
    now: UnixTime,
) -> Result<(), IamError> {
    let done = sqlx::query(
        "UPDATE users SET password_hash = $1, console_access = 1, \
         password_change_required = $2, password_changed_at = $3, \
         login_profile_created_at = $4 WHERE id = $5",
    )
    .bind(hash.as_phc().to_owned())
    .bind(i64::from(reset_required))
    .bind(now.as_secs())
    .bind(now.as_secs())
    .bind(user_id.to_owned())
    .execute(&mut *conn)
    .await?;
    super::permissions::changed_if(conn, account, done.rows_affected()).await?;
    Ok(())
}

/// Replaces the user's password (an administrator's reset).
pub(crate) async fn set_password(
    conn: &mut AnyConnection,
    user_id: &str,
    hash: &PasswordHash,
    now: UnixTime,
) -> Result<(), IamError> {
    sqlx::query("UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3")
        .bind(hash.as_phc().to_owned())
        .bind(now.as_secs())
        .bind(user_id.to_owned())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Sets or clears "must create a new password at next sign-in".
pub(crate) async fn set_reset_required(
    conn: &mut AnyConnection,
    user_id: &str,
    required: bool,
) -> Result<(), IamError> {
    sqlx::query("UPDATE users SET password_change_required = $1 WHERE id = $2")
        .bind(i64::from(required))
        .bind(user_id.to_owned())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Removes the user's console access and password. A credential gone: the permissions
/// changed.
pub(crate) async fn disable(
    conn: &mut AnyConnection,
    account: &AccountId,
    user_id: &str,
) -> Result<(), IamError> {
    let done = sqlx::query(
        "UPDATE users SET password_hash = NULL, console_access = 0, \
         password_change_required = 0, password_changed_at = NULL, \
         login_profile_created_at = NULL WHERE id = $1",
    )
    .bind(user_id.to_owned())
    .execute(&mut *conn)
    .await?;
    super::permissions::changed_if(conn, account, done.rows_affected()).await?;
    Ok(())
}

/// Retired password hashes (`password_history`), newest first by `retired_at`.
pub(crate) mod history {
    use sqlx::AnyConnection;

    use crate::clock::UnixTime;
    use crate::error::IamError;
    use crate::password::PasswordHash;

    /// Adds `hash` to the user's history and drops all but the newest `keep`.
    pub(crate) async fn retire(
        conn: &mut AnyConnection,
        user_id: &str,
        hash: &PasswordHash,
        now: UnixTime,
        keep: i64,
    ) -> Result<(), IamError> {
        sqlx::query(
            "INSERT INTO password_history (user_id, password_hash, retired_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, password_hash) DO NOTHING",
        )
        .bind(user_id.to_owned())
        .bind(hash.as_phc().to_owned())
        .bind(now.as_secs())
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "DELETE FROM password_history WHERE user_id = $1 AND password_hash NOT IN \
             (SELECT password_hash FROM password_history WHERE user_id = $2 \
             ORDER BY retired_at DESC LIMIT $3)",
        )
        .bind(user_id.to_owned())
        .bind(user_id.to_owned())
        .bind(keep)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    /// The user's `n` most recently retired hashes, newest first.
    pub(crate) async fn recent(
        conn: &mut AnyConnection,
        user_id: &str,
        n: i64,
    ) -> Result<Vec<PasswordHash>, IamError> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT password_hash FROM password_history WHERE user_id = $1 \
             ORDER BY retired_at DESC LIMIT $2",
        )
        .bind(user_id.to_owned())
        .bind(n)
        .fetch_all(&mut *conn)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(phc,)| PasswordHash::from_stored(phc))
            .collect())
    }

    /// Forgets the user's retired passwords (the user is being deleted).
    pub(crate) async fn delete_for_user(
        conn: &mut AnyConnection,
        user_id: &str,
    ) -> Result<(), IamError> {
        sqlx::query("DELETE FROM password_history WHERE user_id = $1")
            .bind(user_id.to_owned())
            .execute(&mut *conn)
            .await?;
        Ok(())
    }
}
