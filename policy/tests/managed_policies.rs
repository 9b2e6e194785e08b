//! Every AWS managed policy in the embedded library parses, and validates without an ERROR
//! finding other than the few that are accounted for below.
#![cfg(feature = "managed-policies")]

use std::collections::BTreeMap;

use policy::managed;
use policy::validate::{FindingType, validate};

#[test]
fn every_managed_policy_parses() {
    let all = managed::all();
    let failures: Vec<String> = all
        .iter()
        .filter_map(|p| {
            policy::parse(p.document)
                .err()
                .map(|e| format!("{}: {e}", p.name))
        })
        .collect();
    println!(
        "parsed {} of {} managed policies",
        all.len() - failures.len(),
        all.len()
    );
    assert!(
        failures.is_empty(),
        "{} failed to parse:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// ERROR findings on AWS managed policies that AWS Access Analyzer raises as well, because they
/// come from the same service reference data: actions and services that are not (or no longer)
/// in it, such as retired services (`deepracer`, `iot1click`, `mobilehub`) and unpublished
/// actions (`payments:*`, `securityagent:*`). IAM itself accepts such policies; the validator,
/// like Access Analyzer, reports them.
const DATA_GAPS: &[&str] = &["INVALID_ACTION", "INVALID_SERVICE_IN_ACTION"];

/// The other ERROR findings on AWS managed policies, one by one: (policy, issue code, path).
const ACCOUNTED: &[(&str, &str, &str)] = &[
    // The condition key of the retired `deepracer` service.
    (
        "AWSDeepRacerAccountAdminAccess",
        "INVALID_SERVICE",
        "Statement[0].Condition.Null.deepracer:UserToken",
    ),
    (
        "AWSDeepRacerDefaultMultiUserAccess",
        "INVALID_SERVICE",
        "Statement[0].Condition.Null.deepracer:UserToken",
    ),
    (
        "AWSDeepRacerDefaultMultiUserAccess",
        "INVALID_SERVICE",
        "Statement[0].Condition.Bool.deepracer:MultiUser",
    ),
    // Not in the service reference for Lake Formation.
    (
        "AmazonDataZoneGlueManageAccessRolePolicy",
        "INVALID_SERVICE_CONDITION_KEY",
        "Statement[7].Condition.Null.lakeformation:GlueARN",
    ),
    // An undocumented global key (absent from the IAM global condition key reference).
    (
        "AWSSSOServiceRolePolicy",
        "INVALID_GLOBAL_CONDITION_KEY",
        "Statement[0].Condition.StringNotEquals.aws:PrincipalOrgMasterAccountId",
    ),
    (
        "AWSSSOServiceRolePolicy",
        "INVALID_GLOBAL_CONDITION_KEY",
        "Statement[4].Condition.StringNotEquals.aws:PrincipalOrgMasterAccountId",
    ),
    // `events:detail-type` is multivalued (ArrayOfString); Access Analyzer reports MISSING_QUALIFIER
    // on AWS managed policies too.
    (
        "AWSAuditManagerAdministratorAccess",
        "MISSING_QUALIFIER",
        "Statement[10].Condition.StringEquals.events:detail-type",
    ),
    (
        "CloudTrailEventContext",
        "MISSING_QUALIFIER",
        "Statement[1].Condition.StringEquals.events:detail-type",
    ),
    (
        "SageMakerStudioProjectProvisioningRolePolicy",
        "MISSING_QUALIFIER",
        "Statement[154].Condition.StringEquals.events:detail-type",
    ),
];

#[test]
fn managed_policy_findings() {
    let mut by_code: BTreeMap<(String, FindingType), usize> = BTreeMap::new();
    let mut unexpected = Vec::new();
    let mut accounted = Vec::new();
    for p in managed::all() {
        for f in validate(p.document).findings {
            *by_code
                .entry((f.issue_code.clone(), f.finding_type))
                .or_default() += 1;
            if f.finding_type != FindingType::Error || DATA_GAPS.contains(&f.issue_code.as_str()) {
                continue;
            }
            let key = (p.name, f.issue_code.as_str(), f.location.path.as_str());
            if ACCOUNTED.contains(&key) {
                accounted.push(format!("{key:?}"));
            } else {
                unexpected.push(format!(
                    "{} {} {}: {}",
                    p.name, f.issue_code, f.location.path, f.message
                ));
            }
        }
    }
    for ((code, ty), n) in &by_code {
        println!("{n:6} {ty:?} {code}");
    }
    assert!(
        unexpected.is_empty(),
        "unexpected errors:\n{}",
        unexpected.join("\n")
    );
    assert_eq!(
        accounted.len(),
        ACCOUNTED.len(),
        "some accounted errors are gone: {accounted:?}"
    );
}
