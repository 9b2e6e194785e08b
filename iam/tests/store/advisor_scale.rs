//! The Access Advisor over 1,000,000 recorded accesses: a measurement, not a check. Run with
//! `cargo nextest run -p iam --run-ignored only million_accesses --no-capture`; the figures go in
//! `docs/benchmarks.md`.

use std::time::Instant;

use iam::{Action, Principal, RequestFacts};

use super::enforcement::group;
use super::policies::{create_ok, power_user_document};
use super::support::{T0, with_root};

const USERS: usize = 2_000;
const SERVICES: usize = 50;
const ACTIONS_PER_SERVICE: usize = 10;

#[tokio::test]
#[ignore = "a measurement over 1,000,000 access records (about a minute)"]
async fn million_accesses_advisor_measurement() {
    let db = with_root().await;
    let ours = create_ok(&db, "PowerUserExampleCorp", &power_user_document()).await;
    let group_arn = group(&db, "PowerUsers", &[&ours.arn]).await;
    let account = db.iam.account().await.unwrap();
    // 50 real services with at least 10 actions each, 10 actions of each: 500 actions.
    let actions: Vec<(String, String)> = policy::catalog::Catalog::get()
        .services()
        .iter()
        .filter(|s| s.actions.len() >= ACTIONS_PER_SERVICE && s.prefix != "iam")
        .take(SERVICES)
        .flat_map(|s| {
            s.actions
                .iter()
                .take(ACTIONS_PER_SERVICE)
                .map(|a| (s.prefix.to_owned(), format!("{}:{}", s.prefix, a.name)))
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(actions.len(), SERVICES * ACTIONS_PER_SERVICE);

    let pool = db.raw().await;
    let started = Instant::now();
    let mut tx = pool.begin().await.unwrap();
    sqlx::query("CREATE TEMP TABLE bench_actions (service TEXT, action TEXT, n INTEGER)")
        .execute(&mut *tx)
        .await
        .unwrap();
    for (n, (service, action)) in actions.iter().enumerate() {
        sqlx::query("INSERT INTO bench_actions VALUES ($1, $2, $3)")
            .bind(service)
            .bind(action)
            .bind(i64::try_from(n).unwrap())
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    // 2,000 users, all in PowerUsers since T0.
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1) \
         INSERT INTO users (id, account_id, name, name_lower, path, created_at) \
         SELECT 'AIDABENCH' || i, $2, 'user' || i, 'user' || i, '/', $3 FROM n",
    )
    .bind(i64::try_from(USERS).unwrap())
    .bind(account.id.as_str())
    .bind(T0.as_secs())
    .execute(&mut *tx)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO group_members (group_id, user_id, added_at) \
         SELECT g.id, u.id, $1 FROM groups g, users u \
         WHERE g.name = 'PowerUsers' AND u.id LIKE 'AIDABENCH%'",
    )
    .bind(T0.as_secs())
    .execute(&mut *tx)
    .await
    .unwrap();
    // Every user tried every action: 1,000,000 action records, 100,000 service records.
    sqlx::query(
        "INSERT INTO action_last_accessed (account_id, principal_id, service, action, \
         last_accessed_at, last_allowed_at, attempts) \
         SELECT $1, u.id, a.service, a.action, $2 + ((a.n * 7 + length(u.id)) % 86400), \
         $2 + ((a.n * 7 + length(u.id)) % 86400), 1 + a.n % 5 \
         FROM users u CROSS JOIN bench_actions a WHERE u.id LIKE 'AIDABENCH%'",
    )
    .bind(account.id.as_str())
    .bind(T0.as_secs())
    .execute(&mut *tx)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO service_last_accessed (account_id, principal_id, service, \
         last_accessed_at, last_allowed_at, attempts) \
         SELECT account_id, principal_id, service, MAX(last_accessed_at), MAX(last_allowed_at), \
         SUM(attempts) FROM action_last_accessed WHERE principal_id LIKE 'AIDABENCH%' \
         GROUP BY account_id, principal_id, service",
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    // What the flushes of those records wrote for the group and the policy they all came through.
    for (level, key) in [("service", "service"), ("action", "action")] {
        let service_col = if level == "action" { "service, " } else { "" };
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO group_{level}_last_accessed (group_id, {key}, {service_col}\
             last_accessed_at, last_accessed_by, last_allowed_at, attempts, accessors) \
             SELECT g.id, r.{key}, {service_col}MAX(r.last_accessed_at), MAX(r.principal_id), \
             MAX(r.last_allowed_at), SUM(r.attempts), COUNT(*) \
             FROM {level}_last_accessed r, groups g \
             WHERE g.name = 'PowerUsers' AND r.principal_id LIKE 'AIDABENCH%' \
             GROUP BY g.id, r.{key}{}",
            if level == "action" { ", r.service" } else { "" }
        )))
        .execute(&mut *tx)
        .await
        .unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO policy_{level}_last_accessed (account_id, policy_arn, {key}, {service_col}\
             last_accessed_at, last_accessed_by, last_allowed_at, attempts, accessors) \
             SELECT $2, $1, {key}, {service_col}last_accessed_at, last_accessed_by, \
             last_allowed_at, attempts, accessors FROM group_{level}_last_accessed"
        )))
        .bind(&ours.arn)
        .bind(account.id.as_str())
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    pool.close().await;
    println!(
        "inserted {} action records for {USERS} users in {:?}",
        USERS * actions.len(),
        started.elapsed()
    );

    // 1,000 members each try two IAM actions, a service none of them had used, twice: the
    // once-a-second flushes (and the one before each report) count each member once for the group
    // and the policy. Not timed: the background flusher writes part of it as it goes.
    for _round in 0..2 {
        for i in 1..=1_000 {
            let who = Principal::User {
                account_id: account.id.clone(),
                user_id: format!("AIDABENCH{i}"),
                name: format!("user{i}"),
                path: "/".to_owned(),
            };
            for action in [Action::ListUsers, Action::ListGroups] {
                let facts = RequestFacts::at(T0.plus_secs(100_000));
                let _ = db.iam.authorize_request(&who, action, "*", &facts).await;
            }
        }
    }

    for (what, arn) in [
        ("group PowerUsers (2,000 members)", group_arn.clone()),
        ("policy PowerUserExampleCorp", ours.arn.clone()),
        (
            "user user42",
            db.iam.user_arn_for(None, "user42").await.unwrap(),
        ),
    ] {
        let auth = db
            .auth(Action::GenerateServiceLastAccessedDetails, &arn)
            .await;
        let mut times = Vec::new();
        let mut report = Vec::new();
        for _ in 0..5 {
            let t = Instant::now();
            report = db
                .iam
                .service_last_accessed(&auth, T0.plus_secs(86_400))
                .await
                .unwrap();
            times.push(t.elapsed());
        }
        times.sort();
        let accessed = report
            .iter()
            .filter(|s| s.last_accessed_at.is_some())
            .count();
        println!(
            "{what}: median {:?} (min {:?}, max {:?}) for {} services, {accessed} accessed",
            times[2],
            times[0],
            times[4],
            report.len()
        );
        assert_eq!(accessed, SERVICES + 1);
        let counts: Vec<u64> = report.iter().map(|s| s.entities_accessed).collect();
        let expected = if what.starts_with("user") { 1 } else { 1_000 };
        assert_eq!(
            report
                .iter()
                .find(|s| s.service == "iam")
                .unwrap()
                .entities_accessed,
            expected
        );
        if !what.starts_with("user") {
            assert!(counts.iter().filter(|&&n| n == 2_000).count() == SERVICES);
        }
    }
}
