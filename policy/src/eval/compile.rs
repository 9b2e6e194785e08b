//! Compiling policy documents into an indexed form, once per policy set.
//!
//! Literal action patterns are indexed by the lowercased action, wildcard ones by their
//! lowercased service prefix, so a request only looks at the statements that can match its
//! service, and within a statement only at the patterns of that service (AWS ReadOnlyAccess has
//! thousands of patterns over hundreds of services).
//! Patterns whose service prefix has a wildcard (`*`, `s3*:Get*`) and `NotAction` statements
//! are checked for every request.

use std::collections::HashMap;

use super::arn::ArnPattern;
use super::condition::CompiledCondition;
use super::matcher::{Fold, Glob, Syntax};
use super::request::Context;
use crate::model::{Effect, PolicyDocument, Statement};

const ACTION_SYNTAX: Syntax = Syntax {
    wildcards: true,
    variables: false,
    fold: Fold::Ascii,
};

/// The request, prepared once for all statements.
pub(crate) struct Prepared<'r> {
    /// The lowercased action.
    pub action: &'r str,
    /// The lowercased service prefix (the whole action when it has no colon).
    pub service: &'r str,
    /// The lowercased action name; `None` when the action has no colon.
    pub name: Option<&'r str>,
    pub resource: &'r str,
    pub resource_parts: Option<&'r [&'r str; 6]>,
    pub ctx: &'r Context,
}

#[derive(Debug, Clone)]
pub(crate) struct CompiledStatement {
    /// Index of the policy in the set.
    pub policy: usize,
    /// Index of the statement in its policy.
    pub index: usize,
    pub sid: Option<String>,
    pub effect: Effect,
    /// `Some` for a `NotAction` statement: the excluded actions.
    not_actions: Option<Vec<Glob>>,
    resources_negated: bool,
    /// A plain `*` among the (non-negated) resources.
    resources_any: bool,
    resources: Vec<ArnPattern>,
    conditions: Vec<CompiledCondition>,
    /// Why some conditions could not be compiled; such a statement is in error.
    pub errors: Vec<String>,
}

/// Whether a statement applies to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Applies {
    No,
    Yes,
    /// Action and resource match, no well-formed condition is false, but some condition is in
    /// error.
    Error,
}

impl CompiledStatement {
    fn compile(policy: usize, index: usize, s: &Statement, variables: bool) -> CompiledStatement {
        let mut conditions = Vec::with_capacity(s.condition.len());
        let mut errors = Vec::new();
        for entry in &s.condition {
            match CompiledCondition::compile(entry, variables) {
                Ok(c) => conditions.push(c),
                Err(e) => errors.push(e),
            }
        }
        let resources: Vec<ArnPattern> = s
            .resource
            .patterns
            .iter()
            .map(|p| ArnPattern::compile(&p.value, variables))
            .collect();
        CompiledStatement {
            policy,
            index,
            sid: s.sid.as_ref().map(|s| s.value.clone()),
            effect: s.effect.value,
            not_actions: s.action.is_negated().then(|| {
                s.action
                    .patterns
                    .iter()
                    .map(|p| Glob::compile(&p.value, ACTION_SYNTAX))
                    .collect()
            }),
            resources_negated: s.resource.is_negated(),
            resources_any: !s.resource.is_negated() && resources.iter().any(ArnPattern::is_any),
            resources,
            conditions,
            errors,
        }
    }

    /// Checks resource and conditions (the action was checked by the index).
    pub fn applies(&self, p: &Prepared<'_>) -> Applies {
        let resource_match = self.resources_any
            || self
                .resources
                .iter()
                .any(|r| r.matches(p.resource, p.resource_parts, p.ctx));
        if resource_match == self.resources_negated {
            return Applies::No;
        }
        if !self.conditions.iter().all(|c| c.holds(p.ctx)) {
            return Applies::No;
        }
        if self.errors.is_empty() {
            Applies::Yes
        } else {
            Applies::Error
        }
    }
}

/// Service-specific action patterns of one statement.
#[derive(Debug, Clone)]
struct ServiceEntry {
    stmt: usize,
    /// Patterns for the action name; `None` for a pattern without a colon.
    names: Vec<Option<Glob>>,
}

/// Whole-action patterns of one statement (service prefix with wildcards).
#[derive(Debug, Clone)]
struct WholeEntry {
    stmt: usize,
    globs: Vec<Glob>,
}

/// The statements of one side of the decision (identity policies, or the boundary), indexed.
#[derive(Debug, Clone, Default)]
pub(crate) struct Group {
    pub statements: Vec<CompiledStatement>,
    /// Statements listing an action literally, keyed by the lowercased action.
    exact: HashMap<Box<str>, Vec<usize>>,
    /// Statements with wildcard action names, keyed by the lowercased service prefix.
    by_service: HashMap<Box<str>, Vec<ServiceEntry>>,
    any_service: Vec<WholeEntry>,
    not_action: Vec<usize>,
}

impl Group {
    pub fn add_policy(&mut self, policy: usize, doc: &PolicyDocument) {
        let variables = doc.supports_variables();
        for (index, s) in doc.statements.iter().enumerate() {
            let stmt = self.statements.len();
            self.statements
                .push(CompiledStatement::compile(policy, index, s, variables));
            if s.action.is_negated() {
                self.not_action.push(stmt);
                continue;
            }
            let mut per_service: HashMap<Box<str>, Vec<Option<Glob>>> = HashMap::new();
            let mut whole = Vec::new();
            for p in &s.action.patterns {
                let lower = p.value.to_ascii_lowercase();
                let (service, name) = match lower.split_once(':') {
                    Some((service, name)) => (service, Some(name)),
                    None => (lower.as_str(), None),
                };
                if service.contains(['*', '?']) {
                    whole.push(Glob::compile(&lower, ACTION_SYNTAX));
                } else if !lower.contains(['*', '?']) {
                    let stmts = self.exact.entry(lower.as_str().into()).or_default();
                    if stmts.last() != Some(&stmt) {
                        stmts.push(stmt);
                    }
                } else {
                    per_service
                        .entry(service.into())
                        .or_default()
                        .push(name.map(|n| Glob::compile(n, ACTION_SYNTAX)));
                }
            }
            for (service, names) in per_service {
                self.by_service
                    .entry(service)
                    .or_default()
                    .push(ServiceEntry { stmt, names });
            }
            if !whole.is_empty() {
                self.any_service.push(WholeEntry { stmt, globs: whole });
            }
        }
    }

    /// Appends to `out` the statements whose action element matches, sorted and unique.
    pub fn candidates(&self, p: &Prepared<'_>, out: &mut Vec<usize>) {
        out.clear();
        if let Some(stmts) = self.exact.get(p.action) {
            out.extend_from_slice(stmts);
        }
        if let Some(entries) = self.by_service.get(p.service) {
            for e in entries {
                let hit = e.names.iter().any(|n| match (n, p.name) {
                    (Some(g), Some(name)) => g.matches(name, p.ctx),
                    (None, None) => true,
                    _ => false,
                });
                if hit {
                    out.push(e.stmt);
                }
            }
        }
        for e in &self.any_service {
            if e.globs.iter().any(|g| g.matches(p.action, p.ctx)) {
                out.push(e.stmt);
            }
        }
        for &stmt in &self.not_action {
            let excluded = self
                .statements
                .get(stmt)
                .and_then(|s| s.not_actions.as_ref())
                .is_some_and(|globs| globs.iter().any(|g| g.matches(p.action, p.ctx)));
            if !excluded {
                out.push(stmt);
            }
        }
        out.sort_unstable();
        out.dedup();
    }
}
