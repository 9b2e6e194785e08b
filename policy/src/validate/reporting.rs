//! How findings name and place what they are about: element paths (`Statement[0].Action`), the
//! opening brace of an object that misses something, and the finding for a value of the wrong
//! JSON type. Used by every check of the document's elements.

use super::Ctx;
use crate::json::Json;
use crate::span::Span;
use crate::validate::FindingType::Error;

/// Reports a JSON value of the wrong type.
pub(super) fn type_mismatch(
    ctx: &mut Ctx,
    value: &Json,
    expected: &str,
    stmt: Option<usize>,
    path: String,
) {
    ctx.push(
        Error,
        "DATA_TYPE_MISMATCH",
        format!(
            "expected {expected} at `{path}`, found {}; change the value",
            value.describe()
        ),
        stmt,
        path,
        value.span,
    );
}

/// The first character of a span (the `{` of an object), for findings about something missing
/// from it: the editor underlines the brace rather than the whole object.
pub(super) fn opening(span: Span) -> Span {
    let mut end = span.start;
    if span.end.offset > end.offset {
        end.offset += 1;
        end.column = end.column.saturating_add(1);
    }
    Span::new(span.start, end)
}

/// `Statement[0]` + `Action` -> `Statement[0].Action`.
pub(super) fn join(base: &str, name: &str) -> String {
    if base.is_empty() {
        name.to_owned()
    } else {
        format!("{base}.{name}")
    }
}
