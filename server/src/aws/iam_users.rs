//! IAM's user operations over the Query API, each a thin door onto the `iam` service the
//! console's Users pages use.

use iam::{Action, NewUser, Tag, UnixTime, UserFilter};
use serde_json::{Value, json};

use super::call::{Call, required, text};
use super::errors::AwsError;

/// ListUsers' page size when `MaxItems` is absent, as in IAM.
const DEFAULT_MAX_ITEMS: u32 = 100;

/// `GetUser`: the named user, or without a name the caller (the root user included).
pub(crate) async fn get_user(call: &Call<'_>, input: &Value) -> Result<Value, AwsError> {
    let name = match text(input, "UserName") {
        Some(name) => name.to_owned(),
        None => match &call.caller.principal {
            iam::Principal::User { name, .. } => name.clone(),
            iam::Principal::Root { account_id, .. } => {
                // IAM describes the root user by its account: the account id as UserId, the
                // root ARN, and no name or path.
                let account = call.iam.account().await.map_err(|e| call.fail(e))?;
                return Ok(json!({ "User": {
                    "UserId": account_id.as_str(),
                    "Arn": call.caller.principal.arn(),
                    "CreateDate": account.created_at.as_secs(),
                }}));
            }
        },
    };
    let arn = call.iam.user_arn(&name).await.map_err(|e| call.fail(e))?;
    let auth = call.authorize(Action::GetUser, &arn).await?;
    let user = call.iam.get_user(&auth).await.map_err(|e| call.fail(e))?;
    let mut out = user_out(UserOut {
        path: &user.path,
        name: &user.name,
        user_id: &user.user_id,
        arn: &user.arn,
        created_at: user.created_at,
        password_last_used_at: user.password_last_used_at,
    });
    if !user.tags.is_empty() {
        out["Tags"] = tags_out(&user.tags);
    }
    Ok(json!({ "User": out }))
}

/// `ListUsers`: a page of users sorted by name. `Marker` is the offset of the next page.
pub(crate) async fn list_users(call: &Call<'_>, input: &Value) -> Result<Value, AwsError> {
    let auth = call.authorize(Action::ListUsers, "*").await?;
    let max_items = input
        .get("MaxItems")
        .and_then(Value::as_u64)
        .map_or(DEFAULT_MAX_ITEMS, |n| u32::try_from(n).unwrap_or(u32::MAX));
    let offset = match text(input, "Marker") {
        None => 0,
        Some(marker) => marker.parse::<u32>().map_err(|_| {
            AwsError::new(
                "InvalidInput",
                format!("Invalid Marker: {marker}; pass the Marker of the previous response"),
            )
        })?,
    };
    let filter = UserFilter {
        query: String::new(),
        path_prefix: text(input, "PathPrefix").map(str::to_owned),
        offset,
        limit: max_items,
    };
    let page = call
        .iam
        .list_users(&auth, &filter)
        .await
        .map_err(|e| call.fail(e))?;
    let next = u64::from(offset) + page.items.len() as u64;
    let users: Vec<Value> = page
        .items
        .into_iter()
        .map(|u| {
            user_out(UserOut {
                path: &u.path,
                name: &u.name,
                user_id: &u.user_id,
                arn: &u.arn,
                created_at: u.created_at,
                password_last_used_at: u.password_last_used_at,
            })
        })
        .collect();
    let mut out = json!({ "Users": users, "IsTruncated": next < page.total });
    if next < page.total {
        out["Marker"] = json!(next.to_string());
    }
    Ok(out)
}

/// `CreateUser`: a user without console access, with its tags.
pub(crate) async fn create_user(call: &Call<'_>, input: &Value) -> Result<Value, AwsError> {
    let name = required(input, "UserName")?;
    let path = text(input, "Path");
    if input.get("PermissionsBoundary").is_some() {
        return Err(AwsError::new(
            "InvalidInput",
            "permissions boundaries are not supported by Portcullis yet; create the user without PermissionsBoundary",
        ));
    }
    let tags = tags_in(input);
    let arn = call
        .iam
        .user_arn_for(path, name)
        .await
        .map_err(|e| call.fail(e))?;
    let auth = call.authorize(Action::CreateUser, &arn).await?;
    let new = NewUser {
        name: name.to_owned(),
        path: path.map(str::to_owned),
        tags: tags.clone(),
    };
    let user = call
        .iam
        .create_user(&auth, new, &call.meta, call.now)
        .await
        .map_err(|e| call.fail(e))?;
    let mut out = user_out(UserOut {
        path: &user.path,
        name: &user.name,
        user_id: &user.user_id,
        arn: &user.arn,
        created_at: user.created_at,
        password_last_used_at: None,
    });
    if !tags.is_empty() {
        out["Tags"] = tags_out(&tags);
    }
    Ok(json!({ "User": out }))
}

/// `DeleteUser`: refused with DeleteConflict while the user has a login profile, access keys,
/// groups or attached policies, as in IAM (the console's Delete removes them all).
pub(crate) async fn delete_user(call: &Call<'_>, input: &Value) -> Result<Value, AwsError> {
    let name = required(input, "UserName")?;
    let arn = call.iam.user_arn(name).await.map_err(|e| call.fail(e))?;
    let auth = call.authorize(Action::DeleteUser, &arn).await?;
    call.iam
        .delete_user_unless_in_use(&auth, &call.meta, call.now)
        .await
        .map_err(|e| call.fail(e))?;
    Ok(Value::Null)
}

/// What IAM's `User` shape says of a user, whichever call found it.
struct UserOut<'a> {
    path: &'a str,
    name: &'a str,
    user_id: &'a str,
    arn: &'a str,
    created_at: UnixTime,
    password_last_used_at: Option<UnixTime>,
}

fn user_out(user: UserOut<'_>) -> Value {
    let mut out = json!({
        "Path": user.path,
        "UserName": user.name,
        "UserId": user.user_id,
        "Arn": user.arn,
        "CreateDate": user.created_at.as_secs(),
    });
    if let Some(used) = user.password_last_used_at {
        out["PasswordLastUsed"] = json!(used.as_secs());
    }
    out
}

fn tags_in(input: &Value) -> Vec<Tag> {
    input
        .get("Tags")
        .and_then(Value::as_array)
        .map(|tags| {
            tags.iter()
                .map(|t| Tag {
                    key: text(t, "Key").unwrap_or_default().to_owned(),
                    value: text(t, "Value").unwrap_or_default().to_owned(),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn tags_out(tags: &[Tag]) -> Value {
    Value::Array(
        tags.iter()
            .map(|t| json!({ "Key": t.key, "Value": t.value }))
            .collect(),
    )
}
