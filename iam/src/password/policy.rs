//! The account password policy with AWS's options and ranges, the
//! requirements in force (the policy, or IAM's default without one), and the
//! list of common passwords every new password is checked against.
// Upstream: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html

use std::collections::HashSet;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use super::rules::{PasswordRuleViolation, PasswordRules, SYMBOLS, check_password};
use crate::error::IamError;

pub const MIN_PASSWORD_LENGTH_RANGE: (u32, u32) = (6, 128);
pub const MAX_PASSWORD_AGE_DAYS_RANGE: (u32, u32) = (1, 1_095);
pub const PASSWORD_REUSE_PREVENTION_RANGE: (u32, u32) = (1, 24);
/// The longest password accepted anywhere.
pub const MAX_PASSWORD_CHARS: usize = 128;

/// The account's custom password policy, named as AWS's
/// `UpdateAccountPasswordPolicy` parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordPolicy {
    /// 6 to 128.
    pub minimum_password_length: u32,
    pub require_uppercase_characters: bool,
    pub require_lowercase_characters: bool,
    pub require_numbers: bool,
    /// One of AWS's symbols: `! @ # $ % ^ & * ( ) _ + - = [ ] { } | '`.
    pub require_symbols: bool,
    pub allow_users_to_change_password: bool,
    /// Days a password stays valid, 1 to 1,095; `None` never expires.
    pub max_password_age: Option<u32>,
    /// How many previous passwords may not be reused, 1 to 24; `None` allows reuse.
    pub password_reuse_prevention: Option<u32>,
    /// An expired password can only be reset by an administrator.
    pub hard_expiry: bool,
}

impl Default for PasswordPolicy {
    /// The console's starting point for a custom policy.
    fn default() -> PasswordPolicy {
        PasswordPolicy {
            minimum_password_length: 8,
            require_uppercase_characters: false,
            require_lowercase_characters: false,
            require_numbers: false,
            require_symbols: false,
            allow_users_to_change_password: true,
            max_password_age: None,
            password_reuse_prevention: None,
            hard_expiry: false,
        }
    }
}

fn out_of_range(field: &'static str, label: &str, value: u32, (min, max): (u32, u32)) -> IamError {
    IamError::validation(
        field,
        format!(
            "the {label} `{value}` is not between {min} and {max}; choose a value in that range"
        ),
    )
}

impl PasswordPolicy {
    /// Checks the ranges; each refusal names the field and its range.
    pub fn validate(&self) -> Result<(), IamError> {
        let in_range = |v: u32, (min, max): (u32, u32)| (min..=max).contains(&v);
        if !in_range(self.minimum_password_length, MIN_PASSWORD_LENGTH_RANGE) {
            return Err(out_of_range(
                "minimum_password_length",
                "minimum password length",
                self.minimum_password_length,
                MIN_PASSWORD_LENGTH_RANGE,
            ));
        }
        if let Some(days) = self.max_password_age
            && !in_range(days, MAX_PASSWORD_AGE_DAYS_RANGE)
        {
            return Err(out_of_range(
                "max_password_age",
                "password expiration in days",
                days,
                MAX_PASSWORD_AGE_DAYS_RANGE,
            ));
        }
        if let Some(n) = self.password_reuse_prevention
            && !in_range(n, PASSWORD_REUSE_PREVENTION_RANGE)
        {
            return Err(out_of_range(
                "password_reuse_prevention",
                "number of previous passwords to prevent reusing",
                n,
                PASSWORD_REUSE_PREVENTION_RANGE,
            ));
        }
        Ok(())
    }

    /// The character and length rules of this policy.
    pub fn rules(&self) -> PasswordRules {
        PasswordRules {
            min_length: usize::try_from(self.minimum_password_length).unwrap_or(usize::MAX),
            max_length: MAX_PASSWORD_CHARS,
            min_character_classes: 0,
            require_uppercase: self.require_uppercase_characters,
            require_lowercase: self.require_lowercase_characters,
            require_digit: self.require_numbers,
            require_symbol: self.require_symbols,
        }
    }
}

/// The password requirements in force: the custom policy, or IAM's default
/// (8 to 128 characters with three of the four character classes) without one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordRequirements {
    /// `None`: no custom policy.
    pub policy: Option<PasswordPolicy>,
    pub rules: PasswordRules,
}

impl PasswordRequirements {
    /// IAM's default rules, in force while the account has no custom policy.
    pub const IAM_DEFAULT_RULES: PasswordRules = PasswordRules {
        min_length: 8,
        max_length: MAX_PASSWORD_CHARS,
        min_character_classes: 3,
        require_uppercase: false,
        require_lowercase: false,
        require_digit: false,
        require_symbol: false,
    };

    pub fn new(policy: Option<PasswordPolicy>) -> PasswordRequirements {
        let rules = policy.map_or(Self::IAM_DEFAULT_RULES, |p| p.rules());
        PasswordRequirements { policy, rules }
    }

    /// Checks a new password: the rules, not the user name (ignoring case),
    /// not a common password. Every broken rule is listed.
    pub fn check(&self, password: &str, user_name: &str) -> Result<(), Vec<PasswordRuleViolation>> {
        let mut violations = check_password(&self.rules, password, user_name)
            .err()
            .unwrap_or_default();
        if is_common_password(password) {
            violations.push(PasswordRuleViolation::CommonPassword);
        }
        if violations.is_empty() {
            Ok(())
        } else {
            Err(violations)
        }
    }

    /// Whether users may change their own password (always, without a policy).
    pub fn allow_users_to_change_password(&self) -> bool {
        self.policy.is_none_or(|p| p.allow_users_to_change_password)
    }

    /// Seconds a password stays valid, if it expires.
    pub fn max_password_age_secs(&self) -> Option<i64> {
        self.policy
            .and_then(|p| p.max_password_age)
            .map(|days| i64::from(days) * 86_400)
    }

    pub fn hard_expiry(&self) -> bool {
        self.policy.is_some_and(|p| p.hard_expiry)
    }

    /// How many previous passwords a change may not reuse (0: no check).
    pub fn reuse_prevention(&self) -> u32 {
        self.policy
            .and_then(|p| p.password_reuse_prevention)
            .unwrap_or(0)
    }

    /// One line per rule, for the change-password and account settings pages.
    pub fn descriptions(&self) -> Vec<String> {
        let r = &self.rules;
        let mut lines = vec![format!("{} to {} characters", r.min_length, r.max_length)];
        if r.min_character_classes > 0 {
            lines.push(format!(
                "at least {} of: uppercase letters (A-Z), lowercase letters (a-z), numbers (0-9), symbols ({SYMBOLS})",
                r.min_character_classes
            ));
        }
        for (required, text) in [
            (
                r.require_uppercase,
                "at least one uppercase letter (A-Z)".to_owned(),
            ),
            (
                r.require_lowercase,
                "at least one lowercase letter (a-z)".to_owned(),
            ),
            (r.require_digit, "at least one number (0-9)".to_owned()),
            (r.require_symbol, format!("at least one symbol ({SYMBOLS})")),
        ] {
            if required {
                lines.push(text);
            }
        }
        lines.push("not the same as the user name".to_owned());
        lines.push("not one of the 10,000 most common passwords".to_owned());
        if let Some(n) = self.policy.and_then(|p| p.password_reuse_prevention) {
            lines.push(format!("not one of your last {n} passwords"));
        }
        if let Some(days) = self.policy.and_then(|p| p.max_password_age) {
            lines.push(format!("expires after {days} days"));
        }
        lines
    }
}

/// The 10,000 most common passwords, most common first (see `data/README.md`).
const COMMON_PASSWORDS: &str = include_str!("../../data/common-passwords.txt");

static COMMON: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| COMMON_PASSWORDS.lines().filter(|l| !l.is_empty()).collect());

/// Whether `password` is one of the 10,000 most common passwords, ignoring case.
pub fn is_common_password(password: &str) -> bool {
    COMMON.contains(password.to_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules_broken(req: &PasswordRequirements, password: &str, user: &str) -> Vec<&'static str> {
        req.check(password, user)
            .err()
            .unwrap_or_default()
            .iter()
            .map(PasswordRuleViolation::rule)
            .collect()
    }

    #[test]
    fn the_list_has_ten_thousand_lowercase_entries() {
        assert_eq!(COMMON.len(), 10_000);
        assert!(COMMON_PASSWORDS.lines().all(|l| l == l.to_lowercase()));
        assert!(is_common_password("password"));
        assert!(is_common_password("PassWord"));
        assert!(is_common_password("123456"));
        assert!(!is_common_password("Zq9!vX2#mT7@pL4$"));
    }

    #[test]
    fn default_requirements_are_iam_defaults() {
        let req = PasswordRequirements::new(None);
        assert_eq!(rules_broken(&req, "abcDEF12x", "mary"), Vec::<&str>::new());
        assert_eq!(
            rules_broken(&req, "abcdefgh", "mary"),
            ["character_classes"]
        );
        assert_eq!(
            rules_broken(&req, "Mary.Major1", "mary.major1"),
            ["not_identity"]
        );
        assert_eq!(rules_broken(&req, "Password1", "mary"), ["not_common"]);
        assert!(req.allow_users_to_change_password());
        assert_eq!(req.reuse_prevention(), 0);
        assert_eq!(req.max_password_age_secs(), None);
    }

    #[test]
    fn custom_policy_rules_and_limits() {
        let policy = PasswordPolicy {
            minimum_password_length: 14,
            require_uppercase_characters: true,
            require_lowercase_characters: true,
            require_numbers: true,
            require_symbols: true,
            max_password_age: Some(90),
            password_reuse_prevention: Some(5),
            ..PasswordPolicy::default()
        };
        let req = PasswordRequirements::new(Some(policy));
        assert_eq!(
            req.check("abc", "u").unwrap_err(),
            vec![
                PasswordRuleViolation::TooShort { min: 14 },
                PasswordRuleViolation::MissingUppercase,
                PasswordRuleViolation::MissingDigit,
                PasswordRuleViolation::MissingSymbol,
            ]
        );
        assert_eq!(req.check("Abcdefgh-12345", "u"), Ok(()));
        assert_eq!(req.max_password_age_secs(), Some(90 * 86_400));
        assert_eq!(req.reuse_prevention(), 5);
        let lines = req.descriptions();
        assert!(lines[0].starts_with("14 to 128"), "{lines:?}");
        assert!(lines.iter().any(|l| l.contains("last 5 passwords")));
        for v in req.check("", "").unwrap_err() {
            let m = v.to_string();
            assert!(
                m.starts_with(|c: char| c.is_lowercase()) && !m.ends_with('.'),
                "{m}"
            );
        }
    }

    #[test]
    fn ranges() {
        let ok = PasswordPolicy::default();
        assert!(ok.validate().is_ok());
        for (policy, field, needle) in [
            (
                PasswordPolicy {
                    minimum_password_length: 5,
                    ..ok
                },
                "minimum_password_length",
                "`5` is not between 6 and 128",
            ),
            (
                PasswordPolicy {
                    minimum_password_length: 129,
                    ..ok
                },
                "minimum_password_length",
                "129",
            ),
            (
                PasswordPolicy {
                    max_password_age: Some(0),
                    ..ok
                },
                "max_password_age",
                "1 and 1095",
            ),
            (
                PasswordPolicy {
                    max_password_age: Some(1_096),
                    ..ok
                },
                "max_password_age",
                "1096",
            ),
            (
                PasswordPolicy {
                    password_reuse_prevention: Some(25),
                    ..ok
                },
                "password_reuse_prevention",
                "1 and 24",
            ),
            (
                PasswordPolicy {
                    password_reuse_prevention: Some(0),
                    ..ok
                },
                "password_reuse_prevention",
                "`0`",
            ),
        ] {
            let e = policy.validate().unwrap_err();
            assert_eq!(e.field(), Some(field));
            assert!(e.user_message().contains(needle), "{}", e.user_message());
        }
        for policy in [
            PasswordPolicy {
                minimum_password_length: 6,
                max_password_age: Some(1),
                password_reuse_prevention: Some(1),
                ..ok
            },
            PasswordPolicy {
                minimum_password_length: 128,
                max_password_age: Some(1_095),
                password_reuse_prevention: Some(24),
                ..ok
            },
        ] {
            assert!(policy.validate().is_ok());
        }
    }
}
