//! Refuses server-function calls whose body is neither a form nor JSON. The console only ever
//! sends `application/x-www-form-urlencoded` (forms, and the wasm's calls); a `text/plain` or
//! multipart body is what a cross-site "simple" form can send without a preflight, so it is
//! refused before any decoding, whatever the origin check decided. A call with an empty body
//! (`Content-Length: 0`) has nothing to decode and needs no type.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::{CONTENT_LENGTH, CONTENT_TYPE, TRANSFER_ENCODING};
use http::{HeaderMap, Method, StatusCode};

/// The media types a server function reads.
const ACCEPTED: [&str; 2] = ["application/x-www-form-urlencoded", "application/json"];

pub async fn require_form_or_json(req: Request, next: Next) -> Response {
    let has_body = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !has_body
        || !req.uri().path().starts_with("/api/")
        || is_accepted(req.headers())
        || is_empty_without_type(req.headers())
    {
        return next.run(req).await;
    }
    let found = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map_or_else(|| "no Content-Type".to_owned(), |t| format!("`{t}`"));
    (
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        format!(
            "unsupported Content-Type: server functions take application/x-www-form-urlencoded \
             or application/json, and this request has {found}"
        ),
    )
        .into_response()
}

fn is_accepted(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or_default().trim();
    ACCEPTED.iter().any(|a| essence.eq_ignore_ascii_case(a))
}

/// A call without arguments, as `curl -X POST` sends it: no body to decode, so no type needed.
fn is_empty_without_type(headers: &HeaderMap) -> bool {
    !headers.contains_key(CONTENT_TYPE)
        && !headers.contains_key(TRANSFER_ENCODING)
        && headers
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|len| len.trim() == "0")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(content_type: &str) -> HeaderMap {
        let mut map = HeaderMap::new();
        map.insert(CONTENT_TYPE, content_type.parse().unwrap());
        map
    }

    #[test]
    fn forms_and_json_pass_and_nothing_else() {
        for ok in [
            "application/x-www-form-urlencoded",
            "application/x-www-form-urlencoded; charset=UTF-8",
            "Application/JSON",
            "application/json;charset=utf-8",
        ] {
            assert!(is_accepted(&with(ok)), "{ok}");
        }
        for refused in [
            "text/plain",
            "text/plain; charset=application/json",
            "multipart/form-data; boundary=x",
            "application/x-www-form-urlencoded-evil",
            "application/jsonp",
            "",
        ] {
            assert!(!is_accepted(&with(refused)), "{refused}");
        }
        assert!(!is_accepted(&HeaderMap::new()));
    }

    #[test]
    fn an_empty_body_needs_no_type_and_anything_else_does() {
        let mut empty = HeaderMap::new();
        empty.insert(CONTENT_LENGTH, "0".parse().unwrap());
        assert!(is_empty_without_type(&empty));
        let mut some = HeaderMap::new();
        some.insert(CONTENT_LENGTH, "12".parse().unwrap());
        assert!(!is_empty_without_type(&some));
        // A streamed body may hold anything.
        assert!(!is_empty_without_type(&HeaderMap::new()));
        let mut typed = with("text/plain");
        typed.insert(CONTENT_LENGTH, "0".parse().unwrap());
        assert!(!is_empty_without_type(&typed));
    }
}
