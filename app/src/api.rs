//! Server functions, one domain per file. Each one resolves the principal, authorizes, validates,
//! calls `iam` and maps the result for the UI; the session middleware has already refused callers
//! without a session, except for the public functions listed in [`PUBLIC_PATHS`].

pub mod account;
pub mod auth;
pub mod groups;
pub mod policies;
pub mod users;

/// Server function paths that work without a session (sign-in and first-run setup).
pub const PUBLIC_PATHS: &[&str] = &[
    "/api/sign_in_root",
    "/api/sign_in_user",
    "/api/complete_setup",
    "/api/setup_link_status",
];
