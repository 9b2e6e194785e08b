//! Input checks shared by the services.

use crate::error::IamError;

const MAX_EMAIL_CHARS: usize = 254;

/// Checks an email address and returns it trimmed. Deliberately loose (one
/// `@`, a dotted domain, no spaces): the goal is catching typos, not RFC 5322.
pub(crate) fn email(input: &str) -> Result<String, IamError> {
    let email = input.trim();
    let invalid = |why: &str| {
        IamError::validation(
            "email",
            format!("`{email}` is not a valid email address: {why}; use the form name@example.com"),
        )
    };
    if email.is_empty() {
        return Err(IamError::validation(
            "email",
            "enter an email address, such as name@example.com",
        ));
    }
    if email.chars().count() > MAX_EMAIL_CHARS {
        return Err(IamError::validation(
            "email",
            format!(
                "the email address is longer than {MAX_EMAIL_CHARS} characters; use a shorter one"
            ),
        ));
    }
    if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(invalid("it contains a space or a control character"));
    }
    let Some((local, domain)) = email.split_once('@') else {
        return Err(invalid("it has no `@`"));
    };
    if domain.contains('@') {
        return Err(invalid("it has more than one `@`"));
    }
    if local.is_empty() {
        return Err(invalid("nothing comes before the `@`"));
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 || labels.iter().any(|l| l.is_empty()) {
        return Err(invalid("the part after the `@` is not a domain name"));
    }
    Ok(email.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_addresses() {
        assert_eq!(email(" Root@Example.com ").unwrap(), "Root@Example.com");
        assert!(email("a.b+c@mail.example.co.uk").is_ok());
    }

    #[test]
    fn rejects_with_a_clear_message() {
        for bad in [
            "",
            "root",
            "root@",
            "@example.com",
            "a@b@c.com",
            "a b@c.com",
            "a@localhost",
            "a@b..com",
        ] {
            let e = email(bad).unwrap_err();
            assert_eq!(e.field(), Some("email"), "{bad}");
            let m = e.user_message();
            assert!(m.contains("name@example.com"), "{m}");
            assert!(!m.ends_with('.'), "{m}");
        }
        assert!(
            email("a b@c.com")
                .unwrap_err()
                .to_string()
                .contains("`a b@c.com`")
        );
    }
}
