//! The global condition keys (`aws:` prefix) documented in the IAM User Guide
//! (`reference_policies_condition-keys.html`; extract in the shared spec
//! `global-condition-keys.json`). Keys ending in `tag-key` take any tag key there.

use serde::Serialize;

use super::KeyType;

/// A documented global condition key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct GlobalConditionKey {
    /// As documented, e.g. `aws:PrincipalTag/tag-key`.
    pub name: &'static str,
    pub key_type: KeyType,
    /// Whether the request context may carry several values.
    pub multivalued: bool,
}

const fn g(name: &'static str, key_type: KeyType, multivalued: bool) -> GlobalConditionKey {
    GlobalConditionKey {
        name,
        key_type,
        multivalued,
    }
}

/// Every documented global key: the 2023 snapshot, then the names added later (types from the
/// current docs).
pub const GLOBAL_CONDITION_KEYS: &[GlobalConditionKey] = &[
    g("aws:CalledVia", KeyType::String, true),
    g("aws:CalledViaFirst", KeyType::String, false),
    g("aws:CalledViaLast", KeyType::String, false),
    g("aws:CurrentTime", KeyType::Date, false),
    g("aws:Ec2InstanceSourceVpc", KeyType::String, false),
    g(
        "aws:Ec2InstanceSourcePrivateIPv4",
        KeyType::IpAddress,
        false,
    ),
    g("aws:EpochTime", KeyType::Date, false),
    g("aws:FederatedProvider", KeyType::String, false),
    g("aws:MultiFactorAuthAge", KeyType::Numeric, false),
    g("aws:MultiFactorAuthPresent", KeyType::Bool, false),
    g("aws:PrincipalAccount", KeyType::String, false),
    g("aws:PrincipalArn", KeyType::Arn, false),
    g("aws:PrincipalIsAWSService", KeyType::Bool, false),
    g("aws:PrincipalOrgID", KeyType::String, false),
    g("aws:PrincipalOrgPaths", KeyType::String, true),
    g("aws:PrincipalServiceName", KeyType::String, false),
    g("aws:PrincipalServiceNamesList", KeyType::String, true),
    g("aws:PrincipalTag/tag-key", KeyType::String, false),
    g("aws:PrincipalType", KeyType::String, false),
    g("aws:referer", KeyType::String, false),
    g("aws:RequestedRegion", KeyType::String, false),
    g("aws:RequestTag/tag-key", KeyType::String, false),
    g("aws:ResourceAccount", KeyType::String, false),
    g("aws:ResourceOrgID", KeyType::String, false),
    g("aws:ResourceOrgPaths", KeyType::String, true),
    g("aws:ResourceTag/tag-key", KeyType::String, false),
    g("aws:SecureTransport", KeyType::Bool, false),
    g("aws:SourceAccount", KeyType::String, false),
    g("aws:SourceArn", KeyType::Arn, false),
    g("aws:SourceIdentity", KeyType::String, false),
    g("aws:SourceIp", KeyType::IpAddress, false),
    g("aws:SourceVpc", KeyType::String, false),
    g("aws:SourceVpce", KeyType::String, false),
    g("aws:TagKeys", KeyType::String, true),
    g("aws:TokenIssueTime", KeyType::Date, false),
    g("aws:UserAgent", KeyType::String, false),
    g("aws:userid", KeyType::String, false),
    g("aws:username", KeyType::String, false),
    g("aws:ViaAWSService", KeyType::Bool, false),
    g("aws:VpcSourceIp", KeyType::IpAddress, false),
    g("aws:SourceOrgID", KeyType::String, false),
    g("aws:SourceOrgPaths", KeyType::String, true),
    g("aws:VpceAccount", KeyType::String, false),
    g("aws:VpceOrgID", KeyType::String, false),
    g("aws:VpceOrgPaths", KeyType::String, true),
    g("aws:SourceVpcArn", KeyType::Arn, false),
    g("aws:AssumedRoot", KeyType::Bool, false),
    // Not in the shared extract; used in `Bool` conditions by AWS managed policies (e.g.
    // AWSMcpServiceActionsFullAccess).
    g("aws:IsMcpServiceAction", KeyType::Bool, false),
];

const TAG_KEY: &str = "tag-key";

/// The global key matching `key` (case-insensitive).
pub(super) fn find(key: &str) -> Option<&'static GlobalConditionKey> {
    GLOBAL_CONDITION_KEYS
        .iter()
        .find(|g| match g.name.strip_suffix(TAG_KEY) {
            Some(prefix) => {
                key.len() > prefix.len()
                    && key
                        .get(..prefix.len())
                        .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
            }
            None => g.name.eq_ignore_ascii_case(key),
        })
}
