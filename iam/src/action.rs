//! The actions Portcullis authorizes, named as in AWS (`iam:CreateUser`), with what CloudTrail
//! records of them. Apart from the proofs in `authz`, so that errors and events can name an
//! action without depending on how it is decided.

use std::fmt;

use serde::{Deserialize, Serialize};

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
