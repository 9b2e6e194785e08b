//! The HTTP router: Leptos pages and server functions behind the session and origin checks, and
//! the authorization API beside them.

use app::ssr::AppState;
use app::{App, shell};
use axum::Router;
use axum::middleware::{from_fn, from_fn_with_state};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};

use std::sync::Arc;

use crate::middleware;
use crate::middleware::client::TrustedProxies;

/// `trusted` are the proxies whose `X-Forwarded-For` names the client.
pub fn router(state: AppState, trusted: TrustedProxies) -> Router {
    let routes = generate_route_list(App);
    let context_state = state.clone();
    let shell_options = state.leptos_options.clone();
    let https = state.cookies.secure;
    Router::new()
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
        .layer(from_fn_with_state(
            state.clone(),
            middleware::session::require_session,
        ))
        .layer(from_fn(middleware::origin::refuse_cross_site))
        .with_state(state.clone())
        // The authorization API authenticates with access keys, not the session cookie.
        .merge(crate::api::router(state))
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
mod tests;
