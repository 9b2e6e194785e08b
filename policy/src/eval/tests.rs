use super::*;
use crate::parse;

#[test]
fn request_and_response_round_trip_through_json() {
    let r: Request = serde_json::from_str(
        r#"{"action": "s3:GetObject", "resource": "arn:aws:s3:::b/k",
            "context": {"AWS:SecureTransport": true, "s3:max-keys": 10, "aws:TagKeys": ["a", false]}}"#,
    )
    .unwrap();
    assert_eq!(
        r.context.get("aws:securetransport"),
        Some(&ContextValue::Single("true".into()))
    );
    assert_eq!(
        r.context.get("S3:Max-Keys"),
        Some(&ContextValue::Single("10".into()))
    );
    assert_eq!(
        r.context.get("aws:tagkeys"),
        Some(&ContextValue::Multi(vec!["a".into(), "false".into()]))
    );
    let back: Request = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
    assert_eq!(back, r);

    let doc = parse(r#"{"Version": "2012-10-17", "Statement": [{"Sid": "A", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}"#).unwrap();
    let response = evaluate(&[("mine", &doc)], None, &r);
    let json = serde_json::to_value(&response).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "decision": "Allow",
            "matched": [{"policy": "mine", "statement_index": 0, "sid": "A", "effect": "Allow"}],
            "errors": []
        })
    );
}

#[test]
fn compile_errors_are_listed_up_front() {
    let doc = parse(
        r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"DateLessThan": {"aws:CurrentTime": "soon"}}},
            {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"Nope": {"k": "v"}}}]}"#,
    )
    .unwrap();
    let set = CompiledPolicySet::new(&[("p", &doc)], Some(&doc));
    let errors = set.compile_errors();
    assert_eq!(errors.len(), 4);
    assert_eq!(errors[0].statement_index, 0);
    assert!(
        errors[0].message.contains("`soon` is not a date"),
        "{}",
        errors[0].message
    );
    assert!(
        errors[1]
            .message
            .contains("unknown condition operator `Nope`")
    );
    assert!(errors[2].boundary && errors[2].policy == BOUNDARY_POLICY_NAME);
    // The erroring Deny fails closed.
    let response = set.evaluate(&Request::new("s3:GetObject", "*"));
    assert_eq!(response.decision, Decision::ExplicitDeny);
}
