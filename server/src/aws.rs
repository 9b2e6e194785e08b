//! The AWS wire protocols Portcullis speaks so that the AWS CLI, SDKs and Terraform work
//! unchanged: IAM and STS over the Query protocol (form-encoded requests, XML responses) and
//! CloudTrail's LookupEvents over JSON 1.1. Every shape, constraint and error status comes from
//! botocore's service models, trimmed by scripts/aws-models/generate.py into aws/models/.

mod call;
mod cloudtrail;
mod common_errors;
pub(crate) mod endpoint;
mod error_info;
mod errors;
mod iam_access_keys;
mod iam_users;
pub(crate) mod json_protocol;
pub(crate) mod model;
mod operations;
mod pattern;
pub(crate) mod query;
mod sts;
mod timestamp;
mod validate;
pub(crate) mod xml;
