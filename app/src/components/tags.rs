//! Resource tags, shared by the policy and user details pages and the create wizards: IAM's tag
//! rules as the browser checks them (the server checks them again), the Key/Value table, and the
//! inputs of a form that adds or changes a tag. The pages wrap the inputs in their own
//! `ActionForm`, since each posts to its own server function.

use leptos::prelude::*;

use crate::api::policies::TagPair;
use crate::components::form::{ErrorSignal, Field, FormAlert};

/// The most tags a policy or a user can have.
pub const MAX_TAGS: usize = 50;

/// IAM's tag rules for the tags of one resource; `what` names it in messages (`policy`, `user`).
pub fn tag_problems(what: &str, tags: &[TagPair]) -> Vec<String> {
    let allowed = |c: char| c.is_alphanumeric() || c.is_whitespace() || "_.:/=+-@".contains(c);
    let mut problems = Vec::new();
    if tags.len() > MAX_TAGS {
        problems.push(format!(
            "a {what} can have at most {MAX_TAGS} tags; remove {}",
            tags.len() - MAX_TAGS
        ));
    }
    for (i, t) in tags.iter().enumerate() {
        let n = i + 1;
        let key_len = t.key.chars().count();
        if key_len == 0 {
            problems.push(format!("tag {n}: enter a key"));
        } else if key_len > 128 {
            problems.push(format!(
                "tag {n}: the key has {key_len} characters; use at most 128"
            ));
        }
        if t.value.chars().count() > 256 {
            problems.push(format!(
                "tag {n}: the value has {} characters; use at most 256",
                t.value.chars().count()
            ));
        }
        if !t.key.chars().all(allowed) || !t.value.chars().all(allowed) {
            problems.push(format!(
                "tag {n}: use only letters, digits, spaces and _ . : / = + - @"
            ));
        }
        if t.key.to_ascii_lowercase().starts_with("aws:") {
            problems.push(format!("tag {n}: keys starting with `aws:` are reserved"));
        }
        if tags[..i].iter().any(|o| o.key.eq_ignore_ascii_case(&t.key)) {
            problems.push(format!("tag {n}: the key `{}` is already used", t.key));
        }
    }
    problems
}

/// The Key/Value table of a resource's tags; `controls` renders each row's buttons (or nothing).
pub fn tags_table(tags: &[TagPair], controls: impl Fn(&TagPair) -> AnyView) -> AnyView {
    if tags.is_empty() {
        return view! { <p>"No tags associated with the resource."</p> }.into_any();
    }
    view! {
        <table class="table tags">
            <thead>
                <tr>
                    <th scope="col">"Key"</th>
                    <th scope="col">"Value"</th>
                    <th scope="col">
                        <span class="visually-hidden">"Actions"</span>
                    </th>
                </tr>
            </thead>
            <tbody>
                {tags
                    .iter()
                    .map(|t| {
                        view! {
                            <tr>
                                <th scope="row">{t.key.clone()}</th>
                                <td>{t.value.clone()}</td>
                                <td class="row-actions">{controls(t)}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// The inputs of a form that adds a tag (`editing` is `None`: **Key** and **Value - optional**)
/// or changes the value of the tag `editing` (its key travels hidden), with the error of the
/// form's action. Field names: `key`, `value`.
pub fn tag_fields(error: ErrorSignal, editing: Option<TagPair>) -> AnyView {
    match editing {
        None => view! {
            <Field id="tag-key" name="key" label="Key" required=true error=error />
            <Field id="tag-value" name="value" label="Value - optional" error=error />
            <FormAlert error=error fields=&["key", "value"] />
        }
        .into_any(),
        Some(tag) => view! {
            <input type="hidden" name="key" value=tag.key />
            <Field id="tag-value" name="value" label="Value - optional" value=tag.value error=error />
            <FormAlert error=error fields=&["key", "value"] />
        }
        .into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(key: &str, value: &str) -> TagPair {
        TagPair {
            key: key.into(),
            value: value.into(),
        }
    }

    #[test]
    fn tag_rules() {
        assert!(tag_problems("policy", &[tag("team", "core"), tag("cost-center", "")]).is_empty());
        assert_eq!(tag_problems("policy", &[tag("", "x")]).len(), 1);
        assert_eq!(tag_problems("policy", &[tag("aws:x", "")]).len(), 1);
        assert_eq!(
            tag_problems("policy", &[tag("a", ""), tag("A", "")]).len(),
            1
        );
        assert_eq!(tag_problems("policy", &[tag("a#", "")]).len(), 1);
        assert_eq!(
            tag_problems("policy", &[tag(&"k".repeat(129), "")]).len(),
            1
        );
    }

    #[test]
    fn too_many_tags_names_the_resource() {
        let many: Vec<TagPair> = (0..51).map(|i| tag(&format!("k{i}"), "")).collect();
        assert_eq!(
            tag_problems("user", &many),
            vec!["a user can have at most 50 tags; remove 1".to_owned()]
        );
        assert!(tag_problems("policy", &many)[0].starts_with("a policy can have"));
    }
}
