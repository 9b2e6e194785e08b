//! The policies, user groups and users the console shows and edits (issue 4).
//! The contract with the console is `docs/design/policies-and-groups.md`.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::clock::UnixTime;
use crate::password::GeneratedPassword;

/// A resource tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    pub key: String,
    pub value: String,
}

/// Who maintains a managed policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PolicyType {
    AwsManaged,
    CustomerManaged,
}

/// Which policies a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum PolicyScope {
    #[default]
    All,
    AwsManaged,
    CustomerManaged,
}

/// One page of the policy list: `query` is a case-insensitive substring of the
/// name; `limit` is 1-100.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyFilter {
    pub query: String,
    pub scope: PolicyScope,
    pub offset: u32,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyListItem {
    pub arn: String,
    pub name: String,
    pub path: String,
    pub policy_type: PolicyType,
    /// "Used as": the groups and users it is attached to.
    pub attachment_count: u32,
    pub description: Option<String>,
    /// `None` for AWS managed policies (not in our data).
    pub created_at: Option<UnixTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyPage {
    pub items: Vec<PolicyListItem>,
    /// How many policies match the filter, over all pages.
    pub total: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPolicy {
    pub name: String,
    /// `None` is `/`.
    pub path: Option<String>,
    pub description: Option<String>,
    pub document: String,
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyVersionInfo {
    pub version_id: String,
    pub is_default: bool,
    pub created_at: Option<UnixTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyVersion {
    pub version_id: String,
    pub is_default: bool,
    pub created_at: Option<UnixTime>,
    pub document: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyDetails {
    pub arn: String,
    pub name: String,
    pub path: String,
    pub policy_type: PolicyType,
    pub description: Option<String>,
    pub created_at: Option<UnixTime>,
    pub updated_at: Option<UnixTime>,
    pub default_version_id: String,
    /// The default version's document.
    pub document: String,
    /// Newest first.
    pub versions: Vec<PolicyVersionInfo>,
    pub attachment_count: u32,
    pub tags: Vec<Tag>,
}

/// A group or user, by name and ARN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityRef {
    pub name: String,
    pub arn: String,
}

/// The groups and users a policy is attached to, each sorted by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyEntities {
    pub groups: Vec<EntityRef>,
    pub users: Vec<EntityRef>,
}

/// One page of the group list: `query` is a case-insensitive substring of the
/// name; `limit` is 1-100.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupFilter {
    pub query: String,
    pub offset: u32,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupListItem {
    pub name: String,
    pub arn: String,
    pub path: String,
    pub member_count: u32,
    /// Managed policies attached plus inline policies.
    pub policy_count: u32,
    pub created_at: UnixTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupPage {
    pub items: Vec<GroupListItem>,
    pub total: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewGroup {
    pub name: String,
    /// `None` is `/`.
    pub path: Option<String>,
    pub policy_arns: Vec<String>,
    pub user_names: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachedPolicy {
    pub arn: String,
    pub name: String,
    pub policy_type: PolicyType,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupDetails {
    pub name: String,
    pub arn: String,
    pub path: String,
    pub created_at: UnixTime,
    /// Sorted by name.
    pub members: Vec<EntityRef>,
    /// Sorted by name.
    pub attached_policies: Vec<AttachedPolicy>,
    /// Sorted by name.
    pub inline_policy_names: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InlinePolicy {
    pub name: String,
    pub document: String,
}

/// One page of the user list: `query` is a case-insensitive substring of the
/// name; `limit` is 1-100.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserFilter {
    pub query: String,
    /// Only users whose path starts with this (case-sensitive); `None` is every path.
    pub path_prefix: Option<String>,
    pub offset: u32,
    pub limit: u32,
}

/// One IAM user as `GetUser` describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserDetails {
    /// The unique id (`AIDA…`), IAM's `UserId`.
    pub user_id: String,
    pub name: String,
    pub path: String,
    pub arn: String,
    pub created_at: UnixTime,
    /// The last console sign-in; `None` is "Never".
    pub password_last_used_at: Option<UnixTime>,
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserListItem {
    /// The unique id (`AIDA…`), IAM's `UserId`.
    pub user_id: String,
    pub name: String,
    pub arn: String,
    pub path: String,
    pub created_at: UnixTime,
    /// The groups the user is in, sorted by name ignoring case.
    pub groups: Vec<String>,
    /// Whether the user has a console password (a login profile).
    pub console_access: bool,
    /// The last console sign-in; `None` is "Never".
    pub password_last_used_at: Option<UnixTime>,
    /// When the console password was set; `None` without one.
    pub password_changed_at: Option<UnixTime>,
}

impl UserListItem {
    /// Whole days since the password was set, for "Password age".
    pub fn password_age_days(&self, now: UnixTime) -> Option<i64> {
        self.password_changed_at
            .map(|at| now.secs_since(at).max(0) / 86_400)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPage {
    pub items: Vec<UserListItem>,
    pub total: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUser {
    pub name: String,
    /// `None` is `/`.
    pub path: Option<String>,
    pub tags: Vec<Tag>,
}

/// The console password of a new user or of a reset.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PasswordChoice {
    /// A random password, returned once as a [`GeneratedPassword`].
    Autogenerated,
    /// A password the administrator typed; checked against the password policy.
    Custom(String),
}

impl fmt::Debug for PasswordChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PasswordChoice::Autogenerated => f.write_str("Autogenerated"),
            PasswordChoice::Custom(_) => f.write_str("Custom(<redacted>)"),
        }
    }
}

/// One user of the Add users wizard (see `docs/design/users.md`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUserSpec {
    pub name: String,
    /// `None` is `/`.
    pub path: Option<String>,
    /// `None`: no console access.
    pub console_password: Option<PasswordChoice>,
    /// "User must create a new password at next sign-in"; ignored without
    /// console access.
    pub password_reset_required: bool,
    /// Groups to add the user to, by name.
    pub group_names: Vec<String>,
    /// Managed policies to attach directly.
    pub policy_arns: Vec<String>,
    /// A user whose groups and directly attached policies the new user gets too.
    pub copy_from: Option<String>,
    pub tags: Vec<Tag>,
}

impl NewUserSpec {
    /// A user with just a name: no console access, permissions or tags.
    pub fn named(name: impl Into<String>) -> NewUserSpec {
        NewUserSpec {
            name: name.into(),
            path: None,
            console_password: None,
            password_reset_required: false,
            group_names: Vec::new(),
            policy_arns: Vec::new(),
            copy_from: None,
            tags: Vec::new(),
        }
    }
}

/// A user `create_users` made. Not `Serialize`: it may hold a password
/// shown once; `Debug` redacts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedUser {
    pub name: String,
    pub arn: String,
    pub path: String,
    pub created_at: UnixTime,
    pub console_access: bool,
    pub password_reset_required: bool,
    /// `Some` only for an autogenerated password.
    pub password: Option<GeneratedPassword>,
}

/// A user's console password, as an administrator sees it (AWS's login profile).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginProfile {
    pub user_name: String,
    pub created_at: UnixTime,
    pub password_changed_at: UnixTime,
    pub password_reset_required: bool,
}
