//! The Create policy wizard's state: the draft (the stored document's id and the small fields,
//! read from the query string), the hidden inputs that carry it from step to step, and which step
//! a request may see. Pure data and rules; the pages are in `create`.

use leptos::prelude::*;
use leptos_router::params::ParamsMap;

use crate::api::policies::{LoadedDraft, PolicyDraftView, TagPair, url_encode};
use crate::components::tags::{MAX_TAGS, tag_problems};

/// The document a new policy starts from.
pub const NEW_POLICY_TEMPLATE: &str = "{\n    \"Version\": \"2012-10-17\",\n    \"Statement\": [\n        {\n            \"Sid\": \"Statement1\",\n            \"Effect\": \"Allow\",\n            \"Action\": [],\n            \"Resource\": []\n        }\n    ]\n}";

/// The wizard's state: the stored draft named by the query string, and the query's small fields.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Draft {
    /// What the `draft=` id found (the id once the JSON step has been posted, the stored
    /// document), and why the document may not move on, if so.
    pub(crate) loaded: LoadedDraft,
    /// The stored or imported document; the template when `None`.
    pub(crate) document: Option<String>,
    pub(crate) tags: Vec<TagPair>,
    pub(crate) name: String,
    pub(crate) description: String,
}

impl Draft {
    pub(crate) fn from_query(
        q: &ParamsMap,
        stored: Result<Option<PolicyDraftView>, crate::error::AppError>,
    ) -> Draft {
        let keys = q.get_all("tag_key").unwrap_or_default();
        let values = q.get_all("tag_value").unwrap_or_default();
        let tags = keys
            .into_iter()
            .enumerate()
            .map(|(i, key)| TagPair {
                key,
                value: values.get(i).cloned().unwrap_or_default(),
            })
            .collect();
        let loaded = LoadedDraft::new(q.get("draft"), stored);
        Draft {
            document: loaded.document.clone(),
            loaded,
            tags,
            name: q.get("name").unwrap_or_default(),
            description: q.get("description").unwrap_or_default(),
        }
    }

    pub(crate) fn document(&self) -> String {
        self.document
            .clone()
            .unwrap_or_else(|| NEW_POLICY_TEMPLATE.to_owned())
    }

    /// The tags without blank rows.
    pub(crate) fn filled_tags(&self) -> Vec<TagPair> {
        self.tags
            .iter()
            .filter(|t| !t.key.trim().is_empty() || !t.value.trim().is_empty())
            .map(|t| TagPair {
                key: t.key.trim().to_owned(),
                value: t.value.trim().to_owned(),
            })
            .collect()
    }

    /// The tags, name and description as a query string: what a step's URL carries besides the
    /// step and the draft id.
    pub(crate) fn small_fields(&self) -> String {
        let mut query = String::new();
        for t in self.filled_tags() {
            query.push_str(&format!(
                "tag_key={}&tag_value={}&",
                url_encode(&t.key),
                url_encode(&t.value)
            ));
        }
        query.push_str(&format!(
            "name={}&description={}",
            url_encode(&self.name),
            url_encode(&self.description)
        ));
        query
    }

    /// The address of `step` with this draft.
    pub(crate) fn url(&self, step: &str) -> String {
        let id = self
            .loaded
            .id
            .as_deref()
            .map(|id| format!("&draft={}", url_encode(id)))
            .unwrap_or_default();
        format!("/policies/create?step={step}{id}&{}", self.small_fields())
    }
}

/// Hidden inputs that carry the parts of the draft a GET step does not edit: the stored
/// document's id, never the document.
pub(crate) fn carry(draft: &Draft, tags: bool, names: bool) -> AnyView {
    let id = draft
        .loaded
        .id
        .clone()
        .map(|id| view! { <input type="hidden" name="draft" value=id /> });
    let tags = tags.then(|| {
        draft
            .filled_tags()
            .into_iter()
            .map(|t| {
                view! {
                    <input type="hidden" name="tag_key" value=t.key />
                    <input type="hidden" name="tag_value" value=t.value />
                }
            })
            .collect_view()
    });
    let names = names.then(|| {
        view! {
            <input type="hidden" name="name" value=draft.name.clone() />
            <input type="hidden" name="description" value=draft.description.clone() />
        }
    });
    view! { {id} {tags} {names} }.into_any()
}

/// Which step to show, after checking that the draft may move on to the requested one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    Json {
        import_dialog: bool,
        blocked: bool,
    },
    Tags {
        rows: Vec<TagPair>,
        problems: Vec<String>,
    },
    Review,
}

pub(crate) fn resolve_step(q: &ParamsMap, draft: &Draft) -> Step {
    let requested = q.get("step").unwrap_or_default();
    let doc_ok = || draft.loaded.may_move_on(&draft.document());
    match requested.as_str() {
        "import" => Step::Json {
            import_dialog: true,
            blocked: false,
        },
        "tags" | "add-tag" | "review" if !doc_ok() => Step::Json {
            import_dialog: false,
            blocked: true,
        },
        "tags" => Step::Tags {
            rows: draft.filled_tags(),
            problems: Vec::new(),
        },
        "add-tag" => {
            let mut rows = draft.filled_tags();
            if rows.len() < MAX_TAGS {
                rows.push(TagPair {
                    key: String::new(),
                    value: String::new(),
                });
            }
            Step::Tags {
                rows,
                problems: Vec::new(),
            }
        }
        s if s.starts_with("remove-tag-") && doc_ok() => {
            let mut rows = draft.tags.clone();
            if let Some(i) = s
                .strip_prefix("remove-tag-")
                .and_then(|i| i.parse::<usize>().ok())
                && i < rows.len()
            {
                rows.remove(i);
            }
            Step::Tags {
                rows,
                problems: Vec::new(),
            }
        }
        "review" => {
            let problems = tag_problems("policy", &draft.filled_tags());
            if problems.is_empty() {
                Step::Review
            } else {
                Step::Tags {
                    rows: draft.filled_tags(),
                    problems,
                }
            }
        }
        _ => Step::Json {
            import_dialog: false,
            blocked: false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_is_valid_json_with_findings() {
        let v = policy::validate::validate(NEW_POLICY_TEMPLATE);
        assert!(
            v.findings
                .iter()
                .all(|f| f.issue_code != "JSON_SYNTAX_ERROR")
        );
    }
}
