//! Creating the root user: through the one-time setup link, or the CLI.

use serde_json::json;

use super::Iam;
use crate::account::Account;
use crate::clock::UnixTime;
use crate::error::IamError;
use crate::event::{EventName, NewEvent, RequestMeta};
use crate::password::{PasswordHash, PasswordRules, check_password};
use crate::principal::Principal;
use crate::secret::SetupToken;
use crate::session::{SessionState, SignedIn};
use crate::store::WriteTx;
use crate::store::events::insert_event;
use crate::store::root::{delete_setup_token, insert_root, root_exists_in, setup_token_hash};
use crate::validate;

impl Iam {
    /// Whether `token` is the outstanding setup token (for showing the setup
    /// form or an "invalid link" page). False once root exists.
    pub async fn check_setup_token(&self, token: &str) -> Result<bool, IamError> {
        let Some(presented) = SetupToken::hash_of_presented(token) else {
            return Ok(false);
        };
        let mut conn = self.store().pool().acquire().await?;
        if root_exists_in(&mut conn).await? {
            return Ok(false);
        }
        let stored = setup_token_hash(&mut conn).await?;
        Ok(stored.is_some_and(|stored| stored.ct_eq(&presented)))
    }

    /// Creates the root user through the setup link and signs it in. The
    /// token works once: it is deleted in the same transaction.
    pub async fn complete_setup(
        &self,
        token: &str,
        email: &str,
        password: &str,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<SignedIn, IamError> {
        let account = self.store().account().await?;
        self.admit_sign_in_request(&account.id, meta, now).await?;
        // Check the token first, so a stale link says so rather than
        // complaining about the password.
        let presented = SetupToken::hash_of_presented(token).ok_or(IamError::SetupTokenInvalid)?;
        if !self.check_setup_token(token).await? {
            return Err(IamError::SetupTokenInvalid);
        }
        let email = validate::email(email)?;
        check_root_password(password, &email)?;
        let hash = self.hasher().hash(password).await?;

        let mut tx = self.store().begin_write().await?;
        // Re-check inside the write lock: a concurrent setup may have won.
        let valid = setup_token_hash(&mut tx)
            .await?
            .is_some_and(|stored| stored.ct_eq(&presented));
        if !valid || root_exists_in(&mut tx).await? {
            return Err(IamError::SetupTokenInvalid);
        }
        let principal = create_root_in(&mut tx, &account, &email, &hash, meta, now).await?;
        let signed_in = super::sessions::open_session(
            &mut tx,
            &principal,
            None,
            SessionState::Active,
            meta,
            now,
        )
        .await?;
        tx.commit().await?;
        tracing::info!(account_id = %account.id, "root user created through the setup link");
        Ok(signed_in)
    }

    /// Creates the root user from the command line (`portcullis create-root`).
    /// Fails with a conflict if root exists. Invalidates any setup link.
    pub async fn create_root(
        &self,
        email: &str,
        password: &str,
        now: UnixTime,
    ) -> Result<(), IamError> {
        let email = validate::email(email)?;
        check_root_password(password, &email)?;
        let account = self.store().ensure_account(now).await?;
        if self.store().root_exists().await? {
            return Err(root_exists_conflict());
        }
        let hash = self.hasher().hash(password).await?;

        let mut tx = self.store().begin_write().await?;
        if root_exists_in(&mut tx).await? {
            return Err(root_exists_conflict());
        }
        let meta = RequestMeta::command_line("create-root");
        create_root_in(&mut tx, &account, &email, &hash, &meta, now).await?;
        tx.commit().await?;
        tracing::info!(account_id = %account.id, "root user created from the command line");
        Ok(())
    }
}

fn root_exists_conflict() -> IamError {
    IamError::Conflict {
        field: "email",
        message: "the root user already exists; sign in as root instead".to_owned(),
    }
}

fn check_root_password(password: &str, email: &str) -> Result<(), IamError> {
    check_password(&PasswordRules::ROOT, password, email)
        .map_err(|violations| IamError::PasswordRules { violations })
}

/// Inserts the root user, consumes the setup token and records the event.
async fn create_root_in(
    tx: &mut WriteTx,
    account: &Account,
    email: &str,
    hash: &PasswordHash,
    meta: &RequestMeta,
    now: UnixTime,
) -> Result<Principal, IamError> {
    insert_root(tx, &account.id, email, hash, now).await?;
    delete_setup_token(tx).await?;
    let principal = Principal::Root {
        account_id: account.id.clone(),
        email: email.to_owned(),
    };
    let event = NewEvent::new(EventName::CreateRootUser, &account.id, meta, now)
        .by(&principal)
        .request(json!({ "email": email }))
        .resources(json!([{ "ARN": principal.arn(), "accountId": account.id }]));
    insert_event(tx, &event).await?;
    Ok(principal)
}
