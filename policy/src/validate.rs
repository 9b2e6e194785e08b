//! Policy validation in the manner of IAM Access Analyzer's `ValidatePolicy` for identity-based
//! policies: errors (which block saving), security warnings, warnings and suggestions, each with
//! the Access Analyzer issue code and a location in the source.
//!
//! Validation reads the source with the span-keeping JSON parser ([`crate::json`]) rather than the
//! typed model, so that a policy the model would refuse still gets one finding per problem, each
//! pointing at the offending element. Checks are split by area: [`structure`] (elements and JSON
//! types), `actions`, `resources`, `conditions` (operators and keys), `condition_values`,
//! `security` and `statements` (whole-policy checks). It runs on every keystroke in the browser, so
//! it does no allocation-heavy work per action beyond catalog hash lookups.

mod actions;
mod arn;
mod condition_values;
mod conditions;
mod elements;
mod finding;
mod operators;
mod reporting;
mod resources;
mod security;
mod size;
mod statements;
mod structure;
mod suggest;
mod values;
mod variables;

use serde::{Deserialize, Serialize};

pub use finding::{Finding, FindingType, Location};

use crate::json::{Json, parse_json};
use crate::span::Span;

/// The result of validating one policy document.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Validation {
    /// In source order (errors first within the same element).
    pub findings: Vec<Finding>,
    /// Characters counted toward the policy size quotas (whitespace between tokens is free).
    pub policy_size: usize,
}

impl Validation {
    /// Whether some finding blocks saving the policy.
    pub fn has_errors(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.finding_type == FindingType::Error)
    }

    /// The findings of one type.
    pub fn of_type(&self, finding_type: FindingType) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(move |f| f.finding_type == finding_type)
    }
}

/// Validates an identity-based policy document (the text of a managed or inline policy).
pub fn validate(src: &str) -> Validation {
    let mut ctx = Ctx::default();
    let policy_size = size::counted_chars(src);
    match parse_json(src) {
        Err(error) => ctx.push(
            FindingType::Error,
            "JSON_SYNTAX_ERROR",
            format!(
                "{} at line {} column {}",
                error.message, error.span.start.line, error.span.start.column
            ),
            None,
            String::new(),
            error.span,
        ),
        Ok(root) => {
            let stmts = structure::check_document(&mut ctx, &root);
            for stmt in &stmts {
                actions::check(&mut ctx, stmt);
                resources::check(&mut ctx, stmt);
                conditions::check(&mut ctx, stmt);
                security::check(&mut ctx, stmt);
            }
            statements::check(&mut ctx, &stmts);
            parse_consistency(&mut ctx, src);
            if policy_size > size::MANAGED_POLICY_QUOTA {
                ctx.push(
                    FindingType::Warning,
                    "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA",
                    format!(
                        "the policy has {policy_size} characters without whitespace, more than the {} allowed for a managed policy; split it into several smaller policies",
                        size::MANAGED_POLICY_QUOTA
                    ),
                    None,
                    String::new(),
                    reporting::opening(root.span),
                );
            }
        }
    }
    let mut findings = ctx.findings;
    findings.sort_by_key(|f| (f.location.span.start.offset, f.finding_type));
    Validation {
        findings,
        policy_size,
    }
}

/// The model parser ([`crate::parse`]) must accept every policy without ERROR findings, since
/// saving stores what it parses. Should it refuse one the checks above passed, its error becomes
/// an ERROR finding, so the two can never disagree about what may be saved.
fn parse_consistency(ctx: &mut Ctx, src: &str) {
    if ctx
        .findings
        .iter()
        .any(|f| f.finding_type == FindingType::Error)
    {
        return;
    }
    if let Err(error) = crate::parse(src) {
        ctx.push(
            FindingType::Error,
            "INVALID_POLICY_ELEMENT",
            error.message,
            None,
            String::new(),
            error.span,
        );
    }
}

/// What the checks share: the findings so far and document-wide facts.
#[derive(Debug, Default)]
struct Ctx {
    findings: Vec<Finding>,
    /// The valid `Version`, if any.
    version: Option<String>,
}

impl Ctx {
    fn push(
        &mut self,
        finding_type: FindingType,
        code: &'static str,
        message: String,
        statement_index: Option<usize>,
        path: String,
        span: Span,
    ) {
        self.findings.push(Finding {
            finding_type,
            issue_code: code.to_owned(),
            message,
            learn_more: finding::learn_more(code),
            location: Location {
                statement_index,
                path,
                span,
            },
        });
    }

    /// Whether policy variables are recognised (only with `Version` 2012-10-17).
    fn variables_allowed(&self) -> bool {
        self.version.as_deref() == Some("2012-10-17")
    }
}

/// A statement as the checks see it, after the structural checks.
#[derive(Debug)]
struct Stmt<'a> {
    index: usize,
    /// `Statement[0]`, or `Statement` when the policy has a single statement object.
    path: String,
    span: Span,
    json: &'a Json,
    sid: Option<&'a str>,
    /// `Allow` or `Deny`; `None` when missing or invalid.
    effect: Option<&'a str>,
    action: Option<StrList<'a>>,
    resource: Option<StrList<'a>>,
    /// A non-empty object.
    condition: Option<&'a Json>,
}

impl Stmt<'_> {
    fn is_allow(&self) -> bool {
        self.effect == Some("Allow")
    }
}

/// An `Action`/`NotAction`/`Resource`/`NotResource` element read as a list of strings.
#[derive(Debug)]
struct StrList<'a> {
    /// `Action`, `NotAction`, `Resource` or `NotResource`.
    name: &'static str,
    negated: bool,
    path: String,
    span: Span,
    items: Vec<StrItem<'a>>,
}

#[derive(Debug)]
struct StrItem<'a> {
    value: &'a str,
    path: String,
    span: Span,
}
