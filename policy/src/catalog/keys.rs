//! Condition keys of the catalog and how a key in a policy matches one.

use serde::{Deserialize, Serialize};

/// The value type of a condition key, as the service authorization reference gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum KeyType {
    String,
    Arn,
    Bool,
    Numeric,
    Date,
    IpAddress,
    Binary,
    /// A type this crate does not know.
    Other,
}

impl KeyType {
    /// Parses `String`, `ArrayOfARN`, ...; returns the type and whether it is multivalued.
    pub(crate) fn parse(text: &str) -> (KeyType, bool) {
        let (multi, base) = match text.strip_prefix("ArrayOf") {
            Some(base) => (true, base),
            None => (false, text),
        };
        let ty = match base {
            "String" => KeyType::String,
            "ARN" | "Arn" => KeyType::Arn,
            "Bool" | "Boolean" => KeyType::Bool,
            "Numeric" | "Long" | "Integer" => KeyType::Numeric,
            "Date" => KeyType::Date,
            "IPAddress" | "IpAddress" => KeyType::IpAddress,
            "Binary" => KeyType::Binary,
            _ => KeyType::Other,
        };
        (ty, multi)
    }

    /// The condition operator family that fits this type, as written in findings.
    pub fn operator_family(self) -> &'static str {
        match self {
            KeyType::String | KeyType::Other => "String",
            KeyType::Arn => "Arn",
            KeyType::Bool => "Bool",
            KeyType::Numeric => "Numeric",
            KeyType::Date => "Date",
            KeyType::IpAddress => "IpAddress",
            KeyType::Binary => "Binary",
        }
    }
}

/// A condition key such as `iam:PassedToService` or `aws:ResourceTag/${TagKey}`.
#[derive(Debug, Clone)]
pub struct ConditionKey {
    /// As the catalog spells it, placeholders included.
    pub name: &'static str,
    pub key_type: KeyType,
    /// Whether the request context may carry several values (`ArrayOf...`).
    pub multivalued: bool,
    /// Lowercased literal pieces between placeholders; one piece when there is no placeholder.
    pieces: Box<[String]>,
}

impl ConditionKey {
    pub(crate) fn new(name: &'static str, type_text: &str) -> ConditionKey {
        let (key_type, multivalued) = KeyType::parse(type_text);
        ConditionKey {
            name,
            key_type,
            multivalued,
            pieces: split_placeholders(&name.to_ascii_lowercase()).into_boxed_slice(),
        }
    }

    /// Whether the name has a placeholder such as `${TagKey}`.
    pub fn is_pattern(&self) -> bool {
        self.pieces.len() > 1
    }

    /// The lowercased name when it has no placeholder.
    pub(crate) fn exact_lower(&self) -> Option<&str> {
        match &*self.pieces {
            [only] => Some(only),
            _ => None,
        }
    }

    /// The lowercased text before the first `:`.
    pub(crate) fn prefix_lower(&self) -> &str {
        let first = self.pieces.first().map_or("", String::as_str);
        first.split_once(':').map_or(first, |(p, _)| p)
    }

    /// Whether the lowercased policy key `key` names this key; each placeholder matches one or
    /// more characters.
    pub(crate) fn matches_lower(&self, key: &str) -> bool {
        let Some((first, rest)) = self.pieces.split_first() else {
            return false;
        };
        let Some(mut tail) = key.strip_prefix(first.as_str()) else {
            return false;
        };
        if rest.is_empty() {
            return tail.is_empty();
        }
        for (i, piece) in rest.iter().enumerate() {
            let last = i + 1 == rest.len();
            if last {
                return tail.len() > piece.len() && tail.ends_with(piece.as_str());
            }
            // A placeholder eats at least one character, then the next literal piece follows.
            let Some(pos) = tail.get(1..).and_then(|t| t.find(piece.as_str())) else {
                return false;
            };
            tail = tail.get(pos + 1 + piece.len()..).unwrap_or("");
        }
        false
    }
}

/// Splits `aws:resourcetag/${tagkey}` into `["aws:resourcetag/", ""]`: the literal text around
/// each `${...}` or `<...>` placeholder.
fn split_placeholders(name: &str) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        let close = match c {
            '$' if chars.peek() == Some(&'{') => Some('}'),
            '<' => Some('>'),
            _ => None,
        };
        match close {
            Some(close) => {
                for inner in chars.by_ref() {
                    if inner == close {
                        break;
                    }
                }
                pieces.push(std::mem::take(&mut current));
            }
            None => current.push(c),
        }
    }
    // Some services spell the placeholder as a literal `tag-key`: `ssm:resourceTag/tag-key`.
    if pieces.is_empty()
        && let Some(prefix) = current.strip_suffix("/tag-key")
    {
        pieces.push(format!("{prefix}/"));
        current = String::new();
    }
    pieces.push(current);
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_keys_match_exactly() {
        let key = ConditionKey::new("iam:PassedToService", "String");
        assert!(!key.is_pattern());
        assert!(key.matches_lower("iam:passedtoservice"));
        assert!(!key.matches_lower("iam:passedtoservicex"));
        assert_eq!(key.prefix_lower(), "iam");
    }

    #[test]
    fn placeholders_match_one_or_more_characters() {
        let tag = ConditionKey::new("aws:ResourceTag/${TagKey}", "String");
        assert!(tag.is_pattern());
        assert!(tag.matches_lower("aws:resourcetag/team"));
        assert!(!tag.matches_lower("aws:resourcetag/"));
        let mid = ConditionKey::new(
            "codebuild:environment.environmentVariables/${name}.value",
            "String",
        );
        assert!(mid.matches_lower("codebuild:environment.environmentvariables/x.value"));
        assert!(!mid.matches_lower("codebuild:environment.environmentvariables/.value"));
        let two = ConditionKey::new("a:${x}/b/${y}", "String");
        assert!(two.matches_lower("a:1/b/2"));
        assert!(!two.matches_lower("a:1/b/"));
    }

    #[test]
    fn literal_tag_key_is_a_placeholder() {
        let key = ConditionKey::new("secretsmanager:ResourceTag/tag-key", "String");
        assert!(key.is_pattern());
        assert!(key.matches_lower("secretsmanager:resourcetag/owner"));
    }

    #[test]
    fn types_parse() {
        assert_eq!(KeyType::parse("ArrayOfARN"), (KeyType::Arn, true));
        assert_eq!(KeyType::parse("IPAddress"), (KeyType::IpAddress, false));
        assert_eq!(KeyType::parse("Weird"), (KeyType::Other, false));
    }
}
