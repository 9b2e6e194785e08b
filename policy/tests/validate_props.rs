//! Properties of the validator: it never panics, whatever the input, and it never reports an
//! ERROR finding for a policy that `policy::parse` accepts unless the finding is about the AWS
//! catalog or values (so that the parser and the validator agree on structure).

use policy::validate::{FindingType, validate};
use proptest::prelude::*;

/// Fragments that policies are made of, to build inputs close to real policies.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("{".to_owned()),
        Just("}".to_owned()),
        Just("[".to_owned()),
        Just("]".to_owned()),
        Just(",".to_owned()),
        Just(":".to_owned()),
        Just("\"Version\"".to_owned()),
        Just("\"2012-10-17\"".to_owned()),
        Just("\"Statement\"".to_owned()),
        Just("\"Effect\"".to_owned()),
        Just("\"Allow\"".to_owned()),
        Just("\"Action\"".to_owned()),
        Just("\"NotAction\"".to_owned()),
        Just("\"Resource\"".to_owned()),
        Just("\"Condition\"".to_owned()),
        Just("\"StringLike\"".to_owned()),
        Just("\"ForAllValues:StringEquals\"".to_owned()),
        Just("\"aws:SourceIp\"".to_owned()),
        Just("\"aws:TagKeys\"".to_owned()),
        Just("\"s3:Get*\"".to_owned()),
        Just("\"iam:PassRole\"".to_owned()),
        Just("\"*\"".to_owned()),
        Just("\"arn:aws:s3:::b/${aws:username}\"".to_owned()),
        Just("\"arn:aws:iam::123456789012:role/*\"".to_owned()),
        Just("\"10.0.0.1/8\"".to_owned()),
        Just("\"${\"".to_owned()),
        Just("1e9".to_owned()),
        Just("true".to_owned()),
        "\"[a-zA-Z0-9:*?/${}-]{0,12}\"".prop_map(|s| s),
    ]
}

/// A JSON value for a policy element: usually plausible, sometimes of the wrong type.
fn element() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::json;
    prop_oneof![
        Just(json!("Allow")),
        Just(json!("Deny")),
        Just(json!("*")),
        Just(json!("s3:GetObject")),
        Just(json!(["s3:Get*", "iam:PassRole", "s3:getobject"])),
        Just(json!([
            "arn:aws:s3:::b/*",
            "arn:aws:s3:::b/x",
            "arn:aws:iam::123456789012:user/${aws:username}"
        ])),
        Just(json!("arn:aws:ec2::123:instance/*")),
        Just(json!([])),
        Just(json!({})),
        Just(json!(null)),
        Just(json!(12)),
        Just(
            json!({"StringEquals": {"aws:username": ["a", "b*"]}, "Null": {"aws:TagKeys": "false"}})
        ),
        Just(
            json!({"ForAllValues:StringLike": {"aws:TagKeys": []}, "IpAddress": {"aws:SourceIp": "10.0.0.1/8"}})
        ),
        Just(
            json!({"Bool": {"aws:SecureTransport": ["true", false]}, "NumericLessThan": {"aws:MultiFactorAuthAge": [1, "x"]}})
        ),
        Just(json!({"stringEquals": {"s3:prefix": {"a": 1}}})),
        Just(json!({"AWS": "*"})),
    ]
}

/// A policy object with random elements, some of them misspelt or of the wrong type.
fn policy_value() -> impl Strategy<Value = serde_json::Value> {
    let statement = prop::collection::btree_map(
        prop::sample::select(vec![
            "Sid",
            "Effect",
            "Action",
            "NotAction",
            "Resource",
            "NotResource",
            "Condition",
            "Principal",
            "effect",
        ]),
        element(),
        0..7,
    );
    (
        prop::option::of(prop::sample::select(vec![
            "2012-10-17",
            "2008-10-17",
            "2020-01-01",
        ])),
        prop::collection::vec(statement, 0..4),
    )
        .prop_map(|(version, statements)| {
            let mut policy = serde_json::Map::new();
            if let Some(v) = version {
                policy.insert("Version".into(), v.into());
            }
            let statements: Vec<serde_json::Value> = statements
                .into_iter()
                .map(|s| s.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
                .collect();
            policy.insert("Statement".into(), statements.into());
            serde_json::Value::Object(policy)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn never_panics_on_text(src in "\\PC{0,200}") {
        let _ = validate(&src);
    }

    #[test]
    fn never_panics_on_policy_like_text(parts in prop::collection::vec(fragment(), 0..60)) {
        let _ = validate(&parts.concat());
    }

    #[test]
    fn a_syntax_error_is_the_only_finding(parts in prop::collection::vec(fragment(), 0..40)) {
        let src = parts.concat();
        let result = validate(&src);
        if policy::json::parse_json(&src).is_err() {
            prop_assert_eq!(result.findings.len(), 1);
            prop_assert_eq!(&result.findings[0].issue_code, "JSON_SYNTAX_ERROR");
        }
    }

    #[test]
    fn refused_structured_policies_have_an_error(policy in policy_value()) {
        let src = serde_json::to_string_pretty(&policy).unwrap_or_default();
        let result = validate(&src);
        if policy::parse(&src).is_err() {
            prop_assert!(result.findings.iter().any(|f| f.finding_type == FindingType::Error), "{src}");
        }
        // The validator's own checks catch what the parser refuses: its fallback finding (no
        // path) never shows up.
        prop_assert!(
            !result.findings.iter().any(|f| f.issue_code == "INVALID_POLICY_ELEMENT" && f.location.path.is_empty()),
            "{src}\n{:#?}", result.findings
        );
    }

    #[test]
    fn refused_policies_have_an_error(parts in prop::collection::vec(fragment(), 0..60)) {
        let src = parts.concat();
        if policy::parse(&src).is_err() {
            prop_assert!(validate(&src).findings.iter().any(|f| f.finding_type == FindingType::Error));
        }
    }
}
