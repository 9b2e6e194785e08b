//! Console sign-in for the root user and IAM users.
//!
//! Every failure (unknown email, account or user, no console password, wrong
//! password, a stored hash that is not argon2id) returns the same
//! `InvalidCredentials` after the same work, one argon2 verification, so
//! neither the message nor the time tells which names exist. Every attempt
//! writes a `ConsoleLogin` event.
//!
//! An attempt reads what it needs, waits for its turn at the hasher, passes
//! `sign_in_guard`'s check (the per-address rate limit and the per-login
//! lockout: five free failures, then waits from 1 s doubling to 15 minutes,
//! keyed by the typed name whether it exists or not), checks the password, and
//! then writes once: one transaction counts the request and the failure, or
//! opens the session, with its event.

use serde_json::json;

use super::Iam;
use super::account_settings::load_requirements;
use super::sessions::{open_session, previous_hash};
use super::sign_in_guard::{
    LoginKey, SignInCaller, clear_failures, count_failure, refuse_if_locked,
};
use crate::clock::UnixTime;
use crate::error::IamError;
use crate::event::{EventName, NewEvent, RequestMeta};
use crate::password::{HashTurn, PasswordHash, Verification};
use crate::principal::Principal;
use crate::session::{SessionState, SignedIn};
use crate::store::events::insert_event;
use crate::store::sessions::delete_session;
use crate::store::users::mark_password_used;

/// Longer inputs are refused without hashing them, so a megabyte "password"
/// costs no more than a short one. Far above the 128-character rule.
const MAX_PASSWORD_BYTES: usize = 1024;

/// The outcome of the lookup and the password check, before anything is written.
struct Attempt<'a> {
    caller: SignInCaller<'a>,
    /// Set for IAM users, `None` for root.
    user_id: Option<&'a str>,
    state: SessionState,
    verdict: Verification,
    /// The password has expired under a policy with hard expiry: refused
    /// even when it matches (an administrator must reset it).
    hard_expired: bool,
}

impl Iam {
    /// Signs the root user in by email and password. `previous` is the
    /// caller's current session token, if any: it is ended on success, so
    /// sign-in always issues a fresh id.
    pub async fn sign_in_root(
        &self,
        email: &str,
        password: &str,
        previous: Option<&str>,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<SignedIn, IamError> {
        let account = self.store().account().await?;
        let root = self.store().find_root_by_email(email).await?;
        let stored = root.as_ref().map(|r| r.password_hash());
        let principal = match &root {
            Some(root) => Some(Principal::Root {
                account_id: root.account_id()?,
                email: root.email.clone(),
            }),
            None => None,
        };
        let caller = SignInCaller {
            account_id: &account.id,
            login: LoginKey::root(&account.id, email),
            principal,
            identity_type: "Root",
            meta,
            now,
        };
        let verdict = self
            .check_password(&caller, password, stored.as_ref())
            .await?;
        let attempt = Attempt {
            caller,
            user_id: None,
            state: SessionState::Active,
            verdict,
            hard_expired: false,
        };
        self.finish_sign_in(attempt, previous).await
    }

    /// Signs an IAM user in. `account` is the account id or alias. See
    /// [`Iam::sign_in_root`] for `previous`.
    pub async fn sign_in_user(
        &self,
        account: &str,
        user_name: &str,
        password: &str,
        previous: Option<&str>,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<SignedIn, IamError> {
        let install = self.store().account().await?;
        // Look the user up even when the account is unknown (and discard the
        // result), so both failures do the same database work.
        let found = self.store().find_account_by_id_or_alias(account).await?;
        let lookup_in = found.as_ref().map_or(&install.id, |a| &a.id);
        let user = self
            .store()
            .find_user_by_name(lookup_in, user_name)
            .await?
            .filter(|_| found.is_some());
        let stored = user.as_ref().and_then(|u| u.console_password_hash());
        let requirements = {
            let mut conn = self.store().pool().acquire().await?;
            load_requirements(&mut conn, lookup_in).await?
        };
        let caller = SignInCaller {
            account_id: &install.id,
            login: LoginKey::user(found.as_ref().map_or(account, |a| a.id.as_str()), user_name),
            principal: user.as_ref().map(|u| Principal::User {
                account_id: install.id.clone(),
                user_id: u.id.clone(),
                name: u.name.clone(),
                path: u.path.clone(),
            }),
            identity_type: "IAMUser",
            meta,
            now,
        };
        let verdict = self
            .check_password(&caller, password, stored.as_ref())
            .await?;
        let expired = user
            .as_ref()
            .is_some_and(|u| u.password_expired(requirements.max_password_age_secs(), now));

        // A password that must be changed, or has expired (without hard
        // expiry), opens a session that can only change it.
        let state = match &user {
            Some(u) if u.password_change_required() || expired => {
                SessionState::PasswordChangeRequired
            }
            _ => SessionState::Active,
        };
        let attempt = Attempt {
            caller,
            user_id: user.as_ref().map(|u| u.id.as_str()),
            state,
            verdict,
            hard_expired: expired && requirements.hard_expiry(),
        };
        self.finish_sign_in(attempt, previous).await
    }

    /// Takes a turn at the hasher, passes the guard's check with it, then spends it on the
    /// password.
    async fn check_password(
        &self,
        caller: &SignInCaller<'_>,
        password: &str,
        stored: Option<&PasswordHash>,
    ) -> Result<Verification, IamError> {
        let turn = self.hasher().turn().await?;
        if let Err(refused) = self.check_before_hash(caller).await {
            drop(turn);
            return Err(refused);
        }
        verify_bounded(turn, password, stored).await
    }

    /// Writes the attempt in one transaction: the request's count, then the session on a
    /// match, or the failure's count; with the attempt's event either way.
    async fn finish_sign_in(
        &self,
        attempt: Attempt<'_>,
        previous: Option<&str>,
    ) -> Result<SignedIn, IamError> {
        let caller = &attempt.caller;
        let mut tx = self.store().begin_write().await?;
        if let Some(over_rate) = self
            .count_request(&mut tx, caller.account_id, caller.meta, caller.now)
            .await?
        {
            tx.commit().await?;
            return Err(over_rate);
        }
        let principal = match (attempt.verdict, &caller.principal) {
            (Verification::Match, Some(principal)) => principal,
            (verdict, _) => {
                if verdict == Verification::UnsupportedHash {
                    tracing::warn!(
                        identity_type = caller.identity_type,
                        "sign-in refused: the stored password hash is not argon2id; reset the password"
                    );
                }
                let refusal = count_failure(&mut tx, caller).await?;
                tx.commit().await?;
                return Err(refusal);
            }
        };
        if let Some(locked) = refuse_if_locked(&mut tx, caller).await? {
            tx.commit().await?;
            return Err(locked);
        }
        // The right password is not a guess.
        clear_failures(&mut tx, &caller.login).await?;
        if attempt.hard_expired {
            // The right password, expired: say so (the person proved who they are), and
            // record the failure.
            let event = NewEvent::new(
                EventName::ConsoleLogin,
                caller.account_id,
                caller.meta,
                caller.now,
            )
            .by(principal)
            .response(json!({ "ConsoleLogin": "Failure" }))
            .failed("PasswordExpired", "Password expired");
            insert_event(&mut tx, &event).await?;
            tx.commit().await?;
            return Err(IamError::validation(
                "password",
                "your password has expired and the password policy needs an administrator to reset it; ask your administrator for a new password",
            ));
        }
        if let Some(previous) = previous_hash(previous) {
            delete_session(&mut tx, &previous).await?;
        }
        if let Some(user_id) = attempt.user_id {
            mark_password_used(&mut tx, user_id, caller.now).await?;
        }
        let signed_in = open_session(
            &mut tx,
            principal,
            attempt.user_id,
            attempt.state,
            caller.meta,
            caller.now,
        )
        .await?;
        tx.commit().await?;
        Ok(signed_in)
    }
}

/// Spends `turn` on `password`, or on nothing when it is too long to hash.
async fn verify_bounded(
    turn: HashTurn,
    password: &str,
    stored: Option<&PasswordHash>,
) -> Result<Verification, IamError> {
    if password.len() > MAX_PASSWORD_BYTES {
        // Same work as a real check, then a refusal.
        turn.verify("", None).await?;
        return Ok(Verification::Mismatch);
    }
    turn.verify(password, stored).await
}
