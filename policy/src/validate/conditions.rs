//! `Condition` blocks: operators, set qualifiers and `IfExists`, condition keys against the global
//! keys and the catalog, and whether the operator fits the key's type.

use std::collections::HashMap;

use super::condition_values::{self, KeyInfo};
use super::operators::{Family, Operator, Qualifier, operator_hint};
use super::reporting::{join, type_mismatch};
use super::suggest::closest;
use super::{Ctx, Stmt};
use crate::catalog::{Catalog, GLOBAL_CONDITION_KEYS, KeyType, global_condition_key};
use crate::json::{JsonKind, Member};
use crate::validate::FindingType::{Error, SecurityWarning, Suggestion, Warning};

pub(super) fn check(ctx: &mut Ctx, stmt: &Stmt<'_>) {
    let Some(condition) = stmt.condition else {
        return;
    };
    let JsonKind::Object(operators) = &condition.kind else {
        return;
    };
    let base = join(&stmt.path, "Condition");
    for member in operators {
        check_operator(ctx, stmt, &base, member);
    }
}

fn check_operator(ctx: &mut Ctx, stmt: &Stmt<'_>, base: &str, member: &Member) {
    let text = member.key.value.as_str();
    let path = join(base, text);
    let Some(op) = Operator::parse(text) else {
        let hint = operator_hint(text);
        ctx.push(
            Error,
            "INVALID_CONDITION_OPERATOR",
            format!("the condition operator `{text}` is not valid{hint}"),
            Some(stmt.index),
            path,
            member.key.span,
        );
        return;
    };
    if op.family == Family::Null && op.if_exists {
        ctx.push(Error, "NULL_WITH_IF_EXISTS", format!("the `Null` operator cannot take the `IfExists` suffix; write `Null` instead of `{text}`"), Some(stmt.index), path.clone(), member.key.span);
    }
    if op.family == Family::Null && op.qualifier.is_some() {
        ctx.push(Suggestion, "NULL_WITH_QUALIFIER", format!("avoid `{text}`: the `Null` operator with `ForAllValues` or `ForAnyValue` always returns true or false; use `Null` alone"), Some(stmt.index), path.clone(), member.key.span);
    }
    let JsonKind::Object(keys) = &member.value.kind else {
        type_mismatch(
            ctx,
            &member.value,
            "an object of condition keys",
            Some(stmt.index),
            path,
        );
        return;
    };
    if keys.is_empty() {
        ctx.push(Suggestion, "EMPTY_OBJECT_CONDITION", format!("the `{text}` block has no condition keys and does not affect the policy; add keys or remove it"), Some(stmt.index), path.clone(), member.value.span);
    }
    let mut seen: HashMap<String, &str> = HashMap::new();
    for key in keys {
        let name = key.key.value.as_str();
        let key_path = join(&path, name);
        if let Some(first) = seen.insert(name.to_ascii_lowercase(), name) {
            ctx.push(Error, "DUPLICATE_KEYS_WITH_DIFFERENT_CASE", format!("the condition key `{name}` appears again as `{first}` under `{text}`; keys are case-insensitive, keep one"), Some(stmt.index), key_path.clone(), key.key.span);
        }
        let info = resolve_key(ctx, stmt, &key_path, key);
        if let Some(info) = info {
            check_key_fits(ctx, stmt, &key_path, key, &op, info);
        }
        condition_values::check(ctx, stmt, &key_path, key, &op, info);
    }
}

/// Finds the key among the global keys and the catalog; reports unknown or malformed keys.
fn resolve_key(ctx: &mut Ctx, stmt: &Stmt<'_>, path: &str, key: &Member) -> Option<KeyInfo> {
    let name = key.key.value.as_str();
    let mut error = |code: &'static str, message: String| {
        ctx.push(
            Error,
            code,
            message,
            Some(stmt.index),
            path.to_owned(),
            key.key.span,
        );
    };
    let Some((prefix, rest)) = name
        .split_once(':')
        .filter(|(p, r)| !p.is_empty() && !r.is_empty())
    else {
        error(
            "INVALID_CONDITION_KEY_FORMAT",
            format!(
                "the condition key `{name}` is not valid; use the format `service:keyname`, e.g. `aws:SourceIp`"
            ),
        );
        return None;
    };
    let catalog = Catalog::get();
    if prefix.eq_ignore_ascii_case("aws") {
        if rest.eq_ignore_ascii_case("arn") {
            ctx.push(Warning, "DEPRECATED_GLOBAL_CONDITION_KEY", format!("the condition key `{name}` is deprecated; use `aws:PrincipalArn` or `aws:SourceArn` instead"), Some(stmt.index), path.to_owned(), key.key.span);
            return None;
        }
        let lower = rest.to_ascii_lowercase();
        let tag = ["principaltag", "requesttag", "resourcetag"]
            .into_iter()
            .find(|t| lower == *t || lower == format!("{t}/"));
        if tag.is_some() {
            error(
                "MISSING_TAG_KEY_IN_CONDITION",
                format!(
                    "the condition key `{name}` needs a tag key; write it as `{}/tag-key`",
                    name.trim_end_matches('/')
                ),
            );
            return None;
        }
        if let Some(global) = global_condition_key(name) {
            return Some(KeyInfo {
                key_type: global.key_type,
                multivalued: global.multivalued,
            });
        }
        if let Some((_, k)) = catalog.condition_key(name) {
            return Some(KeyInfo {
                key_type: k.key_type,
                multivalued: k.multivalued,
            });
        }
        let hint = closest(name, GLOBAL_CONDITION_KEYS.iter().map(|g| g.name))
            .map(|g| format!("; did you mean `{g}`?"))
            .unwrap_or_else(|| "; use a documented global condition key".to_owned());
        error(
            "INVALID_GLOBAL_CONDITION_KEY",
            format!("the condition key `{name}` does not exist{hint}"),
        );
        return None;
    }
    if let Some((_, k)) = catalog.condition_key(name) {
        return Some(KeyInfo {
            key_type: k.key_type,
            multivalued: k.multivalued,
        });
    }
    if let Some(service) = catalog.service(prefix) {
        let hint = closest(name, service.condition_keys.iter().map(|k| k.name))
            .map(|k| format!("; did you mean `{k}`?"))
            .unwrap_or_else(|| "; use a condition key of the service".to_owned());
        error(
            "INVALID_SERVICE_CONDITION_KEY",
            format!(
                "the condition key `{name}` does not exist in the service `{}`{hint}",
                service.prefix
            ),
        );
    } else if catalog.has_key_prefix(prefix) {
        error(
            "INVALID_SERVICE_CONDITION_KEY",
            format!(
                "the condition key `{name}` does not exist; use a documented key with the prefix `{prefix}`"
            ),
        );
    } else {
        error(
            "INVALID_SERVICE",
            format!(
                "the service `{prefix}` in the condition key `{name}` does not exist; use a valid service prefix"
            ),
        );
    }
    None
}

/// Qualifiers against single- and multivalued keys, and the operator family against the key type.
fn check_key_fits(
    ctx: &mut Ctx,
    stmt: &Stmt<'_>,
    path: &str,
    key: &Member,
    op: &Operator<'_>,
    info: KeyInfo,
) {
    let name = key.key.value.as_str();
    let at = (Some(stmt.index), path.to_owned(), key.key.span);
    if op.family == Family::Null {
        return;
    }
    match (op.qualifier, info.multivalued) {
        (Some(Qualifier::ForAllValues), false) if stmt.is_allow() => ctx.push(SecurityWarning, "FORALLVALUES_WITH_SINGLE_VALUED_KEY", format!("`ForAllValues` with the single-valued key `{name}` can be overly permissive: it also matches when the key is missing; remove `ForAllValues:`"), at.0, at.1.clone(), at.2),
        (None, true) => ctx.push(Error, "MISSING_QUALIFIER", format!("the condition key `{name}` can have several values in a request; prefix `{}` with `ForAllValues:` or `ForAnyValue:`", op.text), at.0, at.1.clone(), at.2),
        _ => {}
    }
    let fits = match (op.family, info.key_type) {
        (_, KeyType::Other) => true,
        (Family::String, KeyType::String) => true,
        (Family::String, KeyType::Arn) => {
            if op.base == "StringLike" || op.base == "StringNotLike" {
                ctx.push(Suggestion, "STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS", format!("`{name}` holds an ARN; use `ArnLike` or `ArnNotLike` instead of `{}` so each ARN part is matched separately", op.base), at.0, at.1.clone(), at.2);
            }
            true
        }
        // String keys often hold ARNs (`kms:EncryptionContext:aws:s3:arn`); AWS's own policies
        // match them with `ArnLike`.
        (Family::Arn, KeyType::Arn | KeyType::String) => true,
        (Family::Numeric, KeyType::Numeric) => true,
        (Family::Numeric | Family::Date, KeyType::Date) => true,
        (Family::Date, KeyType::Numeric) => false,
        (Family::Bool, KeyType::Bool) => true,
        (Family::Ip, KeyType::IpAddress) => true,
        (Family::Binary, KeyType::Binary | KeyType::String) => true,
        _ => false,
    };
    if !fits {
        let expected = info.key_type.operator_family();
        ctx.push(Warning, "TYPE_MISMATCH", format!("the condition key `{name}` is of type {expected}; use a {expected} operator instead of `{}`", op.text), at.0, at.1, at.2);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_parse() {
        let op = Operator::parse("ForAnyValue:StringLikeIfExists").unwrap();
        assert_eq!(op.base, "StringLike");
        assert_eq!(op.qualifier, Some(Qualifier::ForAnyValue));
        assert!(op.if_exists);
        assert!(Operator::parse("NumericLike").is_none());
        assert!(Operator::parse("ForSomeValues:StringEquals").is_none());
        assert!(Operator::parse("ForAnyValue::StringEquals").is_none());
        assert_eq!(
            Operator::parse("NullIfExists").unwrap().family,
            Family::Null
        );
    }
}
