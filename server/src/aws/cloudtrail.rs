//! CloudTrail's `LookupEvents` over JSON 1.1 (`X-Amz-Target: CloudTrail_20131101.LookupEvents`),
//! answered from the Event history through the same `iam` lookup as the console's page.

use iam::{Action, EventFilter, LookupAttribute, MAX_EVENTS_PER_PAGE};
use serde_json::{Value, json};

use super::call::{Call, text};
use super::errors::AwsError;
use super::timestamp::Timestamp;

/// CloudTrail's default page (`MaxResults`), and how far back a lookup reaches without
/// `StartTime`: the Event history keeps 90 days.
const DEFAULT_MAX_RESULTS: u32 = 50;
const DEFAULT_LOOKBACK_SECS: i64 = 90 * 86_400;

pub(crate) async fn lookup_events(call: &Call<'_>, input: &Value) -> Result<Value, AwsError> {
    let auth = call.authorize(Action::LookupEvents, "*").await?;
    let lookup = match input.get("LookupAttributes").and_then(Value::as_array) {
        None => None,
        Some(attributes) if attributes.is_empty() => None,
        Some(attributes) if attributes.len() > 1 => {
            return Err(AwsError::new(
                "InvalidLookupAttributesException",
                "You cannot specify more than one lookup attribute.",
            ));
        }
        Some(attributes) => {
            let key = text(&attributes[0], "AttributeKey").unwrap_or_default();
            let value = text(&attributes[0], "AttributeValue").unwrap_or_default();
            let attribute = LookupAttribute::ALL
                .into_iter()
                .find(|a| a.as_str() == key)
                .ok_or_else(|| {
                    AwsError::new(
                        "InvalidLookupAttributesException",
                        format!("The attribute key {key} is not valid."),
                    )
                })?;
            Some((attribute, value.to_owned()))
        }
    };
    let end = seconds(input, "EndTime").map_or(call.now, iam::UnixTime::from_secs);
    let start = seconds(input, "StartTime").map_or(
        end.plus_secs(-DEFAULT_LOOKBACK_SECS),
        iam::UnixTime::from_secs,
    );
    if start > end {
        return Err(AwsError::new(
            "InvalidTimeRangeException",
            "Start time must be earlier than end time.",
        ));
    }
    let page_size = input
        .get("MaxResults")
        .and_then(Value::as_u64)
        .map_or(DEFAULT_MAX_RESULTS, |n| {
            u32::try_from(n).unwrap_or(MAX_EVENTS_PER_PAGE)
        });
    let filter = EventFilter {
        lookup,
        start,
        end,
        // CloudTrail's LookupEvents returns read-only events too.
        include_read_only: true,
        page_size,
        next_token: text(input, "NextToken").map(str::to_owned),
    };
    let page = call
        .iam
        .lookup_events(&auth, &filter, &call.meta, call.now)
        .await
        .map_err(|e| call.fail(e))?;
    let events: Vec<Value> = page
        .events
        .iter()
        .map(|e| {
            let mut event = json!({
                "EventId": e.event_id,
                "EventName": e.event_name,
                "ReadOnly": e.read_only.to_string(),
                "EventTime": e.event_time.as_secs(),
                "EventSource": e.event_source,
                "Resources": e.resources.iter().map(|r| json!({
                    "ResourceType": r.resource_type,
                    "ResourceName": r.name,
                })).collect::<Vec<_>>(),
                "CloudTrailEvent": e.to_cloudtrail_json().to_string(),
            });
            if let Some(user) = &e.user_identity.user_name {
                event["Username"] = json!(user);
            }
            if let Some(key) = &e.user_identity.access_key_id {
                event["AccessKeyId"] = json!(key);
            }
            event
        })
        .collect();
    let mut out = json!({ "Events": events });
    if let Some(token) = page.next_token {
        out["NextToken"] = json!(token);
    }
    Ok(out)
}

/// A timestamp member as Unix seconds, in either form the decoder gives (ISO 8601 or epoch).
fn seconds(input: &Value, member: &str) -> Option<i64> {
    Timestamp::from_value(input.get(member)?).map(Timestamp::unix_seconds)
}
