//! The typed model of an identity-based policy document.
//!
//! Every element keeps the [`Span`] of its source text so the editor and the validator can point
//! at it. The model is what [`crate::parse`] produces; it is deliberately close to the JSON (it
//! remembers whether a list was written as a single string, for example) so that nothing the
//! author wrote is lost. Evaluation compiles it into a faster form, see [`crate::eval`].

mod operator;

use serde::{Deserialize, Serialize};

use crate::span::{Span, Spanned};

pub use operator::{KnownOperator, Operator, OperatorFamily, OperatorKind, SetQualifier};

/// A whole policy document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyDocument {
    /// `Version`; `None` when omitted (which means the 2008 language: no policy variables).
    pub version: Option<Spanned<Version>>,
    /// `Id`. Allowed by the grammar but not in identity policies; the validator reports it.
    pub id: Option<Spanned<String>>,
    /// The statements, in source order (never empty).
    pub statements: Vec<Statement>,
    /// Whether `Statement` was an array (`false`: a single statement object).
    pub statement_is_array: bool,
    /// The span of the `Statement` value.
    pub statement_span: Span,
    /// The span of the whole document object.
    pub span: Span,
}

impl PolicyDocument {
    /// Whether `${...}` policy variables are substituted (only with `Version` `2012-10-17`).
    pub fn supports_variables(&self) -> bool {
        matches!(
            self.version,
            Some(Spanned {
                value: Version::V2012_10_17,
                ..
            })
        )
    }
}

/// The policy language version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Version {
    #[serde(rename = "2008-10-17")]
    V2008_10_17,
    #[serde(rename = "2012-10-17")]
    V2012_10_17,
}

impl Version {
    pub fn as_str(self) -> &'static str {
        match self {
            Version::V2008_10_17 => "2008-10-17",
            Version::V2012_10_17 => "2012-10-17",
        }
    }
}

/// One statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    pub sid: Option<Spanned<String>>,
    pub effect: Spanned<Effect>,
    pub action: ActionBlock,
    pub resource: ResourceBlock,
    /// The condition entries, one per (operator, key) pair, in source order.
    pub condition: Vec<ConditionEntry>,
    /// The span of the `Condition` value, when present (it may be `{}`).
    pub condition_span: Option<Span>,
    /// The span of the statement object.
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Effect {
    Allow,
    Deny,
}

impl Effect {
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

/// Which of the two action elements a statement uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ActionKind {
    Action,
    NotAction,
}

/// Which of the two resource elements a statement uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ResourceKind {
    Resource,
    NotResource,
}

/// `Action` or `NotAction` with its patterns.
pub type ActionBlock = PatternBlock<ActionKind>;

/// `Resource` or `NotResource` with its patterns.
pub type ResourceBlock = PatternBlock<ResourceKind>;

/// A list-of-patterns element (`Action`, `NotAction`, `Resource`, `NotResource`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PatternBlock<K> {
    pub kind: K,
    /// The span of the element name (`"Action"`).
    pub key_span: Span,
    /// The patterns as written (never empty).
    pub patterns: Vec<Spanned<String>>,
    /// Whether the value was an array (`false`: a single string).
    pub is_array: bool,
    /// The span of the value.
    pub span: Span,
}

impl ActionBlock {
    pub fn is_negated(&self) -> bool {
        self.kind == ActionKind::NotAction
    }
}

impl ResourceBlock {
    pub fn is_negated(&self) -> bool {
        self.kind == ResourceKind::NotResource
    }
}

/// One `"operator": { "key": values }` pair of a `Condition` block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConditionEntry {
    /// The operator; shared by all keys written under it.
    pub operator: Spanned<Operator>,
    /// The condition key as written (keys compare case-insensitively).
    pub key: Spanned<String>,
    /// The values. Numbers and booleans keep their JSON text (`1.50`, `true`).
    pub values: Vec<ConditionValue>,
    /// Whether the values were an array (`false`: a single scalar).
    pub values_are_array: bool,
    /// The span of the value (or value list).
    pub values_span: Span,
}

/// A condition value: its text, what kind of JSON scalar it was, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConditionValue {
    pub text: String,
    pub kind: ScalarKind,
    pub span: Span,
}

/// The JSON type a condition value was written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ScalarKind {
    String,
    Number,
    Bool,
}
