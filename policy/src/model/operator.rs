//! Condition operators: `[ForAllValues:|ForAnyValue:]<Operator>[IfExists]`.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A condition operator as written. Unknown names are kept (not a parse error) so the validator
/// can report them with their span; evaluation treats them as an error.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Operator {
    Known(KnownOperator),
    Unknown(String),
}

/// A recognised operator, decomposed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct KnownOperator {
    pub qualifier: SetQualifier,
    pub kind: OperatorKind,
    pub if_exists: bool,
}

/// The `ForAllValues:` / `ForAnyValue:` prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum SetQualifier {
    #[default]
    None,
    ForAllValues,
    ForAnyValue,
}

/// The operator families of the IAM User Guide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OperatorFamily {
    String,
    Numeric,
    Date,
    Bool,
    Binary,
    Ip,
    Arn,
    Null,
}

macro_rules! operator_kinds {
    ($($name:ident => $family:ident, $negated:expr;)*) => {
        /// The base operator, without qualifier or `IfExists`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum OperatorKind {
            $($name,)*
        }

        impl OperatorKind {
            /// Every operator, in the order of the IAM User Guide.
            pub const ALL: &'static [OperatorKind] = &[$(OperatorKind::$name,)*];

            pub fn name(self) -> &'static str {
                match self {
                    $(OperatorKind::$name => stringify!($name),)*
                }
            }

            pub fn family(self) -> OperatorFamily {
                match self {
                    $(OperatorKind::$name => OperatorFamily::$family,)*
                }
            }

            /// Whether the operator is a negation (`StringNotEquals`, `NotIpAddress`, ...): with
            /// several values it requires that none match, and it is true when the key is missing.
            pub fn is_negated(self) -> bool {
                match self {
                    $(OperatorKind::$name => $negated,)*
                }
            }

            fn from_name(name: &str) -> Option<OperatorKind> {
                match name {
                    $(stringify!($name) => Some(OperatorKind::$name),)*
                    _ => None,
                }
            }
        }
    };
}

operator_kinds! {
    StringEquals => String, false;
    StringNotEquals => String, true;
    StringEqualsIgnoreCase => String, false;
    StringNotEqualsIgnoreCase => String, true;
    StringLike => String, false;
    StringNotLike => String, true;
    NumericEquals => Numeric, false;
    NumericNotEquals => Numeric, true;
    NumericLessThan => Numeric, false;
    NumericLessThanEquals => Numeric, false;
    NumericGreaterThan => Numeric, false;
    NumericGreaterThanEquals => Numeric, false;
    DateEquals => Date, false;
    DateNotEquals => Date, true;
    DateLessThan => Date, false;
    DateLessThanEquals => Date, false;
    DateGreaterThan => Date, false;
    DateGreaterThanEquals => Date, false;
    Bool => Bool, false;
    BinaryEquals => Binary, false;
    IpAddress => Ip, false;
    NotIpAddress => Ip, true;
    ArnEquals => Arn, false;
    ArnLike => Arn, false;
    ArnNotEquals => Arn, true;
    ArnNotLike => Arn, true;
    Null => Null, false;
}

impl Operator {
    /// Parses an operator name. Names are case-sensitive, as in IAM. `Null` takes no `IfExists`.
    pub fn parse(name: &str) -> Operator {
        let (qualifier, rest) = if let Some(rest) = name.strip_prefix("ForAllValues:") {
            (SetQualifier::ForAllValues, rest)
        } else if let Some(rest) = name.strip_prefix("ForAnyValue:") {
            (SetQualifier::ForAnyValue, rest)
        } else {
            (SetQualifier::None, name)
        };
        let (if_exists, base) = match rest.strip_suffix("IfExists") {
            Some(base) => (true, base),
            None => (false, rest),
        };
        match OperatorKind::from_name(base) {
            Some(OperatorKind::Null) if if_exists => Operator::Unknown(name.to_string()),
            Some(kind) => Operator::Known(KnownOperator {
                qualifier,
                kind,
                if_exists,
            }),
            None => Operator::Unknown(name.to_string()),
        }
    }

    pub fn known(&self) -> Option<KnownOperator> {
        match self {
            Operator::Known(k) => Some(*k),
            Operator::Unknown(_) => None,
        }
    }
}

impl fmt::Display for KnownOperator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.qualifier {
            SetQualifier::None => {}
            SetQualifier::ForAllValues => f.write_str("ForAllValues:")?,
            SetQualifier::ForAnyValue => f.write_str("ForAnyValue:")?,
        }
        f.write_str(self.kind.name())?;
        if self.if_exists {
            f.write_str("IfExists")?;
        }
        Ok(())
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Operator::Known(k) => k.fmt(f),
            Operator::Unknown(name) => f.write_str(name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_every_operator() {
        for &kind in OperatorKind::ALL {
            for q in ["", "ForAllValues:", "ForAnyValue:"] {
                for suffix in ["", "IfExists"] {
                    let name = format!("{q}{}{suffix}", kind.name());
                    let op = Operator::parse(&name);
                    if kind == OperatorKind::Null && !suffix.is_empty() {
                        assert!(matches!(op, Operator::Unknown(_)), "{name}");
                    } else {
                        assert_eq!(op.to_string(), name);
                        assert!(op.known().is_some());
                    }
                }
            }
        }
    }

    #[test]
    fn keeps_unknown_operators() {
        for name in [
            "stringequals",
            "ForAnyValue::StringEquals",
            "NumericLike",
            "",
            "IfExists",
        ] {
            assert_eq!(Operator::parse(name), Operator::Unknown(name.to_string()));
        }
    }
}
