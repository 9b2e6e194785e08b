//! Seeds a fresh SQLite database for `bench/console-load.sh` (the console under load, issue 7),
//! or times one argon2 password check with the production parameters.
//!
//! `seed_console_bench sqlite:PATH` seeds, through the public `Iam` methods as the console would:
//! root, 10,000 IAM users `user00000` to `user09999` created ten at a time (one transaction per
//! ten, as the Add users wizard does), the last 500 of them with a console password (argon2
//! hashed), the customer managed policy `PowerUserExampleCorp` (a copy of PowerUserAccess) and the
//! group `PowerUsers` with it attached and `user00000` to `user01999` as members. Then, for the
//! Event history and the Access Advisor, it bulk-inserts with SQL (the public API writes one
//! event per call, and access records only through the once-a-second flush; the same SQL as
//! `iam/tests/store/event_history.rs` and `advisor_scale.rs`): 1,000,000 events over the last 90
//! days, and 1,000,000 per-action access records (the 2,000 members x 500 actions of 50
//! services) with the group and policy aggregates the flushes maintain. It prints what the
//! benchmark needs as `key=value` lines.
//!
//! `seed_console_bench argon2 [N]` times N (default 40) password checks one after another through
//! `iam::PasswordHasher` (the server's hasher, so the parameters are the production ones), and
//! N checks on all CPUs at once, and prints one `RESULT` line.
//!
//! `cargo run --release -p iam --example seed_console_bench -- sqlite:/tmp/x/portcullis.db`

use std::process::ExitCode;
use std::time::{Duration, Instant};

use iam::{
    Action, Iam, NewGroup, NewPolicy, NewUserSpec, PasswordChoice, PasswordHasher, Principal,
    RequestMeta, UnixTime,
};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const USERS: usize = 10_000;
/// `user09500` to `user09999` get a console password.
const WITH_PASSWORD: usize = 500;
/// `user00000` to `user01999` are in PowerUsers.
const MEMBERS: usize = 2_000;
const EVENTS: i64 = 1_000_000;
const SERVICES: usize = 50;
const ACTIONS_PER_SERVICE: usize = 10;
const ROOT_EMAIL: &str = "root@bench.example.com";
const POLICY: &str = "PowerUserExampleCorp";
const GROUP: &str = "PowerUsers";
const POWER_USER_ACCESS: &str = "arn:aws:iam::aws:policy/PowerUserAccess";

fn user_name(i: usize) -> String {
    format!("user{i:05}")
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("argon2") => {
            let n = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(40);
            time_argon2(n).await
        }
        Some(url) if url.starts_with("sqlite:") => seed(url).await,
        _ => {
            eprintln!("usage: seed_console_bench sqlite:PATH (a new database) | argon2 [N]");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("seed_console_bench failed: {e}");
            ExitCode::FAILURE
        }
    }
}

fn random_hex() -> Result<String, BoxError> {
    let mut raw = [0u8; 12];
    getrandom::fill(&mut raw)?;
    Ok(hex::encode(raw))
}

async fn seed(url: &str) -> Result<(), BoxError> {
    let started = Instant::now();
    let now = UnixTime::now();
    let meta = RequestMeta::new("127.0.0.1", "portcullis-bench");
    let iam = Iam::connect(url).await?;
    if iam.root_exists().await? {
        return Err("the database already has a root user; give a new one".into());
    }
    let account = iam.ensure_account(now).await?;
    let root_password = format!("{}-Root1", random_hex()?);
    let user_password = format!("{}-User1", random_hex()?);
    iam.create_root(ROOT_EMAIL, &root_password, now).await?;
    let root = Principal::Root {
        account_id: account.id.clone(),
        email: ROOT_EMAIL.to_owned(),
    };

    for first in (0..USERS).step_by(iam::MAX_USERS_PER_BATCH) {
        let specs: Vec<NewUserSpec> = (first..(first + iam::MAX_USERS_PER_BATCH).min(USERS))
            .map(|i| {
                let mut spec = NewUserSpec::named(user_name(i));
                if i >= USERS - WITH_PASSWORD {
                    spec.console_password = Some(PasswordChoice::Custom(user_password.clone()));
                }
                spec
            })
            .collect();
        let proofs = iam.authorize_create_users(&root, &specs).await?;
        iam.create_users(&proofs, specs, &meta, now).await?;
    }
    eprintln!(
        "created {USERS} users ({WITH_PASSWORD} with a console password) in {:.1?}",
        started.elapsed()
    );

    let document = policy::managed::by_arn(POWER_USER_ACCESS)
        .ok_or("PowerUserAccess is not in the managed policy list")?
        .document
        .to_owned();
    let policy_arn = iam.policy_arn_for(None, POLICY).await?;
    let auth = iam
        .authorize(&root, Action::CreatePolicy, &policy_arn)
        .await?;
    iam.create_policy(
        &auth,
        NewPolicy {
            name: POLICY.to_owned(),
            path: None,
            description: Some("A copy of PowerUserAccess".to_owned()),
            document,
            tags: Vec::new(),
        },
        &meta,
        now,
    )
    .await?;
    let group_arn = iam.group_arn_for(None, GROUP).await?;
    let create = iam
        .authorize(&root, Action::CreateGroup, &group_arn)
        .await?;
    let attach = iam
        .authorize(&root, Action::AttachGroupPolicy, &group_arn)
        .await?;
    let add = iam
        .authorize(&root, Action::AddUserToGroup, &group_arn)
        .await?;
    iam.create_group(
        &create,
        Some(&attach),
        Some(&add),
        NewGroup {
            name: GROUP.to_owned(),
            path: None,
            policy_arns: vec![policy_arn.clone()],
            user_names: (0..MEMBERS).map(user_name).collect(),
        },
        &meta,
        now,
    )
    .await?;
    iam.store().close().await;
    eprintln!(
        "created {POLICY} and {GROUP} ({MEMBERS} members) at {:.1?}",
        started.elapsed()
    );

    bulk_insert(url, account.id.as_str(), &policy_arn, now).await?;
    eprintln!("seeded in {:.1?}", started.elapsed());

    println!("root_email={ROOT_EMAIL}");
    println!("root_password={root_password}");
    println!("account_id={}", account.id.as_str());
    println!("user_password={user_password}");
    println!("signin_first={}", USERS - WITH_PASSWORD);
    println!("signin_users={WITH_PASSWORD}");
    println!("policy_arn={policy_arn}");
    Ok(())
}

/// The events and the access records, in one transaction on one connection with a large cache.
async fn bulk_insert(
    url: &str,
    account_id: &str,
    policy_arn: &str,
    now: UnixTime,
) -> Result<(), BoxError> {
    let started = Instant::now();
    let options: SqliteConnectOptions = url.parse()?;
    let options = options
        .pragma("cache_size", "-524288")
        .pragma("temp_store", "MEMORY");
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await?;
    let mut tx = pool.begin().await?;
    // 1,000,000 events over the 90 days before now (less an hour, so that the retention job at
    // the server's start keeps them all), newest first: 20 event names, 1,000 users
    // (`user00000` to `user00999`, 1,000 events each), one group resource each among 10,000
    // groups (100 events each), one in five read-only.
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $3) \
         INSERT INTO events (event_id, event_time, event_source, event_name, user_identity_type, \
         user_arn, user_name, account_id, source_ip, user_agent, request_parameters, \
         response_elements, error_code, error_message, read_only, resources, access_key_id) \
         SELECT printf('%08x-0000-4000-8000-%012x', i, i), $1 - 60 - (i * 7772400 / $3), \
         'iam.amazonaws.com', 'Event' || (i % 20), 'IAMUser', \
         'arn:aws:iam::' || $2 || ':user/' || printf('user%05d', i % 1000), \
         printf('user%05d', i % 1000), $2, \
         '203.0.113.7', 'bench', '{\"groupName\":\"group' || (i % 10000) || '\"}', NULL, NULL, \
         NULL, CASE WHEN i % 5 = 0 THEN 1 ELSE 0 END, \
         '[{\"ARN\":\"arn:aws:iam::' || $2 || ':group/group' || (i % 10000) || '\"}]', \
         'AKIA' || (i % 1000) FROM n",
    )
    .bind(now.as_secs())
    .bind(account_id)
    .bind(EVENTS)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO event_resources (event_id, event_time, resource_type, resource_name) \
         SELECT event_id, event_time, 'AWS::IAM::Group', \
         substr(resources, instr(resources, 'group/') + 6, \
         instr(resources, '\"}]') - instr(resources, 'group/') - 6) \
         FROM events WHERE user_agent = 'bench'",
    )
    .execute(&mut *tx)
    .await?;
    eprintln!("inserted {EVENTS} events in {:.1?}", started.elapsed());

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
    sqlx::query("CREATE TEMP TABLE bench_actions (service TEXT, action TEXT, n INTEGER)")
        .execute(&mut *tx)
        .await?;
    for (n, (service, action)) in actions.iter().enumerate() {
        sqlx::query("INSERT INTO bench_actions VALUES ($1, $2, $3)")
            .bind(service)
            .bind(action)
            .bind(i64::try_from(n)?)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(
        "CREATE TEMP TABLE bench_members AS SELECT m.user_id AS id FROM group_members m \
         JOIN groups g ON g.id = m.group_id WHERE g.name = $1",
    )
    .bind(GROUP)
    .execute(&mut *tx)
    .await?;
    // Every member tried every action in the last day: 1,000,000 action records and 100,000
    // service records.
    let since = now.as_secs() - 86_400;
    sqlx::query(
        "INSERT INTO action_last_accessed (account_id, principal_id, service, action, \
         last_accessed_at, last_allowed_at, attempts) \
         SELECT $1, u.id, a.service, a.action, $2 + ((a.n * 7 + length(u.id)) % 86000), \
         $2 + ((a.n * 7 + length(u.id)) % 86000), 1 + a.n % 5 \
         FROM bench_members u CROSS JOIN bench_actions a",
    )
    .bind(account_id)
    .bind(since)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO service_last_accessed (account_id, principal_id, service, \
         last_accessed_at, last_allowed_at, attempts) \
         SELECT account_id, principal_id, service, MAX(last_accessed_at), MAX(last_allowed_at), \
         SUM(attempts) FROM action_last_accessed \
         WHERE principal_id IN (SELECT id FROM bench_members) \
         GROUP BY account_id, principal_id, service",
    )
    .execute(&mut *tx)
    .await?;
    // What the flushes of those records wrote for the group and the policy they came through.
    for (level, key) in [("service", "service"), ("action", "action")] {
        let service_col = if level == "action" { "service, " } else { "" };
        let group_by_service = if level == "action" { ", r.service" } else { "" };
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO group_{level}_last_accessed (group_id, {key}, {service_col}\
             last_accessed_at, last_accessed_by, last_allowed_at, attempts, accessors) \
             SELECT g.id, r.{key}, {service_col}MAX(r.last_accessed_at), MAX(r.principal_id), \
             MAX(r.last_allowed_at), SUM(r.attempts), COUNT(*) \
             FROM {level}_last_accessed r, groups g \
             WHERE g.name = '{GROUP}' AND r.principal_id IN (SELECT id FROM bench_members) \
             GROUP BY g.id, r.{key}{group_by_service}"
        )))
        .execute(&mut *tx)
        .await?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO policy_{level}_last_accessed (account_id, policy_arn, {key}, {service_col}\
             last_accessed_at, last_accessed_by, last_allowed_at, attempts, accessors) \
             SELECT $2, $1, {key}, {service_col}last_accessed_at, last_accessed_by, \
             last_allowed_at, attempts, accessors FROM group_{level}_last_accessed"
        )))
        .bind(policy_arn)
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&pool)
        .await?;
    pool.close().await;
    eprintln!(
        "inserted {} access records at {:.1?}",
        MEMBERS * actions.len(),
        started.elapsed()
    );
    Ok(())
}

/// One check after another on one thread, then as many at once as there are CPUs.
async fn time_argon2(n: usize) -> Result<(), BoxError> {
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    let one = PasswordHasher::with_concurrency(1);
    let password = "Correct-Horse-42-battery";
    let stored = one.hash(password).await?;
    for _ in 0..3 {
        one.verify(password, Some(&stored)).await?;
    }
    let mut times: Vec<Duration> = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        let verdict = one.verify(password, Some(&stored)).await?;
        times.push(t.elapsed());
        if verdict != iam::Verification::Match {
            return Err("the password did not match its own hash".into());
        }
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = ms(times[n / 2]);
    let mean = times.iter().map(|&d| ms(d)).sum::<f64>() / n as f64;

    let all = PasswordHasher::with_concurrency(cpus);
    let t = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..n {
        let all = all.clone();
        let stored = stored.clone();
        tasks.spawn(async move { all.verify(password, Some(&stored)).await });
    }
    while let Some(done) = tasks.join_next().await {
        done??;
    }
    let parallel_per_sec = n as f64 / t.elapsed().as_secs_f64();
    println!(
        "RESULT cpus={cpus} checks={n} median_ms={median:.2} mean_ms={mean:.2} min_ms={:.2} max_ms={:.2} limit_per_sec={:.1} parallel_per_sec={parallel_per_sec:.1}",
        ms(times[0]),
        ms(times[n - 1]),
        cpus as f64 * 1000.0 / median
    );
    Ok(())
}
