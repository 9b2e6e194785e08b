//! The error answers (codes, statuses, AWS's messages) and parsing arbitrary headers.

use super::tests::{Owned, SECRET, SUITE_NOW, check, key_for, mismatch, suite};
use super::*;

/// The IAM ListUsers request of AWS's documentation, for the error tests.
fn iam_example() -> (Owned, String) {
    let case = suite()
        .into_iter()
        .find(|c| c.name.starts_with("iam-list-users"))
        .unwrap();
    (case.request, case.authorization)
}

#[test]
fn malformed_headers_get_incomplete_signature_with_aws_text() {
    let cred = "Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request";
    let sig = "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";
    let req = "Authorization header requires";
    for (header, message) in [
        ("AWS4-HMAC-SHA256".to_owned(), format!("{req} 'Credential' parameter. {req} 'Signature' parameter. {req} 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256")),
        (format!("AWS4-HMAC-SHA256 {cred}, {sig}"), format!("{req} 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256")),
        (format!("AWS4-HMAC-SHA256 {cred},SignedHeaders=host"), format!("{req} 'Signature' parameter. Authorization=AWS4-HMAC-SHA256")),
        ("AWS4-HMAC-SHA256 SignedHeaders=host, Signature=00".to_owned(), format!("{req} 'Credential' parameter. Authorization=AWS4-HMAC-SHA256")),
        (format!("AWS4-HMAC-SHA512 {cred}"), "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'.".to_owned()),
        ("Bearer abc".to_owned(), "Unsupported AWS 'algorithm': 'Bearer'.".to_owned()),
        (format!("AWS4-HMAC-SHA256 {cred}, SignedHeaders, {sig}"), format!("'SignedHeaders' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 {cred}, SignedHeaders, {sig}'")),
        (format!("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam, SignedHeaders=host, {sig}"), "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKID/20150830/us-east-1/iam'".to_owned()),
    ] {
        let err = Authorization::parse(&header).unwrap_err();
        assert_eq!((err.code(), err.status(), err.message()), ("IncompleteSignature", 400, message), "{header}");
    }
}

#[test]
fn accepted_spellings_of_a_good_header() {
    let (request, authorization) = iam_example();
    let parts: Vec<&str> = authorization["AWS4-HMAC-SHA256 ".len()..]
        .split(", ")
        .collect();
    for variant in [
        format!("AWS4-HMAC-SHA256 {}", parts.join(",")),
        format!("AWS4-HMAC-SHA256 {}, {}, {}", parts[2], parts[0], parts[1]),
        format!(
            "  AWS4-HMAC-SHA256   {} ,  {},{}  ",
            parts[1], parts[2], parts[0]
        ),
        format!("AWS4-HMAC-SHA256 {} {} {}", parts[0], parts[1], parts[2]),
    ] {
        assert_eq!(
            check(&request, &variant, SECRET, SUITE_NOW),
            Ok(()),
            "{variant}"
        );
    }
}

#[test]
fn scope_terminator_and_bad_signature_hex_are_mismatches() {
    let err = Authorization::parse("AWS4-HMAC-SHA256 Credential=A/20150830/us-east-1/iam/aws5_request, SignedHeaders=host, Signature=00").unwrap_err();
    assert_eq!((err.code(), err.status()), ("SignatureDoesNotMatch", 403));
    assert_eq!(
        err.message(),
        "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'."
    );
    let err = Authorization::parse("AWS4-HMAC-SHA256 Credential=A/20150830/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=zz").unwrap_err();
    assert_eq!(err.message(), SIGNATURE_DOES_NOT_MATCH_MESSAGE);
}

#[test]
fn caller_decided_errors_and_scope_checks() {
    let e = SigV4Error::MissingAuthenticationToken;
    assert_eq!(
        (e.code(), e.status(), e.message().as_str()),
        (
            "MissingAuthenticationToken",
            403,
            "Request is missing Authentication Token"
        )
    );
    let e = SigV4Error::InvalidClientTokenId;
    assert_eq!(
        (e.code(), e.status(), e.message().as_str()),
        (
            "InvalidClientTokenId",
            403,
            "The security token included in the request is invalid."
        )
    );
    let e = SigV4Error::SignatureDoesNotMatch(Mismatch::Signature);
    assert_eq!(
        (e.code(), e.status(), e.to_string().as_str()),
        (
            "SignatureDoesNotMatch",
            403,
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
        )
    );
    let (_, authorization) = iam_example();
    let credential = Authorization::parse(&authorization).unwrap().credential;
    assert_eq!(credential.check_scope("us-east-1", "iam"), Ok(()));
    assert_eq!(
        credential
            .check_scope("eu-west-3", "iam")
            .unwrap_err()
            .message(),
        "Credential should be scoped to a valid region, not 'us-east-1'."
    );
    assert_eq!(
        credential
            .check_scope("us-east-1", "sts")
            .unwrap_err()
            .message(),
        "Credential should be scoped to correct service: 'sts'."
    );
}

#[test]
fn requests_more_than_15_minutes_off_are_expired_or_not_yet_current() {
    let (request, authorization) = iam_example();
    for offset in [-15 * 60, 15 * 60, 0] {
        assert_eq!(
            check(&request, &authorization, SECRET, SUITE_NOW + offset),
            Ok(()),
            "{offset}"
        );
    }
    let err = check(&request, &authorization, SECRET, SUITE_NOW + 16 * 60).unwrap_err();
    assert_eq!((err.code(), err.status()), ("SignatureDoesNotMatch", 403));
    assert_eq!(
        err.message(),
        "Signature expired: 20150830T123600Z is now earlier than 20150830T123700Z (20150830T125200Z - 15 min.)"
    );
    let err = check(&request, &authorization, SECRET, SUITE_NOW - 16 * 60).unwrap_err();
    assert_eq!((err.code(), err.status()), ("SignatureDoesNotMatch", 403));
    assert_eq!(
        err.message(),
        "Signature not yet current: 20150830T123600Z is still later than 20150830T123500Z (20150830T122000Z + 15 min.)"
    );
}

#[test]
fn date_header_rules() {
    let (request, authorization) = iam_example();
    let scope_err =
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP.";
    let next_day = authorization.replace("/20150830/", "/20150831/");
    let err = check(&request, &next_day, SECRET, SUITE_NOW).unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message().as_str()),
        ("SignatureDoesNotMatch", 403, scope_err)
    );

    let mut no_date = request.clone();
    no_date
        .headers
        .retain(|(n, _)| !n.eq_ignore_ascii_case("x-amz-date"));
    let err = check(&no_date, &authorization, SECRET, SUITE_NOW).unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message().as_str()),
        (
            "IncompleteSignature",
            400,
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256"
        )
    );

    // `Date` stands in for `X-Amz-Date` (it is then unsigned here, so only the signature fails).
    let mut date_only = no_date.clone();
    date_only
        .headers
        .push(("Date".into(), "20150830T123600Z".into()));
    assert_eq!(
        check(&date_only, &authorization, SECRET, SUITE_NOW),
        mismatch()
    );

    let mut http_date = no_date.clone();
    http_date
        .headers
        .push(("Date".into(), "Sun, 30 Aug 2015 12:36:00 GMT".into()));
    let err = check(&http_date, &authorization, SECRET, SUITE_NOW).unwrap_err();
    assert_eq!(
        (err.code(), err.message().as_str()),
        (
            "IncompleteSignature",
            "Date must be in ISO-8601 'basic format'. Got 'Sun, 30 Aug 2015 12:36:00 GMT'. See http://en.wikipedia.org/wiki/ISO_8601"
        )
    );
}

#[test]
fn host_and_x_amz_date_must_be_signed() {
    let (request, authorization) = iam_example();
    let auth = Authorization::parse(&authorization).unwrap();
    let key = key_for(&auth, SECRET);
    for (drop, message) in [
        (
            "host",
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
        ),
        (
            "x-amz-date",
            "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.",
        ),
    ] {
        let mut unsigned = auth.clone();
        unsigned.signed_headers.retain(|h| h != drop);
        let err = request
            .with(|r| verify(r, &unsigned, &key, SUITE_NOW))
            .unwrap_err();
        assert_eq!(
            (err.code(), err.status(), err.message().as_str()),
            ("SignatureDoesNotMatch", 403, message)
        );
    }
}

#[test]
fn no_secret_in_debug_or_errors() {
    let key = signing_key(SECRET, "20150830", "us-east-1", "iam");
    let (request, authorization) = iam_example();
    let auth = Authorization::parse(&authorization).unwrap();
    let shown = format!(
        "{key:?} {auth:?} {:?}",
        check(&request, &authorization, "other", SUITE_NOW)
    );
    assert!(
        !shown.contains(SECRET) && !shown.contains("c4afb1cc"),
        "{shown}"
    );
}

#[test]
fn parsing_never_panics_on_arbitrary_headers() {
    use proptest::prelude::*;
    let (request, _) = iam_example();
    let key = signing_key(SECRET, "20150830", "us-east-1", "iam");
    let pieces = prop::sample::select(vec![
        "AWS4-HMAC-SHA256",
        " ",
        ",",
        "=",
        "/",
        ";",
        "Credential",
        "SignedHeaders",
        "Signature",
        "aws4_request",
        "host",
        "20150830",
        "ሴ",
        "\t",
        "0123456789abcdef",
        "%",
        "",
    ]);
    let structured = prop::collection::vec(pieces, 0..24).prop_map(|v| v.concat());
    let strategy = prop_oneof![any::<String>(), structured];
    proptest!(ProptestConfig::with_cases(2000), |(header in strategy)| {
        if let Ok(auth) = Authorization::parse(&header) {
            let _ = request.with(|r| verify(r, &auth, &key, SUITE_NOW));
        }
    });
}
