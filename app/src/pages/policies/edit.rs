//! `/policies/edit?arn=…`: Edit policy. The JSON step posts the document to `save_policy_draft`,
//! which keeps it server-side and comes back with `&step=review&draft=<id>` (never the document in
//! the URL); the review step posts to `create_policy_version`, which saves a new default version.
//! At 5 versions the review asks which old version to delete first.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::policies::{
    CreatePolicyVersion, LoadedDraft, PolicyView, SavePolicyDraft, get_policy, load_draft,
    url_encode,
};
use crate::components::form::FormAlert;
use crate::components::policy_editor::PolicyEditor;
use crate::error::AppError;
use crate::pages::policies::{PolicySummaryTable, summarize, time_or_dash};

/// The most versions a policy keeps.
const MAX_VERSIONS: usize = 5;

#[component]
pub fn EditPolicyPage() -> impl IntoView {
    let q = use_query_map();
    let arn = move || q.read().get("arn").unwrap_or_default();
    let policy = Resource::new_blocking(arn, get_policy);
    let stored = Resource::new_blocking(move || q.read().get("draft"), load_draft);
    let save = ServerAction::<CreatePolicyVersion>::new();
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let keep = ServerAction::<SavePolicyDraft>::new();
    // The editor shows a refused draft save, or a refused version that came back to it.
    let editor_error = Signal::derive(move || {
        keep.value()
            .get()
            .and_then(Result::err)
            .or_else(|| error.get())
    });

    view! {
        <Title text="Edit policy" />
        <nav class="breadcrumbs" aria-label="Breadcrumbs">
            <a href="/policies">"Policies"</a>
            " › Edit policy"
        </nav>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let stored = stored.await;
                match policy.await {
                    Ok(p) if p.aws_managed => {
                        view! {
                            <p class="alert" role="alert">
                                "AWS managed policies are read-only: you can view and attach them, not edit them."
                            </p>
                        }
                            .into_any()
                    }
                    Ok(p) => {
                        let q = q.get();
                        let draft = LoadedDraft::new(q.get("draft"), stored);
                        let document = draft.document.clone().unwrap_or_else(|| p.document.clone());
                        let wants_review = q.get("step").as_deref() == Some("review");
                        if wants_review && draft.may_move_on(&document) {
                            review(p, document, draft.id, save, error).into_any()
                        } else {
                            let notice = (wants_review || draft.gone.is_some())
                                .then(|| draft.refusal(&document));
                            json(p, document, notice, keep, editor_error).into_any()
                        }
                    }
                    Err(e) => view! { <p class="alert" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn json(
    p: PolicyView,
    document: String,
    notice: Option<String>,
    keep: ServerAction<SavePolicyDraft>,
    error: Signal<Option<AppError>>,
) -> AnyView {
    let value = RwSignal::new(document);
    let details = format!("/policies/details?arn={}", url_encode(&p.arn));
    let keep_error = Signal::derive(move || keep.value().get().and_then(Result::err));
    view! {
        <h1>{format!("Modify permissions in {}", p.name)}</h1>
        <ActionForm action=keep attr:class="panel" attr:aria-label="Specify permissions">
            <input type="hidden" name="page" value="edit" />
            <input type="hidden" name="query" value=format!("arn={}", url_encode(&p.arn)) />
            <div class="editor-toolbar">
                <div role="tablist" aria-label="Editor">
                    <button type="button" role="tab" aria-selected="true" class="tab selected">
                        "JSON"
                    </button>
                </div>
            </div>
            {notice.map(|m| view! { <p class="alert" role="alert">{m}</p> })}
            <FormAlert error=keep_error fields=&["document"] />
            <PolicyEditor id="policy-document" name="document" label="Policy editor" value=value error=error />
            <div class="actions">
                <a href=details>"Cancel"</a>
                <button type="submit" name="step" value="review" class="primary">
                    "Next"
                </button>
            </div>
        </ActionForm>
    }
    .into_any()
}

fn review(
    p: PolicyView,
    document: String,
    draft: Option<String>,
    save: ServerAction<CreatePolicyVersion>,
    error: Signal<Option<AppError>>,
) -> AnyView {
    let summary = summarize(&document);
    let draft = draft
        .map(|id| format!("&draft={}", url_encode(&id)))
        .unwrap_or_default();
    let back = format!("/policies/edit?arn={}{draft}", url_encode(&p.arn));
    let full = p.versions.len() >= MAX_VERSIONS;
    let deletable: Vec<_> = p
        .versions
        .iter()
        .filter(|v| !v.is_default)
        .cloned()
        .collect();
    let choose = full.then(|| {
        view! {
            <fieldset class="field">
                <legend>"Choose a version to delete"</legend>
                <p class="hint">
                    "This policy has the maximum of 5 versions. Saving creates a new default version, so choose an older version to delete first."
                </p>
                {deletable
                    .into_iter()
                    .map(|v| {
                        let id = format!("delete-version-{}", v.version_id);
                        view! {
                            <div>
                                <input type="radio" id=id.clone() name="delete_version" value=v.version_id.clone() required=true />
                                <label for=id>{format!("{} (created {})", v.version_id, time_or_dash(v.created_at))}</label>
                            </div>
                        }
                    })
                    .collect_view()}
                {move || error.get().and_then(|e| e.for_field("version")).map(|m| view! { <p class="field-error">{m}</p> })}
            </fieldset>
        }
    });
    view! {
        <h1>{format!("Review and save: {}", p.name)}</h1>
        <ActionForm action=save attr:class="panel" attr:aria-label="Review and save">
            <input type="hidden" name="arn" value=p.arn.clone() />
            <input type="hidden" name="document" value=document />
            <p>"Saving creates a new version of the policy and makes it the default version."</p>
            <h2>"Permissions defined in this policy"</h2>
            {summary.map(|s| view! { <PolicySummaryTable summary=s /> })}
            {choose}
            {move || error.get().and_then(|e| e.for_field("document")).map(|m| view! { <p class="alert" role="alert">{m}</p> })}
            <FormAlert error=error fields=&["document", "version"] />
            <div class="actions">
                <a href=back class="button">"Previous"</a>
                <button type="submit" class="primary">"Save changes"</button>
            </div>
        </ActionForm>
    }
    .into_any()
}
