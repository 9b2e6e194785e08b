//! Drafts of policy documents between the steps of the console's policy pages (issue 15).
//!
//! The pages used to carry the document in the URL, where a large one got 414 and the draft was
//! lost, and every one landed in history, logs and Referer headers. A step now posts the document,
//! which is stored here under a random id; the next step's URL carries only that id. A draft is
//! readable only by the session that saved it, so a leaked URL shows nothing to anyone else.

use super::Iam;
use crate::clock::UnixTime;
use crate::error::IamError;
use crate::rules;
use crate::secret::fill_random;
use crate::session::Session;

/// 128 bits, as for session tokens: the id is the only thing between a draft and a guess within
/// the session, and it appears in URLs.
const DRAFT_ID_BYTES: usize = 16;

impl Iam {
    /// The largest draft: the console's request limit, so that whatever reached the server is
    /// kept, even above what a policy may hold (the step then says why it cannot move on).
    pub const MAX_POLICY_DRAFT_BYTES: usize = 1024 * 1024;
    /// Drafts a session keeps; saving another deletes its oldest.
    pub const MAX_POLICY_DRAFTS_PER_SESSION: u32 = 20;
    /// How long a draft is kept, at most: longer than any session lives.
    pub const POLICY_DRAFT_TTL_SECS: i64 = 24 * 60 * 60;

    /// Stores `document` for `session` and returns the draft's id, for the next step's URL.
    /// Also deletes the session's drafts beyond [`Iam::MAX_POLICY_DRAFTS_PER_SESSION`] and
    /// everyone's older than [`Iam::POLICY_DRAFT_TTL_SECS`].
    pub async fn save_policy_draft(
        &self,
        session: &Session,
        document: &str,
        now: UnixTime,
    ) -> Result<String, IamError> {
        if document.len() > Self::MAX_POLICY_DRAFT_BYTES {
            return Err(IamError::validation(
                "document",
                format!(
                    "the policy document is {} bytes long, more than the {} MiB a draft can hold; remove indentation and blank lines, or split the policy",
                    document.len(),
                    Self::MAX_POLICY_DRAFT_BYTES / (1024 * 1024)
                ),
            ));
        }
        // PostgreSQL text cannot hold U+0000, and no policy can contain it.
        if document.contains('\0') {
            return Err(IamError::validation(
                "document",
                "the policy document contains a NUL character (U+0000); remove it",
            ));
        }
        let mut bytes = [0u8; DRAFT_ID_BYTES];
        fill_random(&mut bytes)?;
        let id = hex::encode(bytes);
        self.store()
            .insert_policy_draft(
                &id,
                &session.id_hash,
                document,
                now,
                Self::MAX_POLICY_DRAFTS_PER_SESSION,
                expiry(now),
            )
            .await?;
        Ok(id)
    }

    /// The document of draft `id`, when `session` saved it less than a day before `now`; `None`
    /// for an unknown, expired or foreign id alike, so ids of other sessions cannot be probed.
    pub async fn policy_draft(
        &self,
        session: &Session,
        id: &str,
        now: UnixTime,
    ) -> Result<Option<String>, IamError> {
        if !looks_like_draft_id(id) {
            return Ok(None);
        }
        self.store()
            .find_policy_draft(id, &session.id_hash, expiry(now))
            .await
    }

    /// Deletes drafts older than [`Iam::POLICY_DRAFT_TTL_SECS`], for the hourly maintenance
    /// job; how many went.
    pub async fn prune_policy_drafts(&self, now: UnixTime) -> Result<u64, IamError> {
        self.store().delete_expired_policy_drafts(expiry(now)).await
    }

    /// What would stop `document` being saved as a managed policy (an ERROR finding, more than
    /// IAM's 6,144 characters, more than 128 KiB with whitespace), so that a step can say so
    /// before the last one refuses it.
    pub fn check_managed_policy_document(&self, document: &str) -> Result<(), IamError> {
        rules::document(document, rules::MAX_MANAGED_POLICY_CHARS).map(|_| ())
    }
}

/// Drafts created at or before this are gone.
fn expiry(now: UnixTime) -> UnixTime {
    now.plus_secs(-Iam::POLICY_DRAFT_TTL_SECS)
}

/// Whether `id` has the shape of a draft id, so that garbage costs no query.
fn looks_like_draft_id(id: &str) -> bool {
    id.len() == DRAFT_ID_BYTES * 2 && id.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_32_hex_digits_are_draft_ids() {
        assert!(looks_like_draft_id("0123456789abcdef0123456789ABCDEF"));
        assert!(!looks_like_draft_id("0123456789abcdef0123456789abcde"));
        assert!(!looks_like_draft_id("0123456789abcdef0123456789abcdeg"));
        assert!(!looks_like_draft_id(""));
    }
}
