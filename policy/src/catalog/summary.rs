//! The policy summary the console shows, like the IAM console's: per service, the access levels a
//! policy allows (or denies), on which resources, and whether conditions apply.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{AccessLevel, Catalog};
use crate::model::{Effect, PolicyDocument, Statement};

/// The summary of one policy.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PolicySummary {
    /// Services with allowed actions, sorted by display name.
    pub allowed: Vec<ServiceSummary>,
    /// Services with explicitly denied actions, sorted by display name.
    pub denied: Vec<ServiceSummary>,
    /// Action patterns that match no catalog action (unknown services or actions, typos).
    pub unrecognized_actions: Vec<String>,
}

/// What a policy grants (or denies) in one service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceSummary {
    pub prefix: String,
    /// The display name, e.g. `Amazon S3`.
    pub name: String,
    /// Per access level: how many of the service's actions of that level are covered.
    pub levels: Vec<AccessSummary>,
    /// `Full access`, or e.g. `Full: List, Read; Limited: Write`.
    pub access: String,
    /// `All resources`, `All resources except ...`, or the resource patterns.
    pub resources: String,
    /// The condition keys that restrict some of the statements (empty: no conditions).
    pub conditions: Vec<String>,
    /// How many actions are covered, and how many the service has.
    pub action_count: usize,
    pub total_actions: usize,
}

/// The actions of one access level a policy covers in one service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessSummary {
    pub level: AccessLevel,
    pub granted: usize,
    pub total: usize,
}

/// Accumulates one service's actions, resources and conditions across statements.
#[derive(Default)]
struct Acc<'a> {
    actions: Vec<&'a super::Action>,
    all_resources: bool,
    resources: Vec<String>,
    except: Vec<String>,
    conditions: Vec<String>,
}

/// Summarizes a policy: which services it allows and denies, at which access levels, on which
/// resources, and whether conditions apply.
pub fn summarize(policy: &PolicyDocument) -> PolicySummary {
    let catalog = Catalog::get();
    let mut allowed: BTreeMap<&str, Acc<'_>> = BTreeMap::new();
    let mut denied: BTreeMap<&str, Acc<'_>> = BTreeMap::new();
    let mut unrecognized = Vec::new();
    for statement in &policy.statements {
        let patterns: Vec<&str> = statement
            .action
            .patterns
            .iter()
            .map(|p| p.value.as_str())
            .collect();
        if !statement.action.is_negated() {
            for p in &patterns {
                if catalog.expand_one(p).is_empty() && !unrecognized.contains(&(*p).to_owned()) {
                    unrecognized.push((*p).to_owned());
                }
            }
        }
        let target = match statement.effect.value {
            Effect::Allow => &mut allowed,
            Effect::Deny => &mut denied,
        };
        for covered in catalog.expand(patterns, statement.action.is_negated()) {
            let acc = target.entry(covered.service.prefix).or_default();
            for action in covered.actions {
                if !acc.actions.iter().any(|a| std::ptr::eq(*a, action)) {
                    acc.actions.push(action);
                }
            }
            add_resources(acc, statement);
            for entry in &statement.condition {
                if !acc.conditions.contains(&entry.key.value) {
                    acc.conditions.push(entry.key.value.clone());
                }
            }
        }
    }
    PolicySummary {
        allowed: finish(catalog, allowed),
        denied: finish(catalog, denied),
        unrecognized_actions: unrecognized,
    }
}

fn add_resources(acc: &mut Acc<'_>, statement: &Statement) {
    let patterns = statement.resource.patterns.iter().map(|p| &p.value);
    if statement.resource.is_negated() {
        for p in patterns {
            if !acc.except.contains(p) {
                acc.except.push(p.clone());
            }
        }
    } else {
        for p in patterns {
            if p == "*" {
                acc.all_resources = true;
            } else if !acc.resources.contains(p) {
                acc.resources.push(p.clone());
            }
        }
    }
}

fn finish(catalog: &Catalog, map: BTreeMap<&str, Acc<'_>>) -> Vec<ServiceSummary> {
    let mut out: Vec<ServiceSummary> = map
        .into_iter()
        .filter_map(|(prefix, acc)| {
            let service = catalog.service(prefix)?;
            let levels: Vec<AccessSummary> = AccessLevel::ALL
                .iter()
                .filter_map(|&level| {
                    let total = service
                        .actions
                        .iter()
                        .filter(|a| a.access_level == level)
                        .count();
                    let granted = acc
                        .actions
                        .iter()
                        .filter(|a| a.access_level == level)
                        .count();
                    (granted > 0).then_some(AccessSummary {
                        level,
                        granted,
                        total,
                    })
                })
                .collect();
            Some(ServiceSummary {
                prefix: service.prefix.to_owned(),
                name: service.name.to_owned(),
                access: access_text(&levels, acc.actions.len(), service.actions.len()),
                resources: resources_text(&acc),
                levels,
                conditions: acc.conditions,
                action_count: acc.actions.len(),
                total_actions: service.actions.len(),
            })
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.prefix.cmp(&b.prefix)));
    out
}

/// `Full access`, or `Full: List, Read; Limited: Write` as the IAM console writes it.
pub(crate) fn access_text(levels: &[AccessSummary], granted: usize, total: usize) -> String {
    if granted == total && total > 0 {
        return "Full access".to_owned();
    }
    let names = |full: bool| -> Vec<&str> {
        levels
            .iter()
            .filter(|l| (l.granted == l.total) == full)
            .map(|l| l.level.label())
            .collect()
    };
    let (full, limited) = (names(true), names(false));
    let mut parts = Vec::new();
    if !full.is_empty() {
        parts.push(format!("Full: {}", full.join(", ")));
    }
    if !limited.is_empty() {
        parts.push(format!("Limited: {}", limited.join(", ")));
    }
    parts.join("; ")
}

fn resources_text(acc: &Acc<'_>) -> String {
    if !acc.except.is_empty() {
        return format!("All resources except {}", acc.except.join(", "));
    }
    if acc.all_resources {
        return "All resources".to_owned();
    }
    acc.resources.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(src: &str) -> PolicySummary {
        summarize(&crate::parse(src).unwrap())
    }

    #[test]
    fn full_and_limited_access() {
        let s = summary(
            r#"{"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Action":["s3:List*","s3:GetObject"],"Resource":"*"},
              {"Effect":"Allow","Action":"iam:*","Resource":"arn:aws:iam::123456789012:user/*",
               "Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}"#,
        );
        let iam = s.allowed.iter().find(|x| x.prefix == "iam").unwrap();
        assert_eq!(iam.access, "Full access");
        assert_eq!(iam.resources, "arn:aws:iam::123456789012:user/*");
        assert_eq!(iam.conditions, ["aws:MultiFactorAuthPresent"]);
        let s3 = s.allowed.iter().find(|x| x.prefix == "s3").unwrap();
        assert!(
            s3.access.starts_with("Full: List; Limited: Read"),
            "{}",
            s3.access
        );
        assert_eq!(s3.resources, "All resources");
        assert!(s3.conditions.is_empty());
        assert!(s.denied.is_empty());
    }

    #[test]
    fn deny_and_not_action() {
        let s = summary(
            r#"{"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","NotAction":"iam:*","Resource":"*"},
              {"Effect":"Deny","Action":["ec2:TerminateInstances","nosuch:Thing"],"NotResource":"arn:aws:ec2:*:*:instance/i-1"}]}"#,
        );
        assert!(s.allowed.iter().all(|x| x.prefix != "iam"));
        assert!(s.allowed.len() > 400);
        let ec2 = &s.denied[0];
        assert_eq!(ec2.prefix, "ec2");
        assert_eq!(ec2.access, "Limited: Write");
        assert_eq!(ec2.action_count, 1);
        assert_eq!(
            ec2.resources,
            "All resources except arn:aws:ec2:*:*:instance/i-1"
        );
        assert_eq!(s.unrecognized_actions, ["nosuch:Thing"]);
    }

    #[test]
    fn access_text_forms() {
        let l = |level, granted, total| AccessSummary {
            level,
            granted,
            total,
        };
        let levels = [
            l(AccessLevel::List, 2, 2),
            l(AccessLevel::Read, 2, 2),
            l(AccessLevel::Write, 1, 9),
        ];
        assert_eq!(
            access_text(&levels, 5, 20),
            "Full: List, Read; Limited: Write"
        );
        assert_eq!(access_text(&levels[2..], 1, 20), "Limited: Write");
        assert_eq!(access_text(&levels[..1], 2, 2), "Full access");
    }
}
