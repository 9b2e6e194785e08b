//! The account: one per install, with a 12-digit id like an AWS account.

use std::fmt;

use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::clock::UnixTime;

/// A 12-digit account id whose first digit is not zero.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AccountId(String);

impl AccountId {
    /// Parses a 12-digit account id, or `None` for anything else (an alias, say).
    pub fn parse(s: &str) -> Option<AccountId> {
        let ok = s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()) && !s.starts_with('0');
        ok.then(|| AccountId(s.to_owned()))
    }

    pub(crate) fn generate() -> AccountId {
        let n: u64 = rand::rng().random_range(100_000_000_000..1_000_000_000_000);
        AccountId(n.to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for AccountId {
    type Error = String;

    fn try_from(s: String) -> Result<AccountId, String> {
        AccountId::parse(&s).ok_or_else(|| {
            format!("`{s}` is not an account id; an account id is 12 digits, not starting with 0")
        })
    }
}

impl From<AccountId> for String {
    fn from(id: AccountId) -> String {
        id.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: AccountId,
    /// The friendly name usable instead of the id on the IAM user sign-in form.
    pub alias: Option<String>,
    pub created_at: UnixTime,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_are_twelve_digits_without_leading_zero() {
        for _ in 0..1000 {
            let id = AccountId::generate();
            assert_eq!(AccountId::parse(id.as_str()), Some(id.clone()));
        }
    }

    #[test]
    fn parse_rejects_non_ids() {
        for bad in [
            "",
            "12345678901",
            "1234567890123",
            "012345678901",
            "12345678901a",
            "my-alias",
        ] {
            assert_eq!(AccountId::parse(bad), None, "{bad}");
        }
        assert!(AccountId::parse("123456789012").is_some());
    }
}
