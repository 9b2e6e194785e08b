//! Time as the domain sees it.
//!
//! Domain functions take `now: UnixTime` as an argument instead of reading the
//! clock, so that session timeouts and other time rules are testable. This is
//! the only module that reads the system clock.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// A point in time, in whole seconds since the Unix epoch (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UnixTime(i64);

impl UnixTime {
    /// Reads the system clock. Call this at the edge (a request handler or the
    /// CLI) and pass the value down.
    pub fn now() -> UnixTime {
        // A clock before 1970 is a broken host; treat it as the epoch rather
        // than panicking in a request.
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
            .unwrap_or(0);
        UnixTime(secs)
    }

    pub const fn from_secs(secs: i64) -> UnixTime {
        UnixTime(secs)
    }

    pub const fn as_secs(self) -> i64 {
        self.0
    }

    /// This time moved forward by `secs` seconds (backward when negative).
    pub const fn plus_secs(self, secs: i64) -> UnixTime {
        UnixTime(self.0.saturating_add(secs))
    }

    /// Seconds elapsed from `earlier` to `self` (negative if `earlier` is later).
    pub const fn secs_since(self, earlier: UnixTime) -> i64 {
        self.0.saturating_sub(earlier.0)
    }

    /// ISO 8601 in UTC, `2026-11-29T02:30:00Z`, as AWS gives `aws:CurrentTime`; a time outside
    /// years ±9999 (no clock's, no stored row's) as the epoch.
    pub fn to_iso8601(self) -> String {
        time::OffsetDateTime::from_unix_timestamp(self.0)
            .ok()
            .and_then(|t| {
                t.format(time::macros::format_description!(
                    "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
                ))
                .ok()
            })
            .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_owned())
    }
}

impl fmt::Display for UnixTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_saturates() {
        let t = UnixTime::from_secs(100);
        assert_eq!(t.plus_secs(20).as_secs(), 120);
        assert_eq!(t.plus_secs(20).secs_since(t), 20);
        assert_eq!(
            UnixTime::from_secs(i64::MAX).plus_secs(1).as_secs(),
            i64::MAX
        );
    }

    #[test]
    fn iso8601_in_utc() {
        assert_eq!(UnixTime::from_secs(0).to_iso8601(), "1970-01-01T00:00:00Z");
        assert_eq!(
            UnixTime::from_secs(1_800_000_000).to_iso8601(),
            "2027-01-15T08:00:00Z"
        );
        // A leap day, and the last second of a century year that is not a leap year.
        assert_eq!(
            UnixTime::from_secs(1_709_210_096).to_iso8601(),
            "2024-02-29T12:34:56Z"
        );
        assert_eq!(
            UnixTime::from_secs(4_107_542_399).to_iso8601(),
            "2100-02-28T23:59:59Z"
        );
        assert_eq!(UnixTime::from_secs(-1).to_iso8601(), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn now_is_after_2020() {
        assert!(UnixTime::now().as_secs() > 1_577_836_800);
    }
}
