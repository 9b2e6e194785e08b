//! Checks a decoded request against its input shape the way AWS's front end does, with the
//! same messages, so SDK error handling and users' scripts see what AWS would send.
//!
//! Message format, as IAM returns it and as emulators that copy it reproduce (moto's
//! `moto/iam/models.py` and `moto/secretsmanager/responses.py`; OOS's IAM conformance tests):
//!   `1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member
//!   must not be null`
//!   `2 validation errors detected: Value 'x y' at 'userName' failed to satisfy constraint: ...;
//!   Value '...' at 'tags.1.member.key' failed to satisfy constraint: ...`
//! Paths use lowerCamelCase member names, list elements are `<list>.<n>.member` (1-based), and
//! values of `sensitive` shapes are left out (`Value at 'password' ...`), as Cognito does.

use serde_json::Value;
use thiserror::Error;

use super::model::{ServiceModel, Shape, ShapeType};

/// One or more constraint violations; its Display is AWS's whole `ValidationError` message.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{}", summary(.violations))]
pub(crate) struct ValidationError {
    pub(crate) violations: Vec<String>,
}

fn summary(violations: &[String]) -> String {
    match violations.len() {
        1 => format!("1 validation error detected: {}", violations[0]),
        n => format!("{n} validation errors detected: {}", violations.join("; ")),
    }
}

/// Validates `value` (a decoded input keyed by member name) against `shape`.
pub(crate) fn validate(
    model: &ServiceModel,
    shape: &str,
    value: &Value,
) -> Result<(), ValidationError> {
    let mut violations = Vec::new();
    check(model, shape, "", value, &mut violations);
    if violations.is_empty() {
        Ok(())
    } else {
        Err(ValidationError { violations })
    }
}

/// `UserName` → `userName`: how AWS's Java front end names members in messages.
pub(crate) fn lower_camel(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn check(model: &ServiceModel, name: &str, path: &str, value: &Value, out: &mut Vec<String>) {
    let Some(shape) = model.shape(name) else {
        return;
    };
    match (shape.kind, value) {
        (ShapeType::Structure, Value::Object(fields)) => {
            for member in &shape.members {
                let child = join(path, &lower_camel(&member.name));
                match fields.get(&member.name) {
                    None | Some(Value::Null) if shape.required.contains(&member.name) => {
                        out.push(format!(
                            "Value null at '{child}' failed to satisfy constraint: \
                             Member must not be null"
                        ));
                    }
                    None | Some(Value::Null) => {}
                    Some(v) => check(model, &member.shape, &child, v, out),
                }
            }
        }
        (ShapeType::List, Value::Array(items)) => {
            check_length(shape, items.len(), path, value, out);
            if let Some(member) = &shape.member {
                for (i, item) in items.iter().enumerate() {
                    let child = format!("{path}.{}.member", i + 1);
                    check(model, &member.shape, &child, item, out);
                }
            }
        }
        (ShapeType::Map, Value::Object(entries)) => {
            check_length(shape, entries.len(), path, value, out);
            if let Some(v) = &shape.value {
                for (key, item) in entries {
                    check(model, &v.shape, &format!("{path}.{key}"), item, out);
                }
            }
        }
        (ShapeType::String, Value::String(s)) => {
            // Java measures strings in UTF-16 code units.
            check_length(shape, s.encode_utf16().count(), path, value, out);
            if let (Some(re), Some(p)) = (model.pattern(name), &shape.pattern)
                && !re.is_match(s)
            {
                let what = format!("Member must satisfy regular expression pattern: {p}");
                out.push(violation(shape, value, path, &what));
            }
            if !shape.enum_values.is_empty() && !shape.enum_values.iter().any(|e| e == s) {
                let set = shape.enum_values.join(", ");
                let what = format!("Member must satisfy enum value set: [{set}]");
                out.push(violation(shape, value, path, &what));
            }
        }
        (ShapeType::Integer | ShapeType::Long, Value::Number(n)) => {
            if let Some(n) = n.as_i64() {
                check_range(shape, n, path, value, out);
            }
        }
        _ => {}
    }
}

fn check_length(shape: &Shape, len: usize, path: &str, value: &Value, out: &mut Vec<String>) {
    let len = i64::try_from(len).unwrap_or(i64::MAX);
    if let Some(min) = shape.min.filter(|&min| len < min) {
        let what = format!("Member must have length greater than or equal to {min}");
        out.push(violation(shape, value, path, &what));
    }
    if let Some(max) = shape.max.filter(|&max| len > max) {
        let what = format!("Member must have length less than or equal to {max}");
        out.push(violation(shape, value, path, &what));
    }
}

fn check_range(shape: &Shape, n: i64, path: &str, value: &Value, out: &mut Vec<String>) {
    if let Some(min) = shape.min.filter(|&min| n < min) {
        let what = format!("Member must have value greater than or equal to {min}");
        out.push(violation(shape, value, path, &what));
    }
    if let Some(max) = shape.max.filter(|&max| n > max) {
        let what = format!("Member must have value less than or equal to {max}");
        out.push(violation(shape, value, path, &what));
    }
}

fn violation(shape: &Shape, value: &Value, path: &str, what: &str) -> String {
    if shape.sensitive {
        format!("Value at '{path}' failed to satisfy constraint: {what}")
    } else {
        let shown = render(value);
        format!("Value '{shown}' at '{path}' failed to satisfy constraint: {what}")
    }
}

// Java's toString of the decoded value: lists as `[a, b]`, structures as `{Key=k, Value=v}`.
fn render(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(render).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(fields) => {
            let fields: Vec<String> = fields
                .iter()
                .map(|(k, v)| format!("{k}={}", render(v)))
                .collect();
            format!("{{{}}}", fields.join(", "))
        }
        other => other.to_string(),
    }
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::model::{Service, service};
    use super::*;

    fn errors(shape: &str, value: Value) -> String {
        let iam = service(Service::Iam);
        validate(iam, shape, &value).unwrap_err().to_string()
    }

    #[test]
    fn missing_required_member() {
        assert_eq!(
            errors("CreateUserRequest", json!({})),
            "1 validation error detected: Value null at 'userName' failed to satisfy \
             constraint: Member must not be null"
        );
    }

    #[test]
    fn pattern_and_length_violations_are_counted_and_joined() {
        let path = format!("/{}/", "a".repeat(511));
        let message = errors(
            "CreateUserRequest",
            json!({"UserName": "x y", "Path": path}),
        );
        assert_eq!(
            message,
            format!(
                "2 validation errors detected: Value '{path}' at 'path' failed to satisfy \
                 constraint: Member must have length less than or equal to 512; Value 'x y' at \
                 'userName' failed to satisfy constraint: Member must satisfy regular \
                 expression pattern: [\\w+=,.@-]+"
            )
        );
    }

    #[test]
    fn list_elements_are_numbered_from_one() {
        let tags = json!([{"Key": "ok", "Value": "v"}, {"Key": "bad*key", "Value": "v"}]);
        assert_eq!(
            errors(
                "CreateUserRequest",
                json!({"UserName": "mary", "Tags": tags})
            ),
            "1 validation error detected: Value 'bad*key' at 'tags.2.member.key' failed to \
             satisfy constraint: Member must satisfy regular expression pattern: \
             [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+"
        );
        let missing = errors(
            "TagUserRequest",
            json!({"UserName": "m", "Tags": [{"Key": "k"}]}),
        );
        assert!(
            missing.contains("Value null at 'tags.1.member.value'"),
            "{missing}"
        );
    }

    #[test]
    fn integer_range_and_enum() {
        assert_eq!(
            errors("ListUsersRequest", json!({"MaxItems": 1001})),
            "1 validation error detected: Value '1001' at 'maxItems' failed to satisfy \
             constraint: Member must have value less than or equal to 1000"
        );
        assert_eq!(
            errors("ListPoliciesRequest", json!({"Scope": "Everything"})),
            "1 validation error detected: Value 'Everything' at 'scope' failed to satisfy \
             constraint: Member must satisfy enum value set: [All, AWS, Local]"
        );
    }

    #[test]
    fn sensitive_values_are_not_echoed() {
        let message = errors(
            "CreateLoginProfileRequest",
            json!({"UserName": "m", "Password": ""}),
        );
        // Length before pattern, the order Cognito reports an empty password in.
        assert_eq!(
            message,
            "2 validation errors detected: Value at 'password' failed to satisfy constraint: \
             Member must have length greater than or equal to 1; Value at 'password' failed to \
             satisfy constraint: Member must satisfy regular expression pattern: \
             [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+"
        );
    }

    #[test]
    fn valid_input_passes() {
        let iam = service(Service::Iam);
        let input = json!({"UserName": "mary", "Path": "/", "Tags": [{"Key": "k", "Value": ""}]});
        assert_eq!(validate(iam, "CreateUserRequest", &input), Ok(()));
    }

    #[test]
    fn lower_camel_case() {
        assert_eq!(lower_camel("UserName"), "userName");
        assert_eq!(lower_camel("Marker"), "marker");
        assert_eq!(lower_camel(""), "");
    }
}
