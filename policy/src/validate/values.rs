//! Formats of condition values: booleans, numbers, dates, IP ranges and base64, as the condition
//! operators of each family expect them.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// `true` / `false`, case-insensitive.
pub(crate) fn is_bool(text: &str) -> bool {
    text.eq_ignore_ascii_case("true") || text.eq_ignore_ascii_case("false")
}

/// An integer or decimal number, with an optional sign.
pub(crate) fn parse_number(text: &str) -> Option<f64> {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() && frac.is_empty() || !all_digits(int) || !all_digits(frac) {
        return None;
    }
    text.parse().ok()
}

/// How a date condition value reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateValue {
    /// An ISO 8601 date or date-time.
    Iso,
    /// Epoch seconds.
    Epoch,
    /// Digits that look like epoch milliseconds: valid, but they resolve to a far-future date.
    EpochMillis,
    Invalid,
}

/// Classifies a date value: `2024-01-31`, `2024-01-31T12:00:00Z`, `2024-01-31T12:00:00.5+02:00`,
/// or epoch seconds.
pub(crate) fn date_value(text: &str) -> DateValue {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return if text.len() >= 12 {
            DateValue::EpochMillis
        } else {
            DateValue::Epoch
        };
    }
    if is_iso_date(text) {
        DateValue::Iso
    } else {
        DateValue::Invalid
    }
}

fn is_iso_date(text: &str) -> bool {
    let (date, time) = match text.split_once(['T', 't']) {
        Some((d, t)) => (d, Some(t)),
        None => (text, None),
    };
    is_calendar_date(date) && time.is_none_or(is_time)
}

fn is_calendar_date(date: &str) -> bool {
    let parts: Vec<&str> = date.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    let field = |s: &str, len: usize| {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let (Some(year), Some(month), Some(day)) = (field(y, 4), field(m, 2), field(d, 2)) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

fn is_time(time: &str) -> bool {
    let (clock, zone) = if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        (clock, None)
    } else if let Some(pos) = time.rfind(['+', '-']) {
        (time.get(..pos).unwrap_or(""), time.get(pos + 1..))
    } else {
        (time, None)
    };
    let two = |s: &str, max: u32| {
        s.len() == 2
            && s.bytes().all(|b| b.is_ascii_digit())
            && s.parse::<u32>().is_ok_and(|v| v <= max)
    };
    let (whole, fraction) = clock.split_once('.').unwrap_or((clock, "0"));
    let fields: Vec<&str> = whole.split(':').collect();
    let clock_ok = match fields.as_slice() {
        [h, m] => two(h, 23) && two(m, 59) && fraction == "0",
        [h, m, s] => {
            two(h, 23)
                && two(m, 59)
                && two(s, 60)
                && !fraction.is_empty()
                && fraction.bytes().all(|b| b.is_ascii_digit())
        }
        _ => false,
    };
    let zone_ok = zone.is_none_or(|z| match z.split_once(':') {
        Some((h, m)) => two(h, 23) && two(m, 59),
        None => {
            z.len() == 4 && two(z.get(..2).unwrap_or(""), 23) && two(z.get(2..).unwrap_or(""), 59)
        }
    });
    clock_ok && zone_ok
}

/// An IP range in CIDR notation (a bare address is a /32 or /128).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct IpRange {
    pub addr: IpAddr,
    pub prefix: u8,
}

impl IpRange {
    pub(crate) fn parse(text: &str) -> Option<IpRange> {
        let (addr, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let addr: IpAddr = addr.parse().ok()?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => p.parse().ok()?,
            Some(_) => return None,
            None => max,
        };
        (prefix <= max).then_some(IpRange { addr, prefix })
    }

    /// The same range with the host bits cleared, when any were set (`10.0.0.1/8` -> `10.0.0.0/8`).
    pub(crate) fn normalized(self) -> Option<IpRange> {
        let addr = match self.addr {
            IpAddr::V4(a) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                IpAddr::V4(Ipv4Addr::from(u32::from(a) & mask))
            }
            IpAddr::V6(a) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                IpAddr::V6(Ipv6Addr::from(u128::from(a) & mask))
            }
        };
        (addr != self.addr).then_some(IpRange { addr, ..self })
    }

    /// Whether the whole range is private, loopback, link-local or shared address space, which
    /// `aws:SourceIp` never carries.
    pub(crate) fn is_private(self) -> bool {
        let within = |net: IpAddr, prefix: u8| {
            self.prefix >= prefix
                && IpRange {
                    addr: self.addr,
                    prefix,
                }
                .normalized()
                .map_or(self.addr, |r| r.addr)
                    == net
        };
        match self.addr {
            IpAddr::V4(_) => [
                ([10, 0, 0, 0], 8),
                ([172, 16, 0, 0], 12),
                ([192, 168, 0, 0], 16),
                ([127, 0, 0, 0], 8),
                ([169, 254, 0, 0], 16),
                ([100, 64, 0, 0], 10),
            ]
            .iter()
            .any(|(net, prefix)| within(IpAddr::V4(Ipv4Addr::from(*net)), *prefix)),
            IpAddr::V6(_) => [
                (Ipv6Addr::new(0xfc00, 0, 0, 0, 0, 0, 0, 0), 7),
                (Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 0), 10),
                (Ipv6Addr::LOCALHOST, 128),
            ]
            .iter()
            .any(|(net, prefix)| within(IpAddr::V6(*net), *prefix)),
        }
    }
}

impl std::fmt::Display for IpRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

/// Standard base64 with padding, as `BinaryEquals` expects.
pub(crate) fn is_base64(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.is_empty() || !bytes.len().is_multiple_of(4) {
        return false;
    }
    let body = text.trim_end_matches('=');
    text.len() - body.len() <= 2
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans_and_numbers() {
        assert!(is_bool("TRUE") && is_bool("false") && !is_bool("yes"));
        assert_eq!(parse_number("-1.5"), Some(-1.5));
        assert_eq!(parse_number("10"), Some(10.0));
        assert_eq!(parse_number(".5"), Some(0.5));
        for bad in ["", "-", ".", "1e3", "1,000", "NaN", "inf", " 1"] {
            assert_eq!(parse_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn dates() {
        for ok in [
            "2024-02-29",
            "2024-01-31T12:00:00Z",
            "2024-01-31T12:00Z",
            "2024-01-31T12:00:00.123+02:00",
            "2024-01-31T12:00:00-0500",
        ] {
            assert_eq!(date_value(ok), DateValue::Iso, "{ok}");
        }
        assert_eq!(date_value("1700000000"), DateValue::Epoch);
        assert_eq!(date_value("1700000000000"), DateValue::EpochMillis);
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "234-13",
            "sdfdsf",
            "2024/01/01",
            "2024-01-01T25:00Z",
            "",
        ] {
            assert_eq!(date_value(bad), DateValue::Invalid, "{bad}");
        }
    }

    #[test]
    fn ip_ranges() {
        let r = IpRange::parse("203.0.113.5/24").unwrap();
        assert_eq!(r.normalized().unwrap().to_string(), "203.0.113.0/24");
        assert!(
            IpRange::parse("203.0.113.0/24")
                .unwrap()
                .normalized()
                .is_none()
        );
        assert!(IpRange::parse("10.1.0.0/16").unwrap().is_private());
        assert!(!IpRange::parse("10.0.0.0/7").unwrap().is_private());
        assert!(!IpRange::parse("8.8.8.8").unwrap().is_private());
        assert!(IpRange::parse("fd00::/8").unwrap().is_private());
        assert!(
            IpRange::parse("2001:db8::/0")
                .unwrap()
                .normalized()
                .is_some()
        );
        for bad in ["1.2.3.4/33", "1.2.3/8", "abc", "1.2.3.4/", "::1/129"] {
            assert!(IpRange::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn base64() {
        assert!(
            is_base64("QUJD")
                && is_base64("QQ==")
                && !is_base64("QQ=")
                && !is_base64("Q!==")
                && !is_base64("")
        );
    }
}
