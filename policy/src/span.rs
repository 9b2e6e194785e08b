//! Source positions: every parsed element remembers where it came from, so the editor can point at
//! it (`line:column`) and the validator can attach findings to it.

use serde::{Deserialize, Serialize};

/// A point in the source text.
///
/// `offset` is a byte offset into the UTF-8 source. `line` and `column` are 1-based; `column`
/// counts Unicode scalar values (characters), not bytes, from the start of the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Position {
    pub offset: usize,
    pub line: u32,
    pub column: u32,
}

impl Position {
    /// The first character of a text.
    pub const START: Position = Position {
        offset: 0,
        line: 1,
        column: 1,
    };
}

impl Default for Position {
    fn default() -> Self {
        Position::START
    }
}

/// A half-open range of source text: `start` is the first character, `end` the position just
/// after the last one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Span {
    pub start: Position,
    pub end: Position,
}

impl Span {
    pub fn new(start: Position, end: Position) -> Span {
        Span { start, end }
    }

    /// An empty span at `at`.
    pub fn point(at: Position) -> Span {
        Span { start: at, end: at }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// The byte range, for slicing the source the span came from.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start.offset..self.end.offset
    }
}

/// A value with the span of the source text it was parsed from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Spanned<T> {
        Spanned { value, span }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Spanned<U> {
        Spanned {
            value: f(self.value),
            span: self.span,
        }
    }

    pub fn as_ref(&self) -> Spanned<&T> {
        Spanned {
            value: &self.value,
            span: self.span,
        }
    }
}
