//! The trimmed botocore service models in aws/models/, parsed once. Shapes keep the botocore
//! field names; struct members are an ordered list because their order is the XML element order.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use super::error_info::{ErrorInfo, Fault};
use super::{common_errors, pattern};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Service {
    Iam,
    Sts,
    CloudTrail,
}

static IAM: LazyLock<ServiceModel> = LazyLock::new(|| load(include_str!("models/iam.json")));
static STS: LazyLock<ServiceModel> = LazyLock::new(|| load(include_str!("models/sts.json")));
static CLOUDTRAIL: LazyLock<ServiceModel> =
    LazyLock::new(|| load(include_str!("models/cloudtrail.json")));

// The files are generated and committed; the tests below parse all three, so a failure here
// means a broken build, not bad input.
#[allow(
    clippy::expect_used,
    reason = "embedded data, checked by this module's tests"
)]
fn load(json: &str) -> ServiceModel {
    ServiceModel::parse(json).expect("embedded AWS service model parses")
}

pub(crate) fn service(service: Service) -> &'static ServiceModel {
    match service {
        Service::Iam => &IAM,
        Service::Sts => &STS,
        Service::CloudTrail => &CLOUDTRAIL,
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct ServiceModel {
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "read by the tests that check the generated model")
    )]
    pub(crate) source: String,
    pub(crate) metadata: Metadata,
    pub(crate) operations: HashMap<String, Operation>,
    pub(crate) shapes: HashMap<String, Shape>,
    #[serde(skip)]
    errors: HashMap<String, ErrorInfo>,
    #[serde(skip)]
    patterns: HashMap<String, Regex>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Metadata {
    pub(crate) api_version: String,
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "read by the tests that check the generated model")
    )]
    pub(crate) protocol: String,
    pub(crate) xml_namespace: Option<String>,
    pub(crate) target_prefix: Option<String>,
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "read by the tests that check the generated model")
    )]
    pub(crate) json_version: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Operation {
    pub(crate) input: Option<String>,
    pub(crate) output: Option<String>,
    pub(crate) result_wrapper: Option<String>,
    #[serde(default)]
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "read by the tests that check the generated model")
    )]
    pub(crate) errors: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ShapeType {
    Structure,
    List,
    Map,
    String,
    Integer,
    Long,
    Boolean,
    Timestamp,
    Blob,
    Double,
    Float,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Shape {
    #[serde(rename = "type")]
    pub(crate) kind: ShapeType,
    #[serde(default)]
    pub(crate) required: Vec<String>,
    pub(crate) min: Option<i64>,
    pub(crate) max: Option<i64>,
    pub(crate) pattern: Option<String>,
    #[serde(default, rename = "enum")]
    pub(crate) enum_values: Vec<String>,
    #[serde(default)]
    pub(crate) sensitive: bool,
    #[serde(default)]
    pub(crate) flattened: bool,
    #[serde(default)]
    pub(crate) members: Vec<Member>,
    pub(crate) member: Option<ShapeRef>,
    pub(crate) key: Option<ShapeRef>,
    pub(crate) value: Option<ShapeRef>,
    #[serde(default)]
    pub(crate) exception: bool,
    pub(crate) error: Option<ErrorTrait>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Member {
    pub(crate) name: String,
    pub(crate) shape: String,
    pub(crate) location_name: Option<String>,
    #[serde(default)]
    pub(crate) flattened: bool,
}

impl Member {
    /// The element name on the wire: botocore's `locationName` when set, else the member name.
    pub(crate) fn wire_name(&self) -> &str {
        self.location_name.as_deref().unwrap_or(&self.name)
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ShapeRef {
    pub(crate) shape: String,
    pub(crate) location_name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ErrorTrait {
    pub(crate) code: Option<String>,
    pub(crate) http_status_code: Option<u16>,
    pub(crate) sender_fault: Option<bool>,
}

impl ServiceModel {
    pub(crate) fn parse(json: &str) -> Result<ServiceModel, serde_json::Error> {
        let mut model: ServiceModel = serde_json::from_str(json)?;
        for (name, shape) in &model.shapes {
            if shape.exception {
                let (code, info) = error_entry(name, shape);
                model.errors.insert(code, info);
            }
            // A pattern the regex crate cannot express is left unchecked rather than rejected.
            if let Some(Ok(re)) = shape.pattern.as_deref().map(pattern::compile) {
                model.patterns.insert(name.clone(), re);
            }
        }
        Ok(model)
    }

    pub(crate) fn operation(&self, name: &str) -> Option<&Operation> {
        self.operations.get(name)
    }

    pub(crate) fn shape(&self, name: &str) -> Option<&Shape> {
        self.shapes.get(name)
    }

    /// The compiled `pattern` of a string shape, if it has one the regex crate can express.
    pub(crate) fn pattern(&self, shape: &str) -> Option<&Regex> {
        self.patterns.get(shape)
    }

    /// HTTP status and fault for an error code: the service's own error shapes first, then the
    /// errors common to all AWS services.
    pub(crate) fn error(&self, code: &str) -> Option<ErrorInfo> {
        self.errors
            .get(code)
            .copied()
            .or_else(|| common_errors::lookup(code))
    }

    /// Every error code the model declares, with its status and fault.
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "read by the tests that check the generated model")
    )]
    pub(crate) fn errors(&self) -> impl Iterator<Item = (&str, ErrorInfo)> {
        self.errors.iter().map(|(c, i)| (c.as_str(), *i))
    }
}

// botocore's defaults when a shape leaves them out (JSON-protocol services usually do): the
// code is the shape name, the status 400, and the fault the sender's unless the status is 5xx.
fn error_entry(name: &str, shape: &Shape) -> (String, ErrorInfo) {
    let error = shape.error.as_ref();
    let code = error
        .and_then(|e| e.code.clone())
        .unwrap_or_else(|| name.to_owned());
    let status = error.and_then(|e| e.http_status_code).unwrap_or(400);
    let sender = error.and_then(|e| e.sender_fault).unwrap_or(status < 500);
    let fault = if sender {
        Fault::Sender
    } else {
        Fault::Receiver
    };
    (code, ErrorInfo { status, fault })
}

#[cfg(test)]
mod tests {
    use super::*;

    const IAM_OPERATIONS: &str = "CreatePolicy GetPolicy ListPolicies GetPolicyVersion \
        ListPolicyVersions CreatePolicyVersion SetDefaultPolicyVersion DeletePolicyVersion \
        DeletePolicy TagPolicy UntagPolicy ListPolicyTags ListEntitiesForPolicy CreateGroup \
        GetGroup ListGroups UpdateGroup DeleteGroup AttachGroupPolicy DetachGroupPolicy \
        ListAttachedGroupPolicies CreateUser GetUser ListUsers UpdateUser DeleteUser TagUser \
        UntagUser ListUserTags AddUserToGroup RemoveUserFromGroup ListGroupsForUser \
        AttachUserPolicy DetachUserPolicy ListAttachedUserPolicies CreateLoginProfile \
        GetLoginProfile UpdateLoginProfile DeleteLoginProfile ChangePassword CreateAccessKey \
        ListAccessKeys UpdateAccessKey DeleteAccessKey GetAccessKeyLastUsed \
        GetAccountPasswordPolicy UpdateAccountPasswordPolicy GetAccountSummary \
        GenerateServiceLastAccessedDetails GetServiceLastAccessedDetails SimulatePrincipalPolicy \
        SimulateCustomPolicy ListUserPolicies ListGroupPolicies ListSSHPublicKeys ListMFADevices \
        ListVirtualMFADevices ListSigningCertificates ListServiceSpecificCredentials";

    const ALL: [Service; 3] = [Service::Iam, Service::Sts, Service::CloudTrail];

    #[test]
    fn every_listed_operation_is_present() {
        let iam = service(Service::Iam);
        for op in IAM_OPERATIONS.split_whitespace() {
            assert!(iam.operation(op).is_some(), "IAM {op}");
        }
        assert_eq!(
            iam.operations.len(),
            IAM_OPERATIONS.split_whitespace().count()
        );
        assert!(
            service(Service::Sts)
                .operation("GetCallerIdentity")
                .is_some()
        );
        assert!(
            service(Service::CloudTrail)
                .operation("LookupEvents")
                .is_some()
        );
    }

    #[test]
    fn every_referenced_shape_resolves() {
        for s in ALL {
            let model = service(s);
            for (name, op) in &model.operations {
                let refs = op.input.iter().chain(&op.output).chain(&op.errors);
                for r in refs {
                    assert!(model.shape(r).is_some(), "{s:?} {name} -> {r}");
                }
            }
            for (name, shape) in &model.shapes {
                let members = shape.members.iter().map(|m| &m.shape);
                let refs = [&shape.member, &shape.key, &shape.value];
                let others = refs.into_iter().flatten().map(|r| &r.shape);
                for r in members.chain(others) {
                    assert!(model.shape(r).is_some(), "{s:?} {name} -> {r}");
                }
                for req in &shape.required {
                    assert!(shape.members.iter().any(|m| &m.name == req), "{name}.{req}");
                }
            }
        }
    }

    #[test]
    fn metadata_is_kept() {
        let iam = service(Service::Iam);
        assert_eq!(iam.metadata.api_version, "2010-05-08");
        assert_eq!(iam.metadata.protocol, "query");
        assert_eq!(
            iam.metadata.xml_namespace.as_deref(),
            Some("https://iam.amazonaws.com/doc/2010-05-08/")
        );
        let ct = service(Service::CloudTrail);
        assert_eq!(ct.metadata.json_version.as_deref(), Some("1.1"));
        assert_eq!(
            ct.metadata.target_prefix.as_deref(),
            Some("com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101")
        );
        assert!(iam.source.starts_with("botocore "));
        let create_user = iam.operation("CreateUser").unwrap();
        assert_eq!(
            create_user.result_wrapper.as_deref(),
            Some("CreateUserResult")
        );
    }

    #[test]
    fn iam_error_statuses_come_from_the_model() {
        let iam = service(Service::Iam);
        let expected = [
            ("NoSuchEntity", 404, Fault::Sender),
            ("EntityAlreadyExists", 409, Fault::Sender),
            ("DeleteConflict", 409, Fault::Sender),
            ("LimitExceeded", 409, Fault::Sender),
            ("ConcurrentModification", 409, Fault::Sender),
            ("MalformedPolicyDocument", 400, Fault::Sender),
            ("InvalidInput", 400, Fault::Sender),
            ("PasswordPolicyViolation", 400, Fault::Sender),
            ("ServiceFailure", 500, Fault::Receiver),
        ];
        for (code, status, fault) in expected {
            // From the model itself, not the common table.
            let info = iam.errors().find(|(c, _)| *c == code).map(|(_, i)| i);
            assert_eq!(info, Some(ErrorInfo { status, fault }), "{code}");
        }
    }

    #[test]
    fn common_errors_fill_in_what_the_model_lacks() {
        let iam = service(Service::Iam);
        let expected = [
            ("InvalidAction", 400),
            ("ValidationError", 400),
            ("AccessDenied", 403),
            ("MissingAction", 400),
            ("InvalidParameterValue", 400),
            ("InternalFailure", 500),
        ];
        for (code, status) in expected {
            assert_eq!(iam.error(code).map(|i| i.status), Some(status), "{code}");
        }
        assert_eq!(iam.error("NoSuchThing"), None);
        assert_eq!(
            iam.error("InternalFailure").map(|i| i.fault),
            Some(Fault::Receiver)
        );
    }

    #[test]
    fn json_protocol_errors_default_to_shape_name_and_400() {
        let ct = service(Service::CloudTrail);
        assert_eq!(
            ct.error("InvalidMaxResultsException"),
            Some(ErrorInfo {
                status: 400,
                fault: Fault::Sender
            })
        );
    }

    #[test]
    fn every_iam_pattern_compiles() {
        for s in ALL {
            let model = service(s);
            for (name, shape) in &model.shapes {
                if shape.pattern.is_some() {
                    assert!(model.pattern(name).is_some(), "{s:?} {name}");
                }
            }
        }
    }
}
