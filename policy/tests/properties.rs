//! Properties of evaluation over generated policies and requests.
#![allow(clippy::unwrap_used, reason = "a test may panic")]

use policy::{CompiledPolicySet, Decision, PolicyDocument, Request, parse};
use proptest::prelude::*;
use serde_json::{Value, json};

const ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "S3:listbucket",
    "iam:CreateUser",
    "iam:GetUser",
    "ec2:RunInstances",
    "noColon",
];
const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:s3:::bucket/key",
    "arn:aws:s3:::bucket/home/alice/x",
    "arn:aws:iam::123456789012:user/alice",
    "arn:aws:ec2:us-east-1:123456789012:instance/i-1",
];

fn action_pattern() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("*".to_string()),
        Just("s3:*".to_string()),
        Just("s3:Get*".to_string()),
        Just("iam:?etUser".to_string()),
        Just("*:Create*".to_string()),
        Just("ec2:RunInstances".to_string()),
        Just("noColon".to_string()),
        "[a-z3*?:]{1,8}",
    ]
}

fn resource_pattern() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("*".to_string()),
        Just("arn:aws:s3:::bucket/*".to_string()),
        Just("arn:aws:s3:::bucket/home/${aws:username}/*".to_string()),
        Just("arn:aws:iam::*:user/alice".to_string()),
        Just("arn:aws:ec2:*:*:instance/*".to_string()),
        Just("arn:aws:s3:::other".to_string()),
    ]
}

fn condition() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        3 => Just(None),
        1 => Just(Some(json!({"StringEquals": {"aws:username": "alice"}}))),
        1 => Just(Some(json!({"StringNotEquals": {"aws:username": ["bob", "carol"]}}))),
        1 => Just(Some(json!({"NumericLessThan": {"n": 5}}))),
        1 => Just(Some(json!({"BoolIfExists": {"aws:SecureTransport": "true"}}))),
        1 => Just(Some(json!({"ForAllValues:StringLike": {"aws:TagKeys": ["a*"]}}))),
        1 => Just(Some(json!({"Null": {"aws:TagKeys": "false"}}))),
        1 => Just(Some(json!({"DateLessThan": {"aws:CurrentTime": "garbage"}}))),
        1 => Just(Some(json!({"NoSuchOperator": {"k": "v"}}))),
    ]
}

fn statement(effect: Option<&'static str>) -> impl Strategy<Value = Value> {
    let effect = match effect {
        Some(e) => Just(e).boxed(),
        None => prop_oneof![Just("Allow"), Just("Deny")].boxed(),
    };
    (
        effect,
        any::<bool>(),
        prop::collection::vec(action_pattern(), 1..4),
        any::<bool>(),
        prop::collection::vec(resource_pattern(), 1..3),
        condition(),
    )
        .prop_map(
            |(effect, not_action, actions, not_resource, resources, cond)| {
                let mut s = serde_json::Map::new();
                s.insert("Effect".into(), json!(effect));
                s.insert(
                    if not_action { "NotAction" } else { "Action" }.into(),
                    json!(actions),
                );
                s.insert(
                    if not_resource {
                        "NotResource"
                    } else {
                        "Resource"
                    }
                    .into(),
                    json!(resources),
                );
                if let Some(c) = cond {
                    s.insert("Condition".into(), c);
                }
                Value::Object(s)
            },
        )
}

fn request() -> impl Strategy<Value = Request> {
    (
        prop::sample::select(ACTIONS),
        prop::sample::select(RESOURCES),
        prop::option::of(prop_oneof![Just("alice"), Just("bob")]),
        prop::option::of(0..10i64),
        prop::option::of(any::<bool>()),
        prop::option::of(prop::collection::vec(
            prop_oneof![Just("a1"), Just("b1")],
            0..3,
        )),
    )
        .prop_map(|(action, resource, user, n, secure, tags)| {
            let mut r = Request::new(action, resource);
            if let Some(u) = user {
                r.context.insert("aws:username", u);
            }
            if let Some(n) = n {
                r.context.insert("n", n);
            }
            if let Some(b) = secure {
                r.context.insert("aws:SecureTransport", b);
            }
            if let Some(t) = tags {
                r.context.insert("aws:TagKeys", t);
            }
            r
        })
}

fn doc(statements: &[Value]) -> PolicyDocument {
    parse(&json!({"Version": "2012-10-17", "Statement": statements}).to_string()).unwrap()
}

fn decide(policies: &[Vec<Value>], boundary: Option<&[Value]>, r: &Request) -> Decision {
    let docs: Vec<PolicyDocument> = policies.iter().map(|p| doc(p)).collect();
    let named: Vec<(String, &PolicyDocument)> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (format!("p{i}"), d))
        .collect();
    let boundary = boundary.map(doc);
    CompiledPolicySet::new(&named, boundary.as_ref())
        .evaluate(r)
        .decision
}

fn policies() -> impl Strategy<Value = Vec<Vec<Value>>> {
    prop::collection::vec(prop::collection::vec(statement(None), 1..5), 1..4)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn adding_a_deny_never_grants(
        ps in policies(),
        deny in statement(Some("Deny")),
        to in 0usize..8,
        boundary in prop::option::of(prop::collection::vec(statement(None), 1..3)),
        r in request(),
    ) {
        let before = decide(&ps, boundary.as_deref(), &r);
        let mut more = ps.clone();
        let i = to % more.len();
        more[i].push(deny.clone());
        let after = decide(&more, boundary.as_deref(), &r);
        if before != Decision::Allow {
            prop_assert_ne!(after, Decision::Allow);
        }
        if before == Decision::ExplicitDeny {
            prop_assert_eq!(after, Decision::ExplicitDeny);
        }
        // The same holds for a Deny added to the boundary.
        if let Some(b) = &boundary {
            let mut b2 = b.clone();
            b2.push(deny);
            let after = decide(&ps, Some(&b2), &r);
            if before != Decision::Allow {
                prop_assert_ne!(after, Decision::Allow);
            }
        }
    }

    #[test]
    fn statement_and_policy_order_does_not_matter(
        ps in policies(),
        seed in any::<u64>(),
        r in request(),
    ) {
        let before = decide(&ps, None, &r);
        let mut shuffled = ps.clone();
        shuffled.reverse();
        for (k, p) in shuffled.iter_mut().enumerate() {
            let n = p.len();
            p.rotate_left((seed as usize).wrapping_add(k) % n);
            if seed & 1 == 1 {
                p.reverse();
            }
        }
        prop_assert_eq!(decide(&shuffled, None, &r), before);
        // Merging all statements into one policy doesn't matter either.
        let merged: Vec<Value> = ps.iter().flatten().cloned().collect();
        prop_assert_eq!(decide(&[merged], None, &r), before);
    }

    #[test]
    fn action_patterns_match_iff_their_case_folded_form_does(
        pattern in "[sSgGeEtT3*?:]{0,10}",
        action in "[sSgGeEtT3:]{0,8}",
    ) {
        prop_assume!(!pattern.is_empty());
        let allows = |p: &str, a: &str| {
            decide(&[vec![json!({"Effect": "Allow", "Action": p, "Resource": "*"})]], None, &Request::new(a, "*"))
                == Decision::Allow
        };
        let m = allows(&pattern, &action);
        prop_assert_eq!(m, allows(&pattern.to_ascii_lowercase(), &action));
        prop_assert_eq!(m, allows(&pattern.to_ascii_uppercase(), &action));
        prop_assert_eq!(m, allows(&pattern, &action.to_ascii_lowercase()));
        // NotAction is the exact complement.
        let not = decide(
            &[vec![json!({"Effect": "Allow", "NotAction": pattern, "Resource": "*"})]],
            None,
            &Request::new(action.as_str(), "*"),
        ) == Decision::Allow;
        prop_assert_eq!(not, !m);
    }
}
