//! What verifying a Signature Version 4 request costs the server once the signing key is cached
//! (issue 17's budget: at most 50 µs), and what deriving the key costs when it is not: a
//! `CreateUser` form as the AWS CLI signs it, with its six signed headers.
//!
//! `cargo bench -p iam --bench sigv4`; the figures go in `docs/benchmarks.md`.

use criterion::{Criterion, criterion_group, criterion_main};
use iam::sigv4::{self, Authorization, Credential, SignedRequest};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const BODY: &[u8] = b"Action=CreateUser&Version=2010-05-08&UserName=mary&Path=%2Fdivision_abc%2Fsubdivision_xyz%2F&Tags.member.1.Key=team&Tags.member.1.Value=blue";
/// 2026-12-08T10:00:00Z, the request's `X-Amz-Date`.
const NOW: i64 = 1_796_724_000;

fn bench(c: &mut Criterion) {
    let credential = Credential {
        access_key_id: "AKIAIOSFODNN7EXAMPLE".to_owned(),
        date: "20261208".to_owned(),
        region: "us-east-1".to_owned(),
        service: "iam".to_owned(),
    };
    let key = sigv4::signing_key(
        SECRET,
        &credential.date,
        &credential.region,
        &credential.service,
    );
    let unsigned = [
        ("Host", "127.0.0.1:3000"),
        (
            "Content-Type",
            "application/x-www-form-urlencoded; charset=utf-8",
        ),
        (
            "User-Agent",
            "aws-cli/1.46.2 md/Botocore#1.43.62 ua/2.1 os/linux lang/python#3.11.7",
        ),
        ("X-Amz-Date", "20261208T100000Z"),
        ("Content-Length", "138"),
    ];
    let request = SignedRequest {
        method: "POST",
        path: "/",
        query: "",
        headers: &unsigned,
        body: BODY,
    };
    let signed = ["content-type", "host", "x-amz-date"];
    let header = sigv4::authorization_header(&request, &credential, &signed, &key)
        .expect("the request signs");
    let mut headers = unsigned.to_vec();
    headers.push(("Authorization", header.as_str()));
    let request = SignedRequest {
        headers: &headers,
        ..request
    };
    let auth = Authorization::parse(&header).expect("the header parses");
    sigv4::verify(&request, &auth, &key, NOW).expect("the signature verifies");

    c.bench_function(
        "sigv4/verify a CreateUser with the signing key cached",
        |b| {
            b.iter(|| {
                let auth = Authorization::parse(std::hint::black_box(&header)).expect("parses");
                sigv4::verify(&request, &auth, &key, NOW).expect("verifies")
            });
        },
    );
    c.bench_function("sigv4/derive a signing key (a cache miss)", |b| {
        b.iter(|| sigv4::signing_key(std::hint::black_box(SECRET), "20261208", "us-east-1", "iam"));
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
