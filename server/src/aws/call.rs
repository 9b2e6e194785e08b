//! One authenticated API call: who makes it, from where, and the helpers every operation uses
//! to authorize it and read its input.

use iam::{Action, Authorized, Iam, IamError, KeyHolder, RequestFacts, RequestMeta, UnixTime};
use serde_json::Value;

use super::errors::AwsError;

pub(crate) struct Call<'a> {
    pub(crate) iam: &'a Iam,
    pub(crate) caller: &'a KeyHolder,
    /// Source address, user agent and access key id, for the Event history.
    pub(crate) meta: RequestMeta,
    pub(crate) facts: RequestFacts,
    pub(crate) now: UnixTime,
}

impl Call<'_> {
    /// Decides `action` on `resource` for the caller, as the console does for a signed-in user.
    pub(crate) async fn authorize(
        &self,
        action: Action,
        resource: &str,
    ) -> Result<Authorized, AwsError> {
        self.iam
            .authorize_request(&self.caller.principal, action, resource, &self.facts)
            .await
            .map_err(|e| self.fail(e))
    }

    /// A domain error in AWS's words, naming this caller where IAM does.
    pub(crate) fn fail(&self, error: IamError) -> AwsError {
        AwsError::from_iam(error, &self.caller.principal.arn())
    }
}

/// A string member of a decoded input.
pub(crate) fn text<'v>(input: &'v Value, member: &str) -> Option<&'v str> {
    input.get(member).and_then(Value::as_str)
}

/// A required string member; the model's validation has already refused a request without it.
pub(crate) fn required<'v>(input: &'v Value, member: &str) -> Result<&'v str, AwsError> {
    text(input, member).ok_or_else(|| {
        AwsError::new(
            "ValidationError",
            format!(
                "1 validation error detected: Value null at '{}' failed to satisfy constraint: \
                 Member must not be null",
                lower_first(member)
            ),
        )
    })
}

fn lower_first(member: &str) -> String {
    let mut chars = member.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_lowercase().chain(chars).collect()
    })
}
