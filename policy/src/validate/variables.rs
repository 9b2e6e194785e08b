//! Policy variables (`${aws:username}`) inside strings: finding them and checking their syntax.

use super::{Ctx, FindingType::Error};
use crate::span::Span;

/// Where a string with possible variables sits.
pub(crate) struct Place<'a> {
    pub stmt: usize,
    pub path: &'a str,
    pub span: Span,
    /// The element name for messages, e.g. `Action`.
    pub element: &'a str,
    /// Whether the element accepts policy variables at all.
    pub allowed: bool,
}

/// Reports the variable problems of `text`: syntax, use in an element or version that does not
/// support variables. Returns whether `text` has a variable.
pub(crate) fn report(ctx: &mut Ctx, text: &str, place: &Place<'_>) -> bool {
    if !has_variable(text) {
        return false;
    }
    let found = variables(text);
    for variable in &found {
        let (code, message) = match &variable.problem {
            Some(VariableProblem::MissingBrace) => (
                "MISSING_BRACE_IN_VARIABLE",
                format!(
                    "the policy variable `{}` has no closing `}}`; add `}}` after the variable name",
                    variable.text
                ),
            ),
            Some(VariableProblem::Empty) => (
                "EMPTY_VARIABLE",
                format!(
                    "the policy variable `{}` is empty; remove it or name a condition key inside it",
                    variable.text
                ),
            ),
            Some(VariableProblem::Space) => (
                "UNSUPPORTED_SPACE_IN_VARIABLE",
                format!(
                    "the policy variable `{}` contains a space; remove the space",
                    variable.text
                ),
            ),
            Some(VariableProblem::MissingQuote) => (
                "MISSING_QUOTE_IN_VARIABLE",
                format!(
                    "the default value in the policy variable `{}` must begin and end with a single quote `'`; add the missing quote",
                    variable.text
                ),
            ),
            None => continue,
        };
        ctx.push(
            Error,
            code,
            message,
            Some(place.stmt),
            place.path.to_owned(),
            place.span,
        );
    }
    let Some(first) = found.first() else {
        return false;
    };
    if !place.allowed {
        ctx.push(
            Error,
            "VARIABLE_UNSUPPORTED_IN_ELEMENT",
            format!("policy variables are supported only in the `Resource` and `Condition` elements; remove `{}` from `{}`", first.text, place.element),
            Some(place.stmt),
            place.path.to_owned(),
            place.span,
        );
    } else if !ctx.variables_allowed() {
        ctx.push(
            Error,
            "VARIABLE_UNSUPPORTED_IN_VERSION",
            format!("the policy variable `{}` needs `\"Version\": \"2012-10-17\"`; older versions read it as literal text", first.text),
            Some(place.stmt),
            place.path.to_owned(),
            place.span,
        );
    }
    true
}

/// `text` with every `${...}` removed, for checks that look for literal wildcards.
pub(crate) fn strip(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    for variable in variables(text) {
        if let Some(pos) = rest.find(variable.text) {
            out.push_str(rest.get(..pos).unwrap_or(""));
            rest = rest.get(pos + variable.text.len()..).unwrap_or("");
        }
    }
    out.push_str(rest);
    out
}

/// A syntax problem in a policy variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum VariableProblem {
    /// `${` with no closing `}`.
    MissingBrace,
    /// `${}` or `${ }`.
    Empty,
    /// A space in the variable outside its default value.
    Space,
    /// A default value not wrapped in single quotes.
    MissingQuote,
}

/// A variable found in a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Variable<'a> {
    /// The whole `${...}` text.
    pub text: &'a str,
    /// The key, e.g. `aws:username`; empty for problems that leave none.
    pub key: &'a str,
    pub problem: Option<VariableProblem>,
}

/// Every `${...}` in `text`. The fixed variables `${*}`, `${?}` and `${$}` are included.
pub(crate) fn variables(text: &str) -> Vec<Variable<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut base = 0;
    while let Some(start) = rest.find("${") {
        let from = base + start;
        let after = rest.get(start + 2..).unwrap_or("");
        let Some(close) = after.find('}') else {
            out.push(Variable {
                text: text.get(from..).unwrap_or(""),
                key: "",
                problem: Some(VariableProblem::MissingBrace),
            });
            break;
        };
        let inner = after.get(..close).unwrap_or("");
        let whole = text.get(from..from + 2 + close + 1).unwrap_or("");
        let (key, problem) = check(inner);
        out.push(Variable {
            text: whole,
            key,
            problem,
        });
        let consumed = start + 2 + close + 1;
        base += consumed;
        rest = rest.get(consumed..).unwrap_or("");
    }
    out
}

/// Whether `text` contains anything that looks like a policy variable.
pub(crate) fn has_variable(text: &str) -> bool {
    text.contains("${")
}

fn check(inner: &str) -> (&str, Option<VariableProblem>) {
    if inner.trim().is_empty() {
        return ("", Some(VariableProblem::Empty));
    }
    let (key, default) = match inner.split_once(',') {
        Some((key, default)) => (key, Some(default)),
        None => (inner, None),
    };
    if key.contains(char::is_whitespace) {
        return (key.trim(), Some(VariableProblem::Space));
    }
    if let Some(default) = default {
        let value = default.strip_prefix(' ').unwrap_or(default);
        let quoted = value.len() >= 2 && value.starts_with('\'') && value.ends_with('\'');
        if !quoted {
            return (key, Some(VariableProblem::MissingQuote));
        }
    }
    (key, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<Option<VariableProblem>> {
        variables(text).into_iter().map(|v| v.problem).collect()
    }

    #[test]
    fn finds_variables_and_keys() {
        let found = variables("arn:aws:s3:::b/${aws:username}/${aws:PrincipalTag/team, 'x'}/${*}");
        let keys: Vec<_> = found.iter().map(|v| v.key).collect();
        assert_eq!(keys, ["aws:username", "aws:PrincipalTag/team", "*"]);
        assert!(found.iter().all(|v| v.problem.is_none()));
        assert!(variables("no variables $ { }").is_empty());
    }

    #[test]
    fn strips_variables() {
        assert_eq!(strip("a${aws:username}b${*}c"), "abc");
        assert_eq!(strip("no vars*"), "no vars*");
    }

    #[test]
    fn reports_syntax_problems() {
        assert_eq!(
            problems("a/${aws:username"),
            [Some(VariableProblem::MissingBrace)]
        );
        assert_eq!(problems("${}"), [Some(VariableProblem::Empty)]);
        assert_eq!(problems("${ }"), [Some(VariableProblem::Empty)]);
        assert_eq!(problems("${aws: username}"), [Some(VariableProblem::Space)]);
        assert_eq!(
            problems("${aws:username, x}"),
            [Some(VariableProblem::MissingQuote)]
        );
        assert_eq!(problems("${aws:username,'x'}"), [None]);
    }
}
