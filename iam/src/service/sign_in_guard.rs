//! Sign-in protection: a lockout per login with growing waits, and a rate limit per client
//! address.
//!
//! Both live in the database, so several instances on one PostgreSQL share them. An attempt is
//! checked twice. Before its password is hashed, with reads only and while it holds its turn at
//! the hasher, so that attempts already refused cost no hash. Then in the sign-in's one write
//! transaction, where each count is one atomic upsert: parallel attempts that passed the first
//! check together are all counted there, and one that is over a limit by then is refused
//! without its verdict being revealed, whatever its password.

use super::Iam;
use crate::account::AccountId;
use crate::clock::UnixTime;
use crate::error::IamError;
use crate::event::{EventName, NewEvent, RequestMeta};
use crate::principal::Principal;
use crate::store::events::insert_event;
use crate::store::sign_in_guard as guard;

/// Failures in a row that cost nothing; from the next one on, each attempt waits.
pub const FREE_SIGN_IN_FAILURES: i64 = 5;
/// The longest wait between attempts after repeated failures.
pub const MAX_SIGN_IN_WAIT_SECS: i64 = 15 * 60;
/// Sign-in requests per client address per minute, unless the server is told otherwise.
pub const DEFAULT_SIGN_INS_PER_MINUTE: u32 = 20;
const RATE_WINDOW_SECS: i64 = 60;
/// Failure rows untouched this long are forgotten by [`Iam::prune_sign_in_records`].
const FORGET_FAILURES_AFTER_SECS: i64 = 24 * 3600;

/// How long the next attempt must wait after `failures` consecutive failures: nothing up to
/// [`FREE_SIGN_IN_FAILURES`], then 1 s, doubling each time, capped at 15 minutes.
pub(crate) fn wait_after(failures: i64) -> i64 {
    if failures < FREE_SIGN_IN_FAILURES {
        return 0;
    }
    let doublings = (failures - FREE_SIGN_IN_FAILURES).min(20);
    (1_i64 << doublings).min(MAX_SIGN_IN_WAIT_SECS)
}

/// The row key of a login. Names are lowercased because IAM user names are unique
/// case-insensitively, so `Mary` and `mary` are one login to guess.
pub(crate) struct LoginKey {
    account_key: String,
    login_name: String,
}

impl LoginKey {
    pub(crate) fn root(account_id: &AccountId, email: &str) -> LoginKey {
        LoginKey {
            account_key: account_id.as_str().to_owned(),
            login_name: format!("root:{}", email.trim().to_lowercase()),
        }
    }

    /// `account` is the account's id when it exists, or what was typed when it does not.
    pub(crate) fn user(account: &str, user_name: &str) -> LoginKey {
        LoginKey {
            account_key: account.trim().to_lowercase(),
            login_name: user_name.trim().to_lowercase(),
        }
    }
}

/// The start of the rate window `now` is in.
fn window_start(now: UnixTime) -> i64 {
    now.as_secs() - now.as_secs().rem_euclid(RATE_WINDOW_SECS)
}

/// Whole seconds until the rate window `now` is in ends, at least one.
fn seconds_left_in_window(now: UnixTime) -> u64 {
    let left = window_start(now) + RATE_WINDOW_SECS - now.as_secs();
    u64::try_from(left).unwrap_or(1).max(1)
}

/// Who is signing in, as the guard and the events see it.
pub(crate) struct SignInCaller<'a> {
    pub(crate) account_id: &'a AccountId,
    pub(crate) login: LoginKey,
    /// The principal the name refers to, if it exists.
    pub(crate) principal: Option<Principal>,
    /// CloudTrail's `userIdentity.type` when the name does not exist.
    pub(crate) identity_type: &'static str,
    pub(crate) meta: &'a RequestMeta,
    pub(crate) now: UnixTime,
}

impl SignInCaller<'_> {
    /// A failed `ConsoleLogin` by the caller.
    fn failure(&self, error_code: &'static str, error_message: &str) -> NewEvent {
        let event = NewEvent::new(
            EventName::ConsoleLogin,
            self.account_id,
            self.meta,
            self.now,
        );
        match &self.principal {
            Some(p) => event.by(p),
            None => event.by_unknown(self.identity_type),
        }
        .response(serde_json::json!({ "ConsoleLogin": "Failure" }))
        .failed(error_code, error_message)
    }

    fn seconds_until(&self, locked_until: i64) -> u64 {
        u64::try_from(locked_until - self.now.as_secs())
            .unwrap_or(1)
            .max(1)
    }
}

impl Iam {
    /// The per-minute limit for `meta`'s address. Requests without an address (the CLI,
    /// tests) are not limited.
    fn rate_limit_for(&self, meta: &RequestMeta) -> Option<i64> {
        let limit = self.sign_ins_per_minute()?;
        (!meta.source_ip.is_empty()).then_some(i64::from(limit))
    }

    /// The check before the hash, with reads only: refuses an address over its per-minute limit
    /// or a login that must still wait. A refusal is still written (see
    /// [`Iam::refuse_before_hash`]), but costs no hash.
    pub(crate) async fn check_before_hash(
        &self,
        caller: &SignInCaller<'_>,
    ) -> Result<(), IamError> {
        let (over_rate, locked_until) = {
            let mut conn = self.store().pool().acquire().await?;
            let over_rate = match self.rate_limit_for(caller.meta) {
                Some(limit) => {
                    let ip = caller.meta.source_ip_clipped();
                    guard::requests_in_window(&mut conn, &ip, window_start(caller.now)).await?
                        >= limit
                }
                None => false,
            };
            let login = &caller.login;
            let locked_until =
                guard::locked_until(&mut conn, &login.account_key, &login.login_name).await?;
            (
                over_rate,
                locked_until.filter(|&until| until > caller.now.as_secs()),
            )
        };
        if !over_rate && locked_until.is_none() {
            return Ok(());
        }
        Err(self.refuse_before_hash(caller, locked_until).await)
    }

    /// Counts a request refused before its hash and records why; returns the error to answer.
    /// A failure to record it is logged: the refusal stands.
    async fn refuse_before_hash(
        &self,
        caller: &SignInCaller<'_>,
        locked_until: Option<i64>,
    ) -> IamError {
        let recorded = async {
            let mut tx = self.store().begin_write().await?;
            let counted = self
                .count_request(&mut tx, caller.account_id, caller.meta, caller.now)
                .await?;
            let refusal = match (counted, locked_until) {
                (Some(over_rate), _) => over_rate,
                (None, Some(until)) => refuse_locked(&mut tx, caller, until).await?,
                // Over the limit when checked, in a window that has just ended.
                (None, None) => IamError::TooManyRequests {
                    retry_after_secs: 1,
                },
            };
            tx.commit().await?;
            Ok::<_, IamError>(refusal)
        };
        match recorded.await {
            Ok(refusal) => refusal,
            Err(e) => {
                tracing::warn!(error = %e, "recording a refused sign-in attempt failed");
                match locked_until {
                    Some(until) => IamError::SignInLocked {
                        retry_after_secs: caller.seconds_until(until),
                    },
                    None => IamError::TooManyRequests {
                        retry_after_secs: seconds_left_in_window(caller.now),
                    },
                }
            }
        }
    }

    /// Counts the request against its address's minute, in the sign-in's transaction. Over the
    /// limit, answers the refusal to return after commit; the first refusal of a window is
    /// recorded as a failed `ConsoleLogin` with `errorCode` `TooManyRequests`, the rest are
    /// not, so a flood cannot fill the Event history.
    pub(crate) async fn count_request(
        &self,
        conn: &mut sqlx::AnyConnection,
        account_id: &AccountId,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<Option<IamError>, IamError> {
        let Some(limit) = self.rate_limit_for(meta) else {
            return Ok(None);
        };
        let ip = meta.source_ip_clipped();
        let attempts = guard::count_request(conn, &ip, window_start(now)).await?;
        if attempts <= limit {
            return Ok(None);
        }
        if attempts == limit + 1 {
            tracing::warn!(
                source_ip = %ip,
                limit,
                "sign-in requests from one address over the per-minute limit; refusing until the minute ends"
            );
            let event = NewEvent::new(EventName::ConsoleLogin, account_id, meta, now)
                .by_unknown("Unknown")
                .response(serde_json::json!({ "ConsoleLogin": "Failure" }))
                .failed(
                    "TooManyRequests",
                    "Too many sign-in requests from this address",
                );
            insert_event(conn, &event).await?;
        }
        Ok(Some(IamError::TooManyRequests {
            retry_after_secs: seconds_left_in_window(now),
        }))
    }

    /// Counts a request that checks a secret other than a password (the setup link) against
    /// its address's minute, in a transaction of its own.
    pub(crate) async fn admit_sign_in_request(
        &self,
        account_id: &AccountId,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<(), IamError> {
        if self.rate_limit_for(meta).is_none() {
            return Ok(());
        }
        let mut tx = self.store().begin_write().await?;
        let refusal = self.count_request(&mut tx, account_id, meta, now).await?;
        tx.commit().await?;
        refusal.map_or(Ok(()), Err)
    }

    /// Forgets failure runs nobody continued for a day, and finished rate windows.
    pub async fn prune_sign_in_records(&self, now: UnixTime) -> Result<u64, IamError> {
        let mut tx = self.store().begin_write().await?;
        let untouched_since = now.as_secs() - FORGET_FAILURES_AFTER_SECS;
        let failures = guard::prune_failures(&mut tx, untouched_since, now.as_secs()).await?;
        let windows = guard::prune_rate_windows(&mut tx, now.as_secs() - RATE_WINDOW_SECS).await?;
        tx.commit().await?;
        Ok(failures + windows)
    }
}

/// Counts a wrong password in the sign-in's transaction, and makes the login wait once its run
/// of failures is long enough. Answers the refusal to return after commit: `InvalidCredentials`,
/// or `SignInLocked` when the login already had to wait (a parallel attempt locked it after this
/// one's check), recorded as its failed `ConsoleLogin`.
pub(crate) async fn count_failure(
    conn: &mut sqlx::AnyConnection,
    caller: &SignInCaller<'_>,
) -> Result<IamError, IamError> {
    let (account_key, login_name) = (
        caller.login.account_key.as_str(),
        caller.login.login_name.as_str(),
    );
    let now = caller.now.as_secs();
    match guard::count_failure(conn, account_key, login_name, now).await? {
        Some(failures) => {
            let wait = wait_after(failures);
            if wait > 0 {
                // Whole seconds: one more makes sure the wait is never shorter than `wait`.
                guard::lock_until(conn, account_key, login_name, now + wait + 1).await?;
            }
            insert_event(
                conn,
                &caller.failure("InvalidCredentials", "Failed authentication"),
            )
            .await?;
            Ok(IamError::InvalidCredentials)
        }
        None => {
            let until = guard::locked_until(conn, account_key, login_name).await?;
            refuse_locked(conn, caller, until.unwrap_or(0)).await
        }
    }
}

/// `SignInLocked` when the login must still wait, recorded as its failed `ConsoleLogin`: a
/// right password is refused too, without saying it was right.
pub(crate) async fn refuse_if_locked(
    conn: &mut sqlx::AnyConnection,
    caller: &SignInCaller<'_>,
) -> Result<Option<IamError>, IamError> {
    let login = &caller.login;
    let until = guard::locked_until(conn, &login.account_key, &login.login_name).await?;
    match until.filter(|&until| until > caller.now.as_secs()) {
        Some(until) => Ok(Some(refuse_locked(conn, caller, until).await?)),
        None => Ok(None),
    }
}

/// Records a refused, locked attempt as a failed `ConsoleLogin` and returns the error.
async fn refuse_locked(
    conn: &mut sqlx::AnyConnection,
    caller: &SignInCaller<'_>,
    locked_until: i64,
) -> Result<IamError, IamError> {
    insert_event(
        conn,
        &caller.failure("TooManyAttempts", "Too many failed sign-in attempts"),
    )
    .await?;
    Ok(IamError::SignInLocked {
        retry_after_secs: caller.seconds_until(locked_until),
    })
}

/// Ends the login's run of failures, in the transaction of the right password.
pub(crate) async fn clear_failures(
    conn: &mut sqlx::AnyConnection,
    login: &LoginKey,
) -> Result<(), IamError> {
    guard::clear_failures(conn, &login.account_key, &login.login_name).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_are_free_then_waits_double_up_to_fifteen_minutes() {
        let waits: Vec<i64> = (1..=16).map(wait_after).collect();
        assert_eq!(
            waits,
            [0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]
        );
        assert_eq!(wait_after(i64::MAX), MAX_SIGN_IN_WAIT_SECS);
    }

    #[test]
    fn logins_differ_only_by_account_and_lowercased_name() {
        let a = LoginKey::user(" 123456789012 ", "Mary.Major");
        let b = LoginKey::user("123456789012", "mary.major");
        assert_eq!((a.account_key, a.login_name), (b.account_key, b.login_name));
        let root = LoginKey::root(
            &AccountId::parse("123456789012").expect("id"),
            "Admin@X.com",
        );
        assert_eq!(root.login_name, "root:admin@x.com");
    }
}
