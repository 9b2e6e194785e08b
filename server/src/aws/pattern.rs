//! AWS models carry Java regular expressions that must match the whole value
//! (`java.util.regex.Matcher::matches`). The `regex` crate reads almost the same syntax, but its
//! `\w`, `\d` and `\s` are Unicode-aware while Java's are ASCII-only, so those three are spelled
//! out before compiling. Patterns the `regex` crate cannot express (look-around, surrogate code
//! points) fail to compile and the caller skips them.

use regex::Regex;

/// Compiles a model pattern as an anchored, whole-value match.
pub(crate) fn compile(java: &str) -> Result<Regex, regex::Error> {
    Regex::new(&format!(r"\A(?:{})\z", translate(java)))
}

fn translate(java: &str) -> String {
    let mut out = String::with_capacity(java.len() + 16);
    let mut in_class = false;
    let mut chars = java.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(next) = chars.next() else {
                    out.push('\\');
                    break;
                };
                let ascii = match next {
                    'w' => Some("0-9A-Za-z_"),
                    'd' => Some("0-9"),
                    's' => Some(r" \t\n\x0B\f\r"),
                    _ => None,
                };
                match ascii {
                    Some(set) if in_class => out.push_str(set),
                    Some(set) => {
                        out.push('[');
                        out.push_str(set);
                        out.push(']');
                    }
                    None => {
                        out.push('\\');
                        out.push(next);
                    }
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, value: &str) -> bool {
        compile(pattern).unwrap().is_match(value)
    }

    #[test]
    fn user_name_pattern_is_ascii_word_and_whole_value() {
        assert!(matches(r"[\w+=,.@-]+", "mary.major@example+1"));
        assert!(!matches(r"[\w+=,.@-]+", "x y"));
        assert!(!matches(r"[\w+=,.@-]+", "é"));
        assert!(!matches(r"[\w+=,.@-]+", ""));
    }

    #[test]
    fn path_pattern_with_java_unicode_escapes() {
        let path = r"(\u002F)|(\u002F[\u0021-\u007E]+\u002F)";
        assert!(matches(path, "/"));
        assert!(matches(path, "/division_abc/subdivision_xyz/"));
        assert!(!matches(path, "/no-trailing"));
        assert!(!matches(path, "//x y/"));
    }

    #[test]
    fn tag_key_pattern_uses_unicode_classes() {
        let tag = r"[\p{L}\p{Z}\p{N}_.:/=+\-@]+";
        assert!(matches(tag, "Département 2"));
        assert!(!matches(tag, "bad*key"));
    }

    #[test]
    fn digits_outside_a_class() {
        assert!(matches(r"\d{12}", "123456789012"));
        assert!(!matches(r"\d{12}", "١٢٣٤٥٦٧٨٩٠١٢"));
    }

    #[test]
    fn look_ahead_is_reported_not_mangled() {
        assert!(compile("^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$").is_err());
    }
}
