//! SigV4 authentication of Query API requests (`POST /` from the AWS CLI, boto3, Terraform)
//! with an access key whose secret is sealed under the master key.
//!
//! The key's row is read on every request, so deactivating or deleting a key takes effect at
//! once. Opening the secret and deriving the signing key happen once per (key, date, region,
//! service): the derived key is cached after a signature verifies with it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use zeroize::Zeroizing;

use super::Iam;
use super::access_keys::{KeyHolder, active_holder, note_use, sealed_secret_context};
use crate::clock::UnixTime;
use crate::error::IamError;
use crate::sigv4::{self, Authorization, Credential, SigV4Error, SignedRequest, SigningKey};
use crate::store::access_keys::{self as keys, KeyRow};

/// The cache is emptied when it reaches this many keys: a day's keys of a few thousand access
/// keys. Only keys that verified a signature get in, so strangers cannot fill it.
const MAX_CACHED_SIGNING_KEYS: usize = 10_000;

/// (access key id, date, region, service).
type CacheKey = (String, String, String, String);

/// Signing keys derived from sealed secrets, shared by the clones of an `Iam`.
#[derive(Debug, Clone, Default)]
pub(crate) struct SigningKeyCache(Arc<Mutex<HashMap<CacheKey, SigningKey>>>);

impl SigningKeyCache {
    fn get(&self, key: &CacheKey) -> Option<SigningKey> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(key)
            .cloned()
    }

    fn put(&self, key: CacheKey, signing_key: SigningKey) {
        let mut map = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if map.len() >= MAX_CACHED_SIGNING_KEYS {
            map.clear();
        }
        map.insert(key, signing_key);
    }

    /// How many signing keys are cached (for tests).
    fn len(&self) -> usize {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).len()
    }
}

fn cache_key(credential: &Credential) -> CacheKey {
    (
        credential.access_key_id.clone(),
        credential.date.clone(),
        credential.region.clone(),
        credential.service.clone(),
    )
}

impl Iam {
    /// The holder of the access key that signed `request` (AWS Signature Version 4), checked
    /// against `now`. The caller checks the credential's region and service if it cares
    /// ([`Credential::check_scope`]).
    ///
    /// Errors (as [`IamError::Signature`]): no `Authorization` header,
    /// `MissingAuthenticationToken`; a malformed one, `IncompleteSignature`; an unknown or
    /// inactive key, or one without a sealed secret (made before SigV4 support: rotate it) or
    /// whose secret does not open with this server's master key, `InvalidClientTokenId`; a wrong
    /// signature or a date more than 15 minutes off, `SignatureDoesNotMatch`.
    pub async fn authenticate_sigv4(
        &self,
        request: &SignedRequest<'_>,
        now: UnixTime,
    ) -> Result<KeyHolder, IamError> {
        let header = request
            .header("authorization")
            .ok_or(SigV4Error::MissingAuthenticationToken)?;
        let auth = Authorization::parse(header)?;
        let key_id = auth.credential.access_key_id.as_str();
        let mut conn = self.store().pool().acquire().await?;
        let Some(row) = keys::find_for_auth(&mut conn, key_id).await? else {
            return Err(SigV4Error::InvalidClientTokenId.into());
        };
        let Some(principal) = active_holder(&row)? else {
            return Err(SigV4Error::InvalidClientTokenId.into());
        };
        let cache_key = cache_key(&auth.credential);
        let cached = self.signing_keys().get(&cache_key);
        let signing_key = match cached.clone() {
            Some(key) => key,
            None => self.derive_signing_key(key_id, &row, &auth.credential)?,
        };
        sigv4::verify(request, &auth, &signing_key, now.as_secs())?;
        if cached.is_none() {
            self.signing_keys().put(cache_key, signing_key);
        }
        note_use(&mut conn, key_id, row.last_used_at, now).await?;
        Ok(KeyHolder {
            principal,
            access_key_id: key_id.to_owned(),
        })
    }

    /// Opens the key's sealed secret and derives the signing key for the credential's scope.
    fn derive_signing_key(
        &self,
        key_id: &str,
        row: &KeyRow,
        credential: &Credential,
    ) -> Result<SigningKey, IamError> {
        let Some(sealed_hex) = row.secret_sealed.as_deref() else {
            tracing::warn!(
                access_key_id = key_id,
                "a SigV4 request used an access key made before secrets were sealed; it works \
                 with Bearer only: rotate it (create a new key, then delete this one)"
            );
            return Err(SigV4Error::InvalidClientTokenId.into());
        };
        let sealed = hex::decode(sealed_hex)
            .map_err(|e| IamError::internal("a stored access key secret is not hex", e))?;
        let Some(secret) = self
            .master_key()
            .open(&sealed_secret_context(key_id), &sealed)
        else {
            tracing::warn!(
                access_key_id = key_id,
                "an access key's sealed secret does not open with this server's master key; \
                 start the server with the master key the key was made under, or rotate the key"
            );
            return Err(SigV4Error::InvalidClientTokenId.into());
        };
        let secret =
            Zeroizing::new(String::from_utf8(secret.to_vec()).map_err(|_| {
                IamError::bug("an access key's sealed secret is not UTF-8".to_owned())
            })?);
        Ok(sigv4::signing_key(
            &secret,
            &credential.date,
            &credential.region,
            &credential.service,
        ))
    }

    /// How many derived signing keys are cached, to check that one is derived once per day,
    /// region and service.
    #[doc(hidden)]
    pub fn cached_signing_keys(&self) -> usize {
        self.signing_keys().len()
    }
}
