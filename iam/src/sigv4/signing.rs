//! The signing key, the string to sign and the signature.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use zeroize::Zeroize;

type HmacSha256 = Hmac<Sha256>;

/// The key derived from a secret access key for one (date, region, service). Cache it per
/// (access key id, date, region, service); it is valid for signatures of that day only.
/// Prints as `SigningKey(<redacted>)` and is wiped on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningKey([u8; 32]);

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKey(<redacted>)")
    }
}

impl Drop for SigningKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// `HMAC("AWS4" + secret, date)`, then `region`, `service` and `"aws4_request"` in turn.
pub fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> SigningKey {
    let mut k_secret = format!("AWS4{secret}").into_bytes();
    let mut key = hmac(&k_secret, date.as_bytes());
    k_secret.zeroize();
    for part in [region, service, "aws4_request"] {
        let next = hmac(&key, part.as_bytes());
        key.zeroize();
        key = next;
    }
    SigningKey(key)
}

impl SigningKey {
    /// The signature of `string_to_sign`.
    pub(crate) fn sign(&self, string_to_sign: &str) -> [u8; 32] {
        hmac(&self.0, string_to_sign.as_bytes())
    }

    /// The raw key, for the published test vectors only.
    #[cfg(test)]
    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

/// `AWS4-HMAC-SHA256\n<amz-date>\n<scope>\n<hex sha256 of the canonical request>`.
pub(crate) fn string_to_sign(amz_date: &str, scope: &str, canonical_request: &str) -> String {
    format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    )
}

/// Lower-case hex SHA-256, as SigV4 writes payload and request hashes.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC takes keys of any length, so `new_from_slice` cannot fail; an empty key is the
    // fallback that keeps this total without a panic path.
    let mut mac = HmacSha256::new_from_slice(key)
        .unwrap_or_else(|_| <HmacSha256 as Mac>::new(&Default::default()));
    mac.update(data);
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The signing key of AWS's "Create a signed AWS API request" IAM example.
    #[test]
    fn derives_the_documented_key() {
        let key = signing_key(
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "20150830",
            "us-east-1",
            "iam",
        );
        assert_eq!(
            hex::encode(key.bytes()),
            "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"
        );
        assert_eq!(format!("{key:?}"), "SigningKey(<redacted>)");
    }
}
