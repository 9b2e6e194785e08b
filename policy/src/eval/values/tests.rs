use super::*;

#[test]
fn numbers() {
    assert_eq!(parse_number("10"), Some(10.0));
    assert_eq!(parse_number("-2.5"), Some(-2.5));
    assert_eq!(parse_number("1e3"), Some(1000.0));
    for bad in ["", "a", "inf", "NaN", " 1", "1 ", "0x10", "-", "1e999"] {
        assert_eq!(parse_number(bad), None, "{bad}");
    }
}

#[test]
fn dates() {
    let day = 86_400 * NANOS;
    assert_eq!(parse_date("1970-01-01T00:00:00Z"), Some(0));
    assert_eq!(parse_date("1970-01-02"), Some(day));
    assert_eq!(parse_date("86400"), Some(day));
    assert_eq!(parse_date("1970-01-01T02:00:00+02:00"), Some(0));
    assert_eq!(parse_date("1970-01-01T00:00Z"), Some(0));
    assert_eq!(
        parse_date("1970-01-01T00:00:01.5Z"),
        Some(NANOS + NANOS / 2)
    );
    assert_eq!(
        parse_date("2000-03-01T00:00:00Z"),
        Some(951_868_800 * NANOS)
    );
    assert_eq!(parse_date("2024-02-29"), parse_date("1709164800"));
    assert_eq!(parse_date("2026"), parse_date("2026-01-01T00:00:00Z"));
    assert_eq!(parse_date("2026-03"), parse_date("2026-03-01"));
    for bad in [
        "",
        "sdfdsf",
        "234-13",
        "2023-02-29",
        "2026-13-01",
        "2026-01-01T25:00Z",
        "2026-1-1",
        "2026-01-01T10",
        "2026-01-01T10:00:00+2",
    ] {
        assert_eq!(parse_date(bad), None, "{bad}");
    }
}

#[test]
fn cidrs() {
    let c = Cidr::parse("192.0.2.0/24").unwrap();
    assert!(c.contains(parse_ip("192.0.2.77").unwrap()));
    assert!(!c.contains(parse_ip("192.0.3.1").unwrap()));
    assert!(
        Cidr::parse("10.1.2.3")
            .unwrap()
            .contains(parse_ip("10.1.2.3").unwrap())
    );
    assert!(
        Cidr::parse("0.0.0.0/0")
            .unwrap()
            .contains(parse_ip("8.8.8.8").unwrap())
    );
    assert!(
        !Cidr::parse("0.0.0.0/0")
            .unwrap()
            .contains(parse_ip("::1").unwrap())
    );
    assert!(
        Cidr::parse("2001:db8::/32")
            .unwrap()
            .contains(parse_ip("2001:db8:1::5").unwrap())
    );
    assert!(
        Cidr::parse("::/0")
            .unwrap()
            .contains(parse_ip("::1").unwrap())
    );
    for bad in [
        "",
        "1.2.3.4/33",
        "1.2.3/8",
        "::/129",
        "1.2.3.4/",
        "1.2.3.4/a",
        "x",
    ] {
        assert_eq!(Cidr::parse(bad), None, "{bad}");
    }
}

#[test]
fn base64() {
    assert_eq!(parse_base64("aGVsbG8="), Some(b"hello".to_vec()));
    assert_eq!(parse_base64("aGVsbG8"), Some(b"hello".to_vec()));
    assert_eq!(parse_base64(""), Some(vec![]));
    assert_eq!(parse_base64("a"), None);
    assert_eq!(parse_base64("a$=="), None);
}
