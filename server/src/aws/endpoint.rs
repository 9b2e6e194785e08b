//! `POST /` signed with Signature Version 4: the door the AWS CLI, the SDKs and Terraform use.
//! It authenticates the request, routes it by the credential scope's service (IAM and STS speak
//! the Query protocol), decodes it against the service's model, runs the operation through the
//! same `iam` services as the console, and answers in AWS's XML.

use std::net::SocketAddr;

use app::ssr::{AppState, ClientAddress};
use axum::Extension;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, State};
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, Method, StatusCode, Uri};
use iam::sigv4::{Authorization, SignedRequest};
use iam::{KeyHolder, RequestMeta, UnixTime};

use super::call::Call;
use super::errors::AwsError;
use super::model::{Service, ServiceModel, service};
use super::operations::{run_cloudtrail, run_iam, run_sts};
use super::{json_protocol, query, xml};

/// A Query request body is a form; IAM's largest (a 6,144-character policy, percent-encoded
/// three times over) fits well within this.
pub(crate) const MAX_BODY_BYTES: usize = 256 * 1024;

pub(crate) async fn handle(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    client: Option<Extension<ClientAddress>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let request_id = uuid::Uuid::new_v4().to_string();
    // Which service the caller meant, from its credential scope; IAM when that is unreadable,
    // so that a malformed signature is answered in IAM's words.
    let credential = headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| Authorization::parse(v).ok())
        .map(|a| a.credential);
    let service_kind = match credential.as_ref().map(|c| c.service.as_str()) {
        Some("sts") => Service::Sts,
        Some("cloudtrail") => Service::CloudTrail,
        _ => Service::Iam,
    };
    // A scope naming another service (`s3`) is refused as AWS refuses it, in IAM's words.
    if let Some(credential) = &credential
        && let Err(e) = credential.check_scope(&credential.region, service_name(service_kind))
    {
        return error_response(service_kind, &AwsError::from(e), &request_id);
    }
    // Portcullis issues no temporary credentials, so no session token can be valid.
    if headers.contains_key("x-amz-security-token") {
        let error = AwsError::from(iam::sigv4::SigV4Error::InvalidClientTokenId);
        return error_response(service_kind, &error, &request_id);
    }
    let model = service(service_kind);
    let body = match body {
        Ok(body) => body,
        Err(e) => {
            let error = if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                AwsError::new(
                    "ValidationError",
                    format!("The request body is larger than {MAX_BODY_BYTES} bytes."),
                )
            } else {
                AwsError::new("ValidationError", "The request body could not be read.")
            };
            return error_response(service_kind, &error, &request_id);
        }
    };
    let client = client.map_or(
        ClientAddress {
            ip: peer.ip(),
            secure_transport: false,
        },
        |Extension(client)| client,
    );
    let now = UnixTime::now();
    let caller = match authenticate(&state, &method, &uri, &headers, &body, now).await {
        Ok(caller) => caller,
        Err(error) => return error_response(service_kind, &error, &request_id),
    };
    let user_agent = headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let call = Call {
        iam: &state.iam,
        caller: &caller,
        meta: RequestMeta::new(client.ip.to_string(), user_agent)
            .with_access_key(&caller.access_key_id),
        facts: iam::RequestFacts {
            source_ip: Some(client.ip.to_string()),
            secure_transport: Some(client.secure_transport),
            ..iam::RequestFacts::at(now)
        },
        now,
    };
    if service_kind == Service::CloudTrail {
        return match json_call(&call, model, &headers, &body).await {
            Ok(body) => response(service_kind, StatusCode::OK, body, &request_id),
            Err(error) => error_response(service_kind, &error, &request_id),
        };
    }
    let decoded = match query::decode_request(model, &body) {
        Ok(decoded) => decoded,
        Err(e) => return error_response(service_kind, &AwsError::from(e), &request_id),
    };
    let result = match service_kind {
        Service::Sts => run_sts(&call, decoded.action, &decoded.input).await,
        _ => run_iam(&call, decoded.action, &decoded.input).await,
    };
    match result.and_then(|output| {
        xml::success_response(model, decoded.action, &output, &request_id).map_err(|e| {
            tracing::error!(error = %e, action = decoded.action, "an AWS API answer does not fit its model");
            AwsError::service_failure()
        })
    }) {
        Ok(body) => response(service_kind, StatusCode::OK, body, &request_id),
        Err(error) => error_response(service_kind, &error, &request_id),
    }
}

/// A JSON 1.1 call: the operation is named by `X-Amz-Target` (`CloudTrail_20131101.LookupEvents`).
async fn json_call(
    call: &Call<'_>,
    model: &ServiceModel,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<String, AwsError> {
    let target = headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let prefix = model.metadata.target_prefix.as_deref().unwrap_or_default();
    let operation = target
        .strip_prefix(prefix)
        .and_then(|rest| rest.strip_prefix('.'))
        .filter(|op| model.operation(op).is_some())
        .ok_or_else(|| {
            AwsError::new(
                "UnknownOperationException",
                format!(
                    "The operation `{target}` is not known; send X-Amz-Target {prefix}.LookupEvents"
                ),
            )
        })?;
    let input = json_protocol::decode_input(model, operation, body)
        .map_err(|e| AwsError::new(e.code(), e.to_string()))?;
    let output = run_cloudtrail(call, operation, &input).await?;
    json_protocol::encode_output(model, operation, &output).map_err(|e| {
        tracing::error!(error = %e, operation, "an AWS API answer does not fit its model");
        AwsError::service_failure()
    })
}

/// The signing name of a service, as it appears in a credential scope.
fn service_name(kind: Service) -> &'static str {
    match kind {
        Service::Iam => "iam",
        Service::Sts => "sts",
        Service::CloudTrail => "cloudtrail",
    }
}

async fn authenticate(
    state: &AppState,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
    now: UnixTime,
) -> Result<KeyHolder, AwsError> {
    let pairs: Vec<(&str, &str)> = headers
        .iter()
        .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)))
        .collect();
    let request = SignedRequest {
        method: method.as_str(),
        path: uri.path(),
        query: uri.query().unwrap_or_default(),
        headers: &pairs,
        body,
    };
    state
        .iam
        .authenticate_sigv4(&request, now)
        .await
        .map_err(|e| AwsError::from_iam(e, ""))
}

fn error_response(kind: Service, error: &AwsError, request_id: &str) -> Response {
    let model = service(kind);
    let info = error.info(model);
    let body = match kind {
        Service::CloudTrail => json_protocol::error_body(error.code, &error.message),
        _ => xml::error_response(model, info.fault, error.code, &error.message, request_id),
    };
    let status = StatusCode::from_u16(info.status).unwrap_or(StatusCode::BAD_REQUEST);
    response(kind, status, body, request_id)
}

/// XML for the Query protocol, `application/x-amz-json-1.1` for JSON 1.1.
fn response(kind: Service, status: StatusCode, body: String, request_id: &str) -> Response {
    let content_type = match kind {
        Service::CloudTrail => "application/x-amz-json-1.1",
        _ => "text/xml",
    };
    (
        status,
        [
            (http::header::CONTENT_TYPE, content_type.to_owned()),
            (
                http::header::HeaderName::from_static("x-amzn-requestid"),
                request_id.to_owned(),
            ),
        ],
        body,
    )
        .into_response()
}

/// The AWS API's own router: `POST /` only, with its body limit.
pub(crate) fn router(state: AppState) -> axum::Router {
    axum::Router::new()
        .route("/", axum::routing::post(handle))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

/// Sends `POST /` to the AWS API and everything else on to the console. A middleware around the
/// whole console rather than a route, because the console's router owns `/` (the home page) and a
/// second router cannot share that path (inside it, the page's method router would answer too,
/// adding its `Allow: GET,HEAD`); the console never posts to `/`.
pub(crate) async fn route_aws_requests(
    State(aws): State<axum::Router>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    if request.method() == Method::POST && request.uri().path() == "/" {
        use tower::ServiceExt as _;
        return match aws.oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        };
    }
    next.run(request).await
}
