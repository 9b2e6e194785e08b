use super::*;

fn err(src: &str) -> JsonError {
    parse_json(src).expect_err("should fail")
}

fn at(e: &JsonError) -> (u32, u32) {
    (e.span.start.line, e.span.start.column)
}

#[test]
fn parses_values_with_spans() {
    let v =
        parse_json("{\n  \"a\": [1, -2.5e3, true, null],\n  \"é\": \"x\\u00e9\\ud83d\\ude00\"\n}")
            .unwrap();
    let JsonKind::Object(members) = &v.kind else {
        panic!()
    };
    assert_eq!(members.len(), 2);
    assert_eq!(members[0].key.value, "a");
    assert_eq!(
        (
            members[0].key.span.start.line,
            members[0].key.span.start.column
        ),
        (2, 3)
    );
    let JsonKind::Array(items) = &members[0].value.kind else {
        panic!()
    };
    assert_eq!(items[1].kind, JsonKind::Number("-2.5e3".into()));
    assert_eq!(
        (items[1].span.start.column, items[1].span.end.column),
        (12, 18)
    );
    assert_eq!(members[1].value.kind, JsonKind::String("xé😀".into()));
    // Columns count characters: `"é"` is 3 characters wide but 4 bytes.
    assert_eq!(members[1].key.span.end.column, 6);
    assert_eq!(
        members[1].key.span.end.offset - members[1].key.span.start.offset,
        4
    );
    assert_eq!(v.span.end.line, 4);
}

#[test]
fn reports_duplicate_keys_at_the_second_key() {
    let e = err("{\"Effect\": \"Allow\",\n \"Effect\": \"Deny\"}");
    assert_eq!(at(&e), (2, 2));
    assert!(
        e.message.contains("duplicate key `Effect`"),
        "{}",
        e.message
    );
}

#[test]
fn reports_trailing_garbage() {
    let e = err("{} x");
    assert_eq!(at(&e), (1, 4));
    assert!(e.message.contains("`x` after the end"), "{}", e.message);
}

#[test]
fn reports_bad_escapes_and_control_characters() {
    let e = err("\"ab\\q\"");
    assert_eq!(at(&e), (1, 4));
    assert!(e.message.contains("invalid escape `\\q`"), "{}", e.message);
    let e = err("\"a\nb\"");
    assert!(
        e.message.contains("not allowed inside a string"),
        "{}",
        e.message
    );
    let e = err("\"\\ud800\"");
    assert!(e.message.contains("surrogate"), "{}", e.message);
    let e = err("\"\\u12\"");
    assert!(e.message.contains("4 hexadecimal digits"), "{}", e.message);
}

#[test]
fn reports_what_was_expected() {
    assert!(
        err("{\"a\" 1}")
            .message
            .contains("expected `:` after the key `a`")
    );
    assert!(
        err("{\"a\": 1 \"b\": 2}")
            .message
            .contains("expected `,` or `}`")
    );
    assert!(err("[1,]").message.contains("trailing comma"));
    assert!(err("{\"a\":1,}").message.contains("trailing comma"));
    assert!(err("").message.contains("found end of input"));
    assert!(err("{'a': 1}").message.contains("double quotes"));
    assert!(err("[tru]").message.contains("`tru`"));
    assert!(err("[01]").message.contains("leading zeros"));
    assert!(err("[1.]").message.contains("decimal point"));
    assert!(err("\"abc").message.contains("unterminated string"));
}

#[test]
fn bounds_nesting_depth() {
    let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
    assert!(parse_json(&ok).is_ok());
    let deep = "[".repeat(100_000);
    let e = err(&deep);
    assert!(e.message.contains("nested more than 64"), "{}", e.message);
    assert_eq!(e.span.start.column, 65);
}

#[test]
fn handles_large_input() {
    let mut s = String::from("[");
    for i in 0..200_000 {
        if i > 0 {
            s.push(',');
        }
        s.push_str("{\"k\": \"some text \\n here\", \"n\": 12.5}");
    }
    s.push(']');
    let v = parse_json(&s).unwrap();
    let JsonKind::Array(items) = v.kind else {
        panic!()
    };
    assert_eq!(items.len(), 200_000);
}
