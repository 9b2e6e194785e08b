//! Issue 5: the first sign-in with a password to change, changing one's own
//! password (policy, reuse history, other sessions), expiry, and an
//! administrator's console access controls.

use iam::{
    Action, ErrorKind, IamError, NewUserSpec, PasswordChoice, PasswordPolicy,
    PasswordRuleViolation, Session, SessionState, SignedIn, UnixTime,
};

use super::support::{T0, TestDb, meta, with_root};
use super::users::{MARY, console_user, create_users};

const DAY: i64 = 86_400;

fn rules(e: &IamError) -> Vec<&'static str> {
    match e {
        IamError::PasswordRules { violations } => {
            violations.iter().map(PasswordRuleViolation::rule).collect()
        }
        other => panic!("expected broken password rules, got {other:?}"),
    }
}

/// Creates a user with a custom console password.
async fn user_with(db: &TestDb, name: &str, password: &str, reset: bool) {
    create_users(
        db,
        vec![NewUserSpec {
            console_password: Some(PasswordChoice::Custom(password.to_owned())),
            password_reset_required: reset,
            ..NewUserSpec::named(name)
        }],
    )
    .await
    .unwrap();
}

async fn sign_in(
    db: &TestDb,
    name: &str,
    password: &str,
    now: UnixTime,
) -> Result<SignedIn, IamError> {
    let account = db.iam.account().await.unwrap();
    db.iam
        .sign_in_user(account.id.as_str(), name, password, None, &meta(), now)
        .await
}

async fn change(db: &TestDb, session: &Session, old: &str, new: &str) -> Result<Session, IamError> {
    let signed_in = db
        .iam
        .change_password(session, old, new, &meta(), T0)
        .await?;
    Ok(signed_in.session)
}

async fn set_policy(db: &TestDb, policy: PasswordPolicy) {
    let auth = db.auth(Action::UpdateAccountPasswordPolicy, "*").await;
    db.iam
        .update_account_password_policy(&auth, policy, &meta(), T0)
        .await
        .unwrap();
}

#[tokio::test]
async fn first_sign_in_forces_a_new_password_then_the_console() {
    let db = with_root().await;
    let created = create_users(&db, vec![console_user(MARY)]).await.unwrap();
    let first = created[0].password.as_ref().unwrap().expose().to_owned();

    // Two sign-ins: the change ends the other one.
    let other = sign_in(&db, MARY, &first, T0).await.unwrap();
    let signed_in = sign_in(&db, MARY, &first, T0).await.unwrap();
    let session = signed_in.session;
    assert_eq!(session.state, SessionState::PasswordChangeRequired);

    let e = change(&db, &session, "wrong-Current1", "Brand-new-pass9")
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.field()),
        (ErrorKind::Validation, Some("old_password"))
    );
    let e = change(&db, &session, &first, "Ab1!").await.unwrap_err();
    assert_eq!(rules(&e), ["min_length"]);
    assert!(
        e.user_message().contains("use at least 8 characters"),
        "{}",
        e.user_message()
    );
    let e = change(&db, &session, &first, &first).await.unwrap_err();
    assert_eq!(rules(&e), ["not_reused"]);
    let e = change(&db, &session, &first, "Password1")
        .await
        .unwrap_err();
    assert_eq!(rules(&e), ["not_common"]);

    let changed = db
        .iam
        .change_password(&session, &first, "Brand-new-pass9", &meta(), T0)
        .await
        .unwrap();
    assert_eq!(changed.session.state, SessionState::Active);
    // The session id is rotated: the one from before the change no longer signs anything in.
    assert_ne!(changed.session.id_hash, session.id_hash);
    assert!(
        db.iam
            .authenticate(signed_in.token.as_str(), T0)
            .await
            .unwrap()
            .is_none(),
        "the session id from before the change ended"
    );
    let kept = db
        .iam
        .authenticate(changed.token.as_str(), T0)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kept.state, SessionState::Active, "stored too");
    assert_eq!(kept.principal, session.principal);
    assert!(
        db.iam
            .authenticate(other.token.as_str(), T0)
            .await
            .unwrap()
            .is_none(),
        "the other session ended"
    );
    assert_eq!(
        db.count("SELECT COUNT(*) FROM users WHERE password_change_required = 0 AND password_changed_at IS NOT NULL").await,
        1
    );

    // Now the new password signs in straight to the console; the old one fails.
    let again = sign_in(&db, MARY, "Brand-new-pass9", T0.plus_secs(60))
        .await
        .unwrap();
    assert_eq!(again.session.state, SessionState::Active);
    let e = sign_in(&db, MARY, &first, T0).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidCredentials);

    let names = db.event_names().await;
    assert_eq!(names.last().map(String::as_str), Some("ChangePassword"));
    let leaks = db
        .count(
            "SELECT COUNT(*) FROM events WHERE COALESCE(request_parameters, '') LIKE '%Brand-new%'",
        )
        .await;
    assert_eq!(leaks, 0);
}

#[tokio::test]
async fn reuse_prevention_checks_the_last_passwords() {
    let db = with_root().await;
    set_policy(
        &db,
        PasswordPolicy {
            password_reuse_prevention: Some(3),
            ..PasswordPolicy::default()
        },
    )
    .await;
    user_with(&db, "alice", "First-pass-111", false).await;
    let mut session = sign_in(&db, "alice", "First-pass-111", T0)
        .await
        .unwrap()
        .session;
    let chain = ["First-pass-111", "Second-pass-222", "Third-pass-333"];
    for pair in chain.windows(2) {
        session = change(&db, &session, pair[0], pair[1]).await.unwrap();
    }
    // The last 3: Third (current), Second, First.
    let e = change(&db, &session, "Third-pass-333", "First-pass-111")
        .await
        .unwrap_err();
    assert_eq!(rules(&e), ["not_reused"]);
    assert!(
        e.user_message().contains("last 3 passwords"),
        "{}",
        e.user_message()
    );
    session = change(&db, &session, "Third-pass-333", "Fourth-pass-444")
        .await
        .unwrap();
    // Now First is 4 back: allowed again.
    change(&db, &session, "Fourth-pass-444", "First-pass-111")
        .await
        .unwrap();
    assert_eq!(db.count("SELECT COUNT(*) FROM password_history").await, 4);
}

#[tokio::test]
async fn users_may_change_their_password_only_when_the_policy_allows() {
    let db = with_root().await;
    set_policy(
        &db,
        PasswordPolicy {
            allow_users_to_change_password: false,
            ..PasswordPolicy::default()
        },
    )
    .await;
    user_with(&db, "alice", "Alice-pass-111", false).await;
    user_with(&db, "bob", "Bobby-pass-111", true).await;
    let alice = sign_in(&db, "alice", "Alice-pass-111", T0)
        .await
        .unwrap()
        .session;
    let e = change(&db, &alice, "Alice-pass-111", "Alice-pass-222")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::AccessDenied);
    assert!(e.user_message().contains("iam:ChangePassword"));
    // A required change is always allowed.
    let bob = sign_in(&db, "bob", "Bobby-pass-111", T0)
        .await
        .unwrap()
        .session;
    change(&db, &bob, "Bobby-pass-111", "Bobby-pass-222")
        .await
        .unwrap();
    // Root changes its password elsewhere.
    let root = db.sign_in_root(T0).await.session;
    let e = change(&db, &root, "x", "y").await.unwrap_err();
    assert_eq!(e.field(), Some("session"));
}

#[tokio::test]
async fn expired_passwords_must_be_changed_or_reset() {
    let db = with_root().await;
    set_policy(
        &db,
        PasswordPolicy {
            max_password_age: Some(30),
            ..PasswordPolicy::default()
        },
    )
    .await;
    user_with(&db, "alice", "Alice-pass-111", false).await;
    let fresh = sign_in(&db, "alice", "Alice-pass-111", T0.plus_secs(29 * DAY))
        .await
        .unwrap();
    assert_eq!(fresh.session.state, SessionState::Active);
    let expired = sign_in(&db, "alice", "Alice-pass-111", T0.plus_secs(30 * DAY))
        .await
        .unwrap();
    assert_eq!(expired.session.state, SessionState::PasswordChangeRequired);

    // Hard expiry: refused after the right password; an admin reset fixes it.
    set_policy(
        &db,
        PasswordPolicy {
            max_password_age: Some(30),
            hard_expiry: true,
            ..PasswordPolicy::default()
        },
    )
    .await;
    let later = T0.plus_secs(31 * DAY);
    let e = sign_in(&db, "alice", "Alice-pass-111", later)
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.field()),
        (ErrorKind::Validation, Some("password"))
    );
    assert!(e.user_message().contains("administrator"));
    let e = sign_in(&db, "alice", "Wrong-pass-111", later)
        .await
        .unwrap_err();
    assert_eq!(
        e.kind(),
        ErrorKind::InvalidCredentials,
        "a wrong password learns nothing"
    );
    assert_eq!(
        db.count("SELECT COUNT(*) FROM events WHERE event_name = 'ConsoleLogin' AND error_code = 'PasswordExpired'").await,
        1
    );
    let arn = db.iam.user_arn("alice").await.unwrap();
    let auth = db.auth(Action::UpdateLoginProfile, &arn).await;
    db.iam
        .update_login_profile(
            &auth,
            Some(PasswordChoice::Custom("Reset-pass-222".to_owned())),
            Some(true),
            &meta(),
            later,
        )
        .await
        .unwrap();
    let signed_in = sign_in(&db, "alice", "Reset-pass-222", later)
        .await
        .unwrap();
    assert_eq!(
        signed_in.session.state,
        SessionState::PasswordChangeRequired
    );
}

#[tokio::test]
async fn administrators_enable_reset_and_disable_console_access() {
    let db = with_root().await;
    create_users(&db, vec![NewUserSpec::named("alice")])
        .await
        .unwrap();
    let arn = db.iam.user_arn("alice").await.unwrap();
    let get = db.auth(Action::GetLoginProfile, &arn).await;
    let e = db.iam.get_login_profile(&get).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert!(
        e.user_message().starts_with("login profile `alice`"),
        "{}",
        e.user_message()
    );

    // Enable, with an autogenerated password returned once.
    let create = db.auth(Action::CreateLoginProfile, &arn).await;
    let generated = db
        .iam
        .create_login_profile(&create, PasswordChoice::Autogenerated, false, &meta(), T0)
        .await
        .unwrap()
        .unwrap();
    let e = db
        .iam
        .create_login_profile(&create, PasswordChoice::Autogenerated, false, &meta(), T0)
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.field()),
        (ErrorKind::Conflict, Some("password"))
    );
    let profile = db.iam.get_login_profile(&get).await.unwrap();
    assert_eq!(profile.user_name, "alice");
    assert!(!profile.password_reset_required);
    let session = sign_in(&db, "alice", generated.expose(), T0).await.unwrap();
    assert_eq!(session.session.state, SessionState::Active);

    // Reset: a custom password breaking the rules is refused; a good one ends sessions.
    let update = db.auth(Action::UpdateLoginProfile, &arn).await;
    let e = db
        .iam
        .update_login_profile(
            &update,
            Some(PasswordChoice::Custom("alice".to_owned())),
            None,
            &meta(),
            T0,
        )
        .await
        .unwrap_err();
    assert!(rules(&e).contains(&"not_identity"));
    let reset = db
        .iam
        .update_login_profile(
            &update,
            Some(PasswordChoice::Autogenerated),
            Some(true),
            &meta(),
            T0,
        )
        .await
        .unwrap()
        .unwrap();
    assert!(
        db.iam
            .authenticate(session.token.as_str(), T0)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        db.iam
            .get_login_profile(&get)
            .await
            .unwrap()
            .password_reset_required
    );
    assert_eq!(
        sign_in(&db, "alice", generated.expose(), T0)
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidCredentials
    );
    let session = sign_in(&db, "alice", reset.expose(), T0).await.unwrap();
    assert_eq!(session.session.state, SessionState::PasswordChangeRequired);

    // Disable: sessions end, sign-in fails, the list says so.
    let delete = db.auth(Action::DeleteLoginProfile, &arn).await;
    db.iam
        .delete_login_profile(&delete, &meta(), T0)
        .await
        .unwrap();
    assert!(
        db.iam
            .authenticate(session.token.as_str(), T0)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        sign_in(&db, "alice", reset.expose(), T0)
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidCredentials
    );
    let e = db
        .iam
        .delete_login_profile(&delete, &meta(), T0)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    let list = db.auth(Action::ListUsers, "*").await;
    let page = db
        .iam
        .list_users(
            &list,
            &iam::UserFilter {
                path_prefix: None,
                query: "alice".to_owned(),
                offset: 0,
                limit: 10,
            },
        )
        .await
        .unwrap();
    assert!(!page.items[0].console_access);
    assert_eq!(page.items[0].password_changed_at, None);

    let names = db.event_names().await;
    let tail: Vec<&str> = names
        .iter()
        .rev()
        .take(4)
        .rev()
        .map(String::as_str)
        .collect();
    assert_eq!(
        tail,
        [
            "CreateUser",
            "CreateLoginProfile",
            "UpdateLoginProfile",
            "DeleteLoginProfile"
        ]
    );
}
