//! `portcullis create-access-key`: the first access key, made on the server itself, so that the
//! AWS CLI, the SDKs and Terraform can be set up without a browser.

use std::path::Path;

use serde_json::json;

#[derive(Debug, thiserror::Error)]
pub enum AccessKeyCliError {
    #[error("{0}")]
    Iam(#[from] iam::IamError),
    #[error("{0}")]
    MasterKeyFile(#[from] crate::master_key_file::MasterKeyFileError),
    #[error(
        "the master key in `{path}` cannot open the secrets in this database; pass the key file the server uses with --master-key-file"
    )]
    WrongMasterKey { path: String },
}

/// Creates the key and returns what `aws iam create-access-key` prints: `{"AccessKey": {...}}`.
/// The secret is in the answer once and nowhere else.
pub async fn create_access_key(
    user_name: Option<&str>,
    database_url: &str,
    master_key_file: Option<&Path>,
    account_id: Option<&iam::AccountId>,
) -> Result<String, AccessKeyCliError> {
    let (key_path, may_create) = crate::master_key_file::key_path(master_key_file, database_url)?;
    let master_key = crate::master_key_file::load(&key_path, may_create)?;
    let store = iam::Store::connect(database_url).await?;
    let now = iam::UnixTime::now();
    store.ensure_account_with_id(now, account_id).await?;
    let iam = iam::Iam::new(store).with_master_key(master_key);
    if iam.check_master_key(now).await? == iam::MasterKeyCheck::Mismatch {
        return Err(AccessKeyCliError::WrongMasterKey {
            path: key_path.display().to_string(),
        });
    }
    let key = iam.create_bootstrap_access_key(user_name, now).await?;
    let mut access_key = json!({
        "AccessKeyId": key.access_key_id,
        "Status": "Active",
        "SecretAccessKey": key.secret.expose(),
        "CreateDate": iso8601(key.created_at),
    });
    if user_name.is_some() {
        access_key["UserName"] = json!(key.user_name);
    }
    eprintln!(
        "created access key {} for {}; the secret is shown only this once",
        key.access_key_id,
        user_name.map_or_else(|| "the root user".to_owned(), |n| format!("user `{n}`"))
    );
    Ok(serde_json::to_string_pretty(&json!({ "AccessKey": access_key })).unwrap_or_default())
}

/// `2026-12-08T10:00:00+00:00`, as the AWS CLI prints timestamps.
fn iso8601(at: iam::UnixTime) -> String {
    time::OffsetDateTime::from_unix_timestamp(at.as_secs())
        .ok()
        .and_then(|t| {
            t.format(time::macros::format_description!(
                "[year]-[month]-[day]T[hour]:[minute]:[second]+00:00"
            ))
            .ok()
        })
        .unwrap_or_default()
}
