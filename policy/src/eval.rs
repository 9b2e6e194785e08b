//! Evaluating identity-based policies against a request (spec §2).
//!
//! [`CompiledPolicySet::new`] compiles a principal's policies (and optional permissions
//! boundary) once; [`CompiledPolicySet::evaluate`] then decides any number of requests:
//!
//! 1. any applicable Deny, in the identity policies or the boundary ⇒ [`Decision::ExplicitDeny`];
//! 2. a boundary is given and none of its Allow statements applies ⇒ [`Decision::ImplicitDeny`];
//! 3. an applicable Allow in the identity policies ⇒ [`Decision::Allow`];
//! 4. otherwise [`Decision::ImplicitDeny`].
//!
//! A statement applies when its action element, its resource element and every condition match.
//! Order of policies and statements never matters.
//!
//! **Errors fail closed.** A condition that can't be evaluated (an unknown operator, a policy
//! value that isn't a valid date, number, address, ...) is an error. If the rest of the statement
//! matches, an erroring *Deny* statement applies as if the condition were true, and an erroring
//! *Allow* statement does not apply. Both are reported in [`Response::errors`]. So a typo in a
//! Deny never opens access, and a typo in an Allow never grants it. (Cedar skips erroring
//! policies instead; for an IAM console failing closed is the safer default.)
//!
//! Time comes only from the request context (`aws:CurrentTime`, `aws:EpochTime`); this module
//! never reads the clock.

mod arn;
mod compile;
mod condition;
mod matcher;
mod request;
mod response;
mod values;
mod variables;

use arn::split_arn;
use compile::{Applies, CompiledStatement, Group, Prepared};

use crate::model::{Effect, PolicyDocument};

pub use request::{Context, ContextValue, Request};
pub use response::{BOUNDARY_POLICY_NAME, Decision, EvalError, MatchedStatement, Response};
pub use values::Cidr;

/// A principal's policies, compiled for fast repeated evaluation.
#[derive(Debug, Clone)]
pub struct CompiledPolicySet {
    names: Vec<String>,
    identity: Group,
    boundary: Option<Group>,
    compile_errors: Vec<EvalError>,
}

impl CompiledPolicySet {
    /// Compiles named identity policies (inline, attached and group policies alike) and an
    /// optional permissions boundary. Never fails: problems in a statement are kept and reported
    /// when it is evaluated (see the module documentation), and listed by
    /// [`CompiledPolicySet::compile_errors`].
    pub fn new<N: AsRef<str>>(
        policies: &[(N, &PolicyDocument)],
        boundary: Option<&PolicyDocument>,
    ) -> CompiledPolicySet {
        let mut identity = Group::default();
        let mut names = Vec::with_capacity(policies.len());
        for (i, (name, doc)) in policies.iter().enumerate() {
            names.push(name.as_ref().to_string());
            identity.add_policy(i, doc);
        }
        let boundary = boundary.map(|doc| {
            let mut g = Group::default();
            g.add_policy(0, doc);
            g
        });
        let mut set = CompiledPolicySet {
            names,
            identity,
            boundary,
            compile_errors: Vec::new(),
        };
        let mut errors = Vec::new();
        for (group, in_boundary) in set.groups() {
            for s in group.statements.iter().filter(|s| !s.errors.is_empty()) {
                set.push_errors(s, in_boundary, &mut errors);
            }
        }
        set.compile_errors = errors;
        set
    }

    /// Every statement problem found while compiling, in policy order.
    pub fn compile_errors(&self) -> &[EvalError] {
        &self.compile_errors
    }

    /// Decides one request.
    pub fn evaluate(&self, request: &Request) -> Response {
        let action = request.action.to_ascii_lowercase();
        let (service, name) = match action.split_once(':') {
            Some((service, name)) => (service, Some(name)),
            None => (action.as_str(), None),
        };
        let parts = split_arn(&request.resource);
        let prepared = Prepared {
            action: &action,
            service,
            name,
            resource: &request.resource,
            resource_parts: parts.as_ref(),
            ctx: &request.context,
        };
        let mut scratch = Vec::new();
        let mut denies = Vec::new();
        let mut identity_allows = Vec::new();
        let mut boundary_allows = Vec::new();
        let mut errors = Vec::new();
        for (group, in_boundary) in self.groups() {
            group.candidates(&prepared, &mut scratch);
            for s in scratch.iter().filter_map(|&i| group.statements.get(i)) {
                let applies = s.applies(&prepared);
                if applies == Applies::Error {
                    self.push_errors(s, in_boundary, &mut errors);
                }
                let matched = match (applies, s.effect) {
                    (Applies::No, _) | (Applies::Error, Effect::Allow) => continue,
                    _ => self.matched(s, in_boundary),
                };
                match (s.effect, in_boundary) {
                    (Effect::Deny, _) => denies.push(matched),
                    (Effect::Allow, false) => identity_allows.push(matched),
                    (Effect::Allow, true) => boundary_allows.push(matched),
                }
            }
        }
        let decision = if !denies.is_empty() {
            Decision::ExplicitDeny
        } else if self.boundary.is_some() && boundary_allows.is_empty() {
            Decision::ImplicitDeny
        } else if !identity_allows.is_empty() {
            Decision::Allow
        } else {
            Decision::ImplicitDeny
        };
        let matched = if decision == Decision::ExplicitDeny {
            denies
        } else {
            identity_allows.append(&mut boundary_allows);
            identity_allows
        };
        Response {
            decision,
            matched,
            errors,
        }
    }

    fn groups(&self) -> impl Iterator<Item = (&Group, bool)> {
        std::iter::once((&self.identity, false)).chain(self.boundary.iter().map(|b| (b, true)))
    }

    fn policy_name(&self, s: &CompiledStatement, in_boundary: bool) -> String {
        if in_boundary {
            BOUNDARY_POLICY_NAME.to_string()
        } else {
            self.names.get(s.policy).cloned().unwrap_or_default()
        }
    }

    fn matched(&self, s: &CompiledStatement, in_boundary: bool) -> MatchedStatement {
        MatchedStatement {
            policy: self.policy_name(s, in_boundary),
            statement_index: s.index,
            sid: s.sid.clone(),
            effect: s.effect,
            boundary: in_boundary,
        }
    }

    fn push_errors(&self, s: &CompiledStatement, in_boundary: bool, out: &mut Vec<EvalError>) {
        for message in &s.errors {
            out.push(EvalError {
                policy: self.policy_name(s, in_boundary),
                statement_index: s.index,
                sid: s.sid.clone(),
                boundary: in_boundary,
                message: message.clone(),
            });
        }
    }
}

/// Compiles and evaluates in one step; for one-off checks. Use [`CompiledPolicySet`] to
/// evaluate many requests against the same policies.
pub fn evaluate<N: AsRef<str>>(
    policies: &[(N, &PolicyDocument)],
    boundary: Option<&PolicyDocument>,
    request: &Request,
) -> Response {
    CompiledPolicySet::new(policies, boundary).evaluate(request)
}

#[cfg(test)]
mod tests;
