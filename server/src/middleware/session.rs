//! Every page and server function needs a session, except sign-in, setup and static assets.
//! Without one, pages redirect to `/signin?redirect=…` and server functions answer 401.

use app::ssr::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use http::{Method, StatusCode};

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
            Err(err) => {
                tracing::error!(error = %err, "checking a session failed");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        },
        None => None,
    };
    match session {
        Some(session) => {
            req.extensions_mut().insert(session);
            next.run(req).await
        }
        None if is_public(&path) => next.run(req).await,
        None if !path.starts_with("/api/")
            && matches!(*req.method(), Method::GET | Method::HEAD) =>
        {
            let target = req
                .uri()
                .path_and_query()
                .map(|pq| pq.as_str().to_owned())
                .unwrap_or_else(|| "/".to_owned());
            let location = format!("/signin?redirect={}", encode_query_value(&target));
            Redirect::to(&location).into_response()
        }
        None => (
            StatusCode::UNAUTHORIZED,
            "sign in first: this request needs a session",
        )
            .into_response(),
    }
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
        ] {
            assert!(!is_public(path), "{path} should need a session");
        }
    }

    #[test]
    fn redirect_targets_are_encoded() {
        assert_eq!(
            encode_query_value("/users?page=2&q=a b"),
            "%2Fusers%3Fpage%3D2%26q%3Da+b"
        );
    }
}
