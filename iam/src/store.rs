//! The database behind the IAM domain.
//!
//! One `Store` holds one sqlx `Any` pool; the backend (SQLite or PostgreSQL)
//! is chosen at runtime from the URL in `Store::connect` (`store/connect.rs`);
//! that, `begin_write` and `Backend::key_share_lock` are the only places that
//! branch on it. Queries are runtime `query`/`query_as` with explicit column
//! lists and `$n` placeholders, in the SQL both backends accept.

mod account;
mod connect;
pub(crate) mod events;
mod policy_drafts;
pub(crate) mod root;
pub(crate) mod sessions;
mod summary;
pub(crate) mod users;

use sqlx::{Any, AnyPool, Transaction};

use crate::error::IamError;

pub use summary::AccountSummary;

pub(crate) use sessions::SessionRow;

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
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(tx)
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
