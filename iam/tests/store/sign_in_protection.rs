//! Sign-in protection: five free failures per login, then waits from 1 s doubling to 15
//! minutes, the same for names that do not exist; a per-address rate limit; events for both.

use iam::{ErrorKind, Iam, IamError, RequestMeta, UnixTime};

use super::support::{ROOT_EMAIL, ROOT_PASSWORD, T0, TestDb, meta, with_root};

const ALICE_PASSWORD: &str = "Alice-pass1";

async fn sign_in_alice(
    db: &TestDb,
    name: &str,
    password: &str,
    now: UnixTime,
) -> Result<(), IamError> {
    let account = db.iam.account().await.unwrap();
    db.iam
        .sign_in_user(account.id.as_str(), name, password, None, &meta(), now)
        .await
        .map(|_| ())
}

fn retry_after(e: &IamError) -> u64 {
    match e {
        IamError::SignInLocked { retry_after_secs } => *retry_after_secs,
        other => panic!("expected a lockout, got {other:?}"),
    }
}

#[tokio::test]
async fn five_failures_then_the_next_try_waits_without_checking_the_password() {
    let db = with_root().await;
    db.insert_user("alice", ALICE_PASSWORD, false).await;
    for _ in 0..5 {
        let e = sign_in_alice(&db, "alice", "Wrong-pass1", T0)
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidCredentials);
    }
    // Even the right password is refused now, and no argon2 work is done.
    let before = db.iam.hasher().verifications();
    let e = sign_in_alice(&db, "ALICE", ALICE_PASSWORD, T0)
        .await
        .unwrap_err();
    assert_eq!(db.iam.hasher().verifications(), before, "no hash checked");
    assert_eq!(e.kind(), ErrorKind::TooManyRequests);
    let wait = retry_after(&e);
    assert!(
        (1..=2).contains(&wait),
        "at least 1 s, whole seconds: {wait}"
    );
    assert!(
        e.user_message()
            .contains("too many failed sign-in attempts")
    );

    // After the wait the right password works, and the run of failures is over.
    let later = UnixTime::from_secs(T0.as_secs() + i64::try_from(wait).unwrap());
    sign_in_alice(&db, "alice", ALICE_PASSWORD, later)
        .await
        .unwrap();
    assert_eq!(db.count("SELECT COUNT(*) FROM sign_in_failures").await, 0);
    for _ in 0..5 {
        let e = sign_in_alice(&db, "alice", "Wrong-pass1", later)
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidCredentials, "five free again");
    }
    assert!(matches!(
        sign_in_alice(&db, "alice", "Wrong-pass1", later).await,
        Err(IamError::SignInLocked { .. })
    ));
    assert_eq!(
        db.count(
            "SELECT COUNT(*) FROM events WHERE event_name = 'ConsoleLogin' \
             AND error_code = 'TooManyAttempts' AND user_name = 'alice'"
        )
        .await,
        2,
        "each refused try is a failed ConsoleLogin"
    );
}

#[tokio::test]
async fn waits_double_from_one_second_to_fifteen_minutes() {
    let db = with_root().await;
    db.insert_user("alice", ALICE_PASSWORD, false).await;
    let mut now = T0;
    let mut waits = Vec::new();
    for _ in 0..16 {
        match sign_in_alice(&db, "alice", "Wrong-pass1", now).await {
            Err(IamError::InvalidCredentials) => {}
            Err(e) => {
                // Refused: wait exactly as told, then the next try is admitted.
                let wait = retry_after(&e);
                waits.push(wait);
                now = UnixTime::from_secs(now.as_secs() + i64::try_from(wait).unwrap());
                let admitted = sign_in_alice(&db, "alice", "Wrong-pass1", now).await;
                assert!(matches!(admitted, Err(IamError::InvalidCredentials)));
            }
            Ok(()) => panic!("wrong password accepted"),
        }
    }
    // One extra second on each, because the clock is read in whole seconds.
    assert_eq!(
        &waits[..11],
        &[2, 3, 5, 9, 17, 33, 65, 129, 257, 513, 901][..]
    );
    assert!(waits[11..].iter().all(|w| *w == 901), "capped: {waits:?}");
}

#[tokio::test]
async fn missing_users_are_locked_out_the_same_way() {
    let db = with_root().await;
    db.insert_user("alice", ALICE_PASSWORD, false).await;
    let mut errors = Vec::new();
    for name in ["alice", "nobody"] {
        for _ in 0..5 {
            sign_in_alice(&db, name, "Wrong-pass1", T0)
                .await
                .unwrap_err();
        }
        errors.push(
            sign_in_alice(&db, name, "Wrong-pass1", T0)
                .await
                .unwrap_err(),
        );
    }
    assert_eq!(errors[0].user_message(), errors[1].user_message());
    assert_eq!(retry_after(&errors[0]), retry_after(&errors[1]));
    // Another name is not affected by either.
    db.insert_user("bob", "Bob-pass12", false).await;
    sign_in_alice(&db, "bob", "Bob-pass12", T0).await.unwrap();
}

#[tokio::test]
async fn root_is_locked_out_by_email() {
    let db = with_root().await;
    for _ in 0..5 {
        let e = db
            .iam
            .sign_in_root(ROOT_EMAIL, "Wrong-password1", None, &meta(), T0)
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidCredentials);
    }
    let e = db
        .iam
        .sign_in_root(" Root@Example.com", ROOT_PASSWORD, None, &meta(), T0)
        .await
        .unwrap_err();
    assert!(matches!(e, IamError::SignInLocked { .. }), "{e:?}");
}

#[tokio::test]
async fn parallel_guesses_are_all_counted() {
    let db = with_root().await;
    db.insert_user("alice", ALICE_PASSWORD, false).await;
    let attempts = (0..8).map(|_| sign_in_alice(&db, "alice", "Wrong-pass1", T0));
    let results = futures_join_all(attempts).await;
    let admitted = results
        .iter()
        .filter(|r| matches!(r, Err(IamError::InvalidCredentials)))
        .count();
    assert_eq!(
        admitted, 5,
        "only five reach the password check: {results:?}"
    );
}

/// `futures::future::join_all` without the dependency: runs the attempts concurrently on the
/// test's runtime.
async fn futures_join_all<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future,
{
    let mut pinned: Vec<_> = futures.map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = pinned.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (future, output) in pinned.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none() {
                match future.as_mut().poll(cx) {
                    std::task::Poll::Ready(value) => *output = Some(value),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    outputs.into_iter().map(Option::unwrap).collect()
}

#[tokio::test]
async fn each_address_gets_a_limited_number_of_sign_ins_per_minute() {
    let db = with_root().await;
    let iam = Iam::connect(&db.url)
        .await
        .unwrap()
        .with_sign_ins_per_minute(Some(3));
    let from = |ip: &str| RequestMeta::new(ip, "test-agent/1.0");
    let try_from = |ip: &'static str, now: UnixTime| {
        let iam = iam.clone();
        async move {
            iam.sign_in_root(
                "nobody@example.com",
                "Wrong-password1",
                None,
                &from(ip),
                now,
            )
            .await
            .unwrap_err()
        }
    };
    // The minute of T0 starts at T0 - T0 % 60.
    let minute = T0.as_secs() - T0.as_secs() % 60;
    let at = |offset: i64| UnixTime::from_secs(minute + offset);
    for _ in 0..3 {
        assert_eq!(
            try_from("198.51.100.1", at(10)).await.kind(),
            ErrorKind::InvalidCredentials
        );
    }
    let before = iam.hasher().verifications();
    for _ in 0..4 {
        let e = try_from("198.51.100.1", at(15)).await;
        assert!(
            matches!(
                e,
                IamError::TooManyRequests {
                    retry_after_secs: 45
                }
            ),
            "{e:?}"
        );
        assert!(e.user_message().contains("too many sign-in requests"));
    }
    assert_eq!(
        iam.hasher().verifications(),
        before,
        "refused before hashing"
    );
    // Another address is not affected, and the next minute starts afresh.
    assert_eq!(
        try_from("198.51.100.2", at(15)).await.kind(),
        ErrorKind::InvalidCredentials
    );
    assert_eq!(
        try_from("198.51.100.1", at(60)).await.kind(),
        ErrorKind::InvalidCredentials
    );
    // The flood is recorded once per minute, not once per request.
    assert_eq!(
        db.count(
            "SELECT COUNT(*) FROM events WHERE event_name = 'ConsoleLogin' \
             AND error_code = 'TooManyRequests' AND source_ip = '198.51.100.1'"
        )
        .await,
        1
    );
    // Calls without an address (the CLI, tests) are not limited. (Other emails: this one
    // has had its five failures.)
    for i in 0..5 {
        let e = iam
            .sign_in_root(
                &format!("nobody{i}@example.com"),
                "x",
                None,
                &RequestMeta::default(),
                at(20),
            )
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidCredentials);
    }
}

#[tokio::test]
async fn old_records_are_pruned() {
    let db = with_root().await;
    for _ in 0..6 {
        let _ = sign_in_alice(&db, "nobody", "Wrong-pass1", T0).await;
    }
    assert_eq!(db.count("SELECT COUNT(*) FROM sign_in_failures").await, 1);
    assert_eq!(db.count("SELECT COUNT(*) FROM sign_in_rate").await, 1);
    let next_day = UnixTime::from_secs(T0.as_secs() + 24 * 3600 + 1);
    let pruned = db.iam.prune_sign_in_records(next_day).await.unwrap();
    assert_eq!(pruned, 2);
    assert_eq!(db.count("SELECT COUNT(*) FROM sign_in_failures").await, 0);
}

#[tokio::test]
async fn each_attempt_costs_one_write_transaction_and_at_most_one_hash() {
    let db = with_root().await;
    db.insert_user("alice", ALICE_PASSWORD, false).await;
    assert!(!meta().source_ip.is_empty(), "the rate limit applies");
    let cost = |before: (u64, u64)| {
        (
            db.iam.store().write_transactions() - before.0,
            db.iam.hasher().verifications() - before.1,
        )
    };
    let now = || {
        (
            db.iam.store().write_transactions(),
            db.iam.hasher().verifications(),
        )
    };

    let before = now();
    sign_in_alice(&db, "alice", ALICE_PASSWORD, T0)
        .await
        .unwrap();
    assert_eq!(cost(before), (1, 1), "a session: one write, one hash");

    for _ in 0..5 {
        let before = now();
        let e = sign_in_alice(&db, "alice", "Wrong-pass1", T0).await;
        assert!(matches!(e, Err(IamError::InvalidCredentials)), "{e:?}");
        assert_eq!(cost(before), (1, 1), "a failure: one write, one hash");
    }
    let before = now();
    let e = sign_in_alice(&db, "alice", ALICE_PASSWORD, T0).await;
    assert!(matches!(e, Err(IamError::SignInLocked { .. })), "{e:?}");
    assert_eq!(cost(before), (1, 0), "a locked login: one write, no hash");
    // The request counts and the events of all seven are there.
    assert_eq!(db.count("SELECT attempts FROM sign_in_rate").await, 7);
    assert_eq!(
        db.count(
            "SELECT COUNT(*) FROM events WHERE event_name = 'ConsoleLogin' AND user_name = 'alice'"
        )
        .await,
        7
    );
}
