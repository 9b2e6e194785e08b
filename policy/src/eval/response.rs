//! The result of an evaluation: the decision and why.

use serde::{Deserialize, Serialize};

use crate::model::Effect;

/// The policy name used for the permissions boundary in [`MatchedStatement`] and [`EvalError`].
pub const BOUNDARY_POLICY_NAME: &str = "(permissions boundary)";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Decision {
    /// An identity policy allows the request (and the boundary, if any, does too), and nothing
    /// denies it.
    Allow,
    /// A statement denies the request.
    ExplicitDeny,
    /// Nothing allows the request (or the boundary doesn't).
    ImplicitDeny,
}

/// A statement that applied to the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchedStatement {
    /// The policy's name, or [`BOUNDARY_POLICY_NAME`].
    pub policy: String,
    /// The statement's 0-based position in its policy.
    pub statement_index: usize,
    pub sid: Option<String>,
    pub effect: Effect,
    /// Whether the statement is in the permissions boundary.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub boundary: bool,
}

/// A statement whose condition could not be evaluated (an unknown operator, a malformed policy
/// value). An erroring Deny applies; an erroring Allow does not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvalError {
    pub policy: String,
    pub statement_index: usize,
    pub sid: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub boundary: bool,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    pub decision: Decision,
    /// What decided it: for `ExplicitDeny`, the Deny statements that applied; otherwise the Allow
    /// statements that applied (identity policies first, then the boundary). In policy and
    /// statement order.
    pub matched: Vec<MatchedStatement>,
    /// Errors met in statements whose action and resource matched the request.
    pub errors: Vec<EvalError>,
}
