//! The Event history: CloudTrail's `LookupEvents` over the `events` table,
//! and the retention job that prunes it.
//!
//! A lookup filters by at most one attribute (AWS's `LookupAttributes`) and a
//! time range, newest first, one page at a time with an opaque next token.
//! Each attribute has an index ending in `(event_time, event_id)`
//! (`migrations/*/0006_event_lookup.sql`), so a page is a range scan of one
//! index whatever the size of the trail.
// Upstream: https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html

use serde_json::{Value, json};

use super::Iam;
use crate::account::AccountId;
use crate::authz::{Action, Authorized};
use crate::clock::UnixTime;
use crate::error::IamError;
pub use crate::event::LookupAttribute;
use crate::event::{EventName, NewEvent, RequestMeta, resource_of_arn};
use crate::principal::Principal;
use crate::store::events::{EventMatch, EventQuery, EventRow, insert_event};

/// How long events are kept unless configured otherwise, as CloudTrail's
/// Event history.
pub const DEFAULT_EVENT_RETENTION_DAYS: u32 = 90;
/// The largest page a lookup returns.
pub const MAX_EVENTS_PER_PAGE: u32 = 1_000;

/// One lookup: an optional attribute and its exact value, a time range
/// (inclusive, in seconds), whether read-only events are included, and the
/// page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventFilter {
    pub lookup: Option<(LookupAttribute, String)>,
    pub start: UnixTime,
    pub end: UnixTime,
    /// Off by default in the console, as in CloudTrail. A `ReadOnly` lookup
    /// decides by itself.
    pub include_read_only: bool,
    /// 1 to [`MAX_EVENTS_PER_PAGE`].
    pub page_size: u32,
    /// The `next_token` of the previous page, or `None` for the first.
    pub next_token: Option<String>,
}

/// `userIdentity`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserIdentity {
    /// `Root` or `IAMUser`; `None` when unknown.
    pub identity_type: Option<String>,
    pub arn: Option<String>,
    pub user_name: Option<String>,
    pub account_id: String,
    pub access_key_id: Option<String>,
}

/// A resource an event referenced, in LookupEvents' shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventResource {
    /// `AWS::IAM::Group`, ...
    pub resource_type: String,
    pub name: String,
    pub arn: String,
}

/// One CloudTrail record.
#[derive(Debug, Clone, PartialEq)]
pub struct EventRecord {
    pub event_id: String,
    pub event_time: UnixTime,
    pub event_source: String,
    pub event_name: String,
    pub user_identity: UserIdentity,
    pub source_ip: String,
    pub user_agent: String,
    pub request_parameters: Option<Value>,
    pub response_elements: Option<Value>,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub read_only: bool,
    pub resources: Vec<EventResource>,
}

impl EventRecord {
    /// The record as CloudTrail writes it (`eventVersion` 1.08).
    pub fn to_cloudtrail_json(&self) -> Value {
        let identity = &self.user_identity;
        let mut user_identity = json!({
            "type": identity.identity_type,
            "arn": identity.arn,
            "accountId": identity.account_id,
            "userName": identity.user_name,
        });
        if let (Some(key), Value::Object(map)) = (&identity.access_key_id, &mut user_identity) {
            map.insert("accessKeyId".to_owned(), json!(key));
        }
        let mut record = json!({
            "eventVersion": "1.08",
            "userIdentity": user_identity,
            "eventTime": self.event_time.to_iso8601(),
            "eventSource": self.event_source,
            "eventName": self.event_name,
            "awsRegion": "us-east-1",
            "sourceIPAddress": self.source_ip,
            "userAgent": self.user_agent,
            "requestParameters": self.request_parameters,
            "responseElements": self.response_elements,
            "eventID": self.event_id,
            "readOnly": self.read_only,
            "resources": self.resources.iter().map(|r| json!({
                "ARN": r.arn,
                "accountId": identity.account_id,
                "type": r.resource_type,
                "name": r.name,
            })).collect::<Vec<_>>(),
            "eventType": if self.event_source == "signin.amazonaws.com" {
                "AwsConsoleSignIn"
            } else {
                "AwsApiCall"
            },
            "managementEvent": true,
            "recipientAccountId": identity.account_id,
            "eventCategory": "Management",
        });
        if let Value::Object(map) = &mut record {
            if let Some(code) = &self.error_code {
                map.insert("errorCode".to_owned(), json!(code));
            }
            if let Some(message) = &self.error_message {
                map.insert("errorMessage".to_owned(), json!(message));
            }
        }
        record
    }
}

/// One page of a lookup, newest first.
#[derive(Debug, Clone, PartialEq)]
pub struct EventPage {
    pub events: Vec<EventRecord>,
    /// Pass it back in [`EventFilter::next_token`] for the next page; `None`
    /// on the last page.
    pub next_token: Option<String>,
}

/// The record of a stored event; JSON that no longer parses reads as absent.
fn record_of(row: EventRow) -> EventRecord {
    let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str::<Value>(&s).ok());
    let resources_json = parse(row.resources);
    let resources = match &resources_json {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|r| r.get("ARN").and_then(Value::as_str))
            .filter_map(|arn| {
                resource_of_arn(arn).map(|(resource_type, name)| EventResource {
                    resource_type,
                    name,
                    arn: arn.to_owned(),
                })
            })
            .collect(),
        _ => Vec::new(),
    };
    EventRecord {
        event_id: row.event_id,
        event_time: UnixTime::from_secs(row.event_time),
        event_source: row.event_source,
        event_name: row.event_name,
        user_identity: UserIdentity {
            identity_type: row.user_identity_type,
            arn: row.user_arn,
            user_name: row.user_name,
            account_id: row.account_id,
            access_key_id: row.access_key_id,
        },
        source_ip: row.source_ip,
        user_agent: row.user_agent,
        request_parameters: parse(row.request_parameters),
        response_elements: parse(row.response_elements),
        error_code: row.error_code,
        error_message: row.error_message,
        read_only: row.read_only != 0,
        resources,
    }
}

fn bad_token() -> IamError {
    IamError::validation(
        "next_token",
        "`next_token` is not one a lookup returned; start again from the first page",
    )
}

/// `<event_time>.<event_id>` of the last row of a page.
fn parse_token(token: &str) -> Result<(i64, String), IamError> {
    let (time, id) = token.split_once('.').ok_or_else(bad_token)?;
    let time = time.parse::<i64>().map_err(|_| bad_token())?;
    if id.len() != 36 || !id.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        return Err(bad_token());
    }
    Ok((time, id.to_owned()))
}

fn check_filter(filter: &EventFilter) -> Result<(), IamError> {
    if filter.start > filter.end {
        return Err(IamError::validation(
            "start_time",
            "`start_time` is after `end_time`; choose a start before the end",
        ));
    }
    if filter.page_size == 0 || filter.page_size > MAX_EVENTS_PER_PAGE {
        return Err(IamError::validation(
            "page_size",
            format!(
                "`page_size` must be between 1 and {MAX_EVENTS_PER_PAGE}; choose a smaller page"
            ),
        ));
    }
    if let Some((attribute, value)) = &filter.lookup {
        if value.trim().is_empty() {
            return Err(IamError::validation(
                "lookup_value",
                format!(
                    "enter a value for `{}`, or choose no lookup attribute",
                    attribute.label()
                ),
            ));
        }
        if *attribute == LookupAttribute::ReadOnly && read_only_value(value).is_none() {
            return Err(IamError::validation(
                "lookup_value",
                "`Read only` takes `true` or `false`; enter one of them",
            ));
        }
    }
    Ok(())
}

fn read_only_value(value: &str) -> Option<i64> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" => Some(1),
        "false" => Some(0),
        _ => None,
    }
}

impl Iam {
    /// One page of the Event history, newest first. The lookup itself is
    /// recorded as a read-only `LookupEvents` event, as CloudTrail does.
    ///
    /// **Permissions**: `cloudtrail:LookupEvents` on `*`.
    pub async fn lookup_events(
        &self,
        auth: &Authorized,
        filter: &EventFilter,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<EventPage, IamError> {
        auth.require(Action::LookupEvents)?;
        check_filter(filter)?;
        let account_id = auth.principal().account_id();
        let page = self.query_events(account_id, filter).await?;

        let mut attributes = Vec::new();
        if let Some((attribute, value)) = &filter.lookup {
            attributes.push(json!({ "attributeKey": attribute.as_str(), "attributeValue": value }));
        }
        let event = NewEvent::new(EventName::Iam(Action::LookupEvents), account_id, meta, now)
            .by(auth.principal())
            .request(json!({
                "lookupAttributes": attributes,
                "startTime": filter.start.to_iso8601(),
                "endTime": filter.end.to_iso8601(),
                "maxResults": filter.page_size,
            }));
        let mut tx = self.store().begin_write().await?;
        insert_event(&mut tx, &event).await?;
        tx.commit().await?;
        Ok(page)
    }

    async fn query_events(
        &self,
        account_id: &AccountId,
        filter: &EventFilter,
    ) -> Result<EventPage, IamError> {
        let matching = match &filter.lookup {
            Some((LookupAttribute::ReadOnly, value)) => {
                EventMatch::ReadOnly(read_only_value(value) == Some(1))
            }
            Some((attribute, value)) => EventMatch::Attribute {
                attribute: *attribute,
                value: value.trim().to_owned(),
                include_read_only: filter.include_read_only,
            },
            None => EventMatch::All {
                include_read_only: filter.include_read_only,
            },
        };
        let query = EventQuery {
            matching,
            start: filter.start.as_secs(),
            end: filter.end.as_secs(),
            before: filter.next_token.as_deref().map(parse_token).transpose()?,
            // One more than the page, to tell whether another follows.
            limit: i64::from(filter.page_size) + 1,
        };
        let mut conn = self.store().pool().acquire().await?;
        let mut rows = crate::store::events::lookup(&mut conn, account_id, &query).await?;
        let more = rows.len() > filter.page_size as usize;
        rows.truncate(filter.page_size as usize);
        let next_token = match rows.last() {
            Some(last) if more => Some(format!("{}.{}", last.event_time, last.event_id)),
            _ => None,
        };
        Ok(EventPage {
            events: rows.into_iter().map(record_of).collect(),
            next_token,
        })
    }

    /// Records a refused request as CloudTrail does: the action's event with
    /// `errorCode` `AccessDenied`, the principal, and the resource it named.
    /// The authorizer calls it for every denial it decides.
    pub async fn record_access_denied(
        &self,
        principal: &Principal,
        action: Action,
        resource: &str,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<(), IamError> {
        let message = format!(
            "User: {} is not authorized to perform: {} on resource: {}",
            principal.arn(),
            action.as_str(),
            resource
        );
        let mut event = NewEvent::new(EventName::Iam(action), principal.account_id(), meta, now)
            .by(principal)
            .failed("AccessDenied", message);
        if resource != "*" {
            event =
                event.resources(json!([{ "ARN": resource, "accountId": principal.account_id() }]));
        }
        let mut tx = self.store().begin_write().await?;
        insert_event(&mut tx, &event).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes events older than `retention_days` before `now`, for the
    /// server's hourly retention job. Returns how many were deleted.
    pub async fn prune_events(&self, retention_days: u32, now: UnixTime) -> Result<u64, IamError> {
        let cutoff = now.plus_secs(-i64::from(retention_days) * 86_400);
        self.store().delete_events_before(cutoff).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_refuse_garbage() {
        let id = "0f8fad5b-d9cb-469f-a165-70867728950e";
        assert_eq!(
            parse_token(&format!("1700000000.{id}")).unwrap(),
            (1_700_000_000, id.to_owned())
        );
        for bad in [
            "",
            "x.y",
            "12",
            "12.abc",
            "a.0f8fad5b-d9cb-469f-a165-70867728950e",
        ] {
            assert_eq!(parse_token(bad).unwrap_err().field(), Some("next_token"));
        }
    }

    #[test]
    fn attributes_parse_their_aws_names() {
        for a in LookupAttribute::ALL {
            assert_eq!(LookupAttribute::parse(a.as_str()), Some(a));
        }
        assert_eq!(LookupAttribute::parse("eventname"), None);
        assert_eq!(read_only_value(" TRUE "), Some(1));
        assert_eq!(read_only_value("no"), None);
    }
}
