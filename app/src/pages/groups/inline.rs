//! `/groups/inline?name=…[&policy=…]`: create or edit an inline policy of a group, in the JSON
//! policy editor.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::groups::{PutGroupInlinePolicy, details_url, get_group_inline_policy};
use crate::components::form::{Field, FormAlert};
use crate::components::policy_editor::PolicyEditor;

const EMPTY_POLICY: &str = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": [],\n      \"Resource\": []\n    }\n  ]\n}\n";

#[component]
pub fn InlinePolicyPage() -> impl IntoView {
    let query = use_query_map().get_untracked();
    let name = query.get("name").unwrap_or_default();
    // `policy` names the policy being edited; after a refused save without JavaScript the page
    // comes back with `policy_name`, `document` and `editing` instead.
    let editing = query.get("policy").is_some() || query.get("editing").as_deref() == Some("true");
    let policy_name = query
        .get("policy")
        .or_else(|| query.get("policy_name"))
        .unwrap_or_default();
    let returned_document = query.get("document");
    let stored = Resource::new_blocking(
        {
            let (name, policy_name, load) = (
                name.clone(),
                policy_name.clone(),
                editing && returned_document.is_none(),
            );
            move || (name.clone(), policy_name.clone(), load)
        },
        |(name, policy_name, load)| async move {
            match load {
                true => get_group_inline_policy(name, policy_name).await.map(Some),
                false => Ok(None),
            }
        },
    );
    let put = ServerAction::<PutGroupInlinePolicy>::new();
    let error = Signal::derive(move || put.value().get().and_then(Result::err));
    let title = if editing {
        format!("Edit {policy_name}")
    } else {
        "Create inline policy".to_owned()
    };
    let back = details_url(&name, Some("permissions"), None);

    view! {
        <Title text=title.clone() />
        <nav class="breadcrumbs" aria-label="Breadcrumbs">
            <a href="/groups">"User groups"</a>
            " › "
            <a href=back.clone()>{name.clone()}</a>
            {format!(" › {title}")}
        </nav>
        <h1>{title.clone()}</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || {
                let (name, policy_name, back, returned_document) = (
                    name.clone(),
                    policy_name.clone(),
                    back.clone(),
                    returned_document.clone(),
                );
                Suspend::new(async move {
                    let document = match stored.await {
                        Ok(doc) => doc.or(returned_document).unwrap_or_else(|| EMPTY_POLICY.to_owned()),
                        Err(e) => {
                            return view! {
                                <p class="alert" role="alert">
                                    {e.to_string()}
                                </p>
                            }
                                .into_any();
                        }
                    };
                    let document = RwSignal::new(document);
                    // Type-erased pieces keep the view's type shallow enough for the compiler.
                    let editor = view! {
                        <PolicyEditor
                            id="inline-policy-document"
                            name="document"
                            label="Policy editor"
                            value=document
                            error=error
                        />
                    }
                        .into_any();
                    let actions = view! {
                        <FormAlert error=error fields=&["policy_name", "document"] />
                        <div class="form-actions">
                            <a class="button" href=back>
                                "Cancel"
                            </a>
                            <button type="submit" class="primary">
                                {if editing { "Save changes" } else { "Create policy" }}
                            </button>
                        </div>
                    }
                        .into_any();
                    view! {
                        <ActionForm action=put attr:aria-label="Inline policy" attr:class="wide-form">
                            <input type="hidden" name="name" value=name.clone() />
                            {if editing {
                                view! {
                                    <input type="hidden" name="editing" value="true" />
                                    <input type="hidden" name="policy_name" value=policy_name.clone() />
                                    <p>
                                        "Policy name: "
                                        <strong>{policy_name.clone()}</strong>
                                    </p>
                                }
                                    .into_any()
                            } else {
                                view! {
                                    <Field
                                        id="inline-policy-name"
                                        name="policy_name"
                                        label="Policy name"
                                        value=policy_name.clone()
                                        required=true
                                        error=error
                                        hint="Maximum 128 characters. Use alphanumeric and '+=,.@-_' characters."
                                    />
                                }
                                    .into_any()
                            }}
                            {editor}
                            {actions}
                        </ActionForm>
                    }
                        .into_any()
                })
            }}
        </Suspense>
    }
}
