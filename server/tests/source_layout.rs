//! The workspace's source layout: no two files of a crate import each other.
//!
//! A pair of files that use each other cannot be understood, tested or moved one without the
//! other; the shared piece belongs in a third file both depend on. A module and its own
//! submodules are left out (a parent declares its children, and children use their parent's
//! types by design), and so are `#[cfg(test)]` sections. Paths are read from the text: `crate::`,
//! `super::` and `self::` paths, with `use` groups in braces, resolved to the longest module that
//! has a file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const CRATES: [&str; 4] = ["policy", "iam", "app", "server"];

/// A module path within its crate (`["validate", "conditions"]`); the crate root is empty.
type ModulePath = Vec<String>;

#[test]
fn no_two_source_files_import_each_other() {
    // Another checkout can be checked with PORTCULLIS_LAYOUT_ROOT (to see the check fail on a
    // tree that has pairs).
    let workspace = std::env::var_os("PORTCULLIS_LAYOUT_ROOT").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join(".."),
        PathBuf::from,
    );
    let mut pairs = Vec::new();
    for name in CRATES {
        let src = workspace.join(name).join("src");
        let files = module_files(&src);
        assert!(files.len() > 3, "{name}: found only {} files", files.len());
        let mut edges: BTreeSet<(ModulePath, ModulePath)> = BTreeSet::new();
        for (module, file) in &files {
            let text = production_text(&std::fs::read_to_string(file).unwrap());
            for path in referenced_paths(&text, module) {
                if let Some(target) = longest_module(&files, &path)
                    && !is_ancestor(&target, module)
                    && !is_ancestor(module, &target)
                {
                    edges.insert((module.clone(), target));
                }
            }
        }
        for (from, to) in &edges {
            if from < to && edges.contains(&(to.clone(), from.clone())) {
                pairs.push(format!(
                    "{} <-> {}",
                    files[from].display(),
                    files[to].display()
                ));
            }
        }
    }
    assert!(
        pairs.is_empty(),
        "files that import each other (move what both need into a third file):\n{}",
        pairs.join("\n")
    );
}

/// The layout check itself finds a cycle, a group in braces and a `super` path.
#[test]
fn the_reader_resolves_crate_super_and_groups() {
    let module: ModulePath = vec!["validate".into(), "conditions".into()];
    let found = referenced_paths(
        &production_text(
            "use super::{Ctx, operators::{Family, Operator}};\nlet x = crate::json::parse(s); // crate::ignored::in_comment\n#[cfg(test)]\nuse crate::only_in_tests;\n",
        ),
        &module,
    );
    assert!(found.contains(&vec![
        "validate".into(),
        "operators".into(),
        "Family".into()
    ]));
    assert!(found.contains(&vec!["validate".into(), "Ctx".into()]));
    assert!(found.contains(&vec!["json".into(), "parse".into()]));
    assert!(!found.iter().any(|p| p.contains(&"ignored".to_owned())));
    assert!(
        !found
            .iter()
            .any(|p| p.contains(&"only_in_tests".to_owned()))
    );
}

/// Every `.rs` file under `src`, by module path.
fn module_files(src: &Path) -> BTreeMap<ModulePath, PathBuf> {
    let mut files = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("a source folder can be listed") {
            let path = entry.expect("a source folder entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path
                .strip_prefix(src)
                .expect("a file under src")
                .with_extension("");
            let mut module: ModulePath = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if matches!(
                module.last().map(String::as_str),
                Some("lib" | "main" | "mod")
            ) {
                module.pop();
            }
            files.insert(module, path);
        }
    }
    files
}

/// The text without line comments and without what follows the first `#[cfg(test)]`.
fn production_text(text: &str) -> String {
    let body = text.split("#[cfg(test)]").next().unwrap_or(text);
    body.lines()
        .map(|line| line.split("//").next().unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `crate::`, `super::` and `self::` path in `text`, as absolute module paths.
fn referenced_paths(text: &str, module: &ModulePath) -> Vec<ModulePath> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices("::") {
        // The path's first segment ends right before this `::`.
        let start = text[..at]
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map_or(0, |i| i + 1);
        let base = match &text[start..at] {
            "crate" => Vec::new(),
            "super" => {
                // `super::super::` is handled by the segments loop below.
                if text[..start].ends_with("::") {
                    continue;
                }
                module[..module.len().saturating_sub(1)].to_vec()
            }
            "self" if !text[..start].ends_with("::") => module.clone(),
            _ => continue,
        };
        read_tree(&text[at + 2..], base, &mut found);
    }
    found
}

/// Reads `a::b::{c, d::e}` after a known prefix and adds each full path.
fn read_tree(rest: &str, mut prefix: ModulePath, found: &mut Vec<ModulePath>) {
    let mut rest = rest.trim_start();
    loop {
        if let Some(inner) = rest.strip_prefix('{') {
            for item in split_group(inner) {
                read_tree(item, prefix.clone(), found);
            }
            return;
        }
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let segment = &rest[..end];
        match segment {
            "" => break,
            "super" => {
                prefix.pop();
            }
            "self" => {}
            _ => prefix.push(segment.to_owned()),
        }
        match rest[end..].strip_prefix("::") {
            Some(next) => rest = next.trim_start(),
            None => break,
        }
    }
    found.push(prefix);
}

/// The top-level, comma-separated items of a `{…}` group whose opening brace is already read.
fn split_group(inner: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                items.push(&inner[start..i]);
                return items;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items
}

/// The longest prefix of `path` that is a module with a file of its own.
fn longest_module(files: &BTreeMap<ModulePath, PathBuf>, path: &ModulePath) -> Option<ModulePath> {
    (0..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|candidate| files.contains_key(candidate))
}

fn is_ancestor(ancestor: &ModulePath, of: &ModulePath) -> bool {
    of.starts_with(ancestor)
}
