//! The one error type of the console's server functions.
//!
//! It travels to the browser, so it carries only what a person may read: internal details are
//! logged on the server and replaced by a generic message here.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// A problem with one input field, shown next to that field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The form field's name, as in the server function's argument.
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("your session has ended; sign in again")]
    Unauthenticated,
    #[error("{message}")]
    AccessDenied {
        action: String,
        resource: String,
        message: String,
    },
    #[error("{}", first_message(.0))]
    Invalid(Vec<FieldError>),
    #[error("{message}")]
    Conflict { field: String, message: String },
    #[error("{0}")]
    NotFound(String),
    #[error("the sign-in details are incorrect; check them and try again")]
    InvalidCredentials,
    /// Sign-in refused for now (a lockout after failures, or the address's rate limit).
    #[error("{message}")]
    TooManyRequests {
        message: String,
        retry_after_secs: u64,
    },
    #[error("you must change your password before you continue")]
    PasswordChangeRequired,
    #[error("{0}")]
    SetupLinkInvalid(String),
    /// The database cannot be reached for now; answered 503 with `Retry-After`.
    #[error("{0}")]
    Unavailable(String),
    #[error("something went wrong on the server; try again, and see the server log for details")]
    Internal,
    #[error("the server could not be reached or answered unexpectedly: {0}")]
    Transport(String),
}

fn first_message(errors: &[FieldError]) -> String {
    errors
        .first()
        .map(|e| e.message.clone())
        .unwrap_or_else(|| "the input is not valid".to_owned())
}

impl AppError {
    /// A validation error for one field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Invalid(vec![FieldError {
            field: field.into(),
            message: message.into(),
        }])
    }

    /// The message to show next to `field`, if this error is about it.
    pub fn for_field(&self, field: &str) -> Option<String> {
        match self {
            AppError::Invalid(errors) => errors
                .iter()
                .filter(|e| e.field == field)
                .map(|e| e.message.clone())
                .reduce(|a, b| format!("{a}; {b}")),
            AppError::Conflict { field: f, message } if f == field => Some(message.clone()),
            _ => None,
        }
    }

    /// The HTTP status this error is answered with, for clients that are not plain HTML forms.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthenticated | AppError::InvalidCredentials => 401,
            AppError::AccessDenied { .. } | AppError::PasswordChangeRequired => 403,
            AppError::Invalid(_) | AppError::SetupLinkInvalid(_) => 400,
            AppError::Conflict { .. } => 409,
            AppError::NotFound(_) => 404,
            AppError::TooManyRequests { .. } => 429,
            AppError::Unavailable(_) => 503,
            AppError::Internal | AppError::Transport(_) => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The session middleware answers 401 before the function runs.
            ServerFnErrorErr::Response(msg) | ServerFnErrorErr::Request(msg)
                if msg.contains("401") =>
            {
                AppError::Unauthenticated
            }
            // On the server these come only from reading the request (its body or query): the
            // caller's mistake, answered 400 (413 over the body limit), not a server fault.
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Args(detail)
            | ServerFnErrorErr::MissingArg(detail)
            | ServerFnErrorErr::Deserialization(detail) => unreadable_request(&detail),
            other => AppError::Transport(other.to_string()),
        }
    }
}

// Response statuses of server functions: the server side of this type.

/// Plain HTML form posts get a redirect back to the form (with the error in the URL), which a 4xx
/// status would break; other callers get the error's own status.
#[cfg(feature = "ssr")]
pub fn set_error_status(err: &AppError) {
    let retry_after_secs = match err {
        AppError::TooManyRequests {
            retry_after_secs, ..
        } => Some(*retry_after_secs),
        AppError::Unavailable(_) => Some(iam::UNAVAILABLE_RETRY_AFTER_SECS),
        _ => None,
    };
    if let Ok(status) = http::StatusCode::from_u16(err.status())
        && let Some(response) = set_status(status)
        && let Some(secs) = retry_after_secs
    {
        response.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from(secs));
    }
}

/// The largest request body a server function reads (the router's `DefaultBodyLimit`): far above
/// the largest legal input, a policy document of 6,144 characters or a wizard's draft.
pub const MAX_REQUEST_BYTES: usize = 1024 * 1024;

/// The error for a request whose arguments could not be read (`detail` says why): 413 over the
/// body limit, otherwise 400 at the argument named in `detail`, if any. Without it, server_fn
/// would answer 500.
#[cfg(feature = "ssr")]
fn unreadable_request(detail: &str) -> AppError {
    let target = leptos::prelude::use_context::<http::request::Parts>()
        .map(|p| p.uri.path().to_owned())
        .unwrap_or_else(|| "the server function".to_owned());
    if detail.contains("length limit exceeded") {
        let err = AppError::invalid(
            "request",
            format!(
                "the request to `{target}` is larger than {} MiB; send less, such as a shorter document or fewer items",
                MAX_REQUEST_BYTES / (1024 * 1024)
            ),
        );
        set_status(http::StatusCode::PAYLOAD_TOO_LARGE);
        return err;
    }
    let field = detail
        .split_once("missing field `")
        .and_then(|(_, rest)| rest.split_once('`'))
        .map_or("request", |(name, _)| name);
    let detail = detail
        .trim_start_matches("error deserializing server function arguments: ")
        .trim_start_matches("error deserializing server function results: ");
    let err = AppError::invalid(
        field,
        format!(
            "the arguments of `{target}` could not be read ({detail}); send them form-encoded (`application/x-www-form-urlencoded`, UTF-8) as the console's forms do"
        ),
    );
    set_error_status(&err);
    err
}

/// Sets the response status, except for plain HTML form posts, which get a redirect back to the
/// form (with the error in the URL) that a 4xx status would break; the response, when set.
#[cfg(feature = "ssr")]
fn set_status(status: http::StatusCode) -> Option<leptos_axum::ResponseOptions> {
    let accepts_html = leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|p| p.headers.get(http::header::ACCEPT).cloned())
        .and_then(|v| v.to_str().map(|s| s.contains("text/html")).ok())
        .unwrap_or(false);
    let response =
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>().filter(|_| !accepts_html)?;
    response.set_status(status);
    Some(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_messages_are_found_by_field() {
        let err = AppError::Invalid(vec![
            FieldError {
                field: "email".into(),
                message: "`x` is not an email address".into(),
            },
            FieldError {
                field: "password".into(),
                message: "too short".into(),
            },
        ]);
        assert_eq!(err.for_field("password").as_deref(), Some("too short"));
        assert_eq!(err.for_field("name"), None);
        assert_eq!(err.to_string(), "`x` is not an email address");
    }

    #[test]
    fn errors_round_trip_through_the_wire_encoding() {
        let err = AppError::Conflict {
            field: "name".into(),
            message: "taken".into(),
        };
        let bytes = err.ser();
        assert_eq!(AppError::de(bytes), err);
    }
}
