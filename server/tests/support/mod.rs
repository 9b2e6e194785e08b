//! Shared fixtures of the tests that drive real `portcullis` processes: start one and wait for
//! its serving line, talk to it over HTTP as the console and the authorization API's callers do,
//! create the root user with the CLI, and a fresh PostgreSQL database per test.

#![allow(dead_code, reason = "each test file uses a part of the fixtures")]

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sqlx::{AssertSqlSafe, PgPool};

pub mod cluster;

pub const ROOT_EMAIL: &str = "root@example.com";
pub const ROOT_PASSWORD: &str = "Correct-horse-9-battery";

/// Creates the root user with `portcullis create-root`, the password on standard input; this
/// also applies the migrations and creates the account.
pub fn create_root(database_url: &str) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_portcullis"))
        .args(["create-root", "--email", ROOT_EMAIL])
        .env("DATABASE_URL", database_url)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start portcullis create-root");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{ROOT_PASSWORD}\n").as_bytes())
        .expect("write the password");
    let output = child.wait_with_output().expect("wait for create-root");
    assert!(
        output.status.success(),
        "create-root failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The `portcullis` command the tests start: a free loopback port, `database_url`, and the extra
/// settings in `env` over a clean environment; an empty value in `env` unsets that variable.
fn server_command(database_url: &str, env: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_portcullis"));
    command
        .env("DATABASE_URL", database_url)
        .env("PORTCULLIS_ADDR", "127.0.0.1:0")
        .env("PORTCULLIS_LOG", "info,sqlx=warn")
        .env("LEPTOS_SITE_ROOT", env!("CARGO_MANIFEST_DIR"))
        .env_remove("PORTCULLIS_PUBLIC_URL")
        .env_remove("PORTCULLIS_TRUSTED_PROXY")
        .env_remove("PORTCULLIS_SIGN_IN_RATE_LIMIT")
        .stdin(Stdio::null())
        .stdout(Stdio::null());
    // PostgreSQL needs a named key file, the same for every instance on one database.
    if database_url.starts_with("postgres") {
        command.env("PORTCULLIS_MASTER_KEY_FILE", shared_key_file(database_url));
    } else {
        command.env_remove("PORTCULLIS_MASTER_KEY_FILE");
    }
    for (key, value) in env {
        if value.is_empty() {
            command.env_remove(key);
        } else {
            command.env(key, value);
        }
    }
    command
}

/// Runs a server that is expected to refuse to start, and returns what it printed; fails if it
/// is still running after 60 s or exits successfully.
pub fn run_server_until_exit(database_url: &str, env: &[(&str, &str)]) -> String {
    let mut child = server_command(database_url, env)
        .stderr(Stdio::piped())
        .spawn()
        .expect("start portcullis");
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(status) = child.try_wait().expect("wait for portcullis") {
            let output = child.wait_with_output().expect("its output");
            let text = String::from_utf8_lossy(&output.stderr).into_owned();
            assert!(!status.success(), "portcullis exited successfully: {text}");
            return text;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let output = child.wait_with_output().expect("its output");
            panic!(
                "portcullis kept running: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A master key file for the servers of one database: the same path (and key) for the same URL.
pub fn shared_key_file(database_url: &str) -> std::path::PathBuf {
    use std::hash::{Hash as _, Hasher as _};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    database_url.hash(&mut hasher);
    let dir = std::env::temp_dir().join("portcullis-test-master-keys");
    std::fs::create_dir_all(&dir).expect("create the test key directory");
    let path = dir.join(format!("{:016x}.key", hasher.finish()));
    // Two servers of one test start at once; one of them writes the key.
    static WRITING: Mutex<()> = Mutex::new(());
    let _writing = WRITING.lock().unwrap_or_else(|e| e.into_inner());
    if !path.exists() {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).expect("random bytes");
        let text: String = key.iter().map(|b| format!("{b:02x}")).collect();
        // Write then rename, so a server started meanwhile never reads half a key.
        let partial = path.with_extension(format!("{}.partial", std::process::id()));
        std::fs::write(&partial, format!("{text}\n")).expect("write the test key");
        std::fs::rename(&partial, &path).expect("move the test key in place");
    }
    path
}

/// A running `portcullis` server process. Dropping it kills it.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:<port>`, from its "serving the console on" log line.
    pub url: String,
    log: Arc<Mutex<String>>,
}

impl Server {
    /// Starts `portcullis` on a free loopback port with `database_url` and the extra settings
    /// in `env`, and waits until it logs that it serves.
    pub fn start(database_url: &str, env: &[(&str, &str)]) -> Server {
        let mut command = server_command(database_url, env);
        command.stderr(Stdio::piped());
        let mut child = command.spawn().expect("start portcullis");
        let stderr = child.stderr.take().expect("stderr");
        let log = Arc::new(Mutex::new(String::new()));
        let (serving, serving_rx) = mpsc::channel();
        let sink = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Some((_, url)) = line.split_once("serving the console on ") {
                    let _ = serving.send(url.trim().to_owned());
                }
                let mut log = sink.lock().expect("log lock");
                log.push_str(&line);
                log.push('\n');
            }
        });
        let url = match serving_rx.recv_timeout(Duration::from_secs(60)) {
            Ok(url) => url,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "portcullis did not log its serving line within 60 s; its log:\n{}",
                    log.lock().expect("log lock")
                );
            }
        };
        Server { child, url, log }
    }

    /// SIGKILL: no shutdown, no flushing; as a crash or an OOM kill ends it.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Everything it logged so far.
    pub fn log(&self) -> String {
        self.log.lock().expect("log lock").clone()
    }

    /// A client without a session.
    pub fn console(&self) -> Console {
        Console::new(&self.url)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// An HTTP answer, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub location: Option<String>,
    pub retry_after: Option<String>,
    /// The session cookie's value when the answer sets it (empty when it deletes it).
    pub session_cookie: Option<String>,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.body))
    }

    /// Panics with the answer unless it is 200.
    pub fn ok(self) -> Reply {
        assert_eq!(self.status, 200, "expected 200, got {self:?}");
        self
    }
}

pub const SESSION_COOKIE: &str = "portcullis-session";

/// A console client of one server, with or without a session cookie. Sends what the hydrated
/// console sends: form-encoded server-function calls with `Accept: application/json` (errors
/// come back as JSON with their status, not as redirects) and a same-origin `Origin`.
#[derive(Clone)]
pub struct Console {
    http: reqwest::Client,
    pub url: String,
    pub session: Option<String>,
}

impl Console {
    pub fn new(url: &str) -> Console {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(60))
            .build()
            .expect("an HTTP client");
        Console {
            http,
            url: url.to_owned(),
            session: None,
        }
    }

    /// The same client, carrying `session` (for example one made on another server).
    pub fn with_session(&self, session: Option<String>) -> Console {
        Console {
            session,
            ..self.clone()
        }
    }

    /// `POST /api/<endpoint>` with `form`; `Err` when no answer came (the server is gone).
    pub async fn try_post(
        &self,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> Result<Reply, reqwest::Error> {
        let mut request = self
            .http
            .post(format!("{}/api/{endpoint}", self.url))
            .header("accept", "application/json")
            .header("origin", &self.url)
            .form(form);
        if let Some(session) = &self.session {
            request = request.header("cookie", format!("{SESSION_COOKIE}={session}"));
        }
        read(request.send().await?).await
    }

    pub async fn post(&self, endpoint: &str, form: &[(&str, &str)]) -> Reply {
        self.try_post(endpoint, form)
            .await
            .unwrap_or_else(|e| panic!("POST /api/{endpoint} to {} failed: {e}", self.url))
    }

    /// `GET /api/<endpoint>?<query>`.
    pub async fn try_get(
        &self,
        endpoint: &str,
        query: &[(&str, &str)],
    ) -> Result<Reply, reqwest::Error> {
        let mut request = self
            .http
            .get(format!("{}/api/{endpoint}", self.url))
            .header("accept", "application/json")
            .query(query);
        if let Some(session) = &self.session {
            request = request.header("cookie", format!("{SESSION_COOKIE}={session}"));
        }
        read(request.send().await?).await
    }

    pub async fn get(&self, endpoint: &str, query: &[(&str, &str)]) -> Reply {
        self.try_get(endpoint, query)
            .await
            .unwrap_or_else(|e| panic!("GET /api/{endpoint} from {} failed: {e}", self.url))
    }

    /// Signs root in; the client with its new session.
    pub async fn sign_in_root(&self) -> Console {
        let reply = self
            .post(
                "sign_in_root",
                &[("email", ROOT_EMAIL), ("password", ROOT_PASSWORD)],
            )
            .await
            .ok();
        let session = reply.session_cookie.filter(|s| !s.is_empty());
        assert!(session.is_some(), "sign-in sets the session cookie");
        self.with_session(session)
    }

    /// Creates IAM users without console access through the Add users wizard's server function.
    pub async fn try_create_user(&self, name: &str) -> Result<Reply, reqwest::Error> {
        let draft = serde_json::json!({
            "names": [name], "console_access": false, "custom_password": false,
            "reset_required": false, "permissions": "policies", "group_names": [],
            "copy_from": "", "policy_arns": [], "tags": []
        });
        self.try_post("create_users", &[("draft", &draft.to_string())])
            .await
    }

    /// `POST /api/v1/authorize` with the access key `key` (`(id, secret)`); the decision.
    pub async fn authorize(&self, key: &(String, String), principal: &str, action: &str) -> String {
        let reply = self
            .http
            .post(format!("{}/api/v1/authorize", self.url))
            .bearer_auth(format!("{}:{}", key.0, key.1))
            .json(&serde_json::json!({
                "principal": principal, "action": action, "resource": "*"
            }))
            .send()
            .await
            .expect("authorize request");
        let reply = read(reply).await.expect("authorize answer").ok();
        reply.json()["decision"]
            .as_str()
            .expect("a decision")
            .to_owned()
    }
}

async fn read(response: reqwest::Response) -> Result<Reply, reqwest::Error> {
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let location = header("location");
    let retry_after = header("retry-after");
    let session_cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            let (pair, _) = v.split_once(';').unwrap_or((v, ""));
            let (name, value) = pair.split_once('=')?;
            (name.trim() == SESSION_COOKIE).then(|| value.trim().to_owned())
        });
    let status = response.status().as_u16();
    let body = response.text().await?;
    Ok(Reply {
        status,
        location,
        retry_after,
        session_cookie,
        body,
    })
}

/// The query value `key` of a redirect target such as `/users/access-key?key=…`.
pub fn query_value(location: &str, key: &str) -> String {
    let url = url::Url::parse(&format!("http://localhost{location}")).expect("a path");
    url.query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| panic!("`{key}` in {location}"))
}

/// The server of `PORTCULLIS_TEST_POSTGRES_URL`. Without it the test fails, unless
/// `PORTCULLIS_SKIP_POSTGRES=1` says to skip PostgreSQL tests (`None`).
pub fn postgres_admin_url() -> Option<String> {
    match std::env::var("PORTCULLIS_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var("PORTCULLIS_SKIP_POSTGRES").as_deref() == Ok("1") => {
            eprintln!("PORTCULLIS_SKIP_POSTGRES=1: not running this PostgreSQL test");
            None
        }
        _ => panic!(
            "PORTCULLIS_TEST_POSTGRES_URL is not set: run the PostgreSQL tests under \
             scripts/with-postgres.sh (`scripts/with-postgres.sh cargo nextest run -p server`), \
             which starts a throw-away server, or set PORTCULLIS_SKIP_POSTGRES=1 to skip them"
        ),
    }
}

/// A new, empty database on a PostgreSQL server, dropped (`WITH (FORCE)`) when this is dropped.
pub struct FreshDatabase {
    admin_url: String,
    name: String,
    pub url: String,
}

impl FreshDatabase {
    /// `None` only when PostgreSQL tests are skipped explicitly (see [`postgres_admin_url`]).
    pub async fn create() -> Option<FreshDatabase> {
        let admin_url = postgres_admin_url()?;
        Some(FreshDatabase::create_on(&admin_url).await)
    }

    pub async fn create_on(admin_url: &str) -> FreshDatabase {
        let mut suffix = [0u8; 6];
        getrandom::fill(&mut suffix).expect("random bytes");
        let name = format!("t_{}", hex::encode(suffix));
        let admin = PgPool::connect(admin_url)
            .await
            .expect("connect to PostgreSQL");
        sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&admin)
            .await
            .expect("create a database");
        admin.close().await;
        let base = admin_url.rsplit_once('/').expect("a database in the URL").0;
        FreshDatabase {
            admin_url: admin_url.to_owned(),
            url: format!("{base}/{name}"),
            name,
        }
    }
}

impl Drop for FreshDatabase {
    fn drop(&mut self) {
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        // Drop runs outside any runtime's async context: a thread with its own.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            runtime.block_on(async {
                let admin = PgPool::connect(&admin_url)
                    .await
                    .map_err(|e| e.to_string())?;
                sqlx::query(AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .execute(&admin)
                .await
                .map_err(|e| e.to_string())?;
                admin.close().await;
                Ok::<_, String>(())
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!(
                "dropping the test database {} failed: {dropped:?}",
                self.name
            );
        }
    }
}
