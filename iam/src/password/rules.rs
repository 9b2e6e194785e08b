//! Password rules and the check that names each rule a password breaks.
//!
//! The root rules follow AWS's root user password requirements: 8 to 128
//! characters, at least three of uppercase, lowercase, digits and symbols, and
//! not the same as the email address.
// Upstream: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_change-root.html

use std::fmt;

use serde::{Deserialize, Serialize};

/// The symbols AWS counts as "non-alphanumeric characters".
pub const SYMBOLS: &str = "!@#$%^&*()_+-=[]{}|'";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordRules {
    pub min_length: usize,
    pub max_length: usize,
    /// How many of the four character classes (upper, lower, digit, symbol)
    /// must appear; 0 to not count them.
    pub min_character_classes: usize,
    pub require_uppercase: bool,
    pub require_lowercase: bool,
    pub require_digit: bool,
    pub require_symbol: bool,
}

impl PasswordRules {
    /// The rules for the root user's password.
    pub const ROOT: PasswordRules = PasswordRules {
        min_length: 8,
        max_length: 128,
        min_character_classes: 3,
        require_uppercase: false,
        require_lowercase: false,
        require_digit: false,
        require_symbol: false,
    };
}

/// One rule a password breaks. `rule()` is a stable id the UI can key on;
/// `Display` is the message to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PasswordRuleViolation {
    TooShort {
        min: usize,
    },
    TooLong {
        max: usize,
    },
    TooFewCharacterClasses {
        required: usize,
        found: usize,
    },
    MissingUppercase,
    MissingLowercase,
    MissingDigit,
    MissingSymbol,
    SameAsIdentity,
    /// One of the 10,000 most common passwords (compared ignoring case).
    CommonPassword,
    /// One of the user's last `last` passwords (the policy's reuse prevention).
    ReusedPassword {
        last: u32,
    },
}

impl PasswordRuleViolation {
    pub fn rule(&self) -> &'static str {
        match self {
            PasswordRuleViolation::TooShort { .. } => "min_length",
            PasswordRuleViolation::TooLong { .. } => "max_length",
            PasswordRuleViolation::TooFewCharacterClasses { .. } => "character_classes",
            PasswordRuleViolation::MissingUppercase => "uppercase",
            PasswordRuleViolation::MissingLowercase => "lowercase",
            PasswordRuleViolation::MissingDigit => "digit",
            PasswordRuleViolation::MissingSymbol => "symbol",
            PasswordRuleViolation::SameAsIdentity => "not_identity",
            PasswordRuleViolation::CommonPassword => "not_common",
            PasswordRuleViolation::ReusedPassword { .. } => "not_reused",
        }
    }
}

impl fmt::Display for PasswordRuleViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PasswordRuleViolation::TooShort { min } => {
                write!(f, "use at least {min} characters")
            }
            PasswordRuleViolation::TooLong { max } => {
                write!(f, "use at most {max} characters")
            }
            PasswordRuleViolation::TooFewCharacterClasses { required, found } => write!(
                f,
                "mix at least {required} of uppercase letters, lowercase letters, digits and symbols ({SYMBOLS}); it has {found}"
            ),
            PasswordRuleViolation::MissingUppercase => {
                f.write_str("include at least one uppercase letter (A-Z)")
            }
            PasswordRuleViolation::MissingLowercase => {
                f.write_str("include at least one lowercase letter (a-z)")
            }
            PasswordRuleViolation::MissingDigit => f.write_str("include at least one digit (0-9)"),
            PasswordRuleViolation::MissingSymbol => {
                write!(f, "include at least one symbol ({SYMBOLS})")
            }
            PasswordRuleViolation::SameAsIdentity => {
                f.write_str("choose a password that differs from your email address or user name")
            }
            PasswordRuleViolation::CommonPassword => {
                f.write_str("choose a less common password: this one is among the 10,000 most used")
            }
            PasswordRuleViolation::ReusedPassword { last } if *last == 1 => {
                f.write_str("choose a password that differs from your current one")
            }
            PasswordRuleViolation::ReusedPassword { last } => write!(
                f,
                "choose a password that differs from your last {last} passwords"
            ),
        }
    }
}

/// Checks `password` against `rules`. `identity` is the email address or user
/// name, which the password may not equal (compared case-insensitively).
/// Returns every broken rule, in a stable order.
pub fn check_password(
    rules: &PasswordRules,
    password: &str,
    identity: &str,
) -> Result<(), Vec<PasswordRuleViolation>> {
    let mut violations = Vec::new();
    let length = password.chars().count();
    if length < rules.min_length {
        violations.push(PasswordRuleViolation::TooShort {
            min: rules.min_length,
        });
    }
    if length > rules.max_length {
        violations.push(PasswordRuleViolation::TooLong {
            max: rules.max_length,
        });
    }

    let upper = password.chars().any(|c| c.is_ascii_uppercase());
    let lower = password.chars().any(|c| c.is_ascii_lowercase());
    let digit = password.chars().any(|c| c.is_ascii_digit());
    let symbol = password.chars().any(|c| SYMBOLS.contains(c));
    let found = [upper, lower, digit, symbol]
        .into_iter()
        .filter(|&b| b)
        .count();
    if found < rules.min_character_classes {
        violations.push(PasswordRuleViolation::TooFewCharacterClasses {
            required: rules.min_character_classes,
            found,
        });
    }
    for (required, present, violation) in [
        (
            rules.require_uppercase,
            upper,
            PasswordRuleViolation::MissingUppercase,
        ),
        (
            rules.require_lowercase,
            lower,
            PasswordRuleViolation::MissingLowercase,
        ),
        (
            rules.require_digit,
            digit,
            PasswordRuleViolation::MissingDigit,
        ),
        (
            rules.require_symbol,
            symbol,
            PasswordRuleViolation::MissingSymbol,
        ),
    ] {
        if required && !present {
            violations.push(violation);
        }
    }

    if !identity.is_empty() && password.to_lowercase() == identity.trim().to_lowercase() {
        violations.push(PasswordRuleViolation::SameAsIdentity);
    }

    if violations.is_empty() {
        Ok(())
    } else {
        Err(violations)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMAIL: &str = "root@example.com";

    fn root(password: &str) -> Result<(), Vec<PasswordRuleViolation>> {
        check_password(&PasswordRules::ROOT, password, EMAIL)
    }

    fn rules_broken(password: &str) -> Vec<&'static str> {
        root(password)
            .err()
            .unwrap_or_default()
            .iter()
            .map(PasswordRuleViolation::rule)
            .collect()
    }

    #[test]
    fn a_good_password_passes() {
        assert_eq!(root("Correct-horse9"), Ok(()));
        assert_eq!(root("abcDEF12"), Ok(()), "three classes without a symbol");
        assert_eq!(root("abc!@#12"), Ok(()), "three classes without uppercase");
    }

    #[test]
    fn too_short() {
        assert_eq!(rules_broken("aB3!xyz"), ["min_length"]);
    }

    #[test]
    fn too_long() {
        let long = format!("aB3!{}", "x".repeat(125));
        assert_eq!(long.chars().count(), 129);
        assert_eq!(rules_broken(&long), ["max_length"]);
        assert_eq!(root(&long[..128]), Ok(()));
    }

    #[test]
    fn too_few_character_classes() {
        assert_eq!(rules_broken("abcdefgh12"), ["character_classes"]);
        assert_eq!(
            root("abcdefghij"),
            Err(vec![PasswordRuleViolation::TooFewCharacterClasses {
                required: 3,
                found: 1
            }])
        );
    }

    #[test]
    fn only_aws_symbols_count() {
        // `~` and `.` are not in AWS's symbol set.
        assert_eq!(rules_broken("abcdefg1~."), ["character_classes"]);
        assert_eq!(root("abcdefg1'"), Ok(()));
    }

    #[test]
    fn same_as_email() {
        assert_eq!(rules_broken("Root@Example.com1").len(), 0);
        assert_eq!(
            check_password(&PasswordRules::ROOT, "Root@Example.com", EMAIL),
            Err(vec![PasswordRuleViolation::SameAsIdentity])
        );
    }

    #[test]
    fn required_classes_when_configured() {
        let strict = PasswordRules {
            require_uppercase: true,
            require_lowercase: true,
            require_digit: true,
            require_symbol: true,
            ..PasswordRules::ROOT
        };
        let broken: Vec<_> = check_password(&strict, "abcdefgh", "")
            .unwrap_err()
            .iter()
            .map(PasswordRuleViolation::rule)
            .collect();
        assert_eq!(
            broken,
            ["character_classes", "uppercase", "digit", "symbol"]
        );
    }

    #[test]
    fn several_rules_at_once() {
        assert_eq!(rules_broken("abc"), ["min_length", "character_classes"]);
    }

    #[test]
    fn messages_follow_the_style() {
        for v in root("a").unwrap_err() {
            let m = v.to_string();
            assert!(
                m.starts_with(|c: char| c.is_lowercase()) && !m.ends_with('.'),
                "{m}"
            );
        }
    }
}
