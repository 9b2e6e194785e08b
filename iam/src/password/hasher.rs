//! argon2id hashing on the blocking pool, with bounded concurrency.
//!
//! Each hash takes about 19 MiB and tens of milliseconds of CPU, so hashes run
//! on `spawn_blocking` (never on the async workers) and a semaphore sized to
//! the CPU count keeps a burst of sign-ins from exhausting memory or the
//! blocking pool.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use argon2::{Algorithm, Argon2, Params, PasswordHasher as _, PasswordVerifier as _, Version};
use tokio::sync::Semaphore;

use crate::error::IamError;

/// OWASP's argon2id minimum: m=19456 KiB, t=2, p=1.
const M_COST_KIB: u32 = 19_456;
const T_COST: u32 = 2;
const P_COST: u32 = 1;

/// A hash of a random password with the parameters above. Checking a password
/// for a missing user against it costs the same as a real check, so response
/// time does not reveal which names exist.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$RrALo+Vkz5urOh2vDZatuQ$e3KEK0776DEJFfI78fVWRrdIoHj/KsGUNXFzoDoDwEo";

/// An argon2id hash in PHC string form. Not `Serialize`; `Debug` is redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl PasswordHash {
    pub(crate) fn from_stored(phc: String) -> PasswordHash {
        PasswordHash(phc)
    }

    /// The PHC string, for storing in the database.
    pub(crate) fn as_phc(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordHash(<redacted>)")
    }
}

/// The outcome of checking a password against a stored hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    Match,
    Mismatch,
    /// The stored hash is not an argon2id PHC string; it is refused whatever
    /// the password.
    UnsupportedHash,
}

/// Hashes and verifies passwords. Cheap to clone; clones share the limit.
#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    /// argon2 verifications run, real or dummy: sign-in must do exactly one
    /// per attempt whatever the outcome.
    verifications: Arc<AtomicU64>,
}

impl fmt::Debug for PasswordHasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PasswordHasher")
            .field("available_permits", &self.permits.available_permits())
            .field("verifications", &self.verifications())
            .finish()
    }
}

impl Default for PasswordHasher {
    fn default() -> PasswordHasher {
        PasswordHasher::new()
    }
}

fn argon2id() -> Result<Argon2<'static>, IamError> {
    let params = Params::new(M_COST_KIB, T_COST, P_COST, None)
        .map_err(|e| IamError::internal("the argon2 parameters are invalid", e))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

impl PasswordHasher {
    /// At most as many concurrent hashes as the machine has CPUs.
    pub fn new() -> PasswordHasher {
        let cpus = std::thread::available_parallelism().map_or(1, usize::from);
        PasswordHasher::with_concurrency(cpus)
    }

    pub fn with_concurrency(max_concurrent: usize) -> PasswordHasher {
        PasswordHasher {
            permits: Arc::new(Semaphore::new(max_concurrent.max(1))),
            verifications: Arc::new(AtomicU64::new(0)),
        }
    }

    /// Hashes `password` with argon2id and a random salt.
    pub async fn hash(&self, password: &str) -> Result<PasswordHash, IamError> {
        let password = password.to_owned();
        self.run_blocking(move || {
            let hash = argon2id()?
                .hash_password(password.as_bytes())
                .map_err(|e| IamError::internal("hashing a password failed", e))?;
            Ok(PasswordHash(hash.to_string()))
        })
        .await
    }

    /// Checks `password` against `stored`. With `None` (no such user), it
    /// checks against a dummy hash and answers `Mismatch`, doing the same work
    /// as a real check.
    pub async fn verify(
        &self,
        password: &str,
        stored: Option<&PasswordHash>,
    ) -> Result<Verification, IamError> {
        let password = password.to_owned();
        let stored = stored.map(|h| h.0.clone());
        self.verifications.fetch_add(1, Ordering::Relaxed);
        self.run_blocking(move || Ok(verify_blocking(&password, stored.as_deref())))
            .await
    }

    /// How many verifications this hasher (and its clones) has run.
    pub fn verifications(&self) -> u64 {
        self.verifications.load(Ordering::Relaxed)
    }

    async fn run_blocking<T, F>(&self, work: F) -> Result<T, IamError>
    where
        T: Send + 'static,
        F: FnOnce() -> Result<T, IamError> + Send + 'static,
    {
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(|e| IamError::internal("the password hasher was shut down", e))?;
        tokio::task::spawn_blocking(move || {
            let result = work();
            drop(permit);
            result
        })
        .await
        .map_err(|e| IamError::internal("a password hashing task failed", e))?
    }
}

fn verify_blocking(password: &str, stored: Option<&str>) -> Verification {
    let Some(stored) = stored else {
        return dummy_verify(password, Verification::Mismatch);
    };
    match argon2::PasswordHash::new(stored) {
        Ok(hash) if hash.algorithm.as_str() == "argon2id" => {
            match argon2id().map(|a| a.verify_password(password.as_bytes(), &hash)) {
                Ok(Ok(())) => Verification::Match,
                Ok(Err(_)) => Verification::Mismatch,
                Err(e) => {
                    tracing::error!(error = %e, "argon2 setup failed during verification");
                    Verification::Mismatch
                }
            }
        }
        _ => {
            tracing::warn!("refusing a stored password hash that is not argon2id");
            dummy_verify(password, Verification::UnsupportedHash)
        }
    }
}

/// Spends the time of a real check, then answers `outcome`.
fn dummy_verify(password: &str, outcome: Verification) -> Verification {
    match (argon2::PasswordHash::new(DUMMY_HASH), argon2id()) {
        (Ok(dummy), Ok(a)) => {
            // The result is meaningless: only the time spent matters.
            let _ = a.verify_password(password.as_bytes(), &dummy);
        }
        _ => tracing::error!("the built-in dummy password hash does not parse"),
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_then_verify() {
        let hasher = PasswordHasher::new();
        let hash = hasher.hash("Correct-horse9").await.unwrap();
        assert!(hash.as_phc().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert_eq!(
            hasher.verify("Correct-horse9", Some(&hash)).await.unwrap(),
            Verification::Match
        );
        assert_eq!(
            hasher.verify("wrong", Some(&hash)).await.unwrap(),
            Verification::Mismatch
        );
    }

    #[tokio::test]
    async fn missing_hash_is_a_mismatch() {
        let hasher = PasswordHasher::new();
        assert_eq!(
            hasher.verify("x", None).await.unwrap(),
            Verification::Mismatch
        );
    }

    #[test]
    fn dummy_hash_uses_the_same_parameters() {
        let dummy = argon2::PasswordHash::new(DUMMY_HASH).unwrap();
        assert_eq!(dummy.algorithm.as_str(), "argon2id");
        assert!(DUMMY_HASH.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
    }

    #[tokio::test]
    async fn non_argon2id_hashes_are_refused() {
        // A valid argon2i hash of "password": correct password, wrong algorithm.
        let params = Params::new(M_COST_KIB, T_COST, P_COST, None).unwrap();
        let argon2i = Argon2::new(Algorithm::Argon2i, Version::V0x13, params);
        let phc = argon2i.hash_password(b"password").unwrap().to_string();
        assert!(phc.starts_with("$argon2i$"));
        let stored = PasswordHash::from_stored(phc);
        let hasher = PasswordHasher::new();
        assert_eq!(
            hasher.verify("password", Some(&stored)).await.unwrap(),
            Verification::UnsupportedHash
        );
        let bcrypt = PasswordHash::from_stored(
            "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW".to_owned(),
        );
        assert_eq!(
            hasher.verify("password", Some(&bcrypt)).await.unwrap(),
            Verification::UnsupportedHash
        );
    }

    #[test]
    fn debug_is_redacted() {
        let h =
            PasswordHash::from_stored("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_owned());
        assert_eq!(format!("{h:?}"), "PasswordHash(<redacted>)");
    }

    #[tokio::test]
    async fn concurrency_is_bounded() {
        let hasher = PasswordHasher::with_concurrency(1);
        let (a, b) = tokio::join!(hasher.hash("one"), hasher.hash("two"));
        assert_ne!(a.unwrap().as_phc(), b.unwrap().as_phc());
        assert_eq!(hasher.permits.available_permits(), 1);
    }
}
