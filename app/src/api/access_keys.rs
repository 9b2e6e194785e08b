//! Access keys on a user's Security credentials tab: list, create (the secret is shown once, on
//! the Retrieve access keys page), activate or deactivate, and delete.
//!
//! A new key's secret goes from `iam` into a one-time secret (`ssr::one_time`: sealed under the
//! master key in the shared database, bound to the session that created it); the browser is sent
//! to `/users/access-key?key=<random id>`, and that page takes it out once. The secret is never in
//! an address, a query or a log line, and the database keeps it only sealed until that page, and
//! its SHA-256 for signing requests.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::api::users::details::user_url;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::AuthorizeHere as _;

/// A row of the Access keys table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessKeyRow {
    pub access_key_id: String,
    pub active: bool,
    /// Seconds since the Unix epoch.
    pub created_at: i64,
    /// `None`: never used.
    pub last_used_at: Option<i64>,
}

/// A key just created, as its one-time page shows it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedAccessKey {
    pub user_name: String,
    pub access_key_id: String,
    pub secret: String,
}

impl std::fmt::Debug for CreatedAccessKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreatedAccessKey")
            .field("user_name", &self.user_name)
            .field("access_key_id", &self.access_key_id)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// The address of the one-time page of a new key.
pub fn created_url(handle: &str) -> String {
    format!(
        "/users/access-key?key={}",
        crate::api::groups::url_encode(handle)
    )
}

/// The CSV AWS gives for a new access key.
pub fn access_key_csv(key: &CreatedAccessKey) -> String {
    format!(
        "Access key ID,Secret access key\n{},{}\n",
        key.access_key_id, key.secret
    )
}

/// The user's access keys, oldest first.
///
/// **Permissions**: `iam:ListAccessKeys` on the user.
#[server(prefix = "/api", endpoint = "list_access_keys", input = leptos::server_fn::codec::GetUrl)]
pub async fn list_access_keys(name: String) -> Result<Vec<AccessKeyRow>, AppError> {
    use crate::ssr;
    let session = ssr::session()?;
    let iam = ssr::state()?.iam;
    let arn = iam.user_arn(name.trim()).await?;
    let auth = iam
        .authorize_here(&session.principal, iam::Action::ListAccessKeys, &arn)
        .await?;
    Ok(iam
        .list_access_keys(&auth)
        .await?
        .into_iter()
        .map(|k| AccessKeyRow {
            active: k.status == iam::AccessKeyStatus::Active,
            access_key_id: k.access_key_id,
            created_at: k.created_at.as_secs(),
            last_used_at: k.last_used_at.map(|t| t.as_secs()),
        })
        .collect())
}

/// Creates an access key for the user and sends the browser to its one-time page.
///
/// **Permissions**: `iam:CreateAccessKey` on the user.
#[server(prefix = "/api", endpoint = "create_access_key")]
pub async fn create_access_key(name: String) -> Result<(), AppError> {
    use crate::ssr;
    let result = async {
        let session = ssr::session()?;
        let iam = ssr::state()?.iam;
        let arn = iam.user_arn(name.trim()).await?;
        let auth = iam
            .authorize_here(&session.principal, iam::Action::CreateAccessKey, &arn)
            .await?;
        let key = iam
            .create_access_key(&auth, &ssr::request_meta(), iam::UnixTime::now())
            .await?;
        let handle = ssr::one_time::keep_access_key(&iam, &session, &key).await?;
        Ok(created_url(&handle))
    }
    .await;
    finish(result, &name)
}

/// Takes the key created by this session under `key`: its secret can be read once, within 10
/// minutes. `Ok(None)`: gone (already shown, expired, or another session's).
///
/// **Permissions**: the session that created the key.
#[server(prefix = "/api", endpoint = "take_access_key")]
pub async fn take_access_key(key: String) -> Result<Option<CreatedAccessKey>, AppError> {
    use crate::ssr;
    let session = ssr::session()?;
    ssr::one_time::no_store();
    let iam = ssr::state()?.iam;
    Ok(ssr::one_time::take_access_key(&iam, &session, &key)
        .await?
        .map(|k| CreatedAccessKey {
            secret: k.secret,
            user_name: k.user_name,
            access_key_id: k.access_key_id,
        }))
}

/// Activates (`status` = `Active`) or deactivates (`Inactive`) one of the user's keys.
///
/// **Permissions**: `iam:UpdateAccessKey` on the user.
#[server(prefix = "/api", endpoint = "update_access_key")]
pub async fn update_access_key(
    name: String,
    access_key_id: String,
    status: String,
) -> Result<(), AppError> {
    use crate::ssr;
    let result = async {
        let status = match status.as_str() {
            "Active" => iam::AccessKeyStatus::Active,
            "Inactive" => iam::AccessKeyStatus::Inactive,
            other => {
                return Err(AppError::invalid(
                    "status",
                    format!("`{other}` is not a status; choose `Active` or `Inactive`"),
                ));
            }
        };
        let session = ssr::session()?;
        let iam = ssr::state()?.iam;
        let arn = iam.user_arn(name.trim()).await?;
        let auth = iam
            .authorize_here(&session.principal, iam::Action::UpdateAccessKey, &arn)
            .await?;
        let (meta, now) = (ssr::request_meta(), iam::UnixTime::now());
        iam.update_access_key(&auth, access_key_id.trim(), status, &meta, now)
            .await?;
        Ok(user_url(&name, Some("security")))
    }
    .await;
    finish(result, &name)
}

/// Deletes one of the user's keys once `confirmation` repeats its id.
///
/// **Permissions**: `iam:DeleteAccessKey` on the user.
#[server(prefix = "/api", endpoint = "delete_access_key")]
pub async fn delete_access_key(
    name: String,
    access_key_id: String,
    #[server(default)] confirmation: String,
) -> Result<(), AppError> {
    use crate::ssr;
    let result = async {
        let id = access_key_id.trim();
        if confirmation.trim() != id {
            return Err(AppError::invalid(
                "confirmation",
                format!("enter the access key id `{id}` to confirm the deletion"),
            ));
        }
        let session = ssr::session()?;
        let iam = ssr::state()?.iam;
        let arn = iam.user_arn(name.trim()).await?;
        let auth = iam
            .authorize_here(&session.principal, iam::Action::DeleteAccessKey, &arn)
            .await?;
        iam.delete_access_key(&auth, id, &ssr::request_meta(), iam::UnixTime::now())
            .await?;
        Ok(user_url(&name, Some("security")))
    }
    .await;
    finish(result, &name)
}

/// Sends the browser on; a refused plain form goes back to the Security credentials tab with the
/// error in `key_error` and `key_error_field` (apart from the console password's `error`).
#[cfg(feature = "ssr")]
fn finish(result: Result<String, AppError>, name: &str) -> Result<(), AppError> {
    use crate::api::users::draft::error_parts;
    match result {
        Ok(target) => {
            crate::ssr::redirect(&target);
            Ok(())
        }
        Err(err) => {
            if crate::ssr::is_plain_form() {
                let (field, message) = error_parts(&err);
                let query = crate::api::groups::query_string(&[
                    ("key_error_field", &field),
                    ("key_error", &message),
                ]);
                crate::ssr::redirect(&format!("{}&{query}", user_url(name, Some("security"))));
            } else if let Some(response) = use_context::<leptos_axum::ResponseOptions>()
                && let Ok(status) = http::StatusCode::from_u16(err.status())
            {
                response.set_status(status);
            }
            Err(err)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_csv_has_aws_columns() {
        let key = CreatedAccessKey {
            user_name: "mary".into(),
            access_key_id: "AKIAABCDEFGHIJKLMNOP".into(),
            secret: "0123456789abcdef0123456789abcdef01234567".into(),
        };
        assert_eq!(
            access_key_csv(&key),
            "Access key ID,Secret access key\nAKIAABCDEFGHIJKLMNOP,0123456789abcdef0123456789abcdef01234567\n"
        );
        assert!(!format!("{key:?}").contains("0123456789"));
    }
}
