//! Policy variables: `${aws:username}`, `${aws:PrincipalTag/team, 'default'}`, and the escapes
//! `${*}`, `${?}`, `${$}`.
//!
//! Substitution happens only in documents with `Version` `2012-10-17`, in the resource part of
//! `Resource`/`NotResource` and in the values of String, ARN and Bool conditions. A substituted
//! value is literal text: `*` in a user name is not a wildcard. A variable whose key is absent
//! (or multivalued) and has no default can't be resolved; a string containing it matches nothing.

use super::request::{Context, ContextValue};

/// A reference to a context key, with an optional default.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct VarRef {
    /// The key, lowercased (keys are case-insensitive).
    pub key: Box<str>,
    pub default: Option<Box<str>>,
}

impl VarRef {
    /// The value to substitute: the context value, else the default; `None` when the variable
    /// can't be resolved.
    pub fn resolve<'a>(&'a self, ctx: &'a Context) -> Option<&'a str> {
        match ctx.get_lowercase(&self.key) {
            Some(ContextValue::Single(s)) => Some(s.as_str()),
            _ => self.default.as_deref(),
        }
    }
}

/// A piece of a string that may contain variables.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Segment<'s> {
    Text(&'s str),
    /// `${*}`, `${?}` or `${$}`: a literal character that is never a wildcard.
    Escaped(&'static str),
    Var(VarRef),
    /// `${` without `}`, `${}`, or a malformed default: never resolves.
    Broken,
}

/// Splits `s` into text and variables.
pub(crate) fn segments(s: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(start) = rest.find("${") {
        if start > 0 {
            out.push(Segment::Text(&rest[..start]));
        }
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            out.push(Segment::Broken);
            return out;
        };
        out.push(parse_var(&after[..end]));
        rest = &after[end + 1..];
    }
    if !rest.is_empty() {
        out.push(Segment::Text(rest));
    }
    out
}

fn parse_var(inner: &str) -> Segment<'static> {
    match inner {
        "*" => return Segment::Escaped("*"),
        "?" => return Segment::Escaped("?"),
        "$" => return Segment::Escaped("$"),
        _ => {}
    }
    let (key, default) = match inner.split_once(',') {
        Some((key, default)) => {
            let d = default.trim();
            let quoted = d.len() >= 2 && d.starts_with('\'') && d.ends_with('\'');
            let Some(body) = d.get(1..d.len().saturating_sub(1)).filter(|_| quoted) else {
                return Segment::Broken;
            };
            (key, Some(body.replace("''", "'").into_boxed_str()))
        }
        None => (inner, None),
    };
    let key = key.trim();
    if key.is_empty() {
        return Segment::Broken;
    }
    Segment::Var(VarRef {
        key: key.to_lowercase().into_boxed_str(),
        default,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_variables() {
        let s = segments("home/${aws:username}/${*}x${aws:PrincipalTag/team, 'it''s'}${");
        assert_eq!(s.len(), 7);
        assert_eq!(s[0], Segment::Text("home/"));
        assert_eq!(
            s[1],
            Segment::Var(VarRef {
                key: "aws:username".into(),
                default: None
            })
        );
        assert_eq!(s[3], Segment::Escaped("*"));
        assert_eq!(
            s[5],
            Segment::Var(VarRef {
                key: "aws:principaltag/team".into(),
                default: Some("it's".into())
            })
        );
        assert_eq!(s[6], Segment::Broken);
        assert_eq!(segments("${}"), vec![Segment::Broken]);
        assert_eq!(segments("${a, x}"), vec![Segment::Broken]);
        assert_eq!(segments("${a, '}"), vec![Segment::Broken]);
        assert_eq!(segments("plain"), vec![Segment::Text("plain")]);
    }
}
