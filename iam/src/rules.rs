//! IAM's input rules for policies, groups and users: names, paths,
//! descriptions, tags and policy documents. Each refusal names the field and
//! the limit, quotes the input in backticks and says how to fix it.

use crate::error::IamError;
use crate::types::Tag;

pub(crate) const MAX_POLICY_NAME_CHARS: usize = 128;
pub(crate) const MAX_GROUP_NAME_CHARS: usize = 128;
pub(crate) const MAX_USER_NAME_CHARS: usize = 64;
pub(crate) const MAX_PATH_CHARS: usize = 512;
pub(crate) const MAX_DESCRIPTION_CHARS: usize = 1_000;
pub(crate) const MAX_TAGS: usize = 50;
pub(crate) const MAX_TAG_KEY_CHARS: usize = 128;
pub(crate) const MAX_TAG_VALUE_CHARS: usize = 256;
/// Characters of a managed policy, whitespace outside strings not counted.
pub(crate) const MAX_MANAGED_POLICY_CHARS: usize = 6_144;
/// Bytes of a policy document as sent, whitespace included. IAM's character quota does not count
/// whitespace, so without this a document padded with megabytes of spaces would be parsed,
/// stored and sent to every editor that opens it.
pub(crate) const MAX_DOCUMENT_BYTES: usize = 128 * 1024;
/// Characters of all of a group's inline policies together.
pub(crate) const MAX_GROUP_INLINE_CHARS: usize = 5_120;
pub(crate) const MAX_POLICY_VERSIONS: usize = 5;
pub(crate) const MAX_ATTACHED_POLICIES: usize = 10;
/// Groups a user can be a member of.
pub(crate) const MAX_GROUPS_PER_USER: usize = 10;
pub(crate) const MIN_LIMIT: u32 = 1;
pub(crate) const MAX_LIMIT: u32 = 1000;

const NAME_CHARS_HINT: &str = "use letters, digits and + = , . @ _ -";

/// What a name names, for messages and the error's field.
#[derive(Debug, Clone, Copy)]
pub(crate) enum NameKind {
    Policy,
    Group,
    User,
    InlinePolicy,
}

impl NameKind {
    fn label(self) -> &'static str {
        match self {
            NameKind::Policy => "policy name",
            NameKind::Group => "group name",
            NameKind::User => "user name",
            NameKind::InlinePolicy => "inline policy name",
        }
    }

    fn field(self) -> &'static str {
        match self {
            NameKind::Policy | NameKind::Group | NameKind::User => "name",
            NameKind::InlinePolicy => "policy_name",
        }
    }

    fn max_chars(self) -> usize {
        match self {
            NameKind::Policy | NameKind::InlinePolicy => MAX_POLICY_NAME_CHARS,
            NameKind::Group => MAX_GROUP_NAME_CHARS,
            NameKind::User => MAX_USER_NAME_CHARS,
        }
    }
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "+=,.@_-".contains(c)
}

/// Checks a policy, group or user name: 1 to 128 (users 64) characters of
/// `[A-Za-z0-9+=,.@_-]`.
pub(crate) fn name(kind: NameKind, input: &str) -> Result<(), IamError> {
    let (label, field, max) = (kind.label(), kind.field(), kind.max_chars());
    if input.is_empty() {
        return Err(IamError::validation(
            field,
            format!("enter a {label} of 1 to {max} characters; {NAME_CHARS_HINT}"),
        ));
    }
    let count = input.chars().count();
    if count > max {
        return Err(IamError::validation(
            field,
            format!(
                "the {label} `{input}` has {count} characters, more than the {max} allowed; shorten it"
            ),
        ));
    }
    if let Some(bad) = input.chars().find(|c| !is_name_char(*c)) {
        return Err(IamError::validation(
            field,
            format!("the {label} `{input}` contains `{bad}`; {NAME_CHARS_HINT}"),
        ));
    }
    Ok(())
}

/// Checks a path and returns it, `/` for `None`: `/` or `/segment/.../`,
/// 1 to 512 characters from `!` to `~`.
pub(crate) fn path(input: Option<&str>) -> Result<String, IamError> {
    let Some(path) = input else {
        return Ok("/".to_owned());
    };
    if path.is_empty() {
        return Ok("/".to_owned());
    }
    let count = path.chars().count();
    if count > MAX_PATH_CHARS {
        return Err(IamError::validation(
            "path",
            format!(
                "the path `{path}` has {count} characters, more than the {MAX_PATH_CHARS} allowed; shorten it"
            ),
        ));
    }
    if let Some(bad) = path.chars().find(|c| !('\u{21}'..='\u{7E}').contains(c)) {
        return Err(IamError::validation(
            "path",
            format!(
                "the path `{path}` contains `{bad}`; use printable ASCII characters without spaces, such as `/division/team/`"
            ),
        ));
    }
    if !path.starts_with('/') || !path.ends_with('/') {
        return Err(IamError::validation(
            "path",
            format!("the path `{path}` must begin and end with `/`, such as `/division/team/`"),
        ));
    }
    Ok(path.to_owned())
}

/// Checks a description and returns it, `None` when empty.
pub(crate) fn description(input: Option<&str>) -> Result<Option<String>, IamError> {
    let Some(text) = input.filter(|d| !d.is_empty()) else {
        return Ok(None);
    };
    let count = text.chars().count();
    if count > MAX_DESCRIPTION_CHARS {
        return Err(IamError::validation(
            "description",
            format!(
                "the description has {count} characters, more than the {MAX_DESCRIPTION_CHARS} allowed; shorten it"
            ),
        ));
    }
    Ok(Some(text.to_owned()))
}

fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric() || c == ' ' || "_.:/=+-@".contains(c)
}

const TAG_CHARS_HINT: &str = "use letters, digits, spaces and _ . : / = + - @";

/// Checks one tag key.
pub(crate) fn tag_key(key: &str) -> Result<(), IamError> {
    let count = key.chars().count();
    if count == 0 {
        return Err(IamError::validation(
            "tags",
            format!("a tag key is empty; enter a key of 1 to {MAX_TAG_KEY_CHARS} characters"),
        ));
    }
    if count > MAX_TAG_KEY_CHARS {
        return Err(IamError::validation(
            "tags",
            format!(
                "the tag key `{key}` has {count} characters, more than the {MAX_TAG_KEY_CHARS} allowed; shorten it"
            ),
        ));
    }
    if let Some(bad) = key.chars().find(|c| !is_tag_char(*c)) {
        return Err(IamError::validation(
            "tags",
            format!("the tag key `{key}` contains `{bad}`; {TAG_CHARS_HINT}"),
        ));
    }
    if key
        .get(..4)
        .is_some_and(|prefix| prefix.eq_ignore_ascii_case("aws:"))
    {
        return Err(IamError::validation(
            "tags",
            format!(
                "the tag key `{key}` begins with `aws:`, which is reserved for AWS; use another key"
            ),
        ));
    }
    Ok(())
}

/// Checks a list of tags: at most 50, each key and value valid, keys unique
/// case-insensitively.
pub(crate) fn tags(tags: &[Tag]) -> Result<(), IamError> {
    if tags.len() > MAX_TAGS {
        return Err(too_many_tags("resource", tags.len()));
    }
    let mut seen = std::collections::HashSet::new();
    for tag in tags {
        tag_key(&tag.key)?;
        let count = tag.value.chars().count();
        if count > MAX_TAG_VALUE_CHARS {
            return Err(IamError::validation(
                "tags",
                format!(
                    "the value of tag `{}` has {count} characters, more than the {MAX_TAG_VALUE_CHARS} allowed; shorten it",
                    tag.key
                ),
            ));
        }
        if let Some(bad) = tag.value.chars().find(|c| !is_tag_char(*c)) {
            return Err(IamError::validation(
                "tags",
                format!(
                    "the value `{}` of tag `{}` contains `{bad}`; {TAG_CHARS_HINT}",
                    tag.value, tag.key
                ),
            ));
        }
        if !seen.insert(tag.key.to_lowercase()) {
            return Err(IamError::validation(
                "tags",
                format!(
                    "the tag key `{}` appears more than once (keys are compared ignoring case); keep one",
                    tag.key
                ),
            ));
        }
    }
    Ok(())
}

/// `what` names the tagged resource: `resource`, `policy`, `user`.
pub(crate) fn too_many_tags(what: &str, count: usize) -> IamError {
    IamError::validation(
        "tags",
        format!(
            "the {what} would have {count} tags, more than the {MAX_TAGS} allowed; remove {}",
            count - MAX_TAGS
        ),
    )
}

/// Checks a policy document with the `policy` crate: any ERROR finding, or a
/// size over `max_chars`, refuses it. Returns the counted size.
pub(crate) fn document(src: &str, max_chars: usize) -> Result<usize, IamError> {
    if src.len() > MAX_DOCUMENT_BYTES {
        return Err(IamError::validation(
            "document",
            format!(
                "the policy document is {} bytes long with its whitespace, more than the {} allowed ({} KiB); remove indentation and blank lines, or split the policy",
                src.len(),
                MAX_DOCUMENT_BYTES,
                MAX_DOCUMENT_BYTES / 1024
            ),
        ));
    }
    let validation = policy::validate::validate(src);
    let mut errors: Vec<String> = validation
        .of_type(policy::validate::FindingType::Error)
        .map(|f| {
            let at = f.location.span.start;
            format!("line {}:{}: {}", at.line, at.column, f.message)
        })
        .collect();
    if validation.policy_size > max_chars {
        errors.push(format!(
            "the policy has {} characters without whitespace, more than the {max_chars} allowed; remove statements or split it into several policies",
            validation.policy_size
        ));
    }
    let Some(first) = errors.first() else {
        return Ok(validation.policy_size);
    };
    let more = errors.len() - 1;
    let message = match more {
        0 => first.clone(),
        1 => format!("{first}; fix it and 1 more error to save the policy"),
        n => format!("{first}; fix it and {n} more errors to save the policy"),
    };
    Err(IamError::validation("document", message))
}

/// Checks a page size.
pub(crate) fn limit(limit: u32) -> Result<(), IamError> {
    if (MIN_LIMIT..=MAX_LIMIT).contains(&limit) {
        Ok(())
    } else {
        Err(IamError::validation(
            "limit",
            format!(
                "the page size `{limit}` is not between {MIN_LIMIT} and {MAX_LIMIT}; choose one in that range"
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(e: IamError) -> String {
        let m = e.user_message();
        assert!(m.starts_with(|c: char| c.is_lowercase()), "{m}");
        assert!(!m.ends_with('.'), "{m}");
        m
    }

    #[test]
    fn names() {
        assert!(name(NameKind::Policy, "PowerUserExampleCorp").is_ok());
        assert!(name(NameKind::Group, "a+b=c,d.e@f_g-h").is_ok());
        let m = message(name(NameKind::Policy, "a b").unwrap_err());
        assert_eq!(
            m,
            "the policy name `a b` contains ` `; use letters, digits and + = , . @ _ -"
        );
        assert!(message(name(NameKind::Group, "").unwrap_err()).contains("1 to 128"));
        assert!(name(NameKind::Group, &"g".repeat(128)).is_ok());
        assert!(message(name(NameKind::Group, &"g".repeat(129)).unwrap_err()).contains("128"));
        assert!(name(NameKind::User, &"u".repeat(64)).is_ok());
        assert!(message(name(NameKind::User, &"u".repeat(65)).unwrap_err()).contains("64"));
        assert_eq!(
            name(NameKind::InlinePolicy, "x/y").unwrap_err().field(),
            Some("policy_name")
        );
    }

    #[test]
    fn a_document_padded_past_the_raw_limit_is_refused_before_parsing() {
        let small = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}"#;
        assert!(document(small, MAX_MANAGED_POLICY_CHARS).is_ok());
        // Within IAM's 6,144 characters (whitespace is not counted), but 128 KiB and one byte.
        let padded = format!(
            "{small}{}",
            " ".repeat(MAX_DOCUMENT_BYTES + 1 - small.len())
        );
        assert_eq!(padded.len(), MAX_DOCUMENT_BYTES + 1);
        let e = document(&padded, MAX_MANAGED_POLICY_CHARS).unwrap_err();
        assert_eq!(e.field(), Some("document"));
        assert!(message(e).contains("131073 bytes"));
        let fits = &padded[..MAX_DOCUMENT_BYTES];
        assert!(document(fits, MAX_MANAGED_POLICY_CHARS).is_ok());
    }

    #[test]
    fn paths() {
        assert_eq!(path(None).unwrap(), "/");
        assert_eq!(path(Some("/a/b/")).unwrap(), "/a/b/");
        for bad in ["a/", "/a", "/a b/", "/é/"] {
            let e = path(Some(bad)).unwrap_err();
            assert_eq!(e.field(), Some("path"));
            assert!(message(e).contains(&format!("`{bad}`")));
        }
        let long = format!("/{}/", "p".repeat(511));
        assert!(message(path(Some(&long)).unwrap_err()).contains("512"));
    }

    #[test]
    fn tag_rules() {
        let tag = |k: &str, v: &str| Tag {
            key: k.to_owned(),
            value: v.to_owned(),
        };
        assert!(tags(&[tag("team", "ops"), tag("cost center", "a:b/c=d+e-f@g_h.i")]).is_ok());
        assert!(tags(&[tag("k", "")]).is_ok());
        for (bad, needle) in [
            (vec![tag("", "v")], "empty"),
            (vec![tag(&"k".repeat(129), "v")], "128"),
            (vec![tag("k", &"v".repeat(257))], "256"),
            (vec![tag("k!", "v")], "`!`"),
            (vec![tag("k", "v#")], "`#`"),
            (vec![tag("AWS:x", "v")], "aws:"),
            (vec![tag("Team", "a"), tag("team", "b")], "more than once"),
        ] {
            let m = message(tags(&bad).unwrap_err());
            assert!(m.contains(needle), "{m}");
        }
        let many: Vec<Tag> = (0..51).map(|i| tag(&format!("k{i}"), "v")).collect();
        assert!(message(tags(&many).unwrap_err()).contains("50"));
    }

    #[test]
    fn documents() {
        let ok = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
        assert!(document(ok, MAX_MANAGED_POLICY_CHARS).is_ok());
        let bad = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:NoSuchThing","Resource":"*"}]}"#;
        let e = document(bad, MAX_MANAGED_POLICY_CHARS).unwrap_err();
        assert_eq!(e.field(), Some("document"));
        assert!(message(e).starts_with("line 1:"));
        assert!(
            document(ok, 10)
                .unwrap_err()
                .user_message()
                .contains("10 allowed")
        );
    }
}
