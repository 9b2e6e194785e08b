//! Policy documents laid out for reading: minified JSON indented, readable JSON kept as typed.

/// Indents minified JSON with 4 spaces, keeping the key order (as the IAM console shows
/// documents). Text that is not JSON comes back unchanged in substance.
pub fn pretty_json(src: &str) -> String {
    let mut out = String::with_capacity(src.len() * 2);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = src.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("    ");
        }
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                // Skip whitespace to see whether the container is empty.
                while chars.peek().is_some_and(|c| c.is_whitespace()) {
                    chars.next();
                }
                if matches!(chars.peek(), Some('}' | ']')) {
                    if let Some(close) = chars.next() {
                        out.push(close);
                    }
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

/// Whether `src` is already laid out on several lines (then it is shown as written).
fn needs_layout(src: &str) -> bool {
    !src.trim().contains('\n')
}

/// The document as people read it: as written, or indented when it was stored minified.
pub fn readable_document(src: &str) -> String {
    if needs_layout(src) {
        pretty_json(src)
    } else {
        src.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minified_json_is_indented_in_key_order() {
        let src = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","ec2:*"],"Resource":"*","Condition":{}}]}"#;
        let pretty = pretty_json(src);
        assert!(pretty.starts_with("{\n    \"Version\": \"2012-10-17\",\n    \"Statement\": ["));
        assert!(pretty.contains("\"Condition\": {}"));
        assert!(!policy::validate::validate(&pretty).has_errors());
        assert_eq!(readable_document("{\n}"), "{\n}");
    }

    #[test]
    fn strings_keep_their_punctuation() {
        assert_eq!(
            pretty_json(r#"{"a":"x,{y}:\"z\""}"#),
            "{\n    \"a\": \"x,{y}:\\\"z\\\"\"\n}"
        );
    }
}
