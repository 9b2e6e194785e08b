//! The policy's shape: top-level elements, statements, their elements and JSON types. Produces a
//! [`Stmt`] view of each statement for the other checks.

use std::collections::HashMap;

use super::reporting::{join, opening, type_mismatch};
use super::{Ctx, Stmt, elements};
use crate::json::{Json, JsonKind, Member};
use crate::span::Span;
use crate::validate::FindingType::{Error, Suggestion, Warning};

const TOP_ELEMENTS: &[&str] = &["Version", "Id", "Statement"];
const STATEMENT_ELEMENTS: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];
pub(crate) const VERSIONS: &[&str] = &["2012-10-17", "2008-10-17"];

/// Checks the document and returns its statements.
pub(super) fn check_document<'a>(ctx: &mut Ctx, root: &'a Json) -> Vec<Stmt<'a>> {
    let JsonKind::Object(members) = &root.kind else {
        ctx.push(
            Error,
            "DATA_TYPE_MISMATCH",
            format!(
                "the policy must be a JSON object, found {}; wrap it in `{{ }}`",
                root.describe()
            ),
            None,
            String::new(),
            root.span,
        );
        return Vec::new();
    };
    check_element_names(ctx, members, TOP_ELEMENTS, None, "");
    let get = |name: &str| members.iter().find(|m| m.key.value == name);
    match get("Version") {
        None => ctx.push(
            Warning,
            "MISSING_VERSION",
            "the policy has no `Version`; add `\"Version\": \"2012-10-17\"` so that policy variables work and debugging is easier".to_owned(),
            None,
            String::new(),
            opening(root.span),
        ),
        Some(m) => check_version(ctx, m),
    }
    if let Some(id) = get("Id") {
        if matches!(id.value.kind, JsonKind::String(_)) {
            // The grammar allows `Id`, but the IAM User Guide says identity policies must not
            // include it; IAM ignores it there. Advice, not an error.
            ctx.push(
                Warning,
                "INVALID_POLICY_ELEMENT",
                "the `Id` element belongs in resource-based policies and has no effect in an identity policy; remove it".to_owned(),
                None,
                "Id".to_owned(),
                id.key.span,
            );
        } else {
            type_mismatch(ctx, &id.value, "a string", None, "Id".to_owned());
        }
    }
    let Some(statement) = get("Statement") else {
        ctx.push(
            Error,
            "MISSING_STATEMENT",
            "the policy has no `Statement`; add a `Statement` array with at least one statement"
                .to_owned(),
            None,
            String::new(),
            opening(root.span),
        );
        return Vec::new();
    };
    let items: Vec<(&Json, String)> = match &statement.value.kind {
        JsonKind::Object(_) => vec![(&statement.value, "Statement".to_owned())],
        JsonKind::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, s)| (s, format!("Statement[{i}]")))
            .collect(),
        _ => {
            type_mismatch(
                ctx,
                &statement.value,
                "an array of statement objects",
                None,
                "Statement".to_owned(),
            );
            return Vec::new();
        }
    };
    if items.is_empty() {
        ctx.push(
            Error,
            "MISSING_STATEMENT",
            "the `Statement` array is empty; add a statement to the policy".to_owned(),
            None,
            "Statement".to_owned(),
            statement.value.span,
        );
    }
    let mut stmts = Vec::new();
    for (index, (json, path)) in items.into_iter().enumerate() {
        if let Some(stmt) = check_statement(ctx, index, json, path) {
            stmts.push(stmt);
        }
    }
    check_sids(ctx, &stmts);
    stmts
}

fn check_version(ctx: &mut Ctx, member: &Member) {
    match &member.value.kind {
        JsonKind::String(v) if VERSIONS.contains(&v.as_str()) => ctx.version = Some(v.clone()),
        JsonKind::String(v) => ctx.push(
            Error,
            "INVALID_VERSION",
            format!("the version `{v}` is not valid; use `2012-10-17`"),
            None,
            "Version".to_owned(),
            member.value.span,
        ),
        _ => type_mismatch(
            ctx,
            &member.value,
            "the string `2012-10-17`",
            None,
            "Version".to_owned(),
        ),
    }
}

/// Reports unknown element names, with a hint when only the case is wrong.
fn check_element_names(
    ctx: &mut Ctx,
    members: &[Member],
    allowed: &[&str],
    stmt: Option<usize>,
    base: &str,
) {
    for m in members {
        let name = m.key.value.as_str();
        if allowed.contains(&name) {
            continue;
        }
        let hint = match allowed.iter().find(|a| a.eq_ignore_ascii_case(name)) {
            Some(right) => format!("element names are case-sensitive; write `{right}`"),
            None => format!("use only {}", allowed.join(", ")),
        };
        ctx.push(
            Error,
            "INVALID_POLICY_ELEMENT",
            format!("the policy element `{name}` is not valid; {hint}"),
            stmt,
            join(base, name),
            m.key.span,
        );
    }
}

fn check_statement<'a>(
    ctx: &mut Ctx,
    index: usize,
    json: &'a Json,
    path: String,
) -> Option<Stmt<'a>> {
    let JsonKind::Object(members) = &json.kind else {
        type_mismatch(ctx, json, "a statement object", Some(index), path);
        return None;
    };
    check_element_names(ctx, members, STATEMENT_ELEMENTS, Some(index), &path);
    let get = |name: &str| members.iter().find(|m| m.key.value == name);
    let mut stmt = Stmt {
        index,
        path,
        span: json.span,
        json,
        sid: None,
        effect: None,
        action: None,
        resource: None,
        condition: None,
    };
    for name in ["Principal", "NotPrincipal"] {
        if let Some(m) = get(name) {
            ctx.push(
                Error,
                "UNSUPPORTED_PRINCIPAL",
                format!("identity policies do not support the `{name}` element; remove it (the policy applies to the user, group or role it is attached to)"),
                Some(index),
                join(&stmt.path, name),
                m.key.span,
            );
        }
    }
    if let Some(m) = get("Sid") {
        stmt.sid = check_sid(ctx, m, &stmt);
    }
    match get("Effect") {
        None => ctx.push(
            Error,
            "MISSING_EFFECT",
            "the statement has no `Effect`; add `\"Effect\": \"Allow\"` or `\"Effect\": \"Deny\"`"
                .to_owned(),
            Some(index),
            stmt.path.clone(),
            opening(json.span),
        ),
        Some(m) => match &m.value.kind {
            JsonKind::String(e) if e == "Allow" || e == "Deny" => stmt.effect = Some(e.as_str()),
            JsonKind::String(e) => ctx.push(
                Error,
                "INVALID_EFFECT",
                format!("the effect `{e}` is not valid; use `Allow` or `Deny` (case-sensitive)"),
                Some(index),
                join(&stmt.path, "Effect"),
                m.value.span,
            ),
            _ => type_mismatch(
                ctx,
                &m.value,
                "`Allow` or `Deny`",
                Some(index),
                join(&stmt.path, "Effect"),
            ),
        },
    }
    stmt.action = elements::pair(
        ctx,
        &stmt,
        get("Action"),
        get("NotAction"),
        ("Action", "NotAction"),
    );
    stmt.resource = elements::pair(
        ctx,
        &stmt,
        get("Resource"),
        get("NotResource"),
        ("Resource", "NotResource"),
    );
    if let Some(m) = get("Condition") {
        match &m.value.kind {
            JsonKind::Object(ops) if ops.is_empty() => ctx.push(
                Suggestion,
                "EMPTY_OBJECT_CONDITION",
                "the `Condition` block is empty and does not affect the policy; add conditions or remove it".to_owned(),
                Some(index),
                join(&stmt.path, "Condition"),
                m.value.span,
            ),
            JsonKind::Object(_) => stmt.condition = Some(&m.value),
            _ => type_mismatch(ctx, &m.value, "an object of condition operators", Some(index), join(&stmt.path, "Condition")),
        }
    }
    Some(stmt)
}

fn check_sid<'a>(ctx: &mut Ctx, m: &'a Member, stmt: &Stmt<'_>) -> Option<&'a str> {
    let path = join(&stmt.path, "Sid");
    let JsonKind::String(sid) = &m.value.kind else {
        type_mismatch(ctx, &m.value, "a string", Some(stmt.index), path);
        return None;
    };
    if sid.is_empty() {
        ctx.push(
            Suggestion,
            "EMPTY_SID_VALUE",
            "the `Sid` is an empty string; give the statement a name or remove the `Sid`"
                .to_owned(),
            Some(stmt.index),
            path,
            m.value.span,
        );
    } else if !sid.bytes().all(|b| b.is_ascii_alphanumeric()) {
        ctx.push(
            Error,
            "UNSUPPORTED_SID",
            format!("the `Sid` `{sid}` may contain only the characters a-z, A-Z and 0-9; remove the others"),
            Some(stmt.index),
            path,
            m.value.span,
        );
    }
    Some(sid.as_str())
}

fn check_sids(ctx: &mut Ctx, stmts: &[Stmt<'_>]) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for stmt in stmts {
        let Some(sid) = stmt.sid.filter(|s| !s.is_empty()) else {
            continue;
        };
        if let Some(first) = seen.insert(sid, stmt.index) {
            let span = element_span(stmt.json, "Sid").unwrap_or(stmt.span);
            ctx.push(
                Error,
                "UNIQUE_SIDS_REQUIRED",
                format!("the `Sid` `{sid}` is already used by statement {first}; statement ids must be unique in a policy, rename one"),
                Some(stmt.index),
                join(&stmt.path, "Sid"),
                span,
            );
            seen.insert(sid, first);
        }
    }
}

/// The span of the value of member `name` of an object.
fn element_span(json: &Json, name: &str) -> Option<Span> {
    let JsonKind::Object(members) = &json.kind else {
        return None;
    };
    members
        .iter()
        .find(|m| m.key.value == name)
        .map(|m| m.value.span)
}

#[cfg(test)]
mod tests {
    use crate::validate::validate;

    #[test]
    fn missing_elements_point_at_the_opening_brace() {
        let result = validate(
            "{\n  \"Statement\": [{\"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]\n}",
        );
        let version = &result.findings[0];
        assert_eq!(version.issue_code, "MISSING_VERSION");
        assert_eq!(
            (
                version.location.span.start.offset,
                version.location.span.end.offset
            ),
            (0, 1)
        );
        let effect = result
            .findings
            .iter()
            .find(|f| f.issue_code == "MISSING_EFFECT")
            .unwrap();
        assert_eq!(effect.location.span.start.line, 2);
        assert_eq!(
            effect.location.span.end.offset - effect.location.span.start.offset,
            1
        );
    }
}
