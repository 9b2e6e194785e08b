//! Writing audit events. Callers pass the transaction of the change, so the
//! change and its record commit or roll back together.

use sqlx::AnyConnection;

use super::Store;
use crate::clock::UnixTime;
use crate::error::IamError;
use crate::event::NewEvent;
use crate::secret::fill_random;

/// A random UUID (version 4), CloudTrail's `eventID` format.
fn new_event_id() -> Result<String, IamError> {
    let mut b = [0u8; 16];
    fill_random(&mut b)?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    ))
}

pub(crate) async fn insert_event(
    conn: &mut AnyConnection,
    event: &NewEvent,
) -> Result<(), IamError> {
    let json = |v: &Option<serde_json::Value>| v.as_ref().map(serde_json::Value::to_string);
    sqlx::query(
        "INSERT INTO events (event_id, event_time, event_source, event_name, user_identity_type, \
         user_arn, user_name, account_id, source_ip, user_agent, request_parameters, \
         response_elements, error_code, error_message, read_only, resources, access_key_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, NULL)",
    )
    .bind(new_event_id()?)
    .bind(event.time.as_secs())
    .bind(event.name.source())
    .bind(event.name.as_str())
    .bind(event.identity_type)
    .bind(event.user_arn.clone())
    .bind(event.user_name.clone())
    .bind(event.account_id.as_str().to_owned())
    .bind(event.meta.source_ip_clipped())
    .bind(event.meta.user_agent_clipped())
    .bind(json(&event.request_parameters))
    .bind(json(&event.response_elements))
    .bind(event.error_code)
    .bind(event.error_message)
    .bind(i64::from(event.name.is_read_only()))
    .bind(json(&event.resources))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

impl Store {
    /// Deletes events older than `cutoff`, for a retention job. Returns how
    /// many were deleted. Not a console action, so it takes no `Authorized`.
    pub async fn delete_events_before(&self, cutoff: UnixTime) -> Result<u64, IamError> {
        let mut tx = self.begin_write().await?;
        let result = sqlx::query("DELETE FROM events WHERE event_time < $1")
            .bind(cutoff.as_secs())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(result.rows_affected())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_ids_are_uuid_v4() {
        let id = new_event_id().unwrap();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"));
        assert_ne!(id, new_event_id().unwrap());
    }
}
