//! Errors every AWS service can return that no service model declares. Codes and statuses are
//! from "Common Error Types" in the IAM API Reference
//! (https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html); `InvalidAction` and
//! `InvalidClientTokenId` are from the older "Common Errors" table that other references still
//! carry (e.g. https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/CommonErrors.html).
//! `AccessDenied` is the Query-protocol code IAM and STS send for an authorization failure; the
//! page lists it under its JSON-protocol name `AccessDeniedException`, 403.

use super::error_info::{ErrorInfo, Fault};

const TABLE: &[(&str, u16, Fault)] = &[
    ("AccessDenied", 403, Fault::Sender),
    ("AccessDeniedException", 403, Fault::Sender),
    ("ExpiredTokenException", 403, Fault::Sender),
    ("IncompleteSignature", 400, Fault::Sender),
    ("InternalFailure", 500, Fault::Receiver),
    ("InvalidAction", 400, Fault::Sender),
    ("InvalidClientTokenId", 403, Fault::Sender),
    ("InvalidParameterCombination", 400, Fault::Sender),
    ("InvalidParameterValue", 400, Fault::Sender),
    ("InvalidQueryParameter", 400, Fault::Sender),
    ("MalformedQueryString", 404, Fault::Sender),
    ("MissingAction", 400, Fault::Sender),
    ("MissingAuthenticationToken", 403, Fault::Sender),
    ("MissingParameter", 400, Fault::Sender),
    ("NotAuthorized", 400, Fault::Sender),
    ("OptInRequired", 403, Fault::Sender),
    ("RequestExpired", 400, Fault::Sender),
    ("ServiceUnavailable", 503, Fault::Receiver),
    ("ThrottlingException", 400, Fault::Sender),
    ("UnknownOperationException", 404, Fault::Sender),
    ("UnrecognizedClientException", 403, Fault::Sender),
    ("ValidationError", 400, Fault::Sender),
    // The JSON-protocol spellings, for CloudTrail.
    ("ValidationException", 400, Fault::Sender),
    ("SerializationException", 400, Fault::Sender),
];

pub(crate) fn lookup(code: &str) -> Option<ErrorInfo> {
    TABLE
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|&(_, status, fault)| ErrorInfo { status, fault })
}
