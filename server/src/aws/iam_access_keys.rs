//! IAM's access key operations over the Query API, on the `iam` service the console's Security
//! credentials tab uses. `UserName` omitted means the caller, as in IAM.

use iam::{AccessKeyStatus, Action, Principal};
use serde_json::{Value, json};

use super::call::{Call, required, text};
use super::errors::AwsError;

/// `CreateAccessKey`: a key for the user, whose secret is in this answer and nowhere else.
pub(crate) async fn create_access_key(call: &Call<'_>, input: &Value) -> Result<Value, AwsError> {
    let name = user_name(call, input)?;
    let arn = call.iam.user_arn(&name).await.map_err(|e| call.fail(e))?;
    let auth = call.authorize(Action::CreateAccessKey, &arn).await?;
    let key = call
        .iam
        .create_access_key(&auth, &call.meta, call.now)
        .await
        .map_err(|e| call.fail(e))?;
    Ok(json!({ "AccessKey": {
        "UserName": key.user_name,
        "AccessKeyId": key.access_key_id,
        "Status": "Active",
        "SecretAccessKey": key.secret.expose(),
        "CreateDate": key.created_at.as_secs(),
    }}))
}

/// `ListAccessKeys`: the user's keys (at most two, so one page).
pub(crate) async fn list_access_keys(call: &Call<'_>, input: &Value) -> Result<Value, AwsError> {
    let name = user_name(call, input)?;
    let arn = call.iam.user_arn(&name).await.map_err(|e| call.fail(e))?;
    let auth = call.authorize(Action::ListAccessKeys, &arn).await?;
    let keys = call
        .iam
        .list_access_keys(&auth)
        .await
        .map_err(|e| call.fail(e))?;
    let metadata: Vec<Value> = keys
        .into_iter()
        .map(|k| {
            json!({
                "UserName": name,
                "AccessKeyId": k.access_key_id,
                "Status": k.status.as_str(),
                "CreateDate": k.created_at.as_secs(),
            })
        })
        .collect();
    Ok(json!({ "AccessKeyMetadata": metadata, "IsTruncated": false }))
}

/// `UpdateAccessKey`: makes the key `Active` or `Inactive`; it takes effect at the next request.
pub(crate) async fn update_access_key(call: &Call<'_>, input: &Value) -> Result<Value, AwsError> {
    let name = user_name(call, input)?;
    let key_id = required(input, "AccessKeyId")?;
    // The model's enum has already refused anything else.
    let status = match required(input, "Status")? {
        "Active" => AccessKeyStatus::Active,
        _ => AccessKeyStatus::Inactive,
    };
    let arn = call.iam.user_arn(&name).await.map_err(|e| call.fail(e))?;
    let auth = call.authorize(Action::UpdateAccessKey, &arn).await?;
    call.iam
        .update_access_key(&auth, key_id, status, &call.meta, call.now)
        .await
        .map_err(|e| call.fail(e))?;
    Ok(Value::Null)
}

/// `DeleteAccessKey`: the key stops working at once.
pub(crate) async fn delete_access_key(call: &Call<'_>, input: &Value) -> Result<Value, AwsError> {
    let name = user_name(call, input)?;
    let key_id = required(input, "AccessKeyId")?;
    let arn = call.iam.user_arn(&name).await.map_err(|e| call.fail(e))?;
    let auth = call.authorize(Action::DeleteAccessKey, &arn).await?;
    call.iam
        .delete_access_key(&auth, key_id, &call.meta, call.now)
        .await
        .map_err(|e| call.fail(e))?;
    Ok(Value::Null)
}

/// The `UserName` input, or the calling user's own name. The root user's keys are made with
/// `portcullis create-access-key` for now, so root must name a user.
fn user_name(call: &Call<'_>, input: &Value) -> Result<String, AwsError> {
    if let Some(name) = text(input, "UserName") {
        return Ok(name.to_owned());
    }
    match &call.caller.principal {
        Principal::User { name, .. } => Ok(name.clone()),
        Principal::Root { .. } => Err(AwsError::new(
            "InvalidInput",
            "the root user's access keys are managed with `portcullis create-access-key` on the server; pass UserName to manage an IAM user's keys",
        )),
    }
}
