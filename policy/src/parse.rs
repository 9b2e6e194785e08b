//! From source text to [`PolicyDocument`]: JSON syntax first (see [`crate::json`]), then the
//! structure of an identity-based policy.
//!
//! Structural problems are parse errors: a missing or misspelt element, a value of the wrong JSON
//! type, `Principal` in an identity policy, both `Action` and `NotAction`. Problems that need the
//! AWS catalog or are only questionable (unknown operators, unknown actions, duplicate `Sid`s,
//! `Id` in an identity policy) are left to the validator.

mod condition;

use crate::error::ParseError;
use crate::json::{Json, JsonKind, Member, parse_json};
use crate::model::{
    ActionKind, Effect, PatternBlock, PolicyDocument, ResourceKind, Statement, Version,
};
use crate::span::{Span, Spanned};

const DOCUMENT_ELEMENTS: &[&str] = &["Version", "Id", "Statement"];
const STATEMENT_ELEMENTS: &[&str] = &[
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

/// Parses an identity-based policy document (a user, group or role permissions policy, or a
/// permissions boundary).
pub fn parse(src: &str) -> Result<PolicyDocument, ParseError> {
    let json = parse_json(src)?;
    document(&json)
}

fn document(json: &Json) -> Result<PolicyDocument, ParseError> {
    let members = object(json, "a policy document")?;
    let mut version = None;
    let mut id = None;
    let mut statement = None;
    for m in members {
        match m.key.value.as_str() {
            "Version" => version = Some(parse_version(&m.value)?),
            "Id" => id = Some(string(&m.value, "`Id`")?),
            "Statement" => statement = Some(&m.value),
            other => {
                return Err(unknown_element(
                    &m.key,
                    other,
                    DOCUMENT_ELEMENTS,
                    "policy document",
                ));
            }
        }
    }
    let Some(statement) = statement else {
        return Err(ParseError::new(
            "the policy has no `Statement`; add `\"Statement\": [...]` with at least one statement",
            Span::point(json.span.start),
        ));
    };
    let (items, statement_is_array): (Vec<&Json>, bool) = match &statement.kind {
        JsonKind::Array(items) => (items.iter().collect(), true),
        JsonKind::Object(_) => (vec![statement], false),
        _ => {
            return Err(ParseError::new(
                format!(
                    "`Statement` must be an array of statement objects or a single statement object, found {}",
                    statement.describe()
                ),
                statement.span,
            ));
        }
    };
    if items.is_empty() {
        return Err(ParseError::new(
            "`Statement` is empty; add at least one statement",
            statement.span,
        ));
    }
    let statements = items
        .into_iter()
        .map(parse_statement)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(PolicyDocument {
        version,
        id,
        statements,
        statement_is_array,
        statement_span: statement.span,
        span: json.span,
    })
}

fn parse_version(json: &Json) -> Result<Spanned<Version>, ParseError> {
    let s = string(json, "`Version`")?;
    let v = match s.value.as_str() {
        "2012-10-17" => Version::V2012_10_17,
        "2008-10-17" => Version::V2008_10_17,
        other => {
            return Err(ParseError::new(
                format!("unsupported `Version` `{other}`; use `2012-10-17`"),
                s.span,
            ));
        }
    };
    Ok(Spanned::new(v, s.span))
}

fn parse_statement(json: &Json) -> Result<Statement, ParseError> {
    let members = object(json, "a statement")?;
    let mut sid = None;
    let mut effect = None;
    let mut action: Option<PatternBlock<ActionKind>> = None;
    let mut resource: Option<PatternBlock<ResourceKind>> = None;
    let mut condition = Vec::new();
    let mut condition_span = None;
    for m in members {
        let key = m.key.value.as_str();
        match key {
            "Sid" => sid = Some(string(&m.value, "`Sid`")?),
            "Effect" => effect = Some(parse_effect(&m.value)?),
            "Action" | "NotAction" => {
                let kind = if key == "Action" {
                    ActionKind::Action
                } else {
                    ActionKind::NotAction
                };
                if let Some(prev) = &action {
                    return Err(both(&m.key, prev.kind == kind, "Action", "NotAction"));
                }
                action = Some(pattern_block(m, kind, "action")?);
            }
            "Resource" | "NotResource" => {
                let kind = if key == "Resource" {
                    ResourceKind::Resource
                } else {
                    ResourceKind::NotResource
                };
                if let Some(prev) = &resource {
                    return Err(both(&m.key, prev.kind == kind, "Resource", "NotResource"));
                }
                resource = Some(pattern_block(m, kind, "resource")?);
            }
            "Condition" => {
                condition = condition::parse_condition(&m.value)?;
                condition_span = Some(m.value.span);
            }
            "Principal" | "NotPrincipal" => {
                return Err(ParseError::new(
                    format!(
                        "identity-based policies can't have `{key}`: the principal is the user, group or role the policy is attached to; remove `{key}`"
                    ),
                    m.key.span,
                ));
            }
            other => {
                return Err(unknown_element(
                    &m.key,
                    other,
                    STATEMENT_ELEMENTS,
                    "statement",
                ));
            }
        }
    }
    let at = Span::point(json.span.start);
    let Some(effect) = effect else {
        return Err(ParseError::new(
            "the statement has no `Effect`; add `\"Effect\": \"Allow\"` or `\"Effect\": \"Deny\"`",
            at,
        ));
    };
    let Some(action) = action else {
        return Err(ParseError::new(
            "the statement has no `Action` or `NotAction`; add the actions it allows or denies",
            at,
        ));
    };
    let Some(resource) = resource else {
        return Err(ParseError::new(
            "the statement has no `Resource` or `NotResource`; add the resources it applies to, or `\"Resource\": \"*\"`",
            at,
        ));
    };
    Ok(Statement {
        sid,
        effect,
        action,
        resource,
        condition,
        condition_span,
        span: json.span,
    })
}

fn parse_effect(json: &Json) -> Result<Spanned<Effect>, ParseError> {
    let s = string(json, "`Effect`")?;
    let effect = match s.value.as_str() {
        "Allow" => Effect::Allow,
        "Deny" => Effect::Deny,
        other => {
            return Err(ParseError::new(
                format!("`Effect` must be `Allow` or `Deny` (case-sensitive), found `{other}`"),
                s.span,
            ));
        }
    };
    Ok(Spanned::new(effect, s.span))
}

fn both(key: &Spanned<String>, same: bool, a: &str, b: &str) -> ParseError {
    let message = if same {
        format!("duplicate `{}` in this statement; keep only one", key.value)
    } else {
        format!("a statement can't have both `{a}` and `{b}`; keep one of them")
    };
    ParseError::new(message, key.span)
}

/// `Action`, `NotAction`, `Resource`, `NotResource`: a string or a non-empty array of strings.
fn pattern_block<K>(m: &Member, kind: K, noun: &str) -> Result<PatternBlock<K>, ParseError> {
    let name = &m.key.value;
    let (patterns, is_array) = match &m.value.kind {
        JsonKind::String(s) => (vec![Spanned::new(s.clone(), m.value.span)], false),
        JsonKind::Array(items) => {
            let mut patterns = Vec::with_capacity(items.len());
            for item in items {
                match &item.kind {
                    JsonKind::String(s) => patterns.push(Spanned::new(s.clone(), item.span)),
                    _ => {
                        return Err(ParseError::new(
                            format!(
                                "each {noun} in `{name}` must be a string, found {}",
                                item.describe()
                            ),
                            item.span,
                        ));
                    }
                }
            }
            if patterns.is_empty() {
                return Err(ParseError::new(
                    format!("`{name}` is empty; list at least one {noun}"),
                    m.value.span,
                ));
            }
            (patterns, true)
        }
        _ => {
            return Err(ParseError::new(
                format!(
                    "`{name}` must be a string or an array of strings, found {}",
                    m.value.describe()
                ),
                m.value.span,
            ));
        }
    };
    Ok(PatternBlock {
        kind,
        key_span: m.key.span,
        patterns,
        is_array,
        span: m.value.span,
    })
}

fn object<'j>(json: &'j Json, what: &str) -> Result<&'j [Member], ParseError> {
    match &json.kind {
        JsonKind::Object(members) => Ok(members),
        _ => Err(ParseError::new(
            format!("expected {what} (a json object), found {}", json.describe()),
            json.span,
        )),
    }
}

fn string(json: &Json, what: &str) -> Result<Spanned<String>, ParseError> {
    match &json.kind {
        JsonKind::String(s) => Ok(Spanned::new(s.clone(), json.span)),
        _ => Err(ParseError::new(
            format!("{what} must be a string, found {}", json.describe()),
            json.span,
        )),
    }
}

fn unknown_element(key: &Spanned<String>, name: &str, known: &[&str], place: &str) -> ParseError {
    let message = match known.iter().find(|k| k.eq_ignore_ascii_case(name)) {
        Some(k) => format!(
            "unknown {place} element `{name}`; element names are case-sensitive, write `{k}`"
        ),
        None => format!(
            "unknown {place} element `{name}`; expected one of {}",
            known
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    ParseError::new(message, key.span)
}

#[cfg(test)]
mod tests;
