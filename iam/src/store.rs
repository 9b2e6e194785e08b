//! The database behind the IAM domain, and the only place with SQL (issue 16;
//! `server/tests/sql_location.rs` fails on a query anywhere else).
//!
//! One module per aggregate (users, groups, memberships, policies and their versions,
//! attachments, login profiles, access keys, sessions, sign-in guard, account settings, events,
//! access records, one-time secrets, ...), each with typed functions over a connection that the
//! services call inside their transactions, and row types apart from the domain types. The
//! services keep the rules: validation, authorization, events in the same transaction.
//!
//! Every write that can change what a principal may do (membership, attachments, group inline
//! policies, default versions, tags, renames, deletes, console access, access keys) calls
//! [`permissions::changed`] in its transaction, which bumps the account's permissions version.
//!
//! One `Store` holds one sqlx `Any` pool; the backend (SQLite or PostgreSQL)
//! is chosen at runtime from the URL in `Store::connect` (`store/connect.rs`);
//! that, `begin_write` and `Backend::key_share_lock` are the only places that
//! branch on it. Queries are runtime `query`/`query_as` with explicit column
//! lists and `$n` placeholders, in the SQL both backends accept.

pub(crate) mod access_keys;
pub(crate) mod access_records;
mod account;
pub(crate) mod account_settings;
pub(crate) mod attachments;
pub(crate) mod cascade;
mod connect;
pub(crate) mod effective;
pub(crate) mod events;
pub(crate) mod group_inline_policies;
pub(crate) mod groups;
pub(crate) mod locks;
pub(crate) mod login_profiles;
pub(crate) mod memberships;
pub(crate) mod one_time_secrets;
pub(crate) mod permissions;
pub(crate) mod policies;
mod policy_drafts;
pub(crate) mod root;
pub(crate) mod sessions;
pub(crate) mod sign_in_guard;
mod summary;
pub(crate) mod tags;
pub(crate) mod users;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::{Any, AnyPool, FromRow, Transaction};

use crate::error::IamError;

pub use summary::AccountSummary;

pub(crate) use sessions::SessionRow;

/// A group or user row: enough to name it and build its ARN.
#[derive(Debug, Clone, FromRow)]
pub(crate) struct EntityRow {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) path: String,
    pub(crate) created_at: i64,
}

/// What an insert into a table with a unique name did: the service turns `NameTaken` into its
/// own conflict message, because only it knows what the name is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub(crate) enum Inserted {
    Done,
    NameTaken,
}

impl Inserted {
    /// `Done`, or `NameTaken` for a unique violation; other errors stay errors.
    pub(crate) fn from_result<T>(result: Result<T, sqlx::Error>) -> Result<Inserted, IamError> {
        match result {
            Ok(_) => Ok(Inserted::Done),
            Err(e) if is_unique_violation(&e) => Ok(Inserted::NameTaken),
            Err(e) => Err(IamError::from(e)),
        }
    }
}

/// Whether a database error is a unique-constraint violation (SQLite or PostgreSQL).
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => db.is_unique_violation(),
        _ => false,
    }
}

/// Which database the pool talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// What a `SELECT` adds to lock the rows it reads against deletion until the transaction ends:
    /// PostgreSQL's `FOR KEY SHARE`. SQLite has no row locks and needs none, because
    /// `Store::begin_write` already holds the database's only write lock.
    pub(crate) fn key_share_lock(self) -> &'static str {
        match self {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR KEY SHARE",
        }
    }
}

/// The IAM store. Cheap to clone (the pool is reference-counted).
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// Write transactions begun, shared by clones: what an operation costs the database's one
    /// writer, for the tests that hold it to a budget.
    write_transactions: Arc<AtomicU64>,
}

/// A write transaction; dropping it without `commit()` rolls back.
pub(crate) type WriteTx = Transaction<'static, Any>;

impl Store {
    /// Starts a transaction for writing.
    ///
    /// On SQLite this is `BEGIN IMMEDIATE`, which takes the write lock up front:
    /// a deferred transaction that reads and then writes can fail with
    /// `SQLITE_BUSY` without waiting, because the busy timeout cannot help a
    /// reader upgrade to a writer.
    pub(crate) async fn begin_write(&self) -> Result<WriteTx, IamError> {
        self.write_transactions.fetch_add(1, Ordering::Relaxed);
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(tx)
    }

    /// How many write transactions this store (and its clones) has begun.
    pub fn write_transactions(&self) -> u64 {
        self.write_transactions.load(Ordering::Relaxed)
    }

    pub(crate) fn backend(&self) -> Backend {
        self.backend
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Closes every connection; later queries fail.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}
