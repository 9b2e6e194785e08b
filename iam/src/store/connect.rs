//! Opening the pool: backend selection, SQLite file creation and settings,
//! and migrations. The backend branch lives here and in `Store::begin_write`.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;
use sqlx::{AnyConnection, Executor};

use super::{Backend, Store};
use crate::error::IamError;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

/// Settings applied to every SQLite connection. WAL lets readers run beside
/// the writer; `synchronous=FULL` makes a committed transaction survive power
/// loss; SQLite leaves foreign keys off unless asked.
const SQLITE_PRAGMAS: [&str; 4] = [
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 5000",
];

impl Store {
    /// The file of a `sqlite:` URL; `None` for PostgreSQL and in-memory SQLite.
    pub fn sqlite_file(url: &str) -> Option<PathBuf> {
        sqlite_path(url)
    }

    /// Connects to `url` (`sqlite:./data/portcullis.db`, `sqlite://...` or
    /// `postgres://...`), creating a missing SQLite file and its directories,
    /// and applies the migrations. A migration failure is an error: the server
    /// must not run on a schema it does not know.
    pub async fn connect(url: &str) -> Result<Store, IamError> {
        sqlx::any::install_default_drivers();
        let shown = redact_url(url);
        let backend = backend_of(url)?;

        let mut options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(10));
        match backend {
            Backend::Sqlite => {
                options = match sqlite_path(url) {
                    Some(path) => {
                        create_sqlite_file(&path, &shown)?;
                        options.max_connections(8)
                    }
                    // Each connection to `:memory:` is its own empty database:
                    // keep exactly one, forever.
                    None => options
                        .min_connections(1)
                        .max_connections(1)
                        .idle_timeout(None)
                        .max_lifetime(None),
                };
                options = options.after_connect(|conn, _meta| Box::pin(apply_sqlite_pragmas(conn)));
            }
            Backend::Postgres => options = options.max_connections(16),
        }

        let pool = options.connect(url).await.map_err(|e| {
            IamError::internal(
                format!("connecting to the database at `{shown}` failed; check DATABASE_URL"),
                e,
            )
        })?;

        let migrator = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&pool).await.map_err(|e| {
            IamError::internal(format!("migrating the database at `{shown}` failed"), e)
        })?;

        Ok(Store {
            pool,
            backend,
            write_transactions: Arc::default(),
        })
    }
}

async fn apply_sqlite_pragmas(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    for pragma in SQLITE_PRAGMAS {
        conn.execute(pragma).await?;
    }
    Ok(())
}

fn backend_of(url: &str) -> Result<Backend, IamError> {
    if url.starts_with("sqlite:") {
        Ok(Backend::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Backend::Postgres)
    } else {
        Err(IamError::validation(
            "database_url",
            format!(
                "`{}` is not a supported database url; use `sqlite:./data/portcullis.db` or `postgres://user@host/db`",
                redact_url(url)
            ),
        ))
    }
}

/// The file path in a SQLite url, or `None` for an in-memory database.
fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" || url.contains("mode=memory") {
        None
    } else {
        Some(PathBuf::from(path))
    }
}

fn create_sqlite_file(path: &Path, shown: &str) -> Result<(), IamError> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| {
            IamError::internal(
                format!(
                    "creating the directory `{}` for the database at `{shown}` failed; check the path and its permissions",
                    parent.display()
                ),
                e,
            )
        })?;
    }
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| {
            IamError::internal(
                format!(
                    "creating the database file at `{shown}` failed; check the path and its permissions"
                ),
                e,
            )
        })?;
    Ok(())
}

/// The url with any password replaced, fit for logs and error messages.
pub(crate) fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or_default();
            let redacted = if userinfo.contains(':') {
                format!("{user}:<redacted>")
            } else {
                user.to_owned()
            };
            format!("{scheme}://{redacted}@{host}{tail}")
        }
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_paths() {
        assert_eq!(
            sqlite_path("sqlite:./data/portcullis.db"),
            Some(PathBuf::from("./data/portcullis.db"))
        );
        assert_eq!(
            sqlite_path("sqlite:///tmp/x.db?mode=rwc"),
            Some(PathBuf::from("/tmp/x.db"))
        );
        assert_eq!(
            sqlite_path("sqlite://data.db"),
            Some(PathBuf::from("data.db"))
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://x"), None);
    }

    #[test]
    fn backends() {
        assert_eq!(backend_of("sqlite:x.db").unwrap(), Backend::Sqlite);
        assert_eq!(backend_of("postgres://u@h/db").unwrap(), Backend::Postgres);
        assert_eq!(
            backend_of("postgresql://u@h/db").unwrap(),
            Backend::Postgres
        );
        let e = backend_of("mysql://root:hunter2@h/db").unwrap_err();
        assert!(
            e.to_string().contains("`mysql://root:<redacted>@h/db`"),
            "{e}"
        );
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact_url("postgres://app:s3cret@db:5432/iam"),
            "postgres://app:<redacted>@db:5432/iam"
        );
        assert_eq!(redact_url("postgres://app@db/iam"), "postgres://app@db/iam");
        assert_eq!(redact_url("sqlite:./data/x.db"), "sqlite:./data/x.db");
    }

    async fn fresh() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite:{}/a/b/iam.db", dir.path().display());
        let store = Store::connect(&url).await.unwrap();
        (dir, store)
    }

    #[tokio::test]
    async fn sqlite_settings_apply_to_every_connection() {
        let (_dir, store) = fresh().await;
        // Hold several connections at once so more than one is opened.
        let mut conns = Vec::new();
        for _ in 0..3 {
            conns.push(store.pool().acquire().await.unwrap());
        }
        for conn in &mut conns {
            let pragma = async |conn: &mut sqlx::pool::PoolConnection<sqlx::Any>, sql| {
                let (v,): (i64,) = sqlx::query_as(sql).fetch_one(&mut **conn).await.unwrap();
                v
            };
            assert_eq!(pragma(conn, "PRAGMA synchronous").await, 2, "FULL");
            assert_eq!(pragma(conn, "PRAGMA foreign_keys").await, 1);
            assert_eq!(pragma(conn, "PRAGMA busy_timeout").await, 5000);
            let (mode,): (String,) = sqlx::query_as("PRAGMA journal_mode")
                .fetch_one(&mut **conn)
                .await
                .unwrap();
            assert_eq!(mode, "wal");
        }
    }

    #[tokio::test]
    async fn an_in_memory_database_keeps_its_data() {
        let store = Store::connect("sqlite::memory:").await.unwrap();
        let t = crate::clock::UnixTime::from_secs(1);
        let first = store.ensure_account(t).await.unwrap();
        let (a, b) = tokio::join!(store.account(), store.account());
        assert_eq!(a.unwrap(), first);
        assert_eq!(b.unwrap(), first);
    }

    #[tokio::test]
    async fn write_transactions_take_the_lock_up_front() {
        let (_dir, store) = fresh().await;
        let first = store.begin_write().await.unwrap();
        let second = tokio::spawn({
            let store = store.clone();
            async move { store.begin_write().await.map(|_tx| ()) }
        });
        // BEGIN IMMEDIATE: the second writer waits (busy timeout) for the first.
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(!second.is_finished());
        first.commit().await.unwrap();
        second.await.unwrap().unwrap();
    }
}
