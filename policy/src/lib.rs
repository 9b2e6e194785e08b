//! The AWS IAM JSON policy language.
//!
//! This crate does no I/O and never reads the clock: time and the principal reach it only through
//! the request context, so it runs the same on the server and in the browser (wasm32).

pub mod catalog;
#[cfg(feature = "managed-policies")]
pub mod managed;
pub mod validate;

pub mod error;
pub mod eval;
pub mod json;
pub mod model;
pub mod parse;
pub mod reduce;
pub mod span;

pub use error::ParseError;
pub use eval::{
    Cidr, CompiledPolicySet, Context, ContextValue, Decision, EvalError, MatchedStatement, Request,
    Response, evaluate,
};
pub use model::PolicyDocument;
pub use parse::parse;
pub use span::{Position, Span, Spanned};
