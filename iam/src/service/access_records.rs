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
//! it commits. `delete_user` deletes the user's row before their access records (`store/cascade.rs`),
//! so either it waits for the flush and then deletes what it wrote, or it commits first and the
//! flush finds the user gone.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::clock::UnixTime;
use crate::error::IamError;
use crate::principal::Principal;
use crate::service::Iam;
use crate::store::Backend;
use crate::store::access_records::{Accesses, missing_users_locked, upsert_action, upsert_service};

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

impl Pending {
    fn accesses(&self) -> Accesses {
        Accesses {
            last_accessed_at: self.last_accessed_at,
            last_allowed_at: self.last_allowed_at,
            attempts: self.attempts,
        }
    }
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
    missing_users_locked(conn, backend, users).await
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
            upsert_action(
                &mut tx,
                &p.account_id,
                &key.principal_id,
                &key.action,
                &p.service,
                &p.accesses(),
            )
            .await?;
        }
        for ((principal_id, service), p) in &services {
            upsert_service(&mut tx, &p.account_id, principal_id, service, &p.accesses()).await?;
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
