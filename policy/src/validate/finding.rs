//! Findings: what the validator reports, in the shape of IAM Access Analyzer's `ValidatePolicy`
//! (finding type, issue code, details, learn-more link, location).

use serde::{Deserialize, Serialize};

use crate::span::Span;

/// How serious a finding is. Only [`FindingType::Error`] blocks saving a policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FindingType {
    Error,
    SecurityWarning,
    Warning,
    Suggestion,
}

impl FindingType {
    /// The label the console shows, e.g. `Security warning`.
    pub fn label(self) -> &'static str {
        match self {
            FindingType::Error => "Error",
            FindingType::SecurityWarning => "Security warning",
            FindingType::Warning => "Warning",
            FindingType::Suggestion => "Suggestion",
        }
    }
}

/// Where a finding is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    /// The statement the finding is about, if any (0-based).
    pub statement_index: Option<usize>,
    /// The element, e.g. `Statement[0].Action[2]` or `Statement[1].Condition.StringEquals.aws:SourceIp`.
    pub path: String,
    /// The source text of the element.
    pub span: Span,
}

/// One validation finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub finding_type: FindingType,
    /// The Access Analyzer issue code, e.g. `INVALID_ACTION`.
    pub issue_code: String,
    /// Lowercase, no final period, offending input in backticks, with the fix.
    pub message: String,
    /// The Access Analyzer documentation of the check.
    pub learn_more: String,
    pub location: Location,
}

const DOC: &str =
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html";

/// The documentation anchor of a check: the page plus `#access-analyzer-reference-policy-checks-`
/// and the fragment from the checks catalogue; the page alone for checks newer than it.
pub(crate) fn learn_more(code: &str) -> String {
    let fragment = match code {
        "ARN_ACCOUNT_NOT_ALLOWED" => "error-arn-account-not-allowed",
        "ARN_REGION_NOT_ALLOWED" => "error-arn-region-not-allowed",
        "DATA_TYPE_MISMATCH" => "error-data-type-mismatch",
        "DUPLICATE_KEYS_WITH_DIFFERENT_CASE" => "error-duplicate-keys-with-different-case",
        "INVALID_ACTION" => "error-invalid-action",
        "INVALID_ARN_ACCOUNT" => "error-invalid-arn-account",
        "INVALID_ARN_PREFIX" => "error-invalid-arn-prefix",
        "INVALID_ARN_REGION" => "error-invalid-arn-region",
        "INVALID_ARN_RESOURCE" => "error-invalid-arn-resource",
        "INVALID_ARN_SERVICE_CASE" => "error-invalid-arn-service-case",
        "INVALID_CONDITION_DATA_TYPE" => "error-invalid-condition-data-type",
        "INVALID_CONDITION_KEY_FORMAT" => "error-invalid-condition-key-format",
        "INVALID_CONDITION_MULTIPLE_BOOLEAN" => "error-invalid-condition-multiple-boolean",
        "INVALID_CONDITION_OPERATOR" => "error-invalid-condition-operator",
        "INVALID_EFFECT" => "error-invalid-effect",
        "INVALID_GLOBAL_CONDITION_KEY" => "error-invalid-global-condition-key",
        "INVALID_PARTITION" => "error-invalid-partition",
        "INVALID_POLICY_ELEMENT" => "error-invalid-policy-element",
        "INVALID_REGION" => "error-invalid-region",
        "INVALID_SERVICE" => "error-invalid-service",
        "INVALID_SERVICE_CONDITION_KEY" => "error-invalid-service-condition-key",
        "INVALID_SERVICE_IN_ACTION" => "error-invalid-service-in-action",
        "INVALID_VARIABLE_FOR_OPERATOR" => "error-invalid-variable-for-operator",
        "INVALID_VERSION" => "error-invalid-version",
        "JSON_SYNTAX_ERROR" => "error-json-syntax-error",
        "MISSING_ACTION" => "error-missing-action",
        "MISSING_ARN_FIELD" => "error-missing-arn-field",
        "MISSING_ARN_REGION" => "error-missing-arn-region",
        "MISSING_EFFECT" => "error-missing-effect",
        "MISSING_QUALIFIER" => "error-missing-qualifier",
        "MISSING_RESOURCE" => "error-missing-resource",
        "MISSING_STATEMENT" => "error-missing-statement",
        "NULL_WITH_IF_EXISTS" => "error-null-with-if-exists",
        "UNIQUE_SIDS_REQUIRED" => "error-unique-sids-required",
        "UNSUPPORTED_ELEMENT_COMBINATION" => "error-unsupported-element-combination",
        "UNSUPPORTED_GLOBAL_CONDITION_KEY" => "error-unsupported-global-condition-key",
        "UNSUPPORTED_PRINCIPAL" => "error-unsupported-principal",
        "UNSUPPORTED_SID" => "error-unsupported-sid",
        "MISSING_BRACE_IN_VARIABLE" => "error-missing-brace-in-variable",
        "MISSING_QUOTE_IN_VARIABLE" => "error-missing-quote-in-variable",
        "UNSUPPORTED_SPACE_IN_VARIABLE" => "error-unsupported-space-in-variable",
        "EMPTY_VARIABLE" => "error-empty-variable",
        "VARIABLE_UNSUPPORTED_IN_ELEMENT" => "error-variable-unsupported-in-element",
        "VARIABLE_UNSUPPORTED_IN_VERSION" => "error-variable-unsupported-in-version",
        "PRIVATE_IP_ADDRESS" => "error-private-ip-address",
        "PRIVATE_NOTIPADDRESS" => "error-private-not-ip-address",
        "MISSING_TAG_KEY_IN_CONDITION" => "error-missing-tag-key-in-condition",
        "INVALID_VPC_FORMAT" => "error-invalid-vpc-format",
        "INVALID_VPCE_FORMAT" => "error-invalid-vpce-format",
        "CREATE_SLR_WITH_NOTRESOURCE" => "general-warning-create-slr-with-not-resource",
        "CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOTRESOURCE" => {
            "general-warning-create-slr-with-star-in-action-and-not-resource"
        }
        "CREATE_SLR_WITH_NOTACTION_AND_NOTRESOURCE" => {
            "general-warning-create-slr-with-not-action-and-not-resource"
        }
        "CREATE_SLR_WITH_STAR_IN_RESOURCE" => "general-warning-create-slr-with-star-in-resource",
        "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE" => {
            "general-warning-create-slr-with-star-in-action-and-resource"
        }
        "CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOTACTION" => {
            "general-warning-create-slr-with-star-in-resource-and-not-action"
        }
        "DEPRECATED_GLOBAL_CONDITION_KEY" => "general-warning-deprecated-global-condition-key",
        "INVALID_DATE_VALUE" => "general-warning-invalid-date-value",
        "MISSING_VERSION" => "general-warning-missing-version",
        "WILDCARD_WITHOUT_LIKE_OPERATOR" => "general-warning-wildcard-without-like-operator",
        "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA" => {
            "general-warning-policy-size-exceeds-identity-policy-quota"
        }
        "TYPE_MISMATCH" => "general-warning-type-mismatch",
        "TYPE_MISMATCH_BOOLEAN" => "general-warning-type-mismatch-boolean",
        "TYPE_MISMATCH_DATE" => "general-warning-type-mismatch-date",
        "TYPE_MISMATCH_IP_RANGE" => "general-warning-type-mismatch-ip-range",
        "TYPE_MISMATCH_NUMBER" => "general-warning-type-mismatch-number",
        "TYPE_MISMATCH_STRING" => "general-warning-type-mismatch-string",
        "FORALLVALUES_WITH_SINGLE_VALUED_KEY" => {
            "security-warning-forallvalues-with-single-valued-key"
        }
        "PASS_ROLE_WITH_NOTRESOURCE" => "security-warning-pass-role-with-not-resource",
        "PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOTRESOURCE" => {
            "security-warning-pass-role-with-star-in-action-and-not-resource"
        }
        "PASS_ROLE_WITH_NOTACTION_AND_NOTRESOURCE" => {
            "security-warning-pass-role-with-not-action-and-not-resource"
        }
        "PASS_ROLE_WITH_STAR_IN_RESOURCE" => "security-warning-pass-role-with-star-in-resource",
        "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE" => {
            "security-warning-pass-role-with-star-in-action-and-resource"
        }
        "PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOTACTION" => {
            "security-warning-pass-role-with-star-in-resource-and-not-action"
        }
        "MISSING_PAIRED_CONDITION_KEYS" => "security-warning-missing-paired-condition-keys",
        "DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE" => {
            "security-warning-deny-with-unsupported-tag-condition-key-for-service"
        }
        "DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE" => {
            "security-warning-deny-notaction-with-unsupported-tag-condition-key-for-service"
        }
        "EMPTY_ARRAY_CONDITION" => "suggestion-empty-array-condition",
        "EMPTY_ARRAY_CONDITION_FORALLVALUES" => "suggestion-empty-array-condition-forallvalues",
        "EMPTY_ARRAY_CONDITION_FORANYVALUE" => "suggestion-empty-array-condition-foranyvalue",
        "EMPTY_ARRAY_CONDITION_IFEXISTS" => "suggestion-empty-array-condition-ifexists",
        "EMPTY_OBJECT_CONDITION" => "suggestion-empty-object-condition",
        "EMPTY_SID_VALUE" => "suggestion-empty-sid-value",
        "IMPROVE_IP_RANGE" => "suggestion-improve-ip-range",
        "NULL_WITH_QUALIFIER" => "suggestion-null-with-qualifier",
        "PRIVATE_IP_ADDRESS_SUBSET" => "suggestion-private-ip-address-subset",
        "PRIVATE_NOTIPADDRESS_SUBSET" => "suggestion-private-not-ip-address-subset",
        "REDUNDANT_ACTION" => "suggestion-redundant-action",
        "REDUNDANT_CONDITION_VALUE_NUM" => "suggestion-redundant-condition-value-num",
        "REDUNDANT_RESOURCE" => "suggestion-redundant-resource",
        "REDUNDANT_STATEMENT" => "suggestion-redundant-statement",
        "WILDCARD_IN_SERVICE_NAME" => "suggestion-wildcard-in-service-name",
        "ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE" => {
            "suggestion-allow-with-unsupported-tag-condition-key-for-service"
        }
        "ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE" => {
            "suggestion-allow-notaction-with-unsupported-tag-condition-key-for-service"
        }
        _ => return DOC.to_owned(),
    };
    format!("{DOC}#access-analyzer-reference-policy-checks-{fragment}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finding_types_serialize_like_access_analyzer() {
        let json = serde_json::to_string(&FindingType::SecurityWarning).unwrap();
        assert_eq!(json, "\"SECURITY_WARNING\"");
        assert!(FindingType::Error < FindingType::Suggestion);
    }

    #[test]
    fn validations_round_trip_through_json() {
        let validation = crate::validate::validate(
            r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObjct","Resource":"*"}]}"#,
        );
        assert_eq!(validation.findings.len(), 2);
        let json = serde_json::to_string(&validation).unwrap();
        assert!(json.contains("\"finding_type\":\"ERROR\""));
        let back: crate::validate::Validation = serde_json::from_str(&json).unwrap();
        assert_eq!(back, validation);
    }

    #[test]
    fn links_point_at_the_check() {
        assert!(
            learn_more("INVALID_ACTION")
                .ends_with("#access-analyzer-reference-policy-checks-error-invalid-action")
        );
        assert_eq!(learn_more("EQUIVALENT_TO_NULL_FALSE"), DOC);
    }
}
