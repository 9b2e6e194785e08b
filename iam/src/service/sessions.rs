//! Opening, checking and ending console sessions.

use serde_json::json;

use super::Iam;
use crate::account::AccountId;
use crate::clock::UnixTime;
use crate::error::IamError;
use crate::event::{EventName, NewEvent, RequestMeta};
use crate::principal::Principal;
use crate::secret::{SessionToken, TokenHash};
use crate::session::{self, LAST_SEEN_RESOLUTION_SECS, Session, SessionState, SignedIn};
use crate::store::events::insert_event;
use crate::store::sessions::{NewSession, delete_expired_sessions, insert_session};
use crate::store::{SessionRow, WriteTx};

/// Opens a session for `principal` inside `tx` and records the successful
/// `ConsoleLogin`. Also sweeps expired sessions.
pub(crate) async fn open_session(
    tx: &mut WriteTx,
    principal: &Principal,
    user_id: Option<&str>,
    state: SessionState,
    meta: &RequestMeta,
    now: UnixTime,
) -> Result<SignedIn, IamError> {
    delete_expired_sessions(tx, now).await?;
    let token = SessionToken::generate()?;
    let hash = token.hash();
    insert_session(
        tx,
        &NewSession {
            hash: &hash,
            account_id: principal.account_id(),
            user_id,
            state,
            meta,
            now,
        },
    )
    .await?;
    let event = NewEvent::new(EventName::ConsoleLogin, principal.account_id(), meta, now)
        .by(principal)
        .response(json!({ "ConsoleLogin": "Success" }));
    insert_event(tx, &event).await?;
    Ok(SignedIn {
        token,
        session: Session {
            id_hash: hash.as_str().to_owned(),
            principal: principal.clone(),
            state,
            created_at: now,
            last_seen_at: now,
        },
    })
}

impl Iam {
    /// The live session for the cookie value `token`, or `None` when there is
    /// none or it has expired (an expired row is deleted). Refreshes the idle
    /// timer, writing at most once a minute.
    pub async fn authenticate(
        &self,
        token: &str,
        now: UnixTime,
    ) -> Result<Option<Session>, IamError> {
        let Some(hash) = SessionToken::hash_of_presented(token) else {
            return Ok(None);
        };
        let Some(row) = self.store().find_session(&hash).await? else {
            return Ok(None);
        };
        let created_at = UnixTime::from_secs(row.created_at);
        let last_seen_at = UnixTime::from_secs(row.last_seen_at);
        if session::is_expired(created_at, last_seen_at, now) {
            self.store().end_session(&hash).await?;
            return Ok(None);
        }
        let Some((principal, state)) = principal_of(&row)? else {
            // The root or user row behind the session is gone.
            self.store().end_session(&hash).await?;
            return Ok(None);
        };
        let last_seen_at = if now.secs_since(last_seen_at) >= LAST_SEEN_RESOLUTION_SECS {
            self.store().touch_session(&hash, now).await?;
            now
        } else {
            last_seen_at
        };
        Ok(Some(Session {
            id_hash: row.id_hash,
            principal,
            state,
            created_at,
            last_seen_at,
        }))
    }

    /// Ends the session for the cookie value `token`. Ending a session that
    /// does not exist is not an error.
    pub async fn sign_out(&self, token: &str) -> Result<(), IamError> {
        match SessionToken::hash_of_presented(token) {
            Some(hash) => self.store().end_session(&hash).await,
            None => Ok(()),
        }
    }
}

/// The hash of a presented previous session token, for rotation on sign-in.
pub(crate) fn previous_hash(previous: Option<&str>) -> Option<TokenHash> {
    previous.and_then(SessionToken::hash_of_presented)
}

fn principal_of(row: &SessionRow) -> Result<Option<(Principal, SessionState)>, IamError> {
    let account_id = AccountId::parse(&row.account_id).ok_or_else(|| {
        IamError::bug(format!(
            "the session account id `{}` is not 12 digits",
            row.account_id
        ))
    })?;
    let state = SessionState::parse(&row.state)
        .ok_or_else(|| IamError::bug(format!("unknown session state `{}`", row.state)))?;
    let principal = match (row.principal_type.as_str(), &row.root_email, &row.user_id) {
        ("root", Some(email), _) => Some(Principal::Root {
            account_id,
            email: email.clone(),
        }),
        ("user", _, Some(user_id)) => match (&row.user_name, &row.user_path) {
            (Some(name), Some(path)) => Some(Principal::User {
                account_id,
                user_id: user_id.clone(),
                name: name.clone(),
                path: path.clone(),
            }),
            _ => None,
        },
        _ => None,
    };
    Ok(principal.map(|p| (p, state)))
}
