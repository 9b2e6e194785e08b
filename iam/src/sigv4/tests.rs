//! Data-driven tests: AWS's published SigV4 suite (`testdata/aws_suite.txt`), requests signed by
//! botocore (`testdata/botocore.json`, from `testdata/gen_botocore.py`), the error answers, and
//! parsing arbitrary headers (the last two in `error_tests.rs`).

use super::canonical::canonical_request;
use super::signing::{sha256_hex, string_to_sign};
use super::*;

const SUITE: &str = include_str!("testdata/aws_suite.txt");
const BOTOCORE: &str = include_str!("testdata/botocore.json");
pub(super) const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
/// 20150830T123600Z.
pub(super) const SUITE_NOW: i64 = 1_440_938_160;

/// One request as received, owning its parts.
#[derive(Clone, Debug)]
pub(super) struct Owned {
    pub(super) method: String,
    pub(super) path: String,
    pub(super) query: String,
    pub(super) headers: Vec<(String, String)>,
    pub(super) body: Vec<u8>,
}

impl Owned {
    pub(super) fn with<R>(&self, f: impl FnOnce(&SignedRequest) -> R) -> R {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        f(&SignedRequest {
            method: &self.method,
            path: &self.path,
            query: &self.query,
            headers: &headers,
            body: &self.body,
        })
    }

    /// `METHOD TARGET HTTP/1.1`, `Name:value` lines, a blank line, the body.
    fn parse_http(text: &str) -> Owned {
        let (head, body) = text.split_once("\n\n").unwrap_or((text, ""));
        let mut lines = head.lines();
        let first = lines.next().unwrap();
        let (method, rest) = first.split_once(' ').unwrap();
        let target = rest.strip_suffix(" HTTP/1.1").unwrap();
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let headers = lines
            .map(|l| {
                let (n, v) = l.split_once(':').unwrap();
                (n.to_owned(), v.to_owned())
            })
            .collect();
        Owned {
            method: method.into(),
            path: path.into(),
            query: query.into(),
            headers,
            body: body.as_bytes().to_vec(),
        }
    }

    pub(super) fn set_header(&mut self, name: &str, value: &str) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.into(), value.into()));
    }
}

pub(super) struct SuiteCase {
    pub(super) name: String,
    pub(super) request: Owned,
    pub(super) canonical: String,
    pub(super) to_sign: String,
    pub(super) authorization: String,
}

pub(super) fn suite() -> Vec<SuiteCase> {
    let mut cases = Vec::new();
    for block in SUITE.split("\n=== ").skip(1) {
        let (name, rest) = block.split_once('\n').unwrap();
        let mut sections = std::collections::HashMap::new();
        for section in rest.split("--- ").skip(1) {
            let (title, body) = section.split_once('\n').unwrap();
            sections.insert(title.to_owned(), body.trim_end_matches('\n').to_owned());
        }
        cases.push(SuiteCase {
            name: name.into(),
            request: Owned::parse_http(&sections["request"]),
            canonical: sections["canonical-request"].clone(),
            to_sign: sections["string-to-sign"].clone(),
            authorization: sections["authorization"].clone(),
        });
    }
    cases
}

pub(super) fn key_for(auth: &Authorization, secret: &str) -> SigningKey {
    let c = &auth.credential;
    signing_key(secret, &c.date, &c.region, &c.service)
}

pub(super) fn check(
    request: &Owned,
    authorization: &str,
    secret: &str,
    now: i64,
) -> Result<(), SigV4Error> {
    let auth = Authorization::parse(authorization)?;
    request.with(|r| verify(r, &auth, &key_for(&auth, secret), now))
}

#[test]
fn aws_suite_canonical_requests_strings_to_sign_and_signatures_match() {
    let cases = suite();
    assert_eq!(cases.len(), 20);
    for case in &cases {
        let auth = Authorization::parse(&case.authorization).unwrap();
        assert_eq!(
            auth.credential.access_key_id, "AKIDEXAMPLE",
            "{}",
            case.name
        );
        let canonical = case
            .request
            .with(|r| canonical_request(r, &auth.signed_headers, &sha256_hex(r.body)));
        assert_eq!(
            canonical, case.canonical,
            "{}: canonical request",
            case.name
        );
        let to_sign = string_to_sign("20150830T123600Z", &auth.credential.scope(), &canonical);
        assert_eq!(to_sign, case.to_sign, "{}: string to sign", case.name);
        let key = key_for(&auth, SECRET);
        assert_eq!(
            key.sign(&to_sign),
            auth.signature,
            "{}: signature",
            case.name
        );
        assert_eq!(
            check(&case.request, &case.authorization, SECRET, SUITE_NOW),
            Ok(()),
            "{}",
            case.name
        );
    }
}

/// `authorization_header` writes AWS's published header for every suite case, and what it
/// writes for a new request verifies.
#[test]
fn authorization_header_signs_as_aws_does() {
    for case in &suite() {
        let auth = Authorization::parse(&case.authorization).unwrap();
        let names: Vec<&str> = auth.signed_headers.iter().map(String::as_str).collect();
        let header = case
            .request
            .with(|r| authorization_header(r, &auth.credential, &names, &key_for(&auth, SECRET)))
            .unwrap();
        assert_eq!(
            Authorization::parse(&header).unwrap(),
            auth,
            "{}",
            case.name
        );
        assert_eq!(header, case.authorization.trim(), "{}", case.name);
    }
    let mut request = Owned {
        method: "POST".into(),
        path: "/".into(),
        query: String::new(),
        headers: vec![("Host".into(), "iam.example.com".into())],
        body: b"Action=ListUsers&Version=2010-05-08".to_vec(),
    };
    request.set_header("X-Amz-Date", "20150830T123600Z");
    let credential = Credential {
        access_key_id: "AKIDEXAMPLE".into(),
        date: "20150830".into(),
        region: "us-east-1".into(),
        service: "iam".into(),
    };
    let key = signing_key(SECRET, "20150830", "us-east-1", "iam");
    let header = request
        .with(|r| authorization_header(r, &credential, &["x-amz-date", "host"], &key))
        .unwrap();
    assert!(
        header.contains("SignedHeaders=host;x-amz-date,"),
        "{header}"
    );
    assert_eq!(check(&request, &header, SECRET, SUITE_NOW), Ok(()));
    assert_eq!(check(&request, &header, "wrong", SUITE_NOW), mismatch());
    request.headers.retain(|(n, _)| n != "X-Amz-Date");
    assert!(matches!(
        request.with(|r| authorization_header(r, &credential, &["host"], &key)),
        Err(SigV4Error::IncompleteSignature(_))
    ));
}

pub(super) fn mismatch() -> Result<(), SigV4Error> {
    Err(SigV4Error::SignatureDoesNotMatch(Mismatch::Signature))
}

#[test]
fn any_signed_change_is_a_mismatch_and_unsigned_headers_are_free() {
    for case in suite() {
        let (r, a, n) = (
            &case.request,
            case.authorization.as_str(),
            case.name.as_str(),
        );
        assert_eq!(
            check(r, a, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEX", SUITE_NOW),
            mismatch(),
            "{n}: secret"
        );
        let mut changed = r.clone();
        changed.body.push(b'x');
        assert_eq!(
            check(&changed, a, SECRET, SUITE_NOW),
            mismatch(),
            "{n}: body"
        );
        let mut changed = r.clone();
        changed.query.push_str(if changed.query.is_empty() {
            "a=b"
        } else {
            "&a=b"
        });
        assert_eq!(
            check(&changed, a, SECRET, SUITE_NOW),
            mismatch(),
            "{n}: query"
        );
        let mut changed = r.clone();
        changed.set_header("Host", "example.amazonaws.org");
        assert_eq!(
            check(&changed, a, SECRET, SUITE_NOW),
            mismatch(),
            "{n}: host"
        );
        let mut changed = r.clone();
        changed.method = if r.method == "GET" {
            "POST".into()
        } else {
            "GET".into()
        };
        assert_eq!(
            check(&changed, a, SECRET, SUITE_NOW),
            mismatch(),
            "{n}: method"
        );
        let mut changed = r.clone();
        changed.set_header("X-Amz-Date", "20150830T123601Z");
        assert_eq!(
            check(&changed, a, SECRET, SUITE_NOW),
            mismatch(),
            "{n}: date"
        );
        let mut changed = r.clone();
        changed
            .headers
            .push(("User-Agent".into(), "anything".into()));
        changed
            .headers
            .push(("X-Unsigned".into(), "  free ".into()));
        assert_eq!(
            check(&changed, a, SECRET, SUITE_NOW),
            Ok(()),
            "{n}: unsigned header"
        );
        let auth = Authorization::parse(a).unwrap();
        let mut changed_sig = auth.clone();
        changed_sig.signature[31] ^= 1;
        let key = key_for(&auth, SECRET);
        assert_eq!(
            r.with(|req| verify(req, &changed_sig, &key, SUITE_NOW)),
            mismatch(),
            "{n}: sig"
        );
    }
}

#[test]
fn a_signed_content_sha256_must_match_the_body() {
    let case = suite()
        .into_iter()
        .find(|c| c.name.contains("aws-c-auth variant"))
        .unwrap();
    let mut lying = case.request.clone();
    lying.set_header("X-Amz-Content-Sha256", &sha256_hex(b"other"));
    assert_eq!(
        check(&lying, &case.authorization, SECRET, SUITE_NOW),
        mismatch()
    );
}

#[test]
fn botocore_signed_requests_verify() {
    let doc: serde_json::Value = serde_json::from_str(BOTOCORE).unwrap();
    let fixtures = doc["fixtures"].as_array().unwrap();
    assert_eq!(fixtures.len(), 9);
    let mut ok = 0;
    for f in fixtures {
        let name = f["name"].as_str().unwrap();
        let headers: Vec<(String, String)> = f["headers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| (h[0].as_str().unwrap().into(), h[1].as_str().unwrap().into()))
            .collect();
        let authorization = headers
            .iter()
            .find(|(n, _)| n == "Authorization")
            .unwrap()
            .1
            .clone();
        let request = Owned {
            method: f["method"].as_str().unwrap().into(),
            path: f["path"].as_str().unwrap().into(),
            query: f["query"].as_str().unwrap().into(),
            headers,
            body: f["body"].as_str().unwrap().as_bytes().to_vec(),
        };
        let auth = Authorization::parse(&authorization).unwrap();
        assert_eq!(
            auth.credential.access_key_id,
            f["access_key_id"].as_str().unwrap()
        );
        let result = check(
            &request,
            &authorization,
            f["secret"].as_str().unwrap(),
            f["now"].as_i64().unwrap(),
        );
        match f["expect"].as_str().unwrap() {
            "ok" => {
                assert_eq!(result, Ok(()), "{name}");
                ok += 1;
            }
            code => assert_eq!(result.map_err(|e| e.code()), Err(code), "{name}"),
        }
    }
    assert_eq!(ok, 7);
}
