//! Wildcard matching for action patterns: `*` matches any run of characters (including none), `?`
//! exactly one character.

/// Whether `pattern` matches all of `text`, ignoring ASCII case.
pub(crate) fn matches_ignore_case(pattern: &str, text: &str) -> bool {
    matches_with(pattern, text, |a, b| a.eq_ignore_ascii_case(&b))
}

/// Whether `text` contains a wildcard character.
pub(crate) fn has_wildcard(text: &str) -> bool {
    text.contains(['*', '?'])
}

/// Iterative matching with one backtrack point (the last `*`): O(pattern × text) at worst and no
/// recursion, so hostile patterns cannot blow the stack.
fn matches_with(pattern: &str, text: &str, eq: impl Fn(char, char) -> bool) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(&c) if c == '?' || t.get(ti).is_some_and(|&x| eq(c, x)) => {
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
        .is_some_and(|rest| rest.iter().all(|&c| c == '*'))
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
    fn hostile_patterns_finish() {
        let pattern = "*a".repeat(200);
        let text = "a".repeat(199);
        assert!(!matches_ignore_case(&pattern, &text));
    }
}
