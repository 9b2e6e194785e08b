//! AWS Query protocol requests: `Action=CreateUser&Version=2010-05-08&UserName=mary` as a form
//! body, decoded against the operation's input shape into a JSON object keyed by member name
//! and validated like AWS does. Serialization rules are botocore's `QuerySerializer`: lists are
//! `Name.member.N` (1-based; `Name=` alone is an empty list), maps `Name.entry.N.key/value`,
//! nested structures `Outer.Inner`, booleans `true`/`false`, timestamps ISO 8601. Parameters the
//! shape does not name are ignored, as AWS ignores them.

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use thiserror::Error;

use super::model::{ServiceModel, ShapeType};
use super::timestamp::Timestamp;
use super::validate::{ValidationError, validate};

/// A form body as name → values, in arrival order per name.
pub(crate) type FormParams = BTreeMap<String, Vec<String>>;

/// A request that decoded and validated: the operation's name and its input.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct QueryRequest<'m> {
    pub(crate) action: &'m str,
    pub(crate) input: Value,
}

/// Why a Query request was refused; `code()` is the AWS error code to answer with.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub(crate) enum QueryError {
    #[error("Missing Action")]
    MissingAction,
    // IAM and STS word it this way, naming NO_VERSION_SPECIFIED when Version is absent.
    #[error("Could not find operation {action} for version {version}")]
    InvalidAction { action: String, version: String },
    #[error("Value '{value}' for parameter {parameter} is invalid. Expected {expected}.")]
    InvalidParameterValue {
        parameter: String,
        value: String,
        expected: &'static str,
    },
    #[error(transparent)]
    Validation(#[from] ValidationError),
}

impl QueryError {
    pub(crate) fn code(&self) -> &'static str {
        match self {
            QueryError::MissingAction => "MissingAction",
            QueryError::InvalidAction { .. } => "InvalidAction",
            QueryError::InvalidParameterValue { .. } => "InvalidParameterValue",
            QueryError::Validation(_) => "ValidationError",
        }
    }
}

/// Splits an `application/x-www-form-urlencoded` body; malformed escapes decode leniently.
pub(crate) fn parse_form(body: &[u8]) -> FormParams {
    let mut params = FormParams::new();
    for (name, value) in form_urlencoded::parse(body) {
        params
            .entry(name.into_owned())
            .or_default()
            .push(value.into_owned());
    }
    params
}

/// Reads Action and Version, finds the operation, decodes and validates its input.
pub(crate) fn decode_request<'m>(
    model: &'m ServiceModel,
    body: &[u8],
) -> Result<QueryRequest<'m>, QueryError> {
    let params = parse_form(body);
    let action = first(&params, "Action")
        .filter(|a| !a.is_empty())
        .ok_or(QueryError::MissingAction)?;
    let version = first(&params, "Version").unwrap_or("NO_VERSION_SPECIFIED");
    let found = model
        .operations
        .get_key_value(action)
        .filter(|_| version == model.metadata.api_version);
    let Some((name, operation)) = found else {
        return Err(QueryError::InvalidAction {
            action: action.to_owned(),
            version: version.to_owned(),
        });
    };
    let input = match &operation.input {
        Some(shape) => decode_input(model, shape, &params)?,
        None => Value::Object(Map::new()),
    };
    Ok(QueryRequest {
        action: name,
        input,
    })
}

/// Decodes `params` against a structure shape, then validates the result.
pub(crate) fn decode_input(
    model: &ServiceModel,
    shape: &str,
    params: &FormParams,
) -> Result<Value, QueryError> {
    let value = decode_value(model, shape, "", params)?.unwrap_or(Value::Object(Map::new()));
    validate(model, shape, &value)?;
    Ok(value)
}

fn first<'p>(params: &'p FormParams, name: &str) -> Option<&'p str> {
    params.get(name).and_then(|v| v.first()).map(String::as_str)
}

/// Whether any parameter is `prefix` itself or lies under `prefix.`.
fn present(params: &FormParams, prefix: &str) -> bool {
    let dotted = format!("{prefix}.");
    params.contains_key(prefix)
        || params
            .range(dotted.clone()..)
            .next()
            .is_some_and(|(k, _)| k.starts_with(&dotted))
}

/// The distinct positive indexes N of parameters named `prefix.N` or `prefix.N.…`, ascending.
fn indexes(params: &FormParams, prefix: &str) -> Vec<u64> {
    let dotted = format!("{prefix}.");
    let mut found: Vec<u64> = params
        .range(dotted.clone()..)
        .take_while(|(k, _)| k.starts_with(&dotted))
        .filter_map(|(k, _)| {
            let rest = &k[dotted.len()..];
            let n = rest.split('.').next().unwrap_or(rest);
            n.parse::<u64>().ok().filter(|&n| n > 0)
        })
        .collect();
    found.sort_unstable();
    found.dedup();
    found
}

fn decode_value(
    model: &ServiceModel,
    shape_name: &str,
    prefix: &str,
    params: &FormParams,
) -> Result<Option<Value>, QueryError> {
    let Some(shape) = model.shape(shape_name) else {
        return Ok(None);
    };
    let child = |name: &str| {
        if prefix.is_empty() {
            name.to_owned()
        } else {
            format!("{prefix}.{name}")
        }
    };
    match shape.kind {
        ShapeType::Structure => {
            if !prefix.is_empty() && !present(params, prefix) {
                return Ok(None);
            }
            let mut fields = Map::new();
            for member in &shape.members {
                let key = child(member.wire_name());
                if let Some(v) = decode_value(model, &member.shape, &key, params)? {
                    fields.insert(member.name.clone(), v);
                }
            }
            Ok(Some(Value::Object(fields)))
        }
        ShapeType::List => {
            let Some(member) = &shape.member else {
                return Ok(None);
            };
            let base = if shape.flattened {
                prefix.to_owned()
            } else {
                child(member.location_name.as_deref().unwrap_or("member"))
            };
            let items = indexes(params, &base);
            if items.is_empty() {
                return Ok(params
                    .contains_key(prefix)
                    .then(|| Value::Array(Vec::new())));
            }
            let mut out = Vec::with_capacity(items.len());
            for n in items {
                let element = format!("{base}.{n}");
                if let Some(v) = decode_value(model, &member.shape, &element, params)? {
                    out.push(v);
                }
            }
            Ok(Some(Value::Array(out)))
        }
        ShapeType::Map => {
            let (Some(key), Some(value)) = (&shape.key, &shape.value) else {
                return Ok(None);
            };
            let base = if shape.flattened {
                prefix.to_owned()
            } else {
                child("entry")
            };
            let items = indexes(params, &base);
            if items.is_empty() {
                return Ok(params
                    .contains_key(prefix)
                    .then(|| Value::Object(Map::new())));
            }
            let key_name = key.location_name.as_deref().unwrap_or("key");
            let value_name = value.location_name.as_deref().unwrap_or("value");
            let mut out = Map::new();
            for n in items {
                let k = first(params, &format!("{base}.{n}.{key_name}"));
                let v = decode_value(
                    model,
                    &value.shape,
                    &format!("{base}.{n}.{value_name}"),
                    params,
                )?;
                if let (Some(k), Some(v)) = (k, v) {
                    out.insert(k.to_owned(), v);
                }
            }
            Ok(Some(Value::Object(out)))
        }
        kind => first(params, prefix)
            .map(|raw| scalar(kind, prefix, raw))
            .transpose(),
    }
}

fn scalar(kind: ShapeType, parameter: &str, raw: &str) -> Result<Value, QueryError> {
    let invalid = |expected| QueryError::InvalidParameterValue {
        parameter: parameter.to_owned(),
        value: raw.to_owned(),
        expected,
    };
    match kind {
        ShapeType::Integer | ShapeType::Long => raw
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| invalid("an integer")),
        ShapeType::Double | ShapeType::Float => raw
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| invalid("a number")),
        ShapeType::Boolean => match raw {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(invalid("true or false")),
        },
        ShapeType::Timestamp => Timestamp::parse_iso8601(raw)
            .map(|t| Value::String(t.to_iso8601()))
            .ok_or_else(|| invalid("an ISO 8601 timestamp")),
        // Strings and base64 blobs pass through as text.
        _ => Ok(Value::String(raw.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::model::{Service, service};
    use super::*;

    fn iam(body: &str) -> Result<QueryRequest<'static>, QueryError> {
        decode_request(service(Service::Iam), body.as_bytes())
    }

    #[test]
    fn create_user_with_tags() {
        let req = iam(
            "Action=CreateUser&Version=2010-05-08&UserName=mary&Path=%2Fteam%2F\
                       &Tags.member.1.Key=dept&Tags.member.1.Value=eng\
                       &Tags.member.2.Key=cost+center&Tags.member.2.Value=42&Unknown=ignored",
        )
        .unwrap();
        assert_eq!(req.action, "CreateUser");
        assert_eq!(
            req.input,
            json!({"UserName": "mary", "Path": "/team/", "Tags": [
                {"Key": "dept", "Value": "eng"}, {"Key": "cost center", "Value": "42"}]})
        );
    }

    #[test]
    fn action_and_version_errors() {
        assert_eq!(iam("Version=2010-05-08"), Err(QueryError::MissingAction));
        assert_eq!(
            iam("Action=&Version=2010-05-08"),
            Err(QueryError::MissingAction)
        );
        let unknown = iam("Action=CreateRole&Version=2010-05-08").unwrap_err();
        assert_eq!(unknown.code(), "InvalidAction");
        assert_eq!(
            unknown.to_string(),
            "Could not find operation CreateRole for version 2010-05-08"
        );
        let no_version = iam("Action=ListUsers").unwrap_err();
        assert_eq!(
            no_version.to_string(),
            "Could not find operation ListUsers for version NO_VERSION_SPECIFIED"
        );
        assert!(iam("Action=ListUsers&Version=2011-06-15").is_err());
        let sts = decode_request(
            service(Service::Sts),
            b"Action=GetCallerIdentity&Version=2011-06-15",
        );
        assert_eq!(sts.unwrap().input, json!({}));
    }

    #[test]
    fn integers_booleans_and_their_errors() {
        let req = iam("Action=ListUsers&Version=2010-05-08&MaxItems=100&Marker=abc").unwrap();
        assert_eq!(req.input, json!({"MaxItems": 100, "Marker": "abc"}));
        let bad = iam("Action=ListUsers&Version=2010-05-08&MaxItems=lots").unwrap_err();
        assert_eq!(bad.code(), "InvalidParameterValue");
        let req = iam("Action=UpdateLoginProfile&Version=2010-05-08&UserName=m\
                       &PasswordResetRequired=true")
        .unwrap();
        assert_eq!(req.input["PasswordResetRequired"], json!(true));
        let bad = iam("Action=UpdateLoginProfile&Version=2010-05-08&UserName=m\
                       &PasswordResetRequired=yes");
        assert_eq!(bad.unwrap_err().code(), "InvalidParameterValue");
    }

    #[test]
    fn lists_keep_numeric_order_and_may_be_empty() {
        let mut body = String::from(
            "Action=SimulatePrincipalPolicy&Version=2010-05-08\
             &PolicySourceArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Auser%2Fmary",
        );
        for n in [10, 2, 1, 9, 3, 4, 5, 6, 7, 8] {
            body.push_str(&format!("&ActionNames.member.{n}=s3:Op{n}"));
        }
        let req = iam(&body).unwrap();
        let names: Vec<&str> = req.input["ActionNames"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(names[0], "s3:Op1");
        assert_eq!(names[9], "s3:Op10");
        let empty = iam("Action=SimulatePrincipalPolicy&Version=2010-05-08\
                         &PolicySourceArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Auser%2Fmary\
                         &ActionNames=")
        .unwrap();
        assert_eq!(empty.input["ActionNames"], json!([]));
    }

    #[test]
    fn nested_lists_of_structures() {
        let req = iam("Action=SimulateCustomPolicy&Version=2010-05-08\
                       &PolicyInputList.member.1=%7B%7D&ActionNames.member.1=iam%3AGetUser\
                       &ContextEntries.member.1.ContextKeyName=aws%3ASourceIp\
                       &ContextEntries.member.1.ContextKeyType=ip\
                       &ContextEntries.member.1.ContextKeyValues.member.1=10.0.0.1\
                       &ContextEntries.member.1.ContextKeyValues.member.2=10.0.0.2")
        .unwrap();
        assert_eq!(
            req.input["ContextEntries"],
            json!([{"ContextKeyName": "aws:SourceIp", "ContextKeyValues": ["10.0.0.1", "10.0.0.2"],
                    "ContextKeyType": "ip"}])
        );
    }

    #[test]
    fn validation_runs_after_decoding() {
        let err = iam("Action=CreateUser&Version=2010-05-08").unwrap_err();
        assert_eq!(err.code(), "ValidationError");
        assert_eq!(
            err.to_string(),
            "1 validation error detected: Value null at 'userName' failed to satisfy \
             constraint: Member must not be null"
        );
        let err = iam("Action=ListPolicies&Version=2010-05-08&Scope=Mine").unwrap_err();
        assert!(
            err.to_string()
                .contains("enum value set: [All, AWS, Local]")
        );
    }

    #[test]
    fn hostile_bodies_do_not_panic() {
        let bodies: [&[u8]; 6] = [
            b"\xff\xfe%%%&&==",
            b"Action=CreateUser&Version=2010-05-08&UserName=%F0%9F%98%80",
            b"Action=TagUser&Version=2010-05-08&UserName=a&Tags.member.0.Key=k&Tags.member.-1=x",
            b"Action=TagUser&Version=2010-05-08&UserName=a&Tags.member.99999999999999999999999=k",
            b"Action=ListUsers&Version=2010-05-08&MaxItems=99999999999999999999999",
            b"Action=TagUser&Version=2010-05-08&UserName=a&Tags=&Tags.member.1=x",
        ];
        for body in bodies {
            let _ = decode_request(service(Service::Iam), body);
        }
    }
}
