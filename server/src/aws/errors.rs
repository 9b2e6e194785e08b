//! The errors the AWS API answers with: AWS's code, HTTP status and message. The domain's
//! errors (`iam::IamError`) are turned into the code IAM gives for the same refusal, with IAM's
//! own message text where IAM defines one (the "does not exist", "already exists" and
//! "not authorized" texts below are the ones IAM sends, as the AWS CLI prints them).

use iam::{IamError, sigv4::SigV4Error};

use super::error_info::{ErrorInfo, Fault};
use super::model::ServiceModel;
use super::query::QueryError;

/// One AWS error, ready to render in the service's protocol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AwsError {
    pub(crate) code: &'static str,
    pub(crate) message: String,
    /// Set when the error's source fixes it (SigV4); otherwise the model's status for `code`.
    status: Option<u16>,
}

/// ServiceFailure's message in IAM's model documentation.
const SERVICE_FAILURE: &str =
    "The request processing has failed because of an unknown error, exception or failure.";

impl AwsError {
    pub(crate) fn new(code: &'static str, message: impl Into<String>) -> AwsError {
        AwsError {
            code,
            message: message.into(),
            status: None,
        }
    }

    pub(crate) fn service_failure() -> AwsError {
        AwsError::new("ServiceFailure", SERVICE_FAILURE)
    }

    /// The HTTP status and fault, from the error itself or the service's model.
    pub(crate) fn info(&self, model: &ServiceModel) -> ErrorInfo {
        let from_model = model.error(self.code);
        match (self.status, from_model) {
            (Some(status), Some(info)) => ErrorInfo { status, ..info },
            (Some(status), None) => ErrorInfo {
                status,
                fault: fault_of(status),
            },
            (None, Some(info)) => info,
            (None, None) => ErrorInfo {
                status: 400,
                fault: Fault::Sender,
            },
        }
    }

    /// The error for a domain refusal. `caller_arn` names the caller in AccessDenied, as IAM
    /// does.
    pub(crate) fn from_iam(error: IamError, caller_arn: &str) -> AwsError {
        match error {
            IamError::Signature(e) => AwsError::from(e),
            IamError::NotFound { what, name } => {
                AwsError::new("NoSuchEntity", not_found_message(what, &name))
            }
            IamError::NameTaken { what, name } => AwsError::new(
                "EntityAlreadyExists",
                format!("{} with name {name} already exists.", capitalized(what)),
            ),
            IamError::AccessDenied { action, resource } => AwsError::new(
                "AccessDenied",
                format!(
                    "User: {caller_arn} is not authorized to perform: {} on resource: {resource}",
                    action.as_str()
                ),
            ),
            IamError::InUse { message } => AwsError::new("DeleteConflict", message),
            IamError::LimitExceeded { field, message } => {
                AwsError::new("LimitExceeded", limit_message(field).unwrap_or(message))
            }
            IamError::PasswordRules { .. } => {
                AwsError::new("PasswordPolicyViolation", error.to_string())
            }
            // Our own rules (names, paths, tags) beyond what the model checks: IAM answers these
            // with InvalidInput, in words of its own for each rule; ours name the input and fix.
            IamError::Validation { .. } | IamError::Conflict { .. } => {
                AwsError::new("InvalidInput", error.to_string())
            }
            IamError::InvalidCredentials => AwsError::from(SigV4Error::InvalidClientTokenId),
            IamError::TooManyRequests { .. } | IamError::SignInLocked { .. } => {
                AwsError::new("Throttling", "Rate exceeded")
            }
            IamError::Unavailable { .. } => {
                tracing::warn!(error = %error, "the AWS API cannot reach the database");
                AwsError::new("ServiceUnavailable", "Service is unable to handle request.")
            }
            IamError::SetupTokenInvalid | IamError::Internal { .. } => {
                tracing::error!(error = %error, "an AWS API request failed");
                AwsError::service_failure()
            }
        }
    }
}

impl From<SigV4Error> for AwsError {
    fn from(e: SigV4Error) -> AwsError {
        AwsError {
            code: e.code(),
            message: e.message(),
            status: Some(e.status()),
        }
    }
}

impl From<QueryError> for AwsError {
    fn from(e: QueryError) -> AwsError {
        AwsError::new(e.code(), e.to_string())
    }
}

/// IAM's NoSuchEntity texts: "The user with name mary cannot be found." for users and groups,
/// "Policy arn:… does not exist or is not attachable." for policies.
fn not_found_message(what: &str, name: &str) -> String {
    match what {
        "policy" | "managed policy" => {
            format!("Policy {name} does not exist or is not attachable.")
        }
        "login profile" => format!("Login Profile for User {name} cannot be found."),
        "access key" => format!("The Access Key with id {name} cannot be found."),
        _ => format!("The {what} with name {name} cannot be found."),
    }
}

/// IAM's LimitExceeded texts for the quotas Portcullis shares with it.
fn limit_message(field: &str) -> Option<String> {
    match field {
        "access_key" => Some("Cannot exceed quota for AccessKeysPerUser: 2".to_owned()),
        "version" => Some(
            "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version."
                .to_owned(),
        ),
        _ => None,
    }
}

fn capitalized(what: &str) -> String {
    let mut chars = what.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

fn fault_of(status: u16) -> Fault {
    if status >= 500 {
        Fault::Receiver
    } else {
        Fault::Sender
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::model::{Service, service};

    #[test]
    fn statuses_come_from_the_model() {
        let iam = service(Service::Iam);
        for (code, status) in [
            ("NoSuchEntity", 404),
            ("EntityAlreadyExists", 409),
            ("DeleteConflict", 409),
            ("LimitExceeded", 409),
            ("InvalidInput", 400),
            ("AccessDenied", 403),
            ("ServiceFailure", 500),
        ] {
            assert_eq!(AwsError::new(code, "x").info(iam).status, status, "{code}");
        }
        let failure = AwsError::service_failure().info(iam);
        assert_eq!(failure.fault, Fault::Receiver);
    }

    #[test]
    fn domain_errors_take_iams_words() {
        let e = AwsError::from_iam(
            IamError::NotFound {
                what: "user",
                name: "mary".to_owned(),
            },
            "arn:aws:iam::123456789012:root",
        );
        assert_eq!(
            (e.code, e.message.as_str()),
            ("NoSuchEntity", "The user with name mary cannot be found.")
        );
        let e = AwsError::from_iam(
            IamError::NameTaken {
                what: "user",
                name: "mary".to_owned(),
            },
            "",
        );
        assert_eq!(e.message, "User with name mary already exists.");
        let e = AwsError::from_iam(
            IamError::AccessDenied {
                action: iam::Action::ListUsers,
                resource: "arn:aws:iam::123456789012:user/".to_owned(),
            },
            "arn:aws:iam::123456789012:user/mary",
        );
        assert_eq!(
            e.message,
            "User: arn:aws:iam::123456789012:user/mary is not authorized to perform: \
             iam:ListUsers on resource: arn:aws:iam::123456789012:user/"
        );
    }
}
