//! Wildcard matching (`*` = any run of characters, `?` = exactly one character) with optional
//! policy variables, compiled once per pattern.
//!
//! Matching uses the classic single-backtrack algorithm: on a mismatch it retries from the last
//! `*`, so it needs no recursion and no allocation for patterns without variables.

use std::borrow::Cow;

use super::request::Context;
use super::variables::{Segment, VarRef, segments};

/// How a pattern and its subject are case-folded before comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fold {
    /// Case-sensitive.
    None,
    /// ASCII lowercase (action names).
    Ascii,
    /// Unicode lowercase (`...IgnoreCase` operators).
    Unicode,
}

impl Fold {
    pub fn apply<'a>(self, s: &'a str) -> Cow<'a, str> {
        match self {
            Fold::None => Cow::Borrowed(s),
            Fold::Ascii if s.bytes().any(|b| b.is_ascii_uppercase()) => {
                Cow::Owned(s.to_ascii_lowercase())
            }
            Fold::Ascii => Cow::Borrowed(s),
            Fold::Unicode if s.chars().any(char::is_uppercase) => Cow::Owned(s.to_lowercase()),
            Fold::Unicode => Cow::Borrowed(s),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Piece {
    Lit(Box<str>),
    Star,
    One,
    Var(VarRef),
}

/// A compiled pattern. The subject passed to [`Glob::matches`] must already be folded the same
/// way as the pattern.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Glob {
    /// `*`: matches everything.
    Any,
    Exact(Box<str>),
    /// A literal followed by one trailing `*`.
    Prefix(Box<str>),
    /// `*` followed by a literal.
    Suffix(Box<str>),
    /// A literal between two `*`.
    Contains(Box<str>),
    /// Anything else without variables.
    Pieces(Vec<Piece>),
    /// A pattern with variables, resolved at match time.
    WithVars {
        pieces: Vec<Piece>,
        fold: Fold,
    },
    /// A pattern with a malformed variable: matches nothing.
    Never,
}

/// What a pattern string contains.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Syntax {
    pub wildcards: bool,
    pub variables: bool,
    pub fold: Fold,
}

impl Glob {
    pub fn compile(pattern: &str, syntax: Syntax) -> Glob {
        let mut pieces: Vec<Piece> = Vec::new();
        let segs = if syntax.variables {
            segments(pattern)
        } else {
            vec![Segment::Text(pattern)]
        };
        let mut has_vars = false;
        for seg in segs {
            match seg {
                Segment::Text(t) => {
                    let t = syntax.fold.apply(t);
                    if syntax.wildcards {
                        push_wildcard_text(&mut pieces, &t);
                    } else {
                        push_lit(&mut pieces, &t);
                    }
                }
                Segment::Escaped(c) => push_lit(&mut pieces, c),
                Segment::Var(v) => {
                    has_vars = true;
                    pieces.push(Piece::Var(v));
                }
                Segment::Broken => return Glob::Never,
            }
        }
        if has_vars {
            return Glob::WithVars {
                pieces,
                fold: syntax.fold,
            };
        }
        match pieces.as_slice() {
            [] => Glob::Exact("".into()),
            [Piece::Star] => Glob::Any,
            [Piece::Lit(l)] => Glob::Exact(l.clone()),
            [Piece::Lit(l), Piece::Star] => Glob::Prefix(l.clone()),
            [Piece::Star, Piece::Lit(l)] => Glob::Suffix(l.clone()),
            [Piece::Star, Piece::Lit(l), Piece::Star] => Glob::Contains(l.clone()),
            _ => Glob::Pieces(pieces),
        }
    }

    /// Matches `subject` (already folded like the pattern); variables come from `ctx`.
    pub fn matches(&self, subject: &str, ctx: &Context) -> bool {
        match self {
            Glob::Any => true,
            Glob::Exact(l) => subject == &**l,
            Glob::Prefix(l) => subject.starts_with(&**l),
            Glob::Suffix(l) => subject.ends_with(&**l),
            Glob::Contains(l) => subject.contains(&**l),
            Glob::Pieces(p) => {
                !quick_reject(p, subject)
                    && match_pieces(p, subject, |piece| match piece {
                        Piece::Lit(l) => Tok::Lit(l),
                        Piece::Star => Tok::Star,
                        Piece::One => Tok::One,
                        // INVARIANT: `Pieces` never holds variables (they make a `WithVars`).
                        Piece::Var(_) => Tok::Lit("\u{0}never"),
                    })
            }
            Glob::WithVars { pieces, fold } => {
                if let ([Piece::Var(v)], Fold::None) = (pieces.as_slice(), fold) {
                    return v.resolve(ctx) == Some(subject);
                }
                if pieces
                    .iter()
                    .any(|p| matches!(p, Piece::Var(v) if v.resolve(ctx).is_none()))
                {
                    return false;
                }
                if *fold == Fold::None {
                    // Substitute on the fly: no allocation.
                    return match_pieces(pieces, subject, |piece| match piece {
                        Piece::Lit(l) => Tok::Lit(l),
                        Piece::Star => Tok::Star,
                        Piece::One => Tok::One,
                        Piece::Var(v) => Tok::Lit(v.resolve(ctx).unwrap_or("")),
                    });
                }
                let owned: Vec<Cow<'_, str>> = pieces
                    .iter()
                    .map(|p| match p {
                        Piece::Var(v) => fold.apply(v.resolve(ctx).unwrap_or("")),
                        _ => Cow::Borrowed(""),
                    })
                    .collect();
                let toks: Vec<Tok<'_>> = pieces
                    .iter()
                    .zip(owned.iter())
                    .map(|(p, o)| match p {
                        Piece::Lit(l) => Tok::Lit(l),
                        Piece::Star => Tok::Star,
                        Piece::One => Tok::One,
                        Piece::Var(_) => Tok::Lit(o),
                    })
                    .collect();
                match_pieces(&toks, subject, |t| *t)
            }
            Glob::Never => false,
        }
    }

    /// Whether the pattern contains variables that `ctx` can't resolve.
    pub fn unresolvable(&self, ctx: &Context) -> bool {
        match self {
            Glob::WithVars { pieces, .. } => pieces
                .iter()
                .any(|p| matches!(p, Piece::Var(v) if v.resolve(ctx).is_none())),
            Glob::Never => true,
            _ => false,
        }
    }
}

fn push_lit(pieces: &mut Vec<Piece>, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(Piece::Lit(prev)) = pieces.last_mut() {
        let mut s = String::with_capacity(prev.len() + text.len());
        s.push_str(prev);
        s.push_str(text);
        *prev = s.into_boxed_str();
    } else {
        pieces.push(Piece::Lit(text.into()));
    }
}

fn push_wildcard_text(pieces: &mut Vec<Piece>, text: &str) {
    let mut lit_start = 0;
    for (i, c) in text.char_indices() {
        if c == '*' || c == '?' {
            push_lit(pieces, &text[lit_start..i]);
            lit_start = i + 1;
            if c == '?' {
                pieces.push(Piece::One);
            } else if !matches!(pieces.last(), Some(Piece::Star)) {
                // `**` is the same as `*`.
                pieces.push(Piece::Star);
            }
        }
    }
    push_lit(pieces, &text[lit_start..]);
}

/// A cheap test on the literal text at both ends of a pattern: `true` when it can't match.
fn quick_reject(pieces: &[Piece], subject: &str) -> bool {
    let head = matches!(pieces.first(), Some(Piece::Lit(l)) if !subject.starts_with(&**l));
    let tail = matches!(pieces.last(), Some(Piece::Lit(l)) if !subject.ends_with(&**l));
    head || tail
}

#[derive(Debug, Clone, Copy)]
enum Tok<'a> {
    Lit(&'a str),
    Star,
    One,
}

fn char_len(s: &str, at: usize) -> usize {
    s.get(at..)
        .and_then(|r| r.chars().next())
        .map_or(1, char::len_utf8)
}

fn match_pieces<'p, T>(pieces: &'p [T], subject: &str, tok: impl Fn(&'p T) -> Tok<'p>) -> bool {
    let (mut pi, mut si) = (0usize, 0usize);
    // The piece after the last `*`, and the subject position that `*` currently extends to.
    let mut backtrack: Option<(usize, usize)> = None;
    loop {
        let step = match pieces.get(pi).map(&tok) {
            Some(Tok::Star) => {
                backtrack = Some((pi + 1, si));
                pi += 1;
                continue;
            }
            Some(Tok::One) if si < subject.len() => Some(char_len(subject, si)),
            Some(Tok::Lit(l)) if subject.get(si..).is_some_and(|r| r.starts_with(l)) => {
                Some(l.len())
            }
            None if si == subject.len() => return true,
            _ => None,
        };
        match step {
            Some(n) => {
                pi += 1;
                si += n;
            }
            None => match backtrack {
                Some((bp, bs)) if bs < subject.len() => {
                    let next = bs + char_len(subject, bs);
                    backtrack = Some((bp, next));
                    pi = bp;
                    si = next;
                }
                _ => return false,
            },
        }
    }
}

#[cfg(test)]
mod tests;
