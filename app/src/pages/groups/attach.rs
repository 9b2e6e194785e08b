//! `/groups/attach?name=…`: attach managed policies to a group (at most 10 in all).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::groups::{AttachGroupPolicies, details_url, get_group, policy_choices};
use crate::components::checkbox_picker::{CheckboxPicker, PickerSpec};
use crate::components::form::FormAlert;
use crate::pages::groups::create::{POLICIES_PICKER, picker_state};

const ATTACH_PICKER: PickerSpec = PickerSpec {
    legend: "Other permissions policies",
    page: "/groups/attach",
    ..POLICIES_PICKER
};

#[component]
pub fn AttachGroupPoliciesPage() -> impl IntoView {
    let name = use_query_map()
        .get_untracked()
        .get("name")
        .unwrap_or_default();
    let (filter, offset, policies) = picker_state(&ATTACH_PICKER);
    let page = Resource::new_blocking(
        move || (filter.get(), offset.get()),
        |(q, o)| policy_choices(q, o),
    );
    let group = Resource::new_blocking(
        {
            let name = name.clone();
            move || name.clone()
        },
        get_group,
    );
    let attach = ServerAction::<AttachGroupPolicies>::new();
    let error = Signal::derive(move || attach.value().get().and_then(Result::err));
    view! {
        <Title text="Attach permissions policies" />
        <nav class="breadcrumbs" aria-label="Breadcrumbs">
            <a href="/groups">"User groups"</a>
            " › "
            <a href=details_url(&name, Some("permissions"), None)>{name.clone()}</a>
            " › Attach policies"
        </nav>
        <h1>{format!("Attach permissions policies to {name}")}</h1>
        <Suspense fallback=|| ()>
            {move || {
                let name = name.clone();
                Suspend::new(async move {
                let attached: Vec<String> = group
                    .await
                    .map(|g| g.attached_policies.into_iter().map(|p| p.arn).collect())
                    .unwrap_or_default();
                view! {
                    <ActionForm action=attach attr:aria-label="Attach permissions policies" attr:class="wide-form">
                        <input type="hidden" name="name" value=name.clone() />
                        <section class="panel">
                            <CheckboxPicker
                                spec=ATTACH_PICKER
                                selected=policies
                                filter=filter
                                offset=offset
                                choices=page
                                error=error
                                locked=attached
                            />
                        </section>
                        <FormAlert error=error fields=&["policy_arns"] />
                        <div class="form-actions">
                            <a class="button" href=details_url(&name, Some("permissions"), None)>
                                "Cancel"
                            </a>
                            <button type="submit" class="primary">
                                "Attach policies"
                            </button>
                        </div>
                    </ActionForm>
                }
            })
            }}
        </Suspense>
    }
}
