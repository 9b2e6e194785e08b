//! Event history: one page of a CloudTrail-style lookup, and the download of the current filter as
//! CSV or JSON (`download`, an axum route, so a plain link works without JavaScript).
//!
//! The filter lives in the URL (`EventQuery`), so the page's GET form, its pages and its download
//! links all carry the same lookup.

#[cfg(feature = "ssr")]
pub mod download;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::AuthorizeHere as _;

/// Rows per page of the Event history table.
pub const EVENTS_PER_PAGE: u32 = 50;

/// The lookup attributes: the URL value (AWS's `AttributeKey`) and the label.
pub const LOOKUP_ATTRIBUTES: &[(&str, &str)] = &[
    ("EventName", "Event name"),
    ("Username", "User name"),
    ("ResourceType", "Resource type"),
    ("ResourceName", "Resource name"),
    ("EventSource", "Event source"),
    ("ReadOnly", "Read only"),
    ("AccessKeyId", "Access key id"),
];

/// The time range presets: the URL value, the label and the length in seconds.
pub const TIME_RANGES: &[(&str, &str, i64)] = &[
    ("1h", "Last hour", 3_600),
    ("24h", "Last 24 hours", 86_400),
    ("7d", "Last 7 days", 7 * 86_400),
    ("30d", "Last 30 days", 30 * 86_400),
    ("90d", "Last 90 days", 90 * 86_400),
];

/// The preset used when the URL names none.
pub const DEFAULT_TIME_RANGE: &str = "90d";

/// A lookup as the URL carries it: every field is the text of a form input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventQuery {
    /// A [`LOOKUP_ATTRIBUTES`] value, or empty for none.
    #[serde(default)]
    pub attribute: String,
    #[serde(default)]
    pub value: String,
    /// A [`TIME_RANGES`] value or `custom`; empty is [`DEFAULT_TIME_RANGE`].
    #[serde(default)]
    pub range: String,
    /// `YYYY-MM-DDTHH:MM` in UTC (an `<input type="datetime-local">`), for `custom`.
    #[serde(default)]
    pub start: String,
    #[serde(default)]
    pub end: String,
    /// `true` includes read-only events.
    #[serde(default)]
    pub read_only: String,
    /// The next token of the previous page.
    #[serde(default)]
    pub token: String,
}

impl EventQuery {
    pub fn include_read_only(&self) -> bool {
        self.read_only == "true"
    }

    /// The query string of this lookup (empty fields left out), with or without its page token.
    pub fn to_query_string(&self, with_token: bool) -> String {
        let mut pairs = Vec::new();
        for (key, value) in [
            ("attribute", &self.attribute),
            ("value", &self.value),
            ("range", &self.range),
            ("start", &self.start),
            ("end", &self.end),
            ("read_only", &self.read_only),
        ] {
            if !value.is_empty() {
                pairs.push((key, value.as_str()));
            }
        }
        if with_token && !self.token.is_empty() {
            pairs.push(("token", self.token.as_str()));
        }
        crate::api::groups::query_string(&pairs)
    }
}

/// A resource an event referenced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceView {
    pub resource_type: String,
    pub name: String,
}

/// A row of the Event history table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventView {
    pub event_id: String,
    pub event_name: String,
    /// `2026-11-29 02:30:00 UTC`.
    pub event_time: String,
    pub user_name: String,
    pub event_source: String,
    pub error_code: String,
    pub read_only: bool,
    pub resources: Vec<ResourceView>,
    /// The CloudTrail record, pretty-printed.
    pub json: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventList {
    pub items: Vec<EventView>,
    pub next_token: Option<String>,
}

/// One page of the Event history for `query`, newest first.
///
/// **Permissions**: `cloudtrail:LookupEvents` on `*`.
#[server(prefix = "/api", endpoint = "lookup_events", input = leptos::server_fn::codec::GetUrl)]
pub async fn lookup_events(query: EventQuery) -> Result<EventList, AppError> {
    use crate::ssr;
    let session = ssr::session()?;
    let iam = ssr::state()?.iam;
    let auth = iam
        .authorize_here(&session.principal, iam::Action::LookupEvents, "*")
        .await?;
    let now = iam::UnixTime::now();
    let filter = ssr_filter::filter(&query, EVENTS_PER_PAGE, now)?;
    let page = iam
        .lookup_events(&auth, &filter, &ssr::request_meta(), now)
        .await?;
    Ok(EventList {
        items: page.events.iter().map(ssr_filter::view).collect(),
        next_token: page.next_token,
    })
}

/// Turning the URL's text into an `iam::EventFilter`, and records into rows.
#[cfg(feature = "ssr")]
pub mod ssr_filter {
    use super::{EventQuery, EventView, ResourceView, TIME_RANGES};
    use crate::error::{AppError, FieldError};

    fn invalid(field: &str, message: impl Into<String>) -> AppError {
        AppError::Invalid(vec![FieldError {
            field: field.to_owned(),
            message: message.into(),
        }])
    }

    /// `YYYY-MM-DDTHH:MM[:SS]` in UTC, as seconds since the Unix epoch.
    pub fn parse_datetime(text: &str) -> Option<i64> {
        let (date, time) = text.trim().split_once('T')?;
        let mut d = date.split('-').map(str::parse::<i64>);
        let (y, m, day) = (d.next()?.ok()?, d.next()?.ok()?, d.next()?.ok()?);
        let mut t = time.trim_end_matches('Z').split(':').map(str::parse::<i64>);
        let (h, min) = (t.next()?.ok()?, t.next()?.ok()?);
        let s = t.next().transpose().ok()?.unwrap_or(0);
        if !(1..=12).contains(&m) || !(1..=31).contains(&day) || h > 23 || min > 59 || s > 59 {
            return None;
        }
        // Howard Hinnant's days_from_civil.
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + day - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        let days = era * 146_097 + doe - 719_468;
        Some(days * 86_400 + h * 3600 + min * 60 + s)
    }

    /// The lookup `query` asks for at `now`.
    pub fn filter(
        query: &EventQuery,
        page_size: u32,
        now: iam::UnixTime,
    ) -> Result<iam::EventFilter, AppError> {
        let lookup = match query.attribute.trim() {
            "" => None,
            key => {
                let attribute = iam::LookupAttribute::parse(key).ok_or_else(|| {
                    invalid(
                        "attribute",
                        format!("`{key}` is not a lookup attribute; choose one from the list"),
                    )
                })?;
                Some((attribute, query.value.trim().to_owned()))
            }
        };
        let (start, end) = match query.range.as_str() {
            "custom" => {
                let parse = |field: &str, text: &str| {
                    parse_datetime(text).map(iam::UnixTime::from_secs).ok_or_else(|| {
                        invalid(
                            field,
                            format!(
                                "enter the `{field}` time as YYYY-MM-DDTHH:MM in UTC, or choose a preset time range"
                            ),
                        )
                    })
                };
                (parse("start", &query.start)?, parse("end", &query.end)?)
            }
            range => {
                let range = if range.is_empty() {
                    super::DEFAULT_TIME_RANGE
                } else {
                    range
                };
                let secs = TIME_RANGES
                    .iter()
                    .find(|(value, _, _)| *value == range)
                    .map(|(_, _, secs)| *secs)
                    .ok_or_else(|| {
                        invalid(
                            "range",
                            format!("`{range}` is not a time range; choose one from the list"),
                        )
                    })?;
                (now.plus_secs(-secs), now)
            }
        };
        Ok(iam::EventFilter {
            lookup,
            start,
            end,
            include_read_only: query.include_read_only(),
            page_size,
            next_token: Some(query.token.clone()).filter(|t| !t.is_empty()),
        })
    }

    /// `2026-11-29 02:30:00 UTC`.
    pub fn time_text(time: iam::UnixTime) -> String {
        time.to_iso8601().replace('T', " ").replace('Z', " UTC")
    }

    pub fn view(record: &iam::EventRecord) -> EventView {
        let json = serde_json::to_string_pretty(&record.to_cloudtrail_json()).unwrap_or_default();
        EventView {
            event_id: record.event_id.clone(),
            event_name: record.event_name.clone(),
            event_time: time_text(record.event_time),
            user_name: record.user_identity.user_name.clone().unwrap_or_default(),
            event_source: record.event_source.clone(),
            error_code: record.error_code.clone().unwrap_or_default(),
            read_only: record.read_only,
            resources: record
                .resources
                .iter()
                .map(|r| ResourceView {
                    resource_type: r.resource_type.clone(),
                    name: r.name.clone(),
                })
                .collect(),
            json,
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn datetimes_parse_as_utc() {
            assert_eq!(parse_datetime("1970-01-01T00:00"), Some(0));
            assert_eq!(parse_datetime("2000-02-29T00:00:00"), Some(951_782_400));
            assert_eq!(parse_datetime("2026-11-28T11:43"), Some(1_795_866_180));
            assert_eq!(parse_datetime("2026-13-01T00:00"), None);
            assert_eq!(parse_datetime("yesterday"), None);
        }

        #[test]
        fn presets_end_now() {
            let now = iam::UnixTime::from_secs(1_800_000_000);
            let f = filter(&EventQuery::default(), 50, now).unwrap();
            assert_eq!(
                (f.start.as_secs(), f.end),
                (1_800_000_000 - 90 * 86_400, now)
            );
            let bad = EventQuery {
                range: "custom".to_owned(),
                start: "soon".to_owned(),
                ..EventQuery::default()
            };
            assert!(
                filter(&bad, 50, now)
                    .unwrap_err()
                    .to_string()
                    .contains("`start`")
            );
        }
    }
}
