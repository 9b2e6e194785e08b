//! Compiled conditions and their evaluation (spec §4).
//!
//! Policy values are parsed once, when the policy set is compiled. A value that can't be parsed
//! (a date that isn't a date, an unknown operator) makes the condition an *error*; see
//! [`super::CompiledPolicySet`] for how errors are handled (a Deny fails closed).
//!
//! Rules implemented here:
//! - several values for one key are ORed; for negated operators (`StringNotEquals`, ...) the
//!   request value must match none of them;
//! - a missing key (or an empty set) makes the condition false, except: negated operators and
//!   `...IfExists` are true, `ForAllValues` is true, `ForAnyValue` is false, and `Null` tests
//!   exactly that;
//! - without a set qualifier, a key with several values never matches;
//! - a request value that can't be parsed as the operator's type (a number for `NumericEquals`)
//!   never matches, not even for a negated operator;
//! - a negated operator whose policy values contain an unresolvable variable never matches.

use std::cmp::Ordering;

use super::arn::{ArnPattern, split_arn};
use super::matcher::{Fold, Glob, Syntax};
use super::request::Context;
use super::values::{Cidr, Instant, parse_base64, parse_date, parse_ip, parse_number};
use crate::model::{ConditionEntry, Operator, OperatorFamily, OperatorKind, SetQualifier};

#[derive(Debug, Clone)]
pub(crate) struct CompiledCondition {
    kind: OperatorKind,
    qualifier: SetQualifier,
    if_exists: bool,
    /// The key, lowercased.
    key: Box<str>,
    values: Values,
}

#[derive(Debug, Clone)]
enum Values {
    /// String operators (and `Bool`, compared ASCII-case-insensitively).
    Strings(Vec<Glob>, Fold),
    Numbers(Vec<f64>),
    Dates(Vec<Instant>),
    Binary(Vec<Vec<u8>>),
    Cidrs(Vec<Cidr>),
    Arns(Vec<ArnPattern>),
    /// `Null`: `true` (key must be absent) / `false` (key must be present).
    Null(Vec<bool>),
}

impl CompiledCondition {
    /// Compiles one entry; `Err` is a message for the policy author.
    pub fn compile(entry: &ConditionEntry, variables: bool) -> Result<CompiledCondition, String> {
        let op = match &entry.operator.value {
            Operator::Known(op) => *op,
            Operator::Unknown(name) => {
                return Err(format!(
                    "unknown condition operator `{name}`; use one of the IAM operators such as `StringEquals`, optionally with `ForAllValues:`/`ForAnyValue:` or `IfExists`"
                ));
            }
        };
        let key = &entry.key.value;
        let texts = entry.values.iter().map(|v| v.text.as_str());
        let bad = |what: &str, example: &str, v: &str| {
            format!("`{v}` is not {what} (condition `{op}` on `{key}`); write {example}")
        };
        let values = match op.kind.family() {
            OperatorFamily::String => {
                let (wildcards, fold) = match op.kind {
                    OperatorKind::StringLike | OperatorKind::StringNotLike => (true, Fold::None),
                    OperatorKind::StringEqualsIgnoreCase
                    | OperatorKind::StringNotEqualsIgnoreCase => (false, Fold::Unicode),
                    _ => (false, Fold::None),
                };
                let syntax = Syntax {
                    wildcards,
                    variables,
                    fold,
                };
                Values::Strings(texts.map(|t| Glob::compile(t, syntax)).collect(), fold)
            }
            OperatorFamily::Bool => {
                let syntax = Syntax {
                    wildcards: false,
                    variables,
                    fold: Fold::Ascii,
                };
                let mut globs = Vec::new();
                for t in texts {
                    let g = Glob::compile(t, syntax);
                    if let Glob::Exact(lit) = &g
                        && !matches!(&**lit, "true" | "false")
                    {
                        return Err(bad("a boolean", "`true` or `false`", t));
                    }
                    globs.push(g);
                }
                Values::Strings(globs, Fold::Ascii)
            }
            OperatorFamily::Numeric => Values::Numbers(
                texts
                    .map(|t| {
                        parse_number(t).ok_or_else(|| {
                            bad("a number", "an integer or decimal such as `10` or `2.5`", t)
                        })
                    })
                    .collect::<Result<_, _>>()?,
            ),
            OperatorFamily::Date => Values::Dates(
                texts
                    .map(|t| {
                        parse_date(t).ok_or_else(|| {
                            bad(
                                "a date",
                                "an ISO 8601 date such as `2026-01-31T00:00:00Z`, or epoch seconds",
                                t,
                            )
                        })
                    })
                    .collect::<Result<_, _>>()?,
            ),
            OperatorFamily::Binary => Values::Binary(
                texts
                    .map(|t| {
                        parse_base64(t)
                            .ok_or_else(|| bad("base-64", "the value base-64 encoded", t))
                    })
                    .collect::<Result<_, _>>()?,
            ),
            OperatorFamily::Ip => Values::Cidrs(
                texts
                    .map(|t| {
                        Cidr::parse(t).ok_or_else(|| {
                            bad(
                                "an ip address or cidr range",
                                "a range such as `192.0.2.0/24` or `2001:db8::/32`",
                                t,
                            )
                        })
                    })
                    .collect::<Result<_, _>>()?,
            ),
            OperatorFamily::Arn => {
                Values::Arns(texts.map(|t| ArnPattern::compile(t, variables)).collect())
            }
            OperatorFamily::Null => Values::Null(
                texts
                    .map(|t| match t.to_ascii_lowercase().as_str() {
                        "true" => Ok(true),
                        "false" => Ok(false),
                        _ => Err(bad(
                            "a boolean",
                            "`true` (key absent) or `false` (key present)",
                            t,
                        )),
                    })
                    .collect::<Result<_, _>>()?,
            ),
        };
        Ok(CompiledCondition {
            kind: op.kind,
            qualifier: op.qualifier,
            if_exists: op.if_exists,
            key: key.to_lowercase().into_boxed_str(),
            values,
        })
    }

    /// Whether the condition is true for a request with this context.
    pub fn holds(&self, ctx: &Context) -> bool {
        let present: &[String] = ctx.get_lowercase(&self.key).map_or(&[], |v| v.as_slice());
        if let Values::Null(expect) = &self.values {
            return expect.contains(&present.is_empty());
        }
        if present.is_empty() {
            return self.if_exists
                || match self.qualifier {
                    SetQualifier::None => self.kind.is_negated(),
                    SetQualifier::ForAllValues => true,
                    SetQualifier::ForAnyValue => false,
                };
        }
        let negated = self.kind.is_negated();
        if negated && self.has_unresolvable(ctx) {
            return false;
        }
        let test = |v: &String| match self.positive_match(v, ctx) {
            None => false,
            Some(m) => m != negated,
        };
        match self.qualifier {
            SetQualifier::None => match present {
                [one] => test(one),
                _ => false,
            },
            SetQualifier::ForAllValues => present.iter().all(test),
            SetQualifier::ForAnyValue => present.iter().any(test),
        }
    }

    fn has_unresolvable(&self, ctx: &Context) -> bool {
        match &self.values {
            Values::Strings(globs, _) => globs.iter().any(|g| g.unresolvable(ctx)),
            Values::Arns(arns) => arns.iter().any(|a| a.unresolvable(ctx)),
            _ => false,
        }
    }

    /// Whether the request value matches any policy value under the operator's positive form;
    /// `None` when the request value can't be read as the operator's type.
    fn positive_match(&self, v: &str, ctx: &Context) -> Option<bool> {
        use OperatorKind as K;
        Some(match &self.values {
            Values::Strings(globs, fold) => {
                if *fold == Fold::Ascii
                    && !v.eq_ignore_ascii_case("true")
                    && !v.eq_ignore_ascii_case("false")
                {
                    return None;
                }
                let v = fold.apply(v);
                globs.iter().any(|g| g.matches(&v, ctx))
            }
            Values::Numbers(ns) => {
                let x = parse_number(v)?;
                ns.iter().any(|n| compare(self.kind, x.partial_cmp(n)))
            }
            Values::Dates(ds) => {
                let x = parse_date(v)?;
                ds.iter().any(|d| compare(self.kind, Some(x.cmp(d))))
            }
            Values::Binary(bs) => {
                let x = parse_base64(v)?;
                bs.contains(&x)
            }
            Values::Cidrs(cs) => {
                let ip = parse_ip(v)?;
                cs.iter().any(|c| c.contains(ip))
            }
            Values::Arns(arns) => {
                let parts = split_arn(v)?;
                arns.iter().any(|a| a.matches(v, Some(&parts), ctx))
            }
            Values::Null(_) => matches!(self.kind, K::Null),
        })
    }
}

/// Applies a numeric or date operator to `request.cmp(policy)`.
fn compare(kind: OperatorKind, ord: Option<Ordering>) -> bool {
    use OperatorKind as K;
    let Some(ord) = ord else { return false };
    match kind {
        K::NumericEquals | K::NumericNotEquals | K::DateEquals | K::DateNotEquals => {
            ord == Ordering::Equal
        }
        K::NumericLessThan | K::DateLessThan => ord == Ordering::Less,
        K::NumericLessThanEquals | K::DateLessThanEquals => ord != Ordering::Greater,
        K::NumericGreaterThan | K::DateGreaterThan => ord == Ordering::Greater,
        K::NumericGreaterThanEquals | K::DateGreaterThanEquals => ord != Ordering::Less,
        _ => false,
    }
}
