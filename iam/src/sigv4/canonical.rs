//! The SigV4 canonical request, built from the request as received.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, percent_encode};

/// A request as the HTTP layer received it, before any decoding.
#[derive(Debug, Clone, Copy)]
pub struct SignedRequest<'a> {
    pub method: &'a str,
    /// The raw path, percent-encoded as received.
    pub path: &'a str,
    /// The raw query string, without the `?`.
    pub query: &'a str,
    /// Names in any case, as received; a name may repeat.
    pub headers: &'a [(&'a str, &'a str)],
    pub body: &'a [u8],
}

impl<'a> SignedRequest<'a> {
    /// The values of every header called `name` (any case), in the order received.
    pub fn header_values(&self, name: &str) -> impl Iterator<Item = &'a str> {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }

    /// The first value of header `name`, if any.
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.header_values(name).next()
    }
}

/// RFC 3986 unreserved characters stay as they are; every other byte is `%XX` (upper case).
const NOT_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The canonical request: method, URI, query, headers, signed header names, payload hash.
pub(crate) fn canonical_request(
    request: &SignedRequest,
    signed_headers: &[String],
    payload_hash: &str,
) -> String {
    let mut names: Vec<&str> = signed_headers.iter().map(String::as_str).collect();
    names.sort_unstable();
    names.dedup();
    let headers: String = names
        .iter()
        .map(|name| format!("{name}:{}\n", header_value(request, name)))
        .collect();
    format!(
        "{}\n{}\n{}\n{headers}\n{}\n{payload_hash}",
        request.method,
        canonical_uri(request.path),
        canonical_query(request.query),
        signed_headers.join(";"),
    )
}

/// The path as SigV4 canonicalises it for every service but S3: dot segments resolved, empty
/// segments dropped, each segment URI-encoded once more (so `%2F` sent becomes `%252F`), `/`
/// when nothing is left. A trailing `/` (or a last `.`/`..` segment) keeps a trailing `/`.
pub(crate) fn canonical_uri(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    if segments.is_empty() {
        return "/".to_owned();
    }
    let mut out = String::with_capacity(path.len() + 8);
    for segment in &segments {
        out.push('/');
        out.extend(percent_encode(segment.as_bytes(), NOT_UNRESERVED));
    }
    let last = path.rsplit('/').next().unwrap_or("");
    if matches!(last, "" | "." | "..") {
        out.push('/');
    }
    out
}

/// Each name and value decoded (`%XX` only; `+` is a literal plus, as SigV4 clients encode a
/// space as `%20`), re-encoded over the unreserved set, pairs sorted by name then value, `=`
/// kept for an empty value.
pub(crate) fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (reencode(name), reencode(value))
        })
        .collect();
    pairs.sort_unstable();
    pairs
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join("&")
}

fn reencode(text: &str) -> String {
    let decoded: Vec<u8> = percent_decode_str(text).collect();
    percent_encode(&decoded, NOT_UNRESERVED).to_string()
}

/// Every value of header `name`, each trimmed with inner runs of spaces collapsed, joined by
/// commas. A signed header that was not sent is empty (and so cannot match a real signature).
fn header_value(request: &SignedRequest, name: &str) -> String {
    request
        .header_values(name)
        .map(|value| {
            value
                .split([' ', '\t'])
                .filter(|word| !word.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_normalisation() {
        for (raw, canonical) in [
            ("", "/"),
            ("/", "/"),
            ("//", "/"),
            ("//example//", "/example/"),
            ("/./", "/"),
            ("/./example", "/example"),
            ("/example/..", "/"),
            ("/example1/example2/../..", "/"),
            ("/a/b/..", "/a/"),
            ("/../../x", "/x"),
            ("/example space/", "/example%20space/"),
            ("/%E1%88%B4", "/%25E1%2588%25B4"),
            ("/ሴ", "/%E1%88%B4"),
            ("/-._~0aZ", "/-._~0aZ"),
            ("/a+b*c", "/a%2Bb%2Ac"),
        ] {
            assert_eq!(canonical_uri(raw), canonical, "{raw:?}");
        }
    }

    #[test]
    fn query_canonicalisation() {
        for (raw, canonical) in [
            ("", ""),
            ("Param2=value2&Param1=value1", "Param1=value1&Param2=value2"),
            ("Param1=value2&Param1=Value1", "Param1=Value1&Param1=value2"),
            ("b=1&B=2&a", "B=2&a=&b=1"),
            ("Param1=value1&", "Param1=value1"),
            ("x=a%20b&y=a+b", "x=a%20b&y=a%2Bb"),
            ("x=%7e%2d%41", "x=~-A"),
            ("k=%zz%", "k=%25zz%25"),
            ("k=ሴ", "k=%E1%88%B4"),
            ("a=b=c", "a=b%3Dc"),
        ] {
            assert_eq!(canonical_query(raw), canonical, "{raw:?}");
        }
    }

    #[test]
    fn header_values_are_trimmed_collapsed_and_joined() {
        let headers = [
            ("My-Header", "  a   b  "),
            ("X", "1"),
            ("my-header", "\tc d"),
        ];
        let request = SignedRequest {
            method: "GET",
            path: "/",
            query: "",
            headers: &headers,
            body: b"",
        };
        assert_eq!(header_value(&request, "my-header"), "a b,c d");
        assert_eq!(header_value(&request, "absent"), "");
    }
}
