//! STS over the Query protocol: `GetCallerIdentity`, which needs no permission (as in AWS).

use iam::Principal;
use serde_json::{Value, json};

use super::call::Call;
use super::errors::AwsError;

pub(crate) fn get_caller_identity(call: &Call<'_>) -> Result<Value, AwsError> {
    let principal = &call.caller.principal;
    let user_id = match principal {
        Principal::User { user_id, .. } => user_id.clone(),
        // AWS answers the root user's calls with the account id as UserId.
        Principal::Root { account_id, .. } => account_id.as_str().to_owned(),
    };
    Ok(json!({
        "UserId": user_id,
        "Account": principal.account_id().as_str(),
        "Arn": principal.arn(),
    }))
}
