//! Two `portcullis` servers on one PostgreSQL database behave as one: sessions, policy changes,
//! unique names, sign-in lockouts, the per-address rate limit and the one-time secrets live in
//! the database, so what one instance does the other sees at its next request.
//!
//! Each test creates a fresh database on `PORTCULLIS_TEST_POSTGRES_URL` (see
//! `scripts/with-postgres.sh`) and starts two real server processes on it.

mod support;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use support::{Console, FreshDatabase, ROOT_EMAIL, ROOT_PASSWORD, Server, query_value};

/// A fresh database with the root user, and servers A and B on it.
async fn two_servers(env: &[(&str, &str)]) -> Option<(FreshDatabase, Server, Server)> {
    let db = FreshDatabase::create().await?;
    support::create_root(&db.url);
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| Server::start(&db.url, env));
        let b = s.spawn(|| Server::start(&db.url, env));
        (
            a.join().expect("server A starts"),
            b.join().expect("server B starts"),
        )
    });
    assert_ne!(a.url, b.url);
    Some((db, a, b))
}

/// A signed-in request: who the session belongs to, or the status when it is refused.
async fn whoami(console: &Console) -> Result<String, u16> {
    let reply = console.get("whoami", &[]).await;
    match reply.status {
        200 => Ok(reply.json()["display_name"]
            .as_str()
            .expect("display_name")
            .to_owned()),
        status => Err(status),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_session_made_on_one_server_works_and_ends_on_the_other() {
    let Some((_db, a, b)) = two_servers(&[]).await else {
        return;
    };
    let on_a = a.console().sign_in_root().await;
    let on_b = b.console().with_session(on_a.session.clone());
    assert_eq!(
        whoami(&on_b).await,
        Ok(ROOT_EMAIL.to_owned()),
        "B knows A's session"
    );
    let users = on_b
        .get("list_users", &[("query", ""), ("offset", "0")])
        .await;
    assert_eq!(users.status, 200, "B serves a signed-in request: {users:?}");

    let signed_out = on_a.post("sign_out", &[]).await;
    assert_eq!(signed_out.status, 200, "{signed_out:?}");
    assert_eq!(
        signed_out.session_cookie.as_deref(),
        Some(""),
        "cookie deleted"
    );
    assert_eq!(whoami(&on_b).await, Err(401), "B: the session ended on A");
    assert_eq!(whoami(&on_a).await, Err(401), "A: the session ended");
    let users = on_b
        .get("list_users", &[("query", ""), ("offset", "0")])
        .await;
    assert_eq!(users.status, 401, "{users:?}");
}

const AUTHORIZE_CALLER: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "portcullis:Authorize", "Resource": "*"}]}"#;
const READ_REPORTS: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#;
const WRITE_REPORTS: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}]}"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn policy_changes_made_on_one_server_are_enforced_by_the_other_at_once() {
    let Some((_db, a, b)) = two_servers(&[]).await else {
        return;
    };
    let admin = a.console().sign_in_root().await;
    let account_id = admin.get("whoami", &[]).await.ok().json()["account_id"]
        .as_str()
        .expect("account_id")
        .to_owned();
    let arn = |name: &str| format!("arn:aws:iam::{account_id}:policy/{name}");

    // On A: the calling service's user with its access key, and mary, without permissions.
    for (name, document) in [("Authorize", AUTHORIZE_CALLER), ("Reports", READ_REPORTS)] {
        admin
            .post("create_policy", &[("name", name), ("document", document)])
            .await
            .ok();
    }
    for user in ["caller", "mary"] {
        admin.try_create_user(user).await.expect("answer").ok();
    }
    admin
        .post(
            "attach_policy",
            &[("arn", &arn("Authorize")), ("entity", "user:caller")],
        )
        .await
        .ok();
    let created = admin
        .post("create_access_key", &[("name", "caller")])
        .await
        .ok();
    let handle = query_value(&created.location.expect("the key's one-time page"), "key");
    let taken = admin
        .post("take_access_key", &[("key", &handle)])
        .await
        .ok();
    let taken = taken.json();
    let key = (
        taken["access_key_id"].as_str().expect("key id").to_owned(),
        taken["secret"].as_str().expect("secret").to_owned(),
    );

    let on_b = b.console();
    let decide = |action: &'static str| {
        let (on_b, key) = (on_b.clone(), key.clone());
        async move { on_b.authorize(&key, "mary", action).await }
    };
    assert_eq!(
        decide("s3:GetObject").await,
        "ImplicitDeny",
        "nothing allows it yet"
    );

    admin
        .post(
            "attach_policy",
            &[("arn", &arn("Reports")), ("entity", "user:mary")],
        )
        .await
        .ok();
    assert_eq!(decide("s3:GetObject").await, "Allow", "attached on A");
    assert_eq!(decide("s3:PutObject").await, "ImplicitDeny");

    // A new default version on A replaces what the policy allows on B.
    admin
        .post(
            "create_policy_version",
            &[("arn", &arn("Reports")), ("document", WRITE_REPORTS)],
        )
        .await
        .ok();
    assert_eq!(decide("s3:GetObject").await, "ImplicitDeny", "v2 on A");
    assert_eq!(decide("s3:PutObject").await, "Allow", "v2 on A");

    admin
        .post(
            "detach_policy",
            &[("arn", &arn("Reports")), ("entity", "user:mary")],
        )
        .await
        .ok();
    assert_eq!(
        decide("s3:PutObject").await,
        "ImplicitDeny",
        "detached on A"
    );

    // The caller's own permission is checked per request too: detached on B, A refuses the key.
    let admin_b = b.console().with_session(admin.session.clone());
    admin_b
        .post(
            "detach_policy",
            &[("arn", &arn("Authorize")), ("entity", "user:caller")],
        )
        .await
        .ok();
    let refused = reqwest::Client::new()
        .post(format!("{}/api/v1/authorize", a.url))
        .bearer_auth(format!("{}:{}", key.0, key.1))
        .json(&serde_json::json!({"principal": "mary", "action": "s3:GetObject", "resource": "*"}))
        .send()
        .await
        .expect("answer");
    assert_eq!(refused.status(), 403, "A sees the detachment made on B");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_new_user_name_on_both_servers_at_once_makes_one_user() {
    const PAIRS: usize = 24;
    let Some((_db, a, b)) = two_servers(&[]).await else {
        return;
    };
    let on_a = a.console().sign_in_root().await;
    let on_b = b.console().with_session(on_a.session.clone());
    let mut pairs = tokio::task::JoinSet::new();
    for i in 0..PAIRS {
        let (on_a, on_b) = (on_a.clone(), on_b.clone());
        pairs.spawn(async move {
            // Names are unique ignoring case: B's differs only in case.
            let (upper, lower) = (format!("Twin-{i}"), format!("twin-{i}"));
            let (from_a, from_b) =
                tokio::join!(on_a.try_create_user(&upper), on_b.try_create_user(&lower));
            (i, from_a.expect("A answers"), from_b.expect("B answers"))
        });
    }
    let mut wins = [0; 2];
    while let Some(pair) = pairs.join_next().await {
        let (i, from_a, from_b) = pair.expect("a pair of requests");
        let (won, lost) = match (from_a.status, from_b.status) {
            (200, _) => (0, from_b),
            (_, 200) => (1, from_a),
            _ => panic!("pair {i}: neither succeeded: {from_a:?} {from_b:?}"),
        };
        wins[won] += 1;
        assert_eq!(
            lost.status, 409,
            "pair {i}: the other is a conflict: {lost:?}"
        );
        let message = lost.json()["Conflict"]["message"]
            .as_str()
            .expect("a conflict message")
            .to_owned();
        assert!(message.contains("already exists"), "pair {i}: {message}");
    }
    eprintln!("wins (A, B): {wins:?}");
    let list = on_b
        .get("list_users", &[("query", "twin-"), ("offset", "0")])
        .await
        .ok();
    assert_eq!(
        list.json()["total"].as_u64(),
        Some(PAIRS as u64),
        "one user per name"
    );
}

/// A failed root sign-in on `console`: the status and the error's message.
async fn wrong_sign_in(console: &Console, email: &str, password: &str) -> (u16, String) {
    let reply = console
        .post("sign_in_root", &[("email", email), ("password", password)])
        .await;
    let message = match reply.status {
        200 => String::new(),
        _ => reply.json()["TooManyRequests"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    };
    (reply.status, message)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn failed_sign_ins_on_both_servers_lock_the_name_on_both() {
    // A high per-address limit, so that only the lockout refuses.
    let Some((_db, a, b)) = two_servers(&[("PORTCULLIS_SIGN_IN_RATE_LIMIT", "1000")]).await else {
        return;
    };
    let servers = [a.console(), b.console()];
    // Five free failures, alternating A, B, A, B, A.
    for attempt in 0..5 {
        let (status, _) =
            wrong_sign_in(&servers[attempt % 2], ROOT_EMAIL, "Wrong-password-1").await;
        assert_eq!(status, 401, "failure {} is only refused", attempt + 1);
    }
    // The sixth waits, on either server, even with the right password.
    for (server, password) in [(1, "Wrong-password-1"), (0, ROOT_PASSWORD)] {
        let (status, message) = wrong_sign_in(&servers[server], ROOT_EMAIL, password).await;
        assert_eq!(status, 429, "server {server}: locked after five failures");
        assert!(message.contains("failed sign-in attempts"), "{message}");
    }
    // Another name is not locked.
    let (status, _) = wrong_sign_in(&servers[1], "other@example.com", "Wrong-password-1").await;
    assert_eq!(status, 401);
    // After the wait the right password works, on the other server.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (status, _) = wrong_sign_in(&servers[1], ROOT_EMAIL, ROOT_PASSWORD).await;
    assert_eq!(status, 200, "the wait is over");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_sign_in_rate_limit_counts_requests_to_both_servers() {
    const LIMIT: usize = 6;
    let limit = LIMIT.to_string();
    let Some((_db, a, b)) = two_servers(&[("PORTCULLIS_SIGN_IN_RATE_LIMIT", &limit)]).await else {
        return;
    };
    // The limit counts per minute of the clock: start early in one.
    let second = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs()
        % 60;
    if second > 40 {
        tokio::time::sleep(Duration::from_secs(61 - second)).await;
    }
    let servers = [a.console(), b.console()];
    // Each try another name, so that no lockout interferes.
    for attempt in 0..LIMIT {
        let email = format!("nobody{attempt}@example.com");
        let (status, _) = wrong_sign_in(&servers[attempt % 2], &email, "Wrong-password-1").await;
        assert_eq!(status, 401, "request {} is within the limit", attempt + 1);
    }
    for (server, console) in servers.iter().enumerate() {
        let reply = console
            .post(
                "sign_in_root",
                &[
                    ("email", "late@example.com"),
                    ("password", "Wrong-password-1"),
                ],
            )
            .await;
        assert_eq!(
            reply.status, 429,
            "server {server}: over the shared limit: {reply:?}"
        );
        let secs: u64 = reply
            .retry_after
            .as_deref()
            .expect("Retry-After")
            .parse()
            .expect("seconds");
        assert!((1..=60).contains(&secs), "{secs}");
        let message = reply.json()["TooManyRequests"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(message.contains("network address"), "{message}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_one_time_pages_work_on_the_other_server_and_only_once() {
    let Some((_db, a, b)) = two_servers(&[]).await else {
        return;
    };
    let on_a = a.console().sign_in_root().await;
    let on_b = b.console().with_session(on_a.session.clone());

    // Add users on A, with an autogenerated password: the Retrieve password page is served by B.
    let draft = serde_json::json!({
        "names": ["newhire"], "console_access": true, "custom_password": false,
        "reset_required": true, "permissions": "group", "group_names": [], "copy_from": "",
        "policy_arns": [], "tags": []
    });
    let created = on_a
        .post("create_users", &[("draft", &draft.to_string())])
        .await;
    let location = created
        .location
        .clone()
        .unwrap_or_else(|| panic!("{created:?}"));
    let batch = query_value(&location, "batch");
    let taken = on_b.post("take_created_users", &[("batch", &batch)]).await;
    assert_eq!(taken.status, 200, "{taken:?}");
    let users = taken.json();
    assert_eq!(users["users"][0]["name"], "newhire", "{users}");
    let password = users["users"][0]["password"].as_str().expect("a password");
    assert!(password.len() >= 8, "{password}");
    for console in [&on_a, &on_b] {
        let again = console
            .post("take_created_users", &[("batch", &batch)])
            .await;
        assert_eq!(again.status, 200, "{again:?}");
        assert_eq!(
            again.json(),
            serde_json::Value::Null,
            "shown once, on either server"
        );
    }

    // A new access key made on B is shown by A, once.
    let key = on_b.post("create_access_key", &[("name", "newhire")]).await;
    let handle = query_value(
        &key.location.clone().unwrap_or_else(|| panic!("{key:?}")),
        "key",
    );
    let shown = on_a.post("take_access_key", &[("key", &handle)]).await.ok();
    let shown = shown.json();
    assert!(
        shown["access_key_id"]
            .as_str()
            .is_some_and(|id| id.starts_with("AKIA")),
        "{shown}"
    );
    assert!(
        shown["secret"].as_str().is_some_and(|s| s.len() == 40),
        "{shown}"
    );
    let again = on_b.post("take_access_key", &[("key", &handle)]).await;
    assert_eq!(again.json(), serde_json::Value::Null, "shown once");

    // Neither the password nor the secret reaches a log.
    let secret = shown["secret"].as_str().expect("secret");
    for log in [a.log(), b.log()] {
        assert!(
            !log.contains(password) && !log.contains(secret),
            "a secret in a log"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_server_with_another_master_key_or_none_does_not_start() {
    let Some(db) = FreshDatabase::create().await else {
        return;
    };
    support::create_root(&db.url);
    let first = Server::start(&db.url, &[]);
    drop(first);

    let dir = tempfile::tempdir().expect("a temporary directory");
    let other = dir.path().join("other.key");
    std::fs::write(&other, format!("{}\n", "ab".repeat(32))).expect("write a key");
    let refused = support::run_server_until_exit(
        &db.url,
        &[("PORTCULLIS_MASTER_KEY_FILE", other.to_str().expect("utf-8"))],
    );
    assert!(
        refused.contains("is not the one this database was set up with"),
        "{refused}"
    );
    let missing = dir.path().join("missing.key");
    let refused = support::run_server_until_exit(
        &db.url,
        &[(
            "PORTCULLIS_MASTER_KEY_FILE",
            missing.to_str().expect("utf-8"),
        )],
    );
    assert!(refused.contains("cannot be read"), "{refused}");
    assert!(!missing.exists(), "a named key file is never created");
    let refused = support::run_server_until_exit(&db.url, &[("PORTCULLIS_MASTER_KEY_FILE", "")]);
    assert!(refused.contains("needs `--master-key-file`"), "{refused}");
}
