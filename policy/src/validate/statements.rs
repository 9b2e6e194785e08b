//! Whole-policy checks across statements.

use std::collections::HashMap;

use super::{Ctx, Stmt};
use crate::json::{Json, JsonKind};
use crate::validate::FindingType::Suggestion;

pub(super) fn check(ctx: &mut Ctx, stmts: &[Stmt<'_>]) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for stmt in stmts {
        let key = canonical_statement(stmt.json);
        if let Some(first) = seen.get(&key) {
            ctx.push(
                Suggestion,
                "REDUNDANT_STATEMENT",
                format!("this statement grants the same permissions as statement {first}; remove one of them"),
                Some(stmt.index),
                stmt.path.clone(),
                stmt.span,
            );
        } else {
            seen.insert(key, stmt.index);
        }
    }
}

/// The statement without its `Sid`, with object members sorted, so that equal statements written
/// differently compare equal.
fn canonical_statement(json: &Json) -> String {
    let mut out = String::new();
    match &json.kind {
        JsonKind::Object(members) => {
            let mut members: Vec<_> = members.iter().filter(|m| m.key.value != "Sid").collect();
            members.sort_by(|a, b| a.key.value.cmp(&b.key.value));
            out.push('{');
            for m in members {
                canonical(&m.key.value, &m.value, &mut out);
            }
            out.push('}');
        }
        _ => canonical_value(json, &mut out),
    }
    out
}

fn canonical(key: &str, value: &Json, out: &mut String) {
    out.push_str(&format!("{key:?}:"));
    canonical_value(value, out);
    out.push(',');
}

fn canonical_value(json: &Json, out: &mut String) {
    match &json.kind {
        JsonKind::Null => out.push_str("null"),
        JsonKind::Bool(b) => out.push_str(&format!("{b:?}")),
        JsonKind::Number(n) | JsonKind::String(n) => out.push_str(&format!("{n:?}")),
        JsonKind::Array(items) => {
            out.push('[');
            for item in items {
                canonical_value(item, out);
                out.push(',');
            }
            out.push(']');
        }
        JsonKind::Object(members) => {
            let mut members: Vec<_> = members.iter().collect();
            members.sort_by(|a, b| a.key.value.cmp(&b.key.value));
            out.push('{');
            for m in members {
                canonical(&m.key.value, &m.value, out);
            }
            out.push('}');
        }
    }
}
