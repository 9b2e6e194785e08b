//! AWS JSON 1.1 (CloudTrail's LookupEvents): the body is the input structure itself, keyed by
//! member name; timestamps travel as epoch seconds. Decoding type-checks against the input
//! shape (AWS answers `SerializationException` for a wrong type or unparseable body), turns
//! timestamps into the same ISO 8601 strings the Query decoder produces, and then validates
//! with the shared rules in validate.rs.

use serde_json::{Map, Value};
use thiserror::Error;

use super::model::{ServiceModel, ShapeType};
use super::timestamp::Timestamp;
use super::validate::{ValidationError, validate};

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub(crate) enum JsonError {
    #[error("Unknown operation {0}")]
    UnknownOperation(String),
    #[error("{0}")]
    Serialization(String),
    #[error(transparent)]
    Validation(#[from] ValidationError),
}

impl JsonError {
    /// The `__type` to answer with.
    pub(crate) fn code(&self) -> &'static str {
        match self {
            JsonError::UnknownOperation(_) => "UnknownOperationException",
            JsonError::Serialization(_) => "SerializationException",
            JsonError::Validation(_) => "ValidationException",
        }
    }
}

/// Decodes and validates the body of `operation`; an empty body is an empty input.
pub(crate) fn decode_input(
    model: &ServiceModel,
    operation: &str,
    body: &[u8],
) -> Result<Value, JsonError> {
    let op = model
        .operation(operation)
        .ok_or_else(|| JsonError::UnknownOperation(operation.to_owned()))?;
    let raw: Value = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Map::new())
    } else {
        serde_json::from_slice(body).map_err(|e| JsonError::Serialization(e.to_string()))?
    };
    let Some(shape) = &op.input else {
        return Ok(Value::Object(Map::new()));
    };
    let input = convert(model, shape, &raw, "", Direction::In)?;
    validate(model, shape, &input)?;
    Ok(input)
}

/// Encodes a handler's result against the output shape: unknown and null members dropped,
/// timestamps as epoch seconds.
pub(crate) fn encode_output(
    model: &ServiceModel,
    operation: &str,
    result: &Value,
) -> Result<String, JsonError> {
    let op = model
        .operation(operation)
        .ok_or_else(|| JsonError::UnknownOperation(operation.to_owned()))?;
    let out = match &op.output {
        Some(shape) => convert(model, shape, result, "", Direction::Out)?,
        None => Value::Object(Map::new()),
    };
    Ok(out.to_string())
}

/// `{"__type": code, "message": message}`, the awsJson1.1 error body.
pub(crate) fn error_body(code: &str, message: &str) -> String {
    serde_json::json!({"__type": code, "message": message}).to_string()
}

#[derive(Clone, Copy)]
enum Direction {
    In,
    Out,
}

fn convert(
    model: &ServiceModel,
    shape_name: &str,
    value: &Value,
    path: &str,
    dir: Direction,
) -> Result<Value, JsonError> {
    let Some(shape) = model.shape(shape_name) else {
        return Ok(value.clone());
    };
    let wrong = |expected: &str| {
        let at = if path.is_empty() { "the body" } else { path };
        JsonError::Serialization(format!("Expected {expected} at {at}"))
    };
    match (shape.kind, value) {
        (ShapeType::Structure, Value::Object(fields)) => {
            let mut out = Map::new();
            for member in &shape.members {
                if let Some(v) = fields.get(member.wire_name()).filter(|v| !v.is_null()) {
                    let child = format!("{path}/{}", member.name);
                    let key = match dir {
                        Direction::In => member.name.clone(),
                        Direction::Out => member.wire_name().to_owned(),
                    };
                    out.insert(key, convert(model, &member.shape, v, &child, dir)?);
                }
            }
            Ok(Value::Object(out))
        }
        (ShapeType::List, Value::Array(items)) => {
            let Some(member) = &shape.member else {
                return Ok(Value::Array(Vec::new()));
            };
            let items = items
                .iter()
                .enumerate()
                .map(|(i, v)| convert(model, &member.shape, v, &format!("{path}/{i}"), dir))
                .collect::<Result<_, _>>()?;
            Ok(Value::Array(items))
        }
        (ShapeType::Map, Value::Object(entries)) => {
            let Some(v) = &shape.value else {
                return Ok(Value::Object(Map::new()));
            };
            let mut out = Map::new();
            for (k, item) in entries {
                let child = format!("{path}/{k}");
                out.insert(k.clone(), convert(model, &v.shape, item, &child, dir)?);
            }
            Ok(Value::Object(out))
        }
        (ShapeType::Timestamp, v) => {
            let t = Timestamp::from_value(v).ok_or_else(|| wrong("a timestamp"))?;
            Ok(match dir {
                Direction::In => Value::String(t.to_iso8601()),
                Direction::Out => t.to_epoch_value(),
            })
        }
        (ShapeType::Integer | ShapeType::Long, Value::Number(n)) if n.is_i64() => Ok(value.clone()),
        (ShapeType::Double | ShapeType::Float, Value::Number(_))
        | (ShapeType::Boolean, Value::Bool(_))
        | (ShapeType::String | ShapeType::Blob, Value::String(_)) => Ok(value.clone()),
        (kind, _) => Err(wrong(match kind {
            ShapeType::Structure | ShapeType::Map => "an object",
            ShapeType::List => "an array",
            ShapeType::Boolean => "a boolean",
            ShapeType::String | ShapeType::Blob => "a string",
            ShapeType::Integer | ShapeType::Long => "an integer",
            _ => "a number",
        })),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::model::{Service, service};
    use super::*;

    fn lookup(body: &str) -> Result<Value, JsonError> {
        decode_input(
            service(Service::CloudTrail),
            "LookupEvents",
            body.as_bytes(),
        )
    }

    #[test]
    fn decodes_lookup_events_with_epoch_timestamps() {
        let input = lookup(
            r#"{"LookupAttributes":[{"AttributeKey":"Username","AttributeValue":"mary"}],
                "StartTime":1796724000,"EndTime":1796724000.5,"MaxResults":50,"Extra":1}"#,
        )
        .unwrap();
        assert_eq!(
            input,
            json!({"LookupAttributes": [{"AttributeKey": "Username", "AttributeValue": "mary"}],
                   "StartTime": "2026-12-08T10:00:00Z", "EndTime": "2026-12-08T10:00:00.500Z",
                   "MaxResults": 50})
        );
        assert_eq!(lookup("").unwrap(), json!({}));
    }

    #[test]
    fn wrong_types_are_serialization_errors() {
        assert_eq!(lookup("{").unwrap_err().code(), "SerializationException");
        assert_eq!(
            lookup(r#"{"MaxResults":"50"}"#).unwrap_err().code(),
            "SerializationException"
        );
        assert_eq!(lookup("[]").unwrap_err().code(), "SerializationException");
    }

    #[test]
    fn constraints_use_the_shared_messages() {
        let err = lookup(r#"{"MaxResults":51,"LookupAttributes":[{"AttributeKey":"Nope"}]}"#)
            .unwrap_err();
        assert_eq!(err.code(), "ValidationException");
        let message = err.to_string();
        assert!(
            message.starts_with("3 validation errors detected: "),
            "{message}"
        );
        assert!(message.contains("Value 'Nope' at 'lookupAttributes.1.member.attributeKey'"));
        assert!(message.contains("Value null at 'lookupAttributes.1.member.attributeValue'"));
        assert!(message.contains(
            "Value '51' at 'maxResults' failed to satisfy constraint: \
                                  Member must have value less than or equal to 50"
        ));
    }

    #[test]
    fn encodes_timestamps_as_epoch_seconds() {
        let result = json!({"Events": [{"EventId": "e1", "EventTime": "2026-12-08T10:00:00Z",
                                        "Unknown": 1}], "NextToken": null});
        let body = encode_output(service(Service::CloudTrail), "LookupEvents", &result).unwrap();
        assert_eq!(
            body,
            r#"{"Events":[{"EventId":"e1","EventTime":1796724000}]}"#
        );
        assert_eq!(
            error_body("InvalidMaxResultsException", "too many"),
            r#"{"__type":"InvalidMaxResultsException","message":"too many"}"#
        );
    }
}
