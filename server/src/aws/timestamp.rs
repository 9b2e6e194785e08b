//! AWS timestamps: ISO 8601 in Query requests and XML responses (`2026-12-08T10:00:00Z`),
//! epoch seconds in JSON 1.1. Handlers see one canonical form, the ISO 8601 UTC string.

use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// A UTC instant with millisecond precision, the precision AWS timestamps carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Timestamp {
    millis: i64,
}

// Years 0000-9999, the range ISO 8601's four-digit year can spell.
const MIN_MILLIS: i64 = -62_167_219_200_000;
const MAX_MILLIS: i64 = 253_402_300_799_999;

impl Timestamp {
    fn from_millis(millis: i64) -> Option<Timestamp> {
        (MIN_MILLIS..=MAX_MILLIS)
            .contains(&millis)
            .then_some(Timestamp { millis })
    }

    pub(crate) fn from_epoch_seconds(secs: f64) -> Option<Timestamp> {
        let millis = (secs * 1000.0).round();
        if !millis.is_finite() || millis < MIN_MILLIS as f64 || millis > MAX_MILLIS as f64 {
            return None;
        }
        Timestamp::from_millis(millis as i64)
    }

    /// Parses RFC 3339 (`YYYY-MM-DDThh:mm:ss[.fff](Z|±hh:mm)`); a missing zone means UTC, as
    /// AWS reads it.
    pub(crate) fn parse_iso8601(s: &str) -> Option<Timestamp> {
        let instant = OffsetDateTime::parse(s, &Rfc3339).ok().or_else(|| {
            let local = format_description!(
                "[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]]"
            );
            PrimitiveDateTime::parse(s, local)
                .ok()
                .map(|t| t.assume_offset(UtcOffset::UTC))
        })?;
        let millis = instant.unix_timestamp_nanos().div_euclid(1_000_000);
        Timestamp::from_millis(i64::try_from(millis).ok()?)
    }

    /// Whole seconds since the Unix epoch, rounded down.
    pub(crate) fn unix_seconds(self) -> i64 {
        self.millis.div_euclid(1000)
    }

    /// An ISO 8601 string or an epoch-seconds number, the two forms a handler may hand back.
    pub(crate) fn from_value(value: &Value) -> Option<Timestamp> {
        match value {
            Value::String(s) => Timestamp::parse_iso8601(s),
            Value::Number(n) => n.as_f64().and_then(Timestamp::from_epoch_seconds),
            _ => None,
        }
    }

    /// `2026-12-08T10:00:00Z`, with `.fff` only when there are milliseconds.
    pub(crate) fn to_iso8601(self) -> String {
        let Ok(instant) =
            OffsetDateTime::from_unix_timestamp_nanos(i128::from(self.millis) * 1_000_000)
        else {
            // Unreachable: `from_millis` keeps the value within years 0000-9999.
            return String::from("1970-01-01T00:00:00Z");
        };
        let formatted = if self.millis.rem_euclid(1000) == 0 {
            instant.format(format_description!(
                "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
            ))
        } else {
            instant.format(format_description!(
                "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
            ))
        };
        formatted.unwrap_or_default()
    }

    /// Epoch seconds as JSON 1.1 sends them: an integer, or fractional when there are millis.
    pub(crate) fn to_epoch_value(self) -> Value {
        if self.millis % 1000 == 0 {
            Value::from(self.millis / 1000)
        } else {
            Value::from(self.millis as f64 / 1000.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(s: &str) -> Option<String> {
        Timestamp::parse_iso8601(s).map(Timestamp::to_iso8601)
    }

    #[test]
    fn round_trips_and_normalises_to_utc() {
        assert_eq!(
            iso("2026-12-08T10:00:00Z").as_deref(),
            Some("2026-12-08T10:00:00Z")
        );
        assert_eq!(
            iso("2026-12-08T10:00:00").as_deref(),
            Some("2026-12-08T10:00:00Z")
        );
        assert_eq!(
            iso("2026-12-08T11:30:00+01:30").as_deref(),
            Some("2026-12-08T10:00:00Z")
        );
        assert_eq!(
            iso("2024-02-29T00:00:00.5Z").as_deref(),
            Some("2024-02-29T00:00:00.500Z")
        );
        assert_eq!(
            iso("1969-12-31T23:59:59.999999Z").as_deref(),
            Some("1969-12-31T23:59:59.999Z")
        );
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for bad in [
            "",
            "2026-13-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2026-12-08",
            "x".repeat(30).as_str(),
            "2026-12-08T24:00:00Z",
            "2026-12-08T10:00:00.Z",
            "2026-12-08T10:00:00+0100",
            "２026-12-08T10:00:00Z",
        ] {
            assert_eq!(Timestamp::parse_iso8601(bad), None, "{bad}");
        }
    }

    #[test]
    fn epoch_seconds_both_ways() {
        let t = Timestamp::parse_iso8601("2026-12-08T10:00:00Z").unwrap();
        assert_eq!(t.to_epoch_value(), Value::from(1_796_724_000));
        assert_eq!(
            Timestamp::from_epoch_seconds(1_796_724_000.25)
                .unwrap()
                .to_iso8601(),
            "2026-12-08T10:00:00.250Z"
        );
        assert_eq!(
            Timestamp::from_value(&Value::from(0)).unwrap().to_iso8601(),
            "1970-01-01T00:00:00Z"
        );
        assert_eq!(
            Timestamp::parse_iso8601("1969-12-31T23:59:59.5Z").map(Timestamp::unix_seconds),
            Some(-1),
            "rounded down, before the epoch too"
        );
        assert_eq!(t.unix_seconds(), 1_796_724_000);
        assert_eq!(Timestamp::from_epoch_seconds(f64::NAN), None);
        assert_eq!(Timestamp::from_epoch_seconds(1e300), None);
    }
}
