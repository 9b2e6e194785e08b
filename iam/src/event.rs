//! The audit trail: CloudTrail-shaped records, written in the same
//! transaction as the change they record.
// Upstream: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html

use serde_json::Value;

use crate::account::AccountId;
use crate::action::Action;
use crate::clock::UnixTime;
use crate::principal::Principal;

/// Who sent a request, as the server saw it. `Default` is empty strings, for
/// when a request's details are unavailable.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestMeta {
    pub source_ip: String,
    pub user_agent: String,
    /// The access key that signed the request, for calls through the AWS API
    /// (CloudTrail's `userIdentity.accessKeyId`).
    pub access_key_id: Option<String>,
}

const MAX_SOURCE_IP_CHARS: usize = 64;
const MAX_USER_AGENT_CHARS: usize = 512;

impl RequestMeta {
    pub fn new(source_ip: impl Into<String>, user_agent: impl Into<String>) -> RequestMeta {
        RequestMeta {
            source_ip: source_ip.into(),
            user_agent: user_agent.into(),
            access_key_id: None,
        }
    }

    /// The same request, signed with `access_key_id`.
    pub fn with_access_key(mut self, access_key_id: &str) -> RequestMeta {
        self.access_key_id = Some(access_key_id.to_owned());
        self
    }

    /// For changes made with the `portcullis` command on the server itself.
    pub fn command_line(command: &str) -> RequestMeta {
        RequestMeta::new("localhost", format!("portcullis {command}"))
    }

    /// The values are client-controlled; clip them so a huge header cannot
    /// bloat the database.
    pub(crate) fn source_ip_clipped(&self) -> String {
        self.source_ip.chars().take(MAX_SOURCE_IP_CHARS).collect()
    }

    pub(crate) fn user_agent_clipped(&self) -> String {
        self.user_agent.chars().take(MAX_USER_AGENT_CHARS).collect()
    }
}

/// The kinds of events recorded, named as in CloudTrail where AWS has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventName {
    /// A console sign-in attempt, successful or not.
    ConsoleLogin,
    /// The root user was created (through the setup link or the CLI).
    CreateRootUser,
    /// An IAM API call, named after its action (`CreatePolicy`, ...).
    Iam(Action),
}

impl EventName {
    pub fn as_str(self) -> &'static str {
        match self {
            EventName::ConsoleLogin => "ConsoleLogin",
            EventName::CreateRootUser => "CreateRootUser",
            EventName::Iam(action) => action.name(),
        }
    }

    /// CloudTrail's `eventSource`.
    pub fn source(self) -> &'static str {
        match self {
            EventName::ConsoleLogin => "signin.amazonaws.com",
            EventName::Iam(action) => match action.as_str().split_once(':') {
                Some(("cloudtrail", _)) => "cloudtrail.amazonaws.com",
                Some(("portcullis", _)) => "portcullis.amazonaws.com",
                _ => "iam.amazonaws.com",
            },
            EventName::CreateRootUser => "iam.amazonaws.com",
        }
    }

    pub fn is_read_only(self) -> bool {
        match self {
            EventName::ConsoleLogin | EventName::CreateRootUser => false,
            EventName::Iam(action) => action.is_read_only(),
        }
    }
}

impl From<Action> for EventName {
    fn from(action: Action) -> EventName {
        EventName::Iam(action)
    }
}

/// CloudTrail hides the user name of a failed sign-in to a name that does not
/// exist, so the trail does not collect mistyped passwords.
pub(crate) const HIDDEN_USER_NAME: &str = "HIDDEN_DUE_TO_SECURITY_REASONS";

/// An event about to be written. Never put a secret (password, token) in the
/// JSON fields.
#[derive(Debug, Clone)]
pub(crate) struct NewEvent {
    pub(crate) name: EventName,
    pub(crate) time: UnixTime,
    pub(crate) account_id: AccountId,
    pub(crate) identity_type: Option<&'static str>,
    pub(crate) user_arn: Option<String>,
    pub(crate) user_name: Option<String>,
    pub(crate) meta: RequestMeta,
    pub(crate) request_parameters: Option<Value>,
    pub(crate) response_elements: Option<Value>,
    pub(crate) error_code: Option<&'static str>,
    pub(crate) error_message: Option<String>,
    pub(crate) resources: Option<Value>,
    /// The access key that signed the request (authorization API calls).
    pub(crate) access_key_id: Option<String>,
}

impl NewEvent {
    pub(crate) fn new(
        name: EventName,
        account_id: &AccountId,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> NewEvent {
        NewEvent {
            name,
            time: now,
            account_id: account_id.clone(),
            identity_type: None,
            user_arn: None,
            user_name: None,
            meta: meta.clone(),
            request_parameters: None,
            response_elements: None,
            error_code: None,
            error_message: None,
            resources: None,
            access_key_id: meta.access_key_id.clone(),
        }
    }

    /// Sets `userIdentity` from the acting principal.
    pub(crate) fn by(mut self, principal: &Principal) -> NewEvent {
        self.identity_type = Some(principal.identity_type());
        self.user_arn = Some(principal.arn());
        self.user_name = Some(principal.user_name().to_owned());
        self
    }

    /// Sets `userIdentity` for a sign-in to a name that does not exist.
    pub(crate) fn by_unknown(mut self, identity_type: &'static str) -> NewEvent {
        self.identity_type = Some(identity_type);
        self.user_name = Some(HIDDEN_USER_NAME.to_owned());
        self
    }

    pub(crate) fn request(mut self, parameters: Value) -> NewEvent {
        self.request_parameters = Some(parameters);
        self
    }

    pub(crate) fn response(mut self, elements: Value) -> NewEvent {
        self.response_elements = Some(elements);
        self
    }

    pub(crate) fn failed(mut self, code: &'static str, message: impl Into<String>) -> NewEvent {
        self.error_code = Some(code);
        self.error_message = Some(message.into());
        self
    }

    pub(crate) fn resources(mut self, resources: Value) -> NewEvent {
        self.resources = Some(resources);
        self
    }

    /// Sets the access key the request was signed with (CloudTrail's
    /// `userIdentity.accessKeyId`, a lookup attribute).
    #[allow(
        dead_code,
        reason = "for the authorization API to record the key of its decisions"
    )]
    pub(crate) fn with_access_key(mut self, access_key_id: &str) -> NewEvent {
        self.access_key_id = Some(access_key_id.to_owned());
        self
    }
}

/// CloudTrail's resource type and name for an IAM ARN
/// (`arn:aws:iam::123456789012:group/path/Admins` is `AWS::IAM::Group`,
/// `Admins`), or `None` for an ARN that names no IAM resource.
pub(crate) fn resource_of_arn(arn: &str) -> Option<(String, String)> {
    let rest = arn.strip_prefix("arn:aws:iam::")?;
    let (_account, resource) = rest.split_once(':')?;
    let (kind, path_and_name) = resource.split_once('/')?;
    let name = path_and_name.rsplit('/').next().unwrap_or(path_and_name);
    let kind = match kind {
        "user" => "User".to_owned(),
        "group" => "Group".to_owned(),
        "policy" => "Policy".to_owned(),
        other => other.to_owned(),
    };
    Some((format!("AWS::IAM::{kind}"), name.to_owned()))
}

/// CloudTrail's lookup attributes (`AttributeKey`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LookupAttribute {
    EventName,
    Username,
    ResourceType,
    ResourceName,
    EventSource,
    ReadOnly,
    AccessKeyId,
}

impl LookupAttribute {
    pub const ALL: [LookupAttribute; 7] = [
        LookupAttribute::EventName,
        LookupAttribute::Username,
        LookupAttribute::ResourceType,
        LookupAttribute::ResourceName,
        LookupAttribute::EventSource,
        LookupAttribute::ReadOnly,
        LookupAttribute::AccessKeyId,
    ];

    /// AWS's `AttributeKey` spelling, e.g. `EventName`.
    pub fn as_str(self) -> &'static str {
        match self {
            LookupAttribute::EventName => "EventName",
            LookupAttribute::Username => "Username",
            LookupAttribute::ResourceType => "ResourceType",
            LookupAttribute::ResourceName => "ResourceName",
            LookupAttribute::EventSource => "EventSource",
            LookupAttribute::ReadOnly => "ReadOnly",
            LookupAttribute::AccessKeyId => "AccessKeyId",
        }
    }

    /// The console's label, e.g. `Event name`.
    pub fn label(self) -> &'static str {
        match self {
            LookupAttribute::EventName => "Event name",
            LookupAttribute::Username => "User name",
            LookupAttribute::ResourceType => "Resource type",
            LookupAttribute::ResourceName => "Resource name",
            LookupAttribute::EventSource => "Event source",
            LookupAttribute::ReadOnly => "Read only",
            LookupAttribute::AccessKeyId => "Access key id",
        }
    }

    pub fn parse(key: &str) -> Option<LookupAttribute> {
        LookupAttribute::ALL.into_iter().find(|a| a.as_str() == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action::Action;

    #[test]
    fn resources_of_arns() {
        let of = |arn| resource_of_arn(arn).map(|(t, n)| format!("{t} {n}"));
        assert_eq!(
            of("arn:aws:iam::123456789012:group/Admins").as_deref(),
            Some("AWS::IAM::Group Admins")
        );
        assert_eq!(
            of("arn:aws:iam::123456789012:user/division/mary").as_deref(),
            Some("AWS::IAM::User mary")
        );
        assert_eq!(
            of("arn:aws:iam::aws:policy/PowerUserAccess").as_deref(),
            Some("AWS::IAM::Policy PowerUserAccess")
        );
        assert_eq!(of("arn:aws:iam::123456789012:root"), None);
        assert_eq!(of("arn:aws:s3:::bucket/key"), None);
    }

    #[test]
    fn event_sources() {
        assert_eq!(EventName::ConsoleLogin.source(), "signin.amazonaws.com");
        assert_eq!(
            EventName::Iam(Action::CreateGroup).source(),
            "iam.amazonaws.com"
        );
        assert_eq!(
            EventName::Iam(Action::LookupEvents).source(),
            "cloudtrail.amazonaws.com"
        );
    }
}
