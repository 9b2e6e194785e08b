//! Writing audit events. Callers pass the transaction of the change, so the
//! change and its record commit or roll back together.

use sqlx::AnyConnection;

use super::Store;
use crate::clock::UnixTime;
use crate::error::IamError;
use crate::event::{NewEvent, resource_of_arn};
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

/// Writes `event`, and a row in `event_resources` per IAM resource it names
/// (for lookups by resource type and name).
pub(crate) async fn insert_event(
    conn: &mut AnyConnection,
    event: &NewEvent,
) -> Result<(), IamError> {
    let json = |v: &Option<serde_json::Value>| v.as_ref().map(serde_json::Value::to_string);
    let event_id = new_event_id()?;
    sqlx::query(
        "INSERT INTO events (event_id, event_time, event_source, event_name, user_identity_type, \
         user_arn, user_name, account_id, source_ip, user_agent, request_parameters, \
         response_elements, error_code, error_message, read_only, resources, access_key_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
    )
    .bind(event_id.clone())
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
    .bind(event.error_message.clone())
    .bind(i64::from(event.name.is_read_only()))
    .bind(json(&event.resources))
    .bind(event.access_key_id.clone())
    .execute(&mut *conn)
    .await?;
    for (resource_type, resource_name) in resources_of(event.resources.as_ref()) {
        sqlx::query(
            "INSERT INTO event_resources (event_id, event_time, resource_type, resource_name) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(event_id.clone())
        .bind(event.time.as_secs())
        .bind(resource_type)
        .bind(resource_name)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The IAM resources named by an event's `resources` JSON (`[{"ARN": ...}]`).
pub(crate) fn resources_of(resources: Option<&serde_json::Value>) -> Vec<(String, String)> {
    let Some(serde_json::Value::Array(items)) = resources else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|r| r.get("ARN").and_then(serde_json::Value::as_str))
        .filter_map(resource_of_arn)
        .collect()
}

impl Store {
    /// Deletes events older than `cutoff`, for a retention job. Returns how
    /// many were deleted. Not a console action, so it takes no `Authorized`.
    ///
    /// Deletes in batches of `PRUNE_BATCH`, one transaction each, so a large
    /// backlog never holds SQLite's write lock for long.
    pub async fn delete_events_before(&self, cutoff: UnixTime) -> Result<u64, IamError> {
        let mut total = 0;
        loop {
            let mut tx = self.begin_write().await?;
            // `event_resources` rows go with their event (ON DELETE CASCADE,
            // found through `event_resources_event_idx`).
            let result = sqlx::query(
                "DELETE FROM events WHERE event_id IN \
                 (SELECT event_id FROM events WHERE event_time < $1 LIMIT $2)",
            )
            .bind(cutoff.as_secs())
            .bind(PRUNE_BATCH)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            total += result.rows_affected();
            if result.rows_affected() < PRUNE_BATCH.unsigned_abs() {
                return Ok(total);
            }
        }
    }
}

/// Events deleted per transaction by [`Store::delete_events_before`].
const PRUNE_BATCH: i64 = 5_000;

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
