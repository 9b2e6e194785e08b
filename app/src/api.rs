//! Server functions, one domain per file. Each one resolves the principal, authorizes, validates,
//! calls `iam` and maps the result for the UI; the session middleware has already refused callers
//! without a session, except for the public functions listed in [`PUBLIC_PATHS`].

pub mod access_advisor;
pub mod access_keys;
pub mod account;
pub mod auth;
pub mod events;
pub mod groups;
pub mod password;
pub mod permissions;
pub mod policies;
pub mod settings;
pub mod url;
pub mod users;

/// Server function paths that work without a session (sign-in and first-run setup).
pub const PUBLIC_PATHS: &[&str] = &[
    "/api/sign_in_root",
    "/api/sign_in_user",
    "/api/complete_setup",
    "/api/setup_link_status",
];

/// The page an IAM user must use before anything else when their password has to be changed.
pub const CHANGE_PASSWORD_PAGE: &str = "/change-password";

/// Server function paths that a session which must change its password may call: the change
/// itself and what its page shows, sign-out and the top bar. Every other one answers 403.
pub const PASSWORD_CHANGE_PATHS: &[&str] = &[
    "/api/change_password",
    "/api/password_change_context",
    "/api/sign_out",
    "/api/whoami",
];
