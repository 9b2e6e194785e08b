use super::*;

fn glob(p: &str) -> Glob {
    Glob::compile(
        p,
        Syntax {
            wildcards: true,
            variables: true,
            fold: Fold::None,
        },
    )
}

fn m(p: &str, s: &str) -> bool {
    let ctx = Context::new()
        .with("aws:username", "Bo*b")
        .with("empty", "");
    glob(p).matches(s, &ctx)
}

#[test]
fn classifies_patterns() {
    assert_eq!(glob("*"), Glob::Any);
    assert_eq!(glob("**"), Glob::Any);
    assert_eq!(glob("abc"), Glob::Exact("abc".into()));
    assert_eq!(glob("ab*"), Glob::Prefix("ab".into()));
    assert_eq!(glob("*ab"), Glob::Suffix("ab".into()));
    assert_eq!(glob("*ab*"), Glob::Contains("ab".into()));
    assert_eq!(glob("a${*}"), Glob::Exact("a*".into()));
    assert_eq!(glob("a${x"), Glob::Never);
}

#[test]
fn wildcards() {
    assert!(m("a*c", "abbbc"));
    assert!(m("a*c", "ac"));
    assert!(!m("a*c", "acb"));
    assert!(m("a?c", "abc"));
    assert!(m("a?c", "aéc"));
    assert!(!m("a?c", "ac"));
    assert!(m("*a*b*", "xxaxxbxx"));
    assert!(!m("*a*b*", "xxbxxaxx"));
    assert!(m("é*?", "éàü"));
    assert!(m("", ""));
    assert!(!m("", "a"));
    assert!(m("*aab", "aaaab"));
    assert!(m("*accesskey*", "createaccesskey"));
    assert!(!m("*accesskey*", "createuser"));
    assert!(m("a*b?c", "axxbyc"));
    assert!(!m("a*b?c", "axxbycd"));
    assert!(!m("a*b?c", "xaxxbyc"));
    assert!(!m("a*a", "a") && m("a*a", "aa"));
}

#[test]
fn variables_are_literal() {
    assert!(m("home/${aws:username}/*", "home/Bo*b/x"));
    assert!(!m("home/${aws:username}/*", "home/Boxb/x"));
    assert!(!m("${missing}", ""));
    assert!(m("${missing, 'd'}", "d"));
    assert!(m("a${empty}b", "ab"));
    assert!(m("${?}", "?"));
    assert!(!m("${?}", "x"));
}
