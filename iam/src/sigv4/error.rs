//! Why a request's SigV4 authentication failed, as AWS says it.
//!
//! Sources for codes, statuses and messages (each checked on 2026-12-08):
//! - Statuses: the IAM API Reference "Common Error Types" page: `IncompleteSignature` 400,
//!   `InvalidClientTokenId` 403, `MissingAuthenticationToken` 403. `SignatureDoesNotMatch` is not
//!   on that page; AWS's "Troubleshoot signed requests for AWS APIs" (IAM User Guide) calls it an
//!   "HTTP 403 SignatureDoesNotMatch" error.
//! - Scope-date and expiry messages: the same troubleshooting page ("Date in Credential scope does
//!   not match YYYYMMDD from ISO-8601 version of date from HTTP", "Signature expired: date is now
//!   earlier than date", "Signature not yet current: date is still later than date", the
//!   region, service and terminator messages). The exact expiry layout
//!   (`... (20150830T130100Z - 15 min.)`) is from real STS/IAM answers quoted in bug reports and
//!   in the `dacut/scratchstack-aws-signature` crate, which reproduces AWS's responses and files
//!   them under `SignatureDoesNotMatch`.
//! - `Request is missing Authentication Token`, `The security token included in the request is
//!   invalid.`, `The request signature we calculated does not match ...`, the
//!   `Authorization header requires '...' parameter.` family joined by spaces and followed by
//!   ` Authorization=<algorithm>`, `Unsupported AWS 'algorithm': '...'.`, the five-part
//!   credential message, `'Host' or ':authority' must be a 'SignedHeader' in the AWS
//!   Authorization.` and `Date must be in ISO-8601 'basic format'. ...`: scratchstack's
//!   constants; the first three also appear verbatim in many client-side bug reports. The
//!   API Gateway front end answers the same `requires '...' parameter` family.
//!
//! Not confirmed against AWS (our own wording, flagged in [`SigV4Error::message`]): the text for
//! an unsigned `x-amz-date` and for an `x-amz-content-sha256` that disagrees with the body (for
//! the latter we answer AWS's generic `SignatureDoesNotMatch` text).

use std::fmt;

/// Minutes a request's time may differ from the server's clock, either way.
pub const MAX_SKEW_MINUTES: i64 = 15;

/// AWS's text for a signature that does not match.
pub const SIGNATURE_DOES_NOT_MATCH_MESSAGE: &str = "The request signature we calculated does not \
match the signature you provided. Check your AWS Secret Access Key and signing method. Consult \
the service documentation for details.";

/// AWS's text for an unknown access key id.
pub const INVALID_CLIENT_TOKEN_ID_MESSAGE: &str =
    "The security token included in the request is invalid.";

/// AWS's text for a request without an `Authorization` header.
pub const MISSING_AUTHENTICATION_TOKEN_MESSAGE: &str = "Request is missing Authentication Token";

/// A failed SigV4 check. [`code`](Self::code), [`status`](Self::status) and
/// [`message`](Self::message) are what the Query API answers; `Display` is the message
/// ([`MISSING_AUTHENTICATION_TOKEN_MESSAGE`] and [`INVALID_CLIENT_TOKEN_ID_MESSAGE`] for the
/// first two).
/// No variant holds a secret or a signing key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SigV4Error {
    /// No `Authorization` header (the caller decides this; `parse` never returns it).
    #[error("Request is missing Authentication Token")]
    MissingAuthenticationToken,
    /// The access key id is unknown (the caller decides this after its key lookup).
    #[error("The security token included in the request is invalid.")]
    InvalidClientTokenId,
    /// The header or the request's date is malformed; the message says how.
    #[error("{0}")]
    IncompleteSignature(String),
    /// The signature, or a scope rule checked alongside it, does not hold.
    #[error("{0}")]
    SignatureDoesNotMatch(Mismatch),
}

/// Why a request got `SignatureDoesNotMatch`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mismatch {
    /// The HMAC differs (or the body hash header lies about the body).
    Signature,
    /// The request time is more than 15 minutes before `now`. Times are `YYYYMMDDTHHMMSSZ`.
    Expired {
        request: String,
        earliest: String,
        now: String,
    },
    /// The request time is more than 15 minutes after `now`.
    NotYetCurrent {
        request: String,
        latest: String,
        now: String,
    },
    /// The credential scope's date is not the date of `X-Amz-Date`.
    ScopeDate,
    /// The credential scope names another region.
    ScopeRegion { found: String },
    /// The credential scope names another service.
    ScopeService { expected: String },
    /// The credential scope does not end in `aws4_request`.
    ScopeTerminator { found: String },
    /// `host` is not among SignedHeaders.
    HostNotSigned,
    /// `x-amz-date` is sent but not among SignedHeaders.
    DateNotSigned,
}

impl SigV4Error {
    /// The AWS error code.
    pub fn code(&self) -> &'static str {
        match self {
            SigV4Error::MissingAuthenticationToken => "MissingAuthenticationToken",
            SigV4Error::InvalidClientTokenId => "InvalidClientTokenId",
            SigV4Error::IncompleteSignature(_) => "IncompleteSignature",
            SigV4Error::SignatureDoesNotMatch(_) => "SignatureDoesNotMatch",
        }
    }

    /// The HTTP status AWS answers with.
    pub fn status(&self) -> u16 {
        match self {
            SigV4Error::IncompleteSignature(_) => 400,
            SigV4Error::MissingAuthenticationToken
            | SigV4Error::InvalidClientTokenId
            | SigV4Error::SignatureDoesNotMatch(_) => 403,
        }
    }

    /// The message, in AWS's words where AWS has them.
    pub fn message(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = MAX_SKEW_MINUTES;
        match self {
            Mismatch::Signature => f.write_str(SIGNATURE_DOES_NOT_MATCH_MESSAGE),
            Mismatch::Expired {
                request,
                earliest,
                now,
            } => write!(
                f,
                "Signature expired: {request} is now earlier than {earliest} ({now} - {m} min.)"
            ),
            Mismatch::NotYetCurrent {
                request,
                latest,
                now,
            } => write!(
                f,
                "Signature not yet current: {request} is still later than {latest} ({now} + {m} min.)"
            ),
            Mismatch::ScopeDate => f.write_str(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date \
                 from HTTP.",
            ),
            Mismatch::ScopeRegion { found } => {
                write!(
                    f,
                    "Credential should be scoped to a valid region, not '{found}'."
                )
            }
            Mismatch::ScopeService { expected } => {
                write!(
                    f,
                    "Credential should be scoped to correct service: '{expected}'."
                )
            }
            Mismatch::ScopeTerminator { found } => write!(
                f,
                "Credential should be scoped with a valid terminator: 'aws4_request', not '{found}'."
            ),
            Mismatch::HostNotSigned => f.write_str(
                "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
            ),
            // Our wording: no AWS text found for this case.
            Mismatch::DateNotSigned => {
                f.write_str("'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.")
            }
        }
    }
}
