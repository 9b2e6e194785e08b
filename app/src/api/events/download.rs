//! `GET /events/download?format=csv|json&<lookup>`: the current Event history filter as a file
//! (`Content-Disposition: attachment`), so a plain link downloads it with or without JavaScript.
//! The session middleware has already refused callers without a session.
//!
//! **Permissions**: `cloudtrail:LookupEvents` on `*`.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use http::request::Parts;
use http::{StatusCode, header};
use serde::Deserialize;

use super::EventQuery;
use super::ssr_filter::{filter, time_text};
use crate::error::AppError;
use crate::ssr::AppState;

/// The most events one download holds (newest first).
pub const MAX_DOWNLOAD_EVENTS: usize = 10_000;

#[derive(Debug, Deserialize)]
pub struct DownloadQuery {
    #[serde(default)]
    pub format: String,
    #[serde(flatten)]
    pub query: EventQuery,
}

fn refuse(err: &AppError) -> Response {
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        err.to_string(),
    )
        .into_response()
}

pub async fn download(
    State(state): State<AppState>,
    Query(q): Query<DownloadQuery>,
    request: Parts,
) -> Response {
    match records(&state, &q, &request).await {
        Ok(records) => file(&q.format, &records),
        Err(err) => refuse(&err),
    }
}

async fn records(
    state: &AppState,
    q: &DownloadQuery,
    request: &Parts,
) -> Result<Vec<iam::EventRecord>, AppError> {
    if !matches!(q.format.as_str(), "csv" | "json") {
        return Err(AppError::NotFound(format!(
            "`{}` is not a download format; use `csv` or `json`",
            q.format
        )));
    }
    let session = request
        .extensions
        .get::<iam::Session>()
        .cloned()
        .ok_or(AppError::Unauthenticated)?;
    if session.state == iam::SessionState::PasswordChangeRequired {
        return Err(AppError::PasswordChangeRequired);
    }
    // A plain handler, outside the server functions' context: the facts come from the request.
    let facts = crate::ssr::facts_of(&request.extensions, iam::UnixTime::now());
    let auth = state
        .iam
        .authorize_request(&session.principal, iam::Action::LookupEvents, "*", &facts)
        .await?;
    let meta = iam::RequestMeta::new(
        crate::ssr::ClientAddress::of(&request.extensions)
            .map(|c| c.ip.to_string())
            .unwrap_or_default(),
        request
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default(),
    );
    let now = iam::UnixTime::now();
    let mut query = q.query.clone();
    query.token.clear();
    let mut f = filter(&query, iam::MAX_EVENTS_PER_PAGE, now)?;
    let mut out = Vec::new();
    loop {
        let page = state.iam.lookup_events(&auth, &f, &meta, now).await?;
        out.extend(page.events);
        match page.next_token {
            Some(token) if out.len() < MAX_DOWNLOAD_EVENTS => f.next_token = Some(token),
            _ => break,
        }
    }
    out.truncate(MAX_DOWNLOAD_EVENTS);
    Ok(out)
}

fn file(format: &str, records: &[iam::EventRecord]) -> Response {
    let stamp = iam::UnixTime::now().to_iso8601().replace([':', '-'], "");
    let (content_type, body) = if format == "json" {
        let records: Vec<_> = records
            .iter()
            .map(iam::EventRecord::to_cloudtrail_json)
            .collect();
        let body = serde_json::to_string_pretty(&serde_json::json!({ "Records": records }))
            .unwrap_or_default();
        ("application/json", body)
    } else {
        ("text/csv; charset=utf-8", csv(records))
    };
    let disposition = format!("attachment; filename=\"event-history-{stamp}.{format}\"");
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

const CSV_HEADER: &[&str] = &[
    "Event time",
    "Event name",
    "Event source",
    "User name",
    "User identity type",
    "User ARN",
    "Access key id",
    "Source IP address",
    "User agent",
    "Read only",
    "Error code",
    "Error message",
    "Resource type",
    "Resource name",
    "Event id",
];

/// RFC 4180 quoting; a cell a spreadsheet would run as a formula gets a leading `'`.
fn cell(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

fn csv(records: &[iam::EventRecord]) -> String {
    let mut out = CSV_HEADER.join(",");
    out.push_str("\r\n");
    for r in records {
        let id = &r.user_identity;
        let join = |f: fn(&iam::EventResource) -> &str| {
            r.resources.iter().map(f).collect::<Vec<_>>().join("; ")
        };
        let row = [
            time_text(r.event_time),
            r.event_name.clone(),
            r.event_source.clone(),
            id.user_name.clone().unwrap_or_default(),
            id.identity_type.clone().unwrap_or_default(),
            id.arn.clone().unwrap_or_default(),
            id.access_key_id.clone().unwrap_or_default(),
            r.source_ip.clone(),
            r.user_agent.clone(),
            r.read_only.to_string(),
            r.error_code.clone().unwrap_or_default(),
            r.error_message.clone().unwrap_or_default(),
            join(|x| x.resource_type.as_str()),
            join(|x| x.name.as_str()),
            r.event_id.clone(),
        ];
        out.push_str(&row.iter().map(|v| cell(v)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_are_quoted_and_defused() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=SUM(A1)"), "'=SUM(A1)");
    }
}
