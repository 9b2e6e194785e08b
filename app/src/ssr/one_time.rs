//! The secrets the one-time pages show: the passwords of a batch of new users (or of a reset) on
//! the Retrieve password page, and a new access key's secret.
//!
//! Only argon2id hashes of passwords, and only hashes of access-key secrets, are kept for
//! signing in, so the plaintext exists only between the request that makes it and its page. It
//! waits in the shared database, sealed under the server's master key and bound to the session
//! that made it, for at most [`iam::Iam::ONE_TIME_SECRET_TTL_SECS`], and the first display
//! deletes it ([`iam::Iam::take_one_time_secret`]). So the page works on whichever instance the
//! next request reaches, and a reload (or anyone else) finds nothing.
//!
//! The JSON is built in a `Zeroizing` buffer, and the structs do not derive `Debug`.

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::AppError;

/// One created user as the Retrieve password page shows it.
#[derive(Clone, Serialize, Deserialize)]
pub struct CreatedCredential {
    pub user_name: String,
    /// `None` for a user without console access or with a custom password (the admin typed it).
    pub password: Option<String>,
    pub console_access: bool,
}

/// A new access key as its one-time page shows it.
#[derive(Serialize, Deserialize)]
pub struct CreatedKey {
    pub user_name: String,
    pub access_key_id: String,
    pub secret: String,
}

/// Keeps a batch's credentials for this session; returns the id for the page's URL.
pub async fn keep_passwords(
    iam: &iam::Iam,
    session: &iam::Session,
    users: &[CreatedCredential],
) -> Result<String, AppError> {
    keep(iam, session, iam::OneTimeKind::Passwords, &users).await
}

/// Takes this session's batch `id`, once; `None` when already shown, expired or another's.
pub async fn take_passwords(
    iam: &iam::Iam,
    session: &iam::Session,
    id: &str,
) -> Result<Option<Vec<CreatedCredential>>, AppError> {
    take(iam, session, iam::OneTimeKind::Passwords, id).await
}

/// Keeps a new access key for this session; returns the id for the page's URL.
pub async fn keep_access_key(
    iam: &iam::Iam,
    session: &iam::Session,
    key: &iam::NewAccessKey,
) -> Result<String, AppError> {
    let created = CreatedKey {
        user_name: key.user_name.clone(),
        access_key_id: key.access_key_id.clone(),
        secret: key.secret.expose().to_owned(),
    };
    keep(iam, session, iam::OneTimeKind::AccessKey, &created).await
}

/// Takes this session's new key `id`, once.
pub async fn take_access_key(
    iam: &iam::Iam,
    session: &iam::Session,
    id: &str,
) -> Result<Option<CreatedKey>, AppError> {
    take(iam, session, iam::OneTimeKind::AccessKey, id).await
}

async fn keep<T: Serialize + ?Sized>(
    iam: &iam::Iam,
    session: &iam::Session,
    kind: iam::OneTimeKind,
    value: &T,
) -> Result<String, AppError> {
    let json = Zeroizing::new(serde_json::to_vec(value).map_err(|e| {
        tracing::error!(error = %e, "a one-time secret could not be serialized");
        AppError::Internal
    })?);
    Ok(iam
        .keep_one_time_secret(session, kind, &json, iam::UnixTime::now())
        .await?)
}

async fn take<T: for<'de> Deserialize<'de>>(
    iam: &iam::Iam,
    session: &iam::Session,
    kind: iam::OneTimeKind,
    id: &str,
) -> Result<Option<T>, AppError> {
    let Some(json) = iam
        .take_one_time_secret(session, kind, id, iam::UnixTime::now())
        .await?
    else {
        return Ok(None);
    };
    serde_json::from_slice(&json).map(Some).map_err(|e| {
        tracing::error!(error = %e, "a one-time secret could not be read back");
        AppError::Internal
    })
}

/// Marks this response `Cache-Control: no-store`: it shows passwords.
pub fn no_store() {
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(
            http::header::CACHE_CONTROL,
            http::HeaderValue::from_static("no-store"),
        );
    }
}
