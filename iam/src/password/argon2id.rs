//! argon2id in PHC string form, computed in memory the caller owns.
//!
//! argon2's `PasswordHasher` and `PasswordVerifier` allocate and free the 19 MiB of blocks for
//! every hash. glibc then raises its mmap threshold to that size, so the next blocks come from a
//! per-thread malloc arena and stay there: a sign-in flood left 515 MiB that was never given
//! back (docs/benchmarks.md). Here the blocks are the caller's, so [`super::hasher`] keeps one
//! set per hashing permit and memory is bounded by the permits. The PHC encoding and the
//! constant-time comparison are still argon2's and `phc`'s; only the memory is ours.
//!
//! The blocks are not wiped between hashes: after the second pass every block holds
//! second-pass state, which a guess can only be checked against by redoing the whole
//! memory-hard computation, and argon2 itself frees its blocks without wiping them.

use argon2::password_hash::phc::{Output, ParamsString, PasswordHash as Phc, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};

use crate::error::IamError;

/// The outcome of checking a password against a stored hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    Match,
    Mismatch,
    /// The stored hash is not an argon2id PHC string; it is refused whatever
    /// the password.
    UnsupportedHash,
}

/// OWASP's argon2id minimum: m=19456 KiB, t=2, p=1.
const M_COST_KIB: u32 = 19_456;
const T_COST: u32 = 2;
const P_COST: u32 = 1;
/// argon2's recommended salt and output lengths.
pub(super) const SALT_BYTES: usize = 16;
const OUTPUT_BYTES: usize = 32;

/// The parameters every new hash gets.
pub(super) fn production_params() -> Result<Params, argon2::Error> {
    Params::new(M_COST_KIB, T_COST, P_COST, Some(OUTPUT_BYTES))
}

/// Zeroed memory for one hash with [`production_params`]: 19 MiB.
pub(super) fn production_memory() -> Result<Box<[Block]>, argon2::Error> {
    let blocks = production_params()?.block_count();
    Ok(vec![Block::new(); blocks].into_boxed_slice())
}

/// Hashes `password` with a fresh argon2id context, the production parameters and `salt`,
/// filling `memory` (at least [`production_memory`]'s size); returns the PHC string.
pub(super) fn hash_in(
    memory: &mut [Block],
    password: &[u8],
    salt: &[u8; SALT_BYTES],
) -> Result<String, IamError> {
    let failed =
        |e: &dyn std::fmt::Display| IamError::internal("hashing a password failed", e.to_string());
    let params = production_params().map_err(|e| failed(&e))?;
    let mut out = [0_u8; OUTPUT_BYTES];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
        .hash_password_into_with_memory(password, salt, &mut out, &mut *memory)
        .map_err(|e| failed(&e))?;
    let phc = Phc {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| failed(&e))?,
        salt: Some(Salt::new(salt).map_err(|e| failed(&e))?),
        hash: Some(Output::new(&out).map_err(|e| failed(&e))?),
    };
    Ok(phc.to_string())
}

/// Checks `password` against the PHC string `stored`, in `memory` when the stored parameters
/// fit in it (every hash this server made), or in memory argon2 allocates otherwise (a hash
/// imported with larger parameters). Anything but a well-formed argon2id hash is
/// `UnsupportedHash`; the caller decides what to spend on it.
pub(super) fn verify_in(memory: &mut [Block], password: &[u8], stored: &str) -> Verification {
    let Ok(phc) = Phc::new(stored) else {
        return Verification::UnsupportedHash;
    };
    if phc.algorithm.as_str() != Algorithm::Argon2id.as_ref() {
        return Verification::UnsupportedHash;
    }
    let (Some(salt), Some(expected)) = (&phc.salt, &phc.hash) else {
        return Verification::UnsupportedHash;
    };
    let version = match phc.version.map(Version::try_from).transpose() {
        Ok(version) => version.unwrap_or_default(),
        Err(_) => return Verification::UnsupportedHash,
    };
    let Ok(params) = Params::try_from(&phc) else {
        return Verification::UnsupportedHash;
    };
    let fits = params.block_count() <= memory.len();
    let argon2 = Argon2::new(Algorithm::Argon2id, version, params);
    let mut out = [0_u8; Output::MAX_LENGTH];
    let Some(out) = out.get_mut(..expected.len()) else {
        return Verification::UnsupportedHash;
    };
    let hashed = if fits {
        argon2.hash_password_into_with_memory(password, salt, out, &mut *memory)
    } else {
        argon2.hash_password_into(password, salt, out)
    };
    match hashed.ok().and_then(|()| Output::new(out).ok()) {
        // `Output`'s equality is constant-time.
        Some(computed) if computed == *expected => Verification::Match,
        Some(_) => Verification::Mismatch,
        None => Verification::UnsupportedHash,
    }
}

#[cfg(test)]
mod tests {
    use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};

    use super::*;

    const SALT: [u8; SALT_BYTES] = *b"sixteen-byte-slt";

    fn memory() -> Box<[Block]> {
        production_memory().unwrap()
    }

    #[test]
    fn hashes_verify_with_argon2s_own_verifier() {
        let phc = hash_in(&mut memory(), b"Correct-horse9", &SALT).unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        let parsed = Phc::new(&phc).unwrap();
        let argon2 = Argon2::default();
        assert!(argon2.verify_password(b"Correct-horse9", &parsed).is_ok());
        assert!(argon2.verify_password(b"correct-horse9", &parsed).is_err());
    }

    #[test]
    fn verifies_hashes_made_by_argon2s_own_hasher() {
        let argon2 = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            production_params().unwrap(),
        );
        let phc = argon2
            .hash_password_with_salt(b"Correct-horse9", &SALT)
            .unwrap()
            .to_string();
        assert_eq!(
            phc,
            hash_in(&mut memory(), b"Correct-horse9", &SALT).unwrap()
        );
        let mut memory = memory();
        assert_eq!(
            verify_in(&mut memory, b"Correct-horse9", &phc),
            Verification::Match
        );
        assert_eq!(
            verify_in(&mut memory, b"Correct-horse8", &phc),
            Verification::Mismatch
        );
    }

    #[test]
    fn reused_memory_gives_the_same_answers() {
        let mut memory = memory();
        let first = hash_in(&mut memory, b"one", &SALT).unwrap();
        let second = hash_in(&mut memory, b"two", &SALT).unwrap();
        assert_eq!(verify_in(&mut memory, b"one", &first), Verification::Match);
        assert_eq!(verify_in(&mut memory, b"two", &second), Verification::Match);
        assert_eq!(hash_in(&mut memory, b"one", &SALT).unwrap(), first);
    }

    #[test]
    fn other_parameters_verify_in_smaller_or_allocated_memory() {
        for (m_cost, t_cost) in [(8, 1), (32_768, 1)] {
            let params = Params::new(m_cost, t_cost, 1, None).unwrap();
            let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
            let phc = argon2
                .hash_password_with_salt(b"pw", &SALT)
                .unwrap()
                .to_string();
            let mut memory = memory();
            assert_eq!(verify_in(&mut memory, b"pw", &phc), Verification::Match);
            assert_eq!(verify_in(&mut memory, b"px", &phc), Verification::Mismatch);
        }
    }

    #[test]
    fn anything_but_argon2id_is_unsupported() {
        let argon2i = Argon2::new(
            Algorithm::Argon2i,
            Version::V0x13,
            production_params().unwrap(),
        );
        let phc = argon2i
            .hash_password_with_salt(b"password", &SALT)
            .unwrap()
            .to_string();
        let mut memory = memory();
        for stored in [
            phc.as_str(),
            "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW",
            "$argon2id$v=19$m=19456,t=2,p=1$c2l4dGVlbi1ieXRlLXNsdA",
            "$argon2id$v=7$m=19456,t=2,p=1$c2l4dGVlbi1ieXRlLXNsdA$aGFzaGhhc2g",
            "",
        ] {
            assert_eq!(
                verify_in(&mut memory, b"password", stored),
                Verification::UnsupportedHash,
                "{stored}"
            );
        }
    }
}
