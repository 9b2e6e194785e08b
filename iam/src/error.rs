//! The one error type of the `iam` layer.
//!
//! `Display` is the full message for the log. What a person may see is
//! `user_message()`: the same text for every variant except `Internal`, whose
//! detail (a database error, say) stays in the log.

use std::error::Error as StdError;

use serde::{Deserialize, Serialize};

use crate::action::Action;
use crate::password::PasswordRuleViolation;

type BoxError = Box<dyn StdError + Send + Sync + 'static>;

#[derive(Debug, thiserror::Error)]
pub enum IamError {
    /// Wrong email, unknown user, unknown account or wrong password: one
    /// message for all, so sign-in does not reveal which names exist.
    #[error("the sign-in details are incorrect; check them and try again")]
    InvalidCredentials,

    /// An input field is not acceptable. `message` names the offending input
    /// and how to fix it.
    #[error("{message}")]
    Validation {
        field: &'static str,
        message: String,
    },

    /// A password broke one or more password rules (field `password`).
    #[error("the password does not meet the password rules: {}", join_violations(.violations))]
    PasswordRules {
        violations: Vec<PasswordRuleViolation>,
    },

    /// The request clashes with existing state (a name taken, root already set up).
    #[error("{message}")]
    Conflict {
        field: &'static str,
        message: String,
    },

    /// Another entity of this kind has the name (names are unique ignoring case).
    #[error(
        "a {what} named `{name}` already exists (names are compared ignoring case); choose another name"
    )]
    NameTaken { what: &'static str, name: String },

    /// A quota would be exceeded (two access keys per user, five versions per policy).
    #[error("{message}")]
    LimitExceeded {
        field: &'static str,
        message: String,
    },

    /// The entity is still in use and must be freed first (IAM's DeleteConflict).
    #[error("{message}")]
    InUse { message: String },

    #[error("{what} `{name}` does not exist; check the name and try again")]
    NotFound { what: &'static str, name: String },

    #[error("you don't have permission to `{}` on `{resource}`; ask an administrator for a policy that allows it", .action.as_str())]
    AccessDenied { action: Action, resource: String },

    /// Too many consecutive failed sign-ins for one account and user name (or
    /// root email): the next attempt must wait. The same for names that do
    /// not exist, so it tells nothing about which do.
    #[error(
        "too many failed sign-in attempts for this user name; wait {}, then try again",
        wait_phrase(*.retry_after_secs)
    )]
    SignInLocked { retry_after_secs: u64 },

    /// Too many sign-in requests from one client address.
    #[error(
        "too many sign-in requests from your network address; wait {}, then try again",
        wait_phrase(*.retry_after_secs)
    )]
    TooManyRequests { retry_after_secs: u64 },

    /// The setup link's token is wrong, was used already, or root exists.
    #[error(
        "the setup link is invalid or was already used; if root is not set up yet, restart the server to print a new link"
    )]
    SetupTokenInvalid,

    /// A request's AWS Signature Version 4 was refused (no or malformed `Authorization`, an
    /// unknown, inactive or unusable access key, a wrong signature or a stale date). `Display`
    /// is for the log; [`user_message`](Self::user_message) is AWS's message, and the Query API
    /// answers the inner error's `code()` and `status()`. Never holds a secret.
    #[error("the request's AWS signature was refused: {0}")]
    Signature(#[from] crate::sigv4::SigV4Error),

    /// The database cannot be reached now (connection refused or lost, no
    /// connection free within the pool's timeout): worth retrying shortly.
    /// The detail is for the log only.
    #[error("the database cannot be reached: {source}")]
    Unavailable {
        #[source]
        source: BoxError,
    },
    /// A failure the person can't fix (broken invariant, a query the database
    /// refused). The detail is for the log only.
    #[error("{context}: {source}")]
    Internal {
        context: String,
        #[source]
        source: BoxError,
    },
}

/// The category of an [`IamError`], for mapping to an HTTP status or a UI state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ErrorKind {
    /// 401 on sign-in forms.
    InvalidCredentials,
    /// 400 / 422.
    Validation,
    /// 409.
    Conflict,
    /// 404.
    NotFound,
    /// 403.
    AccessDenied,
    /// 400 on the setup page (or 410).
    SetupTokenInvalid,
    /// 429, with `Retry-After`.
    TooManyRequests,
    /// 503, with `Retry-After`.
    Unavailable,
    /// 500.
    Internal,
}

impl IamError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            IamError::InvalidCredentials => ErrorKind::InvalidCredentials,
            IamError::Validation { .. } | IamError::PasswordRules { .. } => ErrorKind::Validation,
            IamError::Conflict { .. }
            | IamError::NameTaken { .. }
            | IamError::LimitExceeded { .. }
            | IamError::InUse { .. } => ErrorKind::Conflict,
            IamError::NotFound { .. } => ErrorKind::NotFound,
            IamError::AccessDenied { .. } => ErrorKind::AccessDenied,
            IamError::SetupTokenInvalid => ErrorKind::SetupTokenInvalid,
            // A malformed header is a bad request (AWS answers 400); every other refusal means
            // the caller is not authenticated.
            IamError::Signature(crate::sigv4::SigV4Error::IncompleteSignature(_)) => {
                ErrorKind::Validation
            }
            IamError::Signature(_) => ErrorKind::InvalidCredentials,
            IamError::SignInLocked { .. } | IamError::TooManyRequests { .. } => {
                ErrorKind::TooManyRequests
            }
            IamError::Unavailable { .. } => ErrorKind::Unavailable,
            IamError::Internal { .. } => ErrorKind::Internal,
        }
    }

    /// The message safe to show a person. Same as `Display` except for
    /// `Internal`, whose detail must only be logged.
    pub fn user_message(&self) -> String {
        match self {
            IamError::Internal { .. } => {
                "something went wrong on the server; try again, and if it keeps happening ask the administrator to check the server log".to_owned()
            }
            IamError::Unavailable { .. } => UNAVAILABLE_MESSAGE.to_owned(),
            IamError::Signature(e) => e.message(),
            other => other.to_string(),
        }
    }

    /// The input field the error is about, for `Validation`, `PasswordRules`
    /// and `Conflict`.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            IamError::Validation { field, .. }
            | IamError::Conflict { field, .. }
            | IamError::LimitExceeded { field, .. } => Some(field),
            IamError::NameTaken { .. } => Some("name"),
            IamError::PasswordRules { .. } => Some("password"),
            _ => None,
        }
    }

    /// For an error about one user of a batch (`field` is `users[<i>].<field>`),
    /// the user's index in the request.
    pub fn user_index(&self) -> Option<usize> {
        self.field().and_then(split_user_field).map(|(i, _)| i)
    }

    /// For an error about one user of a batch, the field without the index
    /// (`name` for `users[1].name`).
    pub fn user_field(&self) -> Option<&'static str> {
        self.field().and_then(split_user_field).map(|(_, f)| f)
    }

    /// This error, as about the user at `index` called `name` of a batch: the
    /// field becomes `users[<index>].<field>` and the message starts with the
    /// user's name. A `NotFound` of a group, user or policy becomes a
    /// `Validation` of `group_names`, `copy_from` or `policy_arns`, and broken
    /// password rules a `Validation` of `password`.
    pub(crate) fn for_user(self, index: usize, name: &str) -> IamError {
        let indexed = |field: &'static str| indexed_user_field(index, field).unwrap_or(field);
        let prefixed = |message: String| format!("user `{name}`: {message}");
        match self {
            IamError::Validation { field, message } => IamError::Validation {
                field: indexed(field),
                message: prefixed(message),
            },
            IamError::Conflict { field, message } => IamError::Conflict {
                field: indexed(field),
                message: prefixed(message),
            },
            IamError::NameTaken { .. } => IamError::Conflict {
                field: indexed("name"),
                message: prefixed(self.to_string()),
            },
            IamError::NotFound { what, .. } => {
                let field = match what {
                    "group" => "group_names",
                    "user" => "copy_from",
                    _ => "policy_arns",
                };
                IamError::Validation {
                    field: indexed(field),
                    message: prefixed(self.to_string()),
                }
            }
            IamError::PasswordRules { .. } => IamError::Validation {
                field: indexed("password"),
                message: prefixed(self.to_string()),
            },
            other => other,
        }
    }

    /// Seconds the caller must wait before trying again, for the `TooManyRequests` and
    /// `Unavailable` kinds.
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            IamError::SignInLocked { retry_after_secs }
            | IamError::TooManyRequests { retry_after_secs } => Some(*retry_after_secs),
            IamError::Unavailable { .. } => Some(UNAVAILABLE_RETRY_AFTER_SECS),
            _ => None,
        }
    }

    pub fn is_internal(&self) -> bool {
        self.kind() == ErrorKind::Internal
    }

    pub(crate) fn internal(context: impl Into<String>, source: impl Into<BoxError>) -> IamError {
        IamError::Internal {
            context: context.into(),
            source: source.into(),
        }
    }

    /// An internal error with no underlying cause: a broken invariant.
    pub(crate) fn bug(message: impl Into<String>) -> IamError {
        let message = message.into();
        IamError::internal("internal invariant violated", message)
    }

    pub(crate) fn validation(field: &'static str, message: impl Into<String>) -> IamError {
        IamError::Validation {
            field,
            message: message.into(),
        }
    }
}

/// "1 second", "40 seconds", "2 minutes" (rounded up), for waits in messages.
fn wait_phrase(secs: u64) -> String {
    match secs {
        0 | 1 => "1 second".to_owned(),
        2..=119 => format!("{secs} seconds"),
        _ => format!("{} minutes", secs.div_ceil(60)),
    }
}

/// The most users one `create_users` call creates (the Add users wizard's limit).
pub const MAX_USERS_PER_BATCH: usize = 10;

/// The per-user fields of a batch, in the order of [`USER_FIELDS`]' rows.
const USER_FIELD_NAMES: [&str; 7] = [
    "name",
    "path",
    "password",
    "group_names",
    "policy_arns",
    "copy_from",
    "tags",
];

macro_rules! user_fields {
    ($($i:literal),*) => {
        [$([
            concat!("users[", $i, "].name"),
            concat!("users[", $i, "].path"),
            concat!("users[", $i, "].password"),
            concat!("users[", $i, "].group_names"),
            concat!("users[", $i, "].policy_arns"),
            concat!("users[", $i, "].copy_from"),
            concat!("users[", $i, "].tags"),
        ]),*]
    };
}

/// `users[<i>].<field>` as static strings, so `IamError`'s field stays
/// `&'static str`.
static USER_FIELDS: [[&str; 7]; MAX_USERS_PER_BATCH] = user_fields!(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);

/// The error field `users[<index>].<field>` for the user at `index` of a
/// batch, e.g. `users[1].name`; `None` for an index of 10 or more or a field
/// that is not one of `name`, `path`, `password`, `group_names`,
/// `policy_arns`, `copy_from`, `tags`.
pub fn indexed_user_field(index: usize, field: &str) -> Option<&'static str> {
    let column = USER_FIELD_NAMES.iter().position(|f| *f == field)?;
    USER_FIELDS.get(index).map(|row| row[column])
}

fn split_user_field(field: &str) -> Option<(usize, &str)> {
    let rest = field.strip_prefix("users[")?;
    let (index, field) = rest.split_once("].")?;
    Some((index.parse().ok()?, field))
}

fn join_violations(violations: &[PasswordRuleViolation]) -> String {
    violations
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// What a person is told while the database cannot be reached.
pub const UNAVAILABLE_MESSAGE: &str = "the database cannot be reached right now; try again in a few seconds, and if it keeps happening ask the administrator to check the database server";

/// How long a client should wait before retrying while the database is unavailable.
pub const UNAVAILABLE_RETRY_AFTER_SECS: u64 = 5;

impl From<sqlx::Error> for IamError {
    fn from(e: sqlx::Error) -> IamError {
        match e {
            // The server or the network, not the query: the same request can succeed once the
            // database is back (the pool reconnects on its own).
            sqlx::Error::Io(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed => IamError::Unavailable {
                source: Box::new(e),
            },
            e => IamError::internal("a database query failed", e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_read_as_seconds_then_minutes() {
        let locked = |secs| IamError::SignInLocked {
            retry_after_secs: secs,
        };
        assert!(locked(1).to_string().contains("wait 1 second, then"));
        assert!(locked(64).to_string().contains("wait 64 seconds, then"));
        assert!(locked(900).to_string().contains("wait 15 minutes, then"));
        assert!(locked(121).to_string().contains("wait 3 minutes, then"));
        assert_eq!(locked(8).kind(), ErrorKind::TooManyRequests);
        assert_eq!(locked(8).retry_after_secs(), Some(8));
    }

    #[test]
    fn a_database_out_of_reach_is_unavailable_not_internal() {
        let e = IamError::from(sqlx::Error::PoolTimedOut);
        assert_eq!(e.kind(), ErrorKind::Unavailable);
        assert_eq!(e.user_message(), UNAVAILABLE_MESSAGE);
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        assert_eq!(
            IamError::from(sqlx::Error::Io(refused)).kind(),
            ErrorKind::Unavailable
        );
        let bad_query = sqlx::Error::Protocol("unexpected message".into());
        assert_eq!(IamError::from(bad_query).kind(), ErrorKind::Internal);
    }

    #[test]
    fn internal_detail_is_not_shown_to_people() {
        let e = IamError::internal("a database query failed", "disk I/O error at /secret/path");
        assert!(e.to_string().contains("/secret/path"));
        assert!(!e.user_message().contains("/secret/path"));
        assert_eq!(e.kind(), ErrorKind::Internal);
    }

    #[test]
    fn access_denied_names_action_and_resource() {
        let e = IamError::AccessDenied {
            action: Action::GetAccountSummary,
            resource: "arn:aws:iam::123456789012:root".to_owned(),
        };
        assert!(e.user_message().starts_with(
            "you don't have permission to `iam:GetAccountSummary` on `arn:aws:iam::123456789012:root`"
        ));
    }

    #[test]
    fn batch_fields_carry_the_index() {
        assert_eq!(indexed_user_field(0, "name"), Some("users[0].name"));
        assert_eq!(indexed_user_field(9, "tags"), Some("users[9].tags"));
        assert_eq!(indexed_user_field(10, "name"), None);
        assert_eq!(indexed_user_field(1, "nope"), None);
        let e = IamError::validation("name", "the user name `a b` contains ` `").for_user(1, "a b");
        assert_eq!(e.field(), Some("users[1].name"));
        assert_eq!((e.user_index(), e.user_field()), (Some(1), Some("name")));
        assert_eq!(
            e.user_message(),
            "user `a b`: the user name `a b` contains ` `"
        );
        let e = IamError::NotFound {
            what: "group",
            name: "Nope".to_owned(),
        }
        .for_user(2, "mary");
        assert_eq!(e.field(), Some("users[2].group_names"));
        assert_eq!(e.kind(), ErrorKind::Validation);
        assert_eq!(IamError::validation("name", "x").user_index(), None);
    }

    #[test]
    fn signature_errors_show_aws_text_and_are_unauthenticated() {
        use crate::sigv4::{INVALID_CLIENT_TOKEN_ID_MESSAGE, Mismatch, SigV4Error};
        let e = IamError::from(SigV4Error::InvalidClientTokenId);
        assert_eq!(e.kind(), ErrorKind::InvalidCredentials);
        assert_eq!(e.user_message(), INVALID_CLIENT_TOKEN_ID_MESSAGE);
        assert!(
            e.to_string()
                .starts_with("the request's AWS signature was refused: ")
        );
        let e = IamError::from(SigV4Error::SignatureDoesNotMatch(Mismatch::Signature));
        assert_eq!(e.kind(), ErrorKind::InvalidCredentials);
        assert_eq!(
            e.user_message(),
            crate::sigv4::SIGNATURE_DOES_NOT_MATCH_MESSAGE
        );
        let e = IamError::from(SigV4Error::IncompleteSignature("x".to_owned()));
        assert_eq!(e.kind(), ErrorKind::Validation);
        assert_eq!(e.field(), None);
    }

    #[test]
    fn messages_are_lowercase_without_final_period() {
        let errors = [
            IamError::InvalidCredentials,
            IamError::SetupTokenInvalid,
            IamError::NotFound {
                what: "user",
                name: "bob".to_owned(),
            },
        ];
        for e in errors {
            let m = e.user_message();
            assert!(m.starts_with(|c: char| c.is_lowercase()), "{m}");
            assert!(!m.ends_with('.'), "{m}");
        }
    }
}
