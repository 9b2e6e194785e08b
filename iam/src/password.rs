//! Passwords: the rules a new password must meet, and argon2id hashing.

mod hasher;
mod rules;

pub use hasher::{PasswordHash, PasswordHasher, Verification};
pub use rules::{PasswordRuleViolation, PasswordRules, check_password};
