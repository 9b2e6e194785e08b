//! Policy size as IAM counts it against its quotas: characters, with the whitespace between JSON
//! tokens not counted.

/// The managed-policy quota (IAM `reference_iam-quotas.html`).
pub(crate) const MANAGED_POLICY_QUOTA: usize = 6_144;

/// The number of characters in `source` that count toward the quota: every character except
/// whitespace outside string literals.
pub(crate) fn counted_chars(source: &str) -> usize {
    let mut count = 0;
    let mut in_string = false;
    let mut escaped = false;
    for c in source.chars() {
        if in_string {
            count += 1;
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
        } else if !c.is_whitespace() {
            count += 1;
            in_string = c == '"';
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_outside_strings_is_free() {
        assert_eq!(counted_chars("{ \"a b\" :\n  1 }"), 9);
        assert_eq!(counted_chars(r#"{"a\" b":1}"#), 11);
    }
}
