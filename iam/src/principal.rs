//! Who is acting: the account's root user or an IAM user.

use serde::{Deserialize, Serialize};

use crate::account::AccountId;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Principal {
    Root {
        account_id: AccountId,
        email: String,
    },
    User {
        account_id: AccountId,
        user_id: String,
        name: String,
        /// The IAM path, `/` or `/division/team/` (always starts and ends with `/`).
        path: String,
    },
}

impl Principal {
    pub fn account_id(&self) -> &AccountId {
        match self {
            Principal::Root { account_id, .. } | Principal::User { account_id, .. } => account_id,
        }
    }

    /// `arn:aws:iam::<account>:root` or `arn:aws:iam::<account>:user/<path><name>`.
    pub fn arn(&self) -> String {
        match self {
            Principal::Root { account_id, .. } => format!("arn:aws:iam::{account_id}:root"),
            Principal::User {
                account_id,
                name,
                path,
                ..
            } => {
                // `path` begins with `/`, which the ARN's `user/` already supplies.
                let path = path.strip_prefix('/').unwrap_or(path);
                format!("arn:aws:iam::{account_id}:user/{path}{name}")
            }
        }
    }

    /// What the top bar shows: the root email, or `name @ account`.
    pub fn display_name(&self) -> String {
        match self {
            Principal::Root { email, .. } => email.clone(),
            Principal::User {
                account_id, name, ..
            } => format!("{name} @ {account_id}"),
        }
    }

    pub fn is_root(&self) -> bool {
        matches!(self, Principal::Root { .. })
    }

    /// CloudTrail's `userIdentity.type`.
    pub(crate) fn identity_type(&self) -> &'static str {
        match self {
            Principal::Root { .. } => "Root",
            Principal::User { .. } => "IAMUser",
        }
    }

    /// CloudTrail's `userIdentity.userName` (root has none there; we keep the email).
    pub(crate) fn user_name(&self) -> &str {
        match self {
            Principal::Root { email, .. } => email,
            Principal::User { name, .. } => name,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account() -> AccountId {
        AccountId::parse("123456789012").unwrap()
    }

    #[test]
    fn root_arn() {
        let p = Principal::Root {
            account_id: account(),
            email: "a@example.com".to_owned(),
        };
        assert_eq!(p.arn(), "arn:aws:iam::123456789012:root");
        assert_eq!(p.display_name(), "a@example.com");
    }

    #[test]
    fn user_arn_includes_path() {
        let user = |path: &str| Principal::User {
            account_id: account(),
            user_id: "AIDAEXAMPLE".to_owned(),
            name: "alice".to_owned(),
            path: path.to_owned(),
        };
        assert_eq!(user("/").arn(), "arn:aws:iam::123456789012:user/alice");
        assert_eq!(
            user("/eng/ops/").arn(),
            "arn:aws:iam::123456789012:user/eng/ops/alice"
        );
        assert_eq!(user("/").display_name(), "alice @ 123456789012");
    }
}
