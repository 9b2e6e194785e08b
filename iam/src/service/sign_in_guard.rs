//! Sign-in protection: a lockout per login with growing waits, and a rate limit per client
//! address.
//!
//! Both live in the database, so several instances on one PostgreSQL share them, and each
//! check is one atomic upsert, so parallel requests cannot slip past a count.

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

/// Whether an attempt may go on to the password check.
enum Admission {
    Admitted,
    /// Refused without checking the password; try again after this many seconds.
    Locked {
        retry_after_secs: u64,
    },
}

impl Iam {
    /// Counts a sign-in request from `meta`'s address against the per-minute limit. Requests
    /// without an address (the CLI, tests) are not limited. The first refusal of a window is
    /// recorded as a failed `ConsoleLogin` with `errorCode` `TooManyRequests`; the rest are
    /// not, so a flood cannot fill the Event history.
    pub(crate) async fn admit_sign_in_request(
        &self,
        account_id: &AccountId,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<(), IamError> {
        let Some(limit) = self.sign_ins_per_minute() else {
            return Ok(());
        };
        if meta.source_ip.is_empty() {
            return Ok(());
        }
        let window_start = now.as_secs() - now.as_secs().rem_euclid(RATE_WINDOW_SECS);
        let mut tx = self.store().begin_write().await?;
        let attempts =
            guard::count_request(&mut tx, &meta.source_ip_clipped(), window_start).await?;
        if attempts <= i64::from(limit) {
            tx.commit().await?;
            return Ok(());
        }
        let retry_after_secs = u64::try_from(window_start + RATE_WINDOW_SECS - now.as_secs())
            .unwrap_or(1)
            .max(1);
        if attempts == i64::from(limit) + 1 {
            tracing::warn!(
                source_ip = %meta.source_ip_clipped(),
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
            insert_event(&mut tx, &event).await?;
        }
        tx.commit().await?;
        Err(IamError::TooManyRequests { retry_after_secs })
    }

    /// Counts an attempt on `login` as a failure before its password is checked (a success
    /// clears it in [`clear_failures`]), so parallel guesses are all counted. Refuses, without
    /// counting, while an earlier run of failures makes the login wait.
    async fn begin_sign_in_attempt(
        &self,
        login: &LoginKey,
        now: UnixTime,
    ) -> Result<Admission, IamError> {
        let mut tx = self.store().begin_write().await?;
        let (account_key, login_name) = (login.account_key.as_str(), login.login_name.as_str());
        let counted = guard::count_failure(&mut tx, account_key, login_name, now.as_secs()).await?;
        let admission = match counted {
            Some(failures) => {
                let wait = wait_after(failures);
                if wait > 0 {
                    // Whole seconds: one more makes sure the wait is never shorter than `wait`.
                    let until = now.as_secs() + wait + 1;
                    guard::lock_until(&mut tx, account_key, login_name, until).await?;
                }
                Admission::Admitted
            }
            None => {
                let locked_until = guard::locked_until(&mut tx, account_key, login_name).await?;
                Admission::Locked {
                    retry_after_secs: u64::try_from(locked_until - now.as_secs())
                        .unwrap_or(1)
                        .max(1),
                }
            }
        };
        tx.commit().await?;
        Ok(admission)
    }

    /// Counts an attempt on `login` (see [`Iam::begin_sign_in_attempt`]), or refuses it while the
    /// login must wait, recording the refusal as a failed `ConsoleLogin` by `principal` (the
    /// name's principal when it exists) or by an unknown `identity_type`.
    pub(crate) async fn guard_sign_in_attempt(
        &self,
        login: &LoginKey,
        account_id: &AccountId,
        principal: Option<&Principal>,
        identity_type: &'static str,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<(), IamError> {
        match self.begin_sign_in_attempt(login, now).await? {
            Admission::Admitted => Ok(()),
            Admission::Locked { retry_after_secs } => Err(self
                .refuse_locked_sign_in(
                    account_id,
                    principal,
                    identity_type,
                    retry_after_secs,
                    meta,
                    now,
                )
                .await),
        }
    }

    /// Records a refused, locked attempt as a failed `ConsoleLogin` and returns the error.
    async fn refuse_locked_sign_in(
        &self,
        account_id: &AccountId,
        principal: Option<&Principal>,
        identity_type: &'static str,
        retry_after_secs: u64,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> IamError {
        let event = NewEvent::new(EventName::ConsoleLogin, account_id, meta, now);
        let event = match principal {
            Some(p) => event.by(p),
            None => event.by_unknown(identity_type),
        }
        .response(serde_json::json!({ "ConsoleLogin": "Failure" }))
        .failed("TooManyAttempts", "Too many failed sign-in attempts");
        let recorded = async {
            let mut tx = self.store().begin_write().await?;
            insert_event(&mut tx, &event).await?;
            tx.commit().await?;
            Ok::<_, IamError>(())
        };
        if let Err(e) = recorded.await {
            tracing::warn!(error = %e, "recording a locked sign-in attempt failed");
        }
        IamError::SignInLocked { retry_after_secs }
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

/// Ends a run of failures, in the transaction of the successful sign-in.
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
