//! The IAM domain and its store: the account, the root user, IAM users,
//! passwords, sessions, authorization and the audit trail.
//!
//! The server holds one [`Iam`] (cheap to clone) and calls it with `now` read
//! once per request from [`UnixTime::now`].

mod account;
mod authz;
mod clock;
mod error;
mod event;
mod password;
mod principal;
mod secret;
mod service;
mod session;
mod store;
mod validate;

pub use account::{Account, AccountId};
pub use authz::{Action, Authorized};
pub use clock::UnixTime;
pub use error::{ErrorKind, IamError};
pub use event::{EventName, RequestMeta};
pub use password::{
    PasswordHash, PasswordHasher, PasswordRuleViolation, PasswordRules, Verification,
    check_password,
};
pub use principal::Principal;
pub use secret::{SessionToken, SetupToken};
pub use service::Iam;
pub use session::{
    SESSION_IDLE_TIMEOUT_SECS, SESSION_MAX_AGE_SECS, Session, SessionState, SignedIn,
};
pub use store::{AccountSummary, Store};
