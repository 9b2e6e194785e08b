//! Wildcard matching for action patterns: `*` matches any run of characters (including none), `?`
//! exactly one character.

/// Whether `pattern` matches all of `text`, ignoring ASCII case.
pub(crate) fn matches_ignore_case(pattern: &str, text: &str) -> bool {
    matches_with(pattern, text, |p, t| p == '?' || p.eq_ignore_ascii_case(&t))
}

/// Whether every string `specific` matches is also matched by `general` (both patterns). A sound
/// approximation: `specific` is read as text in which `*` and `?` only match `*` and `?`.
pub(crate) fn covers(general: &str, specific: &str, ignore_case: bool) -> bool {
    matches_with(general, specific, |g, s| match s {
        '*' => g == '*',
        _ if g == '?' => true,
        _ if ignore_case => g.eq_ignore_ascii_case(&s),
        _ => g == s,
    })
}

/// Whether some string is matched by both patterns (case-sensitive).
pub(crate) fn overlaps(a: &str, b: &str) -> bool {
    if ends_conflict(a.chars(), b.chars()) || ends_conflict(a.chars().rev(), b.chars().rev()) {
        return false;
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut reach = vec![false; (a.len() + 1) * width];
    let at = |i: usize, j: usize| i * width + j;
    if let Some(first) = reach.first_mut() {
        *first = true;
    }
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            if !reach.get(at(i, j)).copied().unwrap_or(false) {
                continue;
            }
            let (ca, cb) = (a.get(i).copied(), b.get(j).copied());
            let mut set = |i: usize, j: usize| {
                if let Some(cell) = reach.get_mut(at(i, j)) {
                    *cell = true;
                }
            };
            // A star may match nothing, or swallow one token of the other side.
            if ca == Some('*') {
                set(i + 1, j);
                if cb.is_some() {
                    set(i, j + 1);
                }
            }
            if cb == Some('*') {
                set(i, j + 1);
                if ca.is_some() {
                    set(i + 1, j);
                }
            }
            if let (Some(x), Some(y)) = (ca, cb)
                && x != '*'
                && y != '*'
                && (x == '?' || y == '?' || x == y)
            {
                set(i + 1, j + 1);
            }
        }
    }
    reach.get(at(a.len(), b.len())).copied().unwrap_or(false)
}

/// Whether the literal ends of two patterns (up to the first `*` of either) already differ, which
/// rules out any overlap without the quadratic check.
fn ends_conflict(a: impl Iterator<Item = char>, b: impl Iterator<Item = char>) -> bool {
    for (x, y) in a.zip(b) {
        if x == '*' || y == '*' {
            return false;
        }
        if x != y && x != '?' && y != '?' {
            return true;
        }
    }
    false
}

/// Whether `text` contains a wildcard character.
pub(crate) fn has_wildcard(text: &str) -> bool {
    text.contains(['*', '?'])
}

/// `eq(pattern_char, text_char)` decides single-character matches (`?` included).
/// Iterative matching with one backtrack point (the last `*`): O(pattern × text) at worst and no
/// recursion, so hostile patterns cannot blow the stack.
fn matches_with(pattern: &str, text: &str, eq: impl Fn(char, char) -> bool) -> bool {
    // Policies and catalog names are ASCII in practice: match bytes then, without allocating.
    if pattern.is_ascii() && text.is_ascii() {
        return match_slices(pattern.as_bytes(), text.as_bytes(), |p, t| {
            eq(char::from(p), char::from(t))
        });
    }
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    match_slices(&p, &t, eq)
}

/// The matching loop over any slice of characters; `*` is the only special pattern element here,
/// `eq` handles the rest.
fn match_slices<C: Copy + PartialEq + From<u8>>(
    p: &[C],
    t: &[C],
    eq: impl Fn(C, C) -> bool,
) -> bool {
    let star_char = C::from(b'*');
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some(&c) if c == star_char => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(&c) if t.get(ti).is_some_and(|&x| eq(c, x)) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p.get(pi..)
        .is_some_and(|rest| rest.iter().all(|&c| c == star_char))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        assert!(matches_ignore_case("Get*", "getobject"));
        assert!(matches_ignore_case("*", ""));
        assert!(matches_ignore_case("?et*", "GetObject"));
        assert!(!matches_ignore_case("?et", "GetObject"));
        assert!(matches_ignore_case("*Object*", "PutObjectAcl"));
        assert!(!matches_ignore_case("List*s", "ListBucket"));
        assert!(matches_ignore_case("a**b", "ab"));
        assert!(!matches_ignore_case("", "a"));
    }

    #[test]
    fn coverage_between_patterns() {
        assert!(covers("s3:*", "s3:Get*", true));
        assert!(covers("s3:Get*", "S3:GETOBJECT", true));
        assert!(!covers("s3:Get?", "s3:Get*", true));
        assert!(covers("arn:aws:s3:::b/*", "arn:aws:s3:::b/x/*", false));
        assert!(!covers("arn:aws:s3:::b/x", "arn:aws:s3:::b/*", false));
        assert!(!covers("arn:aws:s3:::B/*", "arn:aws:s3:::b/x", false));
    }

    #[test]
    fn overlap_between_patterns() {
        assert!(overlaps(
            "user/*",
            "user/${x}".replace("${x}", "*").as_str()
        ));
        assert!(overlaps("*", "role/*"));
        assert!(overlaps("ro?e/a", "role/*"));
        assert!(!overlaps("group/*", "role/*"));
        assert!(!overlaps("a", "ab"));
        assert!(overlaps("a*c", "*b*"));
        assert!(!overlaps("a*", "b*"));
    }

    #[test]
    fn hostile_patterns_finish() {
        let pattern = "*a".repeat(200);
        let text = "a".repeat(199);
        assert!(!matches_ignore_case(&pattern, &text));
    }
}
