//! ARNs of the account's IAM resources: building them, and reading back the
//! path and name a proof's resource names.

use crate::account::AccountId;
use crate::authz::AWS_MANAGED_POLICY_ARN_PREFIX;

/// The IAM resource types with an ARN of the form `<type><path><name>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Policy,
    Group,
    User,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Policy => "policy",
            Kind::Group => "group",
            Kind::User => "user",
        }
    }
}

/// `arn:aws:iam::<account>:<kind><path><name>`; `path` begins and ends with `/`.
pub(crate) fn build(account_id: &AccountId, kind: Kind, path: &str, name: &str) -> String {
    format!("arn:aws:iam::{account_id}:{}{path}{name}", kind.as_str())
}

/// The `(path, name)` of an ARN of `kind` in `account_id`, if it is one.
pub(crate) fn parse<'a>(
    arn: &'a str,
    account_id: &AccountId,
    kind: Kind,
) -> Option<(&'a str, &'a str)> {
    let rest = arn
        .strip_prefix("arn:aws:iam::")?
        .strip_prefix(account_id.as_str())?
        .strip_prefix(':')?
        .strip_prefix(kind.as_str())?;
    if !rest.starts_with('/') {
        return None;
    }
    let slash = rest.rfind('/')?;
    let (path, name) = rest.split_at(slash + 1);
    (!name.is_empty()).then_some((path, name))
}

/// Whether `arn` is in the AWS managed policies' namespace.
pub(crate) fn is_aws_managed(arn: &str) -> bool {
    arn.starts_with(AWS_MANAGED_POLICY_ARN_PREFIX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let account = AccountId::parse("123456789012").unwrap_or_else(|| unreachable!());
        let arn = build(&account, Kind::Group, "/eng/ops/", "Admins");
        assert_eq!(arn, "arn:aws:iam::123456789012:group/eng/ops/Admins");
        assert_eq!(
            parse(&arn, &account, Kind::Group),
            Some(("/eng/ops/", "Admins"))
        );
        assert_eq!(parse(&arn, &account, Kind::Policy), None);
        let other = AccountId::parse("999999999999").unwrap_or_else(|| unreachable!());
        assert_eq!(parse(&arn, &other, Kind::Group), None);
        assert_eq!(
            parse("arn:aws:iam::123456789012:group/", &account, Kind::Group),
            None
        );
        assert!(is_aws_managed("arn:aws:iam::aws:policy/ReadOnlyAccess"));
    }
}
