//! What the authorization API costs inside `Iam`, on a real SQLite file (WAL, synchronous=FULL)
//! with 1,000 users in a group with PowerUserAccess (`fixture::seed`):
//!
//! - the access-key check (`Iam::authenticate_access_key`: one indexed read, SHA-256, constant
//!   time compare), right and wrong secret;
//! - the caller check of each API request (`Iam::authorize_api_caller`: the key, then the caller's
//!   policies compiled and `portcullis:Authorize` evaluated);
//! - decisions (`Iam::is_authorized`): one, one for an unknown principal (a lookup and the event
//!   write only), 100 for one principal, 100 for 100 principals. Each call writes one read-only
//!   `Authorize` event per decision in one transaction (a WAL fsync) and notes the accesses for
//!   the once-a-second Access Advisor flush;
//! - what one `POST /api/v1/authorize` does in `Iam`: the caller check and one decision.
//!
//! `cargo bench -p iam --bench authorize` (`make bench-criterion` adds `-p server` to share the
//! release server's dependency builds); the figures go in `docs/benchmarks.md`.

mod fixture;

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use iam::{AuthzQuery, Iam, RequestFacts, UnixTime};

fn query(principal: &str, action: &str, resource: &str) -> AuthzQuery {
    AuthzQuery {
        principal: principal.to_owned(),
        action: action.to_owned(),
        resource: resource.to_owned(),
        context: policy::Context::new(),
    }
}

/// Request `i` of a batch: a mix of allowed (S3, EC2, DynamoDB) and denied (IAM) actions.
fn mixed(principal: &str, i: usize) -> AuthzQuery {
    match i % 4 {
        0 => query(
            principal,
            "s3:GetObject",
            &format!("arn:aws:s3:::reports/q{i}.csv"),
        ),
        1 => query(
            principal,
            "ec2:StartInstances",
            &format!("arn:aws:ec2:eu-west-1:123456789012:instance/i-{i:017x}"),
        ),
        2 => query(
            principal,
            "dynamodb:Query",
            "arn:aws:dynamodb:eu-west-1:123456789012:table/orders",
        ),
        _ => query(principal, "iam:CreateUser", "*"),
    }
}

fn authorization_api(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite:{}/portcullis.db", dir.path().display());
    let now = UnixTime::now();
    let started = Instant::now();
    let (iam, seeded) = rt
        .block_on(async {
            let iam = Iam::connect(&url).await?;
            let seeded = fixture::seed(&iam, now).await?;
            Ok::<_, fixture::BoxError>((iam, seeded))
        })
        .expect("seeding the benchmark store");
    eprintln!(
        "seeded {} users in PowerUsers and the caller in {:?}",
        fixture::USERS,
        started.elapsed()
    );
    let (id, secret) = (seeded.access_key_id.as_str(), seeded.secret.as_str());
    let facts = RequestFacts::at(now);
    let caller = rt
        .block_on(iam.authorize_api_caller(id, secret, &facts))
        .expect("the caller may call the API");

    let mut g = c.benchmark_group("access_key");
    g.bench_function("check", |b| {
        b.iter(|| {
            rt.block_on(iam.authenticate_access_key(id, secret, now))
                .expect("a valid key")
        });
    });
    let wrong = "0".repeat(secret.len());
    g.bench_function("check_wrong_secret", |b| {
        b.iter(|| {
            rt.block_on(iam.authenticate_access_key(id, &wrong, now))
                .expect_err("a wrong secret")
        });
    });
    g.bench_function("caller_check", |b| {
        b.iter(|| {
            rt.block_on(iam.authorize_api_caller(id, secret, &facts))
                .expect("the caller may call the API")
        });
    });
    g.finish();

    let mut g = c.benchmark_group("decision");
    g.sample_size(30).measurement_time(Duration::from_secs(8));
    let principal = fixture::user_name(42);
    g.bench_function("single", |b| {
        b.iter(|| {
            let answers = rt
                .block_on(iam.is_authorized(
                    &caller,
                    vec![query(
                        &principal,
                        "s3:GetObject",
                        "arn:aws:s3:::reports/q3.csv",
                    )],
                    now,
                ))
                .expect("a decision");
            assert_eq!(answers[0].decision, policy::Decision::Allow);
        });
    });
    g.bench_function("single_unknown_principal", |b| {
        b.iter(|| {
            rt.block_on(iam.is_authorized(&caller, vec![query("nobody", "s3:GetObject", "*")], now))
                .expect("a decision")
        });
    });
    g.bench_function("request_caller_check_and_single", |b| {
        b.iter(|| {
            rt.block_on(async {
                let caller = iam.authorize_api_caller(id, secret, &facts).await?;
                iam.is_authorized(
                    &caller,
                    vec![query(
                        &principal,
                        "s3:GetObject",
                        "arn:aws:s3:::reports/q3.csv",
                    )],
                    now,
                )
                .await
            })
            .expect("a decision")
        });
    });
    g.bench_function("batch_100_one_principal", |b| {
        b.iter(|| {
            let queries = (0..100).map(|i| mixed(&principal, i)).collect();
            rt.block_on(iam.is_authorized(&caller, queries, now))
                .expect("100 decisions")
        });
    });
    g.bench_function("batch_100_principals", |b| {
        b.iter(|| {
            let queries = (0..100)
                .map(|i| mixed(&fixture::user_name(i * 7), i))
                .collect();
            rt.block_on(iam.is_authorized(&caller, queries, now))
                .expect("100 decisions")
        });
    });
    g.finish();

    rt.block_on(async {
        iam.flush_access_records()
            .await
            .expect("flushing access records");
        iam.store().close().await;
    });
}

criterion_group!(benches, authorization_api);
criterion_main!(benches);
