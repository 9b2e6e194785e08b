//! Audit events: writing them (callers pass the transaction of the change, so the
//! change and its record commit or roll back together), looking them up a page at a
//! time, and pruning old ones.
//!
//! Each lookup attribute has an index ending in `(event_time, event_id)`
//! (`migrations/*/0006_event_lookup.sql`), so a page is a range scan of one
//! index whatever the size of the trail.

use sqlx::{AnyConnection, FromRow};

use super::Store;
use crate::account::AccountId;
use crate::clock::UnixTime;
use crate::error::IamError;
use crate::event::{LookupAttribute, NewEvent, resource_of_arn};
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

/// An event as stored; JSON columns are text.
#[derive(Debug, FromRow)]
pub(crate) struct EventRow {
    pub(crate) event_id: String,
    pub(crate) event_time: i64,
    pub(crate) event_source: String,
    pub(crate) event_name: String,
    pub(crate) user_identity_type: Option<String>,
    pub(crate) user_arn: Option<String>,
    pub(crate) user_name: Option<String>,
    pub(crate) account_id: String,
    pub(crate) source_ip: String,
    pub(crate) user_agent: String,
    pub(crate) request_parameters: Option<String>,
    pub(crate) response_elements: Option<String>,
    pub(crate) error_code: Option<String>,
    pub(crate) error_message: Option<String>,
    pub(crate) read_only: i64,
    pub(crate) resources: Option<String>,
    pub(crate) access_key_id: Option<String>,
}

const EVENT_COLUMNS: &str = "e.event_id, e.event_time, e.event_source, e.event_name, \
     e.user_identity_type, e.user_arn, e.user_name, e.account_id, e.source_ip, e.user_agent, \
     e.request_parameters, e.response_elements, e.error_code, e.error_message, e.read_only, \
     e.resources, e.access_key_id";

/// Which events of the time range a [`lookup`] returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum EventMatch {
    /// All of them, or only those that are not read-only.
    All { include_read_only: bool },
    /// Those whose read-only flag is this.
    ReadOnly(bool),
    /// Those whose `attribute` is exactly `value`, read-only ones only when asked.
    Attribute {
        attribute: LookupAttribute,
        value: String,
        include_read_only: bool,
    },
}

/// One page of a [`lookup`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EventQuery {
    pub(crate) matching: EventMatch,
    /// The time range, inclusive, in seconds.
    pub(crate) start: i64,
    pub(crate) end: i64,
    /// `(event_time, event_id)` of the previous page's last event: only events before it.
    pub(crate) before: Option<(i64, String)>,
    pub(crate) limit: i64,
}

/// The column compared, in `events e` or `event_resources r`.
fn column(attribute: LookupAttribute) -> &'static str {
    match attribute {
        LookupAttribute::EventName => "e.event_name",
        LookupAttribute::Username => "e.user_name",
        LookupAttribute::ResourceType => "r.resource_type",
        LookupAttribute::ResourceName => "r.resource_name",
        LookupAttribute::EventSource => "e.event_source",
        LookupAttribute::ReadOnly => "e.read_only",
        LookupAttribute::AccessKeyId => "e.access_key_id",
    }
}

fn on_resources(attribute: LookupAttribute) -> bool {
    matches!(
        attribute,
        LookupAttribute::ResourceType | LookupAttribute::ResourceName
    )
}

/// A bound value of the lookup query.
enum Param {
    Int(i64),
    Text(String),
}

/// The account's events that `query` selects, newest first (by `event_time`, then
/// `event_id`), at most `query.limit`.
pub(crate) async fn lookup(
    conn: &mut AnyConnection,
    account: &AccountId,
    query: &EventQuery,
) -> Result<Vec<EventRow>, IamError> {
    // `t` is the table whose (event_time, event_id) the chosen index
    // orders: the resource side table for resource lookups.
    let on_resources = matches!(
        &query.matching,
        EventMatch::Attribute { attribute, .. } if on_resources(*attribute)
    );
    let t = if on_resources { "r" } else { "e" };
    let mut params = vec![Param::Text(account.as_str().to_owned())];
    let mut sql = format!("SELECT {EVENT_COLUMNS} FROM events e");
    if on_resources {
        sql.push_str(" JOIN event_resources r ON r.event_id = e.event_id");
    }
    sql.push_str(" WHERE e.account_id = $1");

    let mut end = query.end;
    if let Some((time, _)) = &query.before {
        end = end.min(*time);
    }
    params.push(Param::Int(query.start));
    sql.push_str(&format!(" AND {t}.event_time >= ${}", params.len()));
    params.push(Param::Int(end));
    sql.push_str(&format!(" AND {t}.event_time <= ${}", params.len()));
    if let Some((time, id)) = &query.before {
        // With event_time <= time already, this is "before (time, id)".
        params.push(Param::Int(*time));
        let n = params.len();
        params.push(Param::Text(id.clone()));
        sql.push_str(&format!(
            " AND ({t}.event_time < ${n} OR {t}.event_id < ${})",
            n + 1
        ));
    }
    match &query.matching {
        EventMatch::ReadOnly(read_only) => {
            params.push(Param::Int(i64::from(*read_only)));
            sql.push_str(&format!(" AND e.read_only = ${}", params.len()));
        }
        EventMatch::Attribute {
            attribute,
            value,
            include_read_only,
        } => {
            params.push(Param::Text(value.clone()));
            sql.push_str(&format!(" AND {} = ${}", column(*attribute), params.len()));
            if !include_read_only {
                // The unary plus keeps SQLite from choosing the read_only
                // index over the attribute's own.
                sql.push_str(" AND +e.read_only = 0");
            }
        }
        EventMatch::All {
            include_read_only: false,
        } => sql.push_str(" AND e.read_only = 0"),
        EventMatch::All {
            include_read_only: true,
        } => {}
    }
    params.push(Param::Int(query.limit));
    sql.push_str(&format!(
        " ORDER BY {t}.event_time DESC, {t}.event_id DESC LIMIT ${}",
        params.len()
    ));

    // INVARIANT: `sql` is built from constant fragments and `$n`
    // placeholders only; every value is bound.
    let mut rows = sqlx::query_as::<_, EventRow>(sqlx::AssertSqlSafe(sql));
    for param in params {
        rows = match param {
            Param::Int(n) => rows.bind(n),
            Param::Text(s) => rows.bind(s),
        };
    }
    Ok(rows.fetch_all(&mut *conn).await?)
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
