//! The API's one error type, answered as `{"error": {"code": ..., "message": ...}}` with the
//! status that says whose fault it is.

use axum::Json;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use serde_json::json;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No key, a malformed header, or a key that is wrong, inactive or deleted.
    #[error("{0}")]
    Unauthenticated(&'static str),
    /// The key's user may not call the API.
    #[error("{0}")]
    Forbidden(String),
    /// The body is not what the API takes; the message names the field and the rule.
    #[error("{0}")]
    InvalidRequest(String),
    #[error("the request body must be JSON; send `Content-Type: application/json`")]
    UnsupportedMediaType,
    #[error(
        "the request body is larger than 1 MiB; send fewer requests per `/api/v1/authorize/batch` call"
    )]
    PayloadTooLarge,
    /// The database cannot be reached; retry after `Retry-After` seconds.
    #[error("{}", iam::UNAVAILABLE_MESSAGE)]
    Unavailable,
    /// Details are logged, not sent.
    #[error("something went wrong on the server; try again, and see the server log for details")]
    Internal,
}

impl ApiError {
    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::Unauthenticated(_) => (StatusCode::UNAUTHORIZED, "UnrecognizedClient"),
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, "AccessDenied"),
            ApiError::InvalidRequest(_) => (StatusCode::BAD_REQUEST, "ValidationException"),
            ApiError::UnsupportedMediaType => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "UnsupportedMediaType")
            }
            ApiError::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "PayloadTooLarge"),
            ApiError::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, "ServiceUnavailable"),
            ApiError::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "InternalServerError"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let body = Json(json!({ "error": { "code": code, "message": self.to_string() } }));
        let mut response = (status, body).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                http::header::WWW_AUTHENTICATE,
                http::HeaderValue::from_static("Bearer realm=\"portcullis\""),
            );
        }
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(
                http::header::RETRY_AFTER,
                http::HeaderValue::from(iam::UNAVAILABLE_RETRY_AFTER_SECS),
            );
        }
        response
    }
}
