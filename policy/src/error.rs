//! Errors from [`crate::parse`].

use serde::{Deserialize, Serialize};

use crate::json::JsonError;
use crate::span::Span;

/// Why a policy document could not be parsed, and where.
///
/// `line` and `column` are the 1-based start of `span`, repeated for convenience; `column`
/// counts characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{line}:{column}: {message}")]
pub struct ParseError {
    pub message: String,
    pub span: Span,
    pub line: u32,
    pub column: u32,
}

impl ParseError {
    pub fn new(message: impl Into<String>, span: Span) -> ParseError {
        ParseError {
            message: message.into(),
            span,
            line: span.start.line,
            column: span.start.column,
        }
    }
}

impl From<JsonError> for ParseError {
    fn from(e: JsonError) -> ParseError {
        ParseError::new(e.message, e.span)
    }
}
