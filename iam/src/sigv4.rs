//! AWS Signature Version 4 verification for the IAM Query API (`POST /` from the AWS CLI,
//! boto3, Terraform), pure: no I/O and no clock; the caller passes `now`.
//!
//! The HTTP layer:
//! 1. no `Authorization` header: answer [`SigV4Error::MissingAuthenticationToken`];
//! 2. [`Authorization::parse`] the header;
//! 3. look up `auth.credential.access_key_id`; unknown or inactive:
//!    [`SigV4Error::InvalidClientTokenId`]; optionally [`Credential::check_scope`];
//! 4. [`signing_key`] from the secret and the credential's date, region and service (cacheable);
//! 5. [`verify`] with the request exactly as received.
//!
//! Each error carries AWS's code, HTTP status and message (sources in `sigv4/error.rs`).

mod amz_date;
mod authorization;
mod canonical;
mod error;
mod signing;

#[cfg(test)]
mod error_tests;
#[cfg(test)]
mod tests;

pub use authorization::{ALGORITHM, Authorization, Credential, TERMINATOR};
pub use canonical::SignedRequest;
pub use error::{
    INVALID_CLIENT_TOKEN_ID_MESSAGE, MAX_SKEW_MINUTES, MISSING_AUTHENTICATION_TOKEN_MESSAGE,
    Mismatch, SIGNATURE_DOES_NOT_MATCH_MESSAGE, SigV4Error,
};
pub use signing::{SigningKey, signing_key};

use subtle::ConstantTimeEq;

/// Checks `request` against `auth` with the key derived for its credential, in this order:
/// the date header (`X-Amz-Date`, else `Date`) is there and `YYYYMMDDTHHMMSSZ`; the scope date
/// is its date; it is within 15 minutes of `now_unix_secs`; `host` (always) and `x-amz-date`
/// (when sent) are signed; a signed `x-amz-content-sha256` matches the body; the signature.
pub fn verify(
    request: &SignedRequest,
    auth: &Authorization,
    key: &SigningKey,
    now_unix_secs: i64,
) -> Result<(), SigV4Error> {
    let amz_date = request_time(request)?;
    let Some(request_secs) = amz_date::parse(amz_date) else {
        return Err(SigV4Error::IncompleteSignature(format!(
            "Date must be in ISO-8601 'basic format'. Got '{amz_date}'. See \
             http://en.wikipedia.org/wiki/ISO_8601"
        )));
    };
    if amz_date.get(..8) != Some(auth.credential.date.as_str()) {
        return Err(mismatch(Mismatch::ScopeDate));
    }
    check_skew(request_secs, now_unix_secs)?;
    let signed = |name: &str| auth.signed_headers.iter().any(|h| h == name);
    if !signed("host") {
        return Err(mismatch(Mismatch::HostNotSigned));
    }
    if request.header("x-amz-date").is_some() && !signed("x-amz-date") {
        return Err(mismatch(Mismatch::DateNotSigned));
    }
    let payload_hash = signing::sha256_hex(request.body);
    if signed("x-amz-content-sha256")
        && request
            .header("x-amz-content-sha256")
            .is_some_and(|claimed| claimed.trim() != payload_hash)
    {
        return Err(mismatch(Mismatch::Signature));
    }
    let canonical = canonical::canonical_request(request, &auth.signed_headers, &payload_hash);
    let to_sign = signing::string_to_sign(amz_date, &auth.credential.scope(), &canonical);
    if bool::from(key.sign(&to_sign).ct_eq(&auth.signature)) {
        Ok(())
    } else {
        Err(mismatch(Mismatch::Signature))
    }
}

/// The `Authorization` header value that signs `request` with `key` for `credential`, over
/// `signed_headers` (lowercase names; list `host` and `x-amz-date`). For clients and tests: the
/// request must already carry its date header (`X-Amz-Date`, else `Date`), whose day must be the
/// credential's; the payload hash is the body's.
pub fn authorization_header(
    request: &SignedRequest,
    credential: &Credential,
    signed_headers: &[&str],
    key: &SigningKey,
) -> Result<String, SigV4Error> {
    let amz_date = request_time(request)?;
    let mut names: Vec<String> = signed_headers
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    names.sort_unstable();
    names.dedup();
    let payload_hash = signing::sha256_hex(request.body);
    let canonical = canonical::canonical_request(request, &names, &payload_hash);
    let to_sign = signing::string_to_sign(amz_date, &credential.scope(), &canonical);
    Ok(format!(
        "{ALGORITHM} Credential={}/{}, SignedHeaders={}, Signature={}",
        credential.access_key_id,
        credential.scope(),
        names.join(";"),
        hex::encode(key.sign(&to_sign))
    ))
}

/// `X-Amz-Date` if sent, else `Date`.
fn request_time<'a>(request: &SignedRequest<'a>) -> Result<&'a str, SigV4Error> {
    request
        .header("x-amz-date")
        .or_else(|| request.header("date"))
        .map(str::trim)
        .ok_or_else(|| {
            SigV4Error::IncompleteSignature(format!(
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' \
                 header. Authorization={ALGORITHM}"
            ))
        })
}

/// A request more than 15 minutes older or newer than `now` is refused; exactly 15 passes.
fn check_skew(request_secs: i64, now: i64) -> Result<(), SigV4Error> {
    let skew = MAX_SKEW_MINUTES * 60;
    let earliest = now.saturating_sub(skew);
    let latest = now.saturating_add(skew);
    if request_secs < earliest {
        return Err(mismatch(Mismatch::Expired {
            request: amz_date::format(request_secs),
            earliest: amz_date::format(earliest),
            now: amz_date::format(now),
        }));
    }
    if request_secs > latest {
        return Err(mismatch(Mismatch::NotYetCurrent {
            request: amz_date::format(request_secs),
            latest: amz_date::format(latest),
            now: amz_date::format(now),
        }));
    }
    Ok(())
}

fn mismatch(why: Mismatch) -> SigV4Error {
    SigV4Error::SignatureDoesNotMatch(why)
}
