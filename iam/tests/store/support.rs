//! Shared fixtures: a fresh database per test and raw access for assertions.
//!
//! `test_store()` uses the backend named by `PORTCULLIS_TEST_BACKEND`: `sqlite` (the default, a
//! fresh file per test) or `postgres` (a fresh database per test on the server named by
//! `PORTCULLIS_TEST_POSTGRES_URL`, dropped when the test ends). Tests about SQLite itself use
//! `test_sqlite_store()`, which always takes SQLite.

use iam::{Action, Authorized, Iam, Principal, RequestMeta, SignedIn, UnixTime};
use sqlx::{AnyPool, AssertSqlSafe, Connection as _, PgConnection};
use tempfile::TempDir;

/// A fixed "now" so tests move time explicitly.
pub const T0: UnixTime = UnixTime::from_secs(1_800_000_000);
pub const ROOT_EMAIL: &str = "root@example.com";
pub const ROOT_PASSWORD: &str = "Correct-horse9";

/// Where a test's database lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend chosen by `PORTCULLIS_TEST_BACKEND` (SQLite when unset).
    pub fn selected() -> Backend {
        match std::env::var("PORTCULLIS_TEST_BACKEND").as_deref() {
            Err(std::env::VarError::NotPresent) | Ok("" | "sqlite") => Backend::Sqlite,
            Ok("postgres") => Backend::Postgres,
            Ok(other) => panic!(
                "`PORTCULLIS_TEST_BACKEND` is `{other}`; use `sqlite` (the default) or `postgres`"
            ),
            Err(e) => panic!("`PORTCULLIS_TEST_BACKEND` cannot be read: {e}"),
        }
    }

    /// An expression giving rows in insertion order, for `ORDER BY`: SQLite's `rowid`, and
    /// PostgreSQL's physical row position, which follows insertion order in the fresh,
    /// append-only tables these tests read.
    pub fn insertion_order(self) -> &'static str {
        match self {
            Backend::Sqlite => "rowid",
            Backend::Postgres => "ctid",
        }
    }
}

/// A fresh database; the SQLite directory is removed, or the PostgreSQL database dropped, when
/// this is dropped.
pub struct TestDb {
    pub iam: Iam,
    pub url: String,
    pub backend: Backend,
    _storage: Storage,
}

/// What removes the database when the test ends; fields drop in order, so `iam` and its pool
/// are gone before this runs.
enum Storage {
    Sqlite(#[expect(dead_code, reason = "held to delete the directory on drop")] TempDir),
    Postgres(#[expect(dead_code, reason = "held to drop the database on drop")] FreshDatabase),
}

/// Connects to a new database on the backend chosen by `PORTCULLIS_TEST_BACKEND` and creates
/// the account.
pub async fn test_store() -> TestDb {
    match Backend::selected() {
        Backend::Sqlite => test_sqlite_store().await,
        Backend::Postgres => test_postgres_store().await,
    }
}

/// Connects to a new SQLite file (in a not-yet-existing subdirectory, which `connect` must
/// create) and creates the account, whatever `PORTCULLIS_TEST_BACKEND` says.
pub async fn test_sqlite_store() -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}/data/portcullis.db", dir.path().display());
    let iam = Iam::connect(&url).await.unwrap();
    iam.ensure_account(T0).await.unwrap();
    TestDb {
        iam,
        url,
        backend: Backend::Sqlite,
        _storage: Storage::Sqlite(dir),
    }
}

/// Connects to a new database on the server named by `PORTCULLIS_TEST_POSTGRES_URL` and
/// creates the account.
pub async fn test_postgres_store() -> TestDb {
    let admin_url = postgres_admin_url().unwrap_or_else(|| {
        panic!(
            "`PORTCULLIS_TEST_BACKEND=postgres` needs `PORTCULLIS_TEST_POSTGRES_URL` naming a \
             server where the user may create databases; run the tests inside \
             `scripts/with-postgres.sh`"
        )
    });
    let database = FreshDatabase::create(&admin_url).await;
    let iam = Iam::connect(&database.url).await.unwrap();
    iam.ensure_account(T0).await.unwrap();
    TestDb {
        iam,
        url: database.url.clone(),
        backend: Backend::Postgres,
        _storage: Storage::Postgres(database),
    }
}

/// The PostgreSQL server for tests, if one is configured.
pub fn postgres_admin_url() -> Option<String> {
    std::env::var("PORTCULLIS_TEST_POSTGRES_URL")
        .ok()
        .filter(|url| !url.is_empty())
}

/// A new, empty database on the server, for one test; dropped with this value.
pub struct FreshDatabase {
    admin_url: String,
    name: String,
    pub url: String,
}

impl FreshDatabase {
    pub async fn create(admin_url: &str) -> FreshDatabase {
        let mut suffix = [0u8; 6];
        getrandom::fill(&mut suffix).unwrap();
        let name = format!("iam_test_{}", hex::encode(suffix));
        let mut admin = PgConnection::connect(admin_url).await.unwrap_or_else(|e| {
            panic!("connecting to the test server `PORTCULLIS_TEST_POSTGRES_URL` failed: {e}")
        });
        sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await
            .unwrap();
        admin.close().await.unwrap();
        let (server, _) = admin_url
            .split('?')
            .next()
            .unwrap_or_default()
            .rsplit_once('/')
            .unwrap_or_else(|| panic!("`{admin_url}` has no database name to replace"));
        let url = format!("{server}/{name}");
        FreshDatabase {
            admin_url: admin_url.to_owned(),
            name,
            url,
        }
    }
}

impl Drop for FreshDatabase {
    /// Drops the database from a thread of its own with its own runtime: `Drop` cannot await,
    /// and the test's runtime may be a single thread that this call is blocking. `WITH (FORCE)`
    /// ends the connections the test left open (its `Iam` pool, raw pools).
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let name = self.name.clone();
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            runtime.block_on(async {
                let mut admin = PgConnection::connect(&admin_url)
                    .await
                    .map_err(|e| e.to_string())?;
                sqlx::query(AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .execute(&mut admin)
                .await
                .map_err(|e| e.to_string())?;
                admin.close().await.map_err(|e| e.to_string())
            })
        })
        .join();
        match dropped {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("dropping the test database `{}` failed: {e}", self.name),
            Err(_) => eprintln!("dropping the test database `{}` panicked", self.name),
        }
    }
}

/// A fresh database with the root user set up (through the CLI path).
pub async fn with_root() -> TestDb {
    add_root(test_store().await).await
}

/// Sets up the root user (through the CLI path) in `db`.
pub async fn add_root(db: TestDb) -> TestDb {
    db.iam
        .create_root(ROOT_EMAIL, ROOT_PASSWORD, T0)
        .await
        .unwrap();
    db
}

pub fn meta() -> RequestMeta {
    RequestMeta::new("203.0.113.7", "test-agent/1.0")
}

impl TestDb {
    /// A second, independent pool for reading and writing rows directly, on either backend.
    pub async fn raw(&self) -> AnyPool {
        sqlx::any::install_default_drivers();
        AnyPool::connect(&self.url).await.unwrap()
    }

    pub async fn sign_in_root(&self, now: UnixTime) -> SignedIn {
        self.iam
            .sign_in_root(ROOT_EMAIL, ROOT_PASSWORD, None, &meta(), now)
            .await
            .unwrap()
    }

    /// The root user as a principal (no session needed for the domain).
    pub async fn root(&self) -> Principal {
        Principal::Root {
            account_id: self.iam.account().await.unwrap().id,
            email: ROOT_EMAIL.to_owned(),
        }
    }

    /// A proof that root may perform `action` on `resource`.
    pub async fn auth(&self, action: Action, resource: &str) -> Authorized {
        let root = self.root().await;
        self.iam.authorize(&root, action, resource).await.unwrap()
    }

    /// The recorded events' names and request parameters, oldest first,
    /// leaving out sign-ins and root creation.
    pub async fn events(&self) -> Vec<(String, serde_json::Value)> {
        let pool = self.raw().await;
        let rows: Vec<(String, Option<String>)> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT event_name, request_parameters FROM events \
             WHERE event_source = 'iam.amazonaws.com' AND event_name <> 'CreateRootUser' \
             ORDER BY {}",
            self.backend.insertion_order()
        )))
        .fetch_all(&pool)
        .await
        .unwrap();
        pool.close().await;
        rows.into_iter()
            .map(|(name, params)| {
                let params = params.map_or(serde_json::Value::Null, |p| {
                    serde_json::from_str(&p).unwrap()
                });
                (name, params)
            })
            .collect()
    }

    /// The names of the recorded IAM events, oldest first.
    pub async fn event_names(&self) -> Vec<String> {
        self.events().await.into_iter().map(|(n, _)| n).collect()
    }

    pub async fn count(&self, sql: &str) -> i64 {
        let pool = self.raw().await;
        let (n,): (i64,) = sqlx::query_as(AssertSqlSafe(sql.to_owned()))
            .fetch_one(&pool)
            .await
            .unwrap();
        pool.close().await;
        n
    }

    /// Inserts an IAM user with a console password (users cannot be created
    /// through the API yet).
    pub async fn insert_user(&self, name: &str, password: &str, change_required: bool) -> String {
        let account = self.iam.account().await.unwrap();
        let id = format!("AIDA{}", name.to_uppercase());
        let phc = argon2_phc(password);
        let pool = self.raw().await;
        sqlx::query(
            "INSERT INTO users (id, account_id, name, name_lower, path, password_hash, \
             console_access, password_change_required, created_at) \
             VALUES ($1, $2, $3, $4, '/', $5, 1, $6, $7)",
        )
        .bind(&id)
        .bind(account.id.as_str())
        .bind(name)
        .bind(name.to_lowercase())
        .bind(phc)
        .bind(i64::from(change_required))
        .bind(T0.as_secs())
        .execute(&pool)
        .await
        .unwrap();
        pool.close().await;
        id
    }
}

/// An argon2id PHC string with the production parameters.
pub fn argon2_phc(password: &str) -> String {
    argon2_with(argon2::Algorithm::Argon2id, password)
}

pub fn argon2_with(algorithm: argon2::Algorithm, password: &str) -> String {
    use argon2::PasswordHasher as _;
    let params = argon2::Params::new(19_456, 2, 1, None).unwrap();
    argon2::Argon2::new(algorithm, argon2::Version::V0x13, params)
        .hash_password(password.as_bytes())
        .unwrap()
        .to_string()
}

/// The account's permissions version (`Iam::permissions_version`).
pub async fn permissions_version(db: &TestDb) -> i64 {
    let account = db.iam.account().await.unwrap();
    db.iam.permissions_version(&account.id).await.unwrap()
}

/// Asserts that the permissions version grew past `before` and returns the new one.
pub async fn permissions_grew(db: &TestDb, before: i64, what: &str) -> i64 {
    let now = permissions_version(db).await;
    assert!(
        now > before,
        "{what} left the permissions version at {before}"
    );
    now
}

/// Asserts that the permissions version is still `before`.
pub async fn permissions_same(db: &TestDb, before: i64, what: &str) {
    assert_eq!(
        permissions_version(db).await,
        before,
        "{what} changed the permissions version"
    );
}
