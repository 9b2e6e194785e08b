//! Server-side glue for the server functions: the shared state, the signed-in session, request
//! metadata and the session cookie. Compiled only with the `ssr` feature.

use axum::extract::{ConnectInfo, FromRef};
use http::header::{HOST, SET_COOKIE, USER_AGENT};
use http::request::Parts;
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use std::net::{IpAddr, SocketAddr};

use crate::error::AppError;
pub use crate::error::{MAX_REQUEST_BYTES, set_error_status};

pub mod one_time;
pub mod redirect;

/// What every request handler and server function can reach.
#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub iam: iam::Iam,
    pub cookies: CookieConfig,
    /// The console's public base URL (`https://iam.example.com`), when one is configured; otherwise
    /// links are built from the request's `Host`.
    pub public_url: Option<String>,
}

// leptos_axum's handlers extract `LeptosOptions` from the router state.
impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// How the session cookie is named and flagged.
#[derive(Clone, Debug)]
pub struct CookieConfig {
    /// Served over https: the cookie is `Secure` and takes the `__Host-` prefix.
    pub secure: bool,
}

impl CookieConfig {
    pub fn name(&self) -> &'static str {
        if self.secure {
            "__Host-portcullis-session"
        } else {
            "portcullis-session"
        }
    }

    /// The `Set-Cookie` value that stores `token`, or that deletes the cookie when `token` is `None`.
    pub fn set_cookie(&self, token: Option<&str>) -> String {
        let mut cookie = cookie::Cookie::build((self.name(), token.unwrap_or("").to_owned()))
            .path("/")
            .http_only(true)
            .same_site(cookie::SameSite::Strict)
            .secure(self.secure);
        match token {
            // The server ends sessions after 12 hours; the browser may forget it sooner.
            Some(_) => cookie = cookie.max_age(cookie::time::Duration::hours(12)),
            None => cookie = cookie.max_age(cookie::time::Duration::ZERO),
        }
        cookie.build().to_string()
    }

    /// The session token carried by a request's `Cookie` headers.
    pub fn token_from(&self, headers: &http::HeaderMap) -> Option<String> {
        headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(cookie::Cookie::split_parse)
            .filter_map(Result::ok)
            .find(|c| c.name() == self.name())
            .map(|c| c.value().to_owned())
            .filter(|v| !v.is_empty())
    }
}

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| internal("the application state is missing"))
}

fn parts() -> Result<Parts, AppError> {
    use_context::<Parts>().ok_or_else(|| internal("the request parts are missing"))
}

/// The session the middleware authenticated for this request, when it may act: a session that
/// must change its password first is refused with `PasswordChangeRequired` (403), which the
/// middleware also enforces before any other server function runs.
pub fn session() -> Result<iam::Session, AppError> {
    let session = session_in_any_state()?;
    if session.state == iam::SessionState::PasswordChangeRequired {
        let err = AppError::PasswordChangeRequired;
        set_error_status(&err);
        return Err(err);
    }
    Ok(session)
}

/// The session in any state, for the few server functions a session that must change its
/// password may call (`crate::api::PASSWORD_CHANGE_PATHS`).
pub fn session_in_any_state() -> Result<iam::Session, AppError> {
    parts()?
        .extensions
        .get::<iam::Session>()
        .cloned()
        .ok_or(AppError::Unauthenticated)
}

/// The raw session token of this request, if it carries one.
pub fn session_token() -> Option<String> {
    let parts = parts().ok()?;
    let state = state().ok()?;
    state.cookies.token_from(&parts.headers)
}

/// Who sent a request, as the server determined it: the peer's address, or the client a
/// trusted proxy names (the server's `client` middleware). For events, the sign-in rate limit
/// and the `aws:SourceIp` and `aws:SecureTransport` condition keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddress {
    pub ip: IpAddr,
    /// The client's own connection was TLS, as a trusted proxy reports with
    /// `X-Forwarded-Proto: https`. Portcullis itself serves plain http.
    pub secure_transport: bool,
}

impl ClientAddress {
    /// The middleware's answer, or else the socket peer; `None` when neither is known (a
    /// request made in a test without a socket).
    pub fn of(extensions: &http::Extensions) -> Option<ClientAddress> {
        extensions.get::<ClientAddress>().copied().or_else(|| {
            extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| ClientAddress {
                    ip: addr.ip(),
                    secure_transport: false,
                })
        })
    }
}

/// This request's facts for policy conditions: the time, the client's address, whether its
/// connection was TLS, and no MFA (the console has no MFA sign-in).
pub fn request_facts(now: iam::UnixTime) -> iam::RequestFacts {
    // Borrowed, not cloned: a server function may authorize several times per request.
    with_context::<Parts, _>(|parts| facts_of(&parts.extensions, now))
        .unwrap_or_else(|| iam::RequestFacts::at(now))
}

/// [`request_facts`] for handlers outside the server functions, from the request's extensions.
pub fn facts_of(extensions: &http::Extensions, now: iam::UnixTime) -> iam::RequestFacts {
    let client = ClientAddress::of(extensions);
    let mut facts = iam::RequestFacts::at(now);
    facts.source_ip = client.map(|c| c.ip.to_string());
    facts.secure_transport = client.map(|c| c.secure_transport);
    facts.mfa_present = Some(false);
    facts
}

/// Authorization with this request's facts. Console server functions call `authorize_here`
/// rather than [`iam::Iam::authorize`], so that `aws:SourceIp`, `aws:SecureTransport` and
/// `aws:MultiFactorAuthPresent` conditions in policies see the request.
pub trait AuthorizeHere {
    fn authorize_here(
        &self,
        principal: &iam::Principal,
        action: iam::Action,
        resource: &str,
    ) -> impl std::future::Future<Output = Result<iam::Authorized, iam::IamError>> + Send;
}

impl AuthorizeHere for iam::Iam {
    fn authorize_here(
        &self,
        principal: &iam::Principal,
        action: iam::Action,
        resource: &str,
    ) -> impl std::future::Future<Output = Result<iam::Authorized, iam::IamError>> + Send {
        // Read the request now: the context is not reachable from inside the future.
        let facts = request_facts(iam::UnixTime::now());
        async move {
            self.authorize_request(principal, action, resource, &facts)
                .await
        }
    }
}

pub fn request_meta() -> iam::RequestMeta {
    let Ok(parts) = parts() else {
        return iam::RequestMeta::default();
    };
    let source_ip = ClientAddress::of(&parts.extensions)
        .map(|c| c.ip.to_string())
        .unwrap_or_default();
    let user_agent: String = parts
        .headers
        .get(USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .chars()
        .take(512)
        .collect();
    iam::RequestMeta::new(source_ip, user_agent)
}

/// The base URL people use to reach this console, without a trailing slash.
pub fn base_url() -> String {
    if let Ok(state) = state()
        && let Some(url) = state.public_url
    {
        return url.trim_end_matches('/').to_owned();
    }
    let host = parts()
        .ok()
        .and_then(|p| {
            p.headers
                .get(HOST)
                .and_then(|h| h.to_str().ok())
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "127.0.0.1:3000".to_owned());
    format!("http://{host}")
}

pub fn set_session_cookie(token: Option<&str>) -> Result<(), AppError> {
    let state = state()?;
    let value = state.cookies.set_cookie(token);
    let header = http::HeaderValue::from_str(&value)
        .map_err(|_| internal("the session cookie is not a valid header"))?;
    if let Some(response) = use_context::<ResponseOptions>() {
        response.append_header(SET_COOKIE, header);
    }
    Ok(())
}

/// Whether the request is a plain HTML form post (no JavaScript): a refusal then has to send the
/// browser back to the form with the input and the error in the URL, or the input is lost.
pub fn is_plain_form() -> bool {
    use_context::<http::request::Parts>()
        .and_then(|p| p.headers.get(http::header::ACCEPT).cloned())
        .and_then(|v| v.to_str().map(|s| s.contains("text/html")).ok())
        .unwrap_or(false)
}

/// Sends the browser to `path` after the server function: a 302 for plain forms, a client-side
/// navigation when called from wasm. leptos_axum panics on a path that is no header value (a CR
/// or LF in it), which would drop the connection after the work was done; such a path, which only
/// hostile input makes, goes to the dashboard instead.
pub fn redirect(path: &str) {
    if http::HeaderValue::from_str(path).is_ok() {
        leptos_axum::redirect(path);
    } else {
        tracing::warn!("a redirect target is not a valid header value; sent to the dashboard");
        leptos_axum::redirect(redirect::FALLBACK);
    }
}

/// Sends this page's Content-Security-Policy: scripts only from this site or carrying the page's
/// nonce (leptos_axum makes one per request and puts it on the hydration scripts), WebAssembly
/// compilation for the hydrating bundle, and nothing from elsewhere.
pub fn send_content_security_policy() {
    let (Some(nonce), Some(response)) =
        (leptos::nonce::use_nonce(), use_context::<ResponseOptions>())
    else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self'; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// Keeps a `redirect` target on this site: a path, never another origin.
pub fn safe_redirect(target: Option<&str>) -> String {
    let public_url = state().ok().and_then(|s| s.public_url);
    redirect::safe_redirect(target, public_url.as_deref())
}

fn internal(detail: &str) -> AppError {
    tracing::error!(detail, "internal error in a server function");
    AppError::Internal
}

impl From<iam::IamError> for AppError {
    fn from(err: iam::IamError) -> Self {
        use iam::IamError as E;
        let mapped = match &err {
            E::InvalidCredentials => AppError::InvalidCredentials,
            E::Validation { field, message } => AppError::invalid(*field, message.clone()),
            E::PasswordRules { .. } => AppError::invalid("password", err.user_message()),
            E::Conflict { field, message } | E::LimitExceeded { field, message } => {
                AppError::Conflict {
                    field: (*field).to_owned(),
                    message: message.clone(),
                }
            }
            E::NameTaken { .. } => AppError::Conflict {
                field: "name".to_owned(),
                message: err.user_message(),
            },
            E::InUse { message } => AppError::Conflict {
                field: String::new(),
                message: message.clone(),
            },
            // Only the AWS API authenticates with signatures.
            E::Signature(_) => AppError::InvalidCredentials,
            E::NotFound { .. } => AppError::NotFound(err.user_message()),
            E::AccessDenied { action, resource } => AppError::AccessDenied {
                action: action.as_str().to_owned(),
                resource: resource.clone(),
                message: err.user_message(),
            },
            E::SetupTokenInvalid => AppError::SetupLinkInvalid(err.user_message()),
            E::SignInLocked { retry_after_secs } | E::TooManyRequests { retry_after_secs } => {
                AppError::TooManyRequests {
                    message: err.user_message(),
                    retry_after_secs: *retry_after_secs,
                }
            }
            E::Unavailable { .. } => {
                tracing::warn!(error = %err, "a server function cannot reach the database");
                AppError::Unavailable(err.user_message())
            }
            E::Internal { .. } => {
                tracing::error!(error = %err, "internal error in a server function");
                AppError::Internal
            }
        };
        set_error_status(&mapped);
        mapped
    }
}
