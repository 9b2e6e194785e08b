//! Policy document drafts: private to their session, bounded per session, gone after a day and
//! with their session.

use iam::{Iam, IamError};

use super::support::{T0, with_root};

const DOCUMENT: &str = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}}"#;

#[tokio::test]
async fn only_the_session_that_saved_a_draft_reads_it() {
    let db = with_root().await;
    // Two sessions of the same principal: the draft belongs to the session, not to the person.
    let mine = db.sign_in_root(T0).await.session;
    let theirs = db.sign_in_root(T0).await.session;
    let id = db.iam.save_policy_draft(&mine, DOCUMENT, T0).await.unwrap();
    assert_eq!(id.len(), 32, "{id}");
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");

    let read = db.iam.policy_draft(&mine, &id, T0.plus_secs(1)).await;
    assert_eq!(read.unwrap().as_deref(), Some(DOCUMENT));
    assert_eq!(db.iam.policy_draft(&theirs, &id, T0).await.unwrap(), None);
    // Unknown and malformed ids read as nothing, never as an error.
    let unknown = "0".repeat(32);
    assert_eq!(
        db.iam.policy_draft(&mine, &unknown, T0).await.unwrap(),
        None
    );
    for garbage in ["", "x", "' OR '1'='1", &id[..31], &format!("{id}0")] {
        assert_eq!(
            db.iam.policy_draft(&mine, garbage, T0).await.unwrap(),
            None,
            "{garbage:?}"
        );
    }
    let again = db.iam.save_policy_draft(&mine, DOCUMENT, T0).await.unwrap();
    assert_ne!(again, id, "every save gets a new id");
}

#[tokio::test]
async fn a_session_keeps_its_newest_drafts_and_others_keep_theirs() {
    let db = with_root().await;
    let mine = db.sign_in_root(T0).await.session;
    let theirs = db.sign_in_root(T0).await.session;
    let kept_elsewhere = db
        .iam
        .save_policy_draft(&theirs, "theirs", T0)
        .await
        .unwrap();
    let limit = Iam::MAX_POLICY_DRAFTS_PER_SESSION;
    let mut ids = Vec::new();
    for i in 0..limit + 5 {
        let now = T0.plus_secs(i64::from(i));
        ids.push(
            db.iam
                .save_policy_draft(&mine, &format!("draft {i}"), now)
                .await
                .unwrap(),
        );
    }
    let now = T0.plus_secs(60);
    for (i, id) in ids.iter().enumerate() {
        let read = db.iam.policy_draft(&mine, id, now).await.unwrap();
        let want = (i >= 5).then(|| format!("draft {i}"));
        assert_eq!(read, want, "draft {i}");
    }
    assert_eq!(
        db.count("SELECT COUNT(*) FROM policy_drafts").await,
        i64::from(limit) + 1
    );
    let read = db.iam.policy_draft(&theirs, &kept_elsewhere, now).await;
    assert_eq!(read.unwrap().as_deref(), Some("theirs"));
}

#[tokio::test]
async fn the_draft_just_saved_survives_the_limit_within_one_second() {
    let db = with_root().await;
    let mine = db.sign_in_root(T0).await.session;
    for i in 0..Iam::MAX_POLICY_DRAFTS_PER_SESSION * 2 {
        let document = format!("draft {i}");
        let id = db
            .iam
            .save_policy_draft(&mine, &document, T0)
            .await
            .unwrap();
        let read = db.iam.policy_draft(&mine, &id, T0).await.unwrap();
        assert_eq!(
            read,
            Some(document),
            "the redirect to the next step finds it"
        );
    }
    assert_eq!(
        db.count("SELECT COUNT(*) FROM policy_drafts").await,
        i64::from(Iam::MAX_POLICY_DRAFTS_PER_SESSION)
    );
}

#[tokio::test]
async fn drafts_expire_after_a_day_and_the_prune_deletes_them() {
    let db = with_root().await;
    let mine = db.sign_in_root(T0).await.session;
    let id = db.iam.save_policy_draft(&mine, DOCUMENT, T0).await.unwrap();
    let ttl = Iam::POLICY_DRAFT_TTL_SECS;

    let last_second = T0.plus_secs(ttl - 1);
    assert!(db.iam.prune_policy_drafts(last_second).await.unwrap() == 0);
    let read = db.iam.policy_draft(&mine, &id, last_second).await.unwrap();
    assert_eq!(read.as_deref(), Some(DOCUMENT));

    // Past the day the draft no longer reads, even before the hourly prune has run.
    let expired = T0.plus_secs(ttl);
    assert_eq!(
        db.iam.policy_draft(&mine, &id, expired).await.unwrap(),
        None
    );
    assert_eq!(db.iam.prune_policy_drafts(expired).await.unwrap(), 1);
    assert_eq!(db.count("SELECT COUNT(*) FROM policy_drafts").await, 0);

    // Saving sweeps everyone's expired drafts too, so the table stays bounded without the job.
    let other = db.sign_in_root(T0).await.session;
    db.iam
        .save_policy_draft(&other, DOCUMENT, T0)
        .await
        .unwrap();
    db.iam
        .save_policy_draft(&mine, DOCUMENT, expired)
        .await
        .unwrap();
    assert_eq!(db.count("SELECT COUNT(*) FROM policy_drafts").await, 1);
}

#[tokio::test]
async fn ending_the_session_deletes_its_drafts() {
    let db = with_root().await;
    let signed_in = db.sign_in_root(T0).await;
    let other = db.sign_in_root(T0).await.session;
    db.iam
        .save_policy_draft(&signed_in.session, DOCUMENT, T0)
        .await
        .unwrap();
    db.iam
        .save_policy_draft(&other, DOCUMENT, T0)
        .await
        .unwrap();
    db.iam.sign_out(signed_in.token.as_str()).await.unwrap();
    assert_eq!(db.count("SELECT COUNT(*) FROM policy_drafts").await, 1);
}

#[tokio::test]
async fn a_draft_holds_up_to_the_request_limit_and_the_step_learns_the_policy_limit() {
    let db = with_root().await;
    let mine = db.sign_in_root(T0).await.session;
    // A legal policy padded with whitespace to the request limit: kept byte for byte, although
    // it is too large to save as a policy.
    let padded = format!(
        "{DOCUMENT}{}",
        " \n".repeat((Iam::MAX_POLICY_DRAFT_BYTES - DOCUMENT.len()) / 2)
    );
    assert!(padded.len() > Iam::MAX_POLICY_DRAFT_BYTES - 2);
    let id = db.iam.save_policy_draft(&mine, &padded, T0).await.unwrap();
    let read = db.iam.policy_draft(&mine, &id, T0).await.unwrap();
    assert!(
        read.as_deref() == Some(padded.as_str()),
        "kept byte for byte"
    );
    let refused = db.iam.check_managed_policy_document(&padded).unwrap_err();
    assert_eq!(refused.field(), Some("document"));
    assert!(
        refused
            .user_message()
            .contains("bytes long with its whitespace"),
        "{}",
        refused.user_message()
    );
    db.iam.check_managed_policy_document(DOCUMENT).unwrap();

    let too_large = "x".repeat(Iam::MAX_POLICY_DRAFT_BYTES + 1);
    let err = db
        .iam
        .save_policy_draft(&mine, &too_large, T0)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, IamError::Validation { field: "document", message } if message.contains("1 MiB")),
        "{err:?}"
    );
    let err = db
        .iam
        .save_policy_draft(&mine, "{\"Version\": \"\0\"}", T0)
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("document"));
    assert_eq!(db.count("SELECT COUNT(*) FROM policy_drafts").await, 1);
}
