//! `/policies/generate?arn=…&period=90&granularity=services`: Generate a policy from access
//! activity. The proposal is shown next to the current default version, with the services it
//! keeps and removes, in the policy editor. The editor posts to `save_policy_draft`, which keeps
//! the edited proposal server-side and comes back with `&step=review&draft=<id>` (as Edit policy
//! does; never the document in the URL), so a refused save comes back with what the admin edited;
//! the review posts to `create_policy_version` ("Save as new version").

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::access_advisor::{DEFAULT_PERIOD, ProposalView, generate_policy};
use crate::api::policies::{
    CreatePolicyVersion, LoadedDraft, SavePolicyDraft, load_draft, url_encode,
};
use crate::components::access_advisor::PeriodAndGranularity;
use crate::components::form::FormAlert;
use crate::components::policy_editor::PolicyEditor;
use crate::error::AppError;
use crate::pages::policies::{PolicySummaryTable, summarize};

#[component]
pub fn GeneratePolicyPage() -> impl IntoView {
    let q = use_query_map();
    let arn = move || q.read().get("arn").unwrap_or_default();
    let period = move || {
        q.read()
            .get("period")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(DEFAULT_PERIOD)
    };
    let by_action = move || q.read().get("granularity").as_deref() == Some("actions");
    let proposal = Resource::new_blocking(
        move || (arn(), period(), by_action()),
        |(arn, period, by_action)| generate_policy(arn, period, by_action),
    );
    let stored = Resource::new_blocking(move || q.read().get("draft"), load_draft);
    let save = ServerAction::<CreatePolicyVersion>::new();
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let keep = ServerAction::<SavePolicyDraft>::new();

    view! {
        <Title text="Generate a policy from access activity" />
        <nav class="breadcrumbs" aria-label="Breadcrumbs">
            <a href="/policies">"Policies"</a>
            " › Generate a policy from access activity"
        </nav>
        <h1>"Generate a policy from access activity"</h1>
        <form method="get" action="/policies/generate" class="panel inline-form" aria-label="Activity period">
            <input type="hidden" name="arn" value=arn />
            {move || view! { <PeriodAndGranularity period=period() by_action=by_action() /> }}
            <button type="submit">"Generate policy"</button>
        </form>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let stored = stored.await;
                match proposal.await {
                    Ok(p) => {
                        let q = q.get();
                        let draft = LoadedDraft::new(q.get("draft"), stored);
                        let wants_review = q.get("step").as_deref() == Some("review");
                        let actions = Actions { save, error, keep };
                        body(p, draft, wants_review, (period(), by_action()), actions)
                    }
                    Err(e) => view! { <p class="alert" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The page's two posts: the draft of the editor, and the new version of the review.
#[derive(Clone, Copy)]
struct Actions {
    save: ServerAction<CreatePolicyVersion>,
    error: Signal<Option<AppError>>,
    keep: ServerAction<SavePolicyDraft>,
}

/// `period` and `granularity` as the page's query string expects them.
fn choice_query(arn: &str, choice: (u32, bool)) -> String {
    format!(
        "arn={}&period={}&granularity={}",
        url_encode(arn),
        choice.0,
        if choice.1 { "actions" } else { "services" }
    )
}

fn body(
    p: ProposalView,
    draft: LoadedDraft,
    wants_review: bool,
    choice: (u32, bool),
    actions: Actions,
) -> AnyView {
    let Actions { save, error, keep } = actions;
    let details = format!("/policies/details?arn={}", url_encode(&p.policy_arn));
    let Some(proposed) = p.proposed_document.clone() else {
        return view! {
            <section class="panel" aria-labelledby="nothing-heading">
                <h2 id="nothing-heading">"Nothing was used"</h2>
                <p role="status">
                    {format!(
                        "None of the services {} allows were used in the last {} days, so there is nothing to keep. Consider detaching the policy instead.",
                        p.policy_name,
                        p.period_days,
                    )}
                </p>
                <a class="button" href=format!("{details}&tab=entities")>"Detach the policy"</a>
            </section>
        }
        .into_any();
    };
    let document = draft.document.clone().unwrap_or(proposed);
    if wants_review && draft.may_move_on(&document) {
        return review(p, document, draft.id, choice, save, error);
    }
    let notice = (wants_review || draft.gone.is_some()).then(|| draft.refusal(&document));
    let keep_error = Signal::derive(move || keep.value().get().and_then(Result::err));
    let editor_error = Signal::derive(move || keep_error.get().or_else(|| error.get()));
    let value = RwSignal::new(document);
    let services = |items: &[String]| {
        if items.is_empty() {
            view! { <p>"None"</p> }.into_any()
        } else {
            view! { <ul>{items.iter().map(|s| view! { <li><code>{s.clone()}</code></li> }).collect_view()}</ul> }
                .into_any()
        }
    };
    let unchanged = p.unchanged.then(|| {
        view! { <p class="notice" role="status">"Every service this policy allows was used in the period: the proposal allows the same."</p> }
    });
    view! {
        <h2>{format!("Proposal for {} (last {} days)", p.policy_name, p.period_days)}</h2>
        {unchanged}
        <div class="compare">
            <section aria-labelledby="kept-heading">
                <h3 id="kept-heading">"Services kept"</h3>
                <div data-testid="kept-services">{services(&p.kept_services)}</div>
            </section>
            <section aria-labelledby="removed-heading">
                <h3 id="removed-heading">"Services removed"</h3>
                <div data-testid="removed-services">{services(&p.removed_services)}</div>
            </section>
        </div>
        {compare(&p.current_document, &value.get_untracked())}
        <ActionForm action=keep attr:class="panel" attr:aria-label="Edit the proposal">
            <input type="hidden" name="page" value="generate" />
            <input type="hidden" name="query" value=choice_query(&p.policy_arn, choice) />
            {notice.map(|m| view! { <p class="alert" role="alert">{m}</p> })}
            <FormAlert error=keep_error fields=&["document"] />
            <PolicyEditor id="policy-document" name="document" label="Proposed policy" value=value
                error=editor_error />
            <div class="actions">
                <a href=details>"Cancel"</a>
                <button type="submit" name="step" value="review" class="primary">"Next"</button>
            </div>
        </ActionForm>
    }
    .into_any()
}

/// The current default version and a proposal side by side, as the Policy versions tab compares.
fn compare(current: &str, proposed: &str) -> AnyView {
    view! {
        <div class="compare" role="region" aria-label="Proposal compared with the current version">
            <div>
                <h4>"Current default version"</h4>
                <pre class="code" data-testid="compare-left">{current.to_owned()}</pre>
            </div>
            <div>
                <h4>"Proposal"</h4>
                <pre class="code" data-testid="compare-right">{proposed.to_owned()}</pre>
            </div>
        </div>
    }
    .into_any()
}

fn review(
    p: ProposalView,
    document: String,
    draft: Option<String>,
    choice: (u32, bool),
    save: ServerAction<CreatePolicyVersion>,
    error: Signal<Option<AppError>>,
) -> AnyView {
    let summary = summarize(&document);
    let draft = draft
        .map(|id| format!("&draft={}", url_encode(&id)))
        .unwrap_or_default();
    let back = format!(
        "/policies/generate?{}{draft}",
        choice_query(&p.policy_arn, choice)
    );
    let choose = p.versions_full.then(|| {
        view! {
            <fieldset class="field">
                <legend>"Choose a version to delete"</legend>
                <p class="hint">
                    "This policy has the maximum of 5 versions. Saving creates a new default version, so choose an older version to delete first."
                </p>
                {p.deletable_versions
                    .iter()
                    .map(|v| {
                        let id = format!("delete-version-{v}");
                        view! {
                            <div>
                                <input type="radio" id=id.clone() name="delete_version" value=v.clone() required=true />
                                <label for=id>{v.clone()}</label>
                            </div>
                        }
                    })
                    .collect_view()}
                {move || error.get().and_then(|e| e.for_field("version")).map(|m| view! { <p class="field-error">{m}</p> })}
            </fieldset>
        }
    });
    view! {
        <h2>{format!("Review and save: {}", p.policy_name)}</h2>
        {compare(&p.current_document, &document)}
        <ActionForm action=save attr:class="panel" attr:aria-label="Review and save">
            <input type="hidden" name="arn" value=p.policy_arn.clone() />
            <input type="hidden" name="document" value=document />
            <p>"Saving creates a new version of the policy and makes it the default version."</p>
            <h3>"Permissions defined in the proposal"</h3>
            {summary.map(|s| view! { <PolicySummaryTable summary=s /> })}
            {choose}
            {move || error.get().and_then(|e| e.for_field("document")).map(|m| view! { <p class="alert" role="alert">{m}</p> })}
            <FormAlert error=error fields=&["document", "version"] />
            <div class="actions">
                <a href=back class="button">"Previous"</a>
                <button type="submit" class="primary">"Save as new version"</button>
            </div>
        </ActionForm>
    }
    .into_any()
}
