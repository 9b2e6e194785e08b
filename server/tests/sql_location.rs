//! SQL lives in `iam/src/store/` and nowhere else in the crates' sources (issue 16).
//!
//! The services hold the rules and call typed store functions; a query written in a service, a
//! page or a handler would be a second place that knows a table, which the permissions-changed
//! hook and the later cache cannot see. The check reads every `.rs` file under `policy/src`,
//! `iam/src`, `app/src` and `server/src` except `iam/src/store.rs` and `iam/src/store/`, and
//! fails on the sqlx query API in code, or on SQL in a string literal. Tests, examples, benches
//! and scripts outside `src/` are not read.

use std::path::{Path, PathBuf};

const CRATES: [&str; 4] = ["policy", "iam", "app", "server"];

/// sqlx items that run or build queries; `sqlx::AnyConnection` and `sqlx::Error` stay allowed,
/// because services pass connections on and errors convert.
const QUERY_API: [&str; 9] = [
    "query",
    "query_as",
    "query_scalar",
    "query_with",
    "raw_sql",
    "QueryBuilder",
    "AssertSqlSafe",
    "FromRow",
    "Row",
];

/// SQL clauses, upper case as our queries write them, each word matched whole.
const SQL_CLAUSES: [&[&str]; 13] = [
    &["SELECT"],
    &["INSERT", "INTO"],
    &["DELETE", "FROM"],
    &["UPDATE", "*", "SET"],
    &["ON", "CONFLICT"],
    &["RETURNING"],
    &["JOIN"],
    &["WHERE"],
    &["ORDER", "BY"],
    &["GROUP", "BY"],
    &["FOR", "KEY", "SHARE"],
    &["PRAGMA"],
    &["BEGIN", "IMMEDIATE"],
];

#[test]
fn no_sql_outside_the_iam_store() {
    // Another checkout can be checked with PORTCULLIS_LAYOUT_ROOT (to see the check fail on a
    // tree with queries in the services).
    let workspace = std::env::var_os("PORTCULLIS_LAYOUT_ROOT").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join(".."),
        PathBuf::from,
    );
    let store = workspace.join("iam/src/store");
    let store_root = workspace.join("iam/src/store.rs");
    let mut found = Vec::new();
    let mut read = 0;
    for name in CRATES {
        for file in rust_files(&workspace.join(name).join("src")) {
            if file.starts_with(&store) || file == store_root {
                continue;
            }
            read += 1;
            let text = std::fs::read_to_string(&file).expect("a source file can be read");
            for hit in sql_in(&text) {
                let shown = file.strip_prefix(&workspace).unwrap_or(&file).display();
                found.push(format!("{shown}: {hit}"));
            }
        }
    }
    assert!(
        read > 100,
        "read only {read} files under {}",
        workspace.display()
    );
    assert!(
        found.is_empty(),
        "SQL outside iam/src/store (move it into a store function the service calls):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_matcher_finds_queries_and_leaves_prose_alone() {
    let hits = |text: &str| sql_in(text).len();
    assert_eq!(hits("let r = sqlx::query(\"x\").execute(c).await;"), 1);
    assert_eq!(hits("use sqlx::{AnyConnection, query_as};"), 1);
    assert_eq!(hits("#[derive(Debug, sqlx::FromRow)] struct R;"), 1);
    assert_eq!(hits("let s = \"DELETE FROM tags WHERE id = $1\";"), 1);
    assert_eq!(
        hits("let s = \"UPDATE users SET name = name \\\n WHERE id = $1\";"),
        1
    );
    assert_eq!(hits("let s = r#\"SELECT \"x\" FROM t\"#;"), 1);
    assert_eq!(
        hits("fn f(c: &mut sqlx::AnyConnection) -> Result<(), sqlx::Error> {}"),
        0
    );
    assert_eq!(
        hits("let s = \"Select a user, then choose Delete from the list\";"),
        0
    );
    assert_eq!(hits("// SELECT * FROM users in a comment\nlet a = 1;"), 0);
    assert_eq!(hits("/* sqlx::query( in a block comment */ let a = 1;"), 0);
    assert_eq!(hits("let q = '\"'; let s = \"where it is\";"), 0);
    assert_eq!(hits("let url = \"https://x//y\"; let s = \"SELECT 1\";"), 1);
}

/// What in `text` is SQL: one entry per query-API use in code and per string literal with SQL.
fn sql_in(text: &str) -> Vec<String> {
    let (code, literals) = split_code_and_literals(text);
    let mut hits = Vec::new();
    let words = words(&code);
    for (i, word) in words.iter().enumerate() {
        let after_sqlx = i >= 1 && words[i - 1] == "sqlx";
        let in_sqlx_use = words[..i]
            .iter()
            .rev()
            .take_while(|w| *w != ";")
            .any(|w| w == "sqlx")
            && words[..i]
                .iter()
                .rev()
                .take_while(|w| *w != ";")
                .any(|w| w == "use");
        if QUERY_API.contains(&word.as_str()) && (after_sqlx || in_sqlx_use) {
            hits.push(format!("sqlx::{word} in code"));
        }
    }
    for literal in literals {
        let words = words_of_literal(&literal);
        if let Some(clause) = SQL_CLAUSES.iter().find(|c| contains_clause(&words, c)) {
            let shown: String = literal.split_whitespace().collect::<Vec<_>>().join(" ");
            let shown: String = shown.chars().take(80).collect();
            hits.push(format!("{} in \"{shown}\"", clause.join(" ")));
        }
    }
    hits
}

/// The code with comments and literals removed, and the literals' contents.
fn split_code_and_literals(text: &str) -> (String, Vec<String>) {
    let chars: Vec<char> = text.chars().collect();
    let mut code = String::new();
    let mut literals = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c == 'r'
            && matches!(next, Some('"' | '#'))
            && !is_ident(chars.get(i.wrapping_sub(1)))
        {
            // A raw string: r"…", r#"…"#, with as many hashes at the end as at the start.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                code.push(c);
                i += 1;
                continue;
            }
            j += 1;
            let start = j;
            let closing: Vec<char> = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            while j < chars.len() && chars[j..].get(..closing.len()) != Some(&closing[..]) {
                j += 1;
            }
            literals.push(chars[start..j.min(chars.len())].iter().collect());
            code.push_str(" \"\" ");
            i = j + closing.len();
        } else if c == '"' {
            let mut j = i + 1;
            let mut literal = String::new();
            while j < chars.len() && chars[j] != '"' {
                if chars[j] == '\\' {
                    j += 1;
                    literal.push(' ');
                } else {
                    literal.push(chars[j]);
                }
                j += 1;
            }
            literals.push(literal);
            code.push_str(" \"\" ");
            i = j + 1;
        } else if c == '\'' && (next == Some('\\') || chars.get(i + 2) == Some(&'\'')) {
            // A char literal such as '"' or '\'' (a lifetime has no closing quote).
            let mut j = i + 1;
            if chars.get(j) == Some(&'\\') {
                j += 1;
            }
            j += 1;
            while j < chars.len() && chars[j] != '\'' {
                j += 1;
            }
            code.push_str(" ' ");
            i = j + 1;
        } else {
            code.push(c);
            i += 1;
        }
    }
    (code, literals)
}

fn is_ident(c: Option<&char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || *c == '_')
}

/// Identifiers and the `;` that ends a `use`, in order.
fn words(code: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    for c in code.chars() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            if c == ';' {
                words.push(";".to_owned());
            }
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

fn words_of_literal(literal: &str) -> Vec<&str> {
    literal
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether `words` has the clause's words in a row; `*` stands for any one word.
fn contains_clause(words: &[&str], clause: &[&str]) -> bool {
    words.windows(clause.len()).any(|window| {
        window
            .iter()
            .zip(clause)
            .all(|(word, expected)| *expected == "*" || word == expected)
    })
}

fn rust_files(src: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("a source folder can be listed") {
            let path = entry.expect("a source folder entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}
