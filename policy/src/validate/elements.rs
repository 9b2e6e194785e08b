//! `Action`/`NotAction` and `Resource`/`NotResource`: exactly one of each pair, read as a list of
//! strings.

use super::reporting::{join, opening, type_mismatch};
use super::{Ctx, Stmt, StrItem, StrList};
use crate::json::{JsonKind, Member};
use crate::validate::FindingType::Error;

/// Checks a `Action`/`NotAction` (or `Resource`/`NotResource`) pair: exactly one must be there.
pub(super) fn pair<'a>(
    ctx: &mut Ctx,
    stmt: &Stmt<'_>,
    plain: Option<&'a Member>,
    not: Option<&'a Member>,
    (plain_name, not_name): (&'static str, &'static str),
) -> Option<StrList<'a>> {
    let index = Some(stmt.index);
    match (plain, not) {
        (Some(_), Some(n)) => {
            ctx.push(
                Error,
                "UNSUPPORTED_ELEMENT_COMBINATION",
                format!("the elements `{plain_name}` and `{not_name}` cannot be used in the same statement; remove one of them"),
                index,
                join(&stmt.path, not_name),
                n.key.span,
            );
            None
        }
        (None, None) => {
            let code = if plain_name == "Action" {
                "MISSING_ACTION"
            } else {
                "MISSING_RESOURCE"
            };
            ctx.push(
                Error,
                code,
                format!("the statement has no `{plain_name}` or `{not_name}`; add one of them"),
                index,
                stmt.path.clone(),
                opening(stmt.span),
            );
            None
        }
        (Some(m), None) => strings(ctx, stmt, m, plain_name, false),
        (None, Some(m)) => strings(ctx, stmt, m, not_name, true),
    }
}

/// Reads a string-or-array-of-strings element.
fn strings<'a>(
    ctx: &mut Ctx,
    stmt: &Stmt<'_>,
    m: &'a Member,
    name: &'static str,
    negated: bool,
) -> Option<StrList<'a>> {
    let path = join(&stmt.path, name);
    let mut list = StrList {
        name,
        negated,
        span: m.value.span,
        path: path.clone(),
        items: Vec::new(),
    };
    match &m.value.kind {
        JsonKind::String(s) => list.items.push(StrItem {
            value: s,
            path,
            span: m.value.span,
        }),
        JsonKind::Array(items) => {
            if items.is_empty() {
                // Access Analyzer calls this EMPTY_ARRAY_ACTION / EMPTY_ARRAY_RESOURCE, a
                // suggestion, but IAM refuses the policy ("Policy statement must contain
                // actions."), and so does `crate::parse`: it is an error here.
                let (code, what) = if name.ends_with("Action") {
                    ("MISSING_ACTION", "action")
                } else {
                    ("MISSING_RESOURCE", "resource")
                };
                ctx.push(
                    Error,
                    code,
                    format!("the `{name}` array is empty; list at least one {what}"),
                    Some(stmt.index),
                    path.clone(),
                    m.value.span,
                );
            }
            for (i, item) in items.iter().enumerate() {
                let item_path = format!("{path}[{i}]");
                match &item.kind {
                    JsonKind::String(s) => list.items.push(StrItem {
                        value: s,
                        path: item_path,
                        span: item.span,
                    }),
                    _ => type_mismatch(ctx, item, "a string", Some(stmt.index), item_path),
                }
            }
        }
        _ => {
            type_mismatch(
                ctx,
                &m.value,
                "a string or an array of strings",
                Some(stmt.index),
                path,
            );
            return None;
        }
    }
    Some(list)
}
