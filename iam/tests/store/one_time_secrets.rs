//! One-time secrets: sealed in the shared database, taken once by their own session and kind,
//! gone after their TTL or with their session, and never stored in the clear.

use iam::{Iam, MasterKey, MasterKeyCheck, OneTimeKind};

use super::support::{T0, with_root};

const SECRET: &[u8] = b"{\"password\":\"Tr0ub4dor&3-unique\"}";

#[tokio::test]
async fn a_secret_is_taken_once_by_its_session_and_kind() {
    let db = with_root().await;
    let mine = db.sign_in_root(T0).await;
    let theirs = db.sign_in_root(T0).await;
    let id = db
        .iam
        .keep_one_time_secret(&mine.session, OneTimeKind::Passwords, SECRET, T0)
        .await
        .unwrap();
    assert_eq!(id.len(), 32, "{id}");
    assert_eq!(
        db.count("SELECT COUNT(*) FROM one_time_secrets WHERE sealed LIKE '%5472306275%'")
            .await,
        0,
        "the plaintext (hex of `Tr0ub`) is not stored"
    );

    let take = |session, kind, id: String| {
        let iam = db.iam.clone();
        async move {
            iam.take_one_time_secret(session, kind, &id, T0.plus_secs(5))
                .await
                .unwrap()
                .map(|s| s.to_vec())
        }
    };
    // Another session, or the same session asking for another kind, gets nothing and leaves it.
    assert_eq!(
        take(&theirs.session, OneTimeKind::Passwords, id.clone()).await,
        None
    );
    assert_eq!(
        take(&mine.session, OneTimeKind::AccessKey, id.clone()).await,
        None
    );
    assert_eq!(
        take(&mine.session, OneTimeKind::Passwords, id.clone()).await,
        Some(SECRET.to_vec())
    );
    assert_eq!(
        take(&mine.session, OneTimeKind::Passwords, id.clone()).await,
        None
    );
    assert_eq!(db.count("SELECT COUNT(*) FROM one_time_secrets").await, 0);
    for garbage in ["", "x", "' OR '1'='1", &id[..31]] {
        assert_eq!(
            take(&mine.session, OneTimeKind::Passwords, garbage.to_owned()).await,
            None
        );
    }
}

#[tokio::test]
async fn a_secret_expires_and_is_pruned() {
    let db = with_root().await;
    let mine = db.sign_in_root(T0).await;
    let ttl = Iam::ONE_TIME_SECRET_TTL_SECS;
    let late = db
        .iam
        .keep_one_time_secret(&mine.session, OneTimeKind::AccessKey, SECRET, T0)
        .await
        .unwrap();
    let taken = db
        .iam
        .take_one_time_secret(
            &mine.session,
            OneTimeKind::AccessKey,
            &late,
            T0.plus_secs(ttl),
        )
        .await
        .unwrap();
    assert!(taken.is_none(), "taken at the end of its TTL");

    db.iam
        .keep_one_time_secret(&mine.session, OneTimeKind::AccessKey, SECRET, T0)
        .await
        .unwrap();
    db.iam
        .keep_one_time_secret(
            &mine.session,
            OneTimeKind::AccessKey,
            SECRET,
            T0.plus_secs(60),
        )
        .await
        .unwrap();
    assert_eq!(
        db.iam
            .prune_one_time_secrets(T0.plus_secs(ttl))
            .await
            .unwrap(),
        1
    );
    assert_eq!(db.count("SELECT COUNT(*) FROM one_time_secrets").await, 1);
}

#[tokio::test]
async fn a_secret_goes_with_its_session() {
    let db = with_root().await;
    let mine = db.sign_in_root(T0).await;
    db.iam
        .keep_one_time_secret(&mine.session, OneTimeKind::Passwords, SECRET, T0)
        .await
        .unwrap();
    db.iam.sign_out(mine.token.as_str()).await.unwrap();
    assert_eq!(db.count("SELECT COUNT(*) FROM one_time_secrets").await, 0);
}

#[tokio::test]
async fn another_instance_with_the_same_key_takes_it_and_one_with_another_key_cannot_start() {
    let db = with_root().await;
    let (key, text) = MasterKey::generate_hex().unwrap();
    let first = db.iam.clone().with_master_key(key);
    assert_eq!(
        first.check_master_key(T0).await.unwrap(),
        MasterKeyCheck::Stored
    );
    let second = Iam::connect(&db.url)
        .await
        .unwrap()
        .with_master_key(MasterKey::from_hex(&text).unwrap());
    assert_eq!(
        second.check_master_key(T0).await.unwrap(),
        MasterKeyCheck::Matches
    );

    let mine = db.sign_in_root(T0).await;
    let id = first
        .keep_one_time_secret(&mine.session, OneTimeKind::Passwords, SECRET, T0)
        .await
        .unwrap();
    let taken = second
        .take_one_time_secret(&mine.session, OneTimeKind::Passwords, &id, T0)
        .await
        .unwrap();
    assert_eq!(taken.as_deref().map(Vec::as_slice), Some(SECRET));

    let stranger = Iam::connect(&db.url)
        .await
        .unwrap()
        .with_master_key(MasterKey::generate().unwrap());
    assert_eq!(
        stranger.check_master_key(T0).await.unwrap(),
        MasterKeyCheck::Mismatch
    );
}
