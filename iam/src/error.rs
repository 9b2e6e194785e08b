//! The one error type of the `iam` layer.
//!
//! `Display` is the full message for the log. What a person may see is
//! `user_message()`: the same text for every variant except `Internal`, whose
//! detail (a database error, say) stays in the log.

use std::error::Error as StdError;

use serde::{Deserialize, Serialize};

use crate::authz::Action;
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

    #[error("{what} `{name}` does not exist; check the name and try again")]
    NotFound { what: &'static str, name: String },

    #[error("you don't have permission to `{}` on `{resource}`; ask an administrator for a policy that allows it", .action.as_str())]
    AccessDenied { action: Action, resource: String },

    /// The setup link's token is wrong, was used already, or root exists.
    #[error(
        "the setup link is invalid or was already used; if root is not set up yet, restart the server to print a new link"
    )]
    SetupTokenInvalid,

    /// A failure the person can't fix (database down, broken invariant). The
    /// detail is for the log only.
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
    /// 500.
    Internal,
}

impl IamError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            IamError::InvalidCredentials => ErrorKind::InvalidCredentials,
            IamError::Validation { .. } | IamError::PasswordRules { .. } => ErrorKind::Validation,
            IamError::Conflict { .. } => ErrorKind::Conflict,
            IamError::NotFound { .. } => ErrorKind::NotFound,
            IamError::AccessDenied { .. } => ErrorKind::AccessDenied,
            IamError::SetupTokenInvalid => ErrorKind::SetupTokenInvalid,
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
            other => other.to_string(),
        }
    }

    /// The input field the error is about, for `Validation`, `PasswordRules`
    /// and `Conflict`.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            IamError::Validation { field, .. } | IamError::Conflict { field, .. } => Some(field),
            IamError::PasswordRules { .. } => Some("password"),
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

fn join_violations(violations: &[PasswordRuleViolation]) -> String {
    violations
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl From<sqlx::Error> for IamError {
    fn from(e: sqlx::Error) -> IamError {
        IamError::internal("a database query failed", e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
