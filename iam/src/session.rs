//! Console sessions: server-side rows keyed by the hash of a random token.
//!
//! A session lasts at most 12 hours from sign-in and ends after 1 hour
//! without a request. `last_seen_at` is written at most once a minute, so the
//! idle timeout is exact to within that minute.

use serde::{Deserialize, Serialize};

use crate::clock::UnixTime;
use crate::principal::Principal;
use crate::secret::SessionToken;

/// Absolute lifetime: 12 hours from sign-in.
pub const SESSION_MAX_AGE_SECS: i64 = 12 * 60 * 60;
/// Idle timeout: 1 hour without a request.
pub const SESSION_IDLE_TIMEOUT_SECS: i64 = 60 * 60;
/// `last_seen_at` is refreshed only when older than this, to avoid a write
/// per request.
pub(crate) const LAST_SEEN_RESOLUTION_SECS: i64 = 60;

/// What a session may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SessionState {
    Active,
    /// The IAM user must set a new password before anything else; only the
    /// change-password call is allowed.
    PasswordChangeRequired,
}

impl SessionState {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            SessionState::Active => "active",
            SessionState::PasswordChangeRequired => "password_change_required",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<SessionState> {
        match s {
            "active" => Some(SessionState::Active),
            "password_change_required" => Some(SessionState::PasswordChangeRequired),
            _ => None,
        }
    }
}

/// A live session, as `authenticate` returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The SHA-256 of the token, hex. Not a secret: it cannot be used to sign in.
    pub id_hash: String,
    pub principal: Principal,
    pub state: SessionState,
    pub created_at: UnixTime,
    pub last_seen_at: UnixTime,
}

impl Session {
    /// When the session ends if no further request comes: the earlier of the
    /// absolute and the idle limit. Useful for the cookie's `Max-Age`.
    pub fn expires_at(&self) -> UnixTime {
        let absolute = self.created_at.plus_secs(SESSION_MAX_AGE_SECS);
        let idle = self.last_seen_at.plus_secs(SESSION_IDLE_TIMEOUT_SECS);
        absolute.min(idle)
    }
}

/// Whether a session created at `created_at` and last seen at `last_seen_at`
/// has ended at `now`.
pub(crate) fn is_expired(created_at: UnixTime, last_seen_at: UnixTime, now: UnixTime) -> bool {
    now.secs_since(created_at) >= SESSION_MAX_AGE_SECS
        || now.secs_since(last_seen_at) >= SESSION_IDLE_TIMEOUT_SECS
}

/// The result of a successful sign-in: the token to set as the cookie (shown
/// once, never stored) and the session it opens.
#[derive(Debug)]
pub struct SignedIn {
    pub token: SessionToken,
    pub session: Session,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_limits() {
        let t0 = UnixTime::from_secs(1_000_000);
        assert!(!is_expired(
            t0,
            t0,
            t0.plus_secs(SESSION_IDLE_TIMEOUT_SECS - 1)
        ));
        assert!(is_expired(t0, t0, t0.plus_secs(SESSION_IDLE_TIMEOUT_SECS)));
        let recent = t0.plus_secs(SESSION_MAX_AGE_SECS - 10);
        assert!(!is_expired(
            t0,
            recent,
            t0.plus_secs(SESSION_MAX_AGE_SECS - 1)
        ));
        assert!(is_expired(t0, recent, t0.plus_secs(SESSION_MAX_AGE_SECS)));
    }

    #[test]
    fn states_round_trip() {
        for s in [SessionState::Active, SessionState::PasswordChangeRequired] {
            assert_eq!(SessionState::parse(s.as_str()), Some(s));
        }
        assert_eq!(SessionState::parse("nope"), None);
    }
}
