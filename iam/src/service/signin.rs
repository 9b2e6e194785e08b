//! Console sign-in for the root user and IAM users.
//!
//! Every failure (unknown email, account or user, no console password, wrong
//! password, a stored hash that is not argon2id) returns the same
//! `InvalidCredentials` after the same work, one argon2 verification, so
//! neither the message nor the time tells which names exist. Every attempt
//! writes a `ConsoleLogin` event.

use serde_json::json;

use super::Iam;
use super::sessions::{open_session, previous_hash};
use crate::account::AccountId;
use crate::clock::UnixTime;
use crate::error::IamError;
use crate::event::{EventName, NewEvent, RequestMeta};
use crate::password::Verification;
use crate::principal::Principal;
use crate::session::{SessionState, SignedIn};
use crate::store::events::insert_event;
use crate::store::sessions::delete_session;
use crate::store::users::mark_password_used;

/// Longer inputs are refused without hashing them, so a megabyte "password"
/// costs no more than a short one. Far above the 128-character rule.
const MAX_PASSWORD_BYTES: usize = 1024;

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
        let verdict = self.verify_bounded(password, stored.as_ref()).await?;

        let principal = match &root {
            Some(root) => Some(Principal::Root {
                account_id: AccountId::parse(&root.account_id).ok_or_else(|| {
                    IamError::bug(format!(
                        "the root account id `{}` is not 12 digits",
                        root.account_id
                    ))
                })?,
                email: root.email.clone(),
            }),
            None => None,
        };
        self.finish_sign_in(
            &account.id,
            principal,
            None,
            SessionState::Active,
            "Root",
            verdict,
            previous,
            meta,
            now,
        )
        .await
    }

    /// Signs an IAM user in. `account` is the account id or alias.
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
        let user = match self.store().find_account_by_id_or_alias(account).await? {
            Some(found) => self.store().find_user_by_name(&found.id, user_name).await?,
            None => None,
        };
        let stored = user.as_ref().and_then(|u| u.console_password_hash());
        let verdict = self.verify_bounded(password, stored.as_ref()).await?;

        let (principal, user_id, state) = match &user {
            Some(u) => {
                let state = if u.password_change_required() {
                    SessionState::PasswordChangeRequired
                } else {
                    SessionState::Active
                };
                let principal = Principal::User {
                    account_id: install.id.clone(),
                    user_id: u.id.clone(),
                    name: u.name.clone(),
                    path: u.path.clone(),
                };
                (Some(principal), Some(u.id.as_str()), state)
            }
            None => (None, None, SessionState::Active),
        };
        self.finish_sign_in(
            &install.id,
            principal,
            user_id,
            state,
            "IAMUser",
            verdict,
            previous,
            meta,
            now,
        )
        .await
    }

    async fn verify_bounded(
        &self,
        password: &str,
        stored: Option<&crate::password::PasswordHash>,
    ) -> Result<Verification, IamError> {
        if password.len() > MAX_PASSWORD_BYTES {
            // Same work as a real check, then a refusal.
            self.hasher().verify("", None).await?;
            return Ok(Verification::Mismatch);
        }
        self.hasher().verify(password, stored).await
    }

    /// Opens the session on a match, or records the failure and refuses.
    #[expect(
        clippy::too_many_arguments,
        reason = "one private helper shared by both sign-in forms"
    )]
    async fn finish_sign_in(
        &self,
        account_id: &AccountId,
        principal: Option<Principal>,
        user_id: Option<&str>,
        state: SessionState,
        identity_type: &'static str,
        verdict: Verification,
        previous: Option<&str>,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<SignedIn, IamError> {
        let mut tx = self.store().begin_write().await?;
        match (verdict, principal) {
            (Verification::Match, Some(principal)) => {
                if let Some(previous) = previous_hash(previous) {
                    delete_session(&mut tx, &previous).await?;
                }
                if let Some(user_id) = user_id {
                    mark_password_used(&mut tx, user_id, now).await?;
                }
                let signed_in =
                    open_session(&mut tx, &principal, user_id, state, meta, now).await?;
                tx.commit().await?;
                Ok(signed_in)
            }
            (verdict, principal) => {
                if verdict == Verification::UnsupportedHash {
                    tracing::warn!(
                        identity_type,
                        "sign-in refused: the stored password hash is not argon2id; reset the password"
                    );
                }
                let event = NewEvent::new(EventName::ConsoleLogin, account_id, meta, now);
                let event = match &principal {
                    Some(p) => event.by(p),
                    None => event.by_unknown(identity_type),
                }
                .response(json!({ "ConsoleLogin": "Failure" }))
                .failed("InvalidCredentials", "Failed authentication");
                insert_event(&mut tx, &event).await?;
                tx.commit().await?;
                Err(IamError::InvalidCredentials)
            }
        }
    }
}
