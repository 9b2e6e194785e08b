//! The HTTP router: Leptos pages and server functions behind the session and origin checks, and
//! the authorization API beside them.

use app::ssr::AppState;
use app::{App, shell};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn, from_fn_with_state};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};

use std::sync::Arc;

use crate::middleware;
use crate::middleware::client::TrustedProxies;

/// The largest request body a page or server function takes: far above the largest legal input
/// (a policy document of 6,144 characters, a wizard's draft), far below what could tie up memory.
/// The authorization API has its own limit, of the same size ([`crate::api::MAX_BODY_BYTES`]).
pub const MAX_BODY_BYTES: usize = app::ssr::MAX_REQUEST_BYTES;

/// `trusted` are the proxies whose `X-Forwarded-For` names the client.
pub fn router(state: AppState, trusted: TrustedProxies) -> Router {
    let routes = generate_route_list(App);
    let context_state = state.clone();
    let shell_options = state.leptos_options.clone();
    let https = state.cookies.secure;
    let console = Router::new()
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(context_state.clone()),
            move || shell(shell_options.clone()),
        )
        // The Event history download is a file, not a page or a server function.
        .route(
            "/events/download",
            axum::routing::get(app::api::events::download::download),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        // Server functions read their bodies within this limit (axum's default would be 2 MB).
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(from_fn_with_state(
            state.clone(),
            middleware::session::require_session,
        ))
        .layer(from_fn(middleware::content_type::require_form_or_json))
        .layer(from_fn(middleware::origin::refuse_cross_site))
        .with_state(state.clone())
        // The authorization API authenticates with access keys, not the session cookie.
        .merge(crate::api::router(state.clone()));
    // So does the AWS API (`POST /`, signed with SigV4): it is routed before the console sees
    // the request, so none of the console's routes or checks apply to it.
    Router::new()
        .fallback_service(console)
        .layer(from_fn_with_state(
            crate::aws::endpoint::router(state),
            crate::aws::endpoint::route_aws_requests,
        ))
        .layer(from_fn_with_state(
            Arc::new(trusted),
            middleware::client::identify_client,
        ))
        .layer(from_fn_with_state(
            middleware::headers::ServedOverHttps(https),
            middleware::headers::security_headers,
        ))
}

#[cfg(test)]
mod hostile_tests;
#[cfg(test)]
mod hostile_tests_api;
#[cfg(test)]
mod hostile_tests_arguments;
#[cfg(test)]
mod hostile_tests_injection;
#[cfg(test)]
mod hostile_tests_probe;
#[cfg(test)]
mod hostile_tests_sessions;
#[cfg(test)]
mod tests;
