//! The server's master key: AES-256-GCM over secrets that must outlive a request but never be
//! stored in the clear (the one-time password and access-key pages today; access-key secrets
//! and MFA seeds later).
//!
//! A sealed value is `nonce (12 bytes) || ciphertext || tag (16 bytes)`. Every value is sealed
//! with associated data naming what it is and whom it is for, so a row copied to another
//! session, kind or id does not open. Nonces are 96 random bits from the OS: a key seals far
//! fewer than the 2^32 values after which random nonces would risk a repeat.

use std::fmt;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use zeroize::Zeroizing;

use crate::error::IamError;
use crate::secret::fill_random;

const KEY_BYTES: usize = 32;
const NONCE_BYTES: usize = 12;

/// A 256-bit AES-GCM key. `Debug` never shows it.
#[derive(Clone)]
pub struct MasterKey {
    cipher: Aes256Gcm,
}

/// Why a master key could not be read from its text form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MasterKeyError {
    #[error(
        "the master key must be 64 hexadecimal digits (32 bytes) on one line, and this one has {0} characters; generate one with `openssl rand -hex 32`"
    )]
    Length(usize),
    #[error("the master key must be hexadecimal digits only (0-9, a-f)")]
    NotHex,
}

impl MasterKey {
    /// A new random key from the OS.
    pub fn generate() -> Result<MasterKey, IamError> {
        Ok(MasterKey::generate_hex()?.0)
    }

    fn from_bytes(bytes: &[u8; KEY_BYTES]) -> MasterKey {
        MasterKey {
            cipher: Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(bytes)),
        }
    }

    /// Reads the key file's form: 64 hex digits, surrounding whitespace ignored.
    pub fn from_hex(text: &str) -> Result<MasterKey, MasterKeyError> {
        let text = text.trim();
        if text.len() != 2 * KEY_BYTES {
            return Err(MasterKeyError::Length(text.chars().count()));
        }
        let mut bytes = Zeroizing::new([0u8; KEY_BYTES]);
        hex::decode_to_slice(text, bytes.as_mut_slice()).map_err(|_| MasterKeyError::NotHex)?;
        Ok(MasterKey::from_bytes(&bytes))
    }

    /// A new random key and its key-file form (64 hex digits and a newline).
    pub fn generate_hex() -> Result<(MasterKey, Zeroizing<String>), IamError> {
        let mut bytes = Zeroizing::new([0u8; KEY_BYTES]);
        fill_random(bytes.as_mut_slice())?;
        let text = Zeroizing::new(format!("{}\n", hex::encode(bytes.as_slice())));
        Ok((MasterKey::from_bytes(&bytes), text))
    }

    /// Encrypts `plaintext`, binding it to `context` (which must be given again to open it).
    pub(crate) fn seal(&self, context: &str, plaintext: &[u8]) -> Result<Vec<u8>, IamError> {
        let mut nonce = [0u8; NONCE_BYTES];
        fill_random(&mut nonce)?;
        let ciphertext = self
            .cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| IamError::bug("AES-GCM refused to encrypt".to_owned()))?;
        let mut sealed = Vec::with_capacity(NONCE_BYTES + ciphertext.len());
        sealed.extend_from_slice(&nonce);
        sealed.extend_from_slice(&ciphertext);
        Ok(sealed)
    }

    /// Decrypts what [`seal`](Self::seal) made with the same key and `context`; `None` when the
    /// key or context differ or the value was altered.
    pub(crate) fn open(&self, context: &str, sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        if sealed.len() < NONCE_BYTES {
            return None;
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE_BYTES);
        self.cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: context.as_bytes(),
                },
            )
            .ok()
            .map(Zeroizing::new)
    }
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MasterKey(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_with_its_key_and_context_only() {
        let key = MasterKey::generate().unwrap();
        let other = MasterKey::generate().unwrap();
        let sealed = key.seal("one-time/users/s1/id1", b"Pa55-word!").unwrap();
        assert!(!sealed.windows(10).any(|w| w == b"Pa55-word!"));
        assert_eq!(
            key.open("one-time/users/s1/id1", &sealed)
                .unwrap()
                .as_slice(),
            b"Pa55-word!"
        );
        assert!(key.open("one-time/users/s2/id1", &sealed).is_none());
        assert!(other.open("one-time/users/s1/id1", &sealed).is_none());
        let mut altered = sealed.clone();
        let last = altered.len() - 1;
        altered[last] ^= 1;
        assert!(key.open("one-time/users/s1/id1", &altered).is_none());
        assert!(key.open("one-time/users/s1/id1", &sealed[..5]).is_none());
    }

    #[test]
    fn the_same_plaintext_seals_differently_each_time() {
        let key = MasterKey::generate().unwrap();
        assert_ne!(key.seal("c", b"x").unwrap(), key.seal("c", b"x").unwrap());
    }

    #[test]
    fn the_key_file_form_round_trips_and_bad_forms_say_why() {
        let (key, text) = MasterKey::generate_hex().unwrap();
        assert_eq!(text.len(), 65);
        let again = MasterKey::from_hex(&text).unwrap();
        let sealed = key.seal("c", b"secret").unwrap();
        assert_eq!(again.open("c", &sealed).unwrap().as_slice(), b"secret");
        assert_eq!(
            MasterKey::from_hex("abcd").unwrap_err(),
            MasterKeyError::Length(4)
        );
        assert_eq!(
            MasterKey::from_hex(&"g".repeat(64)).unwrap_err(),
            MasterKeyError::NotHex
        );
        assert!(!format!("{key:?}").contains(&text.trim()[..8]));
    }
}
