//! Which function answers which operation. An operation of the model that has no function yet
//! is refused as IAM refuses an unknown one, so a client never mistakes it for a success.

use serde_json::Value;

use super::call::Call;
use super::errors::AwsError;
use super::{cloudtrail, iam_access_keys, iam_users, sts};

pub(crate) async fn run_iam(
    call: &Call<'_>,
    action: &str,
    input: &Value,
) -> Result<Value, AwsError> {
    match action {
        "GetUser" => iam_users::get_user(call, input).await,
        "ListUsers" => iam_users::list_users(call, input).await,
        "CreateUser" => iam_users::create_user(call, input).await,
        "DeleteUser" => iam_users::delete_user(call, input).await,
        "CreateAccessKey" => iam_access_keys::create_access_key(call, input).await,
        "ListAccessKeys" => iam_access_keys::list_access_keys(call, input).await,
        "UpdateAccessKey" => iam_access_keys::update_access_key(call, input).await,
        "DeleteAccessKey" => iam_access_keys::delete_access_key(call, input).await,
        other => Err(not_yet(other, "2010-05-08")),
    }
}

pub(crate) async fn run_sts(
    call: &Call<'_>,
    action: &str,
    _input: &Value,
) -> Result<Value, AwsError> {
    match action {
        "GetCallerIdentity" => sts::get_caller_identity(call),
        other => Err(not_yet(other, "2011-06-15")),
    }
}

pub(crate) async fn run_cloudtrail(
    call: &Call<'_>,
    action: &str,
    input: &Value,
) -> Result<Value, AwsError> {
    match action {
        "LookupEvents" => cloudtrail::lookup_events(call, input).await,
        other => Err(AwsError::new(
            "UnknownOperationException",
            format!("The operation {other} is not supported."),
        )),
    }
}

fn not_yet(action: &str, version: &str) -> AwsError {
    AwsError::new(
        "InvalidAction",
        format!("Could not find operation {action} for version {version}"),
    )
}
