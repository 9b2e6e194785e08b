//! `YYYYMMDDTHHMMSSZ` (ISO 8601 basic format, UTC) to and from Unix seconds.

use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime};

const BASIC: &[time::format_description::BorrowedFormatItem<'static>] =
    format_description!("[year][month][day]T[hour][minute][second]Z");

/// Parses `YYYYMMDDTHHMMSSZ` into Unix seconds; `None` if it is not exactly that shape or not a
/// real UTC time.
pub(crate) fn parse(text: &str) -> Option<i64> {
    // `time` reads a leading sign as part of the year; AWS's dates have none.
    if !text.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
        return None;
    }
    PrimitiveDateTime::parse(text, BASIC)
        .ok()
        .map(|t| t.assume_utc().unix_timestamp())
}

/// Formats Unix seconds as `YYYYMMDDTHHMMSSZ`; a time outside years ±9999 (never a request's,
/// which has passed `parse`) formats as the epoch.
pub(crate) fn format(secs: i64) -> String {
    OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .and_then(|t| t.format(BASIC).ok())
        .unwrap_or_else(|| "19700101T000000Z".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_bad_shapes() {
        assert_eq!(parse("20150830T123600Z"), Some(1_440_938_160));
        assert_eq!(format(1_440_938_160), "20150830T123600Z");
        assert_eq!(parse("19700101T000000Z"), Some(0));
        assert_eq!(
            parse("20240229T235959Z").map(format).as_deref(),
            Some("20240229T235959Z")
        );
        for bad in [
            "",
            "20150830T123600",
            "20150830 123600Z",
            "2015-08-30T12:36:00Z",
            "20150230T123600Z",
            "20230229T000000Z",
            "20151330T123600Z",
            "20150830T243600Z",
            "+0150830T123600Z",
            "２0150830T123600Z",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }
}
