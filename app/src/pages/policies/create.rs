//! `/policies/create`: the Create policy wizard (JSON, Tags, Review).
//!
//! The JSON step posts the document to `save_policy_draft`, which keeps it server-side and comes
//! back here with `draft=<id>`: the document never travels in a URL (a large one got 414, and
//! URLs land in history, logs and Referer headers). The other steps are GET forms carrying the
//! draft id and the small fields (tags, name, description) in the query string, and each step
//! renders from them, on the server for the first paint and without JavaScript, in the browser
//! after hydration. The last step posts to `create_policy`, which validates everything again.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::policies::{
    CreatePolicy, ManagedPolicyRow, SavePolicyDraft, TagPair, load_draft, policy_document,
    search_managed_policies,
};
use crate::components::denied::PermissionGate;
use crate::components::form::{Field, FormAlert};
use crate::components::policy_editor::PolicyEditor;
use crate::components::tags::MAX_TAGS;
use crate::pages::policies::{PolicySummaryTable, summarize};
use crate::raw_text::textarea_text;

use super::create_draft::{Draft, Step, carry, resolve_step};

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
    let stored = Resource::new_blocking(move || q.read().get("draft"), load_draft);
    let create = ServerAction::<CreatePolicy>::new();
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    let save = ServerAction::<SavePolicyDraft>::new();

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
                let stored = stored.await;
                let q = q.get();
                let mut draft = Draft::from_query(&q, stored);
                let import_error = match imported {
                    Ok(Some(doc)) => {
                        // The imported document replaces the draft, and what was said about it.
                        draft.document = Some(doc);
                        draft.loaded.problem = None;
                        draft.loaded.gone = None;
                        None
                    }
                    Ok(None) => None,
                    Err(e) => Some(e.to_string()),
                };
                let step = resolve_step(&q, &draft);
                let steps = step_list(&step);
                let body = match step {
                    Step::Json { import_dialog, blocked } => {
                        let notes = Notes { blocked, import_error };
                        json_step(&draft, import_dialog, notes, save, import_filter, matches)
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

/// What the JSON step says above the editor.
struct Notes {
    /// Moving on was refused: the document has errors or cannot be saved as a policy.
    blocked: bool,
    import_error: Option<String>,
}

fn json_step(
    draft: &Draft,
    import_dialog: bool,
    notes: Notes,
    save: ServerAction<SavePolicyDraft>,
    import_filter: RwSignal<String>,
    matches: Resource<Result<Vec<ManagedPolicyRow>, crate::error::AppError>>,
) -> AnyView {
    let document = RwSignal::new(draft.document());
    let save_error = Signal::derive(move || save.value().get().and_then(Result::err));
    let dialog = import_dialog.then(|| import_dialog_view(draft, import_filter, matches));
    // A draft that is gone is said whether or not the admin tried to move on.
    let blocked = (notes.blocked || draft.loaded.gone.is_some())
        .then(|| draft.loaded.refusal(&draft.document()));
    let import_error = notes.import_error;
    let small_fields = draft.small_fields();
    view! {
        <h1>"Create policy"</h1>
        <ActionForm action=save attr:class="panel" attr:aria-label="Specify permissions">
            <input type="hidden" name="page" value="create" />
            <input type="hidden" name="query" value=small_fields />
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
            {blocked.map(|m| view! { <p class="alert" role="alert">{m}</p> })}
            <FormAlert error=save_error fields=&["document"] />
            <PolicyEditor id="policy-document" name="document" label="Policy editor" value=document
                error=save_error />
            <div class="actions">
                <a href="/policies">"Cancel"</a>
                <button type="submit" name="step" value="tags" class="primary">
                    "Next: Tags"
                </button>
            </div>
        </ActionForm>
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
                {carry(draft, true, true)}
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
            {carry(draft, false, true)}
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
