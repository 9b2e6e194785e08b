//! Arbitrary bytes through `Authorization::parse` and `verify`: nothing may panic.
//! Input: the `Authorization` value on the first line, then `name:value` header lines, a blank
//! line, and the body; the request path and query come from the first header named `path`.
#![no_main]

use iam::sigv4::{Authorization, SignedRequest, signing_key, verify};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (head, body) = text.split_once("\n\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let Ok(auth) = Authorization::parse(lines.next().unwrap_or("")) else {
        return;
    };
    let headers: Vec<(&str, &str)> = lines.filter_map(|l| l.split_once(':')).collect();
    let target = headers
        .iter()
        .find(|(n, _)| *n == "path")
        .map_or("/", |(_, v)| *v);
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let request = SignedRequest {
        method: "POST",
        path,
        query,
        headers: &headers,
        body: body.as_bytes(),
    };
    let c = &auth.credential;
    let key = signing_key("secret", &c.date, &c.region, &c.service);
    for now in [0, 1_440_938_160, i64::MIN, i64::MAX] {
        let _ = verify(&request, &auth, &key, now);
    }
});
