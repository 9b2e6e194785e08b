//! Authorization that is hard to skip.
//!
//! Store methods that read or change IAM data take an `&Authorized`, which only
//! [`crate::Iam::authorize`] can make (its fields are private and it has no
//! public constructor). A handler that forgets to authorize does not compile.
//!
//! The root user may do everything in its account ([`decide`]). An IAM user
//! may do what its identity policies allow, decided by the `policy` engine
//! ([`decide_by_policies`], fed by `service/authorization.rs`).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::clock::UnixTime;
use crate::error::IamError;
use crate::principal::Principal;

/// The IAM actions the console performs, named as in AWS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    GetAccountSummary,
    ListUsers,
    GetUser,
    CreateUser,
    DeleteUser,
    ListGroups,
    ListPolicies,
    GetPolicy,
    GetPolicyVersion,
    ListPolicyVersions,
    CreatePolicy,
    CreatePolicyVersion,
    DeletePolicy,
    DeletePolicyVersion,
    SetDefaultPolicyVersion,
    TagPolicy,
    UntagPolicy,
    ListPolicyTags,
    ListEntitiesForPolicy,
    CreateGroup,
    GetGroup,
    UpdateGroup,
    DeleteGroup,
    AddUserToGroup,
    RemoveUserFromGroup,
    AttachGroupPolicy,
    DetachGroupPolicy,
    ListAttachedGroupPolicies,
    PutGroupPolicy,
    GetGroupPolicy,
    DeleteGroupPolicy,
    ListGroupPolicies,
    AttachUserPolicy,
    DetachUserPolicy,
    ListAttachedUserPolicies,
    ListGroupsForUser,
    CreateLoginProfile,
    GetLoginProfile,
    UpdateLoginProfile,
    DeleteLoginProfile,
    TagUser,
    UntagUser,
    ListUserTags,
    ChangePassword,
    GetAccountPasswordPolicy,
    UpdateAccountPasswordPolicy,
    DeleteAccountPasswordPolicy,
    CreateAccountAlias,
    DeleteAccountAlias,
    GenerateServiceLastAccessedDetails,
    CreateAccessKey,
    ListAccessKeys,
    UpdateAccessKey,
    DeleteAccessKey,
    /// `portcullis:Authorize`: asking the authorization API for decisions.
    Authorize,
    /// `cloudtrail:LookupEvents`: reading the Event history.
    LookupEvents,
}

impl Action {
    /// Every action, for registries and tests.
    pub const ALL: [Action; 56] = [
        Action::GetAccountSummary,
        Action::ListUsers,
        Action::GetUser,
        Action::CreateUser,
        Action::DeleteUser,
        Action::ListGroups,
        Action::ListPolicies,
        Action::GetPolicy,
        Action::GetPolicyVersion,
        Action::ListPolicyVersions,
        Action::CreatePolicy,
        Action::CreatePolicyVersion,
        Action::DeletePolicy,
        Action::DeletePolicyVersion,
        Action::SetDefaultPolicyVersion,
        Action::TagPolicy,
        Action::UntagPolicy,
        Action::ListPolicyTags,
        Action::ListEntitiesForPolicy,
        Action::CreateGroup,
        Action::GetGroup,
        Action::UpdateGroup,
        Action::DeleteGroup,
        Action::AddUserToGroup,
        Action::RemoveUserFromGroup,
        Action::AttachGroupPolicy,
        Action::DetachGroupPolicy,
        Action::ListAttachedGroupPolicies,
        Action::PutGroupPolicy,
        Action::GetGroupPolicy,
        Action::DeleteGroupPolicy,
        Action::ListGroupPolicies,
        Action::AttachUserPolicy,
        Action::DetachUserPolicy,
        Action::ListAttachedUserPolicies,
        Action::ListGroupsForUser,
        Action::CreateLoginProfile,
        Action::GetLoginProfile,
        Action::UpdateLoginProfile,
        Action::DeleteLoginProfile,
        Action::TagUser,
        Action::UntagUser,
        Action::ListUserTags,
        Action::ChangePassword,
        Action::GetAccountPasswordPolicy,
        Action::UpdateAccountPasswordPolicy,
        Action::DeleteAccountPasswordPolicy,
        Action::CreateAccountAlias,
        Action::DeleteAccountAlias,
        Action::GenerateServiceLastAccessedDetails,
        Action::CreateAccessKey,
        Action::ListAccessKeys,
        Action::UpdateAccessKey,
        Action::DeleteAccessKey,
        Action::Authorize,
        Action::LookupEvents,
    ];

    /// The policy-language name, e.g. `iam:GetAccountSummary`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Action::GetAccountSummary => "iam:GetAccountSummary",
            Action::ListUsers => "iam:ListUsers",
            Action::GetUser => "iam:GetUser",
            Action::CreateUser => "iam:CreateUser",
            Action::DeleteUser => "iam:DeleteUser",
            Action::ListGroups => "iam:ListGroups",
            Action::ListPolicies => "iam:ListPolicies",
            Action::GetPolicy => "iam:GetPolicy",
            Action::GetPolicyVersion => "iam:GetPolicyVersion",
            Action::ListPolicyVersions => "iam:ListPolicyVersions",
            Action::CreatePolicy => "iam:CreatePolicy",
            Action::CreatePolicyVersion => "iam:CreatePolicyVersion",
            Action::DeletePolicy => "iam:DeletePolicy",
            Action::DeletePolicyVersion => "iam:DeletePolicyVersion",
            Action::SetDefaultPolicyVersion => "iam:SetDefaultPolicyVersion",
            Action::TagPolicy => "iam:TagPolicy",
            Action::UntagPolicy => "iam:UntagPolicy",
            Action::ListPolicyTags => "iam:ListPolicyTags",
            Action::ListEntitiesForPolicy => "iam:ListEntitiesForPolicy",
            Action::CreateGroup => "iam:CreateGroup",
            Action::GetGroup => "iam:GetGroup",
            Action::UpdateGroup => "iam:UpdateGroup",
            Action::DeleteGroup => "iam:DeleteGroup",
            Action::AddUserToGroup => "iam:AddUserToGroup",
            Action::RemoveUserFromGroup => "iam:RemoveUserFromGroup",
            Action::AttachGroupPolicy => "iam:AttachGroupPolicy",
            Action::DetachGroupPolicy => "iam:DetachGroupPolicy",
            Action::ListAttachedGroupPolicies => "iam:ListAttachedGroupPolicies",
            Action::PutGroupPolicy => "iam:PutGroupPolicy",
            Action::GetGroupPolicy => "iam:GetGroupPolicy",
            Action::DeleteGroupPolicy => "iam:DeleteGroupPolicy",
            Action::ListGroupPolicies => "iam:ListGroupPolicies",
            Action::AttachUserPolicy => "iam:AttachUserPolicy",
            Action::DetachUserPolicy => "iam:DetachUserPolicy",
            Action::ListAttachedUserPolicies => "iam:ListAttachedUserPolicies",
            Action::ListGroupsForUser => "iam:ListGroupsForUser",
            Action::CreateLoginProfile => "iam:CreateLoginProfile",
            Action::GetLoginProfile => "iam:GetLoginProfile",
            Action::UpdateLoginProfile => "iam:UpdateLoginProfile",
            Action::DeleteLoginProfile => "iam:DeleteLoginProfile",
            Action::TagUser => "iam:TagUser",
            Action::UntagUser => "iam:UntagUser",
            Action::ListUserTags => "iam:ListUserTags",
            Action::ChangePassword => "iam:ChangePassword",
            Action::GetAccountPasswordPolicy => "iam:GetAccountPasswordPolicy",
            Action::UpdateAccountPasswordPolicy => "iam:UpdateAccountPasswordPolicy",
            Action::DeleteAccountPasswordPolicy => "iam:DeleteAccountPasswordPolicy",
            Action::CreateAccountAlias => "iam:CreateAccountAlias",
            Action::DeleteAccountAlias => "iam:DeleteAccountAlias",
            Action::GenerateServiceLastAccessedDetails => "iam:GenerateServiceLastAccessedDetails",
            Action::CreateAccessKey => "iam:CreateAccessKey",
            Action::ListAccessKeys => "iam:ListAccessKeys",
            Action::UpdateAccessKey => "iam:UpdateAccessKey",
            Action::DeleteAccessKey => "iam:DeleteAccessKey",
            Action::Authorize => "portcullis:Authorize",
            Action::LookupEvents => "cloudtrail:LookupEvents",
        }
    }

    /// The name without the `iam:` prefix, as CloudTrail's `eventName`.
    pub fn name(self) -> &'static str {
        let s = self.as_str();
        s.split_once(':').map_or(s, |(_, name)| name)
    }

    /// Whether the action only reads (CloudTrail's `readOnly`).
    pub fn is_read_only(self) -> bool {
        matches!(
            self,
            Action::GetAccountSummary
                | Action::ListUsers
                | Action::GetUser
                | Action::ListGroups
                | Action::ListPolicies
                | Action::GetPolicy
                | Action::GetPolicyVersion
                | Action::ListPolicyVersions
                | Action::ListPolicyTags
                | Action::ListEntitiesForPolicy
                | Action::GetGroup
                | Action::ListAttachedGroupPolicies
                | Action::GetGroupPolicy
                | Action::ListGroupPolicies
                | Action::ListAttachedUserPolicies
                | Action::ListGroupsForUser
                | Action::ListUserTags
                | Action::GetLoginProfile
                | Action::GetAccountPasswordPolicy
                | Action::ListAccessKeys
                | Action::Authorize
                | Action::LookupEvents
                // Starts a report job in AWS; it changes nothing.
                | Action::GenerateServiceLastAccessedDetails
        )
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

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
    fn action_names() {
        assert_eq!(Action::GetAccountSummary.as_str(), "iam:GetAccountSummary");
        assert_eq!(Action::GetAccountSummary.name(), "GetAccountSummary");
        assert_eq!(Action::Authorize.name(), "Authorize");
        for a in Action::ALL {
            let (service, name) = a.as_str().split_once(':').unwrap();
            assert!(
                matches!(service, "iam" | "portcullis" | "cloudtrail"),
                "{a}"
            );
            assert_eq!(a.name(), name);
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
    fn read_only_actions_are_gets_and_lists() {
        for a in Action::ALL {
            let name = a.name();
            let reads = name.starts_with("Get")
                || name.starts_with("List")
                || name == "GenerateServiceLastAccessedDetails"
                || name == "Authorize"
                || name == "LookupEvents";
            assert_eq!(a.is_read_only(), reads, "{name}");
        }
        let unique: std::collections::HashSet<_> = Action::ALL.iter().collect();
        assert_eq!(unique.len(), Action::ALL.len());
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
