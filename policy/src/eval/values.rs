//! Parsers for typed condition values: numbers, dates, IP ranges and base-64.
//!
//! The same parsers read policy values (at compile time, where a failure is an error) and
//! request values (at evaluation time, where a failure means "does not match").

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// A decimal number: optional sign, digits, optional fraction and exponent. No `inf`/`nan`, no
/// hex, no surrounding spaces.
pub(crate) fn parse_number(s: &str) -> Option<f64> {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let first = body.chars().next()?;
    if !(first.is_ascii_digit() || first == '.') {
        return None;
    }
    if !body
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        return None;
    }
    s.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// A point in time, as nanoseconds since 1970-01-01T00:00:00Z.
pub(crate) type Instant = i128;

const NANOS: i128 = 1_000_000_000;

/// An ISO 8601 / W3C date-time (`2026-01-31`, `2026-01-31T12:00Z`, `2026-01-31T12:00:00.5+02:00`;
/// no zone means UTC), or integer epoch seconds (`aws:EpochTime`).
pub(crate) fn parse_date(s: &str) -> Option<Instant> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    if !digits.is_empty()
        && digits.len() <= 15
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !is_bare_year(s)
    {
        return s.parse::<i64>().ok().map(|n| i128::from(n) * NANOS);
    }
    parse_iso(s)
}

/// `2026` alone is read as a year, not as 2026 seconds after the epoch.
fn is_bare_year(s: &str) -> bool {
    s.len() == 4
}

fn num(s: &str, range: std::ops::RangeInclusive<i64>) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<i64>().ok().filter(|n| range.contains(n))
}

fn parse_iso(s: &str) -> Option<Instant> {
    let (date, time) = match s.find(['T', 't']) {
        Some(i) => (s.get(..i)?, Some(s.get(i + 1..)?)),
        None => (s, None),
    };
    let mut d = date.split('-');
    let year = d
        .next()
        .filter(|y| y.len() == 4)
        .and_then(|y| num(y, 0..=9999))?;
    let month = match d.next() {
        Some(m) if m.len() == 2 => num(m, 1..=12)?,
        Some(_) => return None,
        None => 1,
    };
    let day = match d.next() {
        Some(v) if v.len() == 2 => num(v, 1..=days_in_month(year, month))?,
        Some(_) => return None,
        None => 1,
    };
    if d.next().is_some() {
        return None;
    }
    let mut nanos = i128::from(days_from_civil(year, month, day)) * 86_400 * NANOS;
    if let Some(time) = time {
        if date.len() != 10 {
            return None;
        }
        nanos += parse_time(time)?;
    }
    Some(nanos)
}

/// `hh:mm[:ss[.fraction]]` followed by `Z` or `±hh:mm`; returns nanoseconds from midnight UTC.
fn parse_time(t: &str) -> Option<i128> {
    let (clock, offset) = if let Some(c) = t.strip_suffix(['Z', 'z']) {
        (c, 0)
    } else if let Some(i) = t.rfind(['+', '-']) {
        let (c, o) = (t.get(..i)?, t.get(i..)?);
        let sign = if o.starts_with('-') { -1 } else { 1 };
        let (h, m) = o.get(1..)?.split_once(':')?;
        if h.len() != 2 || m.len() != 2 {
            return None;
        }
        (c, sign * (num(h, 0..=23)? * 3600 + num(m, 0..=59)? * 60))
    } else {
        (t, 0)
    };
    let mut parts = clock.split(':');
    let h = parts
        .next()
        .filter(|p| p.len() == 2)
        .and_then(|p| num(p, 0..=23))?;
    let m = parts
        .next()
        .filter(|p| p.len() == 2)
        .and_then(|p| num(p, 0..=59))?;
    let (sec, frac) = match parts.next() {
        None => (0, 0),
        Some(sec) => {
            let (whole, frac) = match sec.split_once('.') {
                Some((w, f)) => (w, Some(f)),
                None => (sec, None),
            };
            if whole.len() != 2 {
                return None;
            }
            let whole = num(whole, 0..=60)?;
            let frac = match frac {
                None => 0,
                Some(f) => {
                    if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
                        return None;
                    }
                    // Keep nanosecond precision; more digits are truncated.
                    let padded: String = f.chars().chain(std::iter::repeat('0')).take(9).collect();
                    padded.parse::<i128>().ok()?
                }
            };
            (whole, frac)
        }
    };
    if parts.next().is_some() {
        return None;
    }
    let secs = i128::from(h * 3600 + m * 60 + sec - offset);
    Some(secs * NANOS + frac)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// An IPv4 or IPv6 network, as in `IpAddress` conditions. IPv4 and IPv6 never match each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cidr {
    V4 { network: u32, prefix: u8 },
    V6 { network: u128, prefix: u8 },
}

fn mask4(prefix: u8) -> u32 {
    u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0)
}

fn mask6(prefix: u8) -> u128 {
    u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0)
}

impl Cidr {
    /// `192.0.2.0/24`, `2001:db8::/32`, or a bare address (a single host).
    pub fn parse(s: &str) -> Option<Cidr> {
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = addr.parse().ok()?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) if !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()) => {
                p.parse::<u8>().ok().filter(|p| *p <= max)?
            }
            Some(_) => return None,
        };
        Some(match addr {
            IpAddr::V4(a) => Cidr::V4 {
                network: u32::from(a) & mask4(prefix),
                prefix,
            },
            IpAddr::V6(a) => Cidr::V6 {
                network: u128::from(a) & mask6(prefix),
                prefix,
            },
        })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self, ip) {
            (Cidr::V4 { network, prefix }, IpAddr::V4(a)) => {
                u32::from(a) & mask4(*prefix) == *network
            }
            (Cidr::V6 { network, prefix }, IpAddr::V6(a)) => {
                u128::from(a) & mask6(*prefix) == *network
            }
            _ => false,
        }
    }
}

/// A request's address: a bare IPv4/IPv6 address.
pub(crate) fn parse_ip(s: &str) -> Option<IpAddr> {
    s.parse::<Ipv4Addr>()
        .map(IpAddr::V4)
        .or_else(|_| s.parse::<Ipv6Addr>().map(IpAddr::V6))
        .ok()
}

/// Standard base-64 (`+/`, padding optional, no whitespace, canonical trailing bits).
pub(crate) fn parse_base64(s: &str) -> Option<Vec<u8>> {
    let body = s.trim_end_matches('=');
    if s.len() - body.len() > 2 || body.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for b in body.bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xFF) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // Canonical encodings leave the unused low bits zero.
    (acc == 0).then_some(out)
}

#[cfg(test)]
mod tests;
