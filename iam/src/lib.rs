//! The IAM domain and its store: the account, the root user, IAM users,
//! passwords, sessions, authorization and the audit trail.
//!
//! The server holds one [`Iam`] (cheap to clone) and reads the clock once per
//! request with [`UnixTime::now`], passing `now` down. The flow:
//!
//! - start: [`Store::connect`] (creates the SQLite file, applies migrations),
//!   [`Store::ensure_account`], then [`Store::issue_setup_token`] while no root
//!   exists, printing `/setup?token=...` once;
//! - setup: [`Iam::check_setup_token`], then [`Iam::complete_setup`], which
//!   returns a [`SignedIn`] (the CLI uses [`Iam::create_root`]);
//! - sign-in: [`Iam::sign_in_root`] / [`Iam::sign_in_user`], passing the
//!   current cookie as `previous` so the old session ends;
//! - each request: [`Iam::authenticate`] turns the cookie into a [`Session`];
//!   [`Iam::authorize`] turns its principal, an [`Action`] and a resource into
//!   the [`Authorized`] proof that store reads and writes require;
//! - sign-out: [`Iam::sign_out`];
//! - policies, user groups and users (issue 4): each method takes the proof
//!   made for its target's ARN (`Iam::policy_arn_for`, `Iam::group_arn`, ...)
//!   and writes the change and its events in one transaction; the contract
//!   with the console is `docs/design/policies-and-groups.md`;
//! - users with console passwords, the password policy, the account alias and
//!   changing one's password (issue 5): `docs/design/users.md`.
//! - the Event history (issue 6): [`Iam::lookup_events`] (one lookup attribute, a time
//!   range, newest first, next-token pages, records as CloudTrail JSON),
//!   [`Iam::record_access_denied`], and [`Iam::prune_events`] for the retention job.
//!
//! Secrets ([`SessionToken`], [`SetupToken`], [`PasswordHash`],
//! [`GeneratedPassword`]) are not
//! `Serialize` and print as `<redacted>` in `Debug`.

mod account;
mod action;
mod arn;
mod authz;
mod clock;
mod error;
mod event;
mod master_key;
mod password;
mod principal;
mod rules;
mod secret;
mod service;
mod session;
pub mod sigv4;
mod store;
mod types;
mod validate;

pub use account::{Account, AccountId};
pub use action::Action;
pub use authz::{Authorized, RequestFacts};
pub use clock::UnixTime;
pub use error::{
    ErrorKind, IamError, MAX_USERS_PER_BATCH, UNAVAILABLE_MESSAGE, UNAVAILABLE_RETRY_AFTER_SECS,
    indexed_user_field,
};
pub use event::{EventName, RequestMeta};
pub use master_key::{MasterKey, MasterKeyError};
pub use password::{
    GeneratedPassword, HashTurn, MAX_PASSWORD_AGE_DAYS_RANGE, MAX_PASSWORD_CHARS,
    MIN_GENERATED_PASSWORD_CHARS, MIN_PASSWORD_LENGTH_RANGE, PASSWORD_REUSE_PREVENTION_RANGE,
    PasswordHash, PasswordHasher, PasswordPolicy, PasswordRequirements, PasswordRuleViolation,
    PasswordRules, Verification, check_password, generate_password, is_common_password,
};
pub use principal::Principal;
pub use secret::{SessionToken, SetupToken};
pub use service::{
    AUTHORIZE_ACTION, AccessKeyInfo, AccessKeySecret, AccessKeyStatus, ActionAccess, ApiCaller,
    AuthzAnswer, AuthzQuery, EffectivePolicy, Iam, KeyHolder, MAX_ACCESS_KEYS_PER_USER,
    MAX_BATCH_REQUESTS, NewAccessKey, ServiceAccess, TRACKING_PERIOD_DAYS,
};
pub use service::{DEFAULT_ACTIVITY_DAYS, GeneratedPolicy, MAX_ACTIVITY_DAYS};
pub use service::{
    DEFAULT_EVENT_RETENTION_DAYS, EventFilter, EventPage, EventRecord, EventResource,
    LookupAttribute, MAX_EVENTS_PER_PAGE, UserIdentity,
};
pub use service::{DEFAULT_SIGN_INS_PER_MINUTE, FREE_SIGN_IN_FAILURES, MAX_SIGN_IN_WAIT_SECS};
pub use service::{MasterKeyCheck, OneTimeKind};
pub use session::{
    SESSION_IDLE_TIMEOUT_SECS, SESSION_MAX_AGE_SECS, Session, SessionState, SignedIn,
};
pub use store::{AccountSummary, Store};
pub use types::{
    AttachedPolicy, CreatedUser, EntityRef, GroupDetails, GroupFilter, GroupListItem, GroupPage,
    InlinePolicy, LoginProfile, NewGroup, NewPolicy, NewUser, NewUserSpec, PasswordChoice,
    PolicyDetails, PolicyEntities, PolicyFilter, PolicyListItem, PolicyPage, PolicyScope,
    PolicyType, PolicyVersion, PolicyVersionInfo, Tag, UserDetails, UserFilter, UserListItem,
    UserPage,
};
