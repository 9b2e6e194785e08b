//! Over-permissive statements: `iam:PassRole` and `iam:CreateServiceLinkedRole` on any role, tag
//! condition keys that some services of the statement ignore, and keys that need a partner key.

use super::operators::{Family, Operator};
use super::{Ctx, Stmt};
use crate::catalog::Catalog;
use crate::catalog::glob::{covers, has_wildcard, matches_ignore_case};
use crate::json::{JsonKind, Member};
use crate::validate::FindingType::{self, SecurityWarning, Suggestion, Warning};

pub(super) fn check(ctx: &mut Ctx, stmt: &Stmt<'_>) {
    let keys = condition_keys(stmt);
    if stmt.is_allow() {
        let pass_role = !keys
            .iter()
            .any(|(_, k)| k.key.value.eq_ignore_ascii_case("iam:PassedToService"));
        if pass_role {
            star_checks(ctx, stmt, "iam:PassRole", SecurityWarning, "PASS_ROLE");
        }
        let slr = !keys
            .iter()
            .any(|(_, k)| k.key.value.eq_ignore_ascii_case("iam:AWSServiceName"));
        if slr {
            star_checks(
                ctx,
                stmt,
                "iam:CreateServiceLinkedRole",
                Warning,
                "CREATE_SLR",
            );
        }
        paired_keys(ctx, stmt, &keys);
    }
    tag_keys(ctx, stmt, &keys);
}

/// Every (operator, key member) of the statement's condition block.
fn condition_keys<'a>(stmt: &Stmt<'a>) -> Vec<(&'a str, &'a Member)> {
    let Some(JsonKind::Object(ops)) = stmt.condition.map(|c| &c.kind) else {
        return Vec::new();
    };
    ops.iter()
        .flat_map(|op| match &op.value.kind {
            JsonKind::Object(keys) => keys.iter().map(|k| (op.key.value.as_str(), k)).collect(),
            _ => Vec::new(),
        })
        .collect()
}

/// How a statement's action element reaches one action.
#[derive(Clone, Copy, PartialEq)]
enum Reach {
    Explicit,
    Star,
    NotAction,
}

fn reach(stmt: &Stmt<'_>, action: &str) -> Option<Reach> {
    let list = stmt.action.as_ref()?;
    let hit = |v: &str| v == "*" || (has_wildcard(v) && matches_ignore_case(v, action));
    if list.negated {
        let excluded = list
            .items
            .iter()
            .any(|i| i.value.eq_ignore_ascii_case(action) || hit(i.value));
        return (!excluded).then_some(Reach::NotAction);
    }
    if list
        .items
        .iter()
        .any(|i| i.value.eq_ignore_ascii_case(action))
    {
        Some(Reach::Explicit)
    } else if list.items.iter().any(|i| hit(i.value)) {
        Some(Reach::Star)
    } else {
        None
    }
}

/// The `PASS_ROLE_*` / `CREATE_SLR_*` family: the action reached through a name, a wildcard or
/// `NotAction`, on every role (`*` or `arn:...:role/*`) or through `NotResource`.
fn star_checks(
    ctx: &mut Ctx,
    stmt: &Stmt<'_>,
    action: &str,
    finding_type: FindingType,
    family: &str,
) {
    let (Some(how), Some(resources)) = (reach(stmt, action), stmt.resource.as_ref()) else {
        return;
    };
    let all_roles = |v: &str| v == "*" || covers(v, "arn:aws:iam::123456789012:role/*", false);
    let star_resource = resources.items.iter().find(|i| all_roles(i.value));
    let (suffix, span, path) = match (resources.negated, star_resource) {
        (true, _) => ("NOTRESOURCE", resources.span, resources.path.clone()),
        (false, Some(item)) => ("RESOURCE", item.span, item.path.clone()),
        (false, None) => return,
    };
    let code = match (how, suffix) {
        (Reach::Explicit, "RESOURCE") => "STAR_IN_RESOURCE",
        (Reach::Star, "RESOURCE") => "STAR_IN_ACTION_AND_RESOURCE",
        (Reach::NotAction, "RESOURCE") => "STAR_IN_RESOURCE_AND_NOTACTION",
        (Reach::Explicit, _) => "NOTRESOURCE",
        (Reach::Star, _) => "STAR_IN_ACTION_AND_NOTRESOURCE",
        (Reach::NotAction, _) => "NOTACTION_AND_NOTRESOURCE",
    };
    let (code, advice) = match family {
        "PASS_ROLE" => (
            match code {
                "STAR_IN_RESOURCE" => "PASS_ROLE_WITH_STAR_IN_RESOURCE",
                "STAR_IN_ACTION_AND_RESOURCE" => "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE",
                "STAR_IN_RESOURCE_AND_NOTACTION" => "PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOTACTION",
                "NOTRESOURCE" => "PASS_ROLE_WITH_NOTRESOURCE",
                "STAR_IN_ACTION_AND_NOTRESOURCE" => "PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOTRESOURCE",
                _ => "PASS_ROLE_WITH_NOTACTION_AND_NOTRESOURCE",
            },
            "list the role ARNs in `Resource`, or add an `iam:PassedToService` condition",
        ),
        _ => (
            match code {
                "STAR_IN_RESOURCE" => "CREATE_SLR_WITH_STAR_IN_RESOURCE",
                "STAR_IN_ACTION_AND_RESOURCE" => "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE",
                "STAR_IN_RESOURCE_AND_NOTACTION" => {
                    "CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOTACTION"
                }
                "NOTRESOURCE" => "CREATE_SLR_WITH_NOTRESOURCE",
                "STAR_IN_ACTION_AND_NOTRESOURCE" => {
                    "CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOTRESOURCE"
                }
                _ => "CREATE_SLR_WITH_NOTACTION_AND_NOTRESOURCE",
            },
            "list the service-linked role ARNs in `Resource`, or add an `iam:AWSServiceName` condition",
        ),
    };
    let via = match how {
        Reach::Explicit => format!("`{action}`"),
        Reach::Star => format!("a wildcard action that includes `{action}`"),
        Reach::NotAction => format!("`NotAction`, which includes `{action}`,"),
    };
    let on = if resources.negated {
        "with `NotResource`"
    } else {
        "on every role"
    };
    ctx.push(
        finding_type,
        code,
        format!("the statement allows {via} {on}, which can be overly permissive; {advice}"),
        Some(stmt.index),
        path,
        span,
    );
}

/// Tag condition keys (`aws:ResourceTag/...`, `aws:RequestTag/...`, `aws:TagKeys`) only work for
/// the actions that support them; for the other services of the statement the condition cannot
/// match, so an Allow grants nothing there and a Deny denies nothing there.
fn tag_keys(ctx: &mut Ctx, stmt: &Stmt<'_>, keys: &[(&str, &Member)]) {
    let (Some(effect), Some(actions)) = (stmt.effect, stmt.action.as_ref()) else {
        return;
    };
    let tag_keys: Vec<(&str, String)> = keys
        .iter()
        .filter_map(|(op, key)| {
            let name = key.key.value.as_str();
            let lower = name.to_ascii_lowercase();
            let tagged = |prefix: &str| lower.strip_prefix(prefix).is_some_and(|t| !t.is_empty());
            let is_tag =
                tagged("aws:resourcetag/") || tagged("aws:requesttag/") || lower == "aws:tagkeys";
            let op = Operator::parse(op);
            (is_tag && op.is_some_and(|o| o.family != Family::Null && !o.if_exists))
                .then_some((name, lower))
        })
        .collect();
    if tag_keys.is_empty() {
        return;
    }
    // One expansion per statement, shared by its tag keys.
    let expanded = Catalog::get().expand(actions.items.iter().map(|i| i.value), actions.negated);
    for (name, lower) in &tag_keys {
        let name = *name;
        let Some(key) = keys.iter().map(|(_, k)| *k).find(|k| k.key.value == name) else {
            continue;
        };
        let mut unsupported: Vec<&str> = expanded
            .iter()
            .filter(|s| {
                let Some(index) = s.service.condition_key_index_lower(lower) else {
                    return true;
                };
                !s.actions.iter().any(|a| a.condition_keys.contains(&index))
            })
            .map(|s| s.service.prefix)
            .collect();
        if unsupported.is_empty() {
            continue;
        }
        let count = unsupported.len();
        unsupported.truncate(8);
        let more = if count > 8 {
            format!(" and {} more", count - 8)
        } else {
            String::new()
        };
        let services = format!("`{}`{more}", unsupported.join("`, `"));
        let (finding_type, code, message) = match (effect, actions.negated) {
            ("Allow", false) => (
                Suggestion,
                "ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
                format!(
                    "the condition key `{name}` does not apply to the actions of {services}, so this statement allows none of them; move those actions to a statement without this key"
                ),
            ),
            ("Allow", true) => (
                Suggestion,
                "ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
                format!(
                    "with `NotAction`, the condition key `{name}` allows only actions that support it, not those of {services}; list the actions with `Action` instead"
                ),
            ),
            (_, false) => (
                SecurityWarning,
                "DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
                format!(
                    "the condition key `{name}` does not apply to the actions of {services}, so this statement denies none of them; deny those actions in a statement without this key"
                ),
            ),
            (_, true) => (
                SecurityWarning,
                "DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
                format!(
                    "with `NotAction`, the condition key `{name}` leaves the actions of {services} undenied; list the actions with `Action` instead"
                ),
            ),
        };
        ctx.push(
            finding_type,
            code,
            message,
            Some(stmt.index),
            format!("{}.Condition", stmt.path),
            key.key.span,
        );
    }
}

/// Keys that are only safe together with another key.
fn paired_keys(ctx: &mut Ctx, stmt: &Stmt<'_>, keys: &[(&str, &Member)]) {
    let has = |name: &str| {
        keys.iter()
            .any(|(_, k)| k.key.value.eq_ignore_ascii_case(name))
    };
    for (_, key) in keys {
        if key.key.value.eq_ignore_ascii_case("aws:VpcSourceIp")
            && !has("aws:SourceVpc")
            && !has("aws:SourceVpce")
        {
            ctx.push(
                SecurityWarning,
                "MISSING_PAIRED_CONDITION_KEYS",
                "`aws:VpcSourceIp` alone can be overly permissive, since the same private range exists in many VPCs; add `aws:SourceVpc` or `aws:SourceVpce`".to_owned(),
                Some(stmt.index),
                format!("{}.Condition", stmt.path),
                key.key.span,
            );
        }
    }
}
