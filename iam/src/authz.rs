//! Authorization that is hard to skip.
//!
//! Store methods that read or change IAM data take an `&Authorized`, which only
//! [`crate::Iam::authorize`] can make (its fields are private and it has no
//! public constructor). A handler that forgets to authorize does not compile.
//!
//! The root user may do everything in its account ([`decide`]). An IAM user
//! may do what its identity policies allow, decided by the `policy` engine
//! ([`decide_by_policies`], fed by `service/authorization.rs`).

pub(crate) use crate::action::Action;
use crate::clock::UnixTime;
use crate::error::IamError;
use crate::principal::Principal;

/// Proof that `principal` may perform `action` on `resource`.
///
/// INVARIANT: only `decide` constructs this type.
#[derive(Debug)]
pub struct Authorized {
    principal: Principal,
    action: Action,
    resource: String,
}

impl Authorized {
    pub fn principal(&self) -> &Principal {
        &self.principal
    }

    pub fn action(&self) -> Action {
        self.action
    }

    pub fn resource(&self) -> &str {
        &self.resource
    }

    /// Store methods call this to refuse a proof made for another action, so
    /// an `Authorized` for `ListUsers` cannot be reused to delete a user.
    pub(crate) fn require(&self, action: Action) -> Result<(), IamError> {
        if self.action == action {
            Ok(())
        } else {
            Err(IamError::bug(format!(
                "an authorization for `{}` was used for `{}`",
                self.action, action
            )))
        }
    }
}

/// ARNs of AWS managed policies, which every account may read and attach.
pub(crate) const AWS_MANAGED_POLICY_ARN_PREFIX: &str = "arn:aws:iam::aws:policy/";

/// What a request's conditions can test besides the principal: the time, where
/// it came from, and how (`aws:CurrentTime`, `aws:SourceIp`,
/// `aws:SecureTransport`, `aws:MultiFactorAuthPresent`). A fact that is `None`
/// is not known, and its key is absent from the request context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestFacts {
    pub now: UnixTime,
    /// The caller's address as the server saw it (after the trusted proxy).
    pub source_ip: Option<String>,
    pub secure_transport: Option<bool>,
    pub mfa_present: Option<bool>,
}

impl RequestFacts {
    /// Facts known without a request: only the time.
    pub fn at(now: UnixTime) -> RequestFacts {
        RequestFacts {
            now,
            source_ip: None,
            secure_transport: None,
            mfa_present: None,
        }
    }
}

/// An IAM user's decision: the `policy` engine over the user's effective
/// identity policies, compiled once per request. Only `Allow` makes a proof;
/// an explicit or implicit deny is `AccessDenied`.
pub(crate) fn decide_by_policies(
    principal: &Principal,
    action: Action,
    resource: &str,
    policies: &policy::CompiledPolicySet,
    context: policy::Context,
) -> Result<Authorized, IamError> {
    let request = policy::Request {
        action: action.as_str().to_owned(),
        resource: resource.to_owned(),
        context,
    };
    let response = policies.evaluate(&request);
    if response.decision == policy::Decision::Allow {
        Ok(Authorized {
            principal: principal.clone(),
            action,
            resource: resource.to_owned(),
        })
    } else {
        Err(IamError::AccessDenied {
            action,
            resource: resource.to_owned(),
        })
    }
}

/// The root user's decision. Root may do anything in its own account, and may
/// act on AWS managed policies (the methods refuse changing them, with a
/// message that says they are read-only). Anyone else is denied here: IAM
/// users are decided by [`decide_by_policies`].
pub(crate) fn decide(
    principal: &Principal,
    action: Action,
    resource: &str,
) -> Result<Authorized, IamError> {
    let own_account = format!("arn:aws:iam::{}:", principal.account_id());
    let allowed = principal.is_root()
        && (resource == "*"
            || resource.starts_with(&own_account)
            || resource.starts_with(AWS_MANAGED_POLICY_ARN_PREFIX));
    if allowed {
        Ok(Authorized {
            principal: principal.clone(),
            action,
            resource: resource.to_owned(),
        })
    } else {
        Err(IamError::AccessDenied {
            action,
            resource: resource.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::AccountId;
    use crate::error::ErrorKind;

    fn root() -> Principal {
        Principal::Root {
            account_id: AccountId::parse("123456789012").unwrap(),
            email: "root@example.com".to_owned(),
        }
    }

    fn user() -> Principal {
        Principal::User {
            account_id: AccountId::parse("123456789012").unwrap(),
            user_id: "u1".to_owned(),
            name: "alice".to_owned(),
            path: "/".to_owned(),
        }
    }

    #[test]
    fn root_is_allowed_in_its_account() {
        let ok = decide(&root(), Action::GetAccountSummary, "*").unwrap();
        assert_eq!(ok.action(), Action::GetAccountSummary);
        assert!(
            decide(
                &root(),
                Action::ListUsers,
                "arn:aws:iam::123456789012:user/x"
            )
            .is_ok()
        );
    }

    #[test]
    fn root_is_denied_in_another_account() {
        let e = decide(
            &root(),
            Action::ListUsers,
            "arn:aws:iam::999999999999:user/x",
        )
        .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::AccessDenied);
    }

    #[test]
    fn root_may_read_aws_managed_policies() {
        let arn = "arn:aws:iam::aws:policy/PowerUserAccess";
        assert!(decide(&root(), Action::GetPolicy, arn).is_ok());
        assert!(decide(&user(), Action::GetPolicy, arn).is_err());
    }

    #[test]
    fn users_are_not_decided_as_root() {
        let e = decide(&user(), Action::GetAccountSummary, "*").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::AccessDenied);
        assert!(e.user_message().contains("`iam:GetAccountSummary` on `*`"));
    }

    fn compiled(documents: &[&str]) -> policy::CompiledPolicySet {
        let parsed: Vec<policy::PolicyDocument> = documents
            .iter()
            .map(|d| policy::parse(d).unwrap())
            .collect();
        let named: Vec<(String, &policy::PolicyDocument)> = parsed
            .iter()
            .enumerate()
            .map(|(i, d)| (format!("p{i}"), d))
            .collect();
        policy::CompiledPolicySet::new(&named, None)
    }

    #[test]
    fn a_user_gets_a_proof_only_when_a_policy_allows() {
        let allow = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "iam:List*", "Resource": "*"}}"#;
        let deny = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "iam:ListUsers", "Resource": "*"}}"#;
        let ctx = policy::Context::new;
        let only_allow = compiled(&[allow]);
        let proof =
            decide_by_policies(&user(), Action::ListGroups, "*", &only_allow, ctx()).unwrap();
        assert_eq!(
            (proof.action(), proof.resource()),
            (Action::ListGroups, "*")
        );
        let e =
            decide_by_policies(&user(), Action::CreateUser, "*", &only_allow, ctx()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::AccessDenied);
        let with_deny = compiled(&[allow, deny]);
        assert!(decide_by_policies(&user(), Action::ListGroups, "*", &with_deny, ctx()).is_ok());
        let e = decide_by_policies(&user(), Action::ListUsers, "*", &with_deny, ctx()).unwrap_err();
        assert!(e.user_message().contains("`iam:ListUsers` on `*`"));
    }

    #[test]
    fn a_proof_is_bound_to_its_action() {
        let ok = decide(&root(), Action::ListUsers, "*").unwrap();
        assert!(ok.require(Action::ListUsers).is_ok());
        assert!(ok.require(Action::DeleteUser).unwrap_err().is_internal());
    }
}
