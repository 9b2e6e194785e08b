//! Access records: every authorization decision updates "last accessed" per (principal, service)
//! and per (principal, action), denied attempts included, as AWS's Access Advisor counts them.
//!
//! Decisions are many and each page makes several, so they are not written one by one: the
//! recorder merges them in memory and [`Iam::flush_access_records`] upserts the merged rows in one
//! transaction, every second from a background task and before every Access Advisor read. Upserts
//! keep the later time and add the attempts, so instances sharing a database merge correctly. A
//! crash loses at most the last second of records; decisions themselves are never delayed.
//!
//! Group and policy aggregates also count the users who accessed each service and action while
//! the group or policy applied to them (`accessors`): a record adds 1 when the user's own aggregate
//! shows no access since then, so the group and policy upserts run before the user's own. A user
//! who leaves and joins again counts again (the earlier membership is not kept).
//!
//! Records of a user deleted since they were taken are dropped: the flush checks each user still
//! exists, holding a key-share lock on the row (PostgreSQL; it blocks only deleting the row) until
//! it commits. `delete_user` deletes the user's row before their access records, so either it
//! waits for the flush and then deletes what it wrote, or it commits first and the flush finds the
//! user gone.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::clock::UnixTime;
use crate::error::IamError;
use crate::principal::Principal;
use crate::service::Iam;
use crate::store::Backend;

/// How often the background task writes what was recorded.
const FLUSH_INTERVAL: Duration = Duration::from_secs(1);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    principal_id: String,
    /// `service:Name` in the catalog's spelling, or as asked, lowercased, when the catalog lacks it.
    action: String,
}

#[derive(Debug, Clone)]
struct Pending {
    account_id: String,
    service: String,
    last_accessed_at: i64,
    last_allowed_at: Option<i64>,
    attempts: i64,
}

/// Decisions not yet written, shared by every clone of [`Iam`].
#[derive(Debug, Clone, Default)]
pub(crate) struct AccessRecorder {
    pending: Arc<Mutex<HashMap<Key, Pending>>>,
    flusher_started: Arc<std::sync::atomic::AtomicBool>,
}

/// The id access records use for a principal: the user's id, or the account id for root (AWS's
/// `aws:userid` for the root user).
pub(crate) fn principal_id(principal: &Principal) -> String {
    match principal {
        Principal::User { user_id, .. } => user_id.clone(),
        Principal::Root { account_id, .. } => account_id.as_str().to_owned(),
    }
}

/// `(service, action)` in the catalog's spelling; lowercased when the catalog does not know it.
fn canonical(action: &str) -> (String, String) {
    if let Some((service, known)) = policy::catalog::Catalog::get().lookup(action) {
        return (
            service.prefix.to_owned(),
            format!("{}:{}", service.prefix, known.name),
        );
    }
    let lower = action.to_ascii_lowercase();
    let service = lower.split(':').next().unwrap_or_default().to_owned();
    (service, lower)
}

impl AccessRecorder {
    fn record(&self, principal: &Principal, action: &str, allowed: bool, now: UnixTime) {
        let (service, action) = canonical(action);
        let key = Key {
            principal_id: principal_id(principal),
            action,
        };
        let at = now.as_secs();
        // A poisoned lock only means another thread panicked mid-insert; the map is still usable.
        let mut pending = self
            .pending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let entry = pending.entry(key).or_insert_with(|| Pending {
            account_id: principal.account_id().as_str().to_owned(),
            service,
            last_accessed_at: at,
            last_allowed_at: None,
            attempts: 0,
        });
        entry.attempts += 1;
        entry.last_accessed_at = entry.last_accessed_at.max(at);
        if allowed {
            entry.last_allowed_at = Some(entry.last_allowed_at.map_or(at, |t| t.max(at)));
        }
    }

    fn take(&self) -> HashMap<Key, Pending> {
        let mut pending = self
            .pending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        std::mem::take(&mut *pending)
    }

    /// Puts records back after a failed write, merging with any recorded since.
    fn restore(&self, records: HashMap<Key, Pending>) {
        let mut pending = self
            .pending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for (key, old) in records {
            match pending.get_mut(&key) {
                Some(new) => {
                    new.attempts += old.attempts;
                    new.last_accessed_at = new.last_accessed_at.max(old.last_accessed_at);
                    new.last_allowed_at = new.last_allowed_at.max(old.last_allowed_at);
                }
                None => {
                    pending.insert(key, old);
                }
            }
        }
    }
}

/// Keeps the later of two times; `NULL` is older than any time.
const LATER_ALLOWED: &str = "CASE WHEN excluded.last_allowed_at IS NULL THEN t.last_allowed_at \
     WHEN t.last_allowed_at IS NULL OR excluded.last_allowed_at > t.last_allowed_at \
     THEN excluded.last_allowed_at ELSE t.last_allowed_at END";
const LATER_ACCESSED: &str = "CASE WHEN excluded.last_accessed_at > t.last_accessed_at \
     THEN excluded.last_accessed_at ELSE t.last_accessed_at END";

/// Whose aggregate a record updates: the principal's own, each group it is in (since it joined),
/// each managed policy that applies to it (since it applied).
#[derive(Debug, Clone, Copy)]
enum Target {
    Principal,
    Group,
    Policy,
}

impl Target {
    /// The principal's own aggregate last: the others read it to tell a first access.
    const ALL: [Target; 3] = [Target::Group, Target::Policy, Target::Principal];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Service,
    Action,
}

/// The upsert of one record into one aggregate. Binds, in order: principal id, the action (action
/// level) or service, the service (action level only), last accessed, last allowed, attempts, and
/// the account id (principal and policy targets).
fn upsert_sql(target: Target, level: Level) -> String {
    // Placeholder numbers shift by one at the service level, which has no separate service bind.
    let (key, at, allowed, attempts, account, service_col, service_val) = match level {
        Level::Action => ("action", "$4", "$5", "$6", "$7", "service, ", "$3, "),
        Level::Service => ("service", "$3", "$4", "$5", "$6", "", ""),
    };
    let by = "last_accessed_by = CASE WHEN excluded.last_accessed_at > t.last_accessed_at \
              THEN excluded.last_accessed_by ELSE t.last_accessed_by END, ";
    let set = format!(
        "last_accessed_at = {LATER_ACCESSED}, last_allowed_at = {LATER_ALLOWED}, \
         attempts = t.attempts + excluded.attempts"
    );
    let counted = "accessors = t.accessors + excluded.accessors";
    // 1 when the principal's own aggregate (not yet updated by this flush) has no access since
    // `since`, the time the group or policy applied to them: a user not counted yet.
    let first = |since: &str| {
        format!(
            "CASE WHEN EXISTS (SELECT 1 FROM {key}_last_accessed p \
             WHERE p.principal_id = $1 AND p.{key} = $2 AND p.last_accessed_at >= {since}) \
             THEN 0 ELSE 1 END"
        )
    };
    match target {
        Target::Principal => format!(
            "INSERT INTO {key}_last_accessed AS t (account_id, principal_id, {key}, {service_col}\
             last_accessed_at, last_allowed_at, attempts) \
             VALUES ({account}, $1, $2, {service_val}{at}, {allowed}, {attempts}) \
             ON CONFLICT (principal_id, {key}) DO UPDATE SET {set}"
        ),
        Target::Group => format!(
            "INSERT INTO group_{key}_last_accessed AS t (group_id, {key}, {service_col}\
             last_accessed_at, last_accessed_by, last_allowed_at, attempts, accessors) \
             SELECT m.group_id, $2, {service_val}{at}, $1, {allowed}, {attempts}, {} \
             FROM group_members m WHERE m.user_id = $1 AND m.added_at <= {at} \
             ON CONFLICT (group_id, {key}) DO UPDATE SET {by}{set}, {counted}",
            first("m.added_at")
        ),
        // A policy can apply through several paths (directly, through groups); it applies since
        // the earliest.
        Target::Policy => format!(
            "INSERT INTO policy_{key}_last_accessed AS t (account_id, policy_arn, {key}, \
             {service_col}last_accessed_at, last_accessed_by, last_allowed_at, attempts, \
             accessors) \
             SELECT {account}, y.policy_arn, $2, {service_val}{at}, $1, {allowed}, {attempts}, {} \
             FROM (SELECT x.policy_arn, MIN(x.since) AS since FROM (\
                SELECT policy_arn, attached_at AS since FROM user_policy_attachments \
                WHERE user_id = $1 \
                UNION ALL \
                SELECT a.policy_arn, CASE WHEN m.added_at > a.attached_at \
                    THEN m.added_at ELSE a.attached_at END \
                FROM group_members m JOIN group_policy_attachments a ON a.group_id = m.group_id \
                WHERE m.user_id = $1\
             ) x WHERE x.since <= {at} GROUP BY x.policy_arn) y WHERE 1 = 1 \
             ON CONFLICT (account_id, policy_arn, {key}) DO UPDATE SET {by}{set}, {counted}",
            first("y.since")
        ),
    }
}

/// The users among the records' principals that no longer exist (deleted since they were
/// recorded). Each existing one is key-share locked until the flush commits, which only a delete
/// of the row waits for; root's records (the account id) are always kept.
async fn deleted_principals(
    conn: &mut sqlx::AnyConnection,
    backend: Backend,
    records: &HashMap<Key, Pending>,
) -> Result<std::collections::HashSet<String>, IamError> {
    let users: std::collections::BTreeSet<&str> = records
        .iter()
        .filter(|(key, p)| key.principal_id != p.account_id)
        .map(|(key, _)| key.principal_id.as_str())
        .collect();
    let sql = format!(
        "SELECT id FROM users WHERE id = $1{}",
        backend.key_share_lock()
    );
    let mut gone = std::collections::HashSet::new();
    for id in users {
        let found: Option<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(id.to_owned())
            .fetch_optional(&mut *conn)
            .await?;
        if found.is_none() {
            gone.insert(id.to_owned());
        }
    }
    Ok(gone)
}

impl Iam {
    /// Notes a decision for the Access Advisor; written by the next flush.
    pub(crate) fn record_access(
        &self,
        principal: &Principal,
        action: &str,
        allowed: bool,
        now: UnixTime,
    ) {
        self.access_recorder()
            .record(principal, action, allowed, now);
        self.start_flusher();
    }

    /// Writes every decision recorded so far. Access Advisor reads call it first, and the server
    /// calls it at shutdown.
    pub async fn flush_access_records(&self) -> Result<(), IamError> {
        let records = self.access_recorder().take();
        if records.is_empty() {
            return Ok(());
        }
        match self.write_access_records(&records).await {
            Ok(()) => Ok(()),
            Err(e) => {
                self.access_recorder().restore(records);
                Err(e)
            }
        }
    }

    async fn write_access_records(&self, records: &HashMap<Key, Pending>) -> Result<(), IamError> {
        let mut tx = self.store().begin_write().await?;
        let gone = deleted_principals(&mut tx, self.store().backend(), records).await?;
        let records: HashMap<&Key, &Pending> = records
            .iter()
            .filter(|(key, _)| !gone.contains(key.principal_id.as_str()))
            .collect();
        let mut services: HashMap<(&str, &str), Pending> = HashMap::new();
        for (key, p) in &records {
            let merged = services
                .entry((key.principal_id.as_str(), p.service.as_str()))
                .or_insert_with(|| Pending {
                    attempts: 0,
                    last_allowed_at: None,
                    ..(*p).clone()
                });
            merged.attempts += p.attempts;
            merged.last_accessed_at = merged.last_accessed_at.max(p.last_accessed_at);
            merged.last_allowed_at = merged.last_allowed_at.max(p.last_allowed_at);
        }
        for (key, p) in &records {
            for target in Target::ALL {
                let sql = upsert_sql(target, Level::Action);
                let query = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(key.principal_id.clone())
                    .bind(key.action.clone())
                    .bind(p.service.clone())
                    .bind(p.last_accessed_at)
                    .bind(p.last_allowed_at)
                    .bind(p.attempts);
                let query = match target {
                    Target::Principal | Target::Policy => query.bind(p.account_id.clone()),
                    Target::Group => query,
                };
                query.execute(&mut *tx).await?;
            }
        }
        for ((principal_id, service), p) in &services {
            for target in Target::ALL {
                let sql = upsert_sql(target, Level::Service);
                let query = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind((*principal_id).to_owned())
                    .bind((*service).to_owned())
                    .bind(p.last_accessed_at)
                    .bind(p.last_allowed_at)
                    .bind(p.attempts);
                let query = match target {
                    Target::Principal | Target::Policy => query.bind(p.account_id.clone()),
                    Target::Group => query,
                };
                query.execute(&mut *tx).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Starts the once-a-second writer the first time anything is recorded (it needs the tokio
    /// runtime, which exists by then). It ends with the runtime.
    fn start_flusher(&self) {
        use std::sync::atomic::Ordering;
        let recorder = self.access_recorder();
        if recorder.flusher_started.swap(true, Ordering::AcqRel) {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            recorder.flusher_started.store(false, Ordering::Release);
            return;
        };
        let iam = self.clone();
        runtime.spawn(async move {
            let mut tick = tokio::time::interval(FLUSH_INTERVAL);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(e) = iam.flush_access_records().await {
                    tracing::warn!(error = %e, "writing access records failed; retrying in a second");
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_take_the_catalog_spelling() {
        assert_eq!(
            canonical("IAM:listusers"),
            ("iam".to_owned(), "iam:ListUsers".to_owned())
        );
        assert_eq!(
            canonical("Mine:DoThing"),
            ("mine".to_owned(), "mine:dothing".to_owned())
        );
    }
}
