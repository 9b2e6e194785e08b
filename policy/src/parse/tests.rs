use super::*;
use crate::model::{OperatorKind, ScalarKind, SetQualifier};

fn err(src: &str) -> ParseError {
    parse(src).expect_err("should fail")
}

#[test]
fn parses_a_full_document() {
    let src = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadOwn",
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:List*"],
      "Resource": "arn:aws:s3:::bucket/${aws:username}/*",
      "Condition": {
        "ForAnyValue:StringLikeIfExists": {"aws:TagKeys": ["a*", "b"]},
        "NumericLessThan": {"s3:max-keys": 10},
        "Bool": {"aws:SecureTransport": true},
        "Frobnicate": {"k": "v"}
      }
    },
    {"Effect": "Deny", "NotAction": "iam:*", "NotResource": ["*"]}
  ]
}"#;
    let doc = parse(src).unwrap();
    assert!(doc.supports_variables());
    assert!(doc.statement_is_array);
    assert_eq!(doc.statements.len(), 2);
    let s = &doc.statements[0];
    assert_eq!(s.sid.as_ref().unwrap().value, "ReadOwn");
    assert_eq!(s.effect.value, Effect::Allow);
    assert!(s.action.is_array && !s.action.is_negated());
    assert_eq!(s.action.patterns[1].value, "s3:List*");
    assert_eq!(s.action.patterns[1].span.start.line, 7);
    assert_eq!(s.action.patterns[1].span.start.column, 34);
    assert!(!s.resource.is_array);
    assert_eq!(s.condition.len(), 4);
    let c = &s.condition[0];
    let op = c.operator.value.known().unwrap();
    assert_eq!(op.qualifier, SetQualifier::ForAnyValue);
    assert_eq!(op.kind, OperatorKind::StringLike);
    assert!(op.if_exists);
    assert_eq!(c.values.len(), 2);
    assert_eq!(s.condition[1].values[0].text, "10");
    assert_eq!(s.condition[1].values[0].kind, ScalarKind::Number);
    assert_eq!(s.condition[2].values[0].text, "true");
    assert_eq!(s.condition[2].values[0].kind, ScalarKind::Bool);
    assert_eq!(
        s.condition[3].operator.value,
        crate::model::Operator::Unknown("Frobnicate".into())
    );
    let d = &doc.statements[1];
    assert!(d.action.is_negated() && d.resource.is_negated());
    assert!(!d.action.is_array);
}

#[test]
fn single_statement_object_and_missing_version() {
    let doc =
        parse(r#"{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}"#).unwrap();
    assert!(!doc.statement_is_array);
    assert!(doc.version.is_none());
    assert!(!doc.supports_variables());
}

#[test]
fn rejects_principal() {
    let e = err(
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"AWS": "*"}, "Action": "*", "Resource": "*"}]}"#,
    );
    assert_eq!((e.line, e.column), (2, 9));
    assert!(
        e.message
            .contains("identity-based policies can't have `Principal`"),
        "{}",
        e.message
    );
    let e = err(
        r#"{"Statement": [{"NotPrincipal": "*", "Effect": "Allow", "Action": "*", "Resource": "*"}]}"#,
    );
    assert!(e.message.contains("`NotPrincipal`"));
}

#[test]
fn rejects_structural_errors_with_positions() {
    let cases: &[(&str, &str, (u32, u32))] = &[
        (
            r#"{"Statement": [{"Action": "*", "Resource": "*"}]}"#,
            "no `Effect`",
            (1, 16),
        ),
        (
            r#"{"Statement": [{"Effect": "Allow", "Resource": "*"}]}"#,
            "no `Action`",
            (1, 16),
        ),
        (
            r#"{"Statement": [{"Effect": "Allow", "Action": "*"}]}"#,
            "no `Resource`",
            (1, 16),
        ),
        (
            r#"{"Statement": [{"Effect": "Allow", "Action": "*", "NotAction": "*", "Resource": "*"}]}"#,
            "both `Action` and `NotAction`",
            (1, 51),
        ),
        (
            r#"{"Statement": [{"Effect": "Allow", "Action": "*", "NotResource": "*", "Resource": "*"}]}"#,
            "both `Resource` and `NotResource`",
            (1, 71),
        ),
        (
            r#"{"Statement": [{"Effect": "denY", "Action": "*", "Resource": "*"}]}"#,
            "`Allow` or `Deny`",
            (1, 27),
        ),
        (r#"{"Statement": []}"#, "`Statement` is empty", (1, 15)),
        (r#"{"Version": "2012-10-17"}"#, "no `Statement`", (1, 1)),
        (
            r#"{"Version": "2013-01-01", "Statement": []}"#,
            "unsupported `Version` `2013-01-01`",
            (1, 13),
        ),
        (r#"{"Statement": ["afd"]}"#, "expected a statement", (1, 16)),
        (
            r#"{"Statement": [{"Effect": "Allow", "Action": [], "Resource": "*"}]}"#,
            "`Action` is empty",
            (1, 46),
        ),
        (
            r#"{"Statement": [{"Effect": "Allow", "Action": {"a": 1}, "Resource": "*"}]}"#,
            "string or an array",
            (1, 46),
        ),
        (
            r#"{"Statement": [{"Effect": "Allow", "Action": [["a"]], "Resource": "*"}]}"#,
            "must be a string",
            (1, 47),
        ),
        (
            r#"{"Statement": [{"effect": "Allow", "Action": "*", "Resource": "*"}]}"#,
            "write `Effect`",
            (1, 17),
        ),
        (
            r#"{"Statement": [{"Extra": 1, "Effect": "Allow", "Action": "*", "Resource": "*"}]}"#,
            "unknown statement element `Extra`",
            (1, 17),
        ),
        (
            r#"{"Foo": 1, "Statement": []}"#,
            "unknown policy document element `Foo`",
            (1, 2),
        ),
        (
            r#"{"Id": [], "Statement": []}"#,
            "`Id` must be a string",
            (1, 8),
        ),
        (
            r#"{"Statement": [{"Sid": {}, "Effect": "Allow", "Action": "*", "Resource": "*"}]}"#,
            "`Sid` must be a string",
            (1, 24),
        ),
        (r#"[]"#, "expected a policy document", (1, 1)),
        (
            r#"{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": []}]}"#,
            "`Condition` must be an object",
            (1, 81),
        ),
        (
            r#"{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"StringEquals": "x"}}]}"#,
            "condition operator `StringEquals` must be an object",
            (1, 98),
        ),
        (
            r#"{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"StringEquals": {"k": {"a": 1}}}}]}"#,
            "condition values for `k`",
            (1, 104),
        ),
        (
            r#"{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"StringEquals": {"k": [null]}}}]}"#,
            "found `null`",
            (1, 105),
        ),
        (
            r#"{"Statement": [{"Effect": "Allow", "Effect": "Deny", "Action": "*", "Resource": "*"}]}"#,
            "duplicate key `Effect`",
            (1, 36),
        ),
    ];
    for (src, message, pos) in cases {
        let e = err(src);
        assert!(e.message.contains(message), "{src}: {}", e.message);
        assert_eq!((e.line, e.column), *pos, "{src}: {}", e.message);
        assert!(!e.message.ends_with('.'));
    }
}

#[test]
fn accepts_empty_conditions() {
    for c in [
        r#"{}"#,
        r#"{"DateGreaterThan": {}}"#,
        r#"{"DateGreaterThan": {"a": []}}"#,
        r#"{"x": {}}"#,
    ] {
        let src = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {c}}}]}}"#
        );
        let doc = parse(&src).unwrap();
        assert!(doc.statements[0].condition_span.is_some());
    }
}

#[test]
fn error_display_has_the_position() {
    let e = err("{\n  \"Statement\": 3\n}");
    assert_eq!(e.to_string(), format!("2:16: {}", e.message));
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let src = format!(
        r#"{{"Statement": [{{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {}}}]}}"#,
        "[".repeat(50_000)
    );
    assert!(err(&src).message.contains("nested more than"));
}

#[test]
fn huge_policies_parse() {
    let actions: Vec<String> = (0..100_000)
        .map(|i| format!("\"svc{}:Get{i}*\"", i % 300))
        .collect();
    let src = format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": [{}], "Resource": "*"}}]}}"#,
        actions.join(",\n")
    );
    let doc = parse(&src).unwrap();
    assert_eq!(doc.statements[0].action.patterns.len(), 100_000);
    assert_eq!(
        doc.statements[0].action.patterns[99_999].span.start.line,
        100_000
    );
}
