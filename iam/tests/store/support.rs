//! Shared fixtures: a fresh database per test and raw access for assertions.

use iam::{Action, Authorized, Iam, Principal, RequestMeta, SignedIn, UnixTime};
use sqlx::SqlitePool;
use tempfile::TempDir;

/// A fixed "now" so tests move time explicitly.
pub const T0: UnixTime = UnixTime::from_secs(1_800_000_000);
pub const ROOT_EMAIL: &str = "root@example.com";
pub const ROOT_PASSWORD: &str = "Correct-horse9";

/// A fresh database; the directory is removed when this is dropped.
pub struct TestDb {
    pub iam: Iam,
    pub url: String,
    _dir: TempDir,
}

/// Connects to a new SQLite file (in a not-yet-existing subdirectory, which
/// `connect` must create) and creates the account.
pub async fn test_store() -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}/data/portcullis.db", dir.path().display());
    let iam = Iam::connect(&url).await.unwrap();
    iam.ensure_account(T0).await.unwrap();
    TestDb {
        iam,
        url,
        _dir: dir,
    }
}

/// A fresh database with the root user set up (through the CLI path).
pub async fn with_root() -> TestDb {
    let db = test_store().await;
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
    /// A second, independent connection for reading rows directly.
    pub async fn raw(&self) -> SqlitePool {
        SqlitePool::connect(&self.url).await.unwrap()
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
        let rows: Vec<(String, Option<String>)> = sqlx::query_as(
            "SELECT event_name, request_parameters FROM events \
             WHERE event_source = 'iam.amazonaws.com' AND event_name <> 'CreateRootUser' \
             ORDER BY rowid",
        )
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
        let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(sql.to_owned()))
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
