//! Arbitrary bytes as a Query form body and as a JSON 1.1 body: decoding and validation may
//! refuse them but must never panic, and every refusal must carry a code and a message.
#![no_main]
#![allow(dead_code, reason = "only the decoders are fuzzed")]

use libfuzzer_sys::fuzz_target;

// The same files as server/src/aws.rs declares, included by path at the crate root so that
// their `super::` paths resolve as they do inside `crate::aws` (see Cargo.toml).
#[path = "../../src/aws/common_errors.rs"]
mod common_errors;
#[path = "../../src/aws/error_info.rs"]
mod error_info;
#[path = "../../src/aws/json_protocol.rs"]
mod json_protocol;
#[path = "../../src/aws/model.rs"]
mod model;
#[path = "../../src/aws/pattern.rs"]
mod pattern;
#[path = "../../src/aws/query.rs"]
mod query;
#[path = "../../src/aws/timestamp.rs"]
mod timestamp;
#[path = "../../src/aws/validate.rs"]
mod validate;

use model::{Service, service};

// Prefixes that reach deep decoding paths instead of stopping at MissingAction.
const PREFIXES: [&str; 4] = [
    "Action=CreateUser&Version=2010-05-08&",
    "Action=SimulateCustomPolicy&Version=2010-05-08&",
    "Action=UpdateAccountPasswordPolicy&Version=2010-05-08&",
    "Action=GetCallerIdentity&Version=2011-06-15&",
];

fuzz_target!(|data: &[u8]| {
    let iam = service(Service::Iam);
    check(query::decode_request(iam, data).err());
    let selector = data.first().map_or(0, |b| usize::from(*b) % PREFIXES.len());
    let mut body = PREFIXES[selector].as_bytes().to_vec();
    body.extend_from_slice(data);
    let model = if selector == 3 {
        service(Service::Sts)
    } else {
        iam
    };
    check(query::decode_request(model, &body).err());
    let ct = service(Service::CloudTrail);
    if let Err(e) = json_protocol::decode_input(ct, "LookupEvents", data) {
        assert!(!e.code().is_empty() && !e.to_string().is_empty());
    }
});

fn check(error: Option<query::QueryError>) {
    if let Some(e) = error {
        assert!(!e.code().is_empty() && !e.to_string().is_empty());
    }
}
