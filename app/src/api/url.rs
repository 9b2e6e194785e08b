//! Percent-encoding for the console's own links and query strings.

/// Percent-encodes everything but RFC 3986's unreserved characters, for a path segment or a query
/// value.
pub fn url_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A query string of `pairs`, percent-encoded.
pub fn query_string(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", url_encode(k), url_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_characters_are_encoded() {
        assert_eq!(url_encode("a b/c&d"), "a%20b%2Fc%26d");
        assert_eq!(url_encode("Power Users+1"), "Power%20Users%2B1");
        assert_eq!(
            url_encode("mary.major@examplecorp.com"),
            "mary.major%40examplecorp.com"
        );
        assert_eq!(
            query_string(&[("policy_arns[]", "arn:aws:iam::aws:policy/X")]),
            "policy_arns%5B%5D=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FX"
        );
    }
}
