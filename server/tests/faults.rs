//! Faults a real `portcullis` process survives:
//!
//! - SIGKILL in the middle of a stream of writes, on SQLite and on PostgreSQL: after a restart
//!   every acknowledged write is there, nothing is half-written (policies, their versions,
//!   attachments and audit events agree) and the database passes its integrity checks;
//! - a PostgreSQL restart under a running server: requests during the outage get 503 with
//!   `Retry-After`, and afterwards the same process answers again, without a restart of its own.

mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::{AnyPool, AssertSqlSafe, PgPool, Row, SqlitePool};
use support::cluster::Cluster;
use support::{Console, FreshDatabase, Server};

const DOCUMENT: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#;
const WRITERS: usize = 4;
/// Acknowledged writes before each kill, at least.
const BEFORE_KILL: usize = 60;
/// Kills, each followed by a restart on the same database.
const KILLS: usize = 3;

/// A write the server answered 200.
#[derive(Debug, Clone)]
enum Ack {
    User(String),
    Group(String),
    Policy(String),
    UserAttachment { user: String, policy: String },
    GroupAttachment { group: String, policy: String },
    Version { policy: String, version: i64 },
}

/// A server function, its form, and what a 200 acknowledges.
type Step = (&'static str, Vec<(&'static str, String)>, Ack);

#[derive(Default)]
struct Record {
    acks: Vec<Ack>,
    /// Answers other than 200 (none are expected: every write is valid).
    refused: Vec<String>,
}

/// Writes until the server stops answering: per round a user, a group and a policy, the policy
/// attached to both, and two more default versions of it.
async fn write_stream(
    console: Console,
    writer: String,
    account_id: String,
    record: Arc<Mutex<Record>>,
) {
    for round in 0.. {
        let (user, group, policy) = (
            format!("u{writer}x{round}"),
            format!("g{writer}x{round}"),
            format!("p{writer}x{round}"),
        );
        let arn = format!("arn:aws:iam::{account_id}:policy/{policy}");
        let steps: Vec<Step> = vec![
            ("create_users", Vec::new(), Ack::User(user.clone())),
            (
                "create_group",
                vec![("name", group.clone())],
                Ack::Group(group.clone()),
            ),
            (
                "create_policy",
                vec![("name", policy.clone()), ("document", DOCUMENT.to_owned())],
                Ack::Policy(policy.clone()),
            ),
            (
                "attach_policy",
                vec![("arn", arn.clone()), ("entity", format!("user:{user}"))],
                Ack::UserAttachment {
                    user: user.clone(),
                    policy: policy.clone(),
                },
            ),
            (
                "attach_policy",
                vec![("arn", arn.clone()), ("entity", format!("group:{group}"))],
                Ack::GroupAttachment {
                    group: group.clone(),
                    policy: policy.clone(),
                },
            ),
            (
                "create_policy_version",
                vec![("arn", arn.clone()), ("document", DOCUMENT.to_owned())],
                Ack::Version {
                    policy: policy.clone(),
                    version: 2,
                },
            ),
            (
                "create_policy_version",
                vec![("arn", arn.clone()), ("document", DOCUMENT.to_owned())],
                Ack::Version {
                    policy: policy.clone(),
                    version: 3,
                },
            ),
        ];
        for (endpoint, form, ack) in steps {
            let answer = if endpoint == "create_users" {
                console.try_create_user(&user).await
            } else {
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                console.try_post(endpoint, &form).await
            };
            let mut record = record.lock().expect("record lock");
            match answer {
                // No answer: the server is gone; whether the write happened is unknown.
                Err(_) => return,
                Ok(reply) if reply.status == 200 => record.acks.push(ack),
                Ok(reply) => {
                    record
                        .refused
                        .push(format!("{endpoint} {ack:?}: {reply:?}"));
                    return;
                }
            }
        }
    }
}

async fn count(db: &AnyPool, sql: &str, binds: &[&str]) -> i64 {
    let mut query = sqlx::query_scalar::<_, i64>(AssertSqlSafe(sql.to_owned()));
    for bind in binds {
        query = query.bind(bind.to_string());
    }
    query
        .fetch_one(db)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Events named `event` about the resource called `name`.
const EVENTS_ABOUT: &str = "SELECT COUNT(*) FROM events e WHERE e.event_name = $1 AND e.error_code IS NULL \
     AND EXISTS (SELECT 1 FROM event_resources r WHERE r.event_id = e.event_id AND r.resource_name = $2)";

/// Runs the write stream, kills the server mid-stream, restarts it on the same database and
/// checks what survived. Returns the acknowledged writes.
async fn sigkill_during_writes(database_url: &str) -> usize {
    support::create_root(database_url);
    let mut session = None;
    let mut acks = Vec::new();
    for kill in 0..KILLS {
        let mut server = Server::start(database_url, &[]);
        let admin = match kill {
            0 => server.console().sign_in_root().await,
            // The session made before the last kill still works.
            _ => server.console().with_session(session.clone()),
        };
        session = admin.session.clone();
        let account_id = admin.get("whoami", &[]).await.ok().json()["account_id"]
            .as_str()
            .expect("account_id")
            .to_owned();
        let record = Arc::new(Mutex::new(Record::default()));
        let writers: Vec<_> = (0..WRITERS)
            .map(|w| {
                let writer = format!("{kill}{w}");
                tokio::spawn(write_stream(
                    admin.clone(),
                    writer,
                    account_id.clone(),
                    Arc::clone(&record),
                ))
            })
            .collect();
        let started = Instant::now();
        while record.lock().expect("record lock").acks.len() < BEFORE_KILL {
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "the writes are too slow"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        // Somewhere within the next round of writes, not at a fixed point.
        let mut jitter = [0u8; 1];
        getrandom::fill(&mut jitter).expect("random");
        tokio::time::sleep(Duration::from_millis(u64::from(jitter[0]))).await;
        server.kill();
        let killed_at = started.elapsed();
        for writer in writers {
            tokio::time::timeout(Duration::from_secs(60), writer)
                .await
                .expect("writers stop when the server is gone")
                .expect("a writer");
        }
        let Record {
            acks: acked,
            refused,
        } = std::mem::take(&mut *record.lock().expect("record lock"));
        assert!(refused.is_empty(), "refused writes: {refused:#?}");
        eprintln!(
            "kill {kill}: {} writes acknowledged before the SIGKILL at {killed_at:?}",
            acked.len()
        );
        acks.extend(acked);
    }

    // The same database, a new process: the session made before the kill still works.
    let server = Server::start(database_url, &[]);
    let admin = server.console().with_session(session);
    assert_eq!(
        admin.get("whoami", &[]).await.ok().json()["display_name"],
        support::ROOT_EMAIL
    );
    admin
        .try_create_user("after-restart")
        .await
        .expect("answer")
        .ok();
    let users = acks.iter().filter(|a| matches!(a, Ack::User(_))).count();
    let listed = admin
        .get("list_users", &[("query", "u"), ("offset", "0")])
        .await
        .ok();
    let listed = listed.json()["total"].as_u64().expect("total");
    assert!(
        listed >= users as u64,
        "{listed} users listed, {users} acknowledged"
    );

    sqlx::any::install_default_drivers();
    let db = AnyPool::connect(database_url).await.expect("connect");
    every_acknowledged_write_is_there(&db, &acks).await;
    nothing_is_half_written(&db).await;
    db.close().await;
    drop(server);
    acks.len()
}

async fn every_acknowledged_write_is_there(db: &AnyPool, acks: &[Ack]) {
    for ack in acks {
        let (found, events) = match ack {
            Ack::User(name) => (
                count(db, "SELECT COUNT(*) FROM users WHERE name = $1", &[name]).await,
                count(db, EVENTS_ABOUT, &["CreateUser", name]).await,
            ),
            Ack::Group(name) => (
                count(db, "SELECT COUNT(*) FROM groups WHERE name = $1", &[name]).await,
                count(db, EVENTS_ABOUT, &["CreateGroup", name]).await,
            ),
            Ack::Policy(name) => (
                count(db, "SELECT COUNT(*) FROM policies WHERE name = $1", &[name]).await,
                count(db, EVENTS_ABOUT, &["CreatePolicy", name]).await,
            ),
            Ack::UserAttachment { user, policy } => (
                count(
                    db,
                    "SELECT COUNT(*) FROM user_policy_attachments a JOIN users u ON u.id = a.user_id \
                     WHERE u.name = $1 AND a.policy_arn LIKE '%:policy/' || $2",
                    &[user, policy],
                )
                .await,
                1,
            ),
            Ack::GroupAttachment { group, policy } => (
                count(
                    db,
                    "SELECT COUNT(*) FROM group_policy_attachments a JOIN groups g ON g.id = a.group_id \
                     WHERE g.name = $1 AND a.policy_arn LIKE '%:policy/' || $2",
                    &[group, policy],
                )
                .await,
                1,
            ),
            Ack::Version { policy, version } => (
                count(
                    db,
                    "SELECT COUNT(*) FROM policy_versions v JOIN policies p ON p.id = v.policy_id \
                     WHERE p.name = $1 AND v.version = CAST($2 AS BIGINT)",
                    &[policy, &version.to_string()],
                )
                .await,
                i64::from(
                    count(db, EVENTS_ABOUT, &["CreatePolicyVersion", policy]).await >= version - 1,
                ),
            ),
        };
        assert_eq!(
            (found, events),
            (1, 1),
            "acknowledged {ack:?}: rows, audit event"
        );
    }
}

/// Whatever was committed, acknowledged or not, is whole.
async fn nothing_is_half_written(db: &AnyPool) {
    let policies = sqlx::query(
        "SELECT p.name, p.default_version, p.next_version, COUNT(v.version) AS versions, \
         MIN(v.version) AS first, MAX(v.version) AS last, \
         (SELECT COUNT(*) FROM policy_versions d WHERE d.policy_id = p.id AND d.version = p.default_version) AS defaults \
         FROM policies p LEFT JOIN policy_versions v ON v.policy_id = p.id \
         GROUP BY p.id, p.name, p.default_version, p.next_version",
    )
    .fetch_all(db)
    .await
    .expect("policies");
    assert!(!policies.is_empty());
    for row in &policies {
        let name: String = row.get("name");
        let [default, next, versions, defaults]: [i64; 4] =
            ["default_version", "next_version", "versions", "defaults"].map(|c| row.get(c));
        let (first, last): (Option<i64>, Option<i64>) = (row.get("first"), row.get("last"));
        assert_eq!(defaults, 1, "{name}: exactly one default version row");
        assert_eq!(first, Some(1), "{name}: versions start at v1");
        assert_eq!(last, Some(versions), "{name}: versions are consecutive");
        assert_eq!(
            next,
            versions + 1,
            "{name}: the next version follows the last"
        );
        assert_eq!(
            default, versions,
            "{name}: each new version became the default"
        );
        assert_eq!(
            count(db, EVENTS_ABOUT, &["CreatePolicy", &name]).await,
            1,
            "{name}"
        );
        assert_eq!(
            count(db, EVENTS_ABOUT, &["CreatePolicyVersion", &name]).await,
            versions - 1,
            "{name}: one event per version"
        );
    }
    for (table, event) in [("users", "CreateUser"), ("groups", "CreateGroup")] {
        let missing = count(
            db,
            &format!(
                "SELECT COUNT(*) FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM events e \
                 JOIN event_resources r ON r.event_id = e.event_id \
                 WHERE e.event_name = $1 AND r.resource_name = t.name)"
            ),
            &[event],
        )
        .await;
        assert_eq!(missing, 0, "{table} without their {event} event");
    }
    for (table, holder, holders, event) in [
        (
            "user_policy_attachments",
            "user_id",
            "users",
            "AttachUserPolicy",
        ),
        (
            "group_policy_attachments",
            "group_id",
            "groups",
            "AttachGroupPolicy",
        ),
    ] {
        let attachments = count(db, &format!("SELECT COUNT(*) FROM {table}"), &[]).await;
        assert!(attachments > 0, "{table} is empty");
        let dangling = count(
            db,
            &format!(
                "SELECT COUNT(*) FROM {table} a WHERE \
                 NOT EXISTS (SELECT 1 FROM {holders} h WHERE h.id = a.{holder}) OR \
                 NOT EXISTS (SELECT 1 FROM policies p WHERE \
                   'arn:aws:iam::' || p.account_id || ':policy' || p.path || p.name = a.policy_arn)"
            ),
            &[],
        )
        .await;
        assert_eq!(dangling, 0, "{table} naming a missing holder or policy");
        let events = count(
            db,
            "SELECT COUNT(*) FROM events WHERE event_name = $1 AND error_code IS NULL",
            &[event],
        )
        .await;
        assert_eq!(events, attachments, "one {event} event per row of {table}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigkill_during_writes_on_sqlite_loses_nothing_acknowledged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("portcullis.db");
    let url = format!("sqlite:{}", path.display());
    let acks = sigkill_during_writes(&url).await;
    assert!(acks >= KILLS * BEFORE_KILL);

    let db = SqlitePool::connect(&url).await.expect("connect");
    let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&db)
        .await
        .expect("integrity_check");
    assert_eq!(integrity, ["ok"]);
    let broken = sqlx::query("PRAGMA foreign_key_check")
        .fetch_all(&db)
        .await
        .expect("foreign_key_check");
    assert!(
        broken.is_empty(),
        "{} rows break a foreign key",
        broken.len()
    );
    db.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigkill_during_writes_on_postgres_loses_nothing_acknowledged() {
    let Some(fresh) = FreshDatabase::create().await else {
        return;
    };
    let acks = sigkill_during_writes(&fresh.url).await;
    assert!(acks >= KILLS * BEFORE_KILL);
    postgres_integrity(&fresh.url).await;
}

/// Every single-column foreign key holds (checked by query, not trusted), and where the
/// amcheck extension is installed, every B-tree index agrees with its table.
async fn postgres_integrity(url: &str) {
    let db = PgPool::connect(url).await.expect("connect");
    let keys: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT c.conrelid::regclass::text, a.attname::text, c.confrelid::regclass::text, f.attname::text \
         FROM pg_constraint c \
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] \
         JOIN pg_attribute f ON f.attrelid = c.confrelid AND f.attnum = c.confkey[1] \
         WHERE c.contype = 'f' AND cardinality(c.conkey) = 1",
    )
    .fetch_all(&db)
    .await
    .expect("foreign keys");
    assert!(keys.len() >= 10, "the schema's foreign keys: {keys:?}");
    for (table, column, parent, key) in &keys {
        let (broken,): (i64,) = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM {table} t WHERE t.{column} IS NOT NULL AND NOT EXISTS \
             (SELECT 1 FROM {parent} p WHERE p.{key} = t.{column})"
        )))
        .fetch_one(&db)
        .await
        .expect("a foreign key check");
        assert_eq!(broken, 0, "{table}.{column} -> {parent}.{key}");
    }
    sqlx::query("CREATE EXTENSION IF NOT EXISTS amcheck")
        .execute(&db)
        .await
        .expect("amcheck ships with PostgreSQL's contrib modules");
    let indexes: Vec<(String,)> = sqlx::query_as(
        "SELECT c.relname::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid \
         JOIN pg_am am ON am.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE am.amname = 'btree' AND n.nspname = 'public'",
    )
    .fetch_all(&db)
    .await
    .expect("indexes");
    assert!(indexes.len() >= 20, "{indexes:?}");
    for (index,) in &indexes {
        sqlx::query(AssertSqlSafe(format!(
            "SELECT bt_index_check('{index}'::regclass, true)"
        )))
        .execute(&db)
        .await
        .unwrap_or_else(|e| panic!("index {index}: {e}"));
    }
    db.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_postgres_restart_gives_clean_errors_and_the_same_process_recovers() {
    // Its own cluster; like the other PostgreSQL tests it is skipped only when asked to.
    if support::postgres_admin_url().is_none() {
        return;
    }
    let cluster = Cluster::start();
    let url = cluster.url();
    support::create_root(&url);
    let mut server = Server::start(&url, &[]);
    let admin = server.console().sign_in_root().await;
    admin.try_create_user("before").await.expect("answer").ok();

    cluster.stop();
    let started = Instant::now();
    let (whoami, create, list) = tokio::join!(
        admin.try_get("whoami", &[]),
        admin.try_create_user("during"),
        admin.try_get("list_users", &[("query", ""), ("offset", "0")]),
    );
    for (what, answer) in [
        ("whoami", whoami),
        ("create_users", create),
        ("list_users", list),
    ] {
        let reply = answer.unwrap_or_else(|e| panic!("{what}: no answer during the outage: {e}"));
        // 503 with Retry-After and a message that says what is wrong, not a bare 500.
        assert_eq!(reply.status, 503, "{what} during the outage: {reply:?}");
        assert_eq!(reply.retry_after.as_deref(), Some("5"), "{what}: {reply:?}");
        assert!(
            reply.body.contains("the database cannot be reached"),
            "{what}: {reply:?}"
        );
    }
    let outage_answers = started.elapsed();
    assert!(server.is_running(), "the server survives the outage");

    cluster.pg_ctl_start();
    let back = Instant::now();
    // The first request after PostgreSQL is back succeeds: no dead connection is handed out.
    let first = admin.get("whoami", &[]).await;
    assert_eq!(
        first.status, 200,
        "first request after the restart: {first:?}"
    );
    for i in 0..10 {
        admin
            .try_create_user(&format!("after-{i}"))
            .await
            .expect("answer")
            .ok();
    }
    let listed = admin
        .get("list_users", &[("query", ""), ("offset", "0")])
        .await
        .ok();
    assert_eq!(
        listed.json()["total"].as_u64(),
        Some(11),
        "before and after-0..9"
    );
    assert!(server.is_running());
    let log = server.log();
    assert!(!log.contains("panicked"), "{log}");
    eprintln!(
        "outage answers within {outage_answers:?}; 12 requests after the restart in {:?}",
        back.elapsed()
    );
}
