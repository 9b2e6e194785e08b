//! Decision latency: a user with 10 attached policies of 10 statements each, and the AWS managed
//! policies ReadOnlyAccess and PowerUserAccess.
//!
//! Run with `cargo bench -p policy --bench evaluate -- --warm-up-time 1 --measurement-time 3`.
#![allow(clippy::unwrap_used, reason = "a benchmark may panic")]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use policy::{CompiledPolicySet, PolicyDocument, Request, parse};
use serde_json::{Value, json};

const ACCOUNT: &str = "123456789012";

/// Statement `j` of policy `i`: service-specific actions, resource ARNs, a few conditions.
fn statement(i: usize, j: usize) -> Value {
    let team = format!("team{i}");
    match j {
        0 => {
            json!({"Sid": "S3Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket"],
            "Resource": [format!("arn:aws:s3:::{team}-data"), format!("arn:aws:s3:::{team}-data/*")]})
        }
        1 => {
            json!({"Sid": "S3Home", "Effect": "Allow", "Action": ["s3:PutObject", "s3:DeleteObject"],
            "Resource": format!("arn:aws:s3:::{team}-data/home/${{aws:username}}/*")})
        }
        2 => {
            json!({"Sid": "Dynamo", "Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem"],
            "Resource": format!("arn:aws:dynamodb:eu-west-1:{ACCOUNT}:table/{team}-*"),
            "Condition": {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["${aws:username}*"]}}})
        }
        3 => {
            json!({"Sid": "Ec2Describe", "Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"})
        }
        4 => {
            json!({"Sid": "Ec2Manage", "Effect": "Allow", "Action": ["ec2:StartInstances", "ec2:StopInstances", "ec2:RebootInstances"],
            "Resource": format!("arn:aws:ec2:*:{ACCOUNT}:instance/*"),
            "Condition": {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}})
        }
        5 => {
            json!({"Sid": "Logs", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:GetLogEvents"],
            "Resource": format!("arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:/{team}/*")})
        }
        6 => {
            json!({"Sid": "Lambda", "Effect": "Allow", "Action": ["lambda:InvokeFunction", "lambda:GetFunction"],
            "Resource": format!("arn:aws:lambda:eu-west-1:{ACCOUNT}:function:{team}-*"),
            "Condition": {"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "192.0.2.0/24"]}}})
        }
        7 => {
            json!({"Sid": "OwnUser", "Effect": "Allow", "Action": ["iam:GetUser", "iam:ChangePassword", "iam:*AccessKey*"],
            "Resource": format!("arn:aws:iam::{ACCOUNT}:user/${{aws:username}}")})
        }
        8 => {
            json!({"Sid": "NoDeleteBuckets", "Effect": "Deny", "Action": ["s3:DeleteBucket", "s3:PutBucketPolicy"], "Resource": "*"})
        }
        _ => {
            json!({"Sid": "BusinessHours", "Effect": "Deny", "Action": ["ec2:TerminateInstances", "rds:Delete*"], "Resource": "*",
            "Condition": {"DateGreaterThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}, "BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}})
        }
    }
}

fn ten_by_ten() -> Vec<PolicyDocument> {
    (0..10)
        .map(|i| {
            let statements: Vec<Value> = (0..10).map(|j| statement(i, j)).collect();
            parse(&json!({"Version": "2012-10-17", "Statement": statements}).to_string()).unwrap()
        })
        .collect()
}

fn request(action: &str, resource: &str) -> Request {
    Request::new(action, resource)
        .with("aws:username", "alice")
        .with("aws:PrincipalTag/team", "team3")
        .with("aws:CurrentTime", "2026-11-28T10:00:00Z")
        .with("aws:EpochTime", "1795860000")
        .with("aws:SourceIp", "10.1.2.3")
        .with("aws:SecureTransport", "true")
}

fn managed(name: &str) -> PolicyDocument {
    parse(policy::managed::by_name(name).unwrap().document).unwrap()
}

fn bench(c: &mut Criterion) {
    let docs = ten_by_ten();
    let named: Vec<(String, &PolicyDocument)> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (format!("policy{i}"), d))
        .collect();
    let set = CompiledPolicySet::new(&named, None);
    let cases = [
        (
            "allow_s3_get",
            request("s3:GetObject", "arn:aws:s3:::team3-data/report.csv"),
        ),
        (
            "allow_s3_put_variable",
            request("s3:PutObject", "arn:aws:s3:::team3-data/home/alice/x"),
        ),
        (
            "allow_ec2_tag_condition",
            request(
                "ec2:StopInstances",
                &format!("arn:aws:ec2:eu-west-1:{ACCOUNT}:instance/i-0abc"),
            )
            .with("aws:ResourceTag/team", "team3"),
        ),
        (
            "explicit_deny",
            request("s3:DeleteBucket", "arn:aws:s3:::team3-data"),
        ),
        (
            "implicit_deny",
            request(
                "iam:CreateUser",
                &format!("arn:aws:iam::{ACCOUNT}:user/bob"),
            ),
        ),
    ];
    let mut g = c.benchmark_group("ten_policies_of_ten_statements");
    for (name, r) in &cases {
        g.bench_function(*name, |b| b.iter(|| set.evaluate(black_box(r))));
    }
    g.bench_function("compile", |b| {
        b.iter(|| CompiledPolicySet::new(black_box(&named), None))
    });
    g.finish();

    for (policy_name, requests) in [
        (
            "ReadOnlyAccess",
            vec![
                (
                    "allow_s3_get",
                    request("s3:GetObject", "arn:aws:s3:::bucket/key"),
                ),
                ("allow_ec2_describe", request("ec2:DescribeInstances", "*")),
                (
                    "implicit_deny_iam_create",
                    request(
                        "iam:CreateUser",
                        &format!("arn:aws:iam::{ACCOUNT}:user/bob"),
                    ),
                ),
                (
                    "implicit_deny_unknown_service",
                    request("nosuchservice:DoThing", "*"),
                ),
            ],
        ),
        (
            "PowerUserAccess",
            vec![
                (
                    "allow_s3_put",
                    request("s3:PutObject", "arn:aws:s3:::bucket/key"),
                ),
                (
                    "implicit_deny_iam_create",
                    request(
                        "iam:CreateUser",
                        &format!("arn:aws:iam::{ACCOUNT}:user/bob"),
                    ),
                ),
                (
                    "allow_iam_create_slr",
                    request("iam:CreateServiceLinkedRole", "*"),
                ),
            ],
        ),
    ] {
        let doc = managed(policy_name);
        let set = CompiledPolicySet::new(&[(policy_name, &doc)], None);
        let mut g = c.benchmark_group(policy_name);
        for (name, r) in &requests {
            g.bench_function(*name, |b| b.iter(|| set.evaluate(black_box(r))));
        }
        let text = policy::managed::by_name(policy_name).unwrap().document;
        g.bench_function("parse_and_compile", |b| {
            b.iter(|| {
                let doc = parse(black_box(text)).unwrap();
                CompiledPolicySet::new(&[("p", &doc)], None)
            })
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
