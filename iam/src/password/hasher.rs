//! argon2id hashing on the blocking pool, in bounded time and memory.
//!
//! Each hash takes 19 MiB and tens of milliseconds of CPU, so hashes run on `spawn_blocking`
//! (never on the async workers) behind a semaphore sized to the CPU count, and each permit
//! owns one set of argon2 blocks, allocated at its first use and kept: a burst of sign-ins
//! costs at most one 19 MiB set per CPU, once ([`super::argon2id`] says why argon2's own
//! allocation per hash is not bounded).

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use argon2::Block;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use zeroize::Zeroizing;

use super::argon2id::{self, SALT_BYTES, Verification};
use crate::error::IamError;
use crate::secret::fill_random;

/// A hash of a random password with the production parameters. Checking a password for a
/// missing user against it costs the same as a real check, so response time does not reveal
/// which names exist.
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

/// Hashes and verifies passwords. Cheap to clone; clones share the limit and the memory.
#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    /// Blocks no running hash holds: at most one set per permit.
    idle_memory: Arc<Mutex<Vec<Box<[Block]>>>>,
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

/// A turn at the hasher: a permit that is spent on one hash or check. Sign-in takes its turn
/// first and checks the lockout while holding it, so attempts queued behind a flood see the
/// counts as they are when their hash starts, not as they were when they arrived.
#[must_use = "a turn holds a hashing permit until it is spent or dropped"]
pub struct HashTurn {
    permit: OwnedSemaphorePermit,
    hasher: PasswordHasher,
}

impl fmt::Debug for HashTurn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HashTurn")
    }
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
            idle_memory: Arc::new(Mutex::new(Vec::new())),
            verifications: Arc::new(AtomicU64::new(0)),
        }
    }

    /// Waits for a hashing permit.
    pub async fn turn(&self) -> Result<HashTurn, IamError> {
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(|e| IamError::internal("the password hasher was shut down", e))?;
        Ok(HashTurn {
            permit,
            hasher: self.clone(),
        })
    }

    /// Hashes `password` with argon2id and a random salt.
    pub async fn hash(&self, password: &str) -> Result<PasswordHash, IamError> {
        self.turn().await?.hash(password).await
    }

    /// Checks `password` against `stored`. With `None` (no such user), it
    /// checks against a dummy hash and answers `Mismatch`, doing the same work
    /// as a real check.
    pub async fn verify(
        &self,
        password: &str,
        stored: Option<&PasswordHash>,
    ) -> Result<Verification, IamError> {
        self.turn().await?.verify(password, stored).await
    }

    /// How many verifications this hasher (and its clones) has run.
    pub fn verifications(&self) -> u64 {
        self.verifications.load(Ordering::Relaxed)
    }
}

impl HashTurn {
    /// Hashes `password` with argon2id and a random salt.
    pub async fn hash(self, password: &str) -> Result<PasswordHash, IamError> {
        let mut salt = [0_u8; SALT_BYTES];
        fill_random(&mut salt)?;
        let password = Zeroizing::new(password.to_owned());
        self.run(move |memory| {
            argon2id::hash_in(memory, password.as_bytes(), &salt).map(PasswordHash)
        })
        .await
    }

    /// See [`PasswordHasher::verify`].
    pub async fn verify(
        self,
        password: &str,
        stored: Option<&PasswordHash>,
    ) -> Result<Verification, IamError> {
        let password = Zeroizing::new(password.to_owned());
        let stored = stored.map(|h| h.0.clone());
        self.hasher.verifications.fetch_add(1, Ordering::Relaxed);
        self.run(move |memory| {
            Ok(verify_blocking(
                memory,
                password.as_bytes(),
                stored.as_deref(),
            ))
        })
        .await
    }

    /// Runs `work` on the blocking pool with one idle set of blocks (allocated if none is
    /// idle, which happens only until every permit has been used once), then gives the blocks
    /// and the permit back.
    async fn run<T, F>(self, work: F) -> Result<T, IamError>
    where
        T: Send + 'static,
        F: FnOnce(&mut [Block]) -> Result<T, IamError> + Send + 'static,
    {
        let HashTurn { permit, hasher } = self;
        tokio::task::spawn_blocking(move || {
            let idle = hasher
                .idle_memory
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .pop();
            let mut memory = match idle {
                Some(memory) => memory,
                None => argon2id::production_memory()
                    .map_err(|e| IamError::internal("the argon2 parameters are invalid", e))?,
            };
            let result = work(&mut memory);
            hasher
                .idle_memory
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(memory);
            drop(permit);
            result
        })
        .await
        .map_err(|e| IamError::internal("a password hashing task failed", e))?
    }
}

fn verify_blocking(memory: &mut [Block], password: &[u8], stored: Option<&str>) -> Verification {
    let Some(stored) = stored else {
        return dummy_verify(memory, password, Verification::Mismatch);
    };
    match argon2id::verify_in(memory, password, stored) {
        Verification::UnsupportedHash => {
            tracing::warn!("refusing a stored password hash that is not argon2id");
            dummy_verify(memory, password, Verification::UnsupportedHash)
        }
        verdict => verdict,
    }
}

/// Spends the time of a real check, then answers `outcome`.
fn dummy_verify(memory: &mut [Block], password: &[u8], outcome: Verification) -> Verification {
    // The verdict is meaningless: only the time spent matters.
    if argon2id::verify_in(memory, password, DUMMY_HASH) == Verification::UnsupportedHash {
        tracing::error!("the built-in dummy password hash does not parse");
    }
    outcome
}

#[cfg(test)]
mod tests {
    use argon2::password_hash::PasswordHasher as _;
    use argon2::{Algorithm, Argon2, Version};

    use super::*;

    fn idle_memory_sets(hasher: &PasswordHasher) -> usize {
        hasher.idle_memory.lock().unwrap().len()
    }

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
        assert_ne!(
            hasher.hash("Correct-horse9").await.unwrap(),
            hash,
            "each hash has its own salt"
        );
    }

    #[tokio::test]
    async fn missing_hash_is_a_mismatch() {
        let hasher = PasswordHasher::new();
        assert_eq!(
            hasher.verify("x", None).await.unwrap(),
            Verification::Mismatch
        );
        assert_eq!(hasher.verifications(), 1);
    }

    #[test]
    fn dummy_hash_uses_the_production_parameters() {
        let mut memory = argon2id::production_memory().unwrap();
        assert_eq!(
            argon2id::verify_in(&mut memory, b"not it", DUMMY_HASH),
            Verification::Mismatch
        );
        assert!(DUMMY_HASH.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
    }

    #[tokio::test]
    async fn non_argon2id_hashes_are_refused() {
        // A valid argon2i hash of "password": correct password, wrong algorithm.
        let argon2i = Argon2::new(
            Algorithm::Argon2i,
            Version::V0x13,
            argon2id::production_params().unwrap(),
        );
        let phc = argon2i
            .hash_password_with_salt(b"password", b"sixteen-byte-slt")
            .unwrap()
            .to_string();
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

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn memory_is_one_set_of_blocks_per_permit_however_many_hash() {
        let hasher = PasswordHasher::with_concurrency(2);
        assert_eq!(
            idle_memory_sets(&hasher),
            0,
            "nothing before the first hash"
        );
        let hashes: Vec<_> = (0..6)
            .map(|i| {
                let hasher = hasher.clone();
                tokio::spawn(async move { hasher.hash(&format!("password-{i}")).await })
            })
            .collect();
        for hash in hashes {
            hash.await.unwrap().unwrap();
        }
        let sets = idle_memory_sets(&hasher);
        assert!((1..=2).contains(&sets), "{sets} sets for 2 permits");
        assert_eq!(hasher.permits.available_permits(), 2);
    }

    #[tokio::test]
    async fn a_turn_taken_holds_its_permit_until_spent() {
        let hasher = PasswordHasher::with_concurrency(1);
        let turn = hasher.turn().await.unwrap();
        assert_eq!(hasher.permits.available_permits(), 0);
        let hash = turn.hash("Correct-horse9").await.unwrap();
        assert_eq!(hasher.permits.available_permits(), 1);
        let turn = hasher.turn().await.unwrap();
        drop(turn);
        assert_eq!(
            hasher.verify("Correct-horse9", Some(&hash)).await.unwrap(),
            Verification::Match
        );
    }
}
