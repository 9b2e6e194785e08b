//! Text for the elements whose children Leptos writes into the server's HTML as they are.
//!
//! tachys (Leptos 0.8's renderer) does not escape the children of `<textarea>`, `<script>`,
//! `<style>` and `<noscript>` when it renders on the server, and leptos_meta writes `<title>` the
//! same way. A `<textarea>` and a `<title>` are parsed by the browser as escapable raw text, so
//! `</textarea><form …>` in a policy document would end the element and plant markup in the page.
//! Everything user-controlled that goes there passes through this module. In the browser the same
//! values are set as DOM text (never parsed as HTML), so there they stay as they are.

/// `text` with `&`, `<` and `>` escaped, for the content of `<textarea>` or `<title>` in HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// The child of a `<textarea>`: escaped on the server, and after a newline, because the HTML
/// parser drops one newline right after `<textarea>`, so a document that starts with a newline
/// keeps it. In the browser (a client-side render) the text is set as it is.
pub fn textarea_text(text: String) -> String {
    if cfg!(feature = "ssr") {
        format!("\n{}", escape(&text))
    } else {
        text
    }
}

/// The content of `<title>`: escaped on the server, as it is in the browser (`document.title`).
pub fn title_text(text: String) -> String {
    if cfg!(feature = "ssr") {
        escape(&text)
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_becomes_text() {
        assert_eq!(
            escape("</textarea><img src=x onerror=\"a&b\">"),
            "&lt;/textarea&gt;&lt;img src=x onerror=\"a&amp;b\"&gt;"
        );
        assert_eq!(escape("plain"), "plain");
        assert_eq!(escape("&lt;"), "&amp;lt;");
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn a_textarea_keeps_its_leading_newline() {
        assert_eq!(textarea_text("\n{}".to_owned()), "\n\n{}");
        assert_eq!(
            textarea_text("</textarea>".to_owned()),
            "\n&lt;/textarea&gt;"
        );
    }

    /// Every `<textarea>` in the console's views takes its text through [`textarea_text`]: a new
    /// one that writes a signal or string straight in would reopen the hole.
    #[test]
    fn every_textarea_child_is_escaped() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut checked = 0;
        let mut stack = vec![root];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                if path.extension().is_none_or(|e| e != "rs") || path.ends_with("raw_text.rs") {
                    continue;
                }
                let source = std::fs::read_to_string(&path).unwrap();
                for (start, _) in source.match_indices("<textarea") {
                    let rest = &source[start..];
                    let close = rest.find("</textarea>").expect("a <textarea> is closed");
                    let open_end = rest[..close].rfind('>').expect("a <textarea> tag ends");
                    let children = rest[open_end + 1..close].trim();
                    assert!(
                        children.is_empty() || children.starts_with("{textarea_text("),
                        "{}: a <textarea> child must be `{{textarea_text(…)}}`, found `{children}`",
                        path.display()
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked >= 2, "found only {checked} <textarea> elements");
    }
}
