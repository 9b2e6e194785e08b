//! The authorization API for other services (`/api/v1/...`), in the shape of Amazon Verified
//! Permissions' `IsAuthorized` and `BatchIsAuthorized`. Callers authenticate with an IAM user's
//! access key (`Authorization: Bearer <access key id>:<secret>`), not a console session, so these
//! routes sit outside the session and cross-site checks: a bearer key is not an ambient browser
//! credential.

mod authorize;
mod error;

use app::ssr::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

/// The largest request body: a full batch of 100 requests with generous contexts.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The OpenAPI document of these routes.
const OPENAPI: &str = include_str!("api/openapi.json");

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/api/v1/authorize", post(authorize::single))
        .route("/api/v1/authorize/batch", post(authorize::batch))
        .route("/api/v1/openapi.json", get(openapi))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

async fn openapi() -> impl axum::response::IntoResponse {
    ([(http::header::CONTENT_TYPE, "application/json")], OPENAPI)
}

#[cfg(test)]
mod tests;
