//! ARN-aware matching for `Resource`/`NotResource` and the `Arn*` condition operators.
//!
//! Both pattern and subject are split into six parts on their first five colons
//! (`arn:partition:service:region:account:resource`). Each of the first five parts is matched on
//! its own, so a `*` there can't cross a colon; the resource part is matched as a whole, so its
//! `*` spans `/` and `:`. This is what makes `ArnLike` differ from `StringLike` (spec §4.7).
//! A pattern that is not six parts long (`*`, or a non-ARN literal) is matched against the whole
//! subject.

use super::matcher::{Fold, Glob, Syntax};
use super::request::Context;

/// Splits `s` on its first five colons.
pub(crate) fn split_arn(s: &str) -> Option<[&str; 6]> {
    let mut parts = [""; 6];
    let mut rest = s;
    for part in parts.iter_mut().take(5) {
        let (head, tail) = rest.split_once(':')?;
        *part = head;
        rest = tail;
    }
    parts[5] = rest;
    Some(parts)
}

/// Like [`split_arn`], but colons inside `${...}` do not split (`${aws:username}`).
fn split_pattern(s: &str, variables: bool) -> Option<[&str; 6]> {
    if !variables || !s.contains("${") {
        return split_arn(s);
    }
    let mut parts = [""; 6];
    let mut n = 0;
    let mut start = 0;
    let mut in_var = false;
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'$' if bytes.get(i + 1) == Some(&b'{') => in_var = true,
            b'}' => in_var = false,
            b':' if !in_var && n < 5 => {
                parts[n] = s.get(start..i)?;
                n += 1;
                start = i + 1;
            }
            _ => {}
        }
    }
    if n < 5 {
        return None;
    }
    parts[5] = s.get(start..)?;
    Some(parts)
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ArnPattern {
    Whole(Glob),
    Parts(Box<[Glob; 6]>),
}

impl ArnPattern {
    /// Compiles a pattern; `variables` enables `${...}` substitution.
    pub fn compile(pattern: &str, variables: bool) -> ArnPattern {
        let syntax = Syntax {
            wildcards: true,
            variables,
            fold: Fold::None,
        };
        match split_pattern(pattern, variables) {
            Some(parts) => ArnPattern::Parts(Box::new(parts.map(|p| Glob::compile(p, syntax)))),
            None => ArnPattern::Whole(Glob::compile(pattern, syntax)),
        }
    }

    pub fn is_any(&self) -> bool {
        matches!(self, ArnPattern::Whole(Glob::Any))
    }

    /// Matches a subject given whole and, when it is ARN-shaped, split.
    pub fn matches(&self, subject: &str, parts: Option<&[&str; 6]>, ctx: &Context) -> bool {
        match (self, parts) {
            (ArnPattern::Whole(g), _) => g.matches(subject, ctx),
            // The resource part differs most often, so it goes first.
            (ArnPattern::Parts(globs), Some(parts)) => [5, 2, 4, 3, 1, 0].iter().all(|&i| {
                matches!((globs.get(i), parts.get(i)), (Some(g), Some(p)) if g.matches(p, ctx))
            }),
            (ArnPattern::Parts(_), None) => false,
        }
    }

    pub fn unresolvable(&self, ctx: &Context) -> bool {
        match self {
            ArnPattern::Whole(g) => g.unresolvable(ctx),
            ArnPattern::Parts(globs) => globs.iter().any(|g| g.unresolvable(ctx)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, subject: &str) -> bool {
        let ctx = Context::new().with("aws:username", "bob");
        ArnPattern::compile(pattern, true).matches(subject, split_arn(subject).as_ref(), &ctx)
    }

    #[test]
    fn splits_on_the_first_five_colons() {
        assert_eq!(
            split_arn("arn:aws:s3:::b/k:x"),
            Some(["arn", "aws", "s3", "", "", "b/k:x"])
        );
        assert_eq!(split_arn("arn:aws:s3"), None);
        assert_eq!(
            split_pattern("arn:aws:s3:::${aws:username, 'a:b'}/x", true),
            Some(["arn", "aws", "s3", "", "", "${aws:username, 'a:b'}/x"])
        );
    }

    #[test]
    fn matches_segment_by_segment() {
        let p = "arn:aws:someservice:*:111122223333:finance/*";
        let v = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt";
        assert!(!m(p, v));
        assert!(m(p, "arn:aws:someservice:us-east-2:111122223333:finance/x"));
        assert!(m(
            "arn:aws:s3:::b/*/test/*",
            "arn:aws:s3:::b/1/2/test/3/object.jpg"
        ));
        assert!(m(
            "arn:aws:s3:::b/*/test/*",
            "arn:aws:s3:::b//test/object.jpg"
        ));
        assert!(m("arn:aws:s3:::b/*/test/*", "arn:aws:s3:::b/1/test/"));
        assert!(!m(
            "arn:aws:s3:::b/*/test/*",
            "arn:aws:s3:::b/1-test/object.jpg"
        ));
        assert!(!m(
            "arn:aws:s3:::b/*/test/*",
            "arn:aws:s3:::b/test/object.jpg"
        ));
        assert!(!m("arn:aws:s3:::b/*/test/*", "arn:aws:s3:::b/1/2/test.jpg"));
        assert!(m(
            "arn:aws:s3:::home/${aws:username}/*",
            "arn:aws:s3:::home/bob/x"
        ));
        assert!(!m(
            "arn:aws:s3:::home/${aws:username}/*",
            "arn:aws:s3:::home/Bob/x"
        ));
        assert!(m("*", "anything"));
        assert!(!m("arn:aws:s3:::*", "*"));
        assert!(m("arn:*", "arn:aws:s3:::x"));
    }
}
