//! AWS timestamps: ISO 8601 in Query requests and XML responses (`2026-12-08T10:00:00Z`),
//! epoch seconds in JSON 1.1. Handlers see one canonical form, the ISO 8601 UTC string.

use serde_json::Value;

/// A UTC instant with millisecond precision, the precision AWS timestamps carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Timestamp {
    millis: i64,
}

// Years 0000-9999, the range ISO 8601's four-digit year can spell.
const MIN_MILLIS: i64 = -62_167_219_200_000;
const MAX_MILLIS: i64 = 253_402_300_799_999;

impl Timestamp {
    pub(crate) fn from_epoch_seconds(secs: f64) -> Option<Timestamp> {
        let millis = (secs * 1000.0).round();
        if !millis.is_finite() || millis < MIN_MILLIS as f64 || millis > MAX_MILLIS as f64 {
            return None;
        }
        Some(Timestamp {
            millis: millis as i64,
        })
    }

    /// Parses `YYYY-MM-DDThh:mm:ss[.fff][Z|±hh:mm]`; a missing zone means UTC, as AWS reads it.
    pub(crate) fn parse_iso8601(s: &str) -> Option<Timestamp> {
        let b = s.as_bytes();
        if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
            return None;
        }
        if b[13] != b':' || b[16] != b':' {
            return None;
        }
        let year = digits(&b[0..4])?;
        let month = digits(&b[5..7])?;
        let day = digits(&b[8..10])?;
        let (hour, minute, second) = (
            digits(&b[11..13])?,
            digits(&b[14..16])?,
            digits(&b[17..19])?,
        );
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return None;
        }
        if hour > 23 || minute > 59 || second > 59 {
            return None;
        }
        let mut rest = &b[19..];
        let mut millis = 0;
        if let Some((b'.', frac)) = rest.split_first() {
            let n = frac.iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 {
                return None;
            }
            let ms = &frac[..n.min(3)];
            millis = digits(ms)? * 10_i64.pow(3 - ms.len() as u32);
            rest = &frac[n..];
        }
        let offset_minutes = match rest {
            [] | [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
                let minutes = digits(&[*h1, *h2])? * 60 + digits(&[*m1, *m2])?;
                if *sign == b'+' { minutes } else { -minutes }
            }
            _ => return None,
        };
        let days = days_from_civil(year, month, day);
        let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
        let millis = secs * 1000 + millis;
        (MIN_MILLIS..=MAX_MILLIS)
            .contains(&millis)
            .then_some(Timestamp { millis })
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
        let secs = self.millis.div_euclid(1000);
        let ms = self.millis.rem_euclid(1000);
        let (y, mo, d) = civil_from_days(secs.div_euclid(86_400));
        let t = secs.rem_euclid(86_400);
        let (h, mi, s) = (t / 3600, t % 3600 / 60, t % 60);
        let base = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}");
        if ms == 0 {
            format!("{base}Z")
        } else {
            format!("{base}.{ms:03}Z")
        }
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

fn digits(b: &[u8]) -> Option<i64> {
    b.iter().try_fold(0_i64, |acc, c| {
        c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
    })
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian, day 0 = 1970-01-01).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
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
        assert_eq!(Timestamp::from_epoch_seconds(f64::NAN), None);
        assert_eq!(Timestamp::from_epoch_seconds(1e300), None);
    }
}
