//! A small JSON parser that keeps a [`Span`] on every value and object key.
//!
//! `serde_json` silently keeps the last of two duplicate keys and forgets positions; the policy
//! language forbids duplicates and the editor needs `line:column` for every element, so policies
//! are read with this parser instead. It runs in time linear in the input, nests at most
//! [`MAX_DEPTH`] levels (so hostile input cannot overflow the stack) and never panics.

use std::collections::HashSet;

use crate::span::{Position, Span, Spanned};

/// The deepest nesting of arrays and objects accepted. Policies nest four levels deep.
pub const MAX_DEPTH: usize = 64;

/// A JSON value and where it is in the source.
#[derive(Debug, Clone, PartialEq)]
pub struct Json {
    pub kind: JsonKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum JsonKind {
    Null,
    Bool(bool),
    /// The number exactly as written, e.g. `1.50e3`.
    Number(String),
    /// The decoded string.
    String(String),
    Array(Vec<Json>),
    /// Members in source order; keys are unique.
    Object(Vec<Member>),
}

/// One `"key": value` member of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub key: Spanned<String>,
    pub value: Json,
}

impl Json {
    /// What the value is, for messages such as "expected a string, found an array".
    pub fn describe(&self) -> &'static str {
        match self.kind {
            JsonKind::Null => "`null`",
            JsonKind::Bool(_) => "a boolean",
            JsonKind::Number(_) => "a number",
            JsonKind::String(_) => "a string",
            JsonKind::Array(_) => "an array",
            JsonKind::Object(_) => "an object",
        }
    }
}

/// A syntax error, with the span of the offending text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    pub message: String,
    pub span: Span,
}

/// Parses one JSON value, surrounded by optional whitespace.
pub fn parse_json(src: &str) -> Result<Json, JsonError> {
    let mut parser = Parser {
        src: src.as_bytes(),
        text: src,
        pos: Position::START,
    };
    parser.skip_ws();
    let value = parser.value(0)?;
    parser.skip_ws();
    if parser.peek().is_some() {
        return Err(parser.error_here(format!(
            "unexpected {} after the end of the document; remove it",
            parser.describe_next()
        )));
    }
    Ok(value)
}

struct Parser<'a> {
    src: &'a [u8],
    text: &'a str,
    pos: Position,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos.offset).copied()
    }

    /// Moves past one byte, keeping line and column up to date.
    fn bump(&mut self) {
        let Some(&b) = self.src.get(self.pos.offset) else {
            return;
        };
        self.pos.offset += 1;
        if b == b'\n' {
            self.pos.line = self.pos.line.saturating_add(1);
            self.pos.column = 1;
        } else if b & 0xC0 != 0x80 {
            // Count characters, not bytes: UTF-8 continuation bytes don't start a column.
            self.pos.column = self.pos.column.saturating_add(1);
        }
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.bump();
        }
    }

    /// The next character, quoted for a message, or "end of input".
    fn describe_next(&self) -> String {
        match self
            .text
            .get(self.pos.offset..)
            .and_then(|s| s.chars().next())
        {
            None => "end of input".to_string(),
            Some(c) if c.is_control() => format!("character `{}`", c.escape_default()),
            Some(c) => format!("`{c}`"),
        }
    }

    fn error_here(&self, message: String) -> JsonError {
        let mut end = self.pos;
        if let Some(c) = self
            .text
            .get(self.pos.offset..)
            .and_then(|s| s.chars().next())
        {
            end.offset += c.len_utf8();
            end.column = end.column.saturating_add(1);
        }
        JsonError {
            message,
            span: Span::new(self.pos, end),
        }
    }

    fn expected(&self, what: &str) -> JsonError {
        self.error_here(format!("expected {what}, found {}", self.describe_next()))
    }

    fn value(&mut self, depth: usize) -> Result<Json, JsonError> {
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => {
                let (s, span) = self.string()?;
                Ok(Json {
                    kind: JsonKind::String(s),
                    span,
                })
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.literal("true", JsonKind::Bool(true)),
            Some(b'f') => self.literal("false", JsonKind::Bool(false)),
            Some(b'n') => self.literal("null", JsonKind::Null),
            Some(b'\'') => Err(self
                .error_here("strings must use double quotes `\"`, not single quotes".to_string())),
            _ => {
                Err(self
                    .expected("a value (object, array, string, number, `true`, `false` or `null`)"))
            }
        }
    }

    fn enter(&self, depth: usize) -> Result<usize, JsonError> {
        if depth >= MAX_DEPTH {
            return Err(self.error_here(format!(
                "arrays and objects are nested more than {MAX_DEPTH} levels deep; flatten the document"
            )));
        }
        Ok(depth + 1)
    }

    fn object(&mut self, depth: usize) -> Result<Json, JsonError> {
        let depth = self.enter(depth)?;
        let start = self.pos;
        self.bump(); // `{`
        self.skip_ws();
        let mut members: Vec<Member> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        if self.peek() == Some(b'}') {
            self.bump();
            return Ok(Json {
                kind: JsonKind::Object(members),
                span: Span::new(start, self.pos),
            });
        }
        loop {
            if self.peek() != Some(b'"') {
                return Err(if self.peek() == Some(b'}') {
                    self.error_here("trailing comma before `}`; remove the comma".to_string())
                } else {
                    self.expected("an object key in double quotes")
                });
            }
            let (key, key_span) = self.string()?;
            if !seen.insert(key.clone()) {
                return Err(JsonError {
                    message: format!(
                        "duplicate key `{key}` in this object; keep only one `{key}` (json would silently use the last one)"
                    ),
                    span: key_span,
                });
            }
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.expected(&format!("`:` after the key `{key}`")));
            }
            self.bump();
            self.skip_ws();
            let value = self.value(depth)?;
            members.push(Member {
                key: Spanned::new(key, key_span),
                value,
            });
            self.skip_ws();
            match self.peek() {
                Some(b',') => {
                    self.bump();
                    self.skip_ws();
                }
                Some(b'}') => {
                    self.bump();
                    return Ok(Json {
                        kind: JsonKind::Object(members),
                        span: Span::new(start, self.pos),
                    });
                }
                _ => return Err(self.expected("`,` or `}` after an object member")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Json, JsonError> {
        let depth = self.enter(depth)?;
        let start = self.pos;
        self.bump(); // `[`
        self.skip_ws();
        let mut items = Vec::new();
        if self.peek() == Some(b']') {
            self.bump();
            return Ok(Json {
                kind: JsonKind::Array(items),
                span: Span::new(start, self.pos),
            });
        }
        loop {
            if self.peek() == Some(b']') {
                return Err(
                    self.error_here("trailing comma before `]`; remove the comma".to_string())
                );
            }
            items.push(self.value(depth)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => {
                    self.bump();
                    self.skip_ws();
                }
                Some(b']') => {
                    self.bump();
                    return Ok(Json {
                        kind: JsonKind::Array(items),
                        span: Span::new(start, self.pos),
                    });
                }
                _ => return Err(self.expected("`,` or `]` after an array element")),
            }
        }
    }

    fn literal(&mut self, word: &str, kind: JsonKind) -> Result<Json, JsonError> {
        let start = self.pos;
        let matches = self
            .src
            .get(start.offset..start.offset + word.len())
            .is_some_and(|s| s == word.as_bytes());
        let ends = !matches!(
            self.src.get(start.offset + word.len()),
            Some(b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_')
        );
        if !(matches && ends) {
            return Err(self.error_here(format!(
                "expected a value, found {}; strings need double quotes, literals are `true`, `false` and `null`",
                self.describe_word()
            )));
        }
        for _ in 0..word.len() {
            self.bump();
        }
        Ok(Json {
            kind,
            span: Span::new(start, self.pos),
        })
    }

    /// The bare word at the cursor, for messages about unquoted text.
    fn describe_word(&self) -> String {
        let rest = self.text.get(self.pos.offset..).unwrap_or("");
        let word: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
            .take(40)
            .collect();
        if word.is_empty() {
            self.describe_next()
        } else {
            format!("`{word}`")
        }
    }

    fn digits(&mut self) -> usize {
        let mut n = 0;
        while let Some(b'0'..=b'9') = self.peek() {
            self.bump();
            n += 1;
        }
        n
    }

    fn number(&mut self) -> Result<Json, JsonError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.bump();
        }
        match self.peek() {
            Some(b'0') => {
                self.bump();
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(self.error_here(
                        "numbers must not have leading zeros; remove them or quote the value"
                            .to_string(),
                    ));
                }
            }
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.expected("a digit")),
        }
        if self.peek() == Some(b'.') {
            self.bump();
            if self.digits() == 0 {
                return Err(self.expected("a digit after the decimal point"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.bump();
            if let Some(b'+' | b'-') = self.peek() {
                self.bump();
            }
            if self.digits() == 0 {
                return Err(self.expected("a digit in the exponent"));
            }
        }
        let raw = self.text.get(start.offset..self.pos.offset).unwrap_or("");
        Ok(Json {
            kind: JsonKind::Number(raw.to_string()),
            span: Span::new(start, self.pos),
        })
    }

    /// Parses a string starting at `"`; returns the decoded text and its span (quotes included).
    fn string(&mut self) -> Result<(String, Span), JsonError> {
        let start = self.pos;
        self.bump(); // `"`
        let mut out = String::new();
        loop {
            // Copy the longest run of plain characters in one go.
            let run_start = self.pos.offset;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.bump();
            }
            out.push_str(self.text.get(run_start..self.pos.offset).unwrap_or(""));
            match self.peek() {
                None => {
                    return Err(JsonError {
                        message: "unterminated string; add the closing `\"`".to_string(),
                        span: Span::new(start, self.pos),
                    });
                }
                Some(b'"') => {
                    self.bump();
                    return Ok((out, Span::new(start, self.pos)));
                }
                Some(b'\\') => self.escape(&mut out)?,
                Some(_) => {
                    return Err(self.error_here(format!(
                        "{} is not allowed inside a string; write it as an escape such as `\\n`",
                        self.describe_next()
                    )));
                }
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), JsonError> {
        let at = self.pos;
        self.bump(); // `\`
        let Some(c) = self.peek() else {
            return Err(self.expected("an escape character after `\\`"));
        };
        let simple = match c {
            b'"' => Some('"'),
            b'\\' => Some('\\'),
            b'/' => Some('/'),
            b'b' => Some('\u{8}'),
            b'f' => Some('\u{c}'),
            b'n' => Some('\n'),
            b'r' => Some('\r'),
            b't' => Some('\t'),
            _ => None,
        };
        if let Some(ch) = simple {
            self.bump();
            out.push(ch);
            return Ok(());
        }
        if c != b'u' {
            let mut err = self.error_here(format!(
                "invalid escape `\\{}`; valid escapes are `\\\"`, `\\\\`, `\\/`, `\\b`, `\\f`, `\\n`, `\\r`, `\\t` and `\\uXXXX`",
                self.describe_next().trim_matches('`')
            ));
            err.span.start = at;
            return Err(err);
        }
        self.bump();
        let first = self.hex4(at)?;
        let ch = if (0xD800..0xDC00).contains(&first) {
            // A high surrogate must be followed by `\u` and a low surrogate.
            let pair =
                self.src.get(self.pos.offset..self.pos.offset + 2) == Some(b"\\u".as_slice());
            if !pair {
                return Err(self.surrogate_error(at));
            }
            self.bump();
            self.bump();
            let second = self.hex4(at)?;
            if !(0xDC00..0xE000).contains(&second) {
                return Err(self.surrogate_error(at));
            }
            char::from_u32(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
        } else {
            char::from_u32(first)
        };
        match ch {
            Some(ch) => {
                out.push(ch);
                Ok(())
            }
            None => Err(self.surrogate_error(at)),
        }
    }

    fn surrogate_error(&self, at: Position) -> JsonError {
        JsonError {
            message: "unpaired utf-16 surrogate in `\\u` escape; write the character itself or a valid surrogate pair".to_string(),
            span: Span::new(at, self.pos),
        }
    }

    fn hex4(&mut self, at: Position) -> Result<u32, JsonError> {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                _ => {
                    let mut err = self.expected("4 hexadecimal digits after `\\u`");
                    err.span.start = at;
                    return Err(err);
                }
            };
            v = v * 16 + u32::from(d);
            self.bump();
        }
        Ok(v)
    }
}

#[cfg(test)]
mod tests;
