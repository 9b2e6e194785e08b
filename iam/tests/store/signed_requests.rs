//! Access-key secrets sealed under the master key, and SigV4 authentication with them.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use iam::sigv4::{self, Credential, SigV4Error, SignedRequest};
use iam::{AccessKeyStatus, Action, ErrorKind, Iam, IamError, MasterKey, Principal, UnixTime};
use sha2::{Digest, Sha256};

use super::enforcement::user;
use super::support::{T0, TestDb, meta, with_root};

/// 2027-01-15T08:00:00Z, in the key's day.
const NOW: UnixTime = UnixTime::from_secs(1_800_000_000);
const AMZ_DATE: &str = "20270115T080000Z";
const BODY: &[u8] = b"Action=ListUsers&Version=2010-05-08";

async fn new_key(db: &TestDb, who: &Principal) -> iam::NewAccessKey {
    let auth = db.auth(Action::CreateAccessKey, &who.arn()).await;
    db.iam.create_access_key(&auth, &meta(), T0).await.unwrap()
}

/// `POST /` to IAM, signed by `key_id` with `secret` as the AWS CLI would.
fn signed(key_id: &str, secret: &str, region: &str) -> Vec<(String, String)> {
    let mut headers = vec![
        ("Host".to_owned(), "iam.example.com".to_owned()),
        ("X-Amz-Date".to_owned(), AMZ_DATE.to_owned()),
        (
            "Content-Type".to_owned(),
            "application/x-www-form-urlencoded".to_owned(),
        ),
    ];
    let credential = Credential {
        access_key_id: key_id.to_owned(),
        date: AMZ_DATE[..8].to_owned(),
        region: region.to_owned(),
        service: "iam".to_owned(),
    };
    let key = sigv4::signing_key(secret, &credential.date, region, "iam");
    let header = with_request(&headers, |r| {
        sigv4::authorization_header(r, &credential, &["host", "x-amz-date"], &key)
    })
    .unwrap();
    headers.push(("Authorization".to_owned(), header));
    headers
}

fn with_request<R>(headers: &[(String, String)], f: impl FnOnce(&SignedRequest) -> R) -> R {
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    f(&SignedRequest {
        method: "POST",
        path: "/",
        query: "",
        headers: &headers,
        body: BODY,
    })
}

async fn authenticate(iam: &Iam, headers: &[(String, String)]) -> Result<Principal, IamError> {
    let request: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let request = SignedRequest {
        method: "POST",
        path: "/",
        query: "",
        headers: &request,
        body: BODY,
    };
    iam.authenticate_sigv4(&request, NOW)
        .await
        .map(|h| h.principal)
}

fn sigv4_error(result: Result<Principal, IamError>) -> SigV4Error {
    match result {
        Err(IamError::Signature(e)) => e,
        other => panic!("expected a SigV4 refusal, got {other:?}"),
    }
}

async fn sealed_of(db: &TestDb, key_id: &str) -> Option<String> {
    let pool = db.raw().await;
    let (sealed,): (Option<String>,) =
        sqlx::query_as("SELECT secret_sealed FROM access_keys WHERE id = $1")
            .bind(key_id)
            .fetch_one(&pool)
            .await
            .unwrap();
    pool.close().await;
    sealed
}

#[tokio::test]
async fn a_new_key_is_sealed_under_the_master_key_bound_to_its_id() {
    let db = with_root().await;
    let (master, text) = MasterKey::generate_hex().unwrap();
    let iam = db.iam.clone().with_master_key(master);
    let svc = user(&db, "svc", &[], &[]).await;
    let auth = db.auth(Action::CreateAccessKey, &svc.arn()).await;
    let key = iam.create_access_key(&auth, &meta(), T0).await.unwrap();
    let secret = key.secret.expose();
    let sealed = hex::decode(sealed_of(&db, &key.access_key_id).await.unwrap()).unwrap();
    assert!(!sealed.windows(8).any(|w| w == &secret.as_bytes()[..8]));
    assert!(!hex::encode(&sealed).contains(secret));

    let raw = hex::decode(text.trim()).unwrap();
    let cipher = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&raw));
    let (nonce, ciphertext) = sealed.split_at(12);
    let open = |aad: &str| {
        cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: aad.as_bytes(),
                },
            )
            .ok()
    };
    let context = format!("access-key:{}", key.access_key_id);
    assert_eq!(open(&context).unwrap(), secret.as_bytes());
    assert!(open("access-key:AKIAOTHERKEY00000000").is_none());
    // The hash for `Bearer` is still there.
    let hash = hex::encode(Sha256::digest(secret.as_bytes()));
    let with_hash = db
        .count(&format!(
            "SELECT COUNT(*) FROM access_keys WHERE secret_hash = '{hash}'"
        ))
        .await;
    assert_eq!(with_hash, 1);
}

#[tokio::test]
async fn a_signed_request_authenticates_and_the_signing_key_is_derived_once() {
    let db = with_root().await;
    let svc = user(&db, "svc", &[], &[]).await;
    let key = new_key(&db, &svc).await;
    let request = signed(&key.access_key_id, key.secret.expose(), "us-east-1");
    assert_eq!(authenticate(&db.iam, &request).await.unwrap(), svc);
    assert_eq!(db.iam.cached_signing_keys(), 1);
    assert_eq!(authenticate(&db.iam, &request).await.unwrap(), svc);
    assert_eq!(db.iam.cached_signing_keys(), 1, "derived once per scope");
    let other_region = signed(&key.access_key_id, key.secret.expose(), "eu-west-1");
    assert_eq!(authenticate(&db.iam, &other_region).await.unwrap(), svc);
    assert_eq!(db.iam.cached_signing_keys(), 2);
    let last_used = db
        .count(&format!(
            "SELECT COUNT(*) FROM access_keys WHERE id = '{}' AND last_used_at = {}",
            key.access_key_id,
            NOW.as_secs()
        ))
        .await;
    assert_eq!(last_used, 1);
    // A clone shares the cache; a later time outside the 15 minutes is refused.
    let late = {
        let headers: Vec<(&str, &str)> = request
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let r = SignedRequest {
            method: "POST",
            path: "/",
            query: "",
            headers: &headers,
            body: BODY,
        };
        db.iam
            .clone()
            .authenticate_sigv4(&r, NOW.plus_secs(16 * 60))
            .await
    };
    assert!(matches!(
        late,
        Err(IamError::Signature(SigV4Error::SignatureDoesNotMatch(_)))
    ));
}

#[tokio::test]
async fn wrong_secrets_unknown_keys_and_missing_headers_are_refused_with_aws_codes() {
    let db = with_root().await;
    let svc = user(&db, "svc", &[], &[]).await;
    let key = new_key(&db, &svc).await;

    let wrong = signed(&key.access_key_id, &"0".repeat(40), "us-east-1");
    let e = sigv4_error(authenticate(&db.iam, &wrong).await);
    assert_eq!(e.code(), "SignatureDoesNotMatch");
    assert_eq!(
        db.iam.cached_signing_keys(),
        0,
        "a failed check caches nothing"
    );

    let unknown = signed("AKIAAAAAAAAAAAAAAAAA", key.secret.expose(), "us-east-1");
    let e = authenticate(&db.iam, &unknown).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidCredentials);
    assert_eq!(
        e.user_message(),
        "The security token included in the request is invalid."
    );
    assert_eq!(sigv4_error(Err(e)), SigV4Error::InvalidClientTokenId);

    let mut unsigned = signed(&key.access_key_id, key.secret.expose(), "us-east-1");
    unsigned.retain(|(n, _)| n != "Authorization");
    assert_eq!(
        sigv4_error(authenticate(&db.iam, &unsigned).await),
        SigV4Error::MissingAuthenticationToken
    );
    // No secret in the error text, the events or the key row's clear columns.
    let secret = key.secret.expose();
    assert!(!format!("{:?}", authenticate(&db.iam, &wrong).await).contains(secret));
    let logged = db
        .count(&format!(
            "SELECT COUNT(*) FROM events WHERE request_parameters LIKE '%{secret}%' \
             OR response_elements LIKE '%{secret}%'"
        ))
        .await;
    assert_eq!(logged, 0);
}

#[tokio::test]
async fn a_deactivated_or_deleted_key_is_refused_right_after_it_worked() {
    let db = with_root().await;
    let svc = user(&db, "svc", &[], &[]).await;
    let key = new_key(&db, &svc).await;
    let request = signed(&key.access_key_id, key.secret.expose(), "us-east-1");
    assert_eq!(authenticate(&db.iam, &request).await.unwrap(), svc);

    let update = db.auth(Action::UpdateAccessKey, &svc.arn()).await;
    let set = |status| {
        let iam = db.iam.clone();
        let update = &update;
        let id = key.access_key_id.clone();
        async move {
            iam.update_access_key(update, &id, status, &meta(), T0)
                .await
                .unwrap();
        }
    };
    set(AccessKeyStatus::Inactive).await;
    assert_eq!(
        sigv4_error(authenticate(&db.iam, &request).await),
        SigV4Error::InvalidClientTokenId
    );
    set(AccessKeyStatus::Active).await;
    assert_eq!(authenticate(&db.iam, &request).await.unwrap(), svc);

    let delete = db.auth(Action::DeleteAccessKey, &svc.arn()).await;
    db.iam
        .delete_access_key(&delete, &key.access_key_id, &meta(), T0)
        .await
        .unwrap();
    assert_eq!(
        sigv4_error(authenticate(&db.iam, &request).await),
        SigV4Error::InvalidClientTokenId
    );
}

#[tokio::test]
async fn a_legacy_key_without_a_sealed_secret_works_with_bearer_only() {
    let db = with_root().await;
    let svc = user(&db, "svc", &[], &[]).await;
    let Principal::User { user_id, .. } = &svc else {
        unreachable!()
    };
    let account = db.iam.account().await.unwrap();
    let (key_id, secret) = ("AKIALEGACY0000000000", "a".repeat(40));
    let pool = db.raw().await;
    sqlx::query(
        "INSERT INTO access_keys (id, account_id, user_id, secret_hash, status, created_at) \
         VALUES ($1, $2, $3, $4, 'Active', $5)",
    )
    .bind(key_id)
    .bind(account.id.as_str())
    .bind(user_id)
    .bind(hex::encode(Sha256::digest(secret.as_bytes())))
    .bind(T0.as_secs())
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;
    assert_eq!(sealed_of(&db, key_id).await, None);

    let request = signed(key_id, &secret, "us-east-1");
    assert_eq!(
        sigv4_error(authenticate(&db.iam, &request).await),
        SigV4Error::InvalidClientTokenId
    );
    let holder = db
        .iam
        .authenticate_access_key(key_id, &secret, NOW)
        .await
        .unwrap();
    assert_eq!(holder.principal, svc);
}

#[tokio::test]
async fn a_server_with_another_master_key_cannot_open_the_secret() {
    let db = with_root().await;
    let svc = user(&db, "svc", &[], &[]).await;
    let key = new_key(&db, &svc).await;
    let request = signed(&key.access_key_id, key.secret.expose(), "us-east-1");
    let other = Iam::connect(&db.url)
        .await
        .unwrap()
        .with_master_key(MasterKey::generate().unwrap());
    assert_eq!(
        sigv4_error(authenticate(&other, &request).await),
        SigV4Error::InvalidClientTokenId
    );
    // Bearer does not need the master key.
    let holder = other
        .authenticate_access_key(&key.access_key_id, key.secret.expose(), NOW)
        .await
        .unwrap();
    assert_eq!(holder.principal, svc);
}
