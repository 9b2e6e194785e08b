//! IAM users: lookups by name and id, the list page, creation, and what sign-in records.
//! The console password columns are written by `login_profiles.rs`.

use sqlx::{AnyConnection, FromRow};

use super::{EntityRow, Inserted, Store};
use crate::account::AccountId;
use crate::clock::UnixTime;
use crate::error::IamError;
use crate::password::PasswordHash;
use crate::types::LoginProfile;

/// An IAM user as stored, with the console password columns: for sign-in, password changes
/// and the login profile.
#[derive(FromRow)]
pub(crate) struct UserRow {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) path: String,
    password_hash: Option<String>,
    console_access: i64,
    password_change_required: i64,
    password_changed_at: Option<i64>,
    login_profile_created_at: Option<i64>,
    created_at: i64,
    password_last_used_at: Option<i64>,
}

/// `SELECT` with the columns of [`UserRow`], in one place for both of its lookups (a macro so
/// the statements stay `&'static str`).
macro_rules! select_user_row {
    ($rest:literal) => {
        concat!(
            "SELECT id, name, path, password_hash, console_access, password_change_required, \
             password_changed_at, login_profile_created_at, created_at, password_last_used_at ",
            $rest
        )
    };
}

impl UserRow {
    pub(crate) fn created_at(&self) -> UnixTime {
        UnixTime::from_secs(self.created_at)
    }

    /// The last console sign-in (IAM's `PasswordLastUsed`).
    pub(crate) fn password_last_used_at(&self) -> Option<UnixTime> {
        self.password_last_used_at.map(UnixTime::from_secs)
    }

    /// The password hash when the user may sign in to the console.
    pub(crate) fn console_password_hash(&self) -> Option<PasswordHash> {
        match (&self.password_hash, self.console_access != 0) {
            (Some(hash), true) => Some(PasswordHash::from_stored(hash.clone())),
            _ => None,
        }
    }

    pub(crate) fn password_change_required(&self) -> bool {
        self.password_change_required != 0
    }

    /// Whether the password is older than `max_age_secs` at `now`.
    pub(crate) fn password_expired(&self, max_age_secs: Option<i64>, now: UnixTime) -> bool {
        match (max_age_secs, self.password_changed_at) {
            (Some(max), Some(changed)) => now.secs_since(UnixTime::from_secs(changed)) >= max,
            _ => false,
        }
    }

    /// The console access as AWS's login profile; `None` without it. Rows written before
    /// `login_profile_created_at` existed fall back to the password's date, then the user's.
    pub(crate) fn login_profile(&self) -> Option<LoginProfile> {
        if self.password_hash.is_none() || self.console_access == 0 {
            return None;
        }
        let created = UnixTime::from_secs(
            self.login_profile_created_at
                .or(self.password_changed_at)
                .unwrap_or(self.created_at),
        );
        Some(LoginProfile {
            user_name: self.name.clone(),
            created_at: created,
            password_changed_at: self
                .password_changed_at
                .map_or(created, UnixTime::from_secs),
            password_reset_required: self.password_change_required != 0,
        })
    }
}

impl Store {
    /// The user named `name` (case-insensitively, surrounding blanks ignored) in `account_id`,
    /// if any.
    pub(crate) async fn find_user_by_name(
        &self,
        account_id: &AccountId,
        name: &str,
    ) -> Result<Option<UserRow>, IamError> {
        let row = sqlx::query_as(select_user_row!(
            "FROM users WHERE account_id = $1 AND name_lower = $2"
        ))
        .bind(account_id.as_str().to_owned())
        .bind(name.trim().to_lowercase())
        .fetch_optional(self.pool())
        .await?;
        Ok(row)
    }
}

/// The user with id `user_id`, if any.
pub(crate) async fn find_by_id(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<Option<UserRow>, IamError> {
    let row = sqlx::query_as(select_user_row!("FROM users WHERE id = $1"))
        .bind(user_id.to_owned())
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row)
}

/// The user called `name` (any case) in `account_id`, if any.
pub(crate) async fn find_by_name(
    conn: &mut AnyConnection,
    account_id: &AccountId,
    name: &str,
) -> Result<Option<EntityRow>, IamError> {
    let row = sqlx::query_as(
        "SELECT id, name, path, created_at FROM users WHERE account_id = $1 AND name_lower = $2",
    )
    .bind(account_id.as_str().to_owned())
    .bind(name.to_lowercase())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row)
}

/// Records a successful console sign-in (IAM's `PasswordLastUsed`).
pub(crate) async fn mark_password_used(
    conn: &mut AnyConnection,
    user_id: &str,
    now: UnixTime,
) -> Result<(), IamError> {
    sqlx::query("UPDATE users SET password_last_used_at = $1 WHERE id = $2")
        .bind(now.as_secs())
        .bind(user_id.to_owned())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// What [`insert`] writes.
pub(crate) struct NewUserRow<'a> {
    pub(crate) id: &'a str,
    pub(crate) account_id: &'a AccountId,
    pub(crate) name: &'a str,
    pub(crate) path: &'a str,
    pub(crate) now: UnixTime,
    /// `None` for a user without console access.
    pub(crate) console: Option<NewConsoleAccess<'a>>,
}

/// The console password a user is created with.
pub(crate) struct NewConsoleAccess<'a> {
    pub(crate) hash: &'a PasswordHash,
    pub(crate) reset_required: bool,
}

/// Inserts a user; `NameTaken` when the account has a user of that name in any case.
pub(crate) async fn insert(
    conn: &mut AnyConnection,
    new: &NewUserRow<'_>,
) -> Result<Inserted, IamError> {
    let (hash, reset_required, at_if_console) = match &new.console {
        Some(console) => (
            Some(console.hash.as_phc().to_owned()),
            console.reset_required,
            Some(new.now.as_secs()),
        ),
        None => (None, false, None),
    };
    let result = sqlx::query(
        "INSERT INTO users (id, account_id, name, name_lower, path, password_hash, \
         console_access, password_change_required, created_at, password_changed_at, \
         login_profile_created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(new.id.to_owned())
    .bind(new.account_id.as_str().to_owned())
    .bind(new.name.to_owned())
    .bind(new.name.to_lowercase())
    .bind(new.path.to_owned())
    .bind(hash)
    .bind(i64::from(new.console.is_some()))
    .bind(i64::from(reset_required))
    .bind(new.now.as_secs())
    .bind(at_if_console)
    .bind(at_if_console)
    .execute(&mut *conn)
    .await;
    Inserted::from_result(result)
}

/// Separates group names in [`page`]'s aggregate; `/` cannot occur in a group name.
const GROUP_SEPARATOR: char = '/';

/// One page of users in name order, read along the `(account_id, name_lower)` index, and each
/// row's groups from a grouped subquery run for the page's rows only. `string_agg` is
/// PostgreSQL's and, since 3.44, SQLite's (the bundled SQLite is 3.51), so both backends run the
/// same text. The total is counted apart (`COUNT_USERS`): a window count here made both
/// databases read and sort every matching user for a page of 20 (74 ms at 10,000 users).
const LIST_USERS: &str = "WITH page AS (SELECT id, name, name_lower, path, created_at, \
     console_access, password_changed_at, password_last_used_at \
     FROM users WHERE account_id = $1 AND name_lower LIKE $2 ESCAPE '\\' \
     AND substr(path, 1, length($5)) = $5 \
     ORDER BY name_lower LIMIT $3 OFFSET $4) \
     SELECT p.id, p.name, p.path, p.created_at, p.console_access, p.password_changed_at, \
     p.password_last_used_at, \
     (SELECT string_agg(g.name, '/') FROM group_members m JOIN groups g ON g.id = m.group_id \
     WHERE m.user_id = p.id) AS group_names \
     FROM page p ORDER BY p.name_lower";

const COUNT_USERS: &str = "SELECT COUNT(*) FROM users WHERE account_id = $1 \
     AND name_lower LIKE $2 ESCAPE '\\' AND substr(path, 1, length($3)) = $3";

/// A user in the list, with the names of their groups.
#[derive(FromRow)]
pub(crate) struct UserPageRow {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) path: String,
    pub(crate) created_at: i64,
    pub(crate) console_access: i64,
    pub(crate) password_changed_at: Option<i64>,
    pub(crate) password_last_used_at: Option<i64>,
    group_names: Option<String>,
}

impl UserPageRow {
    /// The names of the user's groups, in no particular order.
    pub(crate) fn group_names(&self) -> Vec<String> {
        self.group_names
            .as_deref()
            .unwrap_or("")
            .split(GROUP_SEPARATOR)
            .filter(|g| !g.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

/// The users of `account_id` whose lowercase name matches the `LIKE` `pattern` (escape `\`) and
/// whose path starts with `path_prefix` (case-sensitive, as IAM compares paths), `limit` of them
/// from `offset`, in name order.
pub(crate) async fn page(
    conn: &mut AnyConnection,
    account_id: &AccountId,
    pattern: &str,
    path_prefix: &str,
    limit: u32,
    offset: u32,
) -> Result<Vec<UserPageRow>, IamError> {
    let rows = sqlx::query_as(LIST_USERS)
        .bind(account_id.as_str().to_owned())
        .bind(pattern.to_owned())
        .bind(i64::from(limit))
        .bind(i64::from(offset))
        .bind(path_prefix.to_owned())
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows)
}

/// How many users of `account_id` [`page`] would page through for `pattern` and `path_prefix`.
pub(crate) async fn count_matching(
    conn: &mut AnyConnection,
    account_id: &AccountId,
    pattern: &str,
    path_prefix: &str,
) -> Result<i64, IamError> {
    let (total,): (i64,) = sqlx::query_as(COUNT_USERS)
        .bind(account_id.as_str().to_owned())
        .bind(pattern.to_owned())
        .bind(path_prefix.to_owned())
        .fetch_one(&mut *conn)
        .await?;
    Ok(total)
}

/// Deletes the user's row; the caller deletes what refers to it first (`cascade::delete_user`).
/// A deleted principal can do nothing any more: the permissions changed.
pub(crate) async fn delete(
    conn: &mut AnyConnection,
    account: &AccountId,
    user_id: &str,
) -> Result<(), IamError> {
    sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(user_id.to_owned())
        .execute(&mut *conn)
        .await?;
    super::permissions::changed(conn, account).await
}
