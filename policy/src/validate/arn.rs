//! Resource ARNs checked against the ARN formats of the catalog's resource types.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::catalog::Catalog;
use crate::catalog::glob::{has_wildcard, overlaps};
use crate::validate::FindingType;

/// Partitions IAM knows.
const PARTITIONS: &[&str] = &[
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

/// A problem with one resource ARN: the finding type, issue code and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ArnProblem {
    pub finding_type: FindingType,
    pub code: &'static str,
    pub message: String,
}

fn problem(code: &'static str, message: String) -> Option<ArnProblem> {
    problem_of(FindingType::Error, code, message)
}

fn problem_of(
    finding_type: FindingType,
    code: &'static str,
    message: String,
) -> Option<ArnProblem> {
    Some(ArnProblem {
        finding_type,
        code,
        message,
    })
}

/// Services whose ARN formats are complete enough that a resource matching none of them is an
/// error: the ones Portcullis implements (IAM reference, `reference_identifiers.html`). Elsewhere
/// the catalog's formats miss real resources (AWS's own managed policies use `changetoken/*`
/// for WAF, `transform/*` for CloudFormation, `/aws-glue/*` log groups...), so a mismatch is
/// only a warning there rather than an error that blocks saving.
fn resource_finding_type(service: &str) -> FindingType {
    if service == "iam" || service == "sts" {
        FindingType::Error
    } else {
        FindingType::Warning
    }
}

/// The six parts of an ARN; the resource part may contain further `:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

impl<'a> Arn<'a> {
    /// Splits `arn:partition:service:region:account:resource`; `None` when a part is missing. A
    /// `:` inside a policy variable (`${aws:PrincipalAccount}`) does not split.
    pub(crate) fn parse(text: &'a str) -> Option<Arn<'a>> {
        let mut cuts = Vec::with_capacity(5);
        let mut depth = 0usize;
        let bytes = text.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            match b {
                b'{' if i > 0 && bytes.get(i - 1) == Some(&b'$') => depth += 1,
                b'}' if depth > 0 => depth -= 1,
                b':' if depth == 0 => {
                    cuts.push(i);
                    if cuts.len() == 5 {
                        break;
                    }
                }
                _ => {}
            }
        }
        let [a, b, c, d, e] = cuts.as_slice() else {
            return None;
        };
        (text.get(..*a)? == "arn").then_some(Arn {
            partition: text.get(a + 1..*b)?,
            service: text.get(b + 1..*c)?,
            region: text.get(c + 1..*d)?,
            account: text.get(d + 1..*e)?,
            resource: text.get(e + 1..)?,
        })
    }
}

/// A resource type's ARN format, parsed once.
#[derive(Debug)]
struct Format {
    /// The resource part with every `${...}` placeholder turned into `*`.
    resource: String,
    /// The same, lowercased, for matching.
    resource_lower: String,
    /// Empty when the format has no region, `*` for any region.
    region: &'static str,
    /// Empty when the format has no account, `*` for any account, else a literal such as `aws`.
    account: &'static str,
}

/// The key under which formats whose service is a placeholder (`${Vendor}`) are kept; they
/// apply to every service.
const ANY_SERVICE: &str = "*";

/// ARN formats by lowercased ARN service, for every service of the catalog.
fn formats() -> &'static HashMap<String, Vec<Format>> {
    static FORMATS: OnceLock<HashMap<String, Vec<Format>>> = OnceLock::new();
    FORMATS.get_or_init(|| {
        let mut map: HashMap<String, Vec<Format>> = HashMap::new();
        for service in Catalog::get().services() {
            for rt in &service.resource_types {
                let Some(arn) = Arn::parse(rt.arn_format) else {
                    continue;
                };
                let placeholder = |s: &'static str| if s.starts_with("${") { "*" } else { s };
                let service = if arn.service.starts_with("${") {
                    ANY_SERVICE.to_owned()
                } else {
                    arn.service.to_ascii_lowercase()
                };
                let resource = placeholders_to_stars(arn.resource);
                map.entry(service).or_default().push(Format {
                    resource_lower: resource.to_ascii_lowercase(),
                    resource,
                    region: placeholder(arn.region),
                    account: placeholder(arn.account),
                });
            }
        }
        map
    })
}

/// Whether some action prefix or ARN format uses `service` as its ARN service.
pub(crate) fn is_known_arn_service(service: &str) -> bool {
    formats().contains_key(&service.to_ascii_lowercase())
        || Catalog::get().service(service).is_some()
}

/// `a/${X}/b` -> `a/*/b`.
fn placeholders_to_stars(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(rest.get(..start).unwrap_or(""));
        match rest.get(start..).and_then(|r| r.find('}')) {
            Some(end) => {
                out.push('*');
                rest = rest.get(start + end + 1..).unwrap_or("");
            }
            None => {
                out.push_str(rest.get(start..).unwrap_or(""));
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// A segment that stands for many values: a wildcard or a policy variable.
fn is_open(segment: &str) -> bool {
    has_wildcard(segment) || segment.contains("${")
}

pub(crate) fn is_region(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    let [first, middle @ .., last] = parts.as_slice() else {
        return false;
    };
    first.len() == 2
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && !middle.is_empty()
        && middle
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && !last.is_empty()
        && last.len() <= 2
        && last.bytes().all(|b| b.is_ascii_digit())
}

/// Checks one `Resource` / `NotResource` entry; `None` when it is fine.
pub(crate) fn check_resource(text: &str) -> Option<ArnProblem> {
    if text == "*" {
        return None;
    }
    if !text.starts_with("arn:") {
        return problem(
            "INVALID_ARN_PREFIX",
            format!(
                "the resource `{text}` is not an ARN; write it as `arn:partition:service:region:account:resource` or use `*`"
            ),
        );
    }
    let Some(arn) = Arn::parse(text) else {
        return problem(
            "MISSING_ARN_FIELD",
            format!(
                "the resource ARN `{text}` has fewer than 6 fields; use the structure `arn:partition:service:region:account:resource`"
            ),
        );
    };
    if !is_open(arn.partition) && !PARTITIONS.contains(&arn.partition) {
        return problem(
            "INVALID_PARTITION",
            format!(
                "the partition `{}` in the resource ARN `{text}` is not valid; use one of {}",
                arn.partition,
                PARTITIONS.join(", ")
            ),
        );
    }
    if arn.service.is_empty() || is_open(arn.service) {
        return problem(
            "INVALID_SERVICE",
            format!(
                "the service `{}` in the resource ARN `{text}` must be a service name without wildcards or variables",
                arn.service
            ),
        );
    }
    if arn.service.bytes().any(|b| b.is_ascii_uppercase()) {
        return problem(
            "INVALID_ARN_SERVICE_CASE",
            format!(
                "the service `{}` in the resource ARN `{text}` must be lowercase; write `{}`",
                arn.service,
                arn.service.to_ascii_lowercase()
            ),
        );
    }
    if !is_known_arn_service(arn.service) {
        return problem(
            "INVALID_SERVICE",
            format!(
                "the service `{}` in the resource ARN `{text}` does not exist; use a valid service name",
                arn.service
            ),
        );
    }
    check_against_formats(text, &arn)
}

fn check_against_formats(text: &str, arn: &Arn<'_>) -> Option<ArnProblem> {
    let own = formats().get(arn.service)?;
    let resource = placeholders_to_stars(arn.resource).to_ascii_lowercase();
    let fits = |f: &&Format| overlaps(&f.resource_lower, &resource);
    let fitting: Vec<&Format> = own.iter().filter(fits).collect();
    // Formats with a placeholder service (backup's `arn:${Partition}:${Vendor}:...`) fit almost
    // anything, so they only excuse a mismatch; they say nothing about region or account.
    let any = formats().get(ANY_SERVICE).map_or(&[][..], Vec::as_slice);
    if fitting.is_empty() && any.iter().any(|f| fits(&f)) {
        return None;
    }
    if fitting.is_empty() {
        let mut examples: Vec<&str> = own.iter().map(|f| f.resource.as_str()).collect();
        examples.sort_unstable();
        examples.dedup();
        examples.truncate(5);
        return problem_of(
            resource_finding_type(arn.service),
            "INVALID_ARN_RESOURCE",
            format!(
                "the resource part `{}` of `{text}` matches no resource type of the service `{}`; use a format such as `{}`",
                arn.resource,
                arn.service,
                examples.join("`, `")
            ),
        );
    }
    if !arn.region.is_empty() && !is_open(arn.region) {
        if fitting.iter().all(|f| f.region.is_empty()) {
            return problem(
                "ARN_REGION_NOT_ALLOWED",
                format!(
                    "the service `{}` does not support a region in the resource ARN; remove `{}` from `{text}`",
                    arn.service, arn.region
                ),
            );
        }
        if !is_region(arn.region) {
            return problem(
                "INVALID_ARN_REGION",
                format!(
                    "the region `{}` in the resource ARN `{text}` is not valid; use a region such as `us-east-1` or `*`",
                    arn.region
                ),
            );
        }
    }
    if arn.region.is_empty() && fitting.iter().all(|f| !f.region.is_empty()) {
        return problem(
            "MISSING_ARN_REGION",
            format!(
                "the `{}` resource ARN `{text}` needs a region; add one such as `us-east-1`, or `*`",
                arn.service
            ),
        );
    }
    if !arn.account.is_empty() && !is_open(arn.account) {
        if fitting.iter().all(|f| f.account.is_empty()) {
            return problem(
                "ARN_ACCOUNT_NOT_ALLOWED",
                format!(
                    "the service `{}` does not support an account id in the resource ARN; remove `{}` from `{text}`",
                    arn.service, arn.account
                ),
            );
        }
        let twelve_digits =
            arn.account.len() == 12 && arn.account.bytes().all(|b| b.is_ascii_digit());
        // AWS-owned resources live in the account `aws`: `arn:aws:iam::aws:policy/...`,
        // `arn:aws:sagemaker:*:aws:hub/SageMakerPublicHub`.
        let aws_owned = arn.account == "aws";
        if !twelve_digits && !aws_owned && !fitting.iter().any(|f| f.account == arn.account) {
            return problem(
                "INVALID_ARN_ACCOUNT",
                format!(
                    "the account id `{}` in the resource ARN `{text}` is not valid; use a 12-digit account id",
                    arn.account
                ),
            );
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> Option<&'static str> {
        check_resource(text).map(|p| p.code)
    }

    #[test]
    fn valid_arns_pass() {
        for ok in [
            "*",
            "arn:aws:s3:::my-bucket",
            "arn:aws:s3:::my-bucket/*",
            "arn:aws:iam::123456789012:user/${aws:username}",
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "arn:aws:iam::*:role/*",
            "arn:aws:ec2:us-east-1:123456789012:instance/*",
            "arn:aws:ec2:*:*:*",
            "arn:aws-cn:dynamodb:cn-north-1:123456789012:table/t",
            "arn:*:s3:::b",
            "arn:*:kms:*:${aws:PrincipalAccount}:key/*",
            "arn:aws:sagemaker:*:aws:hub/SageMakerPublicHub",
            "arn:aws:backup:*:*:recovery-point:*",
        ] {
            assert_eq!(code(ok), None, "{ok}");
        }
    }

    #[test]
    fn invalid_arns_are_reported() {
        assert_eq!(code("my-bucket"), Some("INVALID_ARN_PREFIX"));
        assert_eq!(code("arn:aws:s3"), Some("MISSING_ARN_FIELD"));
        assert_eq!(code("arn:aws-moon:s3:::b"), Some("INVALID_PARTITION"));
        assert_eq!(code("arn:aws:S3:::b"), Some("INVALID_ARN_SERVICE_CASE"));
        assert_eq!(code("arn:aws:nosuch:::b"), Some("INVALID_SERVICE"));
        assert_eq!(code("arn:aws:*:::b"), Some("INVALID_SERVICE"));
        assert_eq!(
            code("arn:aws:iam::123456789012:usr/bob"),
            Some("INVALID_ARN_RESOURCE")
        );
        assert_eq!(
            code("arn:aws:iam:us-east-1:123456789012:user/bob"),
            Some("ARN_REGION_NOT_ALLOWED")
        );
        assert_eq!(
            code("arn:aws:s3::123456789012:b"),
            Some("ARN_ACCOUNT_NOT_ALLOWED")
        );
        assert_eq!(
            code("arn:aws:ec2::123456789012:instance/i-1"),
            Some("MISSING_ARN_REGION")
        );
        assert_eq!(
            code("arn:aws:ec2:moon:123456789012:instance/i-1"),
            Some("INVALID_ARN_REGION")
        );
        assert_eq!(
            code("arn:aws:iam::12345:user/bob"),
            Some("INVALID_ARN_ACCOUNT")
        );
    }

    #[test]
    fn variables_do_not_split_arns() {
        let arn = Arn::parse("arn:aws:s3:::b/${aws:username}/x").unwrap();
        assert_eq!(arn.resource, "b/${aws:username}/x");
        let arn = Arn::parse("arn:aws:kms:*:${aws:PrincipalAccount}:key/*").unwrap();
        assert_eq!(arn.account, "${aws:PrincipalAccount}");
        assert!(Arn::parse("arn:aws:s3").is_none());
        assert!(Arn::parse("urn:aws:s3:::b").is_none());
    }

    #[test]
    fn regions() {
        assert!(
            is_region("us-east-1") && is_region("us-gov-west-1") && is_region("eu-isoe-west-1")
        );
        assert!(!is_region("useast1") && !is_region("us-east") && !is_region("US-EAST-1"));
    }
}
