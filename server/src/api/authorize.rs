//! `POST /api/v1/authorize` and `POST /api/v1/authorize/batch`.

use std::net::SocketAddr;

use app::ssr::{AppState, ClientAddress};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, State};
use axum::{Extension, Json};
use http::HeaderMap;
use serde::{Deserialize, Serialize};

use super::error::ApiError;

/// One question, as the caller sends it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorizeRequest {
    /// A user name, or a user ARN of this account.
    principal: String,
    /// `service:Action`, e.g. `s3:GetObject`.
    action: String,
    /// The resource ARN, or `*`.
    resource: String,
    /// Condition keys describing the request, e.g. `{"aws:SourceIp": "203.0.113.9"}`.
    #[serde(default)]
    context: policy::Context,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchRequest {
    requests: Vec<AuthorizeRequest>,
}

#[derive(Debug, Serialize)]
pub struct AuthorizeResponse {
    decision: policy::Decision,
    matched: Vec<policy::MatchedStatement>,
    errors: Vec<policy::EvalError>,
    /// False when the principal is not a user of this account (the decision is then a deny).
    principal_found: bool,
}

#[derive(Debug, Serialize)]
pub struct BatchResponse {
    results: Vec<AuthorizeResponse>,
}

/// The longest principal, action and resource the API takes (an ARN is at most 2,048).
const MAX_FIELD_CHARS: usize = 2048;

pub async fn single(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    client: Option<Extension<ClientAddress>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<AuthorizeResponse>, ApiError> {
    let request: AuthorizeRequest = parse_body(&headers, &read(body)?)?;
    check(&request, "")?;
    let mut results = decide(&state, client_of(peer, client), &headers, vec![request]).await?;
    results.pop().map(Json).ok_or(ApiError::Internal)
}

pub async fn batch(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    client: Option<Extension<ClientAddress>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<BatchResponse>, ApiError> {
    let batch: BatchRequest = parse_body(&headers, &read(body)?)?;
    if batch.requests.is_empty() || batch.requests.len() > iam::MAX_BATCH_REQUESTS {
        return Err(ApiError::InvalidRequest(format!(
            "`requests` must hold 1 to {} requests and holds {}; split larger batches",
            iam::MAX_BATCH_REQUESTS,
            batch.requests.len()
        )));
    }
    for (i, request) in batch.requests.iter().enumerate() {
        check(request, &format!("requests[{i}]."))?;
    }
    let results = decide(&state, client_of(peer, client), &headers, batch.requests).await?;
    Ok(Json(BatchResponse { results }))
}

/// The body, or the JSON error for one over the limit or cut short (axum's own answer is text).
fn read(body: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
    body.map_err(|e| {
        if e.status() == http::StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge
        } else {
            ApiError::InvalidRequest(format!(
                "the request body could not be read ({e}); send it again"
            ))
        }
    })
}

fn parse_body<T: serde::de::DeserializeOwned>(
    headers: &HeaderMap,
    body: &[u8],
) -> Result<T, ApiError> {
    let is_json = headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        return Err(ApiError::UnsupportedMediaType);
    }
    serde_json::from_slice(body).map_err(|e| {
        ApiError::InvalidRequest(format!(
            "the request body is not a valid request: {e}; see /api/v1/openapi.json"
        ))
    })
}

/// Field rules the JSON shape cannot express.
fn check(request: &AuthorizeRequest, prefix: &str) -> Result<(), ApiError> {
    for (field, value) in [
        ("principal", &request.principal),
        ("action", &request.action),
        ("resource", &request.resource),
    ] {
        if value.trim().is_empty() {
            return Err(ApiError::InvalidRequest(format!(
                "`{prefix}{field}` is empty; give a value"
            )));
        }
        if value.chars().count() > MAX_FIELD_CHARS {
            return Err(ApiError::InvalidRequest(format!(
                "`{prefix}{field}` has more than {MAX_FIELD_CHARS} characters; shorten it"
            )));
        }
    }
    let valid_action = request
        .action
        .split_once(':')
        .is_some_and(|(service, name)| {
            !service.is_empty()
                && !name.is_empty()
                && !name.contains(':')
                && service
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    if !valid_action {
        return Err(ApiError::InvalidRequest(format!(
            "`{prefix}action` is `{}`, which is not `service:Action`; write it like `s3:GetObject`",
            request.action
        )));
    }
    Ok(())
}

/// The client the `client` middleware found, or the socket peer.
fn client_of(peer: SocketAddr, found: Option<Extension<ClientAddress>>) -> ClientAddress {
    found.map_or(
        ClientAddress {
            ip: peer.ip(),
            secure_transport: false,
        },
        |Extension(client)| client,
    )
}

async fn decide(
    state: &AppState,
    client: ClientAddress,
    headers: &HeaderMap,
    requests: Vec<AuthorizeRequest>,
) -> Result<Vec<AuthorizeResponse>, ApiError> {
    let (key_id, secret) = bearer_key(headers)?;
    let now = iam::UnixTime::now();
    let facts = iam::RequestFacts {
        source_ip: Some(client.ip.to_string()),
        secure_transport: Some(client.secure_transport),
        ..iam::RequestFacts::at(now)
    };
    let caller = state
        .iam
        .authorize_api_caller(key_id, secret, &facts)
        .await
        .map_err(|e| match e {
            iam::IamError::InvalidCredentials => ApiError::Unauthenticated(
                "the access key is not valid; check the key id and secret, and that the key is active",
            ),
            iam::IamError::AccessDenied { .. } => ApiError::Forbidden(format!(
                "access key `{key_id}` may not call this API: its user needs `portcullis:Authorize` on `*`; attach a policy that allows it"
            )),
            other => internal(&other),
        })?;
    let queries = requests
        .into_iter()
        .map(|r| iam::AuthzQuery {
            principal: r.principal,
            action: r.action,
            resource: r.resource,
            context: r.context,
        })
        .collect();
    let answers = state
        .iam
        .is_authorized(&caller, queries, now)
        .await
        .map_err(|e| match e {
            iam::IamError::Validation { .. } => ApiError::InvalidRequest(e.user_message()),
            other => internal(&other),
        })?;
    Ok(answers
        .into_iter()
        .map(|a| AuthorizeResponse {
            decision: a.decision,
            matched: a.matched,
            errors: a.errors,
            principal_found: a.principal_found,
        })
        .collect())
}

/// `Authorization: Bearer <access key id>:<secret>`.
fn bearer_key(headers: &HeaderMap) -> Result<(&str, &str), ApiError> {
    let value = headers
        .get(http::header::AUTHORIZATION)
        .ok_or(ApiError::Unauthenticated(
            "send an access key: `Authorization: Bearer <access key id>:<secret>`",
        ))?
        .to_str()
        .map_err(|_| ApiError::Unauthenticated("the `Authorization` header is not valid text"))?;
    let credentials = value
        .strip_prefix("Bearer ")
        .ok_or(ApiError::Unauthenticated(
            "the `Authorization` header must be `Bearer <access key id>:<secret>`",
        ))?;
    credentials
        .trim()
        .split_once(':')
        .ok_or(ApiError::Unauthenticated(
            "the bearer credentials must be `<access key id>:<secret>`, joined by a colon",
        ))
}

fn internal(e: &iam::IamError) -> ApiError {
    if e.kind() == iam::ErrorKind::Unavailable {
        tracing::warn!(error = %e, "the authorization API cannot reach the database");
        return ApiError::Unavailable;
    }
    tracing::error!(error = %e, "the authorization API failed");
    ApiError::Internal
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(action: &str) -> AuthorizeRequest {
        AuthorizeRequest {
            principal: "mary".to_owned(),
            action: action.to_owned(),
            resource: "*".to_owned(),
            context: policy::Context::new(),
        }
    }

    #[test]
    fn actions_must_be_service_colon_name() {
        assert!(check(&request("s3:GetObject"), "").is_ok());
        for bad in ["s3", ":GetObject", "s3:", "s 3:Get", "a:b:c"] {
            let e = check(&request(bad), "requests[2].").unwrap_err();
            assert!(e.to_string().contains("`requests[2].action`"), "{e}");
        }
    }

    #[test]
    fn bearer_credentials_are_parsed() {
        let mut headers = HeaderMap::new();
        assert!(bearer_key(&headers).is_err());
        headers.insert(
            http::header::AUTHORIZATION,
            http::HeaderValue::from_static("Bearer AKIAEXAMPLE:secret"),
        );
        assert_eq!(bearer_key(&headers).unwrap(), ("AKIAEXAMPLE", "secret"));
        headers.insert(
            http::header::AUTHORIZATION,
            http::HeaderValue::from_static("Basic abc"),
        );
        assert!(bearer_key(&headers).is_err());
    }
}
