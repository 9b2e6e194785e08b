//! Condition operators: their names, families, set qualifiers and `IfExists`, parsed from the
//! text of a `Condition` block's keys. Shared by the checks of operators, of their values and of
//! security findings.

use super::suggest::closest;

/// The family of a condition operator: which values and keys it works with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    String,
    Numeric,
    Date,
    Bool,
    Binary,
    Ip,
    Arn,
    Null,
}

/// The base operators (without qualifier or `IfExists`).
const OPERATORS: &[(&str, Family)] = &[
    ("StringEquals", Family::String),
    ("StringNotEquals", Family::String),
    ("StringEqualsIgnoreCase", Family::String),
    ("StringNotEqualsIgnoreCase", Family::String),
    ("StringLike", Family::String),
    ("StringNotLike", Family::String),
    ("NumericEquals", Family::Numeric),
    ("NumericNotEquals", Family::Numeric),
    ("NumericLessThan", Family::Numeric),
    ("NumericLessThanEquals", Family::Numeric),
    ("NumericGreaterThan", Family::Numeric),
    ("NumericGreaterThanEquals", Family::Numeric),
    ("DateEquals", Family::Date),
    ("DateNotEquals", Family::Date),
    ("DateLessThan", Family::Date),
    ("DateLessThanEquals", Family::Date),
    ("DateGreaterThan", Family::Date),
    ("DateGreaterThanEquals", Family::Date),
    ("Bool", Family::Bool),
    ("BinaryEquals", Family::Binary),
    ("IpAddress", Family::Ip),
    ("NotIpAddress", Family::Ip),
    ("ArnEquals", Family::Arn),
    ("ArnLike", Family::Arn),
    ("ArnNotEquals", Family::Arn),
    ("ArnNotLike", Family::Arn),
    ("Null", Family::Null),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Qualifier {
    ForAllValues,
    ForAnyValue,
}

/// A parsed condition operator such as `ForAnyValue:StringLikeIfExists`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Operator<'a> {
    pub text: &'a str,
    pub qualifier: Option<Qualifier>,
    /// The canonical base name, e.g. `StringLike`.
    pub base: &'static str,
    pub family: Family,
    pub if_exists: bool,
}

impl Operator<'_> {
    /// Parses an operator name; names are case-sensitive, as in IAM (and in [`crate::model`]).
    pub(crate) fn parse(text: &str) -> Option<Operator<'_>> {
        let (qualifier, rest) = if let Some(rest) = text.strip_prefix("ForAllValues:") {
            (Some(Qualifier::ForAllValues), rest)
        } else if let Some(rest) = text.strip_prefix("ForAnyValue:") {
            (Some(Qualifier::ForAnyValue), rest)
        } else {
            (None, text)
        };
        let (name, if_exists) = match rest.strip_suffix("IfExists") {
            Some(name) => (name, true),
            None => (rest, false),
        };
        let (base, family) = OPERATORS.iter().find(|(op, _)| *op == name)?;
        Some(Operator {
            text,
            qualifier,
            base,
            family: *family,
            if_exists,
        })
    }
}

/// A hint for an unknown operator: the right case, or the closest operator name.
pub(super) fn operator_hint(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let fixed = ["forallvalues:", "foranyvalue:", ""].iter().find_map(|q| {
        let rest = lower.strip_prefix(q)?;
        let (name, suffix) = match rest.strip_suffix("ifexists") {
            Some(name) => (name, "IfExists"),
            None => (rest, ""),
        };
        let (op, _) = OPERATORS
            .iter()
            .find(|(op, _)| op.eq_ignore_ascii_case(name))?;
        let qualifier = match *q {
            "forallvalues:" => "ForAllValues:",
            "foranyvalue:" => "ForAnyValue:",
            _ => "",
        };
        Some(format!("{qualifier}{op}{suffix}"))
    });
    if let Some(fixed) = fixed {
        return format!("; operator names are case-sensitive, write `{fixed}`");
    }
    let plain = text.rsplit(':').next().unwrap_or(text);
    closest(plain, OPERATORS.iter().map(|(o, _)| *o))
        .map(|o| format!("; did you mean `{o}`?"))
        .unwrap_or_else(|| {
            "; use an operator such as `StringEquals`, `ArnLike` or `Bool`".to_owned()
        })
}
