//! AWS Query responses: a handler's result (a JSON object keyed by member name) serialized
//! against the operation's output shape, the inverse of botocore's `QueryParser`. Members come
//! out in model order, lists as `<Name><member>…</member></Name>`, maps as
//! `<entry><key/><value/></entry>`, timestamps as ISO 8601 UTC, booleans as `true`/`false`.

use std::fmt::Write;

use serde_json::Value;
use thiserror::Error;

use super::error_info::Fault;
use super::model::{ServiceModel, ShapeType};
use super::timestamp::Timestamp;

/// A handler result that does not fit the output shape: a bug in the handler, not the request.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub(crate) enum XmlError {
    #[error("operation {0} is not in the model")]
    UnknownOperation(String),
    #[error("value at {path} is not a {expected}")]
    TypeMismatch {
        path: String,
        expected: &'static str,
    },
}

/// `<{Op}Response xmlns=…><{Op}Result>…</{Op}Result><ResponseMetadata>…</ResponseMetadata>`.
pub(crate) fn success_response(
    model: &ServiceModel,
    operation: &str,
    result: &Value,
    request_id: &str,
) -> Result<String, XmlError> {
    let op = model
        .operation(operation)
        .ok_or_else(|| XmlError::UnknownOperation(operation.to_owned()))?;
    let mut out = String::new();
    out.push_str(&format!("<{operation}Response"));
    push_xmlns(&mut out, model);
    out.push('>');
    if let Some(shape) = &op.output {
        let wrapper = op
            .result_wrapper
            .clone()
            .unwrap_or_else(|| format!("{operation}Result"));
        out.push_str(&format!("<{wrapper}>"));
        write_members(model, shape, result, operation, &mut out)?;
        out.push_str(&format!("</{wrapper}>"));
    }
    out.push_str("<ResponseMetadata><RequestId>");
    escape_into(&mut out, request_id);
    out.push_str(&format!(
        "</RequestId></ResponseMetadata></{operation}Response>"
    ));
    Ok(out)
}

/// `<ErrorResponse xmlns=…><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`.
pub(crate) fn error_response(
    model: &ServiceModel,
    fault: Fault,
    code: &str,
    message: &str,
    request_id: &str,
) -> String {
    let mut out = String::from("<ErrorResponse");
    push_xmlns(&mut out, model);
    out.push_str("><Error><Type>");
    out.push_str(fault.as_str());
    out.push_str("</Type><Code>");
    escape_into(&mut out, code);
    out.push_str("</Code><Message>");
    escape_into(&mut out, message);
    out.push_str("</Message></Error><RequestId>");
    escape_into(&mut out, request_id);
    out.push_str("</RequestId></ErrorResponse>");
    out
}

fn push_xmlns(out: &mut String, model: &ServiceModel) {
    if let Some(ns) = &model.metadata.xml_namespace {
        out.push_str(" xmlns=\"");
        escape_into(out, ns);
        out.push('"');
    }
}

fn write_members(
    model: &ServiceModel,
    shape: &str,
    value: &Value,
    path: &str,
    out: &mut String,
) -> Result<(), XmlError> {
    let Some(shape) = model.shape(shape) else {
        return Ok(());
    };
    let Value::Object(fields) = value else {
        return Err(mismatch(path, "structure"));
    };
    for member in &shape.members {
        let Some(v) = fields.get(&member.name).filter(|v| !v.is_null()) else {
            continue;
        };
        let child = format!("{path}.{}", member.name);
        let flattened = member.flattened || model.shape(&member.shape).is_some_and(|s| s.flattened);
        if flattened {
            write_flattened(model, &member.shape, member.wire_name(), v, &child, out)?;
        } else {
            write_element(model, &member.shape, member.wire_name(), v, &child, out)?;
        }
    }
    Ok(())
}

fn write_flattened(
    model: &ServiceModel,
    shape: &str,
    name: &str,
    value: &Value,
    path: &str,
    out: &mut String,
) -> Result<(), XmlError> {
    let (Some(member), Value::Array(items)) =
        (model.shape(shape).and_then(|s| s.member.as_ref()), value)
    else {
        return write_element(model, shape, name, value, path, out);
    };
    for item in items {
        write_element(model, &member.shape, name, item, path, out)?;
    }
    Ok(())
}

fn write_element(
    model: &ServiceModel,
    shape_name: &str,
    name: &str,
    value: &Value,
    path: &str,
    out: &mut String,
) -> Result<(), XmlError> {
    let Some(shape) = model.shape(shape_name) else {
        return Ok(());
    };
    out.push_str(&format!("<{name}>"));
    match shape.kind {
        ShapeType::Structure => write_members(model, shape_name, value, path, out)?,
        ShapeType::List => {
            let Value::Array(items) = value else {
                return Err(mismatch(path, "list"));
            };
            if let Some(member) = &shape.member {
                let tag = member.location_name.as_deref().unwrap_or("member");
                for item in items {
                    write_element(model, &member.shape, tag, item, path, out)?;
                }
            }
        }
        ShapeType::Map => {
            let Value::Object(entries) = value else {
                return Err(mismatch(path, "map"));
            };
            if let (Some(k), Some(v)) = (&shape.key, &shape.value) {
                let key_tag = k.location_name.as_deref().unwrap_or("key");
                let value_tag = v.location_name.as_deref().unwrap_or("value");
                for (key, item) in entries {
                    out.push_str(&format!("<entry><{key_tag}>"));
                    escape_into(out, key);
                    out.push_str(&format!("</{key_tag}>"));
                    write_element(model, &v.shape, value_tag, item, path, out)?;
                    out.push_str("</entry>");
                }
            }
        }
        ShapeType::Timestamp => {
            let t = Timestamp::from_value(value).ok_or_else(|| mismatch(path, "timestamp"))?;
            out.push_str(&t.to_iso8601());
        }
        ShapeType::Boolean => match value {
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            _ => return Err(mismatch(path, "boolean")),
        },
        ShapeType::Integer | ShapeType::Long | ShapeType::Double | ShapeType::Float => {
            match value {
                Value::Number(n) => {
                    let _ = write!(out, "{n}");
                }
                _ => return Err(mismatch(path, "number")),
            }
        }
        ShapeType::String | ShapeType::Blob => match value {
            Value::String(s) => escape_into(out, s),
            _ => return Err(mismatch(path, "string")),
        },
    }
    out.push_str(&format!("</{name}>"));
    Ok(())
}

fn mismatch(path: &str, expected: &'static str) -> XmlError {
    XmlError::TypeMismatch {
        path: path.to_owned(),
        expected,
    }
}

/// Escapes text for element content and double-quoted attributes. Characters XML 1.0 cannot
/// carry at all (most C0 controls) are dropped rather than producing a document clients reject.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#xD;"),
            '\t' | '\n' => out.push(c),
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::model::{Service, service};
    use super::*;

    // The IAM API Reference's samples are indented; the serializer writes no whitespace.
    fn compact(xml: &str) -> String {
        xml.lines().map(str::trim).collect()
    }

    fn iam(op: &str, result: Value, request_id: &str) -> String {
        success_response(service(Service::Iam), op, &result, request_id).unwrap()
    }

    #[test]
    fn create_user_matches_the_api_reference_sample() {
        let result = json!({"User": {
            "UserName": "Bob", "Path": "/division_abc/subdivision_xyz/",
            "UserId": "AIDACKCEVSQ6C2EXAMPLE",
            "Arn": "arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob"}});
        let expected = r#"<CreateUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
            <CreateUserResult>
              <User>
                <Path>/division_abc/subdivision_xyz/</Path>
                <UserName>Bob</UserName>
                <UserId>AIDACKCEVSQ6C2EXAMPLE</UserId>
                <Arn>arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob</Arn>
              </User>
            </CreateUserResult>
            <ResponseMetadata>
              <RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId>
            </ResponseMetadata>
          </CreateUserResponse>"#;
        let xml = iam("CreateUser", result, "7a62c49f-347e-4fc4-9331-6e8eEXAMPLE");
        assert_eq!(xml, compact(expected));
    }

    #[test]
    fn list_users_members_in_model_order_with_timestamps() {
        // The reference sample's users, elements in model order (the sample puts UserId first;
        // XML clients read members by name, so order is not significant to them).
        let result = json!({"IsTruncated": false, "Users": [{
            "UserId": "AID2MAB8DPLSRHEXAMPLE", "Path": "/division_abc/subdivision_xyz/engineering/",
            "UserName": "Andrew",
            "Arn": "arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/engineering/Andrew",
            "CreateDate": "2012-09-05T19:38:48Z", "PasswordLastUsed": 1_410_212_856}]});
        let expected = r#"<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
            <ListUsersResult>
              <Users>
                <member>
                  <Path>/division_abc/subdivision_xyz/engineering/</Path>
                  <UserName>Andrew</UserName>
                  <UserId>AID2MAB8DPLSRHEXAMPLE</UserId>
                  <Arn>arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/engineering/Andrew</Arn>
                  <CreateDate>2012-09-05T19:38:48Z</CreateDate>
                  <PasswordLastUsed>2014-09-08T21:47:36Z</PasswordLastUsed>
                </member>
              </Users>
              <IsTruncated>false</IsTruncated>
            </ListUsersResult>
            <ResponseMetadata>
              <RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId>
            </ResponseMetadata>
          </ListUsersResponse>"#;
        let xml = iam("ListUsers", result, "7a62c49f-347e-4fc4-9331-6e8eEXAMPLE");
        assert_eq!(xml, compact(expected));
    }

    #[test]
    fn create_policy_and_empty_lists() {
        let result = json!({"Policy": {
            "PolicyName": "S3-read-only-example-bucket", "DefaultVersionId": "v1",
            "PolicyId": "AGPACKCEVSQ6C2EXAMPLE", "Path": "/",
            "Arn": "arn:aws:iam::123456789012:policy/S3-read-only-example-bucket",
            "AttachmentCount": 0, "IsAttachable": true,
            "CreateDate": "2014-09-15T17:36:14.673Z", "UpdateDate": "2014-09-15T17:36:14.673Z",
            "Tags": []}});
        let xml = iam(
            "CreatePolicy",
            result,
            "ca64c9e1-3a9f-11e4-9ef8-4b7cEXAMPLE",
        );
        assert!(xml.contains(
            "<Policy><PolicyName>S3-read-only-example-bucket</PolicyName>\
             <PolicyId>AGPACKCEVSQ6C2EXAMPLE</PolicyId>\
             <Arn>arn:aws:iam::123456789012:policy/S3-read-only-example-bucket</Arn>\
             <Path>/</Path><DefaultVersionId>v1</DefaultVersionId>\
             <AttachmentCount>0</AttachmentCount>"
        ));
        assert!(xml.contains("<IsAttachable>true</IsAttachable>"));
        assert!(xml.contains("<CreateDate>2014-09-15T17:36:14.673Z</CreateDate>"));
        assert!(xml.contains("<Tags></Tags></Policy>"));
    }

    #[test]
    fn operations_without_output_carry_only_metadata() {
        let xml = iam("DeleteUser", json!({}), "r-1");
        assert_eq!(
            xml,
            "<DeleteUserResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">\
             <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>\
             </DeleteUserResponse>"
        );
    }

    #[test]
    fn error_response_matches_the_api_reference_sample() {
        let expected = r#"<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
            <Error>
              <Type>Sender</Type>
              <Code>NoSuchEntity</Code>
              <Message>The user with name Bob cannot be found.</Message>
            </Error>
            <RequestId>42d59b56-7407-4c4a-be0f-4c88daeea257</RequestId>
          </ErrorResponse>"#;
        let xml = error_response(
            service(Service::Iam),
            Fault::Sender,
            "NoSuchEntity",
            "The user with name Bob cannot be found.",
            "42d59b56-7407-4c4a-be0f-4c88daeea257",
        );
        assert_eq!(xml, compact(expected));
    }

    #[test]
    fn text_is_escaped_and_types_are_checked() {
        let xml = iam(
            "GetUser",
            json!({"User": {"UserName": "a<b>&\"c'\u{1}"}}),
            "<id>",
        );
        assert!(xml.contains("<UserName>a&lt;b&gt;&amp;&quot;c&apos;</UserName>"));
        assert!(xml.contains("<RequestId>&lt;id&gt;</RequestId>"));
        let bad = success_response(service(Service::Iam), "GetUser", &json!({"User": 1}), "r");
        assert!(matches!(bad, Err(XmlError::TypeMismatch { .. })));
        let sts = success_response(
            service(Service::Sts),
            "GetCallerIdentity",
            &json!({"UserId": "AIDA", "Account": "123456789012", "Arn": "arn:aws:iam::123456789012:user/m"}),
            "r",
        )
        .unwrap();
        assert!(sts.starts_with(
            "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
             <GetCallerIdentityResult><UserId>AIDA</UserId><Account>123456789012</Account>"
        ));
    }
}
