//! Security headers on every response. Pages add their own Content-Security-Policy, which needs
//! the page's nonce (`app::ssr::send_content_security_policy`).

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::HeaderValue;
use http::header::{
    CACHE_CONTROL, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};

/// Whether people reach the console over https (its public URL), which makes browsers keep to
/// https for a year.
#[derive(Clone, Copy, Debug)]
pub struct ServedOverHttps(pub bool);

pub async fn security_headers(
    State(ServedOverHttps(https)): State<ServedOverHttps>,
    req: Request,
    next: Next,
) -> Response {
    let is_asset = req.uri().path().starts_with("/pkg/");
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // `same-origin`, not `no-referrer`: plain form posts are redirected back by their Referer.
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if https {
        headers.insert(
            STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    if !is_asset {
        // Pages can show secrets once (setup link, new passwords); keep them out of caches.
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}
