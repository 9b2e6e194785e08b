//! `/policies/create`: the Create policy wizard (JSON, Tags, Review).
//!
//! The steps are plain GET forms back to this page: the draft (document, tags, name, description)
//! travels in the query string, and each step renders from it, on the server for the first paint
//! and without JavaScript, in the browser after hydration. Only the last step posts, to
//! `create_policy`, which validates everything again.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;

use crate::api::policies::{
    CreatePolicy, ManagedPolicyRow, TagPair, policy_document, search_managed_policies, url_encode,
};
use crate::components::denied::PermissionGate;
use crate::components::form::{Field, FormAlert};
use crate::components::policy_editor::PolicyEditor;
use crate::components::tags::{MAX_TAGS, tag_problems};
use crate::pages::policies::{PolicySummaryTable, summarize};
use crate::raw_text::textarea_text;

/// The document a new policy starts from.
pub const NEW_POLICY_TEMPLATE: &str = "{\n    \"Version\": \"2012-10-17\",\n    \"Statement\": [\n        {\n            \"Sid\": \"Statement1\",\n            \"Effect\": \"Allow\",\n            \"Action\": [],\n            \"Resource\": []\n        }\n    ]\n}";

/// The wizard's state, read from the query string.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Draft {
    document: Option<String>,
    tags: Vec<TagPair>,
    name: String,
    description: String,
}

impl Draft {
    fn from_query(q: &ParamsMap) -> Draft {
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
        Draft {
            document: q.get("document"),
            tags,
            name: q.get("name").unwrap_or_default(),
            description: q.get("description").unwrap_or_default(),
        }
    }

    fn document(&self) -> String {
        self.document
            .clone()
            .unwrap_or_else(|| NEW_POLICY_TEMPLATE.to_owned())
    }

    /// The tags without blank rows.
    fn filled_tags(&self) -> Vec<TagPair> {
        self.tags
            .iter()
            .filter(|t| !t.key.trim().is_empty() || !t.value.trim().is_empty())
            .map(|t| TagPair {
                key: t.key.trim().to_owned(),
                value: t.value.trim().to_owned(),
            })
            .collect()
    }

    /// The address of `step` with this draft.
    fn url(&self, step: &str) -> String {
        let mut url = format!(
            "/policies/create?step={step}&document={}",
            url_encode(&self.document())
        );
        for t in self.filled_tags() {
            url.push_str(&format!(
                "&tag_key={}&tag_value={}",
                url_encode(&t.key),
                url_encode(&t.value)
            ));
        }
        url.push_str(&format!(
            "&name={}&description={}",
            url_encode(&self.name),
            url_encode(&self.description)
        ));
        url
    }
}

/// Hidden inputs that carry the parts of the draft a step does not edit.
fn carry(draft: &Draft, document: bool, tags: bool, names: bool) -> AnyView {
    let document = document.then(|| {
        view! { <input type="hidden" name="document" value=draft.document() /> }
    });
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
    view! { {document} {tags} {names} }.into_any()
}

/// Which step to show, after checking that the draft may move on to the requested one.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
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

fn resolve_step(q: &ParamsMap, draft: &Draft) -> Step {
    let requested = q.get("step").unwrap_or_default();
    let doc_ok = || !policy::validate::validate(&draft.document()).has_errors();
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

#[component]
pub fn CreatePolicyPage() -> impl IntoView {
    let q = use_query_map();
    // The managed policy chosen in the Import dialog, whose document replaces the editor's.
    let import_arn = move || {
        let q = q.read();
        let step = q.get("step").unwrap_or_default();
        q.get("import").filter(|_| step == "json")
    };
    let imported = Resource::new_blocking(import_arn, |arn| async move {
        match arn {
            Some(arn) => policy_document(arn).await.map(Some),
            None => Ok(None),
        }
    });
    // The dialog's filter: from the query, then live as the person types.
    let import_filter = RwSignal::new(q.read_untracked().get("import_query").unwrap_or_default());
    let dialog_open = move || q.read().get("step").as_deref() == Some("import");
    let matches = Resource::new_blocking(
        move || dialog_open().then(|| import_filter.get()),
        |filter| async move {
            match filter {
                Some(f) => search_managed_policies(f).await,
                None => Ok(Vec::new()),
            }
        },
    );
    let create = ServerAction::<CreatePolicy>::new();
    let error = Signal::derive(move || create.value().get().and_then(Result::err));

    view! {
        <Title text="Create policy" />
        <nav class="breadcrumbs" aria-label="Breadcrumbs">
            <a href="/policies">"Policies"</a>
            " › Create policy"
        </nav>
        <PermissionGate action="iam:CreatePolicy">
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let imported = imported.await;
                let q = q.get();
                let mut draft = Draft::from_query(&q);
                let import_error = match imported {
                    Ok(Some(doc)) => {
                        draft.document = Some(doc);
                        None
                    }
                    Ok(None) => None,
                    Err(e) => Some(e.to_string()),
                };
                let step = resolve_step(&q, &draft);
                let steps = step_list(&step);
                let body = match step {
                    Step::Json { import_dialog, blocked } => {
                        json_step(&draft, import_dialog, blocked, import_error, import_filter, matches)
                            .into_any()
                    }
                    Step::Tags { rows, problems } => tags_step(&draft, rows, problems).into_any(),
                    Step::Review => review_step(&draft, create, error).into_any(),
                };
                view! {
                    {steps}
                    {body}
                }
            })}
        </Suspense>
        </PermissionGate>
    }
}

fn step_list(step: &Step) -> AnyView {
    let current = match step {
        Step::Json { .. } => 0,
        Step::Tags { .. } => 1,
        Step::Review => 2,
    };
    view! {
        <ol class="wizard-steps">
            {["Specify permissions", "Add tags", "Review and create"]
                .into_iter()
                .enumerate()
                .map(|(i, label)| {
                    view! {
                        <li aria-current=(i == current).then_some("step") class:current=i == current>
                            {format!("Step {}: {label}", i + 1)}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
    .into_any()
}

fn json_step(
    draft: &Draft,
    import_dialog: bool,
    blocked: bool,
    import_error: Option<String>,
    import_filter: RwSignal<String>,
    matches: Resource<Result<Vec<ManagedPolicyRow>, crate::error::AppError>>,
) -> AnyView {
    let document = RwSignal::new(draft.document());
    let dialog = import_dialog.then(|| import_dialog_view(draft, import_filter, matches));
    view! {
        <h1>"Create policy"</h1>
        <form method="get" action="/policies/create" class="panel" aria-label="Specify permissions">
            {carry(draft, false, true, true)}
            <div class="editor-toolbar">
                <div role="tablist" aria-label="Editor">
                    <button type="button" role="tab" aria-selected="true" class="tab selected">
                        "JSON"
                    </button>
                </div>
                <button type="submit" name="step" value="import" formnovalidate=true>
                    "Import managed policy"
                </button>
            </div>
            {import_error.map(|e| view! { <p class="alert" role="alert">{e}</p> })}
            {blocked
                .then(|| {
                    view! {
                        <p class="alert" role="alert">
                            "The policy has errors. Fix the errors listed under the editor before you continue."
                        </p>
                    }
                })}
            <PolicyEditor id="policy-document" name="document" label="Policy editor" value=document />
            <div class="actions">
                <a href="/policies">"Cancel"</a>
                <button type="submit" name="step" value="tags" class="primary">
                    "Next: Tags"
                </button>
            </div>
        </form>
        {dialog}
    }
    .into_any()
}

fn import_dialog_view(
    draft: &Draft,
    import_filter: RwSignal<String>,
    matches: Resource<Result<Vec<ManagedPolicyRow>, crate::error::AppError>>,
) -> AnyView {
    view! {
        <section class="dialog" role="dialog" aria-modal="false" aria-labelledby="import-heading">
            <form method="get" action="/policies/create" aria-label="Import managed policies">
                <h2 id="import-heading">"Import managed policies"</h2>
                {carry(draft, true, true, true)}
                <div class="search-row">
                    <div class="field">
                        <label for="import-filter">"Filter policies"</label>
                        <input
                            id="import-filter"
                            name="import_query"
                            type="search"
                            autocomplete="off"
                            value=import_filter.get_untracked()
                            on:input=move |ev| import_filter.set(event_target_value(&ev))
                        />
                    </div>
                    <button type="submit" name="step" value="import">
                        "Search"
                    </button>
                </div>
                <Transition fallback=|| view! { <p>"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match matches.await {
                            Ok(rows) if rows.is_empty() => {
                                view! { <p>"No AWS managed policies match the filter."</p> }.into_any()
                            }
                            Ok(rows) => {
                                view! {
                                    <fieldset class="import-list">
                                        <legend>"AWS managed policies"</legend>
                                        {rows
                                            .into_iter()
                                            .enumerate()
                                            .map(|(i, r)| {
                                                let id = format!("import-{i}");
                                                view! {
                                                    <div class="import-row">
                                                        <input type="radio" id=id.clone() name="import" value=r.arn.clone() />
                                                        <label for=id>{r.name}</label>
                                                        <span class="hint">{r.arn}</span>
                                                    </div>
                                                }
                                            })
                                            .collect_view()}
                                    </fieldset>
                                }
                                    .into_any()
                            }
                            Err(e) => view! { <p class="alert" role="alert">{e.to_string()}</p> }.into_any(),
                        }
                    })}
                </Transition>
                <div class="actions">
                    <button type="submit" name="step" value="cancel-import">
                        "Cancel"
                    </button>
                    <button type="submit" name="step" value="json" class="primary">
                        "Import"
                    </button>
                </div>
            </form>
        </section>
    }
    .into_any()
}

fn tags_step(draft: &Draft, rows: Vec<TagPair>, problems: Vec<String>) -> AnyView {
    let remaining = MAX_TAGS.saturating_sub(rows.len());
    let can_add = remaining > 0;
    view! {
        <h1>"Add tags (Optional)"</h1>
        <form method="get" action="/policies/create" class="panel" aria-label="Tags">
            {carry(draft, true, false, true)}
            <p class="hint">
                "Tags are key-value pairs that you can add to AWS resources to help identify, organize, or search for resources."
            </p>
            {(!problems.is_empty())
                .then(|| {
                    view! {
                        <ul class="alert" role="alert">
                            {problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                        </ul>
                    }
                })}
            {if rows.is_empty() {
                view! { <p>"No tags associated with the resource."</p> }.into_any()
            } else {
                view! {
                    <table class="table tags">
                        <thead>
                            <tr>
                                <th scope="col">"Key"</th>
                                <th scope="col">"Value - optional"</th>
                                <th scope="col">
                                    <span class="visually-hidden">"Remove"</span>
                                </th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows
                                .into_iter()
                                .enumerate()
                                .map(|(i, t)| {
                                    let n = i + 1;
                                    view! {
                                        <tr>
                                            <td>
                                                <input type="text" name="tag_key" value=t.key aria-label=format!("Tag {n} key") maxlength="128" />
                                            </td>
                                            <td>
                                                <input type="text" name="tag_value" value=t.value aria-label=format!("Tag {n} value") maxlength="256" />
                                            </td>
                                            <td>
                                                <button type="submit" name="step" value=format!("remove-tag-{i}") aria-label=format!("Remove tag {n}")>
                                                    "Remove"
                                                </button>
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                }
                    .into_any()
            }}
            <p>
                <button type="submit" name="step" value="add-tag" disabled=!can_add>
                    "Add new tag"
                </button>
                <span class="hint">{format!(" You can add up to {remaining} more tags.")}</span>
            </p>
            <div class="actions">
                <a href="/policies">"Cancel"</a>
                <button type="submit" name="step" value="json">
                    "Previous"
                </button>
                <button type="submit" name="step" value="review" class="primary">
                    "Next: Review"
                </button>
            </div>
        </form>
    }
    .into_any()
}

fn review_step(
    draft: &Draft,
    create: ServerAction<CreatePolicy>,
    error: Signal<Option<crate::error::AppError>>,
) -> AnyView {
    let document = draft.document();
    let tags = draft.filled_tags();
    let tags_json = serde_json::to_string(&tags).unwrap_or_default();
    let summary = summarize(&document);
    let back = draft.url("tags");
    let document_error = move || {
        error
            .get()
            .and_then(|e| e.for_field("document").or_else(|| e.for_field("tags")))
    };
    let description = draft.description.clone();
    let name = draft.name.clone();
    view! {
        <h1>"Review policy"</h1>
        <ActionForm action=create attr:class="panel" attr:aria-label="Review policy">
            <input type="hidden" name="document" value=document.clone() />
            <input type="hidden" name="tags" value=tags_json />
            <Field id="policy-name" name="name" label="Name" required=true error=error
                value=Signal::stored(name)
                hint="Use alphanumeric and '+=,.@-_' characters. Maximum 128 characters." />
            <div class="field" class:invalid=move || error.get().and_then(|e| e.for_field("description")).is_some()>
                <label for="policy-description">"Description"</label>
                <p class="hint" id="policy-description-hint">"Maximum 1,000 characters."</p>
                <textarea id="policy-description" name="description" rows="3" maxlength="1000"
                    aria-describedby="policy-description-hint">
                    {textarea_text(description)}
                </textarea>
                {move || {
                    error.get().and_then(|e| e.for_field("description"))
                        .map(|m| view! { <p class="field-error" id="policy-description-error">{m}</p> })
                }}
            </div>
            {move || document_error().map(|m| view! { <p class="alert" role="alert">{m}</p> })}
            <FormAlert error=error fields=&["name", "description", "document", "tags"] />
            <h2>"Summary"</h2>
            {match summary {
                Some(s) => view! { <PolicySummaryTable summary=s /> }.into_any(),
                None => view! { <p class="hint">"The policy could not be summarized."</p> }.into_any(),
            }}
            <h2>"Tags"</h2>
            {if tags.is_empty() {
                view! { <p>"No tags associated with the resource."</p> }.into_any()
            } else {
                view! {
                    <table class="table tags">
                        <thead>
                            <tr>
                                <th scope="col">"Key"</th>
                                <th scope="col">"Value"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {tags
                                .into_iter()
                                .map(|t| view! { <tr><td>{t.key}</td><td>{t.value}</td></tr> })
                                .collect_view()}
                        </tbody>
                    </table>
                }
                    .into_any()
            }}
            <div class="actions">
                <a href="/policies">"Cancel"</a>
                <a href=back class="button">"Previous"</a>
                <button type="submit" class="primary">"Create policy"</button>
            </div>
        </ActionForm>
    }
    .into_any()
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
