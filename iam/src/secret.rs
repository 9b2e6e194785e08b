//! Random tokens handed to a person (setup link, session cookie) and the
//! hashes we keep of them.
//!
//! The token types are not `Serialize`, their `Debug` is redacted, and they
//! have no `Display`: the only way to see the value is `as_str()`, called where
//! it is printed once (the setup link) or set as a cookie.

use std::fmt;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::error::IamError;

/// 128 bits, the session id size OWASP recommends as a minimum.
const SESSION_TOKEN_BYTES: usize = 16;
/// The setup link grants root; it is printed once, so length costs nothing.
const SETUP_TOKEN_BYTES: usize = 32;

/// Fills `buf` from the operating system's CSPRNG.
pub(crate) fn fill_random(buf: &mut [u8]) -> Result<(), IamError> {
    getrandom::fill(buf)
        .map_err(|e| IamError::internal("reading the system random number generator failed", e))
}

/// The SHA-256 of a token, hex-encoded. This is what the database stores.
///
/// Not secret: the token has 128+ bits of entropy, so the hash cannot be
/// reversed, and looking a session up needs the token, not the hash.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct TokenHash(String);

impl TokenHash {
    pub(crate) fn of(token: &str) -> TokenHash {
        TokenHash(hex::encode(Sha256::digest(token.as_bytes())))
    }

    pub(crate) fn from_stored(hex: String) -> TokenHash {
        TokenHash(hex)
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// Constant-time comparison, so a stored hash leaks nothing through timing.
    pub(crate) fn ct_eq(&self, other: &TokenHash) -> bool {
        self.0.as_bytes().ct_eq(other.0.as_bytes()).into()
    }
}

impl fmt::Debug for TokenHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("TokenHash").field(&self.0).finish()
    }
}

fn random_hex(bytes: usize) -> Result<String, IamError> {
    let mut buf = vec![0u8; bytes];
    fill_random(&mut buf)?;
    Ok(hex::encode(buf))
}

/// True when `s` has the shape of a token of `bytes` random bytes, so obvious
/// garbage is refused without a database round trip.
fn looks_like_token(s: &str, bytes: usize) -> bool {
    s.len() == bytes * 2 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A session token: the value of the session cookie. Only its hash is stored.
pub struct SessionToken(String);

impl SessionToken {
    pub(crate) fn generate() -> Result<SessionToken, IamError> {
        random_hex(SESSION_TOKEN_BYTES).map(SessionToken)
    }

    /// The URL-safe text to put in the cookie.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub(crate) fn hash(&self) -> TokenHash {
        TokenHash::of(&self.0)
    }

    pub(crate) fn hash_of_presented(presented: &str) -> Option<TokenHash> {
        looks_like_token(presented, SESSION_TOKEN_BYTES).then(|| TokenHash::of(presented))
    }
}

impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionToken(<redacted>)")
    }
}

/// The one-time token in the root setup link (`/setup?token=...`).
pub struct SetupToken(String);

impl SetupToken {
    pub(crate) fn generate() -> Result<SetupToken, IamError> {
        random_hex(SETUP_TOKEN_BYTES).map(SetupToken)
    }

    /// The URL-safe text to print in the setup link.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub(crate) fn hash(&self) -> TokenHash {
        TokenHash::of(&self.0)
    }

    pub(crate) fn hash_of_presented(presented: &str) -> Option<TokenHash> {
        looks_like_token(presented, SETUP_TOKEN_BYTES).then(|| TokenHash::of(presented))
    }
}

impl fmt::Debug for SetupToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SetupToken(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let session = SessionToken::generate().unwrap();
        let setup = SetupToken::generate().unwrap();
        let shown = format!("{session:?} {setup:?}");
        assert!(!shown.contains(session.as_str()));
        assert!(!shown.contains(setup.as_str()));
        assert_eq!(shown, "SessionToken(<redacted>) SetupToken(<redacted>)");
    }

    #[test]
    fn tokens_are_random_url_safe_and_long_enough() {
        let a = SessionToken::generate().unwrap();
        let b = SessionToken::generate().unwrap();
        assert_ne!(a.as_str(), b.as_str());
        assert_eq!(a.as_str().len(), 32);
        assert!(a.as_str().bytes().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(SetupToken::generate().unwrap().as_str().len(), 64);
    }

    #[test]
    fn presented_tokens_are_shape_checked() {
        let token = SessionToken::generate().unwrap();
        assert_eq!(
            SessionToken::hash_of_presented(token.as_str()),
            Some(token.hash())
        );
        assert_eq!(SessionToken::hash_of_presented("nope"), None);
        assert_eq!(SetupToken::hash_of_presented(token.as_str()), None);
    }

    #[test]
    fn hash_is_sha256_hex() {
        let h = TokenHash::of("abc");
        assert_eq!(
            h.as_str(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(h.ct_eq(&TokenHash::from_stored(h.as_str().to_owned())));
        assert!(!h.ct_eq(&TokenHash::of("abd")));
    }
}
