//! Condition values: JSON types, formats per operator family (numbers, dates, booleans, IP ranges,
//! base64), policy variables, and key-specific formats (regions, VPC ids, private IP ranges).

use super::arn::is_region;
use super::operators::{Family, Operator, Qualifier};
use super::reporting::type_mismatch;
use super::values::{DateValue, IpRange, date_value, is_base64, is_bool, parse_number};
use super::variables::{self, Place};
use super::{Ctx, Stmt};
use crate::catalog::KeyType;
use crate::json::{Json, JsonKind, Member};
use crate::span::Span;
use crate::validate::FindingType::{Error, Suggestion, Warning};

/// What the validator knows about a condition key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct KeyInfo {
    pub key_type: KeyType,
    pub multivalued: bool,
}

/// One condition value in its string form (JSON numbers and booleans count as their text).
struct Value<'a> {
    text: String,
    json: &'a Json,
    path: String,
}

pub(super) fn check(
    ctx: &mut Ctx,
    stmt: &Stmt<'_>,
    path: &str,
    key: &Member,
    op: &Operator<'_>,
    _info: Option<KeyInfo>,
) {
    let Some(values) = collect(ctx, stmt, path, key, op) else {
        return;
    };
    let name = key.key.value.as_str();
    let mut private = (0, 0);
    let mut numbers = 0;
    for value in &values {
        let at = (Some(stmt.index), value.path.clone(), value.json.span);
        if variables::has_variable(&value.text) {
            if matches!(op.family, Family::String | Family::Arn | Family::Bool) {
                let place = Place {
                    stmt: stmt.index,
                    path: &value.path,
                    span: value.json.span,
                    element: "Condition",
                    allowed: true,
                };
                variables::report(ctx, &value.text, &place);
            } else {
                ctx.push(Error, "INVALID_VARIABLE_FOR_OPERATOR", format!("the policy variable in `{}` cannot be used with `{}`; policy variables work only with String and Arn operators", value.text, op.text), at.0, at.1, at.2);
            }
            continue;
        }
        let text = value.text.as_str();
        match op.family {
            Family::Numeric => match parse_number(text) {
                Some(_) => numbers += 1,
                None => ctx.push(Warning, "TYPE_MISMATCH_NUMBER", format!("`{text}` is not a number; give `{}` an integer or decimal value", op.text), at.0, at.1, at.2),
            },
            Family::Date => match date_value(text) {
                DateValue::Invalid => ctx.push(Warning, "TYPE_MISMATCH_DATE", format!("`{text}` is not a date; give `{}` a date such as `2024-01-31` or `2024-01-31T12:00:00Z`, or epoch seconds", op.text), at.0, at.1, at.2),
                DateValue::EpochMillis => ctx.push(Warning, "INVALID_DATE_VALUE", format!("`{text}` reads as epoch seconds far in the future (milliseconds?); use the YYYY-MM-DD format or epoch seconds"), at.0, at.1, at.2),
                DateValue::Iso | DateValue::Epoch => {}
            },
            Family::Bool | Family::Null => {
                if !is_bool(text) {
                    ctx.push(Warning, "TYPE_MISMATCH_BOOLEAN", format!("`{text}` is not a boolean; give `{}` the value `true` or `false`", op.text), at.0, at.1, at.2);
                }
            }
            Family::Binary => {
                if !is_base64(text) {
                    ctx.push(Warning, "TYPE_MISMATCH_STRING", format!("`{text}` is not base64; give `{}` a base64-encoded value", op.text), at.0, at.1, at.2);
                }
            }
            Family::Ip => match IpRange::parse(text) {
                None => ctx.push(Warning, "TYPE_MISMATCH_IP_RANGE", format!("`{text}` is not an IP range; give `{}` a CIDR range such as `203.0.113.0/24`", op.text), at.0, at.1, at.2),
                Some(range) => {
                    if let Some(fixed) = range.normalized() {
                        ctx.push(Suggestion, "IMPROVE_IP_RANGE", format!("the bits of `{text}` after the /{} mask are ignored; write `{fixed}`", range.prefix), at.0, at.1.clone(), at.2);
                    }
                    private.0 += usize::from(range.is_private());
                    private.1 += 1;
                }
            },
            Family::String => check_string(ctx, name, op, text, at),
            Family::Arn => {}
        }
        if matches!(op.base, "StringLike" | "ArnLike") && text == "*" && op.qualifier.is_none() {
            ctx.push(Suggestion, "EQUIVALENT_TO_NULL_FALSE", format!("`{}` with the value `*` only checks that `{name}` is present; write `\"Null\": {{\"{name}\": \"false\"}}` instead", op.text), Some(stmt.index), value.path.clone(), value.json.span);
        }
    }
    if name.eq_ignore_ascii_case("aws:SourceIp") && private.0 > 0 {
        private_ranges(ctx, stmt, path, key, op, private);
    }
    if op.family == Family::Bool && op.qualifier.is_none() && values.len() > 1 {
        ctx.push(
            Error,
            "INVALID_CONDITION_MULTIPLE_BOOLEAN",
            format!(
                "the condition key `{name}` takes a single boolean value; keep one of the values"
            ),
            Some(stmt.index),
            path.to_owned(),
            key.value.span,
        );
    }
    let ordered = matches!(
        op.base,
        "NumericLessThan"
            | "NumericLessThanEquals"
            | "NumericGreaterThan"
            | "NumericGreaterThanEquals"
    );
    if ordered && op.qualifier.is_none() && numbers > 1 {
        let which = if op.base.contains("Less") {
            "greatest"
        } else {
            "least"
        };
        ctx.push(
            Suggestion,
            "REDUNDANT_CONDITION_VALUE_NUM",
            format!(
                "several values in `{}` for `{name}` are redundant; keep only the {which} one",
                op.text
            ),
            Some(stmt.index),
            path.to_owned(),
            key.value.span,
        );
    }
}

/// Reads the value of a condition key: a scalar or an array of scalars of one JSON type.
fn collect<'a>(
    ctx: &mut Ctx,
    stmt: &Stmt<'_>,
    path: &str,
    key: &'a Member,
    op: &Operator<'_>,
) -> Option<Vec<Value<'a>>> {
    let name = key.key.value.as_str();
    let items: Vec<(&Json, String)> = match &key.value.kind {
        JsonKind::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (v, format!("{path}[{i}]")))
            .collect(),
        _ => vec![(&key.value, path.to_owned())],
    };
    if items.is_empty() {
        let (code, why) = match (op.qualifier, op.if_exists) {
            (Some(Qualifier::ForAllValues), _) => (
                "EMPTY_ARRAY_CONDITION_FORALLVALUES",
                "`ForAllValues` with no values matches only when the key is missing; to test that, use `Null`",
            ),
            (Some(Qualifier::ForAnyValue), _) => (
                "EMPTY_ARRAY_CONDITION_FORANYVALUE",
                "`ForAnyValue` with no values never matches; add values",
            ),
            (None, true) => (
                "EMPTY_ARRAY_CONDITION_IFEXISTS",
                "`IfExists` with no values matches only when the key is missing; to test that, use `Null`",
            ),
            (None, false) => (
                "EMPTY_ARRAY_CONDITION",
                "the condition has no values and does not affect the policy; add values",
            ),
        };
        ctx.push(
            Suggestion,
            code,
            format!("`{name}` has an empty list of values: {why}"),
            Some(stmt.index),
            path.to_owned(),
            key.value.span,
        );
        return None;
    }
    let mut values = Vec::new();
    let mut kinds = Vec::new();
    for (json, item_path) in items {
        let text = match &json.kind {
            JsonKind::String(s) => s.clone(),
            JsonKind::Number(n) => n.clone(),
            JsonKind::Bool(b) => b.to_string(),
            _ => {
                type_mismatch(
                    ctx,
                    json,
                    "a string, number or boolean condition value",
                    Some(stmt.index),
                    item_path,
                );
                continue;
            }
        };
        kinds.push(std::mem::discriminant(&json.kind));
        values.push(Value {
            text,
            json,
            path: item_path,
        });
    }
    kinds.dedup();
    if kinds.len() > 1 {
        ctx.push(Error, "INVALID_CONDITION_DATA_TYPE", format!("the values of `{name}` mix JSON types; write them all as strings (or all as numbers or booleans)"), Some(stmt.index), path.to_owned(), key.value.span);
    }
    Some(values)
}

fn check_string(
    ctx: &mut Ctx,
    key: &str,
    op: &Operator<'_>,
    text: &str,
    at: (Option<usize>, String, Span),
) {
    let like = op.base.contains("Like");
    if !like && variables::strip(text).contains(['*', '?']) {
        ctx.push(Warning, "WILDCARD_WITHOUT_LIKE_OPERATOR", format!("the value `{text}` contains `*` or `?`, which `{}` compares literally; if you meant a wildcard, use `StringLike`", op.text), at.0, at.1.clone(), at.2);
    }
    if text.contains(['*', '?']) {
        return;
    }
    let lower = key.to_ascii_lowercase();
    if lower == "aws:requestedregion" && !is_region(text) {
        ctx.push(
            Error,
            "INVALID_REGION",
            format!("the region `{text}` is not valid; use a region code such as `us-east-1`"),
            at.0,
            at.1,
            at.2,
        );
    } else if lower == "aws:sourcevpc" && !has_id_format(text, "vpc-") {
        ctx.push(Error, "INVALID_VPC_FORMAT", format!("the VPC id `{text}` is not valid; use `vpc-` followed by 8 or 17 letters and digits"), at.0, at.1, at.2);
    } else if lower == "aws:sourcevpce" && !has_id_format(text, "vpce-") {
        ctx.push(Error, "INVALID_VPCE_FORMAT", format!("the VPC endpoint id `{text}` is not valid; use `vpce-` followed by 8 or 17 letters and digits"), at.0, at.1, at.2);
    }
}

fn has_id_format(text: &str, prefix: &str) -> bool {
    text.strip_prefix(prefix).is_some_and(|id| {
        (id.len() == 8 || id.len() == 17) && id.bytes().all(|b| b.is_ascii_alphanumeric())
    })
}

/// `aws:SourceIp` never carries private addresses.
fn private_ranges(
    ctx: &mut Ctx,
    stmt: &Stmt<'_>,
    path: &str,
    key: &Member,
    op: &Operator<'_>,
    (private, total): (usize, usize),
) {
    let not = op.base == "NotIpAddress";
    let (finding_type, code, message) = match (private == total, not) {
        (true, false) => (
            Error,
            "PRIVATE_IP_ADDRESS",
            "`aws:SourceIp` only carries public addresses, so these private ranges never match; use public ranges, or `aws:VpcSourceIp` for private ones",
        ),
        (true, true) => (
            Error,
            "PRIVATE_NOTIPADDRESS",
            "`aws:SourceIp` only carries public addresses, so excluding these private ranges has no effect; use public ranges, or `aws:VpcSourceIp` for private ones",
        ),
        (false, false) => (
            Suggestion,
            "PRIVATE_IP_ADDRESS_SUBSET",
            "some ranges for `aws:SourceIp` are private and never match; remove them, or use `aws:VpcSourceIp` for private ranges",
        ),
        (false, true) => (
            Suggestion,
            "PRIVATE_NOTIPADDRESS_SUBSET",
            "some ranges for `aws:SourceIp` are private and excluding them has no effect; remove them, or use `aws:VpcSourceIp` for private ranges",
        ),
    };
    ctx.push(
        finding_type,
        code,
        message.to_owned(),
        Some(stmt.index),
        path.to_owned(),
        key.value.span,
    );
}
