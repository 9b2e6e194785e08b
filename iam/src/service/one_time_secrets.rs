//! Secrets shown once: the passwords after Add users or a password reset, and a new access key's
//! secret, between the request that makes them and the page that shows them (issue 16).
//!
//! They used to wait in the memory of the instance that made them, so with several instances the
//! page had to land on that one (sticky sessions). Now they wait in the shared database, sealed
//! with AES-256-GCM under the master key and bound to the session, kind and id as associated
//! data; the first display deletes them, and [`Iam::ONE_TIME_SECRET_TTL_SECS`] bounds how long an
//! unshown one stays.

use zeroize::Zeroizing;

use super::Iam;
use crate::clock::UnixTime;
use crate::error::IamError;
use crate::secret::{TokenHash, fill_random};
use crate::session::Session;
use crate::store::one_time_secrets::{self, NewOneTimeSecret};

/// 128 bits, as for session tokens: the id appears in the page's URL.
const ID_BYTES: usize = 16;

/// The check value sealed under the master key at first start.
const KEY_CHECK_PLAINTEXT: &[u8] = b"portcullis master key check v1";
const KEY_CHECK_CONTEXT: &str = "master-key-check";

/// What a one-time secret is, so one page cannot take another's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OneTimeKind {
    /// The passwords of a batch of new users, or of a reset.
    Passwords,
    /// A new access key with its secret.
    AccessKey,
}

impl OneTimeKind {
    fn as_str(self) -> &'static str {
        match self {
            OneTimeKind::Passwords => "passwords",
            OneTimeKind::AccessKey => "access-key",
        }
    }
}

/// Whether the master key the server started with can open what the database holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MasterKeyCheck {
    /// The database had no check value; this key's is stored now.
    Stored,
    /// The key opens the stored check value.
    Matches,
    /// The database was set up with another key.
    Mismatch,
}

impl Iam {
    /// How long an unshown one-time secret waits for its page.
    pub const ONE_TIME_SECRET_TTL_SECS: i64 = 10 * 60;

    /// Seals `secret` for `session` and returns the id its page takes it with.
    pub async fn keep_one_time_secret(
        &self,
        session: &Session,
        kind: OneTimeKind,
        secret: &[u8],
        now: UnixTime,
    ) -> Result<String, IamError> {
        let mut raw = [0u8; ID_BYTES];
        fill_random(&mut raw)?;
        let id = hex::encode(raw);
        let id_hash = hash(&id);
        let sealed = self
            .master_key()
            .seal(&context(kind, &session.id_hash, &id_hash), secret)?;
        let mut tx = self.store().begin_write().await?;
        one_time_secrets::insert(
            &mut tx,
            &NewOneTimeSecret {
                id_hash: &id_hash,
                session_id_hash: &session.id_hash,
                kind: kind.as_str(),
                sealed_hex: &hex::encode(sealed),
                expires_at: UnixTime::from_secs(now.as_secs() + Self::ONE_TIME_SECRET_TTL_SECS),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Takes the secret `id` once: `None` when it was already shown, expired, is of another
    /// kind, or belongs to another session (which can still take it).
    pub async fn take_one_time_secret(
        &self,
        session: &Session,
        kind: OneTimeKind,
        id: &str,
        now: UnixTime,
    ) -> Result<Option<Zeroizing<Vec<u8>>>, IamError> {
        let id_hash = hash(id.trim());
        let mut tx = self.store().begin_write().await?;
        let row =
            one_time_secrets::take(&mut tx, &id_hash, &session.id_hash, kind.as_str()).await?;
        tx.commit().await?;
        let Some((sealed_hex, expires_at)) = row else {
            return Ok(None);
        };
        if expires_at <= now.as_secs() {
            return Ok(None);
        }
        let sealed = hex::decode(&sealed_hex)
            .map_err(|e| IamError::internal("a stored one-time secret is not hex", e))?;
        match self
            .master_key()
            .open(&context(kind, &session.id_hash, &id_hash), &sealed)
        {
            Some(secret) => Ok(Some(secret)),
            None => Err(IamError::bug(
                "a one-time secret does not open with the master key".to_owned(),
            )),
        }
    }

    /// Deletes one-time secrets whose TTL has passed; how many went.
    pub async fn prune_one_time_secrets(&self, now: UnixTime) -> Result<u64, IamError> {
        let mut tx = self.store().begin_write().await?;
        let deleted = one_time_secrets::delete_expired(&mut tx, now).await?;
        tx.commit().await?;
        Ok(deleted)
    }

    /// Compares the master key with the one the database was set up with, storing this one's
    /// check value when there is none yet. Call it at start, before serving.
    pub async fn check_master_key(&self, now: UnixTime) -> Result<MasterKeyCheck, IamError> {
        let mut tx = self.store().begin_write().await?;
        let existed = one_time_secrets::master_key_check(&mut tx).await?.is_some();
        if !existed {
            let sealed = self
                .master_key()
                .seal(KEY_CHECK_CONTEXT, KEY_CHECK_PLAINTEXT)?;
            one_time_secrets::insert_master_key_check(&mut tx, &hex::encode(sealed), now).await?;
        }
        // Read back even after inserting: another instance starting at the same moment may
        // have stored its own key's value first.
        let stored = one_time_secrets::master_key_check(&mut tx)
            .await?
            .ok_or_else(|| IamError::bug("the master key check value was not stored".to_owned()))?;
        tx.commit().await?;
        let opens = hex::decode(&stored)
            .ok()
            .and_then(|sealed| self.master_key().open(KEY_CHECK_CONTEXT, &sealed))
            .is_some_and(|plain| plain.as_slice() == KEY_CHECK_PLAINTEXT);
        Ok(match (opens, existed) {
            (false, _) => MasterKeyCheck::Mismatch,
            (true, true) => MasterKeyCheck::Matches,
            (true, false) => MasterKeyCheck::Stored,
        })
    }
}

/// The id as stored: its SHA-256, like a session token's, so the database alone cannot take a
/// secret.
fn hash(id: &str) -> String {
    TokenHash::of(id).as_str().to_owned()
}

/// The associated data a secret is sealed with: a row moved to another kind, session or id
/// does not open.
fn context(kind: OneTimeKind, session_id_hash: &str, id_hash: &str) -> String {
    format!("one-time/{}/{session_id_hash}/{id_hash}", kind.as_str())
}
