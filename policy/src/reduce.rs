//! Cutting a policy down to what was used: the "Generate a policy from access activity" of the
//! Access Advisor.
//!
//! Given a policy and the actions its principals were allowed to perform in a period, [`reduce`]
//! proposes a policy that allows only those services (or only those actions), and keeps what it
//! cannot judge:
//!
//! - Deny statements stay as they are: removing a Deny could only widen access.
//! - An Allow statement keeps its `Resource` and `Condition`; only its actions shrink. If none of
//!   its services (or actions) was used, it is dropped; if all were, it stays as written.
//! - Patterns for services the catalog does not know (a company's own services) are kept: the
//!   catalog cannot say what they cover.
//! - A `NotAction` statement becomes an `Action` list of the used services (`ec2:*`), or of the
//!   used actions of a service that the `NotAction` excludes in part.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::catalog::{Catalog, ServiceActions};
use crate::model::{Effect, PolicyDocument, Statement};

/// How finely the proposal allows what was used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Granularity {
    /// Whole services (`s3:*`) for each used service.
    Service,
    /// Only the actions that were used (`s3:GetObject`).
    Action,
}

/// The proposal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reduction {
    /// The proposed document, pretty-printed; `None` when nothing it allows was used and it holds
    /// no Deny (a policy needs a statement: detach or delete it instead).
    pub document: Option<String>,
    /// Services the original allows that the proposal still allows, by prefix.
    pub kept_services: Vec<String>,
    /// Services the original allows that the proposal no longer does.
    pub removed_services: Vec<String>,
    /// Whether the proposal is the original (everything it allows was used).
    pub unchanged: bool,
}

/// Proposes `document` (parsed from `source`) cut down to `used_actions` (`service:Action`, any
/// case): what its principals were allowed to do in the period.
pub fn reduce(
    source: &str,
    document: &PolicyDocument,
    used_actions: &[&str],
    granularity: Granularity,
) -> Reduction {
    let catalog = Catalog::get();
    let used: BTreeSet<String> = used_actions
        .iter()
        .map(|a| a.to_ascii_lowercase())
        .collect();
    let used_services: BTreeSet<String> = used
        .iter()
        .filter_map(|a| a.split_once(':').map(|(s, _)| s.to_owned()))
        .collect();
    let mut statements = Vec::new();
    let mut allowed_before = BTreeSet::new();
    let mut allowed_after = BTreeSet::new();
    let mut unchanged = true;
    for statement in &document.statements {
        if statement.effect.value == Effect::Deny {
            statements.push(write_statement(source, statement, None));
            continue;
        }
        let patterns: Vec<&str> = statement
            .action
            .patterns
            .iter()
            .map(|p| p.value.as_str())
            .collect();
        let covered = catalog.expand(patterns.iter().copied(), statement.action.is_negated());
        let unknown: Vec<&str> = if statement.action.is_negated() {
            Vec::new()
        } else {
            patterns
                .iter()
                .copied()
                .filter(|p| catalog.expand_one(p).is_empty())
                .collect()
        };
        allowed_before.extend(covered.iter().map(|s| s.service.prefix.to_owned()));
        let actions = match granularity {
            Granularity::Service => by_service(statement, &patterns, &covered, &used_services),
            Granularity::Action => by_action(&covered, &used),
        };
        let kept_services: BTreeSet<String> = actions
            .iter()
            .filter_map(|a| a.split_once(':').map(|(s, _)| s.to_ascii_lowercase()))
            .collect();
        let everything_used = covered.iter().all(|s| match granularity {
            Granularity::Service => used_services.contains(&s.service.prefix.to_ascii_lowercase()),
            Granularity::Action => s.actions.iter().all(|a| {
                used.contains(&format!("{}:{}", s.service.prefix, a.name).to_ascii_lowercase())
            }),
        });
        if covered.is_empty() || everything_used {
            allowed_after.extend(covered.iter().map(|s| s.service.prefix.to_owned()));
            statements.push(write_statement(source, statement, None));
            continue;
        }
        unchanged = false;
        allowed_after.extend(kept_services);
        let mut new_actions: Vec<String> = unknown.iter().map(|p| (*p).to_owned()).collect();
        new_actions.extend(actions);
        if !new_actions.is_empty() {
            statements.push(write_statement(source, statement, Some(&new_actions)));
        }
    }
    let removed: Vec<String> = allowed_before.difference(&allowed_after).cloned().collect();
    let document = (!statements.is_empty()).then(|| write_document(document, &statements));
    Reduction {
        document,
        kept_services: allowed_after.into_iter().collect(),
        removed_services: removed,
        unchanged,
    }
}

/// The used services a statement covers, as its patterns allowed them.
fn by_service(
    statement: &Statement,
    patterns: &[&str],
    covered: &[ServiceActions<'_>],
    used_services: &BTreeSet<String>,
) -> Vec<String> {
    let mut out = Vec::new();
    for service in covered {
        let prefix = service.service.prefix;
        if !used_services.contains(&prefix.to_ascii_lowercase()) {
            continue;
        }
        if statement.action.is_negated() {
            if service.actions.len() == service.service.actions.len() {
                out.push(format!("{prefix}:*"));
            } else {
                // The NotAction excludes part of this service: name the rest one by one.
                out.extend(
                    service
                        .actions
                        .iter()
                        .map(|a| format!("{prefix}:{}", a.name)),
                );
            }
            continue;
        }
        for pattern in patterns {
            let (service_part, action_part) = pattern.split_once(':').unwrap_or(("*", "*"));
            let covers = if service_part.contains(['*', '?']) {
                crate::catalog::glob::matches_ignore_case(service_part, prefix)
            } else {
                service_part.eq_ignore_ascii_case(prefix)
            };
            if covers {
                let written = if service_part.contains(['*', '?']) {
                    format!("{prefix}:{action_part}")
                } else {
                    (*pattern).to_owned()
                };
                if !out.contains(&written) {
                    out.push(written);
                }
            }
        }
    }
    out
}

/// The used actions a statement covers, in the catalog's spelling.
fn by_action(covered: &[ServiceActions<'_>], used: &BTreeSet<String>) -> Vec<String> {
    covered
        .iter()
        .flat_map(|s| {
            s.actions
                .iter()
                .map(move |a| format!("{}:{}", s.service.prefix, a.name))
        })
        .filter(|a| used.contains(&a.to_ascii_lowercase()))
        .collect()
}

const INDENT: &str = "    ";

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
}

fn string_list(items: &[String], depth: usize) -> String {
    if items.len() == 1 {
        return json_string(&items[0]);
    }
    let pad = INDENT.repeat(depth + 1);
    let body: Vec<String> = items
        .iter()
        .map(|i| format!("{pad}{}", json_string(i)))
        .collect();
    format!("[\n{}\n{}]", body.join(",\n"), INDENT.repeat(depth))
}

/// One statement in IAM's key order, with `actions` replacing its action element when given.
fn write_statement(source: &str, statement: &Statement, actions: Option<&[String]>) -> String {
    let depth = 2;
    let pad = INDENT.repeat(depth + 1);
    let mut fields = Vec::new();
    if let Some(sid) = &statement.sid {
        fields.push(format!("{pad}\"Sid\": {}", json_string(&sid.value)));
    }
    fields.push(format!(
        "{pad}\"Effect\": {}",
        json_string(statement.effect.value.as_str())
    ));
    let (action_key, action_values) = match actions {
        Some(list) => ("Action", list.to_vec()),
        None => (
            if statement.action.is_negated() {
                "NotAction"
            } else {
                "Action"
            },
            statement
                .action
                .patterns
                .iter()
                .map(|p| p.value.clone())
                .collect(),
        ),
    };
    fields.push(format!(
        "{pad}\"{action_key}\": {}",
        string_list(&action_values, depth + 1)
    ));
    let resource_key = if statement.resource.is_negated() {
        "NotResource"
    } else {
        "Resource"
    };
    let resources: Vec<String> = statement
        .resource
        .patterns
        .iter()
        .map(|p| p.value.clone())
        .collect();
    fields.push(format!(
        "{pad}\"{resource_key}\": {}",
        string_list(&resources, depth + 1)
    ));
    if let Some(span) = statement.condition_span
        && let Some(text) = source.get(span.start.offset..span.end.offset)
        && let Ok(value) = serde_json::from_str::<Value>(text)
    {
        fields.push(format!("{pad}\"Condition\": {}", pretty(&value, depth + 1)));
    }
    format!(
        "{}{{\n{}\n{}}}",
        INDENT.repeat(depth),
        fields.join(",\n"),
        INDENT.repeat(depth)
    )
}

/// `value` pretty-printed with four-space indents, starting at nesting `depth`.
fn pretty(value: &Value, depth: usize) -> String {
    let mut buf = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(INDENT.as_bytes());
    let mut serializer = serde_json::Serializer::with_formatter(&mut buf, formatter);
    if serde::Serialize::serialize(value, &mut serializer).is_err() {
        return "{}".to_owned();
    }
    let text = String::from_utf8(buf).unwrap_or_default();
    let pad = INDENT.repeat(depth);
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            if i == 0 {
                line.to_owned()
            } else {
                format!("{pad}{line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn write_document(document: &PolicyDocument, statements: &[String]) -> String {
    let mut out = String::from("{\n");
    if let Some(version) = &document.version {
        out.push_str(&format!(
            "{INDENT}\"Version\": {},\n",
            json_string(version.value.as_str())
        ));
    }
    out.push_str(&format!(
        "{INDENT}\"Statement\": [\n{}\n{INDENT}]\n}}",
        statements.join(",\n")
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(source: &str, used: &[&str], granularity: Granularity) -> Reduction {
        let doc = crate::parse(source).unwrap();
        let reduction = reduce(source, &doc, used, granularity);
        if let Some(out) = &reduction.document {
            // The proposal is itself a valid policy.
            crate::parse(out).unwrap_or_else(|e| panic!("{e}\n{out}"));
        }
        reduction
    }

    fn actions_of(document: &str) -> Vec<Vec<String>> {
        let value: Value = serde_json::from_str(document).unwrap();
        value["Statement"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| match &s["Action"] {
                Value::String(one) => vec![one.clone()],
                Value::Array(list) => list
                    .iter()
                    .map(|v| v.as_str().unwrap().to_owned())
                    .collect(),
                _ => Vec::new(),
            })
            .collect()
    }

    #[test]
    #[cfg(feature = "managed-policies")]
    fn power_user_access_shrinks_to_the_used_services() {
        let source = crate::managed::by_name("PowerUserAccess").unwrap().document;
        let used = ["ec2:StartInstances", "S3:GetObject", "s3:PutObject"];
        let reduction = run(source, &used, Granularity::Service);
        let document = reduction.document.unwrap();
        assert_eq!(actions_of(&document), [vec!["ec2:*", "s3:*"]]);
        assert!(!document.contains("NotAction"), "{document}");
        assert_eq!(reduction.kept_services, ["ec2", "s3"]);
        assert!(reduction.removed_services.contains(&"dynamodb".to_owned()));
        assert!(reduction.removed_services.contains(&"iam".to_owned()));
        assert!(!reduction.unchanged);

        let by_action = run(source, &used, Granularity::Action).document.unwrap();
        assert_eq!(
            actions_of(&by_action),
            [vec!["ec2:StartInstances", "s3:GetObject", "s3:PutObject"]]
        );
    }

    #[test]
    fn denies_resources_conditions_and_unknown_services_are_kept() {
        let source = r#"{
            "Version": "2012-10-17",
            "Statement": [
                {"Sid": "Rw", "Effect": "Allow", "Action": ["s3:Get*", "s3:Put*", "dynamodb:*", "corp-billing:Read*"],
                 "Resource": ["arn:aws:s3:::reports/*", "arn:aws:dynamodb:*:*:table/t"],
                 "Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}}},
                {"Effect": "Allow", "Action": "sqs:*", "Resource": "*"},
                {"Sid": "Never", "Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}
            ]
        }"#;
        let reduction = run(source, &["s3:GetObject"], Granularity::Service);
        let document = reduction.document.unwrap();
        assert_eq!(
            actions_of(&document),
            [
                vec!["corp-billing:Read*", "s3:Get*", "s3:Put*"],
                vec!["s3:DeleteBucket"]
            ]
        );
        assert!(document.contains("\"Sid\": \"Rw\""), "{document}");
        assert!(document.contains("203.0.113.0/24"), "{document}");
        assert!(
            document.contains("arn:aws:dynamodb:*:*:table/t"),
            "{document}"
        );
        assert!(document.contains("\"Effect\": \"Deny\""), "{document}");
        assert_eq!(reduction.removed_services, ["dynamodb", "sqs"]);
    }

    #[test]
    fn a_policy_fully_used_is_unchanged_and_one_never_used_has_no_proposal() {
        let source = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}}"#;
        let same = run(source, &["sqs:sendmessage"], Granularity::Action);
        assert!(same.unchanged);
        assert_eq!(
            actions_of(&same.document.unwrap()),
            [vec!["sqs:SendMessage"]]
        );
        let nothing = run(source, &["s3:GetObject"], Granularity::Service);
        assert_eq!(nothing.document, None);
        assert_eq!(nothing.removed_services, ["sqs"]);
    }

    #[test]
    fn a_partly_excluded_service_is_listed_by_action() {
        let source = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "NotAction": ["iam:*", "s3:DeleteBucket"], "Resource": "*"}}"#;
        let reduction = run(
            source,
            &["s3:GetObject", "ec2:RunInstances"],
            Granularity::Service,
        );
        let actions = &actions_of(&reduction.document.unwrap())[0];
        assert!(actions.contains(&"ec2:*".to_owned()));
        assert!(actions.contains(&"s3:GetObject".to_owned()));
        assert!(
            !actions
                .iter()
                .any(|a| a == "s3:*" || a == "s3:DeleteBucket")
        );
    }
}
