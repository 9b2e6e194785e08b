//! `/policies/generate?arn=…&period=90&granularity=services`: Generate a policy from access
//! activity. The proposal is shown next to the current default version, with the services it
//! keeps and removes, in the policy editor. The editor is a GET form back to this page
//! (`&step=review`, the draft in the address, as Edit policy does), so a refused save comes back
//! with what the admin edited; the review posts to `create_policy_version` ("Save as new version").

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::access_advisor::{DEFAULT_PERIOD, ProposalView, generate_policy};
use crate::api::policies::{CreatePolicyVersion, url_encode};
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
    let save = ServerAction::<CreatePolicyVersion>::new();
    let error = Signal::derive(move || save.value().get().and_then(Result::err));

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
                match proposal.await {
                    Ok(p) => {
                        let q = q.get();
                        let edited = q.get("document");
                        let wants_review = q.get("step").as_deref() == Some("review");
                        body(p, edited, wants_review, (period(), by_action()), save, error)
                    }
                    Err(e) => view! { <p class="alert" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn body(
    p: ProposalView,
    edited: Option<String>,
    wants_review: bool,
    choice: (u32, bool),
    save: ServerAction<CreatePolicyVersion>,
    error: Signal<Option<AppError>>,
) -> AnyView {
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
    let document = edited.unwrap_or(proposed);
    let has_errors = policy::validate::validate(&document).has_errors();
    if wants_review && !has_errors {
        return review(p, document, choice, save, error);
    }
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
        <form method="get" action="/policies/generate" class="panel" aria-label="Edit the proposal">
            <input type="hidden" name="arn" value=p.policy_arn.clone() />
            <input type="hidden" name="period" value=choice.0.to_string() />
            <input type="hidden" name="granularity" value=if choice.1 { "actions" } else { "services" } />
            {(wants_review && has_errors)
                .then(|| {
                    view! {
                        <p class="alert" role="alert">
                            "The policy has errors. Fix the errors listed under the editor before you continue."
                        </p>
                    }
                })}
            <PolicyEditor id="policy-document" name="document" label="Proposed policy" value=value error=error />
            <div class="actions">
                <a href=details>"Cancel"</a>
                <button type="submit" name="step" value="review" class="primary">"Next"</button>
            </div>
        </form>
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
    choice: (u32, bool),
    save: ServerAction<CreatePolicyVersion>,
    error: Signal<Option<AppError>>,
) -> AnyView {
    let summary = summarize(&document);
    let back = format!(
        "/policies/generate?arn={}&period={}&granularity={}&document={}",
        url_encode(&p.policy_arn),
        choice.0,
        if choice.1 { "actions" } else { "services" },
        url_encode(&document)
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
