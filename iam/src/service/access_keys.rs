//! Access keys of IAM users: how other services authenticate to the authorization API.
//!
//! A key is an id (`AKIA` and 16 characters, not secret) and a 40-character secret of 160 random
//! bits, shown once at creation. The secret's SHA-256 is stored for `Bearer id:secret` (with that
//! much entropy a fast hash cannot be reversed, and checking costs microseconds), and the secret
//! itself sealed under the master key for SigV4, which signs with it (`signed_requests.rs`).

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::account::AccountId;
use crate::arn::Kind;
use crate::authz::{Action, Authorized};
use crate::clock::UnixTime;
use crate::error::IamError;
use crate::event::RequestMeta;
use crate::master_key::MasterKey;
use crate::principal::Principal;
use crate::secret::{TokenHash, fill_random};
use crate::service::Iam;
use crate::service::common::{locked_target_entity, new_id, record, target_entity};
use crate::store::access_keys::{self as keys, KeyRow, NewKey};
use sqlx::AnyConnection;

/// AWS allows two access keys per user, so one can be rotated while the other works.
pub const MAX_ACCESS_KEYS_PER_USER: usize = 2;

const SECRET_BYTES: usize = 20;
const SECRET_CHARS: usize = 40;
/// The access key's last use is written at most this often, so checking a key rarely writes.
const LAST_USED_RESOLUTION_SECS: i64 = 60;

/// The secret half of a new access key. Not `Serialize`, no `Display`, redacted `Debug`.
pub struct AccessKeySecret(String);

impl AccessKeySecret {
    /// The only way to read it: for its one-time display.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessKeySecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessKeySecret(<redacted>)")
    }
}

/// A key just created; the secret is never available again.
#[derive(Debug)]
pub struct NewAccessKey {
    pub access_key_id: String,
    pub secret: AccessKeySecret,
    pub user_name: String,
    pub created_at: UnixTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccessKeyStatus {
    Active,
    Inactive,
}

impl AccessKeyStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AccessKeyStatus::Active => "Active",
            AccessKeyStatus::Inactive => "Inactive",
        }
    }

    fn parse(s: &str) -> AccessKeyStatus {
        if s == "Active" {
            AccessKeyStatus::Active
        } else {
            AccessKeyStatus::Inactive
        }
    }
}

/// What the console lists about a key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessKeyInfo {
    pub access_key_id: String,
    pub status: AccessKeyStatus,
    pub created_at: UnixTime,
    pub last_used_at: Option<UnixTime>,
}

/// An authenticated access key: its user (or root), as the principal of the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyHolder {
    pub principal: Principal,
    pub access_key_id: String,
}

fn looks_like_key_id(id: &str) -> bool {
    id.len() == 20 && id.starts_with("AKIA") && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

impl Iam {
    /// Creates an access key for the user the proof names (at most two per user).
    ///
    /// **Permissions**: `iam:CreateAccessKey` on the user's ARN.
    pub async fn create_access_key(
        &self,
        auth: &Authorized,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<NewAccessKey, IamError> {
        auth.require(Action::CreateAccessKey)?;
        let mut tx = self.store().begin_write().await?;
        let user = locked_target_entity(&mut tx, auth, Kind::User).await?;
        let count = keys::count_for_user(&mut tx, &user.id).await?;
        check_key_count(count, &format!("user `{}`", user.name))?;
        let (access_key_id, secret) = insert_new_key(
            &mut tx,
            self.master_key(),
            auth.principal().account_id(),
            Some(&user.id),
            now,
        )
        .await?;
        record(
            &mut tx,
            auth,
            Action::CreateAccessKey,
            json!({ "userName": user.name }),
            auth.resource(),
            meta,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(NewAccessKey {
            access_key_id,
            secret,
            user_name: user.name,
            created_at: now,
        })
    }

    /// The user's access keys, oldest first.
    ///
    /// **Permissions**: `iam:ListAccessKeys` on the user's ARN.
    pub async fn list_access_keys(
        &self,
        auth: &Authorized,
    ) -> Result<Vec<AccessKeyInfo>, IamError> {
        auth.require(Action::ListAccessKeys)?;
        let mut conn = self.store().pool().acquire().await?;
        let user = target_entity(&mut conn, auth, Kind::User).await?;
        let rows = keys::list_for_user(&mut conn, &user.id).await?;
        Ok(rows
            .into_iter()
            .map(|row| AccessKeyInfo {
                access_key_id: row.id,
                status: AccessKeyStatus::parse(&row.status),
                created_at: UnixTime::from_secs(row.created_at),
                last_used_at: row.last_used_at.map(UnixTime::from_secs),
            })
            .collect())
    }

    /// Activates or deactivates one of the user's keys.
    ///
    /// **Permissions**: `iam:UpdateAccessKey` on the user's ARN.
    pub async fn update_access_key(
        &self,
        auth: &Authorized,
        access_key_id: &str,
        status: AccessKeyStatus,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<(), IamError> {
        auth.require(Action::UpdateAccessKey)?;
        let mut tx = self.store().begin_write().await?;
        let user = locked_target_entity(&mut tx, auth, Kind::User).await?;
        let account = auth.principal().account_id();
        let found =
            keys::set_status(&mut tx, account, &user.id, access_key_id, status.as_str()).await?;
        if !found {
            return Err(key_not_found(access_key_id));
        }
        record(
            &mut tx,
            auth,
            Action::UpdateAccessKey,
            json!({ "userName": user.name, "accessKeyId": access_key_id, "status": status.as_str() }),
            auth.resource(),
            meta,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes one of the user's keys; it stops working at once.
    ///
    /// **Permissions**: `iam:DeleteAccessKey` on the user's ARN.
    pub async fn delete_access_key(
        &self,
        auth: &Authorized,
        access_key_id: &str,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<(), IamError> {
        auth.require(Action::DeleteAccessKey)?;
        let mut tx = self.store().begin_write().await?;
        let user = locked_target_entity(&mut tx, auth, Kind::User).await?;
        let account = auth.principal().account_id();
        let found = keys::delete(&mut tx, account, &user.id, access_key_id).await?;
        if !found {
            return Err(key_not_found(access_key_id));
        }
        record(
            &mut tx,
            auth,
            Action::DeleteAccessKey,
            json!({ "userName": user.name, "accessKeyId": access_key_id }),
            auth.resource(),
            meta,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The holder (IAM user, or root for a root key) of an active access key presented as
    /// `Bearer id:secret`, or `InvalidCredentials` for a wrong id or secret or an inactive key
    /// (one answer for all, as for passwords). The secret's hash is compared in constant time.
    pub async fn authenticate_access_key(
        &self,
        access_key_id: &str,
        secret: &str,
        now: UnixTime,
    ) -> Result<KeyHolder, IamError> {
        let presented = TokenHash::of(secret);
        if !looks_like_key_id(access_key_id) || secret.len() != SECRET_CHARS {
            return Err(IamError::InvalidCredentials);
        }
        let mut conn = self.store().pool().acquire().await?;
        let Some(row) = keys::find_for_auth(&mut conn, access_key_id).await? else {
            return Err(IamError::InvalidCredentials);
        };
        let matches = presented.ct_eq(&TokenHash::from_stored(row.secret_hash.clone()));
        let holder = active_holder(&row)?;
        let (true, Some(principal)) = (matches, holder) else {
            return Err(IamError::InvalidCredentials);
        };
        note_use(&mut conn, access_key_id, row.last_used_at, now).await?;
        Ok(KeyHolder {
            principal,
            access_key_id: access_key_id.to_owned(),
        })
    }
}

/// The associated data a key's secret is sealed with: the key's id, so a sealed secret copied to
/// another key's row does not open.
pub(crate) fn sealed_secret_context(access_key_id: &str) -> String {
    format!("access-key:{access_key_id}")
}

/// Refuses a new key when the holder (`user `name`` or `the root user`) already has the most.
pub(super) fn check_key_count(count: i64, holder: &str) -> Result<(), IamError> {
    if usize::try_from(count).unwrap_or(usize::MAX) >= MAX_ACCESS_KEYS_PER_USER {
        return Err(IamError::LimitExceeded {
            field: "access_key",
            message: format!(
                "{holder} already has {MAX_ACCESS_KEYS_PER_USER} access keys, the most a user can have; delete one first"
            ),
        });
    }
    Ok(())
}

/// Makes a key (id and secret) and stores it, hashed and sealed, for the user `user_id` or, when
/// `None`, for the root user. The caller checked the count and records the event.
pub(super) async fn insert_new_key(
    conn: &mut AnyConnection,
    master_key: &MasterKey,
    account: &AccountId,
    user_id: Option<&str>,
    now: UnixTime,
) -> Result<(String, AccessKeySecret), IamError> {
    let mut raw = [0u8; SECRET_BYTES];
    fill_random(&mut raw)?;
    let secret = AccessKeySecret(hex::encode(raw));
    debug_assert_eq!(secret.0.len(), SECRET_CHARS);
    let access_key_id = new_id("AKIA").chars().take(20).collect::<String>();
    let secret_hash = TokenHash::of(&secret.0);
    let sealed = master_key.seal(&sealed_secret_context(&access_key_id), secret.0.as_bytes())?;
    let key = NewKey {
        id: &access_key_id,
        user_id,
        secret_hash: secret_hash.as_str(),
        secret_sealed: &hex::encode(sealed),
        created_at: now.as_secs(),
    };
    keys::insert(conn, account, &key).await?;
    Ok((access_key_id, secret))
}

/// The principal an active key acts as; `None` for an inactive key, or a root key while the root
/// user does not exist. The caller checks the credential itself (hash or signature).
pub(super) fn active_holder(row: &KeyRow) -> Result<Option<Principal>, IamError> {
    if row.status != "Active" {
        return Ok(None);
    }
    let account_id = AccountId::parse(&row.account_id).ok_or_else(|| {
        IamError::bug(format!(
            "a stored account id `{}` is malformed",
            row.account_id
        ))
    })?;
    if row.is_root == 1 {
        return Ok(row
            .root_email
            .clone()
            .map(|email| Principal::Root { account_id, email }));
    }
    match (&row.user_id, &row.name, &row.path) {
        (Some(user_id), Some(name), Some(path)) => Ok(Some(Principal::User {
            account_id,
            user_id: user_id.clone(),
            name: name.clone(),
            path: path.clone(),
        })),
        _ => Err(IamError::bug(
            "an IAM user's access key has no user row".to_owned(),
        )),
    }
}

/// Records that a key was used at `now`, at most once per [`LAST_USED_RESOLUTION_SECS`], so
/// checking a key rarely writes.
pub(super) async fn note_use(
    conn: &mut AnyConnection,
    access_key_id: &str,
    last_used_at: Option<i64>,
    now: UnixTime,
) -> Result<(), IamError> {
    if last_used_at.is_none_or(|t| now.as_secs() - t >= LAST_USED_RESOLUTION_SECS) {
        keys::touch_last_used(conn, access_key_id, now.as_secs()).await?;
    }
    Ok(())
}

fn key_not_found(access_key_id: &str) -> IamError {
    IamError::NotFound {
        what: "access key",
        name: access_key_id.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted() {
        let s = AccessKeySecret("x".repeat(40));
        assert_eq!(format!("{s:?}"), "AccessKeySecret(<redacted>)");
    }

    #[test]
    fn key_ids_are_shape_checked() {
        assert!(looks_like_key_id("AKIAABCDEFGHIJKLMNOP"));
        assert!(!looks_like_key_id("AKIA123"));
        assert!(!looks_like_key_id("ASIAABCDEFGHIJKLMNOP"));
        assert!(!looks_like_key_id("AKIAABCDEFGHIJKLMN;P"));
    }
}
