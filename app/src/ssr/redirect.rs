//! Where a sign-in or a password change may send the browser next: only to a page of this console.
//!
//! The target comes from the URL (`/signin?redirect=…`), so anyone can write it. Browsers forgive
//! a lot when they read a `Location`: they drop tabs and newlines anywhere, read `\` as `/`, and
//! fold full-width dots, so `/\t/evil.example` or `/\evil.example` leave the site even though they
//! start with one `/`. A target is therefore kept only when it is plain printable ASCII without a
//! backslash, stays so once percent-decoded, and resolves against the console's own URL to the
//! same origin; anything else goes to the dashboard.

use url::{Position, Url};

/// Where a refused target goes instead.
pub const FALLBACK: &str = "/";

/// The origin targets are resolved against when no public URL is configured. Only the equality
/// of origins matters, so any fixed origin serves.
const DEFAULT_BASE: &str = "http://portcullis.invalid/";

/// `target` as a path, query and fragment of this console, or [`FALLBACK`].
/// `public_url` is the console's configured URL, if any.
pub fn safe_redirect(target: Option<&str>, public_url: Option<&str>) -> String {
    let base = public_url
        .and_then(|u| Url::parse(u).ok())
        .unwrap_or_else(|| Url::parse(DEFAULT_BASE).expect("the default base is a URL"));
    target
        .and_then(|t| same_origin_path(t, &base))
        .unwrap_or_else(|| FALLBACK.to_owned())
}

fn same_origin_path(target: &str, base: &Url) -> Option<String> {
    if !is_plain_path(target) {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(target).decode_utf8_lossy();
    // Once decoded, a proxy or a later redirect could read `//` or `/\` as another host.
    if decoded.chars().any(char::is_control) || decoded.contains('\\') || !is_one_slash(&decoded) {
        return None;
    }
    let resolved = base.join(target).ok()?;
    (resolved.origin() == base.origin()).then(|| resolved[Position::BeforePath..].to_owned())
}

/// Printable ASCII (space to `~`) without `\`, starting with exactly one `/`.
fn is_plain_path(target: &str) -> bool {
    target.bytes().all(|b| (b' '..=b'~').contains(&b))
        && !target.contains('\\')
        && is_one_slash(target)
}

fn is_one_slash(path: &str) -> bool {
    path.starts_with('/') && !path.starts_with("//")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Targets that have sent browsers off-site somewhere, each with what must come back.
    const CASES: &[(&str, &str)] = &[
        ("/", "/"),
        ("/users", "/users"),
        (
            "/users/details?name=mary&tab=groups",
            "/users/details?name=mary&tab=groups",
        ),
        ("/groups?q=a b", "/groups?q=a%20b"),
        ("/policies#top", "/policies#top"),
        ("//evil.example/phish", FALLBACK),
        ("/\\evil.example/phish", FALLBACK),
        ("\\/\\/evil.example/phish", FALLBACK),
        ("/\t/evil.example/phish", FALLBACK),
        ("/\n/evil.example/phish", FALLBACK),
        ("/\r\nSet-Cookie: a=b", FALLBACK),
        ("/%09/evil.example/phish", FALLBACK),
        ("/%0a/evil.example/phish", FALLBACK),
        ("/%0d%0aSet-Cookie:%20a=b", FALLBACK),
        ("/%2f%2fevil.example/phish", FALLBACK),
        ("/%2F/evil.example", FALLBACK),
        ("/%5cevil.example", FALLBACK),
        ("https://evil.example/phish", FALLBACK),
        ("http:/evil.example", FALLBACK),
        ("https:evil.example", FALLBACK),
        ("javascript:alert(1)", FALLBACK),
        ("JaVaScRiPt:alert(1)", FALLBACK),
        (" /users", FALLBACK),
        ("//evil\u{3002}example", FALLBACK),
        ("/\u{3002}/evil\u{ff0e}example", FALLBACK),
        ("/\u{ff0f}\u{ff0f}evil.example", FALLBACK),
        ("evil.example", FALLBACK),
        ("", FALLBACK),
        ("/\u{0}", FALLBACK),
    ];

    #[test]
    fn only_pages_of_this_console_are_kept() {
        for public_url in [
            None,
            Some("https://iam.example.com"),
            Some("http://127.0.0.1:3000/"),
        ] {
            for (target, want) in CASES {
                assert_eq!(
                    safe_redirect(Some(target), public_url),
                    *want,
                    "{target:?} with {public_url:?}"
                );
            }
        }
        assert_eq!(safe_redirect(None, None), FALLBACK);
    }

    #[test]
    fn what_is_kept_is_a_valid_header_value() {
        for (target, _) in CASES {
            let kept = safe_redirect(Some(target), None);
            assert!(
                http::HeaderValue::from_str(&kept).is_ok(),
                "{target:?} -> {kept:?}"
            );
        }
    }
}
