//! Every page and server function needs a session, except sign-in, setup and static assets.
//! Without one, pages redirect to `/signin?redirect=…` and server functions answer 401.
//!
//! A session that must change its password first (an IAM user signing in with a password that an
//! administrator asked to be changed, or that has expired) reaches only the change-password page,
//! its server functions, sign-out and the top bar's `whoami`: other pages redirect to
//! `/change-password?redirect=…` and other server functions answer 403.

use app::error::AppError;
use app::ssr::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use http::{Method, StatusCode, header};
use leptos::server_fn::error::FromServerFnError;

/// Paths served to anyone: the sign-in and setup pages and the browser assets.
fn is_public(path: &str) -> bool {
    matches!(path, "/signin" | "/setup" | "/favicon.svg" | "/favicon.ico")
        || path.starts_with("/signin/")
        || path.starts_with("/pkg/")
        || app::api::PUBLIC_PATHS.contains(&path)
}

fn is_static(path: &str) -> bool {
    path.starts_with("/pkg/") || path.starts_with("/favicon.")
}

/// What happens to a request of a session in `PasswordChangeRequired`.
#[derive(Debug, PartialEq, Eq)]
enum Gate {
    /// The change-password page and what it needs, sign-out, the public pages.
    Pass,
    /// Any other page: go and change the password, then come back.
    ChangePasswordFirst,
    /// Any other server function or non-GET request: 403.
    Refuse,
}

fn password_change_gate(path: &str, method: &Method) -> Gate {
    if path == app::api::CHANGE_PASSWORD_PAGE
        || app::api::PASSWORD_CHANGE_PATHS.contains(&path)
        || is_public(path)
    {
        Gate::Pass
    } else if !path.starts_with("/api/") && matches!(*method, Method::GET | Method::HEAD) {
        Gate::ChangePasswordFirst
    } else {
        Gate::Refuse
    }
}

pub async fn require_session(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path().to_owned();
    if is_static(&path) {
        return next.run(req).await;
    }
    let session = match state.cookies.token_from(req.headers()) {
        Some(token) => match state.iam.authenticate(&token, iam::UnixTime::now()).await {
            Ok(session) => session,
            Err(err) if err.kind() == iam::ErrorKind::Unavailable => {
                tracing::warn!(error = %err, "checking a session: the database cannot be reached");
                return (
                    StatusCode::SERVICE_UNAVAILABLE,
                    [(
                        http::header::RETRY_AFTER,
                        http::HeaderValue::from(iam::UNAVAILABLE_RETRY_AFTER_SECS),
                    )],
                    iam::UNAVAILABLE_MESSAGE,
                )
                    .into_response();
            }
            Err(err) => {
                tracing::error!(error = %err, "checking a session failed");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        },
        None => None,
    };
    match session {
        Some(session) if session.state == iam::SessionState::PasswordChangeRequired => {
            match password_change_gate(&path, req.method()) {
                Gate::Pass => {
                    req.extensions_mut().insert(session);
                    next.run(req).await
                }
                Gate::ChangePasswordFirst => {
                    let location = format!(
                        "{}?redirect={}",
                        app::api::CHANGE_PASSWORD_PAGE,
                        encode_query_value(&original_target(&req))
                    );
                    Redirect::to(&location).into_response()
                }
                Gate::Refuse => (
                    StatusCode::FORBIDDEN,
                    [(header::CONTENT_TYPE, "application/json")],
                    AppError::PasswordChangeRequired.ser(),
                )
                    .into_response(),
            }
        }
        Some(session) => {
            req.extensions_mut().insert(session);
            next.run(req).await
        }
        None if is_public(&path) => next.run(req).await,
        None if !path.starts_with("/api/")
            && matches!(*req.method(), Method::GET | Method::HEAD) =>
        {
            let location = format!(
                "/signin?redirect={}",
                encode_query_value(&original_target(&req))
            );
            Redirect::to(&location).into_response()
        }
        None => (
            StatusCode::UNAUTHORIZED,
            "sign in first: this request needs a session",
        )
            .into_response(),
    }
}

/// The path and query the request asked for, to come back to.
fn original_target(req: &Request) -> String {
    req.uri()
        .path_and_query()
        .map(|pq| pq.as_str().to_owned())
        .unwrap_or_else(|| "/".to_owned())
}

fn encode_query_value(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_paths_are_only_sign_in_setup_and_assets() {
        for path in [
            "/signin",
            "/signin/my-alias",
            "/setup",
            "/pkg/portcullis.wasm",
            "/api/sign_in_root",
        ] {
            assert!(is_public(path), "{path} should be public");
        }
        for path in [
            "/",
            "/users",
            "/api/dashboard",
            "/api/sign_out",
            "/signinx",
            "/setupx",
            "/change-password",
            "/api/change_password",
        ] {
            assert!(!is_public(path), "{path} should need a session");
        }
    }

    #[test]
    fn a_password_change_reaches_only_its_page_sign_out_and_the_top_bar() {
        for (path, method) in [
            ("/change-password", Method::GET),
            ("/api/change_password", Method::POST),
            ("/api/password_change_context", Method::GET),
            ("/api/sign_out", Method::POST),
            ("/api/whoami", Method::GET),
            ("/signin", Method::GET),
            ("/signin/examplecorp", Method::GET),
            ("/api/sign_in_user", Method::POST),
        ] {
            assert_eq!(password_change_gate(path, &method), Gate::Pass, "{path}");
        }
        for path in [
            "/",
            "/policies",
            "/users",
            "/settings",
            "/change-password/x",
            "/change-passwordx",
        ] {
            assert_eq!(
                password_change_gate(path, &Method::GET),
                Gate::ChangePasswordFirst,
                "{path}"
            );
        }
        for (path, method) in [
            ("/api/dashboard", Method::GET),
            ("/api/list_groups", Method::GET),
            ("/api/create_group", Method::POST),
            ("/api/update_password_policy", Method::POST),
            ("/api/change_password/x", Method::POST),
            ("/policies", Method::POST),
        ] {
            assert_eq!(password_change_gate(path, &method), Gate::Refuse, "{path}");
        }
    }

    #[test]
    fn the_refusal_is_the_error_the_console_knows() {
        let body = AppError::PasswordChangeRequired.ser();
        assert_eq!(AppError::de(body), AppError::PasswordChangeRequired);
    }

    #[test]
    fn redirect_targets_are_encoded() {
        assert_eq!(
            encode_query_value("/users?page=2&q=a b"),
            "%2Fusers%3Fpage%3D2%26q%3Da+b"
        );
    }
}
